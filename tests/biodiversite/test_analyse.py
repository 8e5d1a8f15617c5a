from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from amorce.biodiversite.filtering import FrameResult, decide, is_timelapse, reduce, suppress_repeated
from amorce.biodiversite.formats import (
    SCHEMA_DIR,
    megadetector_json,
    read_megadetector,
    write_camtrap_dp,
    write_coco,
)
from amorce.biodiversite.ingest import scan
from amorce.biodiversite.pipeline import analyse_season

from .samples import scene


def _validate_camtrap_dp(folder: Path) -> None:
    """Validate a written package against the vendored official Camtrap DP 1.0.2 schemas: the
    profile with jsonschema (its remote sub-schemas, Data Package and GeoJSON, are left open:
    frictionless checks the Data Package itself), each table with frictionless."""
    import frictionless
    import jsonschema

    def local(node):
        if isinstance(node, dict):
            return {} if "$ref" in node and str(node["$ref"]).startswith("http") else {k: local(v) for k, v in node.items()}
        if isinstance(node, list):
            return [local(v) for v in node]
        return node

    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    profile = local(json.loads((SCHEMA_DIR / "camtrap-dp-profile.json").read_text(encoding="utf-8")))
    errors = [e.message for e in jsonschema.Draft4Validator(profile).iter_errors(package)]
    assert not errors, errors
    for resource in package["resources"]:
        resource["schema"] = json.loads((SCHEMA_DIR / f"{resource['name']}-table-schema.json").read_text(encoding="utf-8"))
    package.pop("profile")
    report = frictionless.Package(package, basepath=str(folder)).validate()
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:10]


def test_brightness_jump_is_not_motion_but_an_animal_is(season_dir):
    season = scan(season_dir)
    analysis = analyse_season(season, engine="serial")
    by_first = {e.media[0].path.rsplit("/", 1)[-1]: analysis.decisions[e.event_id] for e in analysis.events
                if e.deployment_id == "site_A/cam1/visite1"}
    assert by_first["IMG_0000.JPG"] == "unknown"  # the moving blob: something is there
    assert by_first["IMG_0010.JPG"] == "blank"  # the same scene lit 0.7× to 1.4×: no motion
    assert by_first["IMG_0020.JPG"] == "blank"  # single frame compared with the deployment's background
    # the plain image-difference baseline calls the lighting jump motion
    lit = next(e for e in analysis.events if e.media[0].path.endswith("IMG_0010.JPG"))
    plain = decide([analysis.results[m.media_id] for m in lit.media], "plain")
    assert plain == "unknown"


def test_info_bar_and_exclusion_mask_hide_changes():
    still, moved = scene(4), scene(4, animal_at=(0.6, 0.0))
    masked = [reduce(im, [(0.5, 0.0, 0.5, 0.4)]) for im in (still, moved, still)]
    open_ = [reduce(im) for im in (still, moved, still)]
    from amorce.biodiversite.filtering import motion_boxes

    assert any(boxes for boxes, _, _ in motion_boxes(open_))
    assert not any(boxes for boxes, _, _ in motion_boxes(masked))


