"""The instructeur's dossier list: cells built in Python must say what the models say, escaped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse

from amorce.programme.models import Application, State

from .test_web_workflow import make_application, make_call

pytestmark = pytest.mark.django_db


def test_list_cells_match_the_model_display_and_are_escaped(client_as):
    call = make_call()
    app = make_application(call, 1, budget=1234567)
    Application.objects.filter(pk=app.pk).update(
        title="<script>alert(1)</script> & co",
        score=12.345,
        budget=Decimal("1234567.50"),
        disagreements=["ethique"],
        review_count=3,
        eligibility_confirmed=False,
    )
    other = make_application(call, 2, state=State.EN_CONSTRUCTION)
    app.refresh_from_db()
    page = client_as("instructeur").get("/programme/dossiers/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert f'href="{reverse("programme:dossier_detail", args=[app.reference])}"' in page
    assert f"{floatformat(app.budget, '0g')} €" in page  # rounded half up, French thousands separator
    assert f"<td>{floatformat(app.score, 2)}</td>" in page and floatformat(app.score, 2) == "12,35"
    assert "Non éligible (confirmé)" in page and "fr-badge--error" in page
    assert page.count("Désaccord") == 1 and "<td>—</td>" in page  # the unscored draft
    assert app.get_state_display() in page and other.get_state_display() in page


def test_score_and_budget_formats_equal_floatformat(client_as):
    call = make_call()
    values = [(0.005, "0.49"), (12.345, "1000.5"), (19.999, "999999.49"), (7.0, "0")]
    for i, (score, budget) in enumerate(values, start=1):
        app = make_application(call, i)
        Application.objects.filter(pk=app.pk).update(score=score, budget=Decimal(budget))
    page = client_as("instructeur").get("/programme/dossiers/").content.decode()
    for score, budget in values:
        assert f"<td>{floatformat(score, 2)}</td>" in page
        assert f"<td>{floatformat(Decimal(budget), '0g')} €</td>" in page


def test_filter_form_shows_new_calls_and_errors(client_as):
    make_call()
    client = client_as("instructeur")
    assert "Deuxième appel" not in client.get("/programme/dossiers/").content.decode()
    make_call(slug="appel-2", title="Deuxième appel")
    assert "Deuxième appel" in client.get("/programme/dossiers/").content.decode()  # not a stale cached form
    page = client.get("/programme/dossiers/?etat=inconnu").content.decode()
    assert "fr-select-group--error" in page  # an invalid filter is said, not a stack trace
    page = client.get("/programme/dossiers/?etat=accepte").content.decode()
    assert "Aucun dossier ne correspond aux filtres." in page and 'value="accepte" selected' in page


def test_search_counts_and_pages_in_one_pass(client_as, django_assert_max_num_queries):
    call = make_call()
    for i in range(1, 61):
        make_application(call, i)
    Application.objects.filter(reference="T-007").update(title="Détection d'anomalies")
    client = client_as("instructeur")
    with django_assert_max_num_queries(8):
        page = client.get("/programme/dossiers/?q=projet&page=2").content.decode()
    # 59 matches (T-007 renamed): page 2 holds the 51st to the 59th, i.e. T-052 to T-060
    assert "59 dossiers" in page and "T-052" in page and "T-051" not in page and "T-007" not in page
    assert page.index("T-052") < page.index("T-060")
    page = client.get("/programme/dossiers/?q=t-007").content.decode()  # the number, any case
    assert "1 dossier<" in page and "Détection d&#x27;anomalies" in page
    page = client.get("/programme/dossiers/?q=projet&page=9").content.decode()  # past the end: last page
    assert "T-060" in page


FILTERS = [  # (HTML list query, API query): the same filter under its French and English keys
    ("etat=accepte", "state=accepte"),
    ("ministere=Culture", "ministry=Culture"),
    ("famille=Analyse+d%27images", "family=Analyse+d%27images"),
    ("eligible=oui", "eligible=yes"),
    ("eligible=non", "eligible=no"),
    ("eligible=a_confirmer", "eligible=unconfirmed"),
    ("q=t-003", "q=t-003"),
    ("q=Structure+1", "q=Structure+1"),
    ("appel=appel-2&ministere=Culture", "call=appel-2&ministry=Culture"),
]


def _listed(page: str) -> set[str]:
    import re

    return set(re.findall(r">(T-\d{3})</a>", page))


@pytest.mark.parametrize(("html", "api"), FILTERS)
def test_list_and_api_apply_the_same_filters(client_as, html, api):
    call, other = make_call(), make_call(slug="appel-2", title="Deuxième appel")
    for i in range(1, 13):
        app = make_application(other if i > 8 else call, i, ministry="Culture" if i % 3 == 0 else "Justice",
                               state=State.ACCEPTE if i % 4 == 0 else State.EN_INSTRUCTION)
        if i % 5 == 0:
            Application.objects.filter(pk=app.pk).update(eligibility_confirmed=i % 2 == 0)
    Application.objects.filter(reference="T-011").update(use_case_family="Traitement du langage",
                                                         eligibility_auto=False)
    client = client_as("instructeur")
    listed = _listed(client.get(f"/programme/dossiers/?{html}").content.decode())
    data = client.get(f"/api/programme/dossiers?{api}&limit=500").json()
    assert {d["reference"] for d in data["items"]} == listed and data["count"] == len(listed)
    everything = {d["reference"] for d in client.get("/api/programme/dossiers?limit=500").json()["items"]}
    assert listed and listed != everything  # each filter keeps some dossiers and drops others


def test_api_pages_walk_the_filtered_list_in_order(client_as):
    call = make_call()
    for i in range(1, 8):
        make_application(call, i, ministry="Culture" if i % 2 else "Justice")
    client = client_as("equipe_programme")
    pages = [client.get(f"/api/programme/dossiers?ministry=Culture&limit=3&offset={o}").json() for o in (0, 3)]
    assert [p["count"] for p in pages] == [4, 4] and [p["offset"] for p in pages] == [0, 3]
    assert [d["reference"] for p in pages for d in p["items"]] == ["T-001", "T-003", "T-005", "T-007"]
