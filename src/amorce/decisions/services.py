"""The decisions use case's service layer: what the review pages, the JSON API and the jobs do with
the stored decisions (Django allowed, no HTTP). Views and API endpoints only parse, check roles and
render; every state change, its audit event and its transaction live here, so the API, the pages and
the command line cannot drift apart.

- pseudonymised text of a stored decision (the pure pipeline's replacement logic over the current
  entities), and the API's pseudonymisation of a free text;
- import of uploaded files with the command line's importers (problems name the uploaded file);
- review: corrections of entities, validation, reopening, publication (refused on a decision that is
  not under review: :class:`DecisionLocked`);
- exports of the validated decisions (JSONL, Judilibre JSON, annotations for training);
- search of similar decisions and objectivation of amounts over the stored pseudonymised texts.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from amorce.core import formats
from amorce.core.errors import AmorceError, DataValidationError
from amorce.web.audit import record

from .errors import DecisionLocked, DecisionsError, EntityClash, ImportProblems, ObjectivationError
from .importers import MAX_TEXT_CHARS
from .models import Correction, Decision, Entity
from .schema import Decision as PureDecision
from .schema import Entity as PureEntity
from .schema import entity_key
from .taxonomy import DEFAULT_KEEP, Policy

EXPORTABLE = (Decision.Status.VALIDATED, Decision.Status.PUBLISHED)
EXPORT_FORMATS = ("jsonl", "json", "annotations.jsonl")


# ------------------------------------------------------------------------------ pseudonymised text
def pure_entities(decision: Decision) -> list[PureEntity]:
    return [PureEntity(start=e.start, end=e.end, category=e.category, text=e.text, score=1.0 - e.doubt,
                       source=e.detector or e.source, entity_id=entity_key(e.category, e.text))
            for e in decision.entities.all()]


def pseudonymised(decision: Decision) -> tuple[str, list[PureEntity]]:
    """The text recomputed from the current entities with the pure module's replacement logic
    (Label patterns, same entity → same letter or number)."""
    from .pipeline import assign_replacements

    entities = pure_entities(decision)
    return assign_replacements(decision.text, entities, Policy()), sorted(entities, key=lambda e: e.start)


def pseudonymise_text(text: str, text_id: str, keep: tuple[str, ...] | None, *, request=None, user=None) -> dict:
    """Pseudonymise a free text as the command line does ({id, text_pseudonymised, entities});
    personal data went through the service, so who, when and how much is traced (never the text)."""
    from .pipeline import pseudonymise_partition
    from .taxonomy import check_categories

    if not text.strip():
        raise DecisionsError("Le texte est vide.")
    if len(text) > MAX_TEXT_CHARS:
        raise DecisionsError(f"Le texte fait {formats.number(len(text))} caractères : la limite est de "
                             f"{formats.number(MAX_TEXT_CHARS)} caractères.")
    keep = tuple(sorted(DEFAULT_KEEP)) if keep is None else tuple(keep)
    check_categories(keep)
    row = {"id": text_id or "1", "text": text}
    result = pseudonymise_partition(([row], keep, True))[0]
    record("decisions_api_pseudonymisation", request=request, user=user, object_type="decisions.texte",
           object_id=row["id"][:200], caracteres=len(text), entites=len(result["entities"]), via="api")
    return result


# ----------------------------------------------------------------------------------------- import
def _safe_name(name: str, taken: set[str]) -> str:
    """The uploaded file's own name (no folders, no odd characters), unique in the import folder."""
    base = re.sub(r"[^\w.\- ]", "_", Path(name.replace("\\", "/")).name).strip(" .") or "fichier"
    return base if base not in taken else f"{Path(base).stem}-{len(taken)}{Path(base).suffix}"


def read_uploads(uploads, fmt: str) -> list[PureDecision]:
    """Check and read uploaded file(s) with the command line's importers; problems name the uploaded
    file (never the temporary copy), with the line or record where there is one (:class:`ImportProblems`)."""
    from .importers import load_decisions

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="amorce-decisions-") as tmp:
        folder = Path(tmp) / "import"
        folder.mkdir()
        names: dict[str, str] = {}  # temporary path -> uploaded name
        for upload in uploads:
            target = folder / _safe_name(upload.name, {Path(p).name for p in names})
            with target.open("wb") as handle:
                for i, chunk in enumerate(upload.chunks()):
                    if i == 0 and (b"\x00" in chunk[:8192] or chunk.startswith(b"%PDF")):
                        problems.append(f"fichier {upload.name} : fichier binaire (PDF, traitement de texte…), "
                                        "pas du texte — enregistrez-le au format texte (UTF-8 ou Windows-1252)")
                    handle.write(chunk)
            names[str(target)] = upload.name
        if problems:
            raise ImportProblems(problems)
        source = folder if fmt == "texte" else next(iter(folder.iterdir()))
        only = next(iter(names.values()))
        try:
            return load_decisions(source, fmt)
        except DataValidationError as exc:
            raise ImportProblems([str(dataclasses.replace(p, file=names.get(p.file or "", only)))
                                  for p in exc.problems]) from exc
        except AmorceError as exc:
            raise ImportProblems([f"fichier {only} : {exc.message.replace(str(source), only)}"]) from exc


