"""Root of the JSON API (django-ninja): OpenAPI at /api/docs, session or token authentication.

Use cases add their routers with ``api.add_router("/<usecase>/", router)`` from their ``api.py``
(mounted below when the app exists). Session calls need the CSRF token on unsafe methods;
token calls send ``Authorization: Bearer amo_…`` (tokens are created on the profile page).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, SessionAuth

from amorce.usecases import usecase_module

from . import services
from .apischema import NulRefusingParser, document_errors, install_error_handlers
from .errors import JobFinished
from .models import ApiToken, AuditEvent, Job
from .roles import Role, has_role, require_roles, user_roles


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="API amorce",
    version="1",
    description="API de la plateforme amorce. Authentification par session (navigateur, jeton CSRF requis "
                "pour les écritures) ou par jeton personnel (`Authorization: Bearer …`). Chaque erreur est un "
                "objet `{\"detail\": \"message en français\"}` ; le caractère NUL (U+0000) est refusé dans le "
                "chemin, les paramètres (422) et le corps (400).",
    parser=NulRefusingParser(),
    # The token first: a request that carries a valid personal token is not a browser session, so no
    # CSRF check applies to it; without one, the session is checked, CSRF token included on writes
    # (django-ninja raises 403 at the session's CSRF check before trying the next method).
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


class Me(Schema):
    username: str
    full_name: str
    roles: list[str]


class JobOut(Schema):
    id: UUID
    kind: str
    label: str
    status: str
    progress: float
    progress_message: str
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict


class AuditOut(Schema):
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    details: dict


@api.get("/moi", response=Me, summary="Utilisateur connecté et ses rôles", tags=["plateforme"])
def me(request):
    return {"username": request.user.get_username(), "full_name": request.user.get_full_name(),
            "roles": sorted(r.value for r in user_roles(request.user))}


def _jobs_for(request):
    qs = Job.objects.all()
    return qs if has_role(request.user, Role.ADMINISTRATEUR) else qs.filter(created_by=request.user)


@api.get("/taches", response=list[JobOut], summary="Mes tâches (toutes pour un administrateur)",
         tags=["plateforme"])
def job_list(request, limit: int = 50):
    return list(_jobs_for(request)[: max(1, min(limit, 500))])


@api.get("/taches/{job_id}", response=JobOut, summary="État d'une tâche", tags=["plateforme"])
def job_detail(request, job_id: UUID):
    return get_object_or_404(_jobs_for(request), pk=job_id)


@api.post("/taches/{job_id}/annuler", response=JobOut, summary="Annuler une tâche", tags=["plateforme"])
def job_cancel(request, job_id: UUID):
    job = get_object_or_404(_jobs_for(request), pk=job_id)
    try:
        return services.cancel_job(job, request=request, via="api")
    except JobFinished:
        return job  # cancelling an ended job changes nothing: its state is the answer


@api.get("/audit", response=list[AuditOut], summary="Journal d'audit (administrateurs)", tags=["plateforme"])
def audit_list(request, limit: int = 100, action: str | None = None):
    require_roles(request, Role.ADMINISTRATEUR)
    qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    return [{"at": e.at, "actor": e.actor_repr, "action": e.action, "object_type": e.object_type,
             "object_id": e.object_id, "object_repr": e.object_repr, "details": e.details}
            for e in qs[: max(1, min(limit, 1000))]]


_routers = [api.default_router]
for _name in settings.AMORCE_USECASE_APPS:
    if (_module := usecase_module(_name, "api")) is not None:
        api.add_router(f"/{_name}/", _module.router)
        _routers.append(_module.router)

# One rule for all operations: the errors answered on their behalf are documented, in French.
install_error_handlers(api)
document_errors(op for router in _routers for view in router.path_operations.values() for op in view.operations)
