"""Ethical-risk questionnaire (AIA model): raw score, 80 % / 15 % mitigation rule, levels, duties."""

from __future__ import annotations

import pytest

from amorce.core.errors import DataValidationError
from amorce.programme.assessment import DUTIES_FR, QUESTIONS_FR, assess, impact_level

RISKS = [q for q in QUESTIONS_FR if q.kind == "risk"]
MITIGATIONS = [q for q in QUESTIONS_FR if q.kind == "mitigation"]


def answers(risk: str = "min", mitigated: int = 0) -> dict:
    """Lowest or highest risk answers, and ``mitigated`` mitigation questions answered yes."""
    out = {}
    for q in RISKS:
        if q.multiple:
            out[q.code] = [c.code for c in q.choices] if risk == "max" else []
        else:
            pick = max if risk == "max" else min
            out[q.code] = pick(q.choices, key=lambda c: c.points).code
    for i, q in enumerate(MITIGATIONS):
        out[q.code] = "oui" if i < mitigated else "non"
    return out


def test_maximum_scores():
    result = assess(answers("max"))
    assert result.max_impact == 38 and result.raw_impact == 38
    assert result.max_mitigation == 16 and result.mitigation == 0
    assert result.current == 38 and result.level == "IV"


def test_minimum_is_level_one():
    result = assess(answers("min", mitigated=8))
    assert result.raw_impact == 0 and result.current == 0 and result.level == "I"
    assert result.duties == DUTIES_FR["I"]


def test_mitigation_reduces_by_15_percent_from_80_percent():
    # 7 "oui" of 8 = 14/16 = 87.5 % ≥ 80 %: 38 × 0.85 = 32.3 → 32
    strong = assess(answers("max", mitigated=7))
    assert strong.mitigation_applied and strong.current == 32
    # 6 "oui" = 12/16 = 75 % < 80 %: no reduction
    weak = assess(answers("max", mitigated=6))
    assert not weak.mitigation_applied and weak.current == 38
    assert "réduit de 15 %" in strong.to_markdown()


def test_levels_by_percentage_thresholds():
    assert [impact_level(x, 100) for x in (0, 25, 26, 50, 51, 75, 76, 100)] == \
        ["I", "I", "II", "II", "III", "III", "IV", "IV"]
    # 32/38 = 84 % stays at level IV, 28/38 = 74 % would be III
    assert impact_level(32, 38) == "IV" and impact_level(28, 38) == "III"


def test_duties_are_french_and_grow_with_the_level():
    for level in ("I", "II", "III", "IV"):
        themes = [t for t, _ in DUTIES_FR[level]]
        assert themes == ["Examen par les pairs", "Avis au public", "Intervention humaine", "Explication",
                          "Formation", "Plan de continuité", "Approbation"]
    assert "sans intervention humaine" in dict(DUTIES_FR["I"])["Intervention humaine"]
    assert "agent" in dict(DUTIES_FR["IV"])["Intervention humaine"]
    data = assess(answers("max")).to_dict()
    assert data["level"] == "IV" and data["percentage"] == 100.0 and len(data["duties"]) == 7


def test_incomplete_or_invalid_answers_are_all_reported():
    partial = answers("min")
    del partial["R1"]
    partial["R2"] = "peut-être"
    partial["R5"] = ["droits", "inconnu"]
    partial["Z9"] = "oui"
    with pytest.raises(DataValidationError) as info:
        assess(partial)
    columns = sorted(p.column for p in info.value.problems)
    assert columns == ["R1", "R2", "R5", "Z9"]
    assert "Questionnaire d'impact incomplet" in info.value.message
