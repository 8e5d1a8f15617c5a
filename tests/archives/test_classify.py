"""Classifying a collection from a few labels: proposals on real photos, the labels file, French errors.

The classifier and the active learning themselves are tested once, in tests/core/test_fewshot.py."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from amorce.archives.classify import classify_collection, read_labels
from amorce.archives.errors import SourceError
from amorce.core.errors import AmorceError


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
    with pytest.raises(AmorceError, match="au moins deux classes"):
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


def test_labels_file_with_one_column_or_an_unclosed_quote_is_a_french_error(tmp_path):
    one = tmp_path / "une_colonne.csv"
    one.write_text("file\na.jpg\nb.jpg\n", encoding="utf-8")
    with pytest.raises(SourceError, match="une_colonne.csv, ligne 1 : colonnes attendues .* trouvée\\(s\\) : « file »"):
        read_labels(one)
    quote = tmp_path / "guillemet.csv"
    quote.write_text('fichier;terme\na.jpg;"autel\nb.jpg;voûte\n', encoding="utf-8")
    with pytest.raises(SourceError, match="ligne 2 : retour à la ligne dans une valeur"):
        read_labels(quote)
    cp1252 = tmp_path / "windows.csv"
    cp1252.write_bytes("fichier;terme\na.jpg;voûte\n".encode("cp1252"))
    assert read_labels(cp1252) == {"a.jpg": "voûte"}


def test_cli_classer_with_a_one_column_labels_file_exits_2(cli, tmp_path):
    labels = tmp_path / "etiquettes.csv"
    labels.write_text("file\na.jpg\n", encoding="utf-8")
    result = cli("classer", "--collection", "inconnue", "--etiquettes", str(labels), "--out", str(tmp_path / "p.csv"))
    assert result.exit_code == 2 and "colonnes attendues" in result.output
    assert not (tmp_path / "p.csv").exists()
