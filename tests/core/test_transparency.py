from __future__ import annotations

import html

from amorce.core.transparency import (
    CrpaExplanation,
    DataSource,
    ModelCard,
    Parameter,
    fairness_alert,
    mention_explicite,
)


def explanation() -> CrpaExplanation:
    return CrpaExplanation(
        subject="Sélection des lauréats",
        administration="DINUM",
        contribution_degree="Aide à la décision : le classement est proposé au comité, qui décide.",
        contribution_mode="Optimisation exacte sous contrainte de budget.",
        data_sources=[DataSource("Notes du jury", "5 critères notés de 0 à 5", "Jury", "2018")],
        parameters=[Parameter("Bénéfices attendus", 4.5, weight=0.3, contribution=1.35),
                    Parameter("Données <disponibles>", 3.0, weight=0.2, contribution=0.6)],
        operations=["Moyenne des notes par critère", "Somme pondérée", "Sélection sous budget"],
        result="Dossier retenu",
        contact="programme@example.gouv.fr",
    )


def test_crpa_markdown_has_the_four_items_of_r311_3_1_2():
    md = explanation().to_markdown()
    for title in ("1. Degré et mode de contribution", "2. Données traitées et leurs sources",
                  "3. Paramètres et pondérations appliqués", "4. Opérations effectuées"):
        assert title in md
    assert "| Bénéfices attendus | 4,5 | 0,3 | 1,35 |" in md
    assert "R311-3-1-2" in md


def test_crpa_html_escapes_values():
    html = explanation().to_html()
    assert "&lt;disponibles&gt;" in html and "<disponibles>" not in html
    assert html.count("<h3>") >= 4 and "<caption>" in html


def test_mention_explicite_cites_the_law():
    text = mention_explicite("classement des candidatures", "programme@example.gouv.fr")
    assert "L311-3-1" in text and "traitement algorithmique" in text and "programme@example.gouv.fr" in text


def test_model_card_round_trip(tmp_path):
    card = ModelCard(name="ciblage-restaurants", version="2026.11", intended_use="Prioriser les contrôles",
                     training_data=[DataSource("Alim'confiance", period="2017-2019")],
                     metrics={"roc_auc": 0.71}, limits=["Ne voit pas les établissements jamais contrôlés"])
    path = tmp_path / "card.json"
    card.save(path)
    loaded = ModelCard.from_dict(__import__("json").loads(path.read_text()))
    assert loaded == card
    assert "| AUC ROC | 0,71 |" in card.to_markdown()
    assert "Alim&#x27;confiance" in card.to_html()


def test_model_card_shows_french_labels_and_values_never_raw_names():
    card = ModelCard(name="Ciblage", version="v1", intended_use="Prioriser.", created="2026-12-03T14:05:00",
                     parameters={"objective": "binary", "learning_rate": 0.05, "is_unbalance": True,
                                 "seuil_metier": 3},
                     metrics={"validation_auc": 0.8123, "validation_inspections": 12000, "calibree": False},
                     labels={"seuil_metier": "seuil métier"})
    for text in (card.to_markdown(), html.unescape(card.to_html())):
        for raw in ("learning_rate", "objective", "binary", "validation_auc", "True", "False", "_", "2026-12-03"):
            assert raw not in text.replace("amorce-model-card", ""), raw
        for shown in ("Taux d'apprentissage", "Classification binaire", "Is unbalance", "Seuil métier",
                      "AUC (validation)", "0,8123", "12\u202f000", "oui", "non", "3 décembre 2026"):
            assert shown in text, shown
    # a card saved before labels existed still loads
    data = card.to_dict()
    del data["labels"]
    assert ModelCard.from_dict(data).labels == {}


def test_crpa_explanation_date_and_booleans_in_french():
    crpa = explanation()
    crpa.generated_on = "2026-12-03"
    crpa.parameters.append(Parameter("Déjà contrôlé", True))
    md = crpa.to_markdown()
    assert "établie le 3 décembre 2026" in md and "| Déjà contrôlé | oui |" in md and "True" not in md


def test_fairness_alert_is_a_sentence():
    text = fairness_alert("département", "75", "taux de sélection", 0.12, 0.075, 1.25)
    assert text == ("Département « 75 » : taux de sélection de 12\u202f%, soit 1,6 fois la moyenne (7,5\u202f%) ; "
                    "l'écart dépasse le seuil d'alerte (1,25 fois).")
    assert "2 fois moins que la moyenne" in fairness_alert("activité", "Boulangerie", "précision", 0.1, 0.2, 1.25)
