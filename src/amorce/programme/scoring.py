"""Jury scores: criteria with weights and scale, per-criterion averages, weighted score, disagreements.

The weighted score of a dossier is ``Σ wᵢ · mᵢ / Σ wᵢ`` rescaled to 20 points, where ``mᵢ`` is the
average of the jurors' marks on criterion ``i`` (scale ``0..scale_max``). This is the ``score``
column that the selection maximises.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from amorce.core.errors import ValidationReport

SCORE_SCALE = 20.0


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    weight: float = 1.0
    scale_max: float = 5.0
    description: str = ""


# The five criteria of the 2018 call « Programme d'amorçage … intelligence artificielle ».
# The call did not publish weights: equal weights are the default, editable per call.
CRITERIA_2018: tuple[Criterion, ...] = (
    Criterion("benefices", "Bénéfices potentiels internes et externes pour l'action publique", 1.0),
    Criterion("pertinence", "Pertinence technique", 1.0),
    Criterion("equipe", "Composition de l'équipe d'agents publics", 1.0),
    Criterion("donnees", "Existence et accessibilité des données nécessaires", 1.0),
    Criterion("ethique", "Prise en compte des risques éthiques", 1.0),
)


def validate_marks(marks: Mapping[str, float], criteria: Sequence[Criterion], *,
                   report: ValidationReport | None = None, line: int | None = None) -> ValidationReport:
    """Check that every criterion has a mark within its scale (French problems, all at once)."""
    report = report if report is not None else ValidationReport()
    for criterion in criteria:
        value = marks.get(criterion.code)
        if value is None:
            report.add("note manquante", line=line, column=criterion.label,
                       expected=f"une note de 0 à {criterion.scale_max:g}")
        elif not isinstance(value, int | float) or not math.isfinite(value) or not 0 <= value <= criterion.scale_max:
            report.add("note hors échelle", line=line, column=criterion.label, value=value,
                       expected=f"une note de 0 à {criterion.scale_max:g}")
    unknown = set(marks) - {c.code for c in criteria}
    for code in sorted(unknown):
        report.add("critère inconnu", line=line, column=code, expected=", ".join(c.code for c in criteria))
    return report


def average_marks(jurors: Sequence[Mapping[str, float]], criteria: Sequence[Criterion]) -> dict[str, float]:
    """Mean of the jurors' marks per criterion (every juror must mark every criterion)."""
    report = ValidationReport()
    if not jurors:
        report.add("aucune note de juré", expected="au moins un juré")
    for number, marks in enumerate(jurors, start=1):
        validate_marks(marks, criteria, report=report, line=number)
    report.raise_if_any("Notes du jury invalides")
    return {c.code: statistics.fmean(m[c.code] for m in jurors) for c in criteria}


def weighted_score(marks: Mapping[str, float], criteria: Sequence[Criterion]) -> float:
    """Weighted average of the marks, rescaled to 20 points."""
    validate_marks(marks, criteria).raise_if_any("Notes invalides")
    total_weight = math.fsum(c.weight for c in criteria)
    if total_weight <= 0:
        raise ValueError("the weights must not all be zero")
    return math.fsum(c.weight * marks[c.code] / c.scale_max for c in criteria) / total_weight * SCORE_SCALE


def contributions(marks: Mapping[str, float], criteria: Sequence[Criterion]) -> dict[str, float]:
    """Points (out of 20) that each criterion brings to the weighted score."""
    total_weight = math.fsum(c.weight for c in criteria)
    return {c.code: c.weight * marks[c.code] / c.scale_max / total_weight * SCORE_SCALE for c in criteria}


def disagreements(jurors: Sequence[Mapping[str, float]], criteria: Sequence[Criterion], *,
                  threshold: float = 0.4) -> list[str]:
    """Criteria on which the jurors' marks spread by at least ``threshold`` × scale (to discuss)."""
    out = []
    for c in criteria:
        values = [m[c.code] for m in jurors if c.code in m]
        if len(values) >= 2 and max(values) - min(values) >= threshold * c.scale_max:
            out.append(c.code)
    return out
