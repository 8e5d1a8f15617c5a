"""The registry of use cases: each package declares itself, the platform reads the declarations.

Light on purpose (no Django, no Typer): the CLI, the Django settings, URLs, API, menus, roles and
demo loader all read it. A use-case package ``amorce.<slug>`` declares itself in its own
``usecase.py`` (``USECASE = UseCase(...)``: name, roles, capabilities, menu entries, demo loader);
adding a package to the platform is one line here, in :data:`REGISTERED`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

#: The use cases the platform mounts, in menu order. Adding a package: one more name here.
REGISTERED: tuple[str, ...] = ("programme", "ciblage", "decisions", "assistant", "biodiversite", "archives")

#: Use cases announced but not built yet: shown as « en préparation », with no link to a feature.
PLANNED: tuple[tuple[str, str, str], ...] = (
)

#: Roles of the platform itself (every other role is declared by a use case).
PLATFORM_ROLES: dict[str, str] = {"administrateur": "Administrateur"}

PUBLIC = "public"  # a menu entry anyone may open, signed in or not


@dataclass(frozen=True)
class MenuEntry:
    """One link of a use case's menu: French label, Django URL name, and who may open it."""

    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # role codes; (PUBLIC,) for public pages; administrators see every entry


@dataclass(frozen=True)
class UseCase:
    """What a use case tells the platform about itself."""

    slug: str
    title: str
    summary: str
    roles: dict[str, str] = field(default_factory=dict)  # role code -> French label
    demo_usernames: dict[str, str] = field(default_factory=dict)  # role code -> demo account (else the code)
    capabilities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role code -> what it may do
    public: tuple[str, ...] = ()  # what anyone may do without an account
    menu: tuple[MenuEntry, ...] = ()
    demo: str | None = None  # "module:function" taking a job context; loads the demo data
    cli_help: str = ""  # one line for `amorce --help` (the sub-app's own help is loaded on demand)
    planned: bool = False

    @property
    def access_roles(self) -> tuple[str, ...]:
        """The roles that may open at least one page of the use case."""
        return tuple(self.capabilities)


@cache
def declarations() -> tuple[UseCase, ...]:
    """Every use case: the registered ones (from their ``usecase.py``), then the planned ones."""
    registered = []
    for slug in REGISTERED:
        declaration = importlib.import_module(f"amorce.{slug}.usecase").USECASE
        if declaration.slug != slug:
            raise ValueError(f"amorce.{slug}.usecase declares « {declaration.slug} »")
        registered.append(declaration)
    planned = [UseCase(slug, title, summary, planned=True) for slug, title, summary in PLANNED]
    return tuple(registered + planned)


def declaration(slug: str) -> UseCase:
    for usecase in declarations():
        if usecase.slug == slug:
            return usecase
    raise KeyError(slug)


def all_roles() -> dict[str, str]:
    """Every role code with its French label: the platform's, then each use case's, in order."""
    roles = dict(PLATFORM_ROLES)
    for usecase in declarations():
        for code, label in usecase.roles.items():
            if roles.setdefault(code, label) != label:
                raise ValueError(f"Rôle « {code} » déclaré deux fois avec deux libellés")
    return roles


def demo_usernames() -> dict[str, str]:
    """The demo account of each role: ``admin``, then what each use case declares (else the role code)."""
    names = {"administrateur": "admin"}
    for usecase in declarations():
        for code in usecase.roles:
            names[code] = usecase.demo_usernames.get(code, code)
    return names


def usecase_module(usecase: str, part: str) -> ModuleType | None:
    """Import ``amorce.<usecase>.<part>``, or return None when the use case has no such part yet.

    Any other import error (a bug inside the module, a missing dependency) is raised.
    """
    name = f"amorce.{usecase}.{part}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (f"amorce.{usecase}", name):
            return None
        raise


def load_callable(path: str):
    """``"package.module:function"`` -> the function."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
