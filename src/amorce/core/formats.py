"""French formats for what people read: dates, amounts, numbers, percentages, scores, sizes.

One format per kind of value, used by the web templates (``amorce.web.templatetags.fr``), the CLI
and the exports: « 3 décembre 2026 », « 785 000 € », « 12,5 % », « 0,81 », « 20 Mo ». Thousands
are separated by a narrow no-break space (U+202F), as the Imprimerie nationale recommends, and a
no-break space keeps a number with its unit. Pure Python: no Django import.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

NNBSP = "\u202f"  # narrow no-break space: thousands separator, and before « % »
NBSP = "\u00a0"  # no-break space: between a number and its unit (« 785 000 € »)
EMPTY = "—"  # what a missing value reads as

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")

Number = int | float | Decimal


def _missing(value) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, float) and math.isnan(value)


def number(value: Number | None, decimals: int = 0, *, trim: bool = False) -> str:
    """« 785 000 », « 0,81 »; ``trim`` drops trailing zeros of the decimals (« 2,5 » not « 2,50 »)."""
    if _missing(value):
        return EMPTY
    text = f"{float(value) if not isinstance(value, Decimal) else value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):  # « -0 » after rounding is 0
        text = text[1:]
    whole, _, fraction = text.partition(".")
    if trim:
        fraction = fraction.rstrip("0")
    return whole.replace(",", NNBSP) + (f",{fraction}" if fraction else "")


def amount(value: Number | None, decimals: int | None = None, currency: str = "€") -> str:
    """An amount of money: « 785 000 € »; cents shown only when there are some (« 12,50 € »)."""
    if _missing(value):
        return EMPTY
    if decimals is None:
        decimals = 0 if float(value) == round(float(value)) else 2
    return f"{number(value, decimals)}{NBSP}{currency}"


def percent(value: Number | None, decimals: int = 0, *, ratio: bool = True, trim: bool = False) -> str:
    """A percentage: « 12 % » from 0.12 (``ratio``) or from 12 (``ratio=False``)."""
    if _missing(value):
        return EMPTY
    return f"{number(float(value) * 100 if ratio else value, decimals, trim=trim)}{NNBSP}%"


def score(value: Number | None) -> str:
    """A score or a probability, always with two decimals: « 0,81 »."""
    return number(value, 2)


def megabytes(size_bytes: int | None) -> str:
    """A size as people read it: « 20 Mo » for 20 × 1024² bytes, « 1,5 Go », « 340 ko »."""
    if _missing(size_bytes):
        return EMPTY
    for unit, power in (("Go", 3), ("Mo", 2), ("ko", 1)):
        if size_bytes >= 1024 ** power:
            return f"{number(size_bytes / 1024 ** power, 1, trim=True)}{NBSP}{unit}"
    return f"{number(size_bytes)}{NBSP}octet{'s' if size_bytes > 1 else ''}"


def date_fr(value: date | datetime | str | None) -> str:
    """« 3 décembre 2026 », « 1er mai 2026 ». A datetime is read as it is (convert it to local time first);
    an ISO date string (« 2024-01-01 », as stored in JSON model cards and results) is read as a date."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value  # not a date: shown as it is rather than failing the page
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def datetime_fr(value: datetime | None, *, seconds: bool = False) -> str:
    """« 3 décembre 2026 à 14 h 05 », or « … à 14 h 05 min 07 s » with ``seconds`` (convert an aware
    datetime to local time first)."""
    if value is None or value == "":
        return EMPTY
    if not isinstance(value, datetime):
        return date_fr(value)
    text = f"{date_fr(value)} à {value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{text}{NBSP}min{NBSP}{value.second:02d}{NBSP}s" if seconds else text


def yes_no(value) -> str:
    """« oui » / « non » for a boolean, never ``True`` / ``False``."""
    if value is None:
        return EMPTY
    return "oui" if value else "non"
