"""The compiled tree walk reproduces LightGBM exactly; reasons are the real top contributions."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from amorce.ciblage import top_reasons
from amorce.ciblage.features import scoring_queries
from amorce.ciblage.scoring import score_features
from amorce.ciblage.trees import FlatTrees, top_k


def _data(seed: int, n: int = 3000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.integers(-2, 3, n).astype(float),  # many exact zeros
            "c": rng.exponential(size=n),
            "cat": pd.Categorical(rng.choice(list("pqrstu"), n), categories=list("pqrstu")),
        }
    )
    X.loc[rng.random(n) < 0.15, "a"] = np.nan
    X.loc[rng.random(n) < 0.1, "b"] = np.nan
    y = (X["a"].fillna(1) + (X["b"].fillna(0) == 0) + X["cat"].isin(["p", "s"]) + rng.normal(size=n)) > 1
    return X, y.to_numpy(dtype=int)


@pytest.mark.parametrize(
    "params",
    [
        {},  # NaN as missing (default)
        {"zero_as_missing": True},  # zero and NaN as missing
        {"use_missing": False},  # NaN read as 0
    ],
)
def test_walk_matches_lightgbm_bit_for_bit(params):
    X, y = _data(0)
    booster = lgb.train(
        {
            "objective": "binary",
            "verbose": -1,
            "num_leaves": 15,
            "min_data_in_leaf": 5,
            "min_data_per_group": 5,
            "cat_smooth": 1,
            **params,
        },
        lgb.Dataset(X, label=y),
        num_boost_round=25,
    )
    trees = FlatTrees.from_booster(booster)
    test, _ = _data(1, 800)
    # categories unseen in training, and a frame whose categories are listed in another order
    test["cat"] = pd.Categorical(
        np.where(np.arange(len(test)) % 7 == 0, "zz", test["cat"].astype(str)),
        categories=["zz", *reversed(list("pqrstu"))],
    )
    margin, contrib = trees.raw_score_and_contributions(test)
    expected = booster.predict(test, raw_score=True)
    assert np.array_equal(trees.raw_score(test), expected)
    assert np.array_equal(margin, expected)
    assert np.array_equal(trees.leaves(test[:200]), booster.predict(test[:200], pred_leaf=True))
    np.testing.assert_allclose(contrib.sum(axis=1), expected, atol=1e-9)
    # the pred_leaf baseline (leaves, then a sparse product) gives the same path contributions
    baseline = trees.contributions_from_leaves(booster.predict(test, pred_leaf=True), block=97)
    np.testing.assert_allclose(baseline, contrib, rtol=0, atol=1e-9)


def test_scores_agree_across_paths(small_history, small_model):
    """LightGBM's predict (scores alone), the compiled walk (scores and reasons), the pred_leaf
    baseline and TreeSHAP give the same raw scores; the calibrated scores do not depend on the path."""
    X = small_model.features(small_history, scoring_queries(small_history, "2023-01-01"))
    expected = small_model.booster.predict(X, raw_score=True)
    trees = small_model.trees
    kernel_margin, kernel_contrib = trees.raw_score_and_contributions(X)
    baseline = trees.contributions_from_leaves(small_model.booster.predict(X, pred_leaf=True))
    shap = small_model.contributions(X, "shap")
    for margin in (small_model.margin(X), trees.raw_score(X), kernel_margin, baseline.sum(axis=1), shap.sum(axis=1)):
        np.testing.assert_allclose(margin, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(kernel_contrib, baseline, rtol=0, atol=1e-9)
    alone = score_features(small_model, X, reasons=False)
    for explain in ("path", "shap"):
        with_reasons = score_features(small_model, X, reasons=True, explain=explain)
        np.testing.assert_allclose(with_reasons["margin"], alone["margin"], rtol=0, atol=1e-9)
        np.testing.assert_allclose(with_reasons["score"], alone["score"], rtol=0, atol=1e-9)


def test_top_k_is_a_stable_descending_sort():
    rng = np.random.default_rng(0)
    for columns in (1, 2, 3, 7, 24):
        values = rng.normal(size=(500, columns)).round(1)  # many ties
        index, weight = top_k(values, 3)
        expected = np.argsort(-values, axis=1, kind="stable")[:, :3]
        assert np.array_equal(index, expected)
        assert np.array_equal(weight, np.take_along_axis(values, expected, axis=1))


def test_reasons_are_the_top_shapley_contributions(small_history, small_model):
    X = small_model.features(small_history, scoring_queries(small_history, "2023-01-01").head(400))
    contrib = np.asarray(small_model.booster.predict(X, pred_contrib=True))  # LightGBM's own TreeSHAP
    reasons = top_reasons(X, contrib, k=3)
    from amorce.ciblage.features import feature_label, shown_as_reason

    shown = np.array([shown_as_reason(c) for c in X.columns])  # who inspects is never a reason
    for row in range(len(X)):
        order = [j for j in np.argsort(-contrib[row, :-1], kind="stable") if shown[j]][:3]
        order = [j for j in order if contrib[row, j] >= 0.02]
        labels = [text.split(" : ")[0] for text in str(reasons.iloc[row]).split(" ; ")] if order else []
        assert labels == [feature_label(X.columns[j]) for j in order], row
    assert (reasons != "aucun facteur ne relève le risque au-dessus de la moyenne").mean() > 0.3
