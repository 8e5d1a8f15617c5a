"""Species inside the season analysis (classifier on the detector's crops), and reduced JPEG decoding."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import numpy as np
import pytest
from PIL import Image

from amorce.biodiversite.filtering import FrameResult, decide, motion_boxes, reduce
from amorce.biodiversite.formats import write_camtrap_dp
from amorce.biodiversite.ingest import load_frames, read_deployments, scan
from amorce.biodiversite.pipeline import analyse_season, classify_events, max_n

from .samples import save_jpeg
from .test_analyse import _validate_camtrap_dp

SPECIES_CSV = """cd_nom;nom_scientifique;nom_francais;genre;famille;ordre
60015;Martes foina;Fouine;Martes;Mustelidae;Carnivora
60021;Martes martes;Martre des pins;Martes;Mustelidae;Carnivora
60636;Meles meles;Blaireau européen;Meles;Mustelidae;Carnivora
"""
SQUARE = 0.25  # side of the coloured 'animal', share of the frame


def _colour_classifier(folder):
    """An ONNX classifier: per-channel mean of the crop → [red, red, blue] × 20 → logits for
    Martes foina, Martes martes (the two martens cannot be told apart), Meles meles."""
    from onnx import TensorProto, helper, numpy_helper, save

    weights = np.zeros((3, 3), np.float32)
    weights[0, 0] = weights[0, 1] = weights[2, 2] = 20.0
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["input"], ["pooled"], axes=[2, 3], keepdims=0),
         helper.make_node("MatMul", ["pooled", "w"], ["logits"])], "colour",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 3, 16, 16])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n", 3])], [numpy_helper.from_array(weights, "w")])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(folder / "couleur.onnx"))
    (folder / "classes.txt").write_text("Martes foina\nMartes martes\nMeles meles\n", encoding="utf-8")
    card = folder / "couleur.json"
    card.write_text(json.dumps({"kind": "onnx", "name": "couleur-test", "model": "couleur.onnx",
                                "labels": "classes.txt"}), encoding="utf-8")
    (folder / "especes.csv").write_text(SPECIES_CSV, encoding="utf-8")
    return card, folder / "especes.csv"


def _frame(colour, x: float) -> Image.Image:
    image = np.full((240, 320, 3), 120, np.uint8)
    left, top = int(x * 320), int(0.4 * 240)
    image[top:top + int(SQUARE * 240), left:left + int(SQUARE * 320)] = colour
    return Image.fromarray(image)


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    """A red burst of 3 frames and a blue pair, with the boxes a detector would give (injected:
    the motion analysis gives no animal boxes), classified by the colour classifier."""
    root = tmp_path_factory.mktemp("especes")
    t0 = datetime(2024, 6, 1, 22, 0, 0)
    folder = root / "SD" / "site_A"
    for i, x in enumerate((0.1, 0.4, 0.7)):
        save_jpeg(_frame((200, 30, 30), x), folder / f"IMG_{i:04d}.JPG", t0 + timedelta(seconds=i))
    for i, x in enumerate((0.2, 0.5)):
        save_jpeg(_frame((30, 30, 200), x), folder / f"IMG_{10 + i:04d}.JPG", t0 + timedelta(hours=1, seconds=i))
    (root / "deployments.csv").write_text("deploymentID,latitude,longitude,folder\nA1,45.1,6.2,site_A\n",
                                          encoding="utf-8")
    analysis = analyse_season(scan(root / "SD", read_deployments(root / "deployments.csv")), engine="serial")
    assert len(analysis.events) == 2
    for event in analysis.events:
        for media in event.media:
            x = {"IMG_0000": 0.1, "IMG_0001": 0.4, "IMG_0002": 0.7, "IMG_0010": 0.2, "IMG_0011": 0.5}[
                media.path.rsplit("/", 1)[-1][:8]]
            box = {"x": x, "y": 0.4, "w": SQUARE, "h": SQUARE, "score": 0.9, "label": "animal", "frame": 0}
            analysis.results[media.media_id].detections = [box]
        analysis.decisions[event.event_id] = "animal"
    second = next(m for m in analysis.events[0].media if m.path.endswith("IMG_0001.JPG"))
    analysis.results[second.media_id].detections.append(
        {"x": 0.0, "y": 0.0, "w": 0.05, "h": 0.05, "score": 0.5, "label": "animal", "frame": 0})
    card, species = _colour_classifier(root)
    return analysis, card, species, root


def _observations(folder):
    with (folder / "observations.csv").open(encoding="utf-8") as handle:
        return {row["eventID"]: row for row in csv.DictReader(handle)}


def test_species_roll_up_and_count_in_a_valid_camtrap_dp_package(classified):
    analysis, card, species, root = classified
    answers = classify_events(analysis, card, species_list=species, engine="serial")
    red, blue = (e.event_id for e in analysis.events)
    assert answers[blue]["scientific_name"] == "Meles meles" and answers[blue]["rank"] == "espece"
    assert answers[red]["scientific_name"] == "Martes" and answers[red]["rank"] == "genre"  # two martens: genus
    assert answers[red]["crops"] == 4 and answers[red]["count"] == 2  # MaxN: two boxes on the second frame
    out = root / "paquet"
    write_camtrap_dp(analysis, out)
    _validate_camtrap_dp(out)
    rows = _observations(out)
    assert rows[blue]["scientificName"] == "Meles meles" and float(rows[blue]["classificationProbability"]) > 0.99
    assert rows[blue]["classifiedBy"] == "couleur-test" and rows[blue]["classificationMethod"] == "machine"
    assert rows[blue]["count"] == "1" and rows[red]["count"] == "2"
    assert rows[red]["scientificName"] == "Martes" and "genre" in rows[red]["observationComments"]
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    taxa = {t["scientificName"]: t for t in package["taxonomic"]}
    assert taxa["Meles meles"]["taxonID"].endswith("/60636") and taxa["Meles meles"]["taxonRank"] == "species"
    assert taxa["Meles meles"]["vernacularNames"] == {"fra": "Blaireau européen"}
    assert taxa["Martes"]["taxonRank"] == "genus" and "taxonID" not in taxa["Martes"]


def test_below_every_threshold_is_undetermined(classified):
    analysis, card, _, root = classified
    plain = root / "sans_rangs.csv"  # no genus, family or order: nothing to roll up to
    plain.write_text("\n".join(line.rsplit(";", 3)[0] for line in SPECIES_CSV.splitlines()), encoding="utf-8")
    answers = classify_events(analysis, card, species_list=plain, engine="serial", threshold=0.9)
    red, blue = (e.event_id for e in analysis.events)
    assert answers[red]["label"] == "indéterminé" and answers[blue]["label"] == "Meles meles"
    out = root / "indetermine"
    write_camtrap_dp(analysis, out)
    rows = _observations(out)
    assert rows[red]["observationType"] == "animal" and rows[red]["scientificName"] == ""
    assert rows[red]["classificationProbability"] == "" and "indéterminée" in rows[red]["observationComments"]
    assert rows[blue]["scientificName"] == "Meles meles"


def test_max_n_counts_boxes_per_video_frame():
    video = FrameResult("v", detections=[{"label": "animal", "frame": 0}, {"label": "animal", "frame": 1},
                                         {"label": "animal", "frame": 1}, {"label": "human", "frame": 1}])
    assert max_n([video, FrameResult("i", detections=[{"label": "animal"}])]) == 2
    assert max_n([FrameResult("e")]) == 0


def test_analyse_cli_refuses_a_bad_classifier_card(tmp_path, season_dir):
    from typer.testing import CliRunner

    from amorce.biodiversite.cli import app

    (tmp_path / "fiche.json").write_text("{pas du json", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(season_dir), "--out", str(tmp_path / "out"),
                                      "--classifier", str(tmp_path / "fiche.json")])
    assert result.exit_code == 2 and "Fiche de modèle illisible" in result.output
    assert not (tmp_path / "out" / "observations.csv").exists()


@pytest.mark.data
def test_draft_decoding_keeps_the_motion_decision_on_a_real_burst(shared_data):
    """The heron's night burst (Camtrap DP example, 10 real frames, 1920 px): decoded at a reduced
    DCT scale, the motion analysis finds the same event decision and the same main blob."""
    paths = sorted((shared_data / "camtrap_dp_example" / "media").glob("20210531*-RCNX00*.JPG"))[:5]
    assert len(paths) == 5
    full = [reduce(load_frames(p, "image", max_side=1280)[0]) for p in paths]
    drafted = [load_frames(p, "image", min_side=320, max_side=640)[0] for p in paths]
    with Image.open(paths[0]) as original:
        assert max(drafted[0].size) < max(original.size) // 2  # really decoded at a reduced scale
    fast = [reduce(image) for image in drafted]
    decisions = []
    for greys in (full, fast):
        found = motion_boxes(greys)
        decisions.append(decide([FrameResult(str(i), motion=boxes) for i, (boxes, _, _) in enumerate(found)], "motion"))
        biggest = max((b for boxes, _, _ in found for b in boxes), key=lambda b: b["score"])
        decisions.append(tuple(round(biggest[k], 1) for k in ("x", "y")))
    assert decisions[0] == decisions[2] == "unknown"
    assert decisions[1] == decisions[3]


class _ColourDetector:
    """Finds the coloured square of :func:`_frame` (stands in for a real detector)."""

    def detect(self, rgb):
        from amorce.core.vision.types import Box

        ys, xs = np.nonzero(np.abs(rgb.astype(int) - 120).max(axis=2) > 60)
        height, width = rgb.shape[:2]
        if not len(xs):
            return []
        return [Box(xs.min() / width, ys.min() / height, (xs.max() - xs.min() + 1) / width,
                    (ys.max() - ys.min() + 1) / height, 0.9, "animal")]


def test_with_a_classifier_only_the_animal_media_are_decoded_again(tmp_path, monkeypatch):
    """The analysis decodes every media at the detector's size and only those with animal boxes a
    second time, for the crops (most media are empty); a cached re-run gives the same species
    without decoding anything."""
    from amorce.biodiversite import pipeline

    t0 = datetime(2024, 6, 1, 22, 0, 0)
    folder = tmp_path / "SD" / "site_A"
    for i, x in enumerate((0.2, 0.5)):
        save_jpeg(_frame((30, 30, 200), x), folder / f"IMG_{i:04d}.JPG", t0 + timedelta(seconds=i))
    save_jpeg(_frame((120, 120, 120), 0.1), folder / "IMG_0010.JPG", t0 + timedelta(hours=2))  # empty
    (tmp_path / "deployments.csv").write_text("deploymentID,folder\nA1,site_A\n", encoding="utf-8")
    season = scan(tmp_path / "SD", read_deployments(tmp_path / "deployments.csv"))
    card, species = _colour_classifier(tmp_path)
    monkeypatch.setattr(pipeline, "make_detector", lambda spec: _ColourDetector())
    monkeypatch.setattr(pipeline, "_DETECTORS", {})
    opened = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda fp, *a, **k: opened.append(str(fp)) or real_open(fp, *a, **k))
    analysis = analyse_season(season, detector="colour", engine="serial", classifier=card, species_list=species,
                              cache_dir=tmp_path / "cache")
    animal_media = {str(folder / f"IMG_{i:04d}.JPG") for i in range(2)}
    assert sorted(opened) == sorted([str(season.source / m.path) for m in season.media] + sorted(animal_media))
    (blue,) = [e for e in analysis.events if analysis.decisions[e.event_id] == "animal"]
    assert analysis.species[blue.event_id]["scientific_name"] == "Meles meles"
    assert analysis.species[blue.event_id]["crops"] == 2 and analysis.classifier == "couleur-test"
    opened.clear()
    again = analyse_season(season, detector="colour", engine="serial", classifier=card, species_list=species,
                           cache_dir=tmp_path / "cache")
    assert opened == [] and again.cached_partitions == 1 and again.species == analysis.species
