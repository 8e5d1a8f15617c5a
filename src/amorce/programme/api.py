"""JSON API of the call for projects (mounted at /api/programme/)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amorce.web.roles import Role, require_roles

from .models import Application, Call, State

router = Router(tags=["programme"])


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


class DossierPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[DossierOut]


class DossierFilters(Schema):
    appel: str | None = None
    etat: str | None = None
    ministere: str | None = None
    famille: str | None = None
    offset: int = 0
    limit: int = 50


class WhatIfIn(Schema):
    budgets: list[float]
    min_count: int | None = None
    max_count: int | None = None
    max_per_ministry: int | None = None
    max_per_family: int | None = None


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


@router.get("/dossiers", response=DossierPage, summary="Dossiers (instructeurs et équipe programme)")
def dossier_list(request, filters: Query[DossierFilters]):
    require_roles(request, Role.INSTRUCTEUR, Role.EQUIPE_PROGRAMME)
    if filters.etat and filters.etat not in State.values:
        raise HttpError(422, f"État inconnu : « {filters.etat} » (attendu : {', '.join(State.values)}).")
    # only the listed columns: the JSON columns (form answers, DS record) are large and not returned
    qs = Application.objects.select_related("call").only(
        "reference", "call__slug", "title", "structure", "ministry", "use_case_family", "state", "budget", "score",
        "eligibility_confirmed", "eligibility_auto", "impact_level", "review_count").order_by("reference")
    if filters.appel:
        qs = qs.filter(call__slug=filters.appel)
    if filters.etat:
        qs = qs.filter(state=filters.etat)
    if filters.ministere:
        qs = qs.filter(ministry=filters.ministere)
    if filters.famille:
        qs = qs.filter(use_case_family=filters.famille)
    limit = max(1, min(filters.limit, 500))
    offset = max(0, filters.offset)
    items = [{"reference": a.reference, "call": a.call.slug, "title": a.title, "structure": a.structure,
              "ministry": a.ministry, "use_case_family": a.use_case_family, "state": a.state,
              "budget": float(a.budget), "score": a.score, "eligible": a.is_eligible, "impact_level": a.impact_level,
              "review_count": a.review_count} for a in qs.window(offset, offset + limit)]
    return {"count": qs.count(), "offset": offset, "limit": limit, "items": items}


@router.post("/appels/{slug}/selection/variantes", response=list[ScenarioOut],
             summary="Sélection optimale pour plusieurs enveloppes (équipe programme)")
def selection_what_if(request, slug: str, payload: WhatIfIn):
    from .selection import budget_what_if
    from .services import candidates_for

    require_roles(request, Role.EQUIPE_PROGRAMME)
    call = get_object_or_404(Call, slug=slug)
    if not payload.budgets or len(payload.budgets) > 50 or any(b < 0 for b in payload.budgets):
        raise HttpError(422, "Donnez de 1 à 50 enveloppes positives.")
    constraints = call.constraints(min_count=payload.min_count, max_count=payload.max_count,
                                   max_per_ministry=payload.max_per_ministry, max_per_family=payload.max_per_family)
    return [s.to_dict() for s in budget_what_if(candidates_for(call), constraints, payload.budgets)]
