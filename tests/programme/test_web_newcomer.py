"""What a newcomer meets on the programme pages (issue 15): visible form fields, landing pages, formats."""

from __future__ import annotations

import re

import pytest

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
