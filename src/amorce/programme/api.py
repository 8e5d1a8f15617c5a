"""JSON API of the call for projects (mounted at /api/programme/)."""

# No ``from __future__ import annotations``: @paginate rebuilds the signature of the endpoint and must
# read ``Query[DossierFilters]`` as a type, not as a string to resolve in its own module.

from datetime import date
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from amorce.web.apischema import MAX_OFFSET
from amorce.web.roles import Role, require_roles

from .filters import DossierFilters
from .models import Application, Call

router = Router(tags=["programme"])
MAX_COUNT = 1000  # laureates, per group or in all: far above any call
MAX_BUDGET = 1e12  # euros: far above any call, and within what the MILP solver handles


class CallOut(Schema):
    slug: str
    title: str
    opens: date
    closes: date
    budget: float
    min_laureates: int
    max_laureates: int | None
    coaching_months: int


class DossierOut(Schema):
    reference: str
    call: str
    title: str
    structure: str
    ministry: str
    use_case_family: str
    state: str
    budget: float
    score: float | None
    eligible: bool | None
    impact_level: str
    review_count: int

    @staticmethod
    def resolve_call(app) -> str:
        return app.call.slug

    @staticmethod
    def resolve_eligible(app) -> bool | None:
        return app.is_eligible


class DossierPagination(LimitOffsetPagination):
    """``limit`` (1 to 500, 50 by default) and ``offset``; the page also says both, with ``count``.

    A page selects its keys first (the OFFSET walks a narrow index), then reads only its rows:
    see ``ApplicationQuerySet.window``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        count: int
        offset: int
        limit: int
        items: list[Any]

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, pagination.limit
        return {"count": queryset.count(), "offset": offset, "limit": limit,
                "items": queryset.window(offset, offset + limit)}


class WhatIfIn(Schema):
    budgets: list[Annotated[float, Field(ge=0, le=MAX_BUDGET)]] = Field(..., min_length=1, max_length=50)
    # at least min_count and at most max_count laureates (the call's own bounds when absent): a
    # minimum above the maximum is refused with 422, a rule across two fields JSON Schema cannot state
    min_count: Annotated[int, Field(ge=0, le=MAX_COUNT, description="Nombre minimal de lauréats (au plus le "
                                                                      "nombre maximal)")] | None = None
    max_count: Annotated[int, Field(ge=0, le=MAX_COUNT, description="Nombre maximal de lauréats")] | None = None
    max_per_ministry: Annotated[int, Field(ge=0, le=MAX_COUNT)] | None = None
    max_per_family: Annotated[int, Field(ge=0, le=MAX_COUNT)] | None = None


class ScenarioOut(Schema):
    budget: float
    selected: list[str] | None
    total_score: float | None
    total_budget: float | None
    message: str


@router.get("/appels", response=list[CallOut], summary="Appels à projets")
def call_list(request):
    return [{"slug": c.slug, "title": c.title, "opens": c.opens, "closes": c.closes, "budget": float(c.budget),
             "min_laureates": c.min_laureates, "max_laureates": c.max_laureates,
             "coaching_months": c.coaching_months} for c in Call.objects.filter(published=True)]


@router.get("/dossiers", response=list[DossierOut], summary="Dossiers (instructeurs et équipe programme)")
@paginate(DossierPagination)
def dossier_list(request, filters: Query[DossierFilters]):
    require_roles(request, Role.INSTRUCTEUR, Role.EQUIPE_PROGRAMME)
    # only the listed columns: the JSON columns (form answers, DS record) are large and not returned
    qs = Application.objects.select_related("call").only(
        "reference", "call__slug", "title", "structure", "ministry", "use_case_family", "state", "budget", "score",
        "eligibility_confirmed", "eligibility_auto", "impact_level", "review_count").order_by("reference")
    return filters.filter(qs)


@router.post("/appels/{slug}/selection/variantes", response=list[ScenarioOut],
             summary="Sélection optimale pour plusieurs enveloppes (équipe programme)")
def selection_what_if(request, slug: str, payload: WhatIfIn):
    from .selection import budget_what_if
    from .services import candidates_for

    require_roles(request, Role.EQUIPE_PROGRAMME)
    call = get_object_or_404(Call, slug=slug)
    constraints = call.constraints(min_count=payload.min_count, max_count=payload.max_count,
                                   max_per_ministry=payload.max_per_ministry, max_per_family=payload.max_per_family)
    return [s.to_dict() for s in budget_what_if(candidates_for(call), constraints, payload.budgets)]
