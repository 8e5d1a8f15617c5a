"""Model: learns better than the baselines, calibrated, explainable, persistent."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from amorce.ciblage import (
    Calibrator,
    TargetingModel,
    backtest,
    crpa_explanation,
    score_history,
    top_reasons,
)
from amorce.ciblage.features import scoring_queries
from amorce.core.formats import percent


def test_backtest_beats_baselines(small_history, small_model):
    result = backtest(small_history, "2023-01-01", "2024-01-01", model=small_model)
    auc = {name: m["auc"] for name, m in result.metrics.items()}
    assert auc["model"] > auc["random"] + 0.1
    assert auc["model"] > auc["last_outcome"]
    assert result.metrics["model"]["days_earlier"] > result.metrics["random"]["days_earlier"]
    assert result.metrics["model"]["recall@20%"] > 0.3


def test_backtest_refuses_a_model_trained_on_the_period(small_history, small_model):
    with pytest.raises(Exception, match="biaisé"):
        backtest(small_history, "2022-06-01", "2023-01-01", model=small_model)


def test_probabilities_are_calibrated(small_history, small_model):
    # on the next year (never seen), mean predicted probability ≈ observed rate
    result = backtest(small_history, "2023-01-01", "2024-01-01", model=small_model)
    scores = result.scores
    assert abs(scores["score"].mean() - scores["event"].mean()) < 0.05
    top, bottom = scores.nlargest(300, "score"), scores.nsmallest(300, "score")
    assert top["event"].mean() > bottom["event"].mean() + 0.2


def test_calibrator_methods():
    rng = np.random.default_rng(0)
    margin = rng.normal(size=5000)
    label = (rng.random(5000) < 1 / (1 + np.exp(-2 * margin))).astype(int)
    for method in ("isotonic", "platt"):
        cal = Calibrator.fit(margin, label, method)
        p = cal(np.array([-3.0, 0.0, 3.0]))
        assert p[0] < 0.1 < 0.4 < p[1] < 0.6 < 0.9 < p[2]
        assert np.all(np.diff(cal(np.sort(margin))) >= -1e-12)


def test_contributions_and_reasons(small_history, small_model):
    queries = scoring_queries(small_history, "2023-01-01").head(300)
    X = small_model.features(small_history, queries)
    margin = small_model.margin(X)
    for method in ("shap", "path"):
        contrib = small_model.contributions(X, method)
        assert contrib.shape == (len(X), X.shape[1] + 1)
        np.testing.assert_allclose(contrib.sum(axis=1), margin, atol=1e-4)
    reasons = top_reasons(X, small_model.contributions(X, "shap"))
    assert reasons.str.len().min() > 10
    assert reasons.str.contains("inspection|activité|département|inspecteur|plainte", regex=True).mean() > 0.9


def test_crpa_sheet(small_history, small_model):
    scores = score_history(small_model, small_history, "2023-01-01", reasons=False)
    first = scores.iloc[0]
    queries = pd.DataFrame({"establishment_id": [first["establishment_id"]], "as_of": [pd.Timestamp("2023-01-01")]})
    X = small_model.features(small_history, queries)
    sheet = crpa_explanation(small_model, X.iloc[0], small_model.contributions(X, "shap")[0],
                             establishment_id=first["establishment_id"], score=float(first["score"]), rank=1,
                             total=len(scores), as_of="2023-01-01")
    text = sheet.to_markdown()
    assert "R311-3-1-2" in text and "rang 1 sur" in text
    planning = [c for c in X.columns if c.startswith("inspector")]  # who inspects: never a parameter shown
    assert planning and len(sheet.parameters) == X.shape[1] - len(planning)
    assert "LightGBM" in sheet.contribution_mode
    assert f"Probabilité estimée : {percent(float(first['score']), 1)} ;" in sheet.result  # core.formats


def test_rates_in_reasons_are_core_percentages():
    from amorce.ciblage.explain import format_value

    assert format_value("adverse_rate", 0.254) == percent(0.254) == "25\u202f%"
    assert format_value("department_rate", 0.1) == "10\u202f%"


def test_save_load_roundtrip(tmp_path, small_history, small_model):
    small_model.save(tmp_path / "m")
    loaded = TargetingModel.load(tmp_path / "m")
    a = score_history(small_model, small_history, "2023-01-01")
    b = score_history(loaded, small_history, "2023-01-01")
    pd.testing.assert_frame_equal(a, b)
    card = (tmp_path / "m" / "model_card.md").read_text(encoding="utf-8")
    assert "Fiche modèle" in card and "AUC (validation)" in card and "validation_auc" not in card
    # data sources in French: named format, period in words, counts with their separator (issue 15)
    assert "Historique d'inspections — historique généré" in card and "synthetique" not in card
    assert re.search(r"période : du \d+(er)? [a-zéû]+ \d{4} au ", card) and not re.search(r"\d{4}-\d{2}-\d{2}", card)



def test_a_model_saved_with_french_metric_keys_loads_with_english_ones(tmp_path, small_model):
    """Models saved before 0.2.0 (``amorce ciblage train --out``) keep working: their metrics are
    read with the English keys."""
    import json

    from amorce.ciblage.learner import FRENCH_METRIC_KEYS

    small_model.save(tmp_path / "m")
    meta_path = tmp_path / "m" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    french = {v: k for k, v in FRENCH_METRIC_KEYS.items()}
    meta["metrics"] = {french.get(k, k): v for k, v in meta["metrics"].items()}
    meta["card"]["metrics"] = dict(meta["metrics"])
    assert "auc_validation" in meta["metrics"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    loaded = TargetingModel.load(tmp_path / "m")
    assert loaded.metrics == small_model.metrics and loaded.card.metrics == small_model.metrics


def test_score_lists_every_known_establishment(small_history, small_model):
    scores = score_history(small_model, small_history, "2021-01-01")
    known = small_history.known_at("2021-01-01")
    assert set(scores["establishment_id"]) == set(known)
    assert scores["rank"].tolist() == list(range(1, len(scores) + 1))
    assert scores["score"].is_monotonic_decreasing
    assert scores["score"].between(0, 1).all()


def test_ties_are_broken_by_the_stated_rule():
    import numpy as np
    import pandas as pd

    from amorce.ciblage.scoring import TIE_RULE, rank_scores

    frame = pd.DataFrame({"establishment_id": ["e9", "e2", "e5", "e1", "e3", "e7"],
                          "score": [0.5, 0.5, 0.5, 0.5, 0.9, 0.5],
                          "margin": [1.0, 1.0, 1.0, 1.0, 2.0, 1.2]})
    days = np.array([400.0, 400.0, np.nan, 30.0, 10.0, 5.0])
    ranked = rank_scores(frame, days)
    # score first, then the raw margin, then the oldest last inspection (never inspected first), then id
    assert ranked["establishment_id"].tolist() == ["e3", "e7", "e5", "e2", "e9", "e1"]
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    shuffled = frame.iloc[::-1].reset_index(drop=True)
    assert rank_scores(shuffled, days[::-1])["establishment_id"].tolist() == ranked["establishment_id"].tolist()
    assert "identifiant" in TIE_RULE
