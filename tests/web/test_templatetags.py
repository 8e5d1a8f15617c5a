"""The French format filters of templates (``{% load fr %}``)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.template import engines

NNBSP, NBSP = "\u202f", "\u00a0"


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load fr %}" + source).render(context)


def test_filters_use_the_french_formats_in_local_time():
    # 23:30 UTC on 31 December is already 1 January in Paris
    at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert render("{{ at|date_fr }}", at=at) == "1er janvier 2027"
    assert render("{{ at|datetime_fr }}", at=at) == f"1er janvier 2027 à 0{NBSP}h{NBSP}30"
    assert render("{{ x|euros }}", x=785000) == f"785{NNBSP}000{NBSP}€"
    assert render("{{ x|euros:2 }}", x="12") == f"12,00{NBSP}€"
    assert render("{{ x|pourcentage:1 }}", x=0.125) == f"12,5{NNBSP}%"
    assert render("{{ x|pourcent }}", x=40) == f"40{NNBSP}%"
    assert render("{{ x|score }}", x=0.8149) == "0,81"
    assert render("{{ x|nombre }}", x=14000) == f"14{NNBSP}000"
    assert render("{{ x|oui_non }}", x=False) == "non"
    assert render("{{ x|taille }}", x=20 * 1024 * 1024) == f"20{NBSP}Mo"
    assert render("{{ x|score }}|{{ y|euros }}", x=None, y="abc") == "—|—"
