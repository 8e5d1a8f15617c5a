"""The park's species classifier: its model card, roll-up, species list, crops, ONNX loading.

The few-label classifier and the active learning themselves are tested once, in tests/core/test_fewshot.py."""

from __future__ import annotations

import json

import numpy as np
import pytest

from amorce.biodiversite import classifier as clf
from amorce.biodiversite.errors import BiodiversiteError
from amorce.core.errors import AmorceError, DataValidationError
from amorce.core.vision import fewshot

SPECIES_CSV = """cd_nom;nom_scientifique;nom_francais;genre;famille;ordre
60015;Martes foina;Fouine;Martes;Mustelidae;Carnivora
60021;Martes martes;Martre des pins;Martes;Mustelidae;Carnivora
60636;Meles meles;Blaireau européen;Meles;Mustelidae;Carnivora
61057;Capreolus capreolus;Chevreuil européen;Capreolus;Cervidae;Artiodactyla
"""
CLASSES = ["Capreolus capreolus", "Martes foina", "Martes martes", "Meles meles", "Sus scrofa"]


@pytest.fixture
def species_list(tmp_path):
    path = tmp_path / "especes.csv"
    path.write_text(SPECIES_CSV, encoding="utf-8")
    return clf.read_species_list(path)


def test_site_model_card_loads_as_the_shared_classifier(tmp_path):
    """The park's model (trained by the shared few-shot module) is saved as ``"kind": "site"`` and
    :func:`load_classifier` reads it back; its dimension errors name the extractor."""
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(c, 1.0, (6, 16)) for c in (-3, 0, 3)]).astype(np.float32)
    y = [name for name in ("a", "b", "c") for _ in range(6)]
    model = fewshot.train(x, y, backbone="onnx:clip.onnx")
    card_path = model.save(tmp_path / "modele", kind=clf.SITE)
    assert json.loads(card_path.read_text(encoding="utf-8"))["kind"] == "site"
    again = clf.load_classifier(card_path)
    assert isinstance(again, fewshot.FewShotClassifier) and again.backbone == "onnx:clip.onnx"
    np.testing.assert_allclose(again.predict_proba(x), model.predict_proba(x), rtol=1e-5)
    with pytest.raises(AmorceError, match="extracteur « onnx:clip.onnx »"):
        again.predict_proba(x[:, :5])
    (tmp_path / "autre.json").write_text(json.dumps({"kind": "svm"}), encoding="utf-8")
    with pytest.raises(BiodiversiteError, match="type « svm » inconnu"):
        clf.load_classifier(tmp_path / "autre.json")


def test_decide_rolls_up_and_restricts(species_list):
    sure = clf.decide([0.02, 0.9, 0.04, 0.02, 0.02], CLASSES, species_list=species_list)
    assert (sure.label, sure.rank, sure.cd_nom, sure.nom_francais) == ("Martes foina", "espece", "60015", "Fouine")
    genus = clf.decide([0.05, 0.45, 0.4, 0.05, 0.05], CLASSES, species_list=species_list)
    assert (genus.label, genus.rank) == ("Martes", "genre") and genus.score == pytest.approx(0.85 / 0.95)
    family = clf.decide([0.1, 0.25, 0.2, 0.35, 0.1], CLASSES, species_list=species_list)
    assert (family.label, family.rank) == ("Mustelidae", "famille")
    unsure = clf.decide([0.4, 0.1, 0.1, 0.1, 0.3], CLASSES, species_list=species_list, threshold=0.9)
    assert (unsure.label, unsure.rank) == (clf.UNDETERMINED, "indetermine")
    # wild boar is not on the park's list: its probability goes, the rest is renormalised
    boar = clf.decide([0.1, 0.0, 0.0, 0.0, 0.9], CLASSES, species_list=species_list)
    assert (boar.label, boar.score) == ("Capreolus capreolus", pytest.approx(1.0))
    assert clf.decide([0, 0, 0, 0, 1.0], CLASSES, species_list=species_list).rank == "indetermine"
    assert clf.decide([0.1, 0.0, 0.0, 0.0, 0.9], CLASSES).label == "Sus scrofa"


