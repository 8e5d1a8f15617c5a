"""The shared few-label classifier: training, proposals, saving without pickle, active learning."""

from __future__ import annotations

import json

import numpy as np
import pytest

from amorce.core.vision import fewshot
from amorce.core.vision.fewshot import FewShotError


def clusters(rng, per_class: int, dim: int = 32, classes=("a", "b", "c")):
    centres = rng.normal(size=(len(classes), dim)) * 3
    x = np.vstack([c + rng.normal(size=(per_class, dim)) for c in centres]).astype(np.float32)
    return x, [name for name in classes for _ in range(per_class)]


@pytest.mark.parametrize("method", fewshot.METHODS)
def test_train_propose_save_load(tmp_path, method):
    rng = np.random.default_rng(0)
    x, y = clusters(rng, 10)
    model = fewshot.train(x[::2], y[::2], method=method, backbone="test", card={"source": "essai"})
    proposed, confidence = model.propose(x[1::2])
    assert np.mean(np.array(proposed) == np.array(y[1::2])) >= 0.9
    assert np.all((confidence > 1 / 3) & (confidence <= 1.0))
    assert model.n_labels == 15 and model.classes == ["a", "b", "c"]
    card_path = model.save(tmp_path / "modele", kind="essai")
    card = json.loads(card_path.read_text(encoding="utf-8"))
    assert card["kind"] == "essai" and card["method"] == method and card["backbone"] == "test"
    assert card["examples_per_class"] == {"a": 5, "b": 5, "c": 5} and card["source"] == "essai"
    again = fewshot.load(card_path)
    np.testing.assert_allclose(again.predict_proba(x), model.predict_proba(x), rtol=1e-5)
    assert again.card["source"] == "essai" and again.n_labels == 15
    with pytest.raises(FewShotError, match="dimension 5 : ce modèle attend 32"):
        again.predict_proba(x[:, :5])


def test_logistic_probabilities_are_scikit_learns():
    """The stored linear layer gives scikit-learn's probabilities, also for two classes (one row)."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(2)
    for classes in (("a", "b"), ("a", "b", "c")):
        x, y = clusters(rng, 6, classes=classes)
        unit = fewshot.l2_normalise(x)
        reference = LogisticRegression(C=fewshot.STRENGTH, max_iter=2000).fit(unit, y).predict_proba(unit)
        np.testing.assert_allclose(fewshot.train(x, y).predict_proba(x), reference, atol=1e-5)


def test_refusals_are_french():
    rng = np.random.default_rng(1)
    x, y = clusters(rng, 6, classes=("a", "b"))
    with pytest.raises(FewShotError, match="au moins deux classes"):
        fewshot.train(x[:6], y[:6])
    with pytest.raises(FewShotError, match="Méthode inconnue"):
        fewshot.train(x, y, method="svm")
    with pytest.raises(FewShotError, match="11 étiquette\\(s\\) pour 12 image\\(s\\)"):
        fewshot.train(x, y[:11])
    with pytest.raises(FewShotError, match="non vide"):
        fewshot.train(np.zeros((0, 4)), [])
    assert FewShotError("x").exit_code == 2


def test_model_card_never_unpickles(tmp_path):
    card = {"kind": "fewshot", "classes": ["a", "b"], "dim": 2, "method": "logistique", "backbone": "embedded",
            "arrays": "modele.npz"}
    np.savez(tmp_path / "modele.npz", weights=np.array([[{"x": 1}, 2], [3, 4]], dtype=object), bias=np.zeros(2))
    (tmp_path / "modele.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(FewShotError, match="illisible"):
        fewshot.load(tmp_path / "modele.json")
    with pytest.raises(FewShotError, match="introuvable"):
        fewshot.load(tmp_path / "absent.json")


def test_pick_next_most_uncertain_then_diverse():
    probs = np.array([[0.98, 0.02], [0.51, 0.49], [0.52, 0.48], [0.6, 0.4], [0.9, 0.1]])
    features = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0.01], [0, 0, 1], [1, 1, 0]], dtype=np.float32)
    assert fewshot.pick_next(probs, features, 2, diversity=0.0) == [1, 2]
    # rows 1 and 2 are the same picture (a burst): with diversity the second pick is elsewhere
    assert fewshot.pick_next(probs, features, 2) == [1, 3]
    assert fewshot.pick_next(probs, features, 9, exclude=[1])[0] == 2
    assert len(fewshot.pick_next(probs, features, 9)) == 5 and fewshot.pick_next(probs, features, 0) == []
    # already labelled rows count as picked: nothing like them is asked for first
    assert fewshot.pick_next(probs, features, 1, labelled=features[1:2]) == [3]


def test_pick_next_with_a_trained_classifier_asks_about_the_middle():
    rng = np.random.default_rng(0)
    left, right = rng.normal([-3, 0, 0], 0.3, (20, 3)), rng.normal([3, 0, 0], 0.3, (20, 3))
    x = np.vstack([left, right, [[0.0, 1, 0.2], [0.0, 1, 0.21], [0.0, 1, -0.2], [-3, 1, 0], [3, 1, 0]]])
    x[:, 1] += 1.0  # keep every point away from the origin (features are compared by angle)
    labelled = list(range(0, 20, 4)) + list(range(20, 40, 4))
    model = fewshot.train(x[labelled], ["gauche"] * 5 + ["droite"] * 5)
    pool = x[40:45]
    uncertain = fewshot.pick_next(model.predict_proba(pool), pool, 2, diversity=0.0, labelled=x[labelled])
    assert set(uncertain) <= {0, 1, 2}  # the middle points, not the two clear ones
    spread = fewshot.pick_next(model.predict_proba(pool), pool, 2, labelled=x[labelled])
    assert set(spread) <= {0, 1, 2} and set(spread) != {0, 1}  # not two near-identical images
