"""Configuration from the environment (12-factor). Documented in docs/configuration.md.

Pure: no Django import. ``amorce.web.settings`` builds Django's settings from :func:`load`.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AmorceError

TRUE = {"1", "true", "yes", "on", "oui", "vrai"}
FALSE = {"0", "false", "no", "off", "non", "faux", ""}


class ConfigurationError(AmorceError):
    """A configuration variable is missing or invalid."""


def env_bool(name: str, default: bool, environ: dict | None = None) -> bool:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigurationError(f"Variable {name} : valeur « {raw} » invalide, attendu true/false.", name=name)


def env_int(name: str, default: int, environ: dict | None = None, *, minimum: int | None = None) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"Variable {name} : « {raw} » n'est pas un nombre entier.", name=name) from exc
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"Variable {name} : {value} est trop petit (au moins {minimum}).", name=name)
    return value


def env_str(name: str, default: str = "", environ: dict | None = None) -> str:
    """A text variable, stripped; unset or blank gives ``default``. Modules read the environment through
    these helpers (or their package's configuration object), never ``os.environ`` directly."""
    environ = os.environ if environ is None else environ
    return (environ.get(name) or "").strip() or default


def data_dir(environ: dict | None = None) -> Path:
    """The platform's data folder: ``AMORCE_DATA_DIR``, by default ``var/`` in the current folder."""
    return Path(env_str("AMORCE_DATA_DIR", "", environ) or Path.cwd() / "var").resolve()


@dataclass(frozen=True)
class Config:
    debug: bool
    secret_key: str
    data_dir: Path
    database_url: str
    engine: str
    https: bool
    allowed_hosts: list[str]
    theme: str
    upload_max_bytes: int
    image_max_pixels: int
    llm_base_url: str | None
    llm_api_key: str | None
    llm_model: str | None
    oidc_enabled: bool
    oidc: dict[str, str] = field(default_factory=dict)
    login_failure_limit: int = 5
    api_rate_limit: str = "60/m"
    cache_url: str | None = None
    trusted_proxies: tuple = ()
    db_conn_max_age: int = 60
    job_input_retention_days: int = 7  # failed or cancelled jobs' stored inputs (personal data)


OIDC_VARIABLES = (
    "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT",
    "OIDC_OP_LOGOUT_ENDPOINT", "OIDC_OP_ISSUER", "OIDC_RP_SIGN_ALGO", "OIDC_RP_SCOPES",
)
OIDC_REQUIRED = OIDC_VARIABLES[:6]
# ProConnect's values: RS256 signatures, and the scopes that give the agent's names and SIRET.
OIDC_DEFAULTS = {"OIDC_RP_SIGN_ALGO": "RS256", "OIDC_RP_SCOPES": "openid email given_name usual_name siret uid"}


REPO_ROOT = Path(__file__).resolve().parents[3]


def shared_data_dir(environ: dict | None = None) -> Path:
    """Where the open evaluation data lives (demo loaders, evaluations): ``AMORCE_SHARED_DATA``, by
    default ``../shared/data`` next to the repository. It may be absent: callers say so and go on."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("AMORCE_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")


def env_networks(name: str, environ: dict | None = None) -> tuple:
    """Comma-separated IP addresses or networks (CIDR) → tuple of ``ipaddress`` networks."""
    environ = os.environ if environ is None else environ
    networks = []
    for item in (part.strip() for part in environ.get(name, "").split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ConfigurationError(
                f"Variable {name} : « {item} » n'est ni une adresse IP ni un réseau (ex. 10.0.0.0/8).", name=name
            ) from exc
    return tuple(networks)


def load(environ: dict | None = None) -> Config:
    """Read and validate the configuration; raise :class:`ConfigurationError` in French."""
    environ = dict(os.environ if environ is None else environ)
    debug = env_bool("AMORCE_DEBUG", False, environ)
    data_folder = data_dir(environ)
    secret = environ.get("SECRET_KEY", "")
    if not secret:
        if not debug:
            raise ConfigurationError(
                "La variable SECRET_KEY est obligatoire hors mode debug (AMORCE_DEBUG=1). "
                "Générez-en une, par exemple : python -c 'import secrets; print(secrets.token_urlsafe(50))'."
            )
        secret = "insecure-debug-only-secret-key-do-not-use-in-production"
    theme = environ.get("AMORCE_THEME", "dsfr").strip().lower()
    if theme not in ("dsfr", "neutral"):
        raise ConfigurationError(f"AMORCE_THEME : « {theme} » invalide, attendu dsfr ou neutral.")
    # Every OIDC variable has a value (empty when unset) so that the Django settings always exist
    # and OIDC can be switched on at run time (AMORCE_OIDC_ENABLED).
    oidc = {name: environ.get(name, "").strip() or OIDC_DEFAULTS.get(name, "") for name in OIDC_VARIABLES}
    oidc_enabled = env_bool("OIDC_ENABLED", False, environ)
    if oidc_enabled:
        missing = [n for n in OIDC_REQUIRED if not oidc[n]]
        if missing:
            raise ConfigurationError("OIDC_ENABLED=1 mais variables manquantes : " + ", ".join(missing))
    hosts = [h.strip() for h in environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()]
    return Config(
        debug=debug,
        secret_key=secret,
        data_dir=data_folder,
        database_url=environ.get("DATABASE_URL") or f"sqlite:///{data_folder / 'amorce.sqlite3'}",
        engine=environ.get("AMORCE_ENGINE", "local"),
        https=env_bool("AMORCE_HTTPS", not debug, environ),
        allowed_hosts=hosts,
        theme=theme,
        upload_max_bytes=env_int("AMORCE_UPLOAD_MAX_MB", 20, environ) * 1024 * 1024,
        image_max_pixels=env_int("AMORCE_IMAGE_MAX_PIXELS", 100_000_000, environ, minimum=1),
        llm_base_url=environ.get("LLM_BASE_URL") or None,
        llm_api_key=environ.get("LLM_API_KEY") or None,
        llm_model=environ.get("LLM_MODEL") or None,
        oidc_enabled=oidc_enabled,
        oidc=oidc,
        login_failure_limit=env_int("AMORCE_LOGIN_FAILURE_LIMIT", 5, environ),
        api_rate_limit=environ.get("AMORCE_API_RATE_LIMIT", "60/m"),
        cache_url=environ.get("CACHE_URL") or None,
        trusted_proxies=env_networks("AMORCE_TRUSTED_PROXIES", environ),
        db_conn_max_age=env_int("AMORCE_DB_CONN_MAX_AGE", 60, environ),
        job_input_retention_days=env_int("AMORCE_JOB_INPUT_RETENTION_DAYS", 7, environ),
    )
