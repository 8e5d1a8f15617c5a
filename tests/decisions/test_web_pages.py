"""Pages of the magistrate beyond review: search of similar decisions and objectivation (the API's
services behind a form), menu entries, roles, escaping."""

from __future__ import annotations

import re
from html import unescape

import pytest

from amorce.decisions.models import Decision

from .test_web_api import stored  # noqa: F401 - fixture
from .test_web_review import _import

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(client_as):
    return client_as("magistrat_greffier")


def test_search_page_filters_highlights_and_paginates(reviewer, stored):  # noqa: F811
    page = reviewer.get("/decisions/recherche/", {"q": "obligation de reclassement", "mode": "lexical"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<mark>reclassement</mark>" in html
    assert "QUILLIVIC" not in html  # pseudonymised texts only
    first = Decision.objects.get(external_id="CA-11")
    assert f'href="/decisions/{first.pk}/"' in html
    lyon = reviewer.get("/decisions/recherche/", {"q": "licenciement loyers", "mode": "lexical",
                                                  "jurisdiction": "Lyon"}).content.decode()
    assert "TJ-13" in lyon and "CA-10" not in lyon
    bad = reviewer.get("/decisions/recherche/", {"q": "loyers", "date_from": "2025-01-01", "date_to": "2024-01-01"})
    assert bad.status_code == 400 and "postérieure" in unescape(bad.content.decode())
    empty = reviewer.get("/decisions/recherche/", {"q": "", "mode": "lexical"})
    assert empty.status_code == 400 and "saisissez une question" in unescape(empty.content.decode())


def test_search_passages_are_escaped_and_long_lists_paginated(reviewer):
    _import(reviewer, [{"id": f"D-{i:02d}", "text": f"Le bail <b>résilié</b> pour loyers impayés numéro {i}.\n"}
                       for i in range(25)])
    html = reviewer.get("/decisions/recherche/", {"q": "loyers impayés", "mode": "lexical"}).content.decode()
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "25 décisions trouvées" in html and "1 / 3" in html
    last = reviewer.get("/decisions/recherche/", {"q": "loyers impayés", "mode": "lexical", "page": 3})
    assert last.content.decode().count('class="decisions-passage"') == 5


@pytest.mark.parametrize("path", ["/decisions/recherche/", "/decisions/objectivation/"])
def test_pages_need_the_decisions_role_and_are_in_the_menu(reviewer, path):
    from django.test import Client

    assert Client().get(path).status_code == 302  # to the login page
    assert f'href="{path}"' in reviewer.get("/decisions/").content.decode()


def test_objectivation_page_shows_a_distribution_chart_and_its_table(reviewer, stored):  # noqa: F811
    page = reviewer.get("/decisions/objectivation/", {"description": "licenciement et reclassement",
                                                      "kind": "article_700", "k": 5, "awarded_only": "on",
                                                      "mode": "lexical", "jurisdiction": "Rennes"})
    assert page.status_code == 200
    html = unescape(page.content.decode())
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in svg and "style=" not in svg
    assert not re.search(r'(?:x|y|x1|x2|cx|width)="[^"]*,', svg)  # SVG lengths with a dot, never « 20,0 »
    assert html.count('class="amorce-chart__point"') == 3  # one dot per matching Rennes decision
    for label in ("Nombre de décisions avec un montant", "Médiane", "Premier quartile", "Écart interquartile"):
        assert label in html
    assert "1\u202f500\u00a0€" in html and "3\u202f000\u00a0€" in html
    assert "article_700" not in html.split("Limites de l'échantillon")[1]
    own = reviewer.get("/decisions/objectivation/", {"decision_id": "CA-11", "kind": "article_700", "k": 5,
                                                     "awarded_only": "on", "mode": "lexical"})
    assert "Montant de la décision étudiée : 2\u202f000\u00a0€" in unescape(own.content.decode())


def test_objectivation_page_errors_are_french(reviewer, stored):  # noqa: F811
    both = reviewer.get("/decisions/objectivation/", {"description": "x", "decision_id": "CA-1", "kind": "amende",
                                                      "k": 10})
    assert both.status_code == 400 and "l'un ou l'autre" in unescape(both.content.decode())
    missing = reviewer.get("/decisions/objectivation/", {"decision_id": "NOPE", "kind": "amende", "k": 10,
                                                         "mode": "lexical"})
    assert "Décision introuvable" in unescape(missing.content.decode())
