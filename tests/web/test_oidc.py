"""ProConnect sign-in (OpenID Connect code flow) against a local fake provider.

The provider runs in a thread on 127.0.0.1 (random port): /authorize, /token (RS256 ID token),
/userinfo (signed JWT, ``application/jwt``, as ProConnect does) and /jwks. No network.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY

from amorce.core import config
from amorce.web import oidc
from amorce.web.models import AuditEvent
from amorce.web.roles import Role, set_roles, user_roles

pytestmark = pytest.mark.django_db

CLAIMS = {"sub": "b6f2c1e0-agent-42", "email": "camille.durand@interieur.gouv.fr", "given_name": "Camille",
          "usual_name": "Durand", "siret": "11000201100044", "uid": "42"}


class FakeProvider:
    """A minimal OpenID provider shaped like ProConnect."""

    client_id = "amorce-recette"
    client_secret = "secret-de-recette"

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "cle-recette-1"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.provider = self
        self.issuer = f"http://127.0.0.1:{self.server.server_port}/api/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def reset(self):
        self.claims = dict(CLAIMS)
        self.faults: set[str] = set()
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.calls: list[str] = []
        self.authorize_params: dict[str, str] = {}

    def url(self, path: str) -> str:
        return f"{self.issuer}{path}"

    def sign(self, payload: dict) -> str:
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    # --- endpoints -------------------------------------------------------------------------
    def authorize(self, params: dict[str, str]) -> tuple[int, dict, bytes]:
        self.authorize_params = params
        if params.get("client_id") != self.client_id or params.get("response_type") != "code":
            return 400, {}, b"invalid_request"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": params.get("nonce"), "redirect_uri": params["redirect_uri"]}
        query = urlencode({"code": code, "state": params["state"]})
        return 302, {"Location": f"{params['redirect_uri']}?{query}"}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict, bytes]:
        grant = self.codes.pop(form.get("code", ""), None)
        if (grant is None or form.get("grant_type") != "authorization_code"
                or form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret
                or form.get("redirect_uri") != grant["redirect_uri"]):
            return 400, {"Content-Type": "application/json"}, b'{"error": "invalid_grant"}'
        now = int(time.time())
        id_claims = {"iss": self.issuer, "sub": self.claims["sub"], "aud": self.client_id, "iat": now,
                     "exp": now + 60, "nonce": grant["nonce"], "acr": "eidas1"}
        if "wrong_nonce" in self.faults:
            id_claims["nonce"] = "nonce-d-une-autre-session"
        if "wrong_audience" in self.faults:
            id_claims["aud"] = "un-autre-service"
        if "wrong_issuer" in self.faults:
            id_claims["iss"] = "https://faux-fournisseur.example"
        if "expired" in self.faults:
            id_claims.update(iat=now - 600, exp=now - 300)
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = dict(self.claims)
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 60,
                "id_token": self.sign(id_claims)}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {}, b""
        claims = {**claims, "iss": self.issuer, "aud": self.client_id}
        if "other_sub" in self.faults:
            claims["sub"] = "quelqu-un-d-autre"
        token = self.sign(claims)
        if "tampered_userinfo" in self.faults:
            # A man in the middle swaps the e-mail and keeps the provider's signature.
            header, _, signature = token.split(".")
            forged = {**claims, "email": "admin@amorce.example"}
            payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{header}.{payload}.{signature}"
        return 200, {"Content-Type": "application/jwt"}, token.encode()


class _Handler(BaseHTTPRequestHandler):
    def _reply(self, status: int, headers: dict, body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server API)
        provider: FakeProvider = self.server.provider
        url = urlsplit(self.path)
        provider.calls.append(f"GET {url.path.rsplit('/', 1)[-1]}")
        if url.path.endswith("/authorize"):
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            self._reply(*provider.authorize(params))
        elif url.path.endswith("/userinfo"):
            self._reply(*provider.userinfo(self.headers.get("Authorization", "")))
        elif url.path.endswith("/jwks"):
            self._reply(200, {"Content-Type": "application/json"}, json.dumps(provider.jwks()).encode())
        else:
            self._reply(404, {}, b"")

    def do_POST(self):  # noqa: N802
        provider: FakeProvider = self.server.provider
        provider.calls.append("POST token")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.path.endswith("/token"):
            self._reply(*provider.token({k: v[0] for k, v in parse_qs(body).items()}))
        else:
            self._reply(404, {}, b"")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def provider():
    fake = FakeProvider()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def proconnect(provider, settings, monkeypatch):
    """ProConnect switched on at run time, pointing at the fake provider."""
    provider.reset()
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    settings.AMORCE_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.url("/authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.url("/token")
    settings.OIDC_OP_USER_ENDPOINT = provider.url("/userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = provider.url("/jwks")
    settings.OIDC_OP_LOGOUT_ENDPOINT = provider.url("/session/end")
    settings.OIDC_OP_ISSUER = provider.issuer
    return provider


def start(client, provider, next_url: str | None = None) -> str:
    """GET /oidc/authenticate/, then play the browser at the provider: the callback URL."""
    response = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    assert response["Location"].startswith(provider.url("/authorize?"))
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    callback = urlsplit(at_provider.headers["Location"])
    assert callback.path == "/oidc/callback/"
    return f"{callback.path}?{callback.query}"


def sign_in(client, provider, next_url: str | None = None):
    return client.get(start(client, provider, next_url))


def signed_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_authentication_request_carries_proconnect_parameters(client, proconnect):
    response = client.get("/oidc/authenticate/")
    location = urlsplit(response["Location"])
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert params["client_id"] == proconnect.client_id
    assert params["response_type"] == "code"
    assert params["scope"] == "openid email given_name usual_name siret uid"
    assert params["acr_values"] == "eidas1"
    assert params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    stored = client.session["oidc_states"][params["state"]]
    assert stored["nonce"] == params["nonce"]


def test_full_code_flow_creates_account_without_role_then_matches_it(client, proconnect, django_user_model):
    response = sign_in(client, proconnect)
    assert response.status_code == 302 and response["Location"] == "/"
    assert proconnect.calls == ["GET authorize", "POST token", "GET jwks", "GET userinfo", "GET jwks"]

    user = django_user_model.objects.get(username=f"pc-{CLAIMS['sub']}")
    assert (user.email, user.first_name, user.last_name) == (CLAIMS["email"], "Camille", "Durand")
    assert not user.has_usable_password()
    assert user.groups.count() == 0 and user_roles(user) == frozenset() and not user.is_staff
    assert signed_in_user_id(client) == str(user.pk)
    assert client.session[BACKEND_SESSION_KEY] == oidc.BACKEND_PATH
    assert client.session["oidc_id_token"].count(".") == 2
    created = AuditEvent.objects.get(action="compte_cree_proconnect")
    assert created.object_id == str(user.pk) and created.details["siret"] == CLAIMS["siret"]
    assert AuditEvent.objects.filter(action="connexion", actor=user).count() == 1
    assert client.get("/comptes/profil/").status_code == 200

    # Second sign-in, in a fresh browser, with a new usual name at the provider: same account.
    client.logout()
    proconnect.claims["usual_name"] = "Durand-Martin"
    response = sign_in(client, proconnect, next_url="/taches/")
    assert response.status_code == 302 and response["Location"] == "/taches/"
    assert django_user_model.objects.filter(username__startswith="pc-").count() == 1
    user.refresh_from_db()
    assert user.last_name == "Durand-Martin"
    assert signed_in_user_id(client) == str(user.pk)
    assert AuditEvent.objects.filter(action="compte_cree_proconnect").count() == 1


def test_existing_local_account_is_matched_on_email_and_keeps_its_roles(client, proconnect, django_user_model):
    local = django_user_model.objects.create_user("cdurand", email=CLAIMS["email"].upper(), password="x" * 16)
    set_roles(local, [Role.INSPECTEUR])
    sign_in(client, proconnect)
    assert signed_in_user_id(client) == str(local.pk)
    local.refresh_from_db()
    assert local.username == "cdurand" and user_roles(local) == {Role.INSPECTEUR}
    assert not AuditEvent.objects.filter(action="compte_cree_proconnect").exists()


@pytest.mark.parametrize("privilege", ["staff", "superuser", "administrateur"])
def test_privileged_local_account_is_never_linked_by_email(client, proconnect, django_user_model, privilege):
    """Whoever controls an e-mail address at the provider must not take over an admin account."""
    admin = django_user_model.objects.create_user("admin-local", email=CLAIMS["email"], password="x" * 16,
                                                  is_staff=privilege == "staff",
                                                  is_superuser=privilege == "superuser")
    if privilege == "administrateur":
        set_roles(admin, [Role.ADMINISTRATEUR])
    sign_in(client, proconnect)
    created = django_user_model.objects.get(username=f"pc-{CLAIMS['sub']}")
    assert signed_in_user_id(client) == str(created.pk) != str(admin.pk)
    assert user_roles(created) == frozenset() and not created.is_staff and not created.is_superuser
    assert AuditEvent.objects.filter(action="compte_cree_proconnect").count() == 1


@pytest.mark.parametrize("fault", ["tampered_userinfo", "wrong_nonce", "wrong_audience", "wrong_issuer",
                                   "expired", "other_sub"])
def test_forged_or_mismatched_tokens_are_refused(client, proconnect, django_user_model, fault):
    proconnect.faults.add(fault)
    response = client.get(start(client, proconnect), follow=True)
    assert response.redirect_chain[0] == ("/comptes/connexion/", 302)
    assert "La connexion avec ProConnect a échoué" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not django_user_model.objects.filter(username__startswith="pc-").exists()
    assert not AuditEvent.objects.filter(action__in=["compte_cree_proconnect", "connexion"]).exists()
    assert AuditEvent.objects.filter(action__in=["connexion_proconnect_refusee", "connexion_echouee"]).exists()


def test_replayed_state_is_refused(client, proconnect):
    callback = start(client, proconnect)
    assert client.get(callback)["Location"] == "/"
    client.logout()
    response = client.get(callback)
    assert response.status_code == 302 and response["Location"] == "/comptes/connexion/"
    assert signed_in_user_id(client) is None


def test_password_sign_in_never_reaches_the_provider(client, proconnect, django_user_model):
    django_user_model.objects.create_user("agent", password="mot-de-passe-solide")
    response = client.post("/comptes/connexion/?code=abc&state=def",
                           {"username": "agent", "password": "mot-de-passe-solide"})
    assert response.status_code == 302 and signed_in_user_id(client) is not None
    assert proconnect.calls == []


def test_sign_out_ends_the_proconnect_session(client, proconnect):
    sign_in(client, proconnect)
    id_token = client.session["oidc_id_token"]
    response = client.post("/comptes/deconnexion/")
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == proconnect.url("/session/end")
    params = {k: v[0] for k, v in parse_qs(target.query).items()}
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/" and params["state"]
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="deconnexion").count() == 1


def test_password_account_signs_out_locally(client, proconnect, django_user_model):
    client.force_login(django_user_model.objects.create_user("agent", password="x" * 16),
                       backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/comptes/deconnexion/")
    assert response["Location"] == "/" and signed_in_user_id(client) is None


def test_login_page_offers_proconnect_only_when_enabled(client, settings):
    settings.AMORCE_OIDC_ENABLED = False
    assert "ProConnect" not in client.get("/comptes/connexion/").content.decode()
    settings.AMORCE_OIDC_ENABLED = True
    page = client.get("/comptes/connexion/?next=/taches/").content.decode()
    assert "S'identifier avec ProConnect" in page
    assert 'href="/oidc/authenticate/?next=/taches/"' in page


def test_disabled_oidc_answers_404_in_french(client, settings):
    settings.AMORCE_OIDC_ENABLED = False
    for url in ("/oidc/authenticate/", "/oidc/callback/?code=abc&state=def"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()
    assert client.post("/oidc/logout/").status_code == 404


def test_configuration_defaults_and_required_variables():
    base = {"AMORCE_DEBUG": "1"}
    assert config.load(base).oidc["OIDC_RP_SCOPES"] == "openid email given_name usual_name siret uid"
    assert config.load(base).oidc["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert not config.load(base).oidc_enabled
    with pytest.raises(config.ConfigurationError, match="OIDC_OP_JWKS_ENDPOINT"):
        config.load({**base, "OIDC_ENABLED": "1", "OIDC_RP_CLIENT_ID": "x"})
