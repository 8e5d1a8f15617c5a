"""HTTPS seen through a reverse proxy: X-Forwarded-Proto is believed from AMORCE_TRUSTED_PROXIES only."""

from __future__ import annotations

import ipaddress

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from amorce.web.middleware import TrustedProxyHttpsMiddleware

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.AMORCE_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/24"),)
    settings.SECURE_HSTS_SECONDS = 31536000
    return settings


def test_hsts_and_secure_request_from_a_trusted_proxy(client, behind_proxy):
    response = client.get("/sante/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_proto_of_an_untrusted_client_is_ignored(client, behind_proxy):
    response = client.get("/sante/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in response


def test_untrusted_header_is_dropped_for_everything_after(behind_proxy):
    seen = {}

    def view(request):
        seen.update(secure=request.is_secure(), header=request.META.get("HTTP_X_FORWARDED_PROTO"))
        return HttpResponse()

    middleware = TrustedProxyHttpsMiddleware(view)
    middleware(RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"secure": False, "header": None}
    middleware(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"secure": True, "header": "https"}
    # the proxy's own hop is the last one: a client cannot prepend « https » to a plain-HTTP request
    middleware(RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https, http"))
    assert seen["secure"] is False


def test_no_proxy_configured_no_header_believed(client, settings):
    settings.AMORCE_TRUSTED_PROXIES = ()
    settings.SECURE_HSTS_SECONDS = 31536000
    assert "Strict-Transport-Security" not in client.get("/sante/", HTTP_X_FORWARDED_PROTO="https")
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER") or settings.SECURE_PROXY_SSL_HEADER is None
