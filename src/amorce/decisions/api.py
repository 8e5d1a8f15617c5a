"""JSON API of the decisions use case (mounted at /api/decisions/): pseudonymise a text, search the
stored decisions for similar ones, and the distribution of amounts over comparable decisions.

Authentication by session (CSRF token on POST) or personal token; the magistrat / greffier role
(or administrator) is required. Pseudonymisation and objectivation are CPU-bound: they are limited
per user to ``AMORCE_API_RATE_LIMIT`` (60 calls a minute by default). Search and objectivation work
on the pseudonymised texts of the stored decisions (never on names in clear) and answer with a
distribution and its limits, never a single figure.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import model_validator

from amorce.web.apischema import ErrorOut, text
from amorce.web.ratelimit import api_limited
from amorce.web.roles import USECASES_BY_SLUG, require_roles

from . import services
from .errors import DecisionsError, ObjectivationError
from .importers import MAX_TEXT_CHARS
from .objectivation import KINDS
from .taxonomy import CATEGORIES

router = Router(tags=["décisions"])

Category = Literal[tuple(CATEGORIES)]
Kind = Literal[tuple(name for name, _ in KINDS)]


def _allowed(request) -> None:
    require_roles(request, *USECASES_BY_SLUG["decisions"].roles)


def _limited(request, response: HttpResponse, what: str) -> tuple[int, dict] | None:
    return api_limited(response, f"decisions-api:{what}:{request.user.pk}", settings.AMORCE_API_RATE_LIMIT)


# ----------------------------------------------------------------------------- pseudonymisation
class PseudonymiseIn(Schema):
    text: text(MAX_TEXT_CHARS)
    id: str = "1"
    keep: list[Category] | None = None


class EntityOut(Schema):
    start: int
    end: int
    category: str
    text: str
    replacement: str | None
    doubt: float
    source: str


class PseudonymiseOut(Schema):
    id: str
    text_pseudonymised: str
    entities: list[EntityOut]


@router.post(
    "/pseudonymiser",
    response={200: PseudonymiseOut, 429: ErrorOut},
    summary="Pseudonymiser un texte (même forme que la sortie de la ligne de commande)",
)
def pseudonymise(request, response: HttpResponse, payload: PseudonymiseIn):
    """Entités détectées (positions dans le texte d'origine, catégories de Label, remplacement ou
    `null` si la catégorie reste en clair, doute de 0 à 1) et texte pseudonymisé. `keep` : catégories
    laissées en clair (par défaut magistrats, greffiers et avocats ; `[]` pour tout masquer)."""
    _allowed(request)
    if (limited := _limited(request, response, "pseudonymiser")) is not None:
        return limited
    try:
        return services.pseudonymise_text(payload.text, payload.id, payload.keep, request=request)
    except DecisionsError as exc:
        raise HttpError(400, exc.message) from None


# ---------------------------------------------------------------------------- similar decisions
class Filters(Schema):
    jurisdiction: str | None = None
    chamber: str | None = None
    solution: str | None = None
    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.dict().items() if v}


class HitOut(Schema):
    id: str
    url: str
    score: float
    passage: str
    highlights: list[list[int]]
    metadata: dict[str, Any]


@router.get("/similaires", response=list[HitOut], summary="Rechercher des décisions similaires")
def similar(
    request, q: text(2000), filters: Query[Filters], k: int = 10, mode: Literal["hybride", "lexical"] = "hybride"
):
    """BM25 et plongements de phrases multilingues fusionnés (ou `lexical` : BM25 seul), filtres sur
    les métadonnées, passage le plus pertinent (texte pseudonymisé) avec les mots de la requête
    surlignés (`highlights` : positions dans `passage`)."""
    _allowed(request)
    if not q.strip():
        raise HttpError(400, "La requête est vide.")
    if len(q) > 2000:
        raise HttpError(400, "La requête est trop longue (2 000 caractères au plus).")
    hits, pks = services.search_stored(q, max(1, min(k, 50)), filters.as_dict(), mode)
    return [
        {
            "id": h.id,
            "url": reverse("decisions:review", args=[pks[h.id]]),
            "score": h.score,
            "passage": h.passage,
            "highlights": [list(x) for x in h.highlights],
            "metadata": h.metadata,
        }
        for h in hits
    ]


# -------------------------------------------------------------------------------- objectivation
class ObjectivationIn(Schema):
    # exactly one of decision_id and description: the schema says it (oneOf), the validator checks it
    model_config = {"json_schema_extra": {"oneOf": [{"required": ["decision_id"]}, {"required": ["description"]}]}}

    decision_id: Annotated[str, Field(min_length=1, max_length=200)] = None
    description: text(5000) = None
    kind: Kind = "dommages_interets"
    k: int = 50
    awarded_only: bool = True
    filters: Filters = Filters()
    mode: Literal["hybride", "lexical"] = "hybride"

    @model_validator(mode="after")
    def _one_source(self):
        if (self.decision_id is None) == (self.description is None):
            raise ValueError("indiquez soit decision_id, soit description, mais pas les deux")
        return self


class ValueOut(Schema):
    id: str
    url: str
    value: float


class ObjectivationOut(Schema):
    kind: str
    query: str
    comparable: int
    stats: dict[str, Any]
    decisions: list[ValueOut]
    this_decision: list[float] | None
    limits: list[str]


@router.post(
    "/objectivation",
    response={200: ObjectivationOut, 404: ErrorOut, 429: ErrorOut},
    summary="Distribution des montants sur des décisions comparables",
)
def objectivation(request, response: HttpResponse, payload: ObjectivationIn):
    """Pour une décision enregistrée (`decision_id`) ou la description d'une affaire
    (`description`) : les `k` décisions les plus proches (mêmes filtres que la recherche), puis la
    distribution des montants de type `kind` (effectif, minimum, quartiles, médiane, maximum), la
    liste des décisions et les limites de l'échantillon. Jamais un chiffre « prédit » unique."""
    _allowed(request)
    if (limited := _limited(request, response, "objectivation")) is not None:
        return limited
    try:
        found = services.objectivate(payload.decision_id, payload.description, payload.kind, payload.k,
                            payload.awarded_only, payload.filters.as_dict(), payload.mode)
    except ObjectivationError as exc:
        raise HttpError(exc.status, exc.message) from None
    query, facts, result, pks, this = (found[k] for k in ("query", "facts", "result", "pks", "this"))
    return {
        "kind": payload.kind,
        "query": query[:200],
        "comparable": len(facts),
        "stats": result["stats"],
        "decisions": [
            {"id": d["id"], "url": reverse("decisions:review", args=[pks[d["id"]]]), "value": d["value"]}
            for d in result["decisions"]
        ],
        "this_decision": this,
        "limits": result["limits"],
    }
