"""Inspection plan for the coming weeks, from capacities and an exploration share; CSV and iCalendar.

Each week and each team (or zone), ``capacity`` slots are filled: about ``capacity × exploration``
establishments (rounded cumulatively over the weeks, so small teams still explore) drawn uniformly
at random (seeded) among those not yet planned — so that the model
stays measurable and does not feed only on its own choices — and the rest in score order.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from amorce.core.exports import ics_text, write_csv
from amorce.core.files import atomic_write

from .errors import CiblageError

PLAN_COLUMNS = ["week", "planned_date", "team", "establishment_id", "name", "address", "rank", "score",
                "selection", "reasons"]
# the ``selection`` of a planned inspection: in score order, or drawn at random (exploration)
BY_MODEL, AT_RANDOM = "model", "random"
WEEKDAYS = 5


def parse_capacity(text: str) -> int | dict[str, int]:
    """« 20 » (one pool) or « equipe-1=10, equipe-2=8 » (per team or département)."""
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    capacity: dict[str, int] = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        if not name.strip() or not value.strip().isdigit():
            raise CiblageError(
                f"Capacité invalide : « {item.strip()} » — attendu un nombre (par exemple 20), ou "
                "équipe=nombre séparés par des virgules (par exemple equipe-1=10, equipe-2=8).")
        capacity[name.strip()] = int(value)
    return capacity


def next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def make_plan(scores: pd.DataFrame, establishments: pd.DataFrame, capacity: dict[str, int] | int, *,
              weeks: int = 4, start: date | str | None = None, exploration: float = 0.1, seed: int = 0,
              zone_column: str | None = None) -> pd.DataFrame:
    """Plan ``weeks`` weeks of inspections from ranked ``scores`` (``establishment_id, score, rank``)."""
    if not 0.0 <= exploration <= 1.0:
        raise CiblageError(f"La part d'exploration doit être comprise entre 0 et 1 (reçu {exploration}).")
    if weeks < 1:
        raise CiblageError("Le nombre de semaines doit être au moins 1.")
    start_day = next_monday(pd.Timestamp(start).date() if start is not None else date.today())
    data = scores.merge(establishments, left_on="establishment_id", right_index=True, how="left")
    data = data.sort_values("rank", kind="stable").reset_index(drop=True)
    if isinstance(capacity, int):
        capacity = {"toutes": capacity}
        data["_zone"] = "toutes"
    else:
        column = zone_column or next((c for c in ("team", "department") if c in data
                                      and data[c].astype(str).isin(list(capacity)).any()), None)
        if column is None:
            raise CiblageError("Aucune équipe ni zone des établissements ne correspond aux capacités fournies ("
                               + ", ".join(capacity) + ").")
        data["_zone"] = data[column].astype(str)
    if any(int(c) < 0 for c in capacity.values()):
        raise CiblageError("Les capacités doivent être des entiers positifs.")
    rng = np.random.default_rng(seed)
    rows = []
    for zone, cap in capacity.items():
        pool = data[data["_zone"] == str(zone)]
        available = np.ones(len(pool), dtype=bool)
        ordered = np.arange(len(pool))
        for week in range(weeks):
            monday = start_day + timedelta(weeks=week)
            picks: list[tuple[int, str]] = []
            # cumulative rounding: the exploration share holds over the horizon even for small teams
            n_random = math.floor(cap * exploration * (week + 1) + 0.5) - math.floor(cap * exploration * week + 0.5)
            model_slots = cap - n_random
            for i in ordered[available][:model_slots]:
                picks.append((i, BY_MODEL))
                available[i] = False
            remaining = np.flatnonzero(available)
            drawn = rng.choice(remaining, size=min(n_random, len(remaining)), replace=False) if len(remaining) else []
            for i in drawn:
                picks.append((int(i), AT_RANDOM))
                available[i] = False
            for slot, (i, how) in enumerate(picks):
                row = pool.iloc[i]
                rows.append({
                    "week": week + 1, "planned_date": (monday + timedelta(days=slot % WEEKDAYS)).isoformat(),
                    "team": zone, "establishment_id": row["establishment_id"],
                    "name": row.get("name", "") if pd.notna(row.get("name", "")) else "",
                    "address": " ".join(str(row.get(c, "")) for c in ("address", "postcode", "commune")
                                        if pd.notna(row.get(c, "")) and str(row.get(c, ""))),
                    "rank": int(row["rank"]), "score": float(row["score"]), "selection": how,
                    "reasons": row.get("reasons", ""),
                })
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def _cell(value):
    """A frame's value as a Python one for the CSV writer: missing → ``None``, numpy scalars unboxed."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def write_frame_csv(frame: pd.DataFrame, handle) -> None:
    """Every CSV export of targeting (plan, inspections, scores): comma-separated, decimal point, and
    every text cell through the neutralising writer of :mod:`amorce.core.exports` (no live formula)."""
    rows = ([_cell(v) for v in row] for row in frame.itertuples(index=False, name=None))
    write_csv(handle, [str(c) for c in frame.columns], rows, delimiter=",", decimal_comma=False)


def write_plan_csv(plan: pd.DataFrame, path: str | Path) -> None:
    with atomic_write(path) as handle:
        write_frame_csv(plan, handle)


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never splitting a UTF-8 character."""
    out, current = [], ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = " " + char
            limit = 75
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def plan_to_ics(plan: pd.DataFrame, *, calendar_name: str = "Plan d'inspections", uid_prefix: str = "ciblage") -> str:
    """iCalendar (RFC 5545) text: one all-day VEVENT per planned inspection."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//amorce//ciblage//FR", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_text(calendar_name)}"]
    for row in plan.itertuples(index=False):
        day = date.fromisoformat(row.planned_date)
        summary = f"Inspection : {row.name or row.establishment_id}"
        description = (f"Établissement {row.establishment_id} — rang {row.rank}, score {row.score:.3f}, "
                       f"sélection {'aléatoire (exploration)' if row.selection == AT_RANDOM else 'par le modèle'}."
                       + (f" Raisons : {row.reasons}" if row.reasons else ""))
        lines += ["BEGIN:VEVENT", f"UID:{uid_prefix}-{row.week}-{ics_text(row.establishment_id)}@amorce",
                  f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}", f"SUMMARY:{ics_text(summary)}",
                  f"DESCRIPTION:{ics_text(description)}", f"CATEGORIES:{ics_text(row.team)}"]
        if row.address:
            lines.append(f"LOCATION:{ics_text(row.address)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def write_plan_ics(plan: pd.DataFrame, path: str | Path, **kwargs) -> None:
    with atomic_write(path, mode="wb", encoding=None) as handle:
        handle.write(plan_to_ics(plan, **kwargs).encode("utf-8"))
