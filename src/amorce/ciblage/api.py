"""JSON API of targeting (mounted at /api/ciblage/): models, ranked lists, explanations, plans.

Rights are those of the pages (administrators pass too): the models and their metrics are for
inspection managers; ranked lists, explanations and plans for inspectors and managers, but only
managers get the model-against-random follow-up of a plan (``feedback``). Reading an
establishment's explanation is recorded in the audit log, as on the page.
"""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amorce.web.audit import record
from amorce.web.roles import require_roles

from .models import Plan, ScoreList, TrainedModel
from .views import INSPECTION_ROLES, MANAGER_ROLES, can_manage

router = Router(tags=["ciblage"])
MAX_LIMIT = 500


def _inspector(request) -> None:
    require_roles(request, *INSPECTION_ROLES)


def _manager(request) -> None:
    require_roles(request, *MANAGER_ROLES)


class ModelOut(Schema):
    id: int
    version: str
    dataset: str
    trained_before: date
    created_at: datetime
    metrics: dict
    backtest: dict


class ScoreListOut(Schema):
    id: int
    model_id: int
    as_of: date
    count: int
    created_at: datetime


class ScoreOut(Schema):
    establishment_id: str
    rank: int
    score: float
    reasons: list[str]
    name: str = ""
    department: str = ""
    activity: str = ""
    team: str = ""


class ScorePage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ScoreOut]


class ScoreFilters(Schema):
    departement: str | None = None
    activite: str | None = None
    equipe: str | None = None
    q: str | None = None
    score_min: float | None = None
    offset: int = 0
    limit: int = 50


class ContributionOut(Schema):
    feature: str
    label: str
    value: str
    contribution: float


class ExplanationOut(Schema):
    establishment_id: str
    as_of: date
    score: float
    rank: int
    total: int
    base_value: float
    contributions: list[ContributionOut]
    crpa: dict


class PlanOut(Schema):
    id: int
    score_list_id: int
    start: date
    weeks: int
    exploration: float
    capacity: dict
    rows: list[dict]
    outcomes: int
    feedback: dict


def _backtest_summary(backtest: dict) -> dict:
    """The headline of a backtest: period, counts and each ranking's metrics (no curves)."""
    keep = ("periode", "inspections", "evenements", "taux_evenement", "classements")
    return {k: v for k, v in (backtest or {}).items() if k in keep}


@router.get("/modeles", response=list[ModelOut], summary="Modèles entraînés et leurs métriques")
def model_list(request):
    _manager(request)
    return [
        {
            "id": m.pk,
            "version": m.version,
            "dataset": m.dataset.name,
            "trained_before": m.as_of,
            "created_at": m.created_at,
            "metrics": m.metrics,
            "backtest": _backtest_summary(m.backtest),
        }
        for m in TrainedModel.objects.select_related("dataset").defer("card")
    ]


@router.get("/classements", response=list[ScoreListOut], summary="Classements calculés")
def score_lists(request):
    _inspector(request)
    return [
        {"id": s.pk, "model_id": s.model_id, "as_of": s.as_of, "count": s.count, "created_at": s.created_at}
        for s in ScoreList.objects.all()
    ]


COLUMNS = {"departement": "department", "activite": "activity", "equipe": "team"}


@router.get(
    "/classements/{score_list_id}",
    response=ScorePage,
    summary="Établissements classés (filtres : département, activité, équipe, texte, score minimal)",
)
def ranked(request, score_list_id: int, filters: Query[ScoreFilters]):
    _inspector(request)
    scores = get_object_or_404(ScoreList, pk=score_list_id)
    frame = scores.frame()
    for key, column in COLUMNS.items():
        value = getattr(filters, key)
        if value:
            if column not in frame:
                raise HttpError(
                    422, f"Ce classement n'a pas de colonne « {column} » : filtre « {key} » impossible."
                )
            frame = frame[frame[column] == value]
    if filters.q and filters.q.strip():
        text = filters.q.strip().lower()
        match = frame["establishment_id"].str.lower().str.contains(text, regex=False)
        if "name" in frame:
            match |= frame["name"].str.lower().str.contains(text, regex=False)
        frame = frame[match]
    if filters.score_min is not None:
        frame = frame[frame["score"].astype(float) >= filters.score_min]
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    window = frame.iloc[offset : offset + limit]
    items = [
        {
            "establishment_id": r["establishment_id"],
            "rank": int(r["rank"]),
            "score": float(r["score"]),
            "reasons": [p.strip() for p in r["reasons"].split(" ; ") if p.strip()],
            **{c: r.get(c, "") for c in ("name", "department", "activity", "team")},
        }
        for r in window.to_dict("records")
    ]
    return {"count": len(frame), "offset": offset, "limit": limit, "items": items}


@router.get(
    "/classements/{score_list_id}/etablissements/{establishment_id}",
    response=ExplanationOut,
    summary="Explication d'un score : contributions (valeurs de Shapley) et fiche CRPA",
)
def explanation(request, score_list_id: int, establishment_id: str):
    from .explain import crpa_explanation, explain_establishment, format_value
    from .features import feature_label

    _inspector(request)
    scores = get_object_or_404(ScoreList.objects.select_related("model__dataset"), pk=score_list_id)
    frame = scores.frame()
    row = frame[frame["establishment_id"] == establishment_id]
    if not len(row):
        raise HttpError(404, f"L'établissement « {establishment_id} » n'est pas dans ce classement.")
    model = scores.model.load()
    x_row, contrib = explain_establishment(model, scores.model.dataset.load(), establishment_id, scores.as_of)
    score, rank = float(row["score"].iloc[0]), int(row["rank"].iloc[0])
    sheet = crpa_explanation(
        model,
        x_row,
        contrib,
        establishment_id=establishment_id,
        score=score,
        rank=rank,
        total=len(frame),
        as_of=scores.as_of.isoformat(),
    )
    order = sorted(range(len(x_row)), key=lambda i: -abs(float(contrib[i])))
    record(
        "ciblage_explication_consultee",
        request=request,
        obj=scores,
        establishment=establishment_id,
        via="api",
    )
    return {
        "establishment_id": establishment_id,
        "as_of": scores.as_of,
        "score": score,
        "rank": rank,
        "total": len(frame),
        "base_value": float(contrib[-1]),
        "contributions": [
            {
                "feature": x_row.index[i],
                "label": feature_label(x_row.index[i]),
                "value": format_value(x_row.index[i], x_row.iloc[i]),
                "contribution": round(float(contrib[i]), 6),
            }
            for i in order
        ],
        "crpa": sheet.to_dict(),
    }


@router.get(
    "/plans/{plan_id}",
    response=PlanOut,
    summary="Plan de contrôle (et, pour les responsables, suivi : part du modèle, part aléatoire)",
)
def plan_detail(request, plan_id: int):
    _inspector(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    return {
        "id": plan.pk,
        "score_list_id": plan.score_list_id,
        "start": plan.start,
        "weeks": plan.weeks,
        "exploration": plan.exploration,
        "capacity": plan.capacity,
        "rows": plan.rows,
        "outcomes": len(plan.outcomes),
        "feedback": plan.feedback if can_manage(request.user) else {},
    }
