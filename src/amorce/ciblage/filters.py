"""Filters of the ranked list: one definition for the page (its form) and the API (query parameters).

:class:`RankedFilter` is a django-ninja ``FilterSchema``; a ranked list is a CSV file read as a
DataFrame, not a queryset, so its :meth:`~RankedFilter.filter` applies the same filters to the frame.
Page and API take the same query parameters: ``department``, ``activity``, ``team``, ``q`` and
``score_min`` (the labels users read are French, in :data:`LABELS`). :class:`RankedRows` gives the
rows of a filtered list lazily, so that the page's paginator and the API's pagination only convert
the rows of one page.
"""

from __future__ import annotations

from ninja import Field, FilterSchema

from .errors import CiblageError

CHOICE_FILTERS = ("department", "activity", "team")  # a value chosen among those of the list (a column)
LABELS = {"department": "Département", "activity": "Activité", "team": "Équipe", "q": "Nom ou identifiant",
          "score_min": "Probabilité minimale (de 0 à 1)"}
ROW_ATTRIBUTES = ("name", "department", "activity", "team")


class RankedFilter(FilterSchema):
    department: str | None = Field(None, description=LABELS["department"])
    activity: str | None = Field(None, description=LABELS["activity"])
    team: str | None = Field(None, description=LABELS["team"])
    q: str | None = Field(None, max_length=100, description="Texte cherché dans l'identifiant ou le nom")
    score_min: float | None = Field(None, ge=0, le=1, description=LABELS["score_min"])

    def filter(self, frame):
        """The rows of the ranked list ``frame`` (strings, as read from its CSV) that pass the filters."""
        for key in CHOICE_FILTERS:
            value = getattr(self, key)
            if value:
                if key not in frame:
                    raise CiblageError(f"Ce classement n'a pas de colonne « {key} » : filtre « {key} » impossible.")
                frame = frame[frame[key] == value]
        text = (self.q or "").strip().lower()
        if text:
            match = frame["establishment_id"].str.lower().str.contains(text, regex=False)
            if "name" in frame:
                match |= frame["name"].str.lower().str.contains(text, regex=False)
            frame = frame[match]
        if self.score_min is not None:
            frame = frame[frame["score"].astype(float) >= self.score_min]
        return frame


class RankedRows:
    """The rows of a ranked list as dicts (rank, score, reasons as a list, attributes), converted
    only for the slice asked for."""

    def __init__(self, frame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index: slice) -> list[dict]:
        return [_row(r) for r in self.frame.iloc[index].to_dict("records")]


def _row(r: dict) -> dict:
    return {"establishment_id": r["establishment_id"], "rank": int(r["rank"]), "score": float(r["score"]),
            "reasons": [p.strip() for p in str(r["reasons"]).split(" ; ") if p.strip()],
            **{c: r.get(c, "") for c in ROW_ATTRIBUTES}}
