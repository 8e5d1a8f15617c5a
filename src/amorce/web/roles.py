"""Roles (Django groups) and what each role may do in each use case.

A role is a Django group whose name is the role code. Administrators may do everything.
Views use :func:`role_required` / :func:`usecase_required`; the API uses :func:`require_roles`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied

from amorce.usecases import PUBLIC, UseCase, all_roles, declarations


class _Role(StrEnum):
    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


#: Every role: the platform's (administrateur) and those the registered use cases declare
#: (``amorce/<usecase>/usecase.py``). Members are named after their code: ``Role.INSPECTEUR``.
Role = _Role("Role", {code.upper(): code for code in all_roles()})
ROLE_LABELS = {Role(code): label for code, label in all_roles().items()}


def _codes(roles) -> tuple[Role, ...]:
    return tuple(Role(code) for code in roles if code != PUBLIC)


@dataclass(frozen=True)
class UseCaseAccess:
    """A use case as the web sees it: its declaration, with what a given user may do and open."""

    declaration: UseCase

    slug = property(lambda self: self.declaration.slug)
    title = property(lambda self: self.declaration.title)
    summary = property(lambda self: self.declaration.summary)
    public = property(lambda self: self.declaration.public)
    planned = property(lambda self: self.declaration.planned)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(_codes(self.declaration.access_roles))

    @property
    def capabilities(self) -> dict[Role, tuple[str, ...]]:
        return {Role(code): items for code, items in self.declaration.capabilities.items()}

    def capabilities_for(self, user) -> tuple[str, ...]:
        roles = user_roles(user)
        out: dict[str, None] = {}
        for role, items in self.capabilities.items():
            if Role.ADMINISTRATEUR in roles or role in roles:
                out.update(dict.fromkeys(items))
        return tuple(out)

    def menu_for(self, user) -> list[dict[str, str]]:
        """The menu entries ``user`` may open (public entries for everyone)."""
        return [{"label": entry.label, "url_name": entry.url_name} for entry in self.declaration.menu
                if PUBLIC in entry.roles or has_role(user, *_codes(entry.roles))]


USECASES: tuple[UseCaseAccess, ...] = tuple(UseCaseAccess(d) for d in declarations())
USECASES_BY_SLUG = {u.slug: u for u in USECASES}


def user_roles(user) -> frozenset[Role]:
    """The roles of ``user`` (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_amorce_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(Role(n) for n in names if n in Role._value2member_map_)
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATEUR}
        user._amorce_roles = cached
    return cached


def has_role(user, *roles: Role | str) -> bool:
    """True if ``user`` has one of ``roles`` (administrators have every role)."""
    mine = user_roles(user)
    return Role.ADMINISTRATEUR in mine or any(Role(r) in mine for r in roles)


def can_access_usecase(user, slug: str) -> bool:
    return has_role(user, *USECASES_BY_SLUG[slug].roles)


def role_required(*roles: Role | str):
    """View decorator: 403 (French page) unless the signed-in user has one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("Votre rôle ne permet pas d'accéder à cette page.")
            return view(request, *args, **kwargs)

        wrapper.amorce_roles = tuple(Role(r) for r in roles)
        return wrapper

    return decorator


def usecase_required(slug: str):
    return role_required(*USECASES_BY_SLUG[slug].roles)


def require_roles(request, *roles: Role | str) -> None:
    """For API endpoints: raise a 403 ``HttpError`` unless the caller has one of ``roles``."""
    from ninja.errors import HttpError

    if not has_role(request.user, *roles):
        raise HttpError(403, "Votre rôle ne permet pas cette opération.")


def set_roles(user, roles: Iterable[Role | str]) -> None:
    from django.contrib.auth.models import Group

    groups = [Group.objects.get_or_create(name=Role(r).value)[0] for r in roles]
    user.groups.set(groups)
    user.__dict__.pop("_amorce_roles", None)