def test_species_list_errors_name_file_and_line(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(SPECIES_CSV + "abc;Vulpes vulpes;Renard roux;;;\n60015;Martes foina;Fouine;;;\n;Lynx lynx;;;;\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        clf.read_species_list(path)
    message = caught.value.message
    assert "liste.csv, ligne 6, colonne « cd_nom » : identifiant TAXREF invalide" in message
    assert "ligne 7" in message and "taxon en double" in message
    assert "ligne 8, colonne « nom_francais » : valeur vide" in message


def test_mean_by_group_averages_the_crops_of_an_event():
    probs = np.array([[0.98, 0.02], [0.51, 0.49], [0.52, 0.48], [0.6, 0.4], [0.9, 0.1]])
    groups, means = clf.mean_by_group(probs, ["e1", "e1", "e2", "e2", "e3"])
    assert groups == ["e1", "e2", "e3"] and means[0] == pytest.approx([0.745, 0.255])


def test_crop_is_square_with_margin():
    image = np.zeros((100, 200, 3), dtype=np.uint8)
    image[40:60, 90:130] = 255
    out = clf.crop(image, {"x": 0.45, "y": 0.4, "w": 0.2, "h": 0.2}, margin=0.1)
    assert out.shape == (48, 48, 3) and out.mean() > 50
    corner = clf.crop(image, {"x": 0.0, "y": 0.0, "w": 0.9, "h": 0.9})
    assert corner.shape[0] == corner.shape[1] == 234  # larger than the image: padded
    assert clf.crop(image, {"x": 0.5, "y": 0.5, "w": 0.01, "h": 0.01}) is image


def tiny_onnx(path, *, nhwc: bool = False, size: int = 8):
    """(n, 3, s, s) [or (n, s, s, 3)] → per-channel mean → identity weights → (n, 3) logits."""
    from onnx import TensorProto, helper, numpy_helper, save

    shape = ["n", size, size, 3] if nhwc else ["n", 3, size, size]
    nodes, x = [], "input"
    if nhwc:
        nodes.append(helper.make_node("Transpose", ["input"], ["chw"], perm=[0, 3, 1, 2]))
        x = "chw"
    nodes += [helper.make_node("ReduceMean", [x], ["pooled"], axes=[2, 3], keepdims=0),
              helper.make_node("MatMul", ["pooled", "w"], ["logits"])]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 3])],
                              [numpy_helper.from_array(np.eye(3, dtype=np.float32) * 5, "w")])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    return path


def colour(rgb):
    return np.full((20, 30, 3), rgb, dtype=np.uint8)


def test_configured_onnx_classifier_from_card(tmp_path, species_list):
    tiny_onnx(tmp_path / "deepfaune.onnx")
    (tmp_path / "classes.txt").write_text("Capreolus capreolus\nMartes foina\nMeles meles\n", encoding="utf-8")
    (tmp_path / "modele.json").write_text(json.dumps({"kind": "onnx", "preset": "deepfaune", "model": "deepfaune.onnx",
                                                      "labels": "classes.txt"}), encoding="utf-8")
    model = clf.load_classifier(tmp_path / "modele.json")
    assert model.input_size == 8 and model.layout == "nchw"  # the model's own size beats the preset's 182
    assert model.commercial_use is False and "commercial interdit" in model.licence
    probs = model.predict_proba([colour((250, 0, 0)), colour((0, 0, 250)), colour((0, 250, 0))])
    assert probs.sum(axis=1) == pytest.approx(np.ones(3))
    assert [model.classes[i] for i in probs.argmax(axis=1)] == ["Capreolus capreolus", "Meles meles", "Martes foina"]
    assert clf.decide(probs[0], model.classes, species_list=species_list).nom_francais == "Chevreuil européen"


