"""Classification from a few labels: a classifier on real photos, active learning, French errors."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from amorce.archives.classify import classify_collection, pick_next, read_labels, train
from amorce.archives.errors import SourceError


@pytest.fixture(scope="module")
def heritage_features(shared_data):
    """EfficientNet-Lite0 features of 8 real photos of each of 4 classes (first files in name order)."""
    from amorce.core.vision import embedded_features, load_image

    root = shared_data / "heritage_architecture_elements"
    with (root / "labels.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen = []
    for label in ("altar", "dome_outer", "gargoyle", "stained_glass"):
        chosen += sorted((r for r in rows if r["label"] == label), key=lambda r: r["file"])[:8]
    features = embedded_features().features([load_image(root / r["file"]) for r in chosen])
    return [r["file"] for r in chosen], features, [r["label"] for r in chosen]


@pytest.mark.data
def test_classifier_trained_on_three_real_photos_per_class_proposes_the_rest(heritage_features):
    keys, features, labels = heritage_features
    given = {k: lab for n, (k, lab) in enumerate(zip(keys, labels, strict=True)) if n % 8 < 3}
    proposals = classify_collection(keys, features, given, ask=4)
    truth = dict(zip(keys, labels, strict=True))
    accuracy = np.mean([truth[k] == lab for k, lab in zip(proposals.keys, proposals.labels, strict=True)])
    assert len(proposals.keys) == 20 and accuracy >= 0.75
    assert np.all((proposals.confidence > 0.25) & (proposals.confidence <= 1.0))
    assert len(set(proposals.to_label)) == 4 and not set(proposals.to_label) & set(given)


def test_active_learning_picks_the_uncertain_and_spreads_them():
    rng = np.random.default_rng(0)
    left, right = rng.normal([-3, 0, 0], 0.3, (20, 3)), rng.normal([3, 0, 0], 0.3, (20, 3))
    x = np.vstack([left, right, [[0.0, 1, 0.2], [0.0, 1, 0.21], [0.0, 1, -0.2], [-3, 1, 0], [3, 1, 0]]])
    x[:, 1] += 1.0  # keep every point away from the origin (features are compared by angle)
    labelled = list(range(0, 20, 4)) + list(range(20, 40, 4))
    model = train(x[labelled], ["gauche"] * 5 + ["droite"] * 5)
    pool = list(range(40, 45))
    uncertain = pick_next(model, x, pool, labelled, 2, diversity=False)
    assert set(uncertain) <= {40, 41, 42}  # the middle points, not the two clear ones
    spread = pick_next(model, x, pool, labelled, 2)
    assert set(spread) <= {40, 41, 42} and set(spread) != {40, 41}  # not two near-identical images


def test_bad_labels_give_french_errors(tmp_path):
    bad = tmp_path / "etiquettes.csv"
    bad.write_text("image,classe\na.jpg,autel\n", encoding="utf-8")
    with pytest.raises(SourceError, match="ligne 1 : colonnes attendues « file »"):
        read_labels(bad)
    bad.write_text("fichier;terme\na.jpg;autel\nb.jpg;\na.jpg;voûte\n", encoding="utf-8")
    with pytest.raises(SourceError, match="ligne 3 : fichier ou terme vide ; ligne 4 : « a.jpg » déjà étiquetée"):
        read_labels(bad)
    with pytest.raises(SourceError, match="introuvable"):
        read_labels(tmp_path / "absent.csv")
    features = np.eye(3, dtype=np.float32)
    with pytest.raises(SourceError, match="au moins deux termes"):
        classify_collection(["a", "b", "c"], features, {"a": "autel", "b": "autel"})
    with pytest.raises(SourceError, match="absente\\(s\\) de l'index : z.jpg"):
        classify_collection(["a", "b", "c"], features, {"a": "autel", "z.jpg": "voûte"})
    with pytest.raises(SourceError, match="--caracteristiques"):
        classify_collection([], None, {"a": "autel"})


def test_cli_classer_on_unindexed_collection_is_a_french_error(cli, tmp_path):
    labels = tmp_path / "etiquettes.csv"
    labels.write_text("file,label\na.jpg,autel\n", encoding="utf-8")
    result = cli("classer", "--collection", "inconnue", "--etiquettes", str(labels), "--out", str(tmp_path / "p.csv"))
    assert result.exit_code == 2 and "n'est pas indexée" in result.output
