"""French formats: one per kind of value, narrow no-break space between thousands."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from amorce.core import formats

NNBSP, NBSP = "\u202f", "\u00a0"


def test_dates_in_words():
    assert formats.date_fr(date(2026, 12, 3)) == "3 décembre 2026"
    assert formats.date_fr(date(2026, 5, 1)) == "1er mai 2026"
    assert formats.datetime_fr(datetime(2026, 8, 14, 9, 5, 7)) == f"14 août 2026 à 9{NBSP}h{NBSP}05"
    assert formats.datetime_fr(datetime(2026, 8, 14, 9, 5, 7), seconds=True).endswith(f"05{NBSP}min{NBSP}07{NBSP}s")
    assert formats.date_fr(None) == formats.datetime_fr(None) == "—"
    # ISO strings, as JSON model cards and job results keep dates, read as dates; anything else as is
    assert formats.date_fr("2024-01-01") == "1er janvier 2024"
    assert formats.date_fr("2023-06-30T00:00:00") == "30 juin 2023"
    assert formats.date_fr("inconnue") == "inconnue"


def test_amounts_with_narrow_no_break_spaces():
    assert formats.amount(785000) == f"785{NNBSP}000{NBSP}€"
    assert formats.amount(Decimal("1234567.5")) == f"1{NNBSP}234{NNBSP}567,50{NBSP}€"
    assert formats.amount(12.0) == f"12{NBSP}€"
    assert formats.amount(None) == "—"


def test_numbers_percentages_scores_sizes():
    assert formats.number(14000) == f"14{NNBSP}000"
    assert formats.number(2.5, 2, trim=True) == "2,5"
    assert formats.number(-0.0001, 2) == "0,00"
    assert formats.percent(0.125, 1) == f"12,5{NNBSP}%"
    assert formats.percent(40, ratio=False) == f"40{NNBSP}%"
    assert formats.score(0.8149) == "0,81" and formats.score(1) == "1,00"
    assert formats.score(float("nan")) == "—"
    assert formats.megabytes(20 * 1024 * 1024) == f"20{NBSP}Mo"
    assert formats.megabytes(1536 * 1024 * 1024) == f"1,5{NBSP}Go"
    assert formats.megabytes(500) == f"500{NBSP}octets"
    assert (formats.yes_no(True), formats.yes_no(False)) == ("oui", "non")
