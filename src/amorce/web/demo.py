"""Demo set-up: one account per role, and the demo-data loader job of every use case.

Each use-case app may define ``load_demo(ctx)`` in its ``tasks.py``; the ``demo.load`` job calls
them in turn. Loaders are idempotent: re-running the job refreshes the demo data.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from amorce.core.files import atomic_write
from amorce.usecases import declarations, demo_usernames, load_callable

from .jobs import HANDLERS, JobContext, describe_result, job_handler
from .roles import Role, set_roles

DEMO_USERNAMES = {Role(code): username for code, username in demo_usernames().items()}


def credentials_file() -> Path:
    return Path(settings.AMORCE_DATA_DIR) / "demo_accounts.json"


def ensure_demo_accounts() -> list[dict[str, str]]:
    """Create (or repair) one account per role; passwords are random, kept in var/ (mode 600)."""
    path = credentials_file()
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    User = get_user_model()
    accounts = []
    for role, username in DEMO_USERNAMES.items():
        password = known.get(username) or secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": role.label})
        user.set_password(password)
        user.is_staff = role == Role.ADMINISTRATEUR
        user.is_superuser = False
        user.email = f"{username}@demo.amorce.invalid"
        user.save()
        set_roles(user, [role])
        known[username] = password
        accounts.append({"role": role.label, "username": username, "password": password})
    with atomic_write(path) as handle:
        json.dump(known, handle, indent=2)
    path.chmod(0o600)
    return accounts


def usecase_loaders() -> list[tuple[str, object]]:
    """The demo loader of each registered use case that declares one (``UseCase.demo``)."""
    return [(u.slug, load_callable(u.demo)) for u in declarations() if u.demo and not u.planned]


@job_handler("demo.load", "Chargement des données de démonstration", roles=[Role.ADMINISTRATEUR],
             result_labels={u.slug: u.title for u in declarations()})
def load_demo(ctx: JobContext) -> dict:
    loaders = usecase_loaders()
    summary: dict[str, object] = {}
    if not loaders:
        ctx.log("Aucun cas d'usage ne fournit encore de données de démonstration.")
    for index, (name, loader) in enumerate(loaders):
        ctx.progress(index, len(loaders), f"Données de démonstration : {name}")
        ctx.log(f"Chargement des données de démonstration de « {name} »…")
        summary[name] = loader(ctx.part(index / len(loaders), 1 / len(loaders))) or {}
        ctx.log(f"« {name} » : {describe_result(summary[name]) or 'rien à charger'}.")
    loaded = ", ".join(HANDLERS["demo.load"].result_labels.get(name, name) for name in summary)
    return {"summary": f"Données de démonstration chargées pour {len(summary)} cas d'usage ({loaded})."
            if summary else "Aucun cas d'usage ne fournit de données de démonstration.",
            "usecases": summary}
