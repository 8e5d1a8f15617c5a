"""``amorce biodiversite evaluate`` on a small real subset: the report's structure and real figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from amorce.biodiversite import evaluate
from amorce.biodiversite.cli import app
from amorce.core.vision import VisionError, yolox

pytestmark = pytest.mark.data
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def models():
    """The embedded detector's weights (skipped without them: ``amorce modeles installer``)."""
    try:
        yolox.weights_path()
    except VisionError as exc:
        installed = REPOSITORY / "var" / "models"  # where `make install` puts them
        if not (installed / yolox.WEIGHTS_FILE).is_file():
            pytest.skip(exc.message)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("AMORCE_MODELS_DIR", str(installed))
            yield
        return
    yield


@pytest.fixture(scope="module")
def result(shared_data, models, tmp_path_factory):
    """The heron's real night burst and its empty crop sequence (10 + 10 real frames, 1024 px)."""
    return evaluate.run_evaluation(shared_data, tmp_path_factory.mktemp("work"),
                                   sources=["camtrapdp", "camtrapdp-crops"])


def test_report_structure_and_figures(result):
    assert set(result["strategies"]) == {"detector", "motion", "both", "plain"}
    assert set(result["breakdown"]) == set(evaluate.BREAKDOWNS)
    cases = {c["event_id"]: c for c in result["cases"]}
    heron, crops = cases["camtrapdp/7245a2aa"], cases["camtrapdp-crops/7245a2aa"]
    assert (heron["truth"], heron["frames"], heron["light"], heron["kind"]) == ("animal", 10, "night", "séquence")
    assert (crops["truth"], crops["frames"], crops["origin"]) == ("blank", 10, "généré")
    # the detector finds the real heron; motion finds nothing in the real frames cropped away from it
    assert heron["decisions"]["detector"] == "animal" and heron["best_score"] >= 0.25
    assert crops["decisions"]["motion"] == "blank" and crops["decisions"]["both"] == "blank"
    both = result["strategies"]["both"]
    assert (both["animal_events"], both["animal_kept"], both["blank_frames"]) == (1, 1, 10)
    assert both["blank_removed_share"] == both["blank_frames_removed"] / 10
    assert result["breakdown"]["light"]["night"]["detector"]["animal_kept"] == 1
    assert "fenêtre fixe" in result["generated"][0]


def test_free_window_avoids_every_box():
    boxes = [(0.0, 0.5, 1.0, 0.5)]  # the whole lower half is taken
    x, y, side = evaluate.free_window(boxes)
    assert y + side <= 0.5 - evaluate.MARGIN + 1e-9 and side >= 0.3
    assert evaluate.free_window([(0.0, 0.0, 1.0, 1.0)]) is None


def test_bad_source_is_a_clear_error(shared_data, models):
    out = CliRunner().invoke(app, ["evaluate", "--sources", "camtrapdp,inconnu", "--donnees", str(shared_data)])
    assert out.exit_code == 2 and "inconnu" in out.output and "Traceback" not in out.output
