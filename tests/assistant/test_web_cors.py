"""CORS of the public assistant API (embeddable widget on other sites, through django-cors-headers):
listed origins only, no credentials, preflight; CSRF still enforced on the session-authenticated pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from amorce.assistant import config
from amorce.assistant.config import AssistantConfigError, check_settings, from_environ, parse_origins
from amorce.assistant.models import Exchange

from .test_web_chat import KEYS_QUESTION

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("assistant_settings")]

ALLOWED = "https://www.mairie-exemple.fr"
OTHER = "https://malveillant.example"


@pytest.fixture(autouse=True)
def origins(settings):
    settings.AMORCE_ASSISTANT_CORS_ORIGINS = f"{ALLOWED}, http://localhost:8080"


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def ask(client: Client, origin: str | None, **extra):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post("/api/assistant/ask", json.dumps({"question": KEYS_QUESTION}),
                       content_type="application/json", **headers, **extra)


def preflight(client: Client, origin: str, path: str = "/api/assistant/ask"):
    return client.options(path, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                          HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type")


def test_allowed_origin_gets_cors_headers_without_credentials(browser):
    response = ask(browser, ALLOWED)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "origin" in response["Vary"].lower()
    assert "Access-Control-Allow-Credentials" not in response
    assert response.json()["sources"][0]["id"] == "F12244"
    info = browser.get("/api/assistant/info", HTTP_ORIGIN="http://localhost:8080")
    assert info.status_code == 200 and info["Access-Control-Allow-Origin"] == "http://localhost:8080"


def test_other_origins_get_no_cors_headers(browser):
    for origin in (OTHER, "https://www.mairie-exemple.fr.malveillant.example", "null"):
        response = ask(browser, origin)
        assert "Access-Control-Allow-Origin" not in response, origin
        assert "origin" in response["Vary"].lower()
    same_origin = ask(browser, None)  # same-origin calls (no Origin header) work as before
    assert same_origin.status_code == 200 and "Access-Control-Allow-Origin" not in same_origin


def test_preflight_for_allowed_and_other_origins(browser):
    ok = preflight(browser, ALLOWED)
    assert ok.status_code == 200 and ok.content == b""
    assert ok["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in ok["Access-Control-Allow-Methods"]
    assert ok["Access-Control-Allow-Headers"].lower() == "content-type"
    assert int(ok["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in ok
    denied = preflight(browser, OTHER)
    assert denied.status_code == 200 and "Access-Control-Allow-Origin" not in denied
    assert "Access-Control-Allow-Methods" not in denied
    assert Exchange.objects.count() == 0  # a preflight never reaches the view


def test_cors_is_limited_to_the_public_assistant_api(browser):
    # the rest of the API and the session pages stay same-origin only
    for path in ("/api/moi", "/api/taches", "/assistant/"):
        assert "Access-Control-Allow-Origin" not in browser.get(path, HTTP_ORIGIN=ALLOWED), path
        assert "Access-Control-Allow-Origin" not in preflight(browser, ALLOWED, path), path


def test_csrf_still_enforced_for_session_pages_from_an_allowed_origin(browser):
    # the public chat form (session-based) refuses a cross-site POST without the CSRF token...
    forged = browser.post("/assistant/", {"question": KEYS_QUESTION}, HTTP_ORIGIN=ALLOWED)
    assert forged.status_code == 403 and "Access-Control-Allow-Origin" not in forged
    assert browser.post("/assistant/agent/", {"message": "x"}, HTTP_ORIGIN=ALLOWED).status_code == 403
    assert Exchange.objects.count() == 0
    # ...while the anonymous JSON API, which never reads the session, needs no token
    assert ask(browser, ALLOWED).status_code == 200


def test_rate_limit_answer_is_readable_cross_origin(browser, settings):
    settings.AMORCE_ASSISTANT_RATE_LIMIT = "1/m"
    assert ask(browser, ALLOWED).status_code == 200
    limited = ask(browser, ALLOWED)
    assert limited.status_code == 429 and "Trop de requêtes" in limited.json()["detail"]
    assert int(limited["Retry-After"]) > 0
    assert limited["Access-Control-Allow-Origin"] == ALLOWED
    assert "Retry-After" in limited["Access-Control-Expose-Headers"]


def test_invalid_settings_are_reported_in_french_by_the_system_check(settings):
    assert parse_origins(" https://a.fr/ ,http://127.0.0.1:8000,") == (
        {"https://a.fr", "http://127.0.0.1:8000"}, [])
    for bad in ("*", "www.sans-schema.fr", "https://a.fr/chemin", "ftp://a.fr"):
        with pytest.raises(AssistantConfigError, match="AMORCE_ASSISTANT_CORS_ORIGINS.*Attendu"):
            from_environ({"AMORCE_ASSISTANT_CORS_ORIGINS": bad})
    assert check_settings() == []
    settings.AMORCE_ASSISTANT_CORS_ORIGINS = "*"
    settings.AMORCE_ASSISTANT_RATE_LIMIT = "beaucoup"
    errors = check_settings()
    assert [e.id for e in errors] == ["assistant.E001", "assistant.E001"]
    assert "60/m" in errors[0].msg and "origine(s) invalide(s) « * »" in errors[1].msg
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match="AMORCE_ASSISTANT_RATE_LIMIT"):
        call_command("check")
    # at run time, the first use stops with every problem listed
    with pytest.raises(AssistantConfigError, match="RATE_LIMIT.*CORS_ORIGINS"):
        ask(Client(raise_request_exception=True), ALLOWED)


def test_assistant_rate_limit_is_read_from_the_environment(browser, settings, monkeypatch):
    settings.AMORCE_ASSISTANT_RATE_LIMIT = None
    settings.AMORCE_API_RATE_LIMIT = "1000/m"
    monkeypatch.setenv("AMORCE_ASSISTANT_RATE_LIMIT", "2/m")
    config.reset()  # the environment is read once per process
    assert [ask(browser, ALLOWED).status_code for _ in range(3)] == [200, 200, 429]
