"""JSON API of the decisions use case (mounted at /api/decisions/): pseudonymise a text, search the
stored decisions for similar ones, and the distribution of amounts over comparable decisions.

Authentication by session (CSRF token on POST) or personal token; the magistrat / greffier role
(or administrator) is required. Pseudonymisation and objectivation are CPU-bound: they are limited
per user to ``AMORCE_API_RATE_LIMIT`` (60 calls a minute by default). Search and objectivation work
on the pseudonymised texts of the stored decisions (never on names in clear) and answer with a
distribution and its limits, never a single figure.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amorce.web.audit import record
from amorce.web.ratelimit import api_limited
from amorce.web.roles import USECASES_BY_SLUG, require_roles

from .errors import DecisionsError
from .importers import MAX_TEXT_CHARS

router = Router(tags=["décisions"])
DEFAULT_KEEP = ("professionnelMagistratGreffier", "professionnelAvocat")


class ErrorOut(Schema):
    detail: str


def _allowed(request) -> None:
    require_roles(request, *USECASES_BY_SLUG["decisions"].roles)


def _limited(request, response: HttpResponse, what: str) -> tuple[int, dict] | None:
    return api_limited(response, f"decisions-api:{what}:{request.user.pk}", settings.AMORCE_API_RATE_LIMIT)


# ----------------------------------------------------------------------------- pseudonymisation
class PseudonymiseIn(Schema):
    text: str
    id: str = "1"
    keep: list[str] | None = None


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
    from .pipeline import pseudonymise_partition
    from .taxonomy import check_categories

    _allowed(request)
    if (limited := _limited(request, response, "pseudonymiser")) is not None:
        return limited
    if not payload.text.strip():
        raise HttpError(400, "Le texte est vide.")
    if len(payload.text) > MAX_TEXT_CHARS:
        raise HttpError(
            400,
            f"Le texte fait {len(payload.text):,} caractères : la limite est de "
            f"{MAX_TEXT_CHARS:,} caractères.".replace(",", " "),
        )
    keep = DEFAULT_KEEP if payload.keep is None else tuple(payload.keep)
    try:
        check_categories(keep)
    except DecisionsError as exc:
        raise HttpError(400, exc.message) from None
    row = {"id": payload.id or "1", "text": payload.text}
    result = pseudonymise_partition(([row], keep, True))[0]
    # personal data went through the service: trace who, when and how much (never the text)
    record(
        "decisions_api_pseudonymisation",
        request=request,
        object_type="decisions.texte",
        object_id=row["id"][:200],
        caracteres=len(payload.text),
        entites=len(result["entities"]),
        via="api",
    )
    return result


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


_INDEX_LOCK = threading.Lock()
_INDEX: dict[str, tuple[tuple, Any, dict[str, int]]] = {}


def _state() -> tuple:
    from .models import Correction, Decision, Entity

    agg = Decision.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (agg["n"], agg["last"], Entity.objects.count(), Correction.objects.aggregate(m=Max("pk"))["m"])


def stored_index(mode: str):
    """An index over the stored decisions' pseudonymised texts, rebuilt when decisions, entities or
    corrections changed (kept in memory per process). Returns (index, {external_id: pk})."""
    from .models import Decision
    from .schema import Decision as PureDecision
    from .search import DecisionIndex
    from .views import pseudonymised

    state = _state()
    with _INDEX_LOCK:
        cached = _INDEX.get(mode)
        if cached and cached[0] == state:
            return cached[1], cached[2]
        pure, pks = [], {}
        for d in Decision.objects.prefetch_related("entities").order_by("pk"):
            text, _ = pseudonymised(d)
            meta = {
                "jurisdiction": d.jurisdiction,
                "chamber": d.chamber,
                "solution": d.solution,
                "source": d.source,
                "decision_date": d.date.isoformat() if d.date else None,
                "status": d.status,
            }
            pure.append(PureDecision(id=d.external_id, text=text, metadata=meta))
            pks[d.external_id] = d.pk
        index = DecisionIndex(pure, use_embeddings=(mode == "hybride")) if pure else None
        _INDEX[mode] = (state, index, pks)
        return index, pks


def search_stored(query: str, k: int, filters: dict[str, str], mode: str, exclude: str | None = None):
    """The ``k`` stored decisions most similar to ``query`` (filters on metadata) and {external_id: pk};
    shared by the API and the search page."""
    index, pks = stored_index(mode)
    if index is None:
        return [], pks
    hits = index.search(query, k=k + (1 if exclude else 0), filters=filters)
    return [h for h in hits if h.id != exclude][:k], pks


@router.get("/similaires", response=list[HitOut], summary="Rechercher des décisions similaires")
def similar(
    request, q: str, filters: Query[Filters], k: int = 10, mode: Literal["hybride", "lexical"] = "hybride"
):
    """BM25 et plongements de phrases multilingues fusionnés (ou `lexical` : BM25 seul), filtres sur
    les métadonnées, passage le plus pertinent (texte pseudonymisé) avec les mots de la requête
    surlignés (`highlights` : positions dans `passage`)."""
    _allowed(request)
    if not q.strip():
        raise HttpError(400, "La requête est vide.")
    if len(q) > 2000:
        raise HttpError(400, "La requête est trop longue (2 000 caractères au plus).")
    hits, pks = search_stored(q, max(1, min(k, 50)), filters.as_dict(), mode)
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
    decision_id: str | None = None
    description: str | None = None
    kind: str = "dommages_interets"
    k: int = 50
    awarded_only: bool = True
    filters: Filters = Filters()
    mode: Literal["hybride", "lexical"] = "hybride"


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


class ObjectivationError(DecisionsError):
    """A refused objectivation request (French message, HTTP status for the API)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def objectivate(decision_id: str | None, description: str | None, kind: str, k: int, awarded_only: bool,
                filters: dict[str, str], mode: str) -> dict[str, Any]:
    """The distribution of the amounts of ``kind`` over the ``k`` stored decisions closest to a stored
    decision or to the description of a case; shared by the API and the objectivation page. Returns
    {query, facts, result (:func:`amorce.decisions.objectivation.distribution`), pks, this}."""
    from .models import Decision
    from .objectivation import KINDS, distribution, extract_facts
    from .schema import Decision as PureDecision

    kinds = [name for name, _ in KINDS]
    if kind not in kinds:
        raise ObjectivationError(f"Type de montant inconnu : « {kind} ». Types : {', '.join(kinds)}.")
    if bool(decision_id) == bool((description or "").strip()):
        raise ObjectivationError(
            "Indiquez soit une décision enregistrée (decision_id), soit la description d'une "
            "affaire (description), mais pas les deux.")
    this = None
    if decision_id:
        stored = Decision.objects.filter(external_id=decision_id).first()
        if stored is None:
            raise ObjectivationError(f"Décision introuvable : « {decision_id} ».", status=404)
        from .views import pseudonymised

        query = pseudonymised(stored)[0][:3000]
        own = extract_facts(PureDecision(stored.external_id, stored.text))
        this = [a.value for a in own.amounts if a.kind == kind and (a.awarded or not awarded_only)]
    else:
        query = description.strip()
        if len(query) > 5000:
            raise ObjectivationError("La description est trop longue (5 000 caractères au plus).")
    hits, pks = search_stored(query, max(1, min(k, 200)), filters, mode, exclude=decision_id)
    texts = dict(Decision.objects.filter(external_id__in=[h.id for h in hits]).values_list("external_id", "text"))
    facts = [extract_facts(PureDecision(h.id, texts[h.id])) for h in hits if h.id in texts]
    result = distribution(facts, kind, awarded_only=awarded_only)
    result["limits"].insert(
        0,
        f"Décisions comparables : les {len(facts)} plus proches par le texte parmi les "
        "décisions enregistrées (recherche hybride), filtres appliqués.",
    )
    return {"query": query, "facts": facts, "result": result, "pks": pks, "this": this}


@router.post(
    "/objectivation",
    response={200: ObjectivationOut, 429: ErrorOut},
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
        found = objectivate(payload.decision_id, payload.description, payload.kind, payload.k,
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
