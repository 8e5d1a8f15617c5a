"""Agreement between the reviewers of camera-trap events (pure: no Django).

Each reviewer gives, per event, an observation type (animal, human, vehicle, blank, unknown) and,
for an animal, a taxon. For a season this module measures:

* on events seen by at least two reviewers: the share where all agree on the type, and, among
  events where at least two reviewers said « animal », the share where those agree on the taxon;
* for each pair of reviewers, on the events both reviewed: the same shares and Cohen's kappa
  (scikit-learn's ``cohen_kappa_score``) on the type and on the full answer (type, with the taxon
  for an animal). Kappa is undefined (``None``) when both reviewers used one single category;
* the list of disagreements;
* the consensus of an event: the answer all its reviewers gave, if they agree.

The web pages feed it from the database; ``amorce biodiversite accord`` from a CSV (:func:`read_answers`).
"""

from __future__ import annotations

import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations

TYPES = ("animal", "human", "vehicle", "blank", "unknown")
ANSWER_COLUMNS = ("evenement", "relecteur", "type")


@dataclass(frozen=True)
class Answer:
    """One reviewer's answer on one event; ``taxon`` is a scientific name ('' when none)."""

    event: str
    reviewer: str
    observation_type: str
    taxon: str = ""

    @property
    def taxon_key(self) -> str:
        return taxon_key(self.taxon) if self.observation_type == "animal" else ""

    @property
    def label(self) -> str:
        """The full answer: the type, with the taxon for an animal."""
        return f"animal:{self.taxon_key}" if self.observation_type == "animal" else self.observation_type


def taxon_key(name: str) -> str:
    """Names compared without case, accents or extra spaces (« Vulpes  vulpes » = « vulpes vulpes »)."""
    text = unicodedata.normalize("NFKD", " ".join(name.split())).casefold()
    return "".join(c for c in text if not unicodedata.combining(c))


@dataclass
class PairAgreement:
    reviewers: tuple[str, str]
    events: int  # events both reviewed
    type_agreement: float | None
    type_kappa: float | None
    taxon_events: int  # events both called « animal »
    taxon_agreement: float | None
    answer_kappa: float | None


@dataclass
class Disagreement:
    event: str
    on_type: bool
    on_taxon: bool
    answers: list[Answer]


@dataclass
class AgreementReport:
    reviewed: int  # events with at least one answer
    multi: int  # events with at least two reviewers
    type_agreement: float | None
    taxon_events: int
    taxon_agreement: float | None
    pairs: list[PairAgreement] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def kappa(first: list[str], second: list[str]) -> float | None:
    """Cohen's kappa of two raters' labels; ``None`` when undefined (no item, or a single category)."""
    if not first or len(set(first) | set(second)) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(first, second))


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def _taxon_disagrees(answers: list[Answer]) -> tuple[bool, bool]:
    """(at least two animal answers, they name different taxa)."""
    taxa = [a.taxon_key for a in answers if a.observation_type == "animal"]
    return len(taxa) >= 2, len(set(taxa)) > 1


def by_event(answers: Iterable[Answer]) -> dict[str, list[Answer]]:
    """Answers grouped by event (one per reviewer: a later answer of the same reviewer wins)."""
    grouped: dict[str, dict[str, Answer]] = defaultdict(dict)
    for answer in answers:
        grouped[answer.event][answer.reviewer] = answer
    return {event: list(per.values()) for event, per in grouped.items()}


def consensus(answers: list[Answer]) -> Answer | None:
    """The answer every reviewer of an event gave (type, and taxon for an animal), else ``None``."""
    if not answers or len({a.label for a in answers}) > 1:
        return None
    return answers[-1]


def agreement(answers: Iterable[Answer]) -> AgreementReport:
    events = by_event(answers)
    multi = {e: rows for e, rows in events.items() if len(rows) >= 2}
    type_hits = sum(1 for rows in multi.values() if len({a.observation_type for a in rows}) == 1)
    taxon_total = taxon_hits = 0
    disagreements = []
    for event in sorted(multi):
        rows = multi[event]
        on_type = len({a.observation_type for a in rows}) > 1
        several, on_taxon = _taxon_disagrees(rows)
        if several:
            taxon_total += 1
            taxon_hits += not on_taxon
        if on_type or on_taxon:
            disagreements.append(Disagreement(event, on_type, on_taxon, sorted(rows, key=lambda a: a.reviewer)))
    reviewers = sorted({a.reviewer for rows in events.values() for a in rows})
    pairs = []
    for first, second in combinations(reviewers, 2):
        shared = [(per[first], per[second]) for per in ({a.reviewer: a for a in rows} for rows in multi.values())
                  if first in per and second in per]
        if not shared:
            continue
        animals = [(a, b) for a, b in shared if a.observation_type == b.observation_type == "animal"]
        pairs.append(PairAgreement(
            reviewers=(first, second), events=len(shared),
            type_agreement=_share(sum(a.observation_type == b.observation_type for a, b in shared), len(shared)),
            type_kappa=kappa([a.observation_type for a, _ in shared], [b.observation_type for _, b in shared]),
            taxon_events=len(animals),
            taxon_agreement=_share(sum(a.taxon_key == b.taxon_key for a, b in animals), len(animals)),
            answer_kappa=kappa([a.label for a, _ in shared], [b.label for _, b in shared])))
    return AgreementReport(reviewed=len(events), multi=len(multi), type_agreement=_share(type_hits, len(multi)),
                           taxon_events=taxon_total, taxon_agreement=_share(taxon_hits, taxon_total),
                           pairs=pairs, disagreements=disagreements)


def read_answers(path: str | os.PathLike) -> list[Answer]:
    """Reviewers' answers from a CSV (``,`` or ``;``): ``evenement``, ``relecteur``, ``type`` (one of
    :data:`TYPES`), optional ``taxon`` (scientific name). Every problem is reported at once."""
    from amorce.core.errors import ValidationReport
    from amorce.core.files import read_csv_rows

    rows = read_csv_rows(path, required=ANSWER_COLUMNS)
    report = ValidationReport(file=str(path))
    answers = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        line = row["__line__"]
        key = ((row.get("evenement") or "").strip(), (row.get("relecteur") or "").strip())
        if all(key) and key in seen:
            report.add(f"relecture en double (déjà donnée ligne {seen[key]})", line=line, column="evenement",
                       value=f"{key[0]} / {key[1]}", expected="une relecture par événement et par relecteur")
            continue
        seen.setdefault(key, line)
        for column in ("evenement", "relecteur"):
            if not (row.get(column) or "").strip():
                report.add("valeur vide", line=line, column=column, expected="une valeur renseignée")
        kind = (row.get("type") or "").strip()
        if kind not in TYPES:
            report.add("type d'observation inconnu", line=line, column="type", value=kind, expected=", ".join(TYPES))
        answers.append(Answer((row.get("evenement") or "").strip(), (row.get("relecteur") or "").strip(), kind,
                              (row.get("taxon") or "").strip()))
    if not rows:
        report.add("aucune relecture", line=2, expected="au moins une ligne")
    report.raise_if_any("Fichier de relectures invalide")
    return answers


def to_dict(report: AgreementReport) -> dict:
    """The report as plain JSON-ready data."""
    data = asdict(report)
    for item in data["disagreements"]:
        item["answers"] = [{"reviewer": a["reviewer"], "type": a["observation_type"], "taxon": a["taxon"]}
                           for a in item["answers"]]
    for pair in data["pairs"]:
        pair["reviewers"] = list(pair["reviewers"])
    return data
