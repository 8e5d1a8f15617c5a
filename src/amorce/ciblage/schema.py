"""Canonical data model of inspection targeting: establishments, inspections, complaints, context.

Every importer (canonical CSV, Alim'confiance exports, Chicago evaluation data) produces a
:class:`History`. All dates are calendar days (``datetime64[ns]`` at midnight). A scoring date
``as_of`` means "at the start of that day": only rows dated strictly before ``as_of`` are visible.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Outcome vocabulary: canonical French label -> severity (0 best, 3 worst). Aliases are matched
# after accent/case/punctuation normalisation (see :func:`normalise_label`).
OUTCOMES: dict[str, int] = {
    "Très satisfaisant": 0,
    "Satisfaisant": 1,
    "A améliorer": 2,
    "A corriger de manière urgente": 3,
}
SEVERITY_LABELS = {v: k for k, v in OUTCOMES.items()}
_ALIASES: dict[str, int] = {
    "conforme": 0, "pass": 0, "0": 0,
    "conforme avec remarques": 1, "pass w conditions": 1, "pass with conditions": 1, "1": 1,
    "non conforme": 2, "fail": 2, "2": 2,
    "non conforme grave": 3, "fermeture": 3, "fermeture administrative": 3, "3": 3,
}


def normalise_label(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


OUTCOME_LOOKUP: dict[str, int] = {normalise_label(k): v for k, v in OUTCOMES.items()}
OUTCOME_LOOKUP.update(_ALIASES)
OUTCOMES_EXPECTED = ", ".join(f"« {k} »" for k in OUTCOMES) + " (ou conforme / non conforme / pass / fail)"


def outcome_severity(label: str) -> int | None:
    """Severity 0..3 of an outcome label, or None when the label is unknown."""
    return OUTCOME_LOOKUP.get(normalise_label(label))


def department_of(postcode: str | None) -> str:
    """French département from a postcode (2A/2B for Corsica, 3 digits overseas)."""
    if postcode is None:
        return ""
    code = "".join(c for c in str(postcode) if c.isdigit())
    if len(code) == 4:  # leading zero lost by a spreadsheet
        code = "0" + code
    if len(code) != 5:
        return ""
    if code.startswith("97") or code.startswith("98"):
        return code[:3]
    if code.startswith("20"):
        return "2A" if code[:3] in ("200", "201") else "2B"
    return code[:2]


#: The history formats the importers read, with their French names (the upload form, model cards).
FORMAT_LABELS = {"canonical": "Format canonique (inspections, établissements…)",
                 "alimconfiance": "Exports Alim'confiance",
                 "chicago": "Données d'évaluation de la Ville de Chicago",
                 "synthetique": "historique généré"}

ESTABLISHMENT_COLUMNS = ["establishment_id", "name", "address", "postcode", "commune", "department",
                         "activity", "size", "siret", "team", "latitude", "longitude", "opened_on"]
INSPECTION_COLUMNS = ["inspection_id", "establishment_id", "date", "outcome", "severity", "adverse",
                      "critical_violations", "inspector", "source"]


def empty_establishments() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in ESTABLISHMENT_COLUMNS})
    df["opened_on"] = pd.Series(dtype="datetime64[ns]")
    return df.set_index("establishment_id")


@dataclass
class History:
    """Everything known about establishments and their inspections.

    * ``establishments``: index ``establishment_id``; columns of :data:`ESTABLISHMENT_COLUMNS`
      plus extra attribute columns (names listed in ``attributes``).
    * ``inspections``: ``inspection_id, establishment_id, date, outcome, severity (0..3),
      adverse (bool: the event to find), critical_violations (float, NaN if unknown),
      inspector, source`` — sorted by establishment then date.
    * ``complaints``: ``establishment_id, date`` (optional).
    * ``context``: ``establishment_id, date`` + numeric columns (listed in ``context_columns``),
      a value being known from its date on (optional).
    """

    establishments: pd.DataFrame
    inspections: pd.DataFrame
    complaints: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"establishment_id": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")}))
    context: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"establishment_id": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")}))
    attributes: list[str] = field(default_factory=list)
    context_columns: list[str] = field(default_factory=list)
    format: str = "canonical"
    sources: list[str] = field(default_factory=list)
    target_description: str = "inspection dont le résultat est « A améliorer » ou pire"

    def __post_init__(self) -> None:
        self.inspections = self.inspections.sort_values(
            ["establishment_id", "date", "inspection_id"], kind="stable").reset_index(drop=True)
        if "first_seen" not in self.establishments.columns:
            self.establishments["first_seen"] = pd.Series(dtype="datetime64[ns]")
        firsts = [self.inspections.groupby("establishment_id")["date"].min()]
        if len(self.complaints):
            firsts.append(self.complaints.groupby("establishment_id")["date"].min())
        first = pd.concat(firsts, axis=1).min(axis=1) if firsts else pd.Series(dtype="datetime64[ns]")
        missing = first.index.difference(self.establishments.index)
        if len(missing):
            extra = pd.DataFrame(index=pd.Index(missing, name="establishment_id"))
            self.establishments = pd.concat([self.establishments, extra])
        self.establishments["first_seen"] = first.reindex(self.establishments.index)

    @property
    def period(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        if not len(self.inspections):
            return None, None
        return self.inspections["date"].min(), self.inspections["date"].max()

    def known_at(self, as_of) -> pd.Index:
        """Establishments known at the start of ``as_of``: with a dated row before ``as_of``, or listed
        in an establishments register (``registered``) and not opened after ``as_of``."""
        return self.establishments.index[self.known_mask(as_of)]

    def known_mask(self, as_of) -> np.ndarray:
        """Boolean mask over ``establishments`` of :meth:`known_at`."""
        as_of = pd.Timestamp(as_of)
        est = self.establishments
        opened = est["opened_on"] if "opened_on" in est.columns else pd.Series(pd.NaT, index=est.index)
        registered = (est["registered"].fillna(False).astype(bool) if "registered" in est.columns
                      else pd.Series(False, index=est.index))
        first = est["first_seen"]
        known = (first < as_of) | (registered & (opened.isna() | (opened < as_of))) \
            | (first.isna() & opened.isna())
        return known.to_numpy(dtype=bool)

    def before(self, as_of) -> History:
        """A copy restricted to rows dated strictly before ``as_of`` (for point-in-time work)."""
        as_of = pd.Timestamp(as_of)
        keep = self.known_at(as_of)
        return History(
            establishments=self.establishments.loc[keep].drop(columns=["first_seen"]),
            inspections=self.inspections[self.inspections["date"] < as_of],
            complaints=self.complaints[self.complaints["date"] < as_of],
            context=self.context[self.context["date"] < as_of],
            attributes=list(self.attributes), context_columns=list(self.context_columns),
            format=self.format, sources=list(self.sources), target_description=self.target_description)

    def summary(self) -> dict:
        start, end = self.period
        return {
            "format": self.format,
            "establishments": int(len(self.establishments)),
            "inspections": int(len(self.inspections)),
            "complaints": int(len(self.complaints)),
            "context_rows": int(len(self.context)),
            "start": None if start is None else start.date().isoformat(),
            "end": None if end is None else end.date().isoformat(),
            "event_rate": float(self.inspections["adverse"].mean()) if len(self.inspections) else None,
        }


def json_safe(value):
    """JSON-safe copy for the database and ``--json`` (NaN/inf → None, numpy scalars → Python,
    keys → text)."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item"):
        return json_safe(value.item())
    return value


def to_day(values: pd.Series) -> pd.Series:
    """Parse dates (ISO, with or without time/offset, or DD/MM/YYYY); NaT where invalid."""
    text = values.astype("string").str.strip()
    iso = text.str.slice(0, 10)
    parsed = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    fr = parsed.isna() & text.notna()
    if fr.any():
        parsed[fr] = pd.to_datetime(text[fr].str.slice(0, 10), format="%d/%m/%Y", errors="coerce")
    return parsed.astype("datetime64[ns]")


def as_float(values: pd.Series) -> pd.Series:
    """Numbers written with a dot or a French decimal comma; NaN where empty or invalid."""
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype(float)


def day(value) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).normalize().date(), "ns")
