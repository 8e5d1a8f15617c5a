"""The assistant's settings, read and validated in one place (documented in docs/assistant.md).

Each value is looked up as: the Django setting of that name when Django is configured and the
setting is not ``None``, else the environment variable of the same name, else the default. **An
empty value means the default** (``AMORCE_ASSISTANT_RATE_LIMIT=""`` uses ``AMORCE_API_RATE_LIMIT``,
``AMORCE_ASSISTANT_CORS_ORIGINS=""`` allows no other site, ``LLM_BASE_URL=""`` turns the language
model off).

:func:`get` is what the web layer uses: read once per process and re-read when a Django setting
changes (tests). :func:`from_environ` is what the command line and the library use: the environment
only, without Django. Every problem is reported at once, in French: by :class:`AssistantConfigError`
at first use, and by the Django system check ``assistant.E001`` (``manage.py check``, ``runserver``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .answer import LLMConfig
from .documents import AssistantError

DEFAULT_KB = "service-public"
DEFAULT_API_RATE_LIMIT = "60/m"
DEFAULT_RETENTION_DAYS = 90
DEFAULT_DEMO_FICHES = 0  # all the fiches available
REPO_ROOT = Path(__file__).resolve().parents[3]
TRUE = {"1", "true", "yes", "on", "oui", "vrai"}
FALSE = {"0", "false", "no", "off", "non", "faux"}
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(?::\d{1,5})?$|^https?://\[[0-9a-f:]+\](?::\d{1,5})?$")
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


class AssistantConfigError(AssistantError):
    """One or more assistant settings are invalid (the message lists them all)."""


@dataclass(frozen=True)
class AssistantConfig:
    kb: str = DEFAULT_KB
    data_dir: Path = Path("var")
    ask_back: bool = True
    rate_limit: str = DEFAULT_API_RATE_LIMIT
    cors_origins: frozenset[str] = frozenset()
    retention_days: int = DEFAULT_RETENTION_DAYS
    demo_fiches: int = DEFAULT_DEMO_FICHES  # 0: all fiches
    warm_up: bool = True
    threads: int = 1
    llm: LLMConfig | None = None
    shared_data: Path = REPO_ROOT.parent / "shared" / "data"
    questions: Path | None = None


Lookup = Callable[[str], object]


def _environ_lookup(environ: dict | None = None) -> Lookup:
    env = os.environ if environ is None else environ
    return lambda name: env.get(name)


def _django_lookup() -> Lookup:
    from django.conf import settings

    def lookup(name: str):
        value = getattr(settings, name, None)
        return os.environ.get(name) if value is None else value

    return lookup


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(str(v) for v in value)
    return str(value).strip()


def parse_origins(value: str) -> tuple[frozenset[str], list[str]]:
    """Comma-separated ``https://domaine[:port]`` → (origins, invalid items)."""
    origins, bad = set(), []
    for item in value.split(","):
        origin = item.strip().rstrip("/").lower()
        if not origin:
            continue
        (origins.add(origin) if _ORIGIN.match(origin) else bad.append(item.strip()))
    return frozenset(origins), bad


def valid_rate(rate: str) -> bool:
    match = _RATE.match(rate)
    return bool(match) and int(match.group(1)) > 0 and match.group(2) not in {"0", "00"}


