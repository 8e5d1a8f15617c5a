"""What a newcomer meets on the programme pages (issue 15): visible form fields, landing pages, formats."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from amorce.programme.models import Call, ReviewAssignment

from .test_web_team import _call_form
from .test_web_workflow import make_application, make_call

pytestmark = pytest.mark.django_db


def _input_tags(html: str, name: str) -> list[str]:
    return re.findall(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)


def test_jury_review_fields_are_dsfr_inputs(client_as):
    call = make_call()
    app = make_application(call, 1)
    client = client_as("jury")
    ReviewAssignment.objects.create(application=app, reviewer=client.user)
    html = client.get(f"/programme/jury/{app.reference}/").content.decode()
    for criterion in call.criteria.all():
        for name in (f"note_{criterion.code}", f"commentaire_{criterion.code}"):
            tags = _input_tags(html, name)
            assert tags and 'class="fr-input"' in tags[0], (name, tags)
            field_id = re.search(r'id="([^"]+)"', tags[0]).group(1)
            assert f'<label class="fr-label" for="{field_id}">' in html
    # the legend names the criterion, not « Critère 1 »
    assert "Critère benefices" in re.sub(r"\s+", " ", html.split("<form", 1)[1])


def test_saving_an_unpublished_call_lands_on_its_management_page(client_as):
    call = make_call(published=False)
    client = client_as("equipe_programme")
    data = _call_form(call)
    data.pop("published")
    response = client.post(f"/programme/appels/{call.slug}/modifier/", data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/programme/appels/{call.slug}/modifier/"
    assert "Appel enregistré" in response.content.decode()
    assert not Call.objects.get(pk=call.pk).published


def test_import_page_says_when_the_server_is_not_configured_and_queues_nothing(client_as, monkeypatch):
    from html import unescape

    from amorce.web.models import Job

    monkeypatch.delenv("DS_API_TOKEN", raising=False)
    call = make_call()
    client = client_as("equipe_programme")
    page = unescape(client.get(f"/programme/appels/{call.slug}/import/").content.decode())
    assert "Démarche Numérique n'est pas configuré sur ce serveur" in page
    assert 'name="base_url"' not in page and "--token" not in page
    refused = client.post(f"/programme/appels/{call.slug}/import/", {"demarche": "103363"})
    assert refused.status_code == 400 and "n'est pas configuré" in unescape(refused.content.decode())
    monkeypatch.setenv("DS_API_TOKEN", "jeton")
    monkeypatch.setenv("DS_API_URL", "https://ecoute.example")
    monkeypatch.setenv("DS_ALLOWED_URLS", "https://demarche.numerique.gouv.fr")
    refused = client.post(f"/programme/appels/{call.slug}/import/", {"demarche": "103363"})
    assert refused.status_code == 400 and "non autorisée" in unescape(refused.content.decode())
    assert not Job.objects.filter(kind="programme.import_ds").exists()
    # the instance is never taken from the form
    monkeypatch.delenv("DS_API_URL")
    client.post(f"/programme/appels/{call.slug}/import/", {"demarche": "7", "base_url": "https://ecoute.example"})
    job = Job.objects.get(kind="programme.import_ds")
    assert "base_url" not in job.params and "ecoute" not in str(job.params)


def test_an_unknown_deposit_date_is_not_a_non_compliance():
    from amorce.programme.eligibility import EligibilityRules, check_eligibility

    rules = EligibilityRules(opens=date(2026, 11, 1), closes=date(2026, 12, 31), require_siret=False)
    result = check_eligibility({"structure_kind": "administration_centrale", "budget": 1000}, rules)
    depot = next(c for c in result.checks if c.code == "depot")
    assert depot.passed is None and "31 décembre 2026" in depot.reason
    assert result.eligible is None and result.reasons == []
    late = check_eligibility({"structure_kind": "administration_centrale", "budget": 1000,
                              "submitted_on": "2027-01-01"}, rules)
    assert late.eligible is False and "1er janvier 2027" in late.reasons[0]


def test_pre_deposit_check_then_the_candidate_sees_what_was_deposited(client_as):
    call = make_call()
    client = client_as("candidat")
    app = make_application(call, 1, owner=client.user, state="en_construction")
    app.submitted_on, app.draft_step = None, 99  # every step completed, not deposited yet
    app.problem = "Les demandes de subvention arrivent par courrier."
    app.save()
    page = client.get(f"/programme/candidatures/{app.reference}/depot/").content.decode()
    assert "À vérifier au dépôt" in page and "Non conforme" not in page
    client.post(f"/programme/candidatures/{app.reference}/depot/")
    page = unescape(client.get(f"/programme/candidatures/{app.reference}/").content.decode())
    assert "Ce que vous avez déposé" in page and "Les demandes de subvention arrivent par courrier." in page
    assert "100\u202f000\xa0€" in page and "Projet 1" in page


def test_past_information_meetings_offer_no_registration(client):
    from amorce.programme.models import InfoMeeting

    call = make_call(published=True)
    past = timezone.now() - timedelta(days=2)
    meeting = InfoMeeting.objects.create(call=call, starts=past, ends=past + timedelta(hours=2), address="Paris",
                                         capacity=10)
    page = client.get(f"/programme/appels/{call.slug}/").content.decode()
    assert "réunion passée" in page and "S&#x27;inscrire" not in page and "S'inscrire" not in page
    response = client.post(f"/programme/appels/{call.slug}/reunions/{meeting.pk}/inscription/",
                           {"name": "Ada", "email": "ada@exemple.gouv.fr"}, follow=True)
    assert "déjà eu lieu" in unescape(response.content.decode()) and not meeting.registrations.exists()


def test_dashboard_counts_milestones_from_the_decision(client_as):
    from amorce.programme.services import decide

    call = make_call()
    app = make_application(call, 1)
    client = client_as("equipe_programme")
    decide(app, "accepte", "", user=client.user)
    page = re.sub(r"\s+", " ", client.get("/programme/tableau-de-bord/").content.decode())
    assert f"{app.reference}</a></td><td>{app.title}</td><td>0 / 5</td>" in page


def test_ranking_is_paginated_with_criteria_names(client_as, make_user):
    from .test_web_workflow import score

    call = make_call()
    juror = make_user("jury", username="j1")
    for i in range(55):
        score(make_application(call, i + 1), juror, {"benefices": 4, "pertinence": 3, "ethique": 5})
    client = client_as("equipe_programme")
    first = client.get(f"/programme/appels/{call.slug}/classement/").content.decode()
    # 20 rows a page: a row (title, one column per criterion) is tall, 45 rows made 15,000 px
    assert first.count('href="/programme/dossiers/T-') == 20 and "rangs 1 à 20" in first
    last = client.get(f"/programme/appels/{call.slug}/classement/?page=3").content.decode()
    assert last.count('href="/programme/dossiers/T-') == 15 and "<td>55</td>" in last
    # a disagreement's consensus form stays folded in its row (open on demand), so rows stay short
    other = make_user("jury", username="j2")
    score(make_application(call, 99), other, {"benefices": 0, "pertinence": 3, "ethique": 5})
    score(call.applications.get(reference__endswith="99"), juror, {"benefices": 5, "pertinence": 3, "ethique": 5})
    page = re.sub(r"\s+", " ", client.get(f"/programme/appels/{call.slug}/classement/?page=3").content.decode())
    assert "Désaccord" in page
    assert re.search(r"<details[^>]*><summary>Consigner la séance de consensus</summary> <form method=\"post\"", page)


def test_dates_are_written_in_french(client_as):
    call = make_call()
    app = make_application(call, 1)
    app.submitted_on = date(2026, 12, 3)
    app.save()
    page = client_as("instructeur").get(f"/programme/dossiers/{app.reference}/").content.decode()
    assert "3 décembre 2026" in page and "03/12/2026" not in page
