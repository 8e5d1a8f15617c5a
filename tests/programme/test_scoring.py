"""Jury marks: averages, weighted score on 20, contributions, disagreement flags, validation."""

from __future__ import annotations

import pytest

from amorce.core.errors import DataValidationError
from amorce.programme.scoring import (
    CRITERIA_2018,
    Criterion,
    average_marks,
    contributions,
    disagreements,
    weighted_score,
)

CRITERIA = [Criterion("a", "Impact", weight=2), Criterion("b", "Technique", weight=1, scale_max=10)]


def test_weighted_score_on_twenty_and_contributions():
    marks = {"a": 5, "b": 5}  # a: full marks (weight 2), b: half marks (weight 1)
    assert weighted_score(marks, CRITERIA) == pytest.approx((2 * 1 + 1 * 0.5) / 3 * 20)
    parts = contributions(marks, CRITERIA)
    assert sum(parts.values()) == pytest.approx(weighted_score(marks, CRITERIA))
    assert weighted_score(dict.fromkeys((c.code for c in CRITERIA_2018), 5), CRITERIA_2018) == 20


def test_average_marks_and_disagreements():
    jurors = [{"a": 1, "b": 9}, {"a": 4, "b": 8}, {"a": 4, "b": 10}]
    assert average_marks(jurors, CRITERIA) == {"a": 3, "b": 9}
    assert disagreements(jurors, CRITERIA) == ["a"]  # spread 3 ≥ 0.4 × 5; b spread 2 < 0.4 × 10
    assert disagreements(jurors, CRITERIA, threshold=0.2) == ["a", "b"]


def test_invalid_marks_are_all_reported():
    with pytest.raises(DataValidationError) as info:
        average_marks([{"a": 6, "b": 3}, {"a": 2, "z": 1}], CRITERIA)
    found = sorted((p.line, p.column) for p in info.value.problems)
    assert found == [(1, "Impact"), (2, "Technique"), (2, "z")]
    with pytest.raises(DataValidationError, match="aucune note"):
        average_marks([], CRITERIA)
