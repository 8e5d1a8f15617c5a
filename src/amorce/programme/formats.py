"""French formats of the programme's texts (pure): « 3 décembre 2026 », « 785 000 € ».

Small local helpers until the platform's shared French format filters land in ``amorce.web``;
then these should be replaced by the shared ones.
"""

from __future__ import annotations

from datetime import date

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
NBSP = "\xa0"  # as Django's French number format


def fr_date(day: date) -> str:
    """``date(2026, 12, 3)`` → « 3 décembre 2026 » (« 1er » for the first of the month)."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def fr_amount(value: float) -> str:
    """``785000`` → « 785 000 € » (no-break spaces, cents only when there are some)."""
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", NBSP)
    else:
        text = f"{value:,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{text} €"
