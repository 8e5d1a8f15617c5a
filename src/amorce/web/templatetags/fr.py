"""French formats in templates: ``{% load fr %}`` then ``{{ d|date_fr }}``, ``{{ x|euros }}``…

Thin wrappers over :mod:`amorce.core.formats` (the same formats in the CLI and the exports);
aware datetimes are shown in the local time zone (TIME_ZONE).
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from amorce.core import formats

register = template.Library()


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def date_fr(value) -> str:
    """« 3 décembre 2026 »."""
    return formats.date_fr(_local(value))


@register.filter
def datetime_fr(value, arg: str = "") -> str:
    """« 3 décembre 2026 à 14 h 05 »; ``|datetime_fr:"secondes"`` adds the seconds."""
    return formats.datetime_fr(_local(value), seconds=arg == "secondes")


@register.filter
def euros(value, decimals=None) -> str:
    """« 785 000 € » (cents only when there are some, or ``|euros:2``)."""
    return formats.amount(_number(value), None if decimals in (None, "") else int(decimals))


@register.filter
def nombre(value, decimals=0) -> str:
    """« 14 000 », ``|nombre:1`` → « 2,5 »."""
    return formats.number(_number(value), int(decimals))


@register.filter
def pourcentage(value, decimals=0) -> str:
    """A ratio as a percentage: 0.125 → « 13 % », ``|pourcentage:1`` → « 12,5 % »."""
    return formats.percent(_number(value), int(decimals))


@register.filter
def pourcent(value, decimals=0) -> str:
    """A value already in percent: 12.5 → « 13 % » (``|pourcent:1`` → « 12,5 % »)."""
    return formats.percent(_number(value), int(decimals), ratio=False)


@register.filter
def score(value) -> str:
    """A score or a probability, always two decimals: « 0,81 »."""
    return formats.score(_number(value))


@register.filter
def oui_non(value) -> str:
    return formats.yes_no(value)


@register.filter
def taille(value) -> str:
    """A size in bytes as « 20 Mo »."""
    return formats.megabytes(_number(value))


def _number(value):
    """Numbers as they are; numeric strings parsed; anything else is missing (shown « — »)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return None
    try:
        return value if isinstance(value, int | float) else float(value)
    except (TypeError, ValueError):
        return None
