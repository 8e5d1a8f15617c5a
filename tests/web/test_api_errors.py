"""The JSON API's shared error rules (amorce.web.apischema): every error documented and in French,
bounded inputs refused with 422 rather than a server error, no session write without its CSRF token.
The fuzzing test (test_api_fuzz.py) checks the same over generated requests; these name each rule."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_operation_documents_the_errors_answered_on_its_behalf():
    from amorce.web.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            parameters = operation.get("parameters", [])
            where = (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= codes, where
            if any(p["in"] == "path" for p in parameters):
                assert "404" in codes, where
            if parameters or "requestBody" in operation:
                assert "422" in codes, where
            if "requestBody" in operation:
                assert "400" in codes, where


def test_errors_of_the_framework_are_in_french(client, client_as):
    assert client.get("/api/moi").json()["detail"].startswith("Authentification requise")
    admin = client_as("administrateur")
    missing = admin.get(f"/api/taches/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.json() == {"detail": "Ressource introuvable."}
    invalid = admin.get("/api/taches/pas-un-uuid")
    assert invalid.status_code == 422
    assert invalid.json()["errors"] == ["chemin « job_id » : identifiant UUID attendu"]
    assert invalid.json()["detail"] == "Données invalides : chemin « job_id » : identifiant UUID attendu."
    unreadable = admin.post("/api/decisions/objectivation", "{pas du json", content_type="application/json")
    assert unreadable.status_code == 400 and "illisible" in unreadable.json()["detail"]


def test_out_of_range_numbers_are_refused_not_a_server_error(client_as):
    """Integers beyond the database's (ids, offsets) and negative pages used to end in a 500."""
    admin = client_as("administrateur")
    for url in ("/api/ciblage/modeles?dataset_id=" + "9" * 30, "/api/ciblage/classements?offset=" + "9" * 20,
                "/api/ciblage/plans/" + "9" * 25, "/api/biodiversite/saisons/1/evenements?limit=-5",
                "/api/biodiversite/saisons/1/evenements?offset=-1", "/api/programme/dossiers?offset=" + "9" * 20):
        response = admin.get(url)
        assert response.status_code == 422, (url, response.status_code)
        assert response.json()["detail"].startswith("Données invalides"), url


def test_a_bad_input_error_of_ours_is_a_422_with_its_message(client_as):
    """The selection's own check (minimum above maximum) reached the API as a 500."""
    from tests.programme.test_web_workflow import make_application, make_call

    call = make_call()
    make_application(call, 1)
    team = client_as("equipe_programme")
    response = team.post(f"/api/programme/appels/{call.slug}/selection/variantes",
                         {"budgets": [100000], "min_count": 3, "max_count": 1}, content_type="application/json")
    assert response.status_code == 422 and "nombre maximal de lauréats" in response.json()["detail"]


def test_the_nul_character_is_refused_not_a_server_error(client_as):
    """PostgreSQL cannot store nor compare U+0000: on it, these requests ended in a 500."""
    admin = client_as("administrateur")
    for url in ("/api/audit?action=a%00b", "/api/programme/dossiers?q=%00", "/api/archives/collections/a%00/doublons",
                "/api/biodiversite/saisons/1/evenements?type=%00", "/api/decisions/similaires?q=a&jurisdiction=%00"):
        response = admin.get(url)
        assert response.status_code == 422 and "NUL" in response.json()["detail"], url
    response = admin.post("/api/programme/appels/a%00/selection/variantes", {"budgets": [1]},
                          content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    response = admin.post("/api/decisions/objectivation", {"decision_id": "a\x00"}, content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_a_session_cannot_write_without_its_csrf_token(make_user):
    from amorce.web.models import Job

    admin = make_user("administrateur")
    job = Job.objects.create(kind="demo.load", label="Tâche", created_by=admin)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    response = browser.post(f"/api/taches/{job.pk}/annuler")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    job.refresh_from_db()
    assert not job.cancel_requested
