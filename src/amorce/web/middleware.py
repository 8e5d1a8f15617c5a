"""Platform middleware: HTTPS seen through trusted reverse proxies only; login required everywhere,
except views marked public and the API (which has its own auth)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware


def is_trusted(address: str | None, networks) -> bool:
    """Whether ``address`` is in one of ``networks`` (AMORCE_TRUSTED_PROXIES)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyHttpsMiddleware:
    """Believe ``X-Forwarded-Proto`` only from a trusted reverse proxy (AMORCE_TRUSTED_PROXIES).

    A request that reaches the server from a trusted proxy with ``X-Forwarded-Proto: https`` is
    secure (``request.is_secure()``: HSTS header, secure redirects, CSRF origin checks); the header
    of any other client is dropped, so that nothing after this middleware can believe it. Must come
    first in MIDDLEWARE, before SecurityMiddleware. Replaces Django's SECURE_PROXY_SSL_HEADER, which
    believes the header from anyone.
    """

    HEADER = "HTTP_X_FORWARDED_PROTO"

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        forwarded = request.META.pop(self.HEADER, None)
        networks = getattr(settings, "AMORCE_TRUSTED_PROXIES", ())
        if forwarded is not None and networks and is_trusted(request.META.get("REMOTE_ADDR"), networks):
            request.META[self.HEADER] = forwarded
            # The proxy's last hop is the one it added itself (« https » or « http »).
            scheme = forwarded.split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                request.META["wsgi.url_scheme"] = scheme
        return self.get_response(request)

PUBLIC_PREFIXES = ("/api/", "/oidc/", "/static/")


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
