"""Roles (Django groups) and what each role may do in each use case.

A role is a Django group whose name is the role code. Administrators may do everything.
Views use :func:`role_required` / :func:`usecase_required`; the API uses :func:`require_roles`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied


class Role(StrEnum):
    ADMINISTRATEUR = "administrateur"
    EQUIPE_PROGRAMME = "equipe_programme"
    INSTRUCTEUR = "instructeur"
    JURY = "jury"
    CANDIDAT = "candidat"
    COACH = "coach"
    INSPECTEUR = "inspecteur"
    RESPONSABLE_INSPECTION = "responsable_inspection"
    MAGISTRAT_GREFFIER = "magistrat_greffier"
    AGENT_ACCUEIL = "agent_accueil"
    NATURALISTE = "naturaliste"
    ARCHIVISTE = "archiviste"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATEUR: "Administrateur",
    Role.EQUIPE_PROGRAMME: "Équipe programme",
    Role.INSTRUCTEUR: "Instructeur",
    Role.JURY: "Membre du jury",
    Role.CANDIDAT: "Candidat",
    Role.COACH: "Coach d'accompagnement",
    Role.INSPECTEUR: "Inspecteur",
    Role.RESPONSABLE_INSPECTION: "Responsable des contrôles",
    Role.MAGISTRAT_GREFFIER: "Magistrat / greffier",
    Role.AGENT_ACCUEIL: "Agent d'accueil",
    Role.NATURALISTE: "Naturaliste",
    Role.ARCHIVISTE: "Archiviste",
}


@dataclass(frozen=True)
class UseCase:
    slug: str
    title: str
    summary: str
    capabilities: dict[Role, tuple[str, ...]] = field(default_factory=dict)
    public: tuple[str, ...] = ()

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self.capabilities)

    def capabilities_for(self, user) -> tuple[str, ...]:
        roles = user_roles(user)
        if Role.ADMINISTRATEUR in roles:
            seen: dict[str, None] = {}
            for items in self.capabilities.values():
                seen.update(dict.fromkeys(items))
            return tuple(seen)
        out: dict[str, None] = {}
        for role in roles:
            out.update(dict.fromkeys(self.capabilities.get(role, ())))
        return tuple(out)


USECASES: tuple[UseCase, ...] = (
    UseCase(
        "programme", "Programme d'amorçage",
        "Appel à projets IA : candidatures, instruction, jury, sélection sous budget, avis, "
        "accompagnement de 10 mois et tests utilisateurs.",
        {
            Role.EQUIPE_PROGRAMME: ("Créer et piloter les appels", "Sélectionner les lauréats",
                                   "Suivre l'accompagnement", "Organiser les tests utilisateurs"),
            Role.INSTRUCTEUR: ("Instruire les dossiers", "Vérifier l'éligibilité"),
            Role.JURY: ("Noter les dossiers qui vous sont attribués", "Déclarer un conflit d'intérêts"),
            Role.CANDIDAT: ("Déposer et suivre une candidature",),
            Role.COACH: ("Suivre les lauréats que vous accompagnez", "Déposer leurs points mensuels"),
        },
        public=("Consulter les appels ouverts et la liste des lauréats",),
    ),
    UseCase(
        "ciblage", "Ciblage des contrôles",
        "Classer les établissements à contrôler à partir des contrôles passés, avec explications, "
        "audit d'équité et plan de contrôle.",
        {
            Role.INSPECTEUR: ("Consulter le classement et ses raisons", "Consulter le plan de contrôle",
                              "Saisir les résultats de vos contrôles"),
            Role.RESPONSABLE_INSPECTION: (
                "Importer les contrôles", "Entraîner, évaluer et appliquer les modèles",
                "Consulter les fiches modèle, l'audit d'équité et la dérive",
                "Préparer et exporter le plan de contrôle et sa part aléatoire",
                "Réentraîner avec les résultats saisis", "Consulter le classement et ses raisons",
                "Saisir les résultats de vos contrôles"),
        },
    ),
    UseCase(
        "decisions", "Décisions de justice",
        "Pseudonymiser les décisions avant publication, rechercher des décisions similaires, "
        "objectiver avec les chiffres de décisions comparables.",
        {Role.MAGISTRAT_GREFFIER: ("Relire les pseudonymisations", "Rechercher des décisions similaires",
                                   "Consulter les chiffres de décisions comparables")},
    ),
    UseCase(
        "assistant", "Assistant aux usagers",
        "Répondre aux usagers à partir des fiches officielles, avec les sources, et passer la main "
        "à un agent.",
        {Role.AGENT_ACCUEIL: ("Traiter les demandes transmises", "Voir les questions sans réponse",
                              "Améliorer les contenus")},
        public=("Poser une question à l'assistant",),
    ),
    UseCase(
        "biodiversite", "Inventaires de biodiversité",
        "Analyser les images et vidéos de pièges photographiques pour les inventaires.",
        {Role.NATURALISTE: ("Importer des images", "Valider les détections", "Exporter les observations")},
    ),
    UseCase(
        "archives", "Fonds photographiques",
        "Classer et explorer de grands fonds de photographies patrimoniales.",
        {Role.ARCHIVISTE: ("Importer un fonds", "Valider les classements", "Explorer le fonds")},
    ),
)
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
