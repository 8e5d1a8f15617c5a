"""System Usability Scale: item scoring, validation, campaign mean with CI, task success (Wilson)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amorce.core.errors import DataValidationError
from amorce.programme.sus import ITEMS_FR, grade, read_sus_csv, summarise, sus_score, task_success


def test_item_scoring():
    assert sus_score([3] * 10) == 50
    assert sus_score([5, 1] * 5) == 100
    assert sus_score([1, 5] * 5) == 0
    # odd items: 3+4+3+4+3, even items: 3+4+3+3+4 → 34 × 2.5
    assert sus_score([4, 2, 5, 1, 4, 2, 5, 2, 4, 1]) == 85
    assert len(ITEMS_FR) == 10


def test_invalid_answers_are_all_reported():
    with pytest.raises(DataValidationError) as info:
        sus_score([0, 2, 6, 1, True, 2, "4", 2, 4, 1])
    assert sorted(p.column for p in info.value.problems) == ["q1", "q3", "q5", "q7"]
    with pytest.raises(DataValidationError, match="9 réponses au lieu de 10"):
        sus_score([3] * 9)


def test_campaign_mean_and_student_interval():
    forms = [[3] * 10, [4, 2, 5, 1, 4, 2, 5, 2, 4, 1], [5, 1] * 5, [4, 2] * 5, [2, 3] * 5]
    summary = summarise(forms)
    scores = [50, 85, 100, 75, 37.5]
    assert summary.scores == scores and summary.mean == pytest.approx(69.5)
    half = 2.7764451 * statistics.stdev(scores) / 5 ** 0.5  # t(0.975, 4 ddl)
    assert summary.ci_low == pytest.approx(69.5 - half, abs=1e-4)
    assert summary.ci_high == pytest.approx(min(100, 69.5 + half), abs=1e-4)
    assert summary.grade == "correct" and grade(86) == "excellent" and grade(20) == "mauvais"
    assert summarise([]).count == 0


def test_task_success_wilson_interval():
    result = task_success([True] * 8 + [False] * 2)
    assert result.rate == 0.8
    assert result.ci_low == pytest.approx(0.4902, abs=1e-3) and result.ci_high == pytest.approx(0.9433, abs=1e-3)
    assert task_success([]).rate is None


def test_csv_and_cli(tmp_path: Path):
    from amorce.programme.cli import app

    good = tmp_path / "sus.csv"
    good.write_text("q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n3,3,3,3,3,3,3,3,3,3\n5,1,5,1,5,1,5,1,5,1\n", encoding="utf-8")
    assert [sus_score(a) for a in read_sus_csv(good)] == [50, 100]
    tasks = tmp_path / "taches.csv"
    tasks.write_text("task,success\nDéposer un dossier,oui\nDéposer un dossier,non\nSuivre,oui\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sus", "--answers", str(good), "--tasks", str(tasks), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mean"] == 75 and data["tasks"]["Déposer un dossier"]["rate"] == 0.5
    bad = tmp_path / "bad.csv"
    bad.write_text("q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n3,3,3,3,3,3,3,3,3,x\n3,3,3,3,3,3,3,3,3,9\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_sus_csv(bad)
    assert [(p.line, p.column) for p in info.value.problems] == [(2, "q10"), (3, "q10")]
