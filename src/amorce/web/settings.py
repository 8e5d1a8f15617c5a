"""Django settings, built from the environment through :mod:`amorce.core.config`.

See docs/configuration.md for every variable.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF

from amorce.core import config as _config
from amorce.core.images import configure_pillow
from amorce.usecases import REGISTERED

CONFIG = _config.load()
PACKAGE_DIR = Path(__file__).resolve().parents[1]

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
AMORCE_THEME = CONFIG.theme
AMORCE_DATA_DIR = CONFIG.data_dir
AMORCE_ENGINE = CONFIG.engine
AMORCE_OIDC_ENABLED = CONFIG.oidc_enabled
AMORCE_API_RATE_LIMIT = CONFIG.api_rate_limit
AMORCE_JOB_INPUT_RETENTION_DAYS = CONFIG.job_input_retention_days
AMORCE_TRUSTED_PROXIES = CONFIG.trusted_proxies  # reverse proxies whose X-Forwarded-For/-Proto are believed
LLM_BASE_URL, LLM_API_KEY, LLM_MODEL = CONFIG.llm_base_url, CONFIG.llm_api_key, CONFIG.llm_model

# The registered use cases (amorce.usecases.REGISTERED) are Django apps.
AMORCE_USECASE_APPS = list(REGISTERED)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "ninja",  # serves Swagger UI from its own static files (otherwise from a CDN the CSP blocks)
    "django_tasks",
    "django_tasks_db",
    "axes",
    "mozilla_django_oidc",
    "corsheaders",
    "amorce.web",
    *[f"amorce.{name}" for name in AMORCE_USECASE_APPS],
]

MIDDLEWARE = [
    # X-Forwarded-Proto believed from AMORCE_TRUSTED_PROXIES only (no SECURE_PROXY_SSL_HEADER, which believes anyone)
    "amorce.web.middleware.TrustedProxyHttpsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # CORS (django-cors-headers) for the public assistant API only, for the embeddable widget: the origins
    # come from AMORCE_ASSISTANT_CORS_ORIGINS through the assistant's check_request_enabled signal
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amorce.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

CORS_URLS_REGEX = r"^/api/assistant/"
CORS_ALLOW_METHODS = ("GET", "POST", "OPTIONS")
CORS_ALLOW_HEADERS = ("content-type",)
CORS_EXPOSE_HEADERS = ("Retry-After",)
CORS_PREFLIGHT_MAX_AGE = 3600

ROOT_URLCONF = "amorce.web.urls"
WSGI_APPLICATION = "amorce.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amorce.web.context.site",
            ],
        },
    },
]

# Persistent connections (checked before reuse): opening one per request, with SQLite's PRAGMAs, cost
# about a sixth of a dossier-list request under load (benchmarks/programme_dossiers.py).
DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=CONFIG.db_conn_max_age,
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # The web server and the job worker share the file: WAL lets readers go on while a job
        # writes, IMMEDIATE transactions avoid deadlocks between writers.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Inert while AMORCE_OIDC_ENABLED is false (see amorce.web.oidc).
    "amorce.web.oidc.ProConnectBackend",
]
# ProConnect (OpenID Connect). The OIDC_* settings always exist (empty when unset); the one switch
# is AMORCE_OIDC_ENABLED, read at request time by the /oidc/ views (404 when off), the login page
# and ProConnectBackend.
globals().update(CONFIG.oidc)
OIDC_STORE_ID_TOKEN = True  # kept for the id_token_hint of RP-initiated logout
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
OIDC_OP_LOGOUT_URL_METHOD = "amorce.web.oidc.logout_url"
OIDC_CREATE_USER = True
OIDC_TIMEOUT = 15

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login rate limiting (django-axes): lock a username+IP pair after N failures for 15 minutes.
AXES_FAILURE_LIMIT = CONFIG.login_failure_limit
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "amorce.web.audit.client_ip"  # same address as the audit log and rate limits

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.data_dir / "static"
MEDIA_ROOT = CONFIG.data_dir / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not STATIC_ROOT.exists()
# Served from the finders until `collectstatic` has run: WhiteNoise's English warning says nothing useful then.
warnings.filterwarnings("ignore", message="No directory at")

# Upload limits: requests above the limit are refused before reaching the views.
AMORCE_UPLOAD_MAX_BYTES = CONFIG.upload_max_bytes
DATA_UPLOAD_MAX_MEMORY_SIZE = CONFIG.upload_max_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Large uploads are written under the data directory (not the system's temporary folder), where the
# server and the worker remove the copies a killed process left behind (amorce.web.uploads).
FILE_UPLOAD_TEMP_DIR = str(CONFIG.data_dir / "tmp" / "uploads")
# Bodies far above the limit are refused before being read, or while they stream in (no disk write).
FILE_UPLOAD_HANDLERS = ["amorce.web.uploads.RequestSizeLimitHandler",
                        "django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "amorce.web.uploads.LockedTemporaryFileUploadHandler"]
AMORCE_IMAGE_MAX_PIXELS = configure_pillow(CONFIG.image_max_pixels)

# Security headers. Outside debug (and unless AMORCE_HTTPS=0 for a loopback demo), cookies are
# secure and HSTS is sent.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "amorce.web.error_pages.csrf_failure"  # French DSFR page, not Django's English one
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = CONFIG.https
SECURE_HSTS_SECONDS = 31536000 if CONFIG.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

if CONFIG.oidc["OIDC_OP_LOGOUT_ENDPOINT"]:
    # Signing out of a ProConnect session redirects the sign-out form to ProConnect's end-session
    # URL, and browsers apply form-action to that redirect.
    _logout = CONFIG.oidc["OIDC_OP_LOGOUT_ENDPOINT"].split("/")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("/".join(_logout[:3]))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # INFO at most: libraries that set their own logger to DEBUG (bm25s) print nothing through it
    "handlers": {"console": {"class": "logging.StreamHandler", "level": "INFO"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # django_tasks' worker logs in English at INFO (« Task id=… state=… »): the jobs pages say it in French
    "loggers": {"amorce": {"level": "INFO"}, "amorce.jobs": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"},
                "bm25s": {"level": "WARNING"},
                # 403/404 are normal answers, not server errors: no traceback in the logs for them
                "django.request": {"level": "ERROR"}},
}

# Shared cache (rate limits): a file cache works across the web and worker processes with no
# extra service (its counters are locked, see web.cache); CACHE_URL=redis://host:6379/0 uses Redis
# instead (pip install redis).
if CONFIG.cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CONFIG.cache_url}}
else:
    CACHES = {"default": {"BACKEND": "amorce.web.cache.LockedFileBasedCache",
                          "LOCATION": str(CONFIG.data_dir / "cache")}}

# Mail (agents' replies to citizens): the console unless a real backend is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ne-pas-repondre@amorce.localhost")
