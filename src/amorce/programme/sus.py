"""System Usability Scale (Brooke, 1996) and task success for user-test campaigns.

Ten statements answered from 1 (pas du tout d'accord) to 5 (tout à fait d'accord). Odd items are
positive (contribution = answer − 1), even items negative (contribution = 5 − answer); the sum of
contributions (0–40) × 2.5 gives a score from 0 to 100. A campaign reports the mean score with a
Student t confidence interval, and the task success rate with a Wilson interval.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amorce.core.errors import ValidationReport

# French wording commonly used for the SUS (adaptation of Brooke's statements).
ITEMS_FR: tuple[str, ...] = (
    "Je pense que j'aimerais utiliser ce système fréquemment.",
    "J'ai trouvé ce système inutilement complexe.",
    "J'ai trouvé ce système facile à utiliser.",
    "Je pense que j'aurais besoin de l'aide d'un technicien pour pouvoir utiliser ce système.",
    "J'ai trouvé que les différentes fonctions de ce système étaient bien intégrées.",
    "J'ai trouvé qu'il y avait trop d'incohérences dans ce système.",
    "J'imagine que la plupart des gens apprendraient très rapidement à utiliser ce système.",
    "J'ai trouvé ce système très lourd à utiliser.",
    "Je me suis senti(e) très en confiance en utilisant ce système.",
    "J'ai eu besoin d'apprendre beaucoup de choses avant de pouvoir utiliser ce système.",
)


def validate_answers(answers: Sequence[Any], *, report: ValidationReport | None = None,
                     line: int | None = None) -> ValidationReport:
    """Ten integer answers from 1 to 5; every problem is reported."""
    report = report if report is not None else ValidationReport()
    if len(answers) != 10:
        report.add(f"{len(answers)} réponses au lieu de 10", line=line, expected="10 réponses de 1 à 5")
        return report
    for i, value in enumerate(answers, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            report.add("réponse invalide", line=line, column=f"q{i}", value=value, expected="un entier de 1 à 5")
    return report


def sus_score(answers: Sequence[int]) -> float:
    """SUS score (0–100) of one questionnaire."""
    validate_answers(answers).raise_if_any("Questionnaire SUS invalide")
    total = sum((a - 1) if i % 2 == 0 else (5 - a) for i, a in enumerate(answers))
    return total * 2.5


def _t_quantile(level: float, df: int) -> float:
    from scipy.stats import t

    return float(t.ppf(0.5 + level / 2, df))


@dataclass
class CampaignSummary:
    count: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    median: float | None
    grade: str
    scores: list[float]

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "median": self.median, "grade": self.grade, "scores": self.scores}


def grade(mean: float) -> str:
    """Adjective rating of a mean SUS score (Bangor, Kortum & Miller 2009), in French."""
    for bound, label in ((85, "excellent"), (72, "bon"), (52, "correct"), (38, "médiocre")):
        if mean >= bound:
            return label
    return "mauvais"


def summarise(questionnaires: Iterable[Sequence[int]], *, confidence: float = 0.95) -> CampaignSummary:
    """Mean SUS score of a campaign with a Student t confidence interval."""
    report = ValidationReport()
    items = list(questionnaires)
    for number, answers in enumerate(items, start=1):
        validate_answers(answers, report=report, line=number)
    report.raise_if_any("Questionnaires SUS invalides")
    scores = [sus_score(a) for a in items]
    if not scores:
        return CampaignSummary(0, None, None, None, None, "—", [])
    mean = statistics.fmean(scores)
    if len(scores) >= 2:
        half = _t_quantile(confidence, len(scores) - 1) * statistics.stdev(scores) / math.sqrt(len(scores))
        low, high = max(0.0, mean - half), min(100.0, mean + half)
    else:
        low = high = None
    return CampaignSummary(len(scores), mean, low, high, statistics.median(scores), grade(mean), scores)


@dataclass
class TaskSuccess:
    successes: int
    attempts: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


def task_success(outcomes: Iterable[bool], *, confidence: float = 0.95) -> TaskSuccess:
    """Share of successful task attempts with a Wilson score interval."""
    values = list(outcomes)
    n, k = len(values), sum(1 for v in values if v)
    if n == 0:
        return TaskSuccess(0, 0, None, None, None)
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return TaskSuccess(k, n, p, max(0.0, centre - half), min(1.0, centre + half))


def task_success_by_task(rows: Iterable[Mapping[str, Any]]) -> dict[str, TaskSuccess]:
    """Success rate per task from rows ``{"task": …, "success": bool}``."""
    grouped: dict[str, list[bool]] = {}
    for row in rows:
        grouped.setdefault(str(row["task"]), []).append(bool(row["success"]))
    return {task: task_success(values) for task, values in sorted(grouped.items())}


def read_sus_csv(path: str | Path) -> list[list[int]]:
    """Read questionnaires from a CSV with columns q1…q10 (one respondent per line); all errors at once."""
    from amorce.core.files import read_csv_rows

    columns = tuple(f"q{i}" for i in range(1, 11))
    rows = read_csv_rows(path, required=columns)
    report = ValidationReport(file=str(path))
    out = []
    for row in rows:
        answers: list[Any] = []
        for column in columns:
            raw = row.get(column) or ""
            try:
                answers.append(int(raw))
            except ValueError:
                answers.append(raw)
        validate_answers(answers, report=report, line=row["__line__"])
        out.append(answers)
    report.raise_if_any("Fichier de questionnaires SUS invalide")
    return out
