"""JSON API of targeting (mounted at /api/ciblage/): models, ranked lists, explanations, plans.

Rights are those of the pages (administrators pass too): the models and their metrics are for
inspection managers; ranked lists, explanations and plans for inspectors and managers, but only
managers get the model-against-random follow-up of a plan (``feedback``). Reading an
establishment's explanation is recorded in the audit log, as on the page. The list endpoints are
paginated (``limit``, ``offset``) and filtered by django-ninja ``FilterSchema`` classes; the ranked
list takes the page's own filters (:mod:`amorce.ciblage.filters`).
"""

# no ``from __future__ import annotations`` here: django-ninja's pagination wrapper must see the
# ``Query[...]`` parameter types as objects, not strings
from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from amorce.web.apischema import Id, Pagination
from amorce.web.audit import record_access
from amorce.web.roles import require_roles

from .errors import CiblageError
from .filters import RankedFilter, RankedRows
from .models import Plan, ScoreList, TrainedModel
from .views import INSPECTION_ROLES, MANAGER_ROLES, can_manage

router = Router(tags=["ciblage"])
MAX_LIMIT = 500


def _inspector(request) -> None:
    require_roles(request, *INSPECTION_ROLES)


def _manager(request) -> None:
    require_roles(request, *MANAGER_ROLES)


# The JSON keys are English machine names since 0.2.0 (the French ones before: docs/ciblage.md,
# « Contrat des données »); the schemas below name them, so that the OpenAPI document shows them.

class TrainingMetricsOut(Schema):
    training_inspections: int | None = None
    validation_inspections: int | None = None
    validation_event_rate: float | None = None
    validation_auc: float | None = None
    brier_before_calibration: float | None = None
    brier_after_calibration: float | None = None
    iterations: int | None = None
    ensemble: int = 1
    calibration: str | None = None


class PeriodOut(Schema):
    start: date
    end: date = Field(..., description="Exclue")


class BacktestOut(Schema):
    period: PeriodOut | None = None
    inspections: int | None = None
    events: int | None = None
    event_rate: float | None = None
    rankings: dict[str, dict[str, float | None]] = Field(
        default_factory=dict,
        description="Par classement (model : le modèle ; random, last_outcome, current_practice : les références), "
                    "ses métriques : auc, precision@5%, recall@5%… (5, 10, 20, 30 et 50 %), days_earlier (jours "
                    "gagnés), first_half_share (part trouvée en première moitié), first_half_share_actual_order")


class PlanRowOut(Schema):
    week: int
    planned_date: date
    team: str
    establishment_id: str
    name: str | None = ""
    address: str | None = ""
    rank: int
    score: float
    selection: Literal["model", "random"] = Field(..., description="model : par score ; random : tiré au hasard")
    reasons: str | None = ""


class ShareOut(Schema):
    inspections: int
    events: int
    rate: float | None


class FeedbackOut(Schema):
    model: ShareOut
    random: ShareOut
    model_to_random_ratio: float | None = None
    z: float | None = None
    one_sided_p_value: float | None = None


class ModelOut(Schema):
    id: int
    version: str
    dataset: str
    trained_before: date = Field(..., alias="as_of")
    created_at: datetime
    metrics: TrainingMetricsOut
    backtest: BacktestOut

    @staticmethod
    def resolve_dataset(model: TrainedModel) -> str:
        return model.dataset.name

    @staticmethod
    def resolve_backtest(model: TrainedModel) -> dict:
        """The headline of a backtest: period, counts and each ranking's metrics (no curves)."""
        backtest = model.backtest or {}
        keep = ("period", "inspections", "events", "event_rate")
        return {**{k: v for k, v in backtest.items() if k in keep},
                "rankings": {name: {k: v for k, v in metrics.items() if k != "lift_curve"}
                             for name, metrics in (backtest.get("rankings") or {}).items()}}


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


class ModelFilter(FilterSchema):
    dataset_id: Id | None = Field(None, description="Jeu de données")


