"""Pages of the magistrate beyond review: search of similar decisions and objectivation (the API's
services behind a form), menu entries, roles, escaping."""

from __future__ import annotations

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


@pytest.mark.parametrize("path", ["/decisions/recherche/"])
def test_pages_need_the_decisions_role_and_are_in_the_menu(reviewer, path):
    from django.test import Client

    assert Client().get(path).status_code == 302  # to the login page
    assert f'href="{path}"' in reviewer.get("/decisions/").content.decode()
