"""Data migration of the ciblage app (English JSON keys), run forwards then backwards on rows holding
the keys of the previous versions."""

from __future__ import annotations

import copy
from datetime import date

import pytest

FRENCH_SUMMARY = {"format": "canonical", "etablissements": 2000, "inspections": 12000, "plaintes": 0,
                  "lignes_contexte": 0, "debut": "2019-01-02", "fin": "2023-12-29", "taux_evenement": 0.21,
                  "departements": 12}
FRENCH_METRICS = {"inspections_entrainement": 9000, "inspections_validation": 2000, "taux_evenement_validation": 0.2,
                  "auc_validation": 0.71, "brier_avant_calibration": 0.16, "brier_apres_calibration": 0.15,
                  "iterations": 80, "ensemble": 1, "calibration": "isotonic"}
RANKING = {"auc": 0.7, "precision@10%": 0.4, "rappel@10%": 0.2, "rappel@100": 0.1,
           "courbe_lift": [{"fraction_inspectee": 0.05, "part_trouvee": 0.12, "lift": 2.4}],
           "jours_gagnes": 7.4, "part_premiere_moitie": 0.69, "part_premiere_moitie_ordre_reel": 0.55}
FRENCH_BACKTEST = {"periode": {"debut": "2023-01-01", "fin": "2024-01-01"}, "inspections": 2400, "evenements": 500,
                   "taux_evenement": 0.21, "classements": {"modele": RANKING, "random": {"auc": 0.5}},
                   "modele": FRENCH_METRICS, "notes": ["n"],
                   "calibration": [{"predit": 0.1, "observe": 0.12, "n": 240}]}
FRENCH_ROWS = [{"semaine": 1, "date_prevue": "2024-01-01", "equipe": "equipe-0", "establishment_id": "E1",
                "nom": "Chez Paul", "adresse": "1 rue X", "rang": 1, "score": 0.8, "selection": "modele",
                "raisons": "a ; b"},
               {"semaine": 1, "date_prevue": "2024-01-02", "equipe": "equipe-0", "establishment_id": "E9",
                "nom": "", "adresse": "", "rang": 9, "score": 0.1, "selection": "aleatoire", "raisons": ""}]
FRENCH_FEEDBACK = {"modele": {"inspections": 8, "evenements": 4, "taux": 0.5},
                   "aleatoire": {"inspections": 2, "evenements": 0, "taux": 0.0},
                   "rapport_modele_sur_aleatoire": 2.5, "z": 1.2, "p_valeur_unilaterale": 0.11}


@pytest.mark.django_db(transaction=True)
def test_stored_json_keys_become_english_and_back(migrator):
    old = migrator.to("ciblage", "0003_created_at_created_by")
    dataset = old.get_model("ciblage", "Dataset").objects.create(
        name="d", format="canonical", folder="ciblage/x", files=["a.csv"], summary=copy.deepcopy(FRENCH_SUMMARY))
    trained = old.get_model("ciblage", "TrainedModel").objects.create(
        dataset=dataset, as_of=date(2024, 1, 1), directory="", metrics=copy.deepcopy(FRENCH_METRICS),
        card={"name": "ciblage", "metrics": copy.deepcopy(FRENCH_METRICS)}, backtest=copy.deepcopy(FRENCH_BACKTEST))
    scores = old.get_model("ciblage", "ScoreList").objects.create(model=trained, as_of=date(2024, 1, 1), path="x")
    old.get_model("ciblage", "Plan").objects.create(
        score_list=scores, capacity={"equipe-0": 5}, weeks=1, exploration=0.2, start=date(2024, 1, 1),
        rows=copy.deepcopy(FRENCH_ROWS), outcomes=[{"establishment_id": "E1", "date": "2024-01-03", "outcome": "A améliorer"}],
        feedback=copy.deepcopy(FRENCH_FEEDBACK))
    empty_plan = old.get_model("ciblage", "Plan").objects.create(
        score_list=scores, capacity=5, weeks=1, exploration=0.1, start=date(2024, 1, 1), rows=[], feedback={})

    migrator.to_latest()
    from amorce.ciblage.models import Dataset, Plan, TrainedModel
    from amorce.ciblage.views import lift_rows, metric_rows

    summary = Dataset.objects.get().summary
    assert summary == {"format": "canonical", "establishments": 2000, "inspections": 12000, "complaints": 0,
                       "context_rows": 0, "start": "2019-01-02", "end": "2023-12-29", "event_rate": 0.21,
                       "departments": 12}
    model = TrainedModel.objects.get()
    english_metrics = {"training_inspections": 9000, "validation_inspections": 2000, "validation_event_rate": 0.2,
                       "validation_auc": 0.71, "brier_before_calibration": 0.16, "brier_after_calibration": 0.15,
                       "iterations": 80, "ensemble": 1, "calibration": "isotonic"}
    assert model.metrics == english_metrics and model.card == {"name": "ciblage", "metrics": english_metrics}
    assert model.backtest == {
        "period": {"start": "2023-01-01", "end": "2024-01-01"}, "inspections": 2400, "events": 500,
        "event_rate": 0.21, "notes": ["n"], "model_metrics": english_metrics,
        "rankings": {"model": {"auc": 0.7, "precision@10%": 0.4, "recall@10%": 0.2, "recall@100": 0.1,
                               "lift_curve": [{"inspected_fraction": 0.05, "found_share": 0.12, "lift": 2.4}],
                               "days_earlier": 7.4, "first_half_share": 0.69, "first_half_share_actual_order": 0.55},
                     "random": {"auc": 0.5}},
        "calibration": [{"predicted": 0.1, "observed": 0.12, "n": 240}]}
    assert metric_rows(model.backtest)[0]["days"] == "7,4" and lift_rows(model.backtest)[0]["found"] == "12,0\u202f%"
    plan = Plan.objects.exclude(pk=empty_plan.pk).get()
    assert plan.rows[0] == {"week": 1, "planned_date": "2024-01-01", "team": "equipe-0", "establishment_id": "E1",
                            "name": "Chez Paul", "address": "1 rue X", "rank": 1, "score": 0.8, "selection": "model",
                            "reasons": "a ; b"}
    assert plan.rows[1]["selection"] == "random" and list(plan.frame().columns)[:3] == ["week", "planned_date", "team"]
    assert plan.feedback == {"model": {"inspections": 8, "events": 4, "rate": 0.5},
                             "random": {"inspections": 2, "events": 0, "rate": 0.0},
                             "model_to_random_ratio": 2.5, "z": 1.2, "one_sided_p_value": 0.11}
    assert plan.outcomes[0]["outcome"] == "A améliorer" and Plan.objects.get(pk=empty_plan.pk).rows == []

    back = migrator.to("ciblage", "0003_created_at_created_by")  # backwards: the French keys again
    assert back.get_model("ciblage", "Dataset").objects.get().summary == FRENCH_SUMMARY
    restored = back.get_model("ciblage", "TrainedModel").objects.get()
    assert restored.metrics == FRENCH_METRICS and restored.backtest == FRENCH_BACKTEST
    assert restored.card["metrics"] == FRENCH_METRICS
    old_plan = back.get_model("ciblage", "Plan").objects.exclude(pk=empty_plan.pk).get()
    assert old_plan.rows == FRENCH_ROWS and old_plan.feedback == FRENCH_FEEDBACK
    migrator.to_latest()