class ScoreListFilter(FilterSchema):
    model_id: Id | None = Field(None, description="Modèle")


class ContributionOut(Schema):
    feature: str
    label: str
    value: str
    contribution: float = Field(..., description="En log-cote : positive, la variable relève le risque")
    direction: Literal["up", "down", "neutral"] = Field(
        ..., description="up : relève le risque ; down : l'abaisse ; neutral : sans effet")
    text: str = Field(..., description="La contribution en français, avec son unité et son sens")


class ExplanationOut(Schema):
    establishment_id: str
    as_of: date
    score: float
    rank: int
    total: int
    base_value: float
    contributions: list[ContributionOut]
    planning_contribution: float = Field(
        0.0, description="Somme des contributions des variables de programmation (inspecteur ou équipe affecté) : "
                         "elles servent au classement mais ne sont jamais un motif de ciblage, donc absentes "
                         "de « contributions » (score brut = base_value + contributions + celle-ci)")
    crpa: dict


class PlanOut(Schema):
    id: int
    score_list_id: int
    start: date
    weeks: int
    exploration: float
    capacity: int | dict[str, int] = Field(
        ..., description="Inspections par semaine : un nombre (un seul groupe) ou un nombre par équipe ou département")
    rows: list[PlanRowOut]
    outcomes: int
    feedback: FeedbackOut | dict = Field(
        ..., description="Suivi modèle / hasard (responsables ; vide pour un inspecteur ou sans résultat saisi)")


@router.get("/modeles", response=list[ModelOut], summary="Modèles entraînés et leurs métriques")
@paginate(Pagination, max_limit=MAX_LIMIT)
def model_list(request, filters: Query[ModelFilter]):
    _manager(request)
    return filters.filter(TrainedModel.objects.select_related("dataset").defer("card"))


@router.get("/classements", response=list[ScoreListOut], summary="Classements calculés")
@paginate(Pagination, max_limit=MAX_LIMIT)
def score_lists(request, filters: Query[ScoreListFilter]):
    _inspector(request)
    return filters.filter(ScoreList.objects.all())


@router.get(
    "/classements/{score_list_id}",
    response=list[ScoreOut],
    summary="Établissements classés (filtres de la page : département, activité, équipe, texte, probabilité minimale)",
)
@paginate(Pagination, max_limit=MAX_LIMIT)
def ranked(request, score_list_id: Id, filters: Query[RankedFilter]):
    _inspector(request)
    scores = get_object_or_404(ScoreList, pk=score_list_id)
    try:
        return RankedRows(filters.filter(scores.frame()))
    except CiblageError as exc:
        raise HttpError(422, exc.message) from exc


@router.get(
    "/classements/{score_list_id}/etablissements/{establishment_id}",
    response=ExplanationOut,
    summary="Explication d'un score : contributions (valeurs de Shapley) et fiche CRPA",
)
def explanation(request, score_list_id: Id, establishment_id: str):
    from .services import explain_score

    _inspector(request)
    scores = get_object_or_404(ScoreList.objects.select_related("model__dataset"), pk=score_list_id)
    explained = explain_score(scores, establishment_id)
    if explained is None:
        raise HttpError(404, f"L'établissement « {establishment_id} » n'est pas dans ce classement.")
    record_access(
        "ciblage_explication_consultee",
        request=request,
        obj=scores,
        establishment=establishment_id,
        via="api",
    )
    return {
        "establishment_id": establishment_id,
        "as_of": scores.as_of,
        "score": explained.score,
        "rank": explained.rank,
        "total": explained.total,
        "base_value": explained.base_value,
        "planning_contribution": explained.planning_contribution,
        "contributions": explained.contributions,
        "crpa": explained.sheet.to_dict(),
    }


@router.get(
    "/plans/{plan_id}",
    response=PlanOut,
    summary="Plan de contrôle (et, pour les responsables, suivi : part du modèle, part aléatoire)",
)
def plan_detail(request, plan_id: Id):
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
