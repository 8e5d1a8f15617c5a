"""Background jobs of the assistant: retention purge, and the demo knowledge base."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from amorce.web.jobs import JobContext, enqueue, job_handler
from amorce.web.models import Job
from amorce.web.roles import Role

from . import config

FICHES_FILE = Path("service_public_qa") / "spf_fiches_question_reponse.jsonl"


def retention_days() -> int:
    """``AMORCE_ASSISTANT_RETENTION_DAYS`` (:mod:`amorce.assistant.config`), 90 days by default."""
    return config.get().retention_days


def purge_expired(days: int | None = None, *, now=None) -> dict:
    """Delete exchanges, conversations and closed handover tickets older than the retention period, and
    erase the contact (e-mail or phone) of the tickets left without activity as long."""
    from .models import Conversation, Exchange, HandoverTicket

    days = days or retention_days()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    exchanges, _ = Exchange.objects.filter(created_at__lt=cutoff).delete()
    conversations, _ = Conversation.objects.filter(updated_at__lt=cutoff).delete()
    tickets, _ = HandoverTicket.objects.filter(status=HandoverTicket.Status.CLOSED, updated_at__lt=cutoff).delete()
    contacts = HandoverTicket.objects.filter(updated_at__lt=cutoff).exclude(contact="").update(contact="")
    return {"days": days, "exchanges": exchanges, "conversations": conversations, "closed_tickets": tickets,
            "contacts_erased": contacts}


# The retention purge runs by itself: whenever an exchange is stored or an agent opens the back-office,
# the purge job is queued if none was queued in the last day (checked at most once an hour per process;
# two processes racing only queue the purge twice, which deletes nothing more).
PURGE_EVERY = timedelta(days=1)
PURGE_CHECK_SECONDS = 3600.0
_purge_checked_at: float | None = None


def schedule_purge(*, now=None) -> bool:
    """Queue the ``assistant.purge`` job unless one was queued in the last day; True when queued."""
    global _purge_checked_at
    clock = time.monotonic()
    if _purge_checked_at is not None and clock - _purge_checked_at < PURGE_CHECK_SECONDS:
        return False
    _purge_checked_at = clock
    if Job.objects.filter(kind="assistant.purge", created_at__gte=(now or timezone.now()) - PURGE_EVERY).exists():
        return False
    enqueue("assistant.purge", label="Purge quotidienne des conversations de l'assistant (durée de conservation)")
    return True


@job_handler("assistant.purge", "Purge des conversations de l'assistant (durée de conservation)",
             roles=[Role.ADMINISTRATEUR])
def purge_job(ctx: JobContext, days: int | None = None) -> dict:
    result = purge_expired(days)
    ctx.log(f"Conservation {result['days']} jours : {result['exchanges']} éléments d'échanges, "
            f"{result['conversations']} éléments de conversations et {result['closed_tickets']} demandes "
            f"closes supprimés ; coordonnées effacées de {result['contacts_erased']} demandes sans suite.")
    return result


def annotated_fiche_ids() -> set[str]:
    """Fiche numbers of the 105 annotated questions of the shared data, if present."""
    from .documents import AssistantError
    from .evaluate import load_squad

    try:
        return {q.fiche_id for q in load_squad() if q.fiche_id}
    except (AssistantError, OSError, ValueError, KeyError):
        return set()


def _fiche_id(line: str) -> str | None:
    try:
        return json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None


def load_demo(ctx: JobContext) -> dict:
    """Keep an existing knowledge base; otherwise index 300 service-public.fr fiches, those that answer the
    annotated questions first."""
    from .kb import current_version, index_source, kb_path

    settings = config.get()
    name, root = settings.kb, settings.data_dir
    path = kb_path(name, root)
    version = current_version(path)
    if version is not None:
        ctx.log(f"Base de connaissances « {name} » déjà indexée ({path}) : conservée telle quelle.")
        return {"kb": name, "indexed": False}
    source = settings.shared_data / FICHES_FILE
    if not source.exists():
        ctx.log(f"Aucun contenu disponible pour l'assistant : fichier {source} introuvable. Pour indexer des "
                f"fiches : « amorce assistant index --source CHEMIN --kb {name} » (fichier JSONL de fiches, XML "
                "DILA, Markdown, HTML ou PDF), avec AMORCE_DATA_DIR identique à celui du serveur.")
        return {"kb": name, "indexed": False, "content": "none"}
    limit = settings.demo_fiches
    subset = root / "assistant" / f".demo-{name}.jsonl"
    subset.parent.mkdir(parents=True, exist_ok=True)
    preferred = annotated_fiche_ids()
    with source.open(encoding="utf-8") as src:
        lines = src.readlines()
    # the fiches that answer the 105 annotated questions first, so that the demo answers them
    first, rest = [], []
    for line in lines:
        (first if _fiche_id(line) in preferred else rest).append(line)
    ordered = first + rest
    with subset.open("w", encoding="utf-8") as out:
        out.writelines(ordered[:limit] if limit else ordered)
    what = (f"de {limit} fiches (d'abord celles des {len(preferred)} questions annotées)" if limit and preferred
            else f"des {limit} premières fiches" if limit else "de toutes les fiches")
    ctx.log(f"Indexation {what} de {source} dans la base « {name} » "
            "(quelques minutes). Pour tout indexer : « amorce assistant index --source " + str(source) + " ».")
    try:
        report = index_source(subset, name, root=root,
                              progress=lambda label, done, total: ctx.progress(done, total or 1, label))
    finally:
        subset.unlink(missing_ok=True)
    ctx.log(f"Base « {name} » : {report.documents} fiches, {report.chunks} passages ({report.seconds} s).")
    return {"kb": name, "indexed": True, "documents": report.documents, "chunks": report.chunks}


def verified_split(question: str) -> str:
    """``test`` for one verified question in five (fixed by its text), ``dev`` for the others: the
    calibration fits on the ``dev`` ones, the ``test`` ones measure it on questions it has not seen."""
    return "test" if int(hashlib.sha1(question.encode("utf-8")).hexdigest(), 16) % 5 == 0 else "dev"


def export_verified_questions(kb: str, folder: Path, *, repository: bool = False) -> dict:
    """Write the agents' verified questions of the base ``kb`` as the two question files of ``amorce
    assistant evaluate --questions`` (``colloquial_questions.jsonl``, ``out_of_scope_questions.jsonl``;
    each replaced whole, write then rename). With ``repository``, the repository's service-public.fr
    questions come first (to calibrate the service-public base on both)."""
    from amorce.core.files import atomic_write

    from .evaluate import QUESTION_FILES, question_data_dir
    from .models import VerifiedQuestion

    rows: dict[str, list[dict]] = {name: [] for name in QUESTION_FILES}
    if repository:
        source = question_data_dir()
        for name in QUESTION_FILES:
            with (source / name).open(encoding="utf-8") as handle:
                rows[name] = [json.loads(line) for line in handle if line.strip()]
    counts = {"in_scope": 0, "out_of_scope": 0, "test": 0}
    for item in VerifiedQuestion.objects.filter(kb=kb).order_by("created_at", "pk"):
        split = verified_split(item.question)
        rows[QUESTION_FILES[0] if item.fiche_id else QUESTION_FILES[1]].append(
            {"question": item.question, **({"fiche_id": item.fiche_id} if item.fiche_id else {}), "split": split,
             "note": f"question d'usager vérifiée par un agent le {item.updated_at:%d/%m/%Y}"})
        counts["in_scope" if item.fiche_id else "out_of_scope"] += 1
        counts["test"] += split == "test"
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in rows.items():
        with atomic_write(folder / name) as handle:
            for item in items:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return counts