def read(lookup: Lookup) -> tuple[AssistantConfig, list[str]]:
    """Build the configuration from ``lookup(name)``; returns it with the list of problems (French)."""
    problems: list[str] = []
    defaults = AssistantConfig()

    def raw(name: str) -> str:
        return _text(lookup(name))

    def boolean(name: str, default: bool) -> bool:
        value = raw(name).lower()
        if not value:
            return default
        if value in TRUE | FALSE:
            return value in TRUE
        problems.append(f"{name} : « {raw(name)} » invalide, attendu 1 ou 0 (oui/non).")
        return default

    def integer(name: str, default: int, minimum: int) -> int:
        value = raw(name)
        if not value:
            return default
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum:
            problems.append(f"{name} : « {value} » invalide, attendu un nombre entier supérieur ou égal à {minimum}.")
            return default
        return number

    kb = raw("AMORCE_ASSISTANT_KB") or DEFAULT_KB
    if any(c in kb for c in "/\\") or kb.startswith("."):
        problems.append(f"AMORCE_ASSISTANT_KB : nom de base « {kb} » invalide (lettres, chiffres, tirets).")
        kb = DEFAULT_KB
    rate = raw("AMORCE_ASSISTANT_RATE_LIMIT") or raw("AMORCE_API_RATE_LIMIT") or DEFAULT_API_RATE_LIMIT
    if not valid_rate(rate):
        problems.append(f"AMORCE_ASSISTANT_RATE_LIMIT : « {rate} » n'est pas une limite valide (attendu : un nombre "
                        "de requêtes par unité, par exemple 60/m, 10/s ou 1000/h).")
        rate = DEFAULT_API_RATE_LIMIT
    origins, bad = parse_origins(raw("AMORCE_ASSISTANT_CORS_ORIGINS"))
    if bad:
        problems.append("AMORCE_ASSISTANT_CORS_ORIGINS : origine(s) invalide(s) " + ", ".join(f"« {b} »" for b in bad)
                        + ". Attendu : des adresses de la forme https://www.exemple.fr (schéma, domaine, port "
                          "facultatif ; sans chemin ni « * »), séparées par des virgules.")
    llm = None
    base_url, model = raw("LLM_BASE_URL"), raw("LLM_MODEL")
    if base_url and not model:
        problems.append("LLM_BASE_URL est défini mais LLM_MODEL manque (nom du modèle à utiliser).")
    elif base_url:
        llm = LLMConfig(base_url=base_url, model=model, api_key=raw("LLM_API_KEY") or "sans-cle")
    data_dir = lookup("AMORCE_DATA_DIR")
    questions = raw("AMORCE_ASSISTANT_QUESTIONS")
    config = AssistantConfig(
        kb=kb,
        data_dir=Path(data_dir if data_dir not in (None, "") else Path.cwd() / "var").resolve(),
        ask_back=boolean("AMORCE_ASSISTANT_ASK_BACK", defaults.ask_back),
        rate_limit=rate,
        cors_origins=origins,
        retention_days=integer("AMORCE_ASSISTANT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS, 1),
        demo_fiches=integer("AMORCE_ASSISTANT_DEMO_FICHES", DEFAULT_DEMO_FICHES, 0),
        warm_up=boolean("AMORCE_ASSISTANT_WARM_UP", defaults.warm_up),
        threads=integer("AMORCE_ASSISTANT_THREADS", 1, 1),
        llm=llm,
        shared_data=Path(raw("AMORCE_SHARED_DATA") or defaults.shared_data),
        questions=Path(questions) if questions else None,
    )
    return config, problems


def _checked(lookup: Lookup) -> AssistantConfig:
    config, problems = read(lookup)
    if problems:
        raise AssistantConfigError("Configuration de l'assistant invalide : " + " ".join(problems),
                                   problems=problems)
    return config


def from_environ(environ: dict | None = None) -> AssistantConfig:
    """The configuration from the environment only (command line, library use without Django)."""
    return _checked(_environ_lookup(environ))


_cached: AssistantConfig | None = None
_lock = threading.Lock()


def _django_configured() -> bool:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a dependency
        return False
    return settings.configured


def get() -> AssistantConfig:
    """The configuration of this process: Django settings then environment, read once (see :func:`reset`).

    Without configured Django settings, the environment is read at each call.
    """
    global _cached
    if not _django_configured():
        return from_environ()
    config = _cached
    if config is None:
        with _lock:
            config = _cached = _cached or _checked(_django_lookup())
    return config


def reset(**_kwargs) -> None:
    """Forget the configuration read (connected to Django's ``setting_changed`` signal)."""
    global _cached
    _cached = None


def check_settings(app_configs=None, **kwargs) -> list:
    """Django system check ``assistant.E001``: one error per invalid assistant setting, in French."""
    from django.core.checks import Error

    _, problems = read(_django_lookup())
    return [Error(problem, hint="Voir docs/assistant.md, « Configuration ».", id="assistant.E001")
            for problem in problems]
