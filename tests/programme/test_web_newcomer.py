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
