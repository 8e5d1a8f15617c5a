"""Security defaults: CSRF, headers, cookies outside debug, login rate limiting, upload and image limits."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from amorce.core import config
from amorce.core.images import ImageRejected, open_image

pytestmark = pytest.mark.django_db


def test_login_form_requires_csrf(make_user):
    make_user("inspecteur", username="ines")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/connexion/", {"username": "ines", "password": "motdepasse-test-123"})
    assert response.status_code == 403


def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_https_settings_outside_debug():
    cfg = config.load({"SECRET_KEY": "x" * 50})
    assert cfg.debug is False and cfg.https is True
    cfg = config.load({"AMORCE_DEBUG": "1"})
    assert cfg.https is False


def test_secret_key_required_outside_debug():
    with pytest.raises(config.ConfigurationError, match="SECRET_KEY"):
        config.load({})


def test_no_debug_page_outside_debug(client, settings):
    assert settings.DEBUG is False
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and "Traceback" not in page and "URLconf" not in page


def test_login_rate_limited_after_failures(client, make_user, settings):
    make_user("inspecteur", username="ines")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/comptes/connexion/", {"username": "ines", "password": "faux"})
    response = client.post("/comptes/connexion/", {"username": "ines", "password": "motdepasse-test-123"})
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_in_french(client, make_user):
    make_user("inspecteur", username="ines")
    page = client.post("/comptes/connexion/", {"username": "ines", "password": "faux"}).content.decode()
    assert "Identifiant ou mot de passe incorrect" in page


def test_request_body_above_upload_limit_is_refused(client_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = client_as("inspecteur")
    response = client.post("/comptes/profil/jetons/", {"name": "x" * 4096})
    assert response.status_code == 413


def test_pillow_decompression_bomb_limit_is_set(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.AMORCE_IMAGE_MAX_PIXELS


def _png(width: int, height: int) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def test_open_image_refuses_images_above_limit():
    assert open_image(_png(100, 100), max_pixels=20_000).size == (100, 100)
    with pytest.raises(ImageRejected, match="dépasse la limite"):
        open_image(_png(200, 200), max_pixels=20_000, name="piege.png")


def test_open_image_refuses_garbage():
    with pytest.raises(ImageRejected, match="illisible"):
        open_image(io.BytesIO(b"pas une image"), name="x.jpg")


def test_logout_requires_post(client_as):
    client = client_as("inspecteur")
    assert client.get("/comptes/deconnexion/").status_code == 405
    client.post("/comptes/deconnexion/")
    assert "_auth_user_id" not in client.session
