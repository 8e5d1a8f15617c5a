"""The error pages: French, DSFR, a reference also in the server log, never a traceback (DEBUG off)."""

from __future__ import annotations

import html
import logging
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"Référence de l'erreur : <strong[^>]*>([0-9A-F]{4}-[0-9A-F]{4})</strong>")


def _reference(response, caplog, status: int) -> logging.LogRecord:
    """The page's reference, and the log record that carries it."""
    page = html.unescape(response.content.decode())
    assert response.status_code == status
    assert 'lang="fr"' in page and "fr-header" in page and "Traceback" not in page and "File \"" not in page
    match = REFERENCE.search(page)
    assert match, page
    records = [r for r in caplog.records if match.group(1) in r.getMessage() and "Erreur" in r.getMessage()]
    assert len(records) == 1, [r.getMessage() for r in caplog.records]
    assert f"Erreur {status}" in records[0].getMessage()
    return records[0]


def test_not_found_page(client, settings, caplog):
    assert settings.DEBUG is False
    caplog.set_level(logging.INFO, logger="amorce.web.errors")
    response = client.get("/nexiste-pas/")
    assert "Page introuvable" in response.content.decode()
    _reference(response, caplog, 404)


def test_forbidden_page_keeps_the_views_message(client_as, caplog):
    response = client_as("inspecteur").get("/journal/")
    assert "Votre rôle ne permet pas d'accéder à cette page." in html.unescape(response.content.decode())
    _reference(response, caplog, 403)


def test_server_error_page_logs_the_traceback_with_the_reference(client_as, caplog, monkeypatch):
    from amorce.web import views

    def broken(*args, **kwargs):
        raise RuntimeError("secret interne qui ne doit pas s'afficher")

    monkeypatch.setattr(views, "render", broken)
    client = client_as("inspecteur")
    client.raise_request_exception = False
    response = client.get("/mentions-legales/")
    page = response.content.decode()
    assert "Erreur inattendue" in page and "secret interne" not in page and "RuntimeError" not in page
    assert page.lower().count("référence") == 1, "the reference is asked for once, beside it"
    record = _reference(response, caplog, 500)
    assert record.exc_info and record.exc_info[0] is RuntimeError
    # Django does not log it a second time without the reference.
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_server_error_page_shows_even_when_the_page_shell_fails(client_as, caplog, monkeypatch):
    from amorce.web import context, views

    def broken(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(views, "render", broken)
    monkeypatch.setattr(context, "navigation", broken)  # the menu needs the database
    client = client_as("inspecteur")
    client.raise_request_exception = False
    response = client.get("/mentions-legales/")
    assert "Erreur inattendue" in response.content.decode()
    _reference(response, caplog, 500)


def test_body_above_upload_limit_is_a_413_page(client_as, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    response = client_as("inspecteur").post("/comptes/profil/jetons/", {"name": "x" * (3 * 1024 * 1024)})
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "2\u00a0Mo" in page
    _reference(response, caplog, 413)


def test_bad_request_page(client, settings, caplog):
    response = client.get("/", HTTP_HOST="hote-inconnu.example")
    assert "Requête invalide" in response.content.decode()
    _reference(response, caplog, 400)


def test_csrf_failure_page_in_french(make_user, caplog):
    make_user("inspecteur", username="ines")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/connexion/", {"username": "ines", "password": "motdepasse-test-123"})
    page = response.content.decode()
    assert "Vérification de sécurité échouée" in page and "CSRF" not in page and "Forbidden" not in page
    record = _reference(response, caplog, 403)
    assert "CSRF cookie not set" in record.getMessage()  # Django's reason, for the administrator only