def start_import(decisions: list[PureDecision], name: str, *, user, request=None):
    """Queue the pseudonymisation job of decisions read by :func:`read_uploads`; returns the job."""
    from amorce.web import jobs

    from .tasks import decision_to_param

    with transaction.atomic():
        job = jobs.enqueue("decisions.pseudonymise", {"decisions": len(decisions)}, user=user,
                           label=f"Pseudonymisation de {name}", inputs=[decision_to_param(d) for d in decisions])
        record("decisions_import_started", request=request, user=user, obj=job, fichier=name[:200],
               decisions=len(decisions))
    return job


# ----------------------------------------------------------------------------------------- review
def next_to_review() -> Decision | None:
    """The most doubtful decision still under review (the queue's first)."""
    return Decision.objects.filter(status=Decision.Status.TO_REVIEW).order_by("-max_doubt", "external_id").first()


def check_editable(decision: Decision) -> None:
    """Corrections only while the decision is under review (:class:`DecisionLocked` otherwise)."""
    if decision.status != Decision.Status.TO_REVIEW:
        raise DecisionLocked("Cette décision est déjà validée : rouvrez la relecture avant de la corriger.")


def _correct(decision: Decision, action: str, before, after, audit_action: str, *, user, request) -> None:
    Correction.objects.create(decision=decision, created_by=user, action=action, before=before, after=after)
    decision.refresh_max_doubt()
    record(audit_action, request=request, user=user, obj=decision, avant=before, apres=after)


def remove_entity(decision: Decision, entity: Entity, *, user, request=None) -> dict:
    """Leave an entity in clear; returns what it was."""
    check_editable(decision)
    with transaction.atomic():
        before = entity.as_dict()
        entity.delete()
        _correct(decision, Correction.Action.REMOVE, before, None, "decisions_entity_removed", user=user, request=request)
    return before


def recategorise_entity(decision: Decision, entity: Entity, category: str, *, user, request=None) -> bool:
    """Give an entity another category (no doubt left); False when it already had it."""
    check_editable(decision)
    if category == entity.category:
        return False
    with transaction.atomic():
        before = entity.as_dict()
        entity.category, entity.doubt = category, 0.0
        entity.save(update_fields=["category", "doubt"])
        _correct(decision, Correction.Action.RECATEGORISE, before, entity.as_dict(), "decisions_entity_recategorised",
                 user=user, request=request)
    return True


def add_entity(decision: Decision, start: int, end: int, category: str, *, user, request=None) -> Entity:
    """Occult a passage the machine missed; refused (:class:`EntityClash`) over another entity."""
    check_editable(decision)
    clash = decision.entities.filter(start__lt=end, end__gt=start).first()
    if clash is not None:
        raise EntityClash(f"Ce passage chevauche l'entité « {clash.text} » ({clash.start}–{clash.end}) : "
                          "supprimez-la d'abord ou choisissez d'autres positions.")
    with transaction.atomic():
        entity = Entity.objects.create(decision=decision, start=start, end=end, category=category,
                                       text=decision.text[start:end], doubt=0.0, source=Entity.Source.AGENT,
                                       detector="agent")
        _correct(decision, Correction.Action.ADD, None, entity.as_dict(), "decisions_entity_added",
                 user=user, request=request)
    return entity


def validate(decision: Decision, *, user, request=None) -> None:
    check_editable(decision)
    with transaction.atomic():
        decision.status = Decision.Status.VALIDATED
        decision.validated_at, decision.validated_by = timezone.now(), user
        decision.save(update_fields=["status", "validated_at", "validated_by"])
        record("decisions_validated", request=request, user=user, obj=decision, entites=decision.entities.count())


def reopen(decision: Decision, *, user, request=None) -> None:
    with transaction.atomic():
        decision.status = Decision.Status.TO_REVIEW
        decision.validated_at = decision.validated_by = None
        decision.save(update_fields=["status", "validated_at", "validated_by"])
        record("decisions_review_reopened", request=request, user=user, obj=decision)


