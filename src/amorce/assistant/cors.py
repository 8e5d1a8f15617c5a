"""CORS for the public assistant API only (``/api/assistant/``), so that the embeddable widget works
on the sites listed in ``AMORCE_ASSISTANT_CORS_ORIGINS``.

Why this is safe for this API and nothing else:

- only the anonymous public routes under ``/api/assistant/`` get CORS headers; every other path
  (session pages, the rest of the API) is left untouched, so a cross-origin page can neither read
  them nor post to them without the CSRF token;
- ``Access-Control-Allow-Credentials`` is never sent: a browser does not attach (nor expose) the
  session cookie to a cross-origin call, and the assistant API does not read the session anyway;
- the origin must be one of the configured list, echoed back exactly (never ``*``), with
  ``Vary: Origin`` so caches keep one answer per origin;
- abuse is bounded by the per-IP rate limit of the API (``AMORCE_ASSISTANT_RATE_LIMIT``).

A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) on the public API is answered here,
before the views: 204 with the allowed method and headers for a listed origin, 204 without any CORS
header otherwise (the browser then blocks the call).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

PUBLIC_PREFIX = "/api/assistant/"
ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Content-Type"
EXPOSED_HEADERS = "Retry-After"
PREFLIGHT_MAX_AGE = 3600
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(?::\d{1,5})?$|^https?://\[[0-9a-f:]+\](?::\d{1,5})?$")


def configured_origins() -> frozenset[str]:
    """Origins allowed to call the public API: the ``AMORCE_ASSISTANT_CORS_ORIGINS`` setting, else the
    environment variable (comma-separated ``https://domaine[:port]``); empty: same origin only."""
    value = getattr(settings, "AMORCE_ASSISTANT_CORS_ORIGINS", None)
    if value is None:
        value = os.environ.get("AMORCE_ASSISTANT_CORS_ORIGINS", "")
    if not isinstance(value, str):
        value = ",".join(value)
    return parse_origins(value)


@lru_cache(maxsize=8)
def parse_origins(value: str) -> frozenset[str]:
    origins, bad = set(), []
    for item in value.split(","):
        origin = item.strip().rstrip("/").lower()
        if not origin:
            continue
        if _ORIGIN.match(origin):
            origins.add(origin)
        else:
            bad.append(item.strip())
    if bad:
        raise ImproperlyConfigured(
            "AMORCE_ASSISTANT_CORS_ORIGINS : origine(s) invalide(s) " + ", ".join(f"« {b} »" for b in bad)
            + ". Attendu : des adresses de la forme https://www.exemple.fr (schéma, domaine, port facultatif ; "
              "sans chemin ni « * »), séparées par des virgules.")
    return frozenset(origins)


class PublicApiCorsMiddleware:
    """Adds CORS headers to the public assistant API for the configured origins (see module doc)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        # an invalid value stops the start-up with a French message, rather than failing requests
        from .views import rate_limit

        configured_origins()
        rate_limit()

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin", "")
        allowed = bool(origin) and origin.lower() in configured_origins()
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            if allowed:
                response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        _vary_origin(response)
        return response


def _vary_origin(response) -> None:
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    if "origin" not in {v.lower() for v in vary}:
        response["Vary"] = ", ".join([*vary, "Origin"])
