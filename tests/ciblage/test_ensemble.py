"""Seed ensemble: N boosters averaged before calibration; scores, reasons and persistence stay exact."""

from __future__ import annotations

import json

import numpy as np
import pytest

from amorce.ciblage import TargetingModel, train
from amorce.ciblage.errors import CiblageError
from amorce.ciblage.features import scoring_queries
from amorce.ciblage.trees import FlatTrees


@pytest.fixture(scope="module")
def ensemble_model(small_history):
    return train(small_history, end="2023-01-01", seed=0, ensemble=3)


@pytest.fixture(scope="module")
def frame(small_history):
    queries = scoring_queries(small_history, "2023-01-01").head(400)
    return queries


def test_ensemble_averages_the_boosters_raw_scores(small_history, small_model, ensemble_model, frame):
    assert len(ensemble_model.boosters) == 3 and ensemble_model.metrics["ensemble"] == 3
    X = ensemble_model.features(small_history, frame)
    each = np.array([b.predict(X, raw_score=True) for b in ensemble_model.boosters])
    np.testing.assert_allclose(ensemble_model.margin(X), each.mean(axis=0), rtol=0, atol=1e-9)
    # the seeds make the boosters differ; the first one is the single model trained with the same seed
    assert np.abs(each[0] - each[1]).max() > 1e-3
    np.testing.assert_array_equal(small_model.margin(X), each[0])
    # the compiled walk on the concatenated trees (weight 1/N) = the mean of the walks of each booster
    walks = np.array([FlatTrees.from_booster(b).raw_score(X) for b in ensemble_model.boosters])
    np.testing.assert_allclose(ensemble_model.trees.raw_score(X), walks.mean(axis=0), atol=1e-9)


def test_ensemble_contributions_are_exact(small_history, ensemble_model, frame):
    X = ensemble_model.features(small_history, frame)
    margin = ensemble_model.margin(X)
    shap = ensemble_model.contributions(X, "shap")
    each = np.array([b.predict(X, pred_contrib=True) for b in ensemble_model.boosters])
    np.testing.assert_allclose(shap, each.mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(shap.sum(axis=1), margin, atol=1e-6)
    path_margin, path = ensemble_model.margin_and_contributions(X, "path")
    np.testing.assert_allclose(path_margin, margin, atol=1e-9)
    np.testing.assert_allclose(path.sum(axis=1), margin, atol=1e-6)
    walks = np.array(
        [FlatTrees.from_booster(b).raw_score_and_contributions(X)[1] for b in ensemble_model.boosters]
    )
    np.testing.assert_allclose(path, walks.mean(axis=0), atol=1e-9)


def test_ensemble_save_load(tmp_path, small_history, ensemble_model, small_model, frame):
    ensemble_model.save(tmp_path / "m")
    assert {p.name for p in (tmp_path / "m").glob("model*.txt")} == {
        "model.txt",
        "model_1.txt",
        "model_2.txt",
    }
    assert json.loads((tmp_path / "m" / "meta.json").read_text(encoding="utf-8"))["ensemble"] == 3
    loaded = TargetingModel.load(tmp_path / "m")
    X = ensemble_model.features(small_history, frame)
    np.testing.assert_array_equal(
        loaded.predict_frame(X).to_numpy(), ensemble_model.predict_frame(X).to_numpy()
    )
    np.testing.assert_array_equal(loaded.contributions(X, "shap"), ensemble_model.contributions(X, "shap"))
    # a single model saved over it leaves no stale booster behind
    small_model.save(tmp_path / "m")
    assert [p.name for p in (tmp_path / "m").glob("model*.txt")] == ["model.txt"]
    assert len(TargetingModel.load(tmp_path / "m").boosters) == 1
    ensemble_model.save(tmp_path / "m")
    (tmp_path / "m" / "model_2.txt").unlink()
    with pytest.raises(CiblageError, match="model_2.txt"):
        TargetingModel.load(tmp_path / "m")


def test_ensemble_size_is_checked(small_history):
    with pytest.raises(CiblageError, match="ensemble"):
        train(small_history, end="2023-01-01", ensemble=0)