def publish(*, user, request=None) -> int:
    """Mark every validated decision as published (after its export was sent for open data)."""
    with transaction.atomic():
        ids = list(Decision.objects.filter(status=Decision.Status.VALIDATED).values_list("external_id", flat=True))
        Decision.objects.filter(external_id__in=ids).update(status=Decision.Status.PUBLISHED)
        record("decisions_published", request=request, user=user, object_type="decisions.decision",
               decisions=ids[:500], nombre=len(ids))
    return len(ids)


# ----------------------------------------------------------------------------------------- export
def export(fmt: str, *, user, request=None) -> tuple[str, str, str]:
    """The validated and published decisions as (body, content type, file name): ``jsonl``
    (pseudonymised texts), ``json`` (Judilibre records) or ``annotations.jsonl`` (original text and
    validated entities: ``--gold`` and ``--decisions`` of ``amorce decisions train``)."""
    from .importers import to_judilibre

    if fmt not in EXPORT_FORMATS:
        raise DecisionsError(f"Format d'export inconnu : « {fmt} ».")
    decisions = Decision.objects.filter(status__in=EXPORTABLE).prefetch_related("entities").order_by("external_id")
    rows = [(d, *pseudonymised(d)) for d in decisions]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")

    def jsonl(lines) -> str:
        return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)

    if fmt == "annotations.jsonl":
        body = jsonl({"id": d.external_id, "text": d.text, "entities": [e.to_dict(with_doubt=False) for e in ents]}
                     for d, _, ents in rows)
        content_type, name = "application/x-ndjson; charset=utf-8", f"annotations-validees-{stamp}.jsonl"
    elif fmt == "jsonl":
        body = jsonl({"id": d.external_id, "text_pseudonymised": masked,
                      "entities": [e.to_dict(with_doubt=False) for e in ents]} for d, masked, ents in rows)
        content_type, name = "application/x-ndjson; charset=utf-8", f"decisions-validees-{stamp}.jsonl"
    else:
        items = []
        for d, masked, _ in rows:
            meta = {**d.metadata, "jurisdiction": d.jurisdiction or d.metadata.get("jurisdiction"),
                    "chamber": d.chamber or d.metadata.get("chamber"), "solution": d.solution or d.metadata.get("solution"),
                    "decision_date": d.date.isoformat() if d.date else d.metadata.get("decision_date")}
            items.append(to_judilibre(PureDecision(d.external_id, d.text, {k: v for k, v in meta.items() if v}), masked))
        body = json.dumps(items, ensure_ascii=False, indent=2)
        content_type, name = "application/json; charset=utf-8", f"decisions-validees-{stamp}.json"
    record("decisions_export", request=request, user=user, object_type="decisions.decision", format=fmt,
           decisions=len(rows))
    return body, content_type, name


# ---------------------------------------------------------------------------- similar decisions
_INDEX_LOCK = threading.Lock()
_INDEX: dict[str, tuple[tuple, Any, dict[str, int]]] = {}


def _state() -> tuple:
    agg = Decision.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (agg["n"], agg["last"], Entity.objects.count(), Correction.objects.aggregate(m=Max("pk"))["m"])


def stored_index(mode: str):
    """An index over the stored decisions' pseudonymised texts, rebuilt when decisions, entities or
    corrections changed (kept in memory per process). Returns (index, {external_id: pk})."""
    from .search import DecisionIndex

    state = _state()
    with _INDEX_LOCK:
        cached = _INDEX.get(mode)
        if cached and cached[0] == state:
            return cached[1], cached[2]
        pure, pks = [], {}
        for d in Decision.objects.prefetch_related("entities").order_by("pk"):
            text, _ = pseudonymised(d)
            meta = {"jurisdiction": d.jurisdiction, "chamber": d.chamber, "solution": d.solution, "source": d.source,
                    "decision_date": d.date.isoformat() if d.date else None, "status": d.status}
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


# -------------------------------------------------------------------------------- objectivation
def objectivate(decision_id: str | None, description: str | None, kind: str, k: int, awarded_only: bool,
                filters: dict[str, str], mode: str) -> dict[str, Any]:
    """The distribution of the amounts of ``kind`` over the ``k`` stored decisions closest to a stored
    decision or to the description of a case; shared by the API and the objectivation page. Returns
    {query, facts, result (:func:`amorce.decisions.objectivation.distribution`), pks, this}."""
    from .objectivation import KINDS, distribution, extract_facts

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
