"""ProConnect (OpenID Connect) sign-in, optional.

One switch, read at request time: ``settings.AMORCE_OIDC_ENABLED`` (``OIDC_ENABLED=1``). While it
is off, every /oidc/ view answers 404 and :class:`ProConnectBackend` (always listed in
``AUTHENTICATION_BACKENDS``) authenticates nobody; the ``OIDC_*`` settings always exist, so tests
and deployments switch ProConnect on without re-importing settings or URLs.

ProConnect returns the userinfo as a signed JWT (``application/jwt``), which mozilla-django-oidc
≥ 5.0.2 verifies against the provider's JWKS. On top of that, the ID token's audience, issuer
(``OIDC_OP_ISSUER``) and expiry are checked, and the userinfo must be about the same ``sub``.
Accounts are matched on ``sub`` (username ``pc-<sub>``), then on the e-mail of an account that
is not already bound to another ProConnect identity; new accounts get no role until an
administrator grants one (the audit log records the creation). Signing out of an account
opened with ProConnect also ends the ProConnect session (RP-initiated logout, ``id_token_hint``).
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from mozilla_django_oidc import views as oidc_views
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import audit

logger = logging.getLogger("amorce.oidc")

BACKEND_PATH = "amorce.web.oidc.ProConnectBackend"
DISABLED_MESSAGE = "La connexion avec ProConnect n'est pas activée sur ce service."
FAILURE_MESSAGE = ("La connexion avec ProConnect a échoué. Réessayez, ou connectez-vous avec votre "
                   "identifiant et votre mot de passe.")


def oidc_enabled() -> bool:
    return bool(getattr(settings, "AMORCE_OIDC_ENABLED", False))


def _audiences(claims) -> list[str]:
    aud = claims.get("aud")
    return [aud] if isinstance(aud, str) else list(aud or [])


class ProConnectBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The OIDC settings are read in authenticate(), at request time: listed while ProConnect
        # is off, this backend must neither fail nor reach the provider.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password sign-in whose URL happens to carry
        # ?code=&state= never reaches the provider.
        if not oidc_enabled() or request is None or not kwargs.get("nonce"):
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        claims = super().verify_token(token, **kwargs)
        id_token = "nonce" in kwargs  # the ID token is verified with a nonce, the userinfo without
        client_id = self.OIDC_RP_CLIENT_ID
        if (id_token or "aud" in claims) and client_id not in _audiences(claims):
            raise SuspiciousOperation("OIDC token audience does not match OIDC_RP_CLIENT_ID.")
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if issuer and (id_token or "iss" in claims) and claims.get("iss") != issuer:
            raise SuspiciousOperation("OIDC token issuer does not match OIDC_OP_ISSUER.")
        if id_token and "exp" not in claims:
            raise SuspiciousOperation("OIDC ID token without expiry.")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if not claims.get("sub") or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo sub differs from the ID token's.")
        return claims

    def get_username(self, claims):
        return f"pc-{claims['sub']}"[:150]

    def filter_users_by_claims(self, claims):
        sub = claims.get("sub")
        if not sub:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(username=self.get_username(claims))
        if not users.exists() and claims.get("email"):
            # Never link a ProConnect identity to a privileged local account by e-mail alone.
            users = (self.UserModel.objects.filter(email__iexact=claims["email"])
                     .exclude(username__startswith="pc-").exclude(is_staff=True).exclude(is_superuser=True)
                     .exclude(groups__name="administrateur"))
        return users

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and bool(claims.get("email"))

    def _apply_claims(self, user, claims):
        user.email = claims.get("email", user.email)
        user.first_name = (claims.get("given_name") or user.first_name)[:150]
        user.last_name = (claims.get("usual_name") or claims.get("family_name") or user.last_name)[:150]
        return user

    def create_user(self, claims):
        user = self.UserModel(username=self.get_username(claims))
        user.set_unusable_password()
        self._apply_claims(user, claims).save()
        audit.record("compte_cree_proconnect", request=getattr(self, "request", None), user=user, obj=user,
                     siret=claims.get("siret", ""))
        return user

    def update_user(self, user, claims):
        self._apply_claims(user, claims).save()
        return user


def signed_in_with_proconnect(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND_PATH


def logout_url(request) -> str:
    """Where to send the user on sign-out: ProConnect's end-session URL (RP-initiated logout, with
    the ID token hint) for a ProConnect session, else the local page after sign-out."""
    local = resolve_url(settings.LOGOUT_REDIRECT_URL)
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not (oidc_enabled() and endpoint and id_token and signed_in_with_proconnect(request)):
        return local
    params = {"id_token_hint": id_token, "state": secrets.token_urlsafe(16),
              "post_logout_redirect_uri": request.build_absolute_uri(local)}
    return f"{endpoint}?{urlencode(params)}"


class _EnabledOnly:
    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404(DISABLED_MESSAGE)
        return super().dispatch(request, *args, **kwargs)


class AuthenticateView(_EnabledOnly, oidc_views.OIDCAuthenticationRequestView):
    """Redirects to ProConnect with state, nonce and ``acr_values``."""


class CallbackView(_EnabledOnly, oidc_views.OIDCAuthenticationCallbackView):
    """Back from ProConnect: signs the user in, or returns to the login page with a French message."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        messages.error(self.request, FAILURE_MESSAGE)
        return HttpResponseRedirect(self.failure_url)

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.InvalidTokenError) as exc:
            logger.warning("ProConnect sign-in refused: %s", exc)
            audit.record("connexion_proconnect_refusee", request=request, actor_repr="anonyme",
                         raison=str(exc)[:300])
            return self.login_failure()


class OIDCLogoutView(_EnabledOnly, oidc_views.OIDCLogoutView):
    """mozilla-django-oidc's sign-out (POST), through :func:`logout_url`."""


class LogoutView(auth_views.LogoutView):
    """The site's sign-out: Django's, then ProConnect's end-session for a ProConnect session."""

    def post(self, request, *args, **kwargs):
        target = logout_url(request) if signed_in_with_proconnect(request) else None
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(target) if target else response
