"""Services of the targeting pages and API (Django allowed, no HTTP): what a page and its API
endpoint both need, computed once, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from amorce.core.transparency import CrpaExplanation

from .models import ScoreList


@dataclass
class ScoreExplanation:
    """Everything the explanation page and its API endpoint show for one establishment's score."""

    establishment_id: str
    row: dict  # the establishment's row of the ranked list (strings)
    score: float
    rank: int
    total: int
    contributions: list[dict]  # :func:`amorce.ciblage.explain.shown_contributions`, strongest first
    base_value: float
    planning_contribution: float  # sum of the planning variables' contributions (never shown as reasons)
    sheet: CrpaExplanation


def explain_score(scores: ScoreList, establishment_id: str) -> ScoreExplanation | None:
    """The exact Shapley contributions and the CRPA sheet of one establishment of a ranked list
    (``None`` when it is not in the list). The contributions are computed once and feed both the
    shown list and the sheet."""
    from . import explain

    frame = scores.frame()
    row = frame[frame["establishment_id"] == establishment_id]
    if not len(row):
        return None
    model = scores.model.load()
    x_row, contrib = explain.explain_establishment(model, scores.model.dataset.load(), establishment_id,
                                                   scores.as_of)
    score, rank = float(row["score"].iloc[0]), int(row["rank"].iloc[0])
    contributions = explain.shown_contributions(x_row, contrib)
    sheet = explain.crpa_explanation(model, x_row, contrib, establishment_id=establishment_id, score=score,
                                     rank=rank, total=len(frame), as_of=scores.as_of.isoformat(),
                                     contributions=contributions)
    return ScoreExplanation(establishment_id=establishment_id, row=row.iloc[0].to_dict(), score=score, rank=rank,
                            total=len(frame), contributions=contributions, base_value=float(contrib[-1]),
                            planning_contribution=explain.planning_contribution(x_row, contrib), sheet=sheet)
