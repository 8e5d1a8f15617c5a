"""Background jobs of the court-decisions use case: pseudonymise imported decisions, demo data.

The detection itself is the pure pipeline (:class:`amorce.decisions.pipeline.Pseudonymiser`); this
module only stores its results (one transaction at the end, so a failed job stores nothing).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from amorce.web.jobs import JobContext, job_handler
from amorce.web.roles import Role

from .models import Decision as DecisionRow
from .models import Entity as EntityRow
from .schema import Decision

META_FIELDS = {"source": ("source",), "jurisdiction": ("jurisdiction", "juridiction"),
               "chamber": ("chamber", "chambre"), "solution": ("solution",)}
DATE_FIELDS = ("decision_date", "date")


def decision_to_param(decision: Decision) -> dict[str, Any]:
    """A pure decision as JSON-serialisable job parameters."""
    return {"id": decision.id, "text": decision.text, "metadata": decision.metadata}


def _parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _columns(metadata: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, keys in META_FIELDS.items():
        value = next((metadata[k] for k in keys if metadata.get(k)), "")
        out[column] = str(value)[:200]
    out["date"] = next((d for d in (_parse_date(metadata.get(k)) for k in DATE_FIELDS) if d), None)
    return out


def store(decision: Decision, entities) -> DecisionRow:
    """Create one decision and its detected entities (caller holds the transaction)."""
    row = DecisionRow.objects.create(external_id=decision.id, text=decision.text,
                                     metadata=decision.metadata, **_columns(decision.metadata))
    EntityRow.objects.bulk_create([
        EntityRow(decision=row, start=e.start, end=e.end, category=e.category, text=e.text[:1000],
                  replacement=e.replacement, doubt=e.doubt, source=EntityRow.Source.AUTO,
                  detector=e.source[:100])
        for e in entities])
    row.max_doubt = max((e.doubt for e in entities), default=0.0)
    row.save(update_fields=["max_doubt"])
    return row


def pseudonymise_and_store(ctx: JobContext, decisions: list[Decision]) -> dict[str, Any]:
    from .pipeline import Pseudonymiser

    known = set(DecisionRow.objects.filter(external_id__in=[d.id for d in decisions])
                .values_list("external_id", flat=True))
    todo = [d for d in decisions if d.id not in known]
    if known:
        ctx.log(f"{len(known)} décision(s) déjà présente(s), laissée(s) telle(s) quelle(s) : "
                + ", ".join(sorted(known)[:20]))
    ctx.progress(0, len(todo) or 1, "Chargement du modèle de langue")
    pseudo = Pseudonymiser()
    results = []
    for index, result in enumerate(pseudo.pseudonymise(todo), start=1):
        results.append(result)
        ctx.progress(index, len(todo), f"Pseudonymisation : {index}/{len(todo)}")
    by_id = {d.id: d for d in todo}
    with transaction.atomic():
        rows = [store(by_id[r.id], r.entities) for r in results]
    entities = sum(len(r.entities) for r in results)
    ctx.log(f"{len(rows)} décision(s) enregistrée(s), {entities} entité(s) détectée(s).")
    return {"decisions": len(rows), "entites": entities, "ignorees": len(known), "url": "/decisions/"}


@job_handler("decisions.pseudonymise", "Pseudonymisation de décisions", roles=[Role.MAGISTRAT_GREFFIER])
def pseudonymise_job(ctx: JobContext, inputs: list[dict[str, Any]], decisions: int = 0) -> dict[str, Any]:
    """``inputs``: the imported decisions (texts in clear), stored apart from the job's parameters and
    deleted once the job succeeded (:mod:`amorce.web.jobs`); ``decisions``: how many, for the job page."""
    pure = [Decision(id=str(d["id"]), text=d["text"], metadata=d.get("metadata") or {}) for d in inputs]
    return pseudonymise_and_store(ctx, pure)


def load_demo(ctx: JobContext) -> dict[str, Any]:
    """Synthetic decisions (fictional people) run through the same pipeline (idempotent)."""
    from .demo import demo_decisions

    return pseudonymise_and_store(ctx, demo_decisions())