def test_repeated_place_is_suppressed_and_decisions_follow_labels():
    stump = {"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2, "score": 0.01}
    moving = {"x": 0.6, "y": 0.5, "w": 0.2, "h": 0.2, "score": 0.02}
    events = {f"e{i}": [FrameResult(f"m{i}", motion=[dict(stump)] + ([dict(moving)] if i == 0 else []))]
              for i in range(6)}
    assert suppress_repeated(events) == 6
    assert [decide(r) for r in events.values()] == ["unknown"] + ["blank"] * 5
    person = FrameResult("p", detections=[{"x": 0, "y": 0, "w": 1, "h": 1, "score": 0.9, "label": "human"},
                                          {"x": 0, "y": 0, "w": 1, "h": 1, "score": 0.9, "label": "animal"}])
    assert decide([person]) == "human" and decide([person], "motion") == "blank"
    assert decide([FrameResult("x", error="OSError")]) == "unclassified"


def test_timelapse_detection():
    t0 = datetime(2024, 1, 1)
    assert is_timelapse([t0 + timedelta(minutes=30 * i) for i in range(20)])
    assert not is_timelapse([t0 + timedelta(seconds=i * i * 7) for i in range(20)])


def test_camtrap_dp_package_is_valid_and_links_events(season_dir, tmp_path):
    from amorce.biodiversite.formats import missing_coordinates
    from amorce.biodiversite.ingest import read_deployments

    assert missing_coordinates(analyse_season(scan(season_dir), engine="serial")) == [
        "site_A/cam1/visite1", "site_B/cam2/visite1"]
    csv_path = tmp_path / "deployments.csv"
    csv_path.write_text("deploymentID,latitude,longitude,folder,clockOffsetSeconds\n"
                        "A1,45.1,6.2,site_A,0\nB2,45.2,6.3,site_B,769046395\n", encoding="utf-8")
    analysis = analyse_season(scan(season_dir, read_deployments(csv_path)), engine="serial")
    assert missing_coordinates(analysis) == []
    out = tmp_path / "out"
    write_camtrap_dp(analysis, out)
    _validate_camtrap_dp(out)
    with (out / "observations.csv").open(encoding="utf-8") as handle:
        observations = list(csv.DictReader(handle))
    with (out / "media.csv").open(encoding="utf-8") as handle:
        media = list(csv.DictReader(handle))
    assert len(observations) == len(analysis.events)
    assert {o["observationLevel"] for o in observations} == {"event"}
    assert {o["eventID"] for o in observations} == {e.event_id for e in analysis.events}
    assert all((season_dir / m["filePath"]).exists() for m in media)
    assert {o["observationType"] for o in observations} <= {"animal", "human", "vehicle", "blank", "unknown", "unclassified"}


def test_megadetector_and_coco_outputs(season_dir, tmp_path):
    analysis = analyse_season(scan(season_dir), engine="serial")
    data = megadetector_json(analysis)
    assert data["info"]["format_version"] == "1.6" and data["detection_categories"]["2"] == "person"
    moving = [i for i in data["images"] if i["file"].endswith("IMG_0001.JPG") and "site_A" in i["file"]][0]
    x, y, w, h = moving["detections"][0]["bbox"]
    assert 0 <= x <= 1 and 0 < w <= 1 and 0 <= y <= 1 and 0 < h <= 1
    (tmp_path / "md.json").write_text(json.dumps(data), encoding="utf-8")
    back = read_megadetector(tmp_path / "md.json", threshold=0.0)
    assert back[moving["file"]][0]["x"] == pytest.approx(x)
    coco = json.loads(write_coco(analysis, tmp_path)[0].read_text(encoding="utf-8"))
    assert len(coco["images"]) == len(analysis.season.media)
    assert {i["seq_id"] for i in coco["images"]} == {e.event_id for e in analysis.events}


def test_real_megadetector_v5_output_is_imported(shared_data):
    boxes = read_megadetector(shared_data / "camera_traps/ena24_small/md_annotations.json", threshold=0.8)
    failures = boxes.pop("__failures__")
    assert failures == [] and len(boxes) == 21
    assert sum(1 for found in boxes.values() if any(b["label"] == "animal" for b in found)) >= 18
    assert all(0 <= b["x"] <= 1 and 0 < b["w"] <= 1 for found in boxes.values() for b in found)


def test_camtrap_dp_example_night_burst_is_one_event(shared_data, tmp_path):
    from amorce.biodiversite.formats import read_camtrap_dp

    season, notes = read_camtrap_dp(shared_data / "camtrap_dp_example")
    assert len(season.media) == 10 and "413" in notes[0]
    analysis = analyse_season(season, engine="serial")
    assert len(analysis.events) == 1 and analysis.decisions[analysis.events[0].event_id] == "unknown"
    write_camtrap_dp(analysis, tmp_path)
    _validate_camtrap_dp(tmp_path)


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "amorce.cli", "biodiversite", *args], capture_output=True, text=True,
                          cwd=cwd, env={**__import__("os").environ, "AMORCE_ENGINE": "serial"}, timeout=240)


def test_cli_analyse_resumes_from_its_cache_and_refuses_bad_input(season_dir, tmp_path):
    out = tmp_path / "sortie"
    first = _cli("analyse", str(season_dir), "--out", str(out), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["media"] == 10 and summary["cached_partitions"] == 0
    assert summary["skipped_files"] and "IMG_0003.JPG" in summary["skipped_files"][0]
    again = json.loads(_cli("analyse", str(season_dir), "--out", str(out), "--json").stdout)
    assert again["cached_partitions"] == 2 and again["observation_types"] == summary["observation_types"]
    bad = tmp_path / "deploiements.csv"
    bad.write_text("deploymentID,latitude\nA,nord\n", encoding="utf-8")
    refused = _cli("analyse", str(season_dir), "--out", str(tmp_path / "x"), "--deployments", str(bad))
    assert refused.returncode == 2 and "deploiements.csv" in refused.stderr and "ligne 2" in refused.stderr
    (tmp_path / "fichier").write_text("x")
    assert _cli("analyse", str(season_dir), "--out", str(tmp_path / "fichier")).returncode == 2
    unknown = _cli("analyse", str(season_dir), "--out", str(out), "--detector", "yolo")
    assert unknown.returncode == 2 and "Détecteur inconnu" in unknown.stderr