def test_speciesnet_labels_and_channels_last(tmp_path):
    tiny_onnx(tmp_path / "speciesnet.onnx", nhwc=True, size=16)
    labels = tmp_path / "labels.txt"
    labels.write_text("u1;mammalia;carnivora;mustelidae;martes;foina;stone marten\n"
                      "u2;mammalia;carnivora;mustelidae;martes;martes;pine marten\n"
                      "u3;mammalia;carnivora;mustelidae;;;mustelid family\n", encoding="utf-8")
    model = clf.configured_classifier(tmp_path / "speciesnet.onnx", labels, preset="speciesnet")
    assert model.layout == "nhwc" and model.input_size == 16 and model.licence == "Apache-2.0"
    assert model.classes == ["martes foina", "martes martes", "mustelidae"]
    probs = model.predict_proba([colour((120, 110, 0))])  # between the two martens
    answer = clf.decide(probs[0], model.classes, species_list=model.species_list(), threshold=0.7)
    assert (answer.label, answer.rank) == ("martes", "genre")


def test_bad_label_file_french_error(tmp_path):
    tiny_onnx(tmp_path / "m.onnx")
    bad = tmp_path / "etiquettes.txt"
    bad.write_text("chevreuil\n\nchevreuil\nu;a;b\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        clf.configured_classifier(tmp_path / "m.onnx", bad)
    message = caught.value.message
    assert "etiquettes.txt, ligne 2 : étiquette vide" in message
    assert "ligne 3 : étiquette en double (valeur lue : « chevreuil »)" in message
    assert "ligne 4 : 3 champs séparés par « ; »" in message
    short = tmp_path / "deux.txt"
    short.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(BiodiversiteError, match="3 sorties mais le fichier des étiquettes en donne 2"):
        clf.configured_classifier(tmp_path / "m.onnx", short)
    with pytest.raises(BiodiversiteError, match="introuvable"):
        clf.load_classifier(tmp_path / "absent.json")


@pytest.fixture(scope="module")
def features_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMORCE_MODELS_DIR", str(tmp_path_factory.mktemp("models")))
        yield


@pytest.mark.data
def test_entrainer_on_real_images(shared_data, tmp_path, features_cache):
    """Borneo thumbnails (camtrapR): macaques by day at station B against mouse-deer at night at station C."""
    from typer.testing import CliRunner

    from amorce.biodiversite.cli import app

    root = shared_data / "camera_traps" / "camtrapR_borneo"
    macaques = sorted((root / "images" / "StationB" / "MNE").glob("*.JPG"))[:4]
    deer = sorted((root / "images" / "StationC" / "TRA").glob("*.JPG"))[:4]
    rows = [f"{p.relative_to(root)},Macaca nemestrina" for p in macaques[:3]]
    rows += [f"{p.relative_to(root)},Tragulus" for p in deer[:3]]
    rows.append(f"{deer[3].relative_to(root)},Tragulus,0.1,0.5,0.5,0.3")  # a given box
    labels = tmp_path / "etiquettes.csv"
    labels.write_text("fichier,espece,x,y,largeur,hauteur\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["entrainer", str(labels), "--images", str(root), "--out", str(tmp_path / "m"),
                                      "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["examples_per_class"] == {"Macaca nemestrina": 3, "Tragulus": 4}
    assert summary["crops"] == {"boîte donnée": 1, "détecteur": 0, "image entière": 6}
    model = clf.load_classifier(summary["model_card"])
    from amorce.core.vision import load_image

    held_out = clf.make_features().features([load_image(macaques[3])])
    assert model.classes[int(model.predict_proba(held_out).argmax())] == "Macaca nemestrina"

    bad = tmp_path / "faux.csv"
    bad.write_text("fichier,espece\nabsent.jpg,Tragulus\n,\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["entrainer", str(bad), "--out", str(tmp_path / "m2")])
    assert result.exit_code == 2
    assert "faux.csv, ligne 2, colonne « fichier » : image introuvable" in result.output
    assert "ligne 3 : fichier ou espèce vide" in result.output
