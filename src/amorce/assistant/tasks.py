"""Background jobs of the assistant: retention purge, and the demo knowledge base (indexed in the background)."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from amorce.core.progress import fraction
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


DEMO_JOB = "assistant.index"
DEMO_BATCH = 300  # fiches published per step: the chat answers from what is indexed meanwhile


def _demo_documents(source: Path, limit: int):
    """The demo's fiches, those that answer the annotated questions first (so that the demo answers them
    early), at most ``limit`` (0: all)."""
    from .loaders import load_documents

    preferred = annotated_fiche_ids()
    docs = load_documents(source)
    docs.sort(key=lambda doc: doc.id not in preferred)  # stable: the file's order otherwise
    return (docs[:limit] if limit else docs), preferred


def _indexed_count(path: Path) -> int:
    from .kb import current_version

    version = current_version(path)
    if version is None:
        return 0
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    return len(manifest.get("documents", {}))


def load_demo(ctx: JobContext) -> dict:
    """Index the service-public.fr fiches available (all 1,705 of ../shared/data by default,
    ``AMORCE_ASSISTANT_DEMO_FICHES`` to limit them) in the background: this queues the job
    ``assistant.index``, which publishes the base step by step. A base that already holds as many
    documents is kept as it is."""
    from .kb import kb_path

    settings = config.get()
    name, root = settings.kb, settings.data_dir
    path = kb_path(name, root)
    source = settings.shared_data / FICHES_FILE
    if not source.exists():
        if _indexed_count(path):
            ctx.log(f"Base de connaissances « {name} » déjà indexée ({path}) : conservée telle quelle.")
            return {"kb": name, "indexed": False}
        ctx.log(f"Aucun contenu disponible pour l'assistant : fichier {source} introuvable. Pour indexer des "
                f"fiches : « amorce assistant index --source CHEMIN --kb {name} » (fichier JSONL de fiches, XML "
                "DILA, Markdown, HTML ou PDF), avec AMORCE_DATA_DIR identique à celui du serveur.")
        return {"kb": name, "indexed": False, "content": "none"}
    with source.open(encoding="utf-8") as handle:
        available = sum(1 for line in handle if line.strip())
    wanted = min(settings.demo_fiches, available) if settings.demo_fiches else available
    indexed = _indexed_count(path)
    if indexed >= wanted:
        ctx.log(f"Base de connaissances « {name} » déjà indexée ({indexed} documents, {path}) : conservée telle "
                "quelle.")
        return {"kb": name, "indexed": False}
    active = Job.objects.filter(kind=DEMO_JOB, status__in=Job.ACTIVE).first()
    if active is None:
        active = enqueue(DEMO_JOB, {"kb": name, "fiches": wanted, "limit": settings.demo_fiches},
                         label=f"Indexation de {wanted} fiches service-public.fr pour l'assistant")
    ctx.log(f"Indexation de {wanted} fiches de {source} dans la base « {name} » lancée en arrière-plan (tâche "
            f"{active.pk}) : l'assistant répond à partir des fiches déjà indexées et affiche l'avancement.")
    return {"kb": name, "indexed": False, "background_job": str(active.pk), "fiches": wanted}


@job_handler(DEMO_JOB, "Indexation des fiches de démonstration de l'assistant", roles=[Role.ADMINISTRATEUR])
def index_demo_job(ctx: JobContext, kb: str, fiches: int, limit: int = 0) -> dict:
    """Index the demo's fiches by steps of :data:`DEMO_BATCH`, each published (a new version of the
    base): the chat answers from the fiches indexed so far. Re-indexing is incremental, so each step
    computes only its new fiches; the last one removes the fiches no longer in the file."""
    from .kb import index_documents, kb_path
    from .loaders import source_files

    settings = config.get()
    source = settings.shared_data / FICHES_FILE
    path = kb_path(kb, settings.data_dir)
    docs, preferred = _demo_documents(source, limit)
    total = len(docs)
    if not total:
        ctx.log(f"Aucune fiche dans {source} : rien à indexer.")
        return {"kb": kb, "documents": 0, "chunks": 0, "path": str(path)}
    files = [str(f) for f in source_files(source)]
    ctx.log(f"Indexation de {total} fiches de {source} (d'abord les {len(preferred & {d.id for d in docs})} qui "
            f"répondent aux questions annotées), publiées par étapes de {DEMO_BATCH}.")
    report = None
    for end in range(min(DEMO_BATCH, total), total + DEMO_BATCH, DEMO_BATCH):
        end = min(end, total)
        start = max(end - DEMO_BATCH, 0)
        ctx.check_cancelled()

        def step(done: float, of: float | None = None, message: str | None = None, start=start, end=end) -> None:
            fiches_done = start + (end - start) * fraction(done, of)
            stage = (message or "Indexation").split(" : ")[0]
            ctx.progress(fiches_done, total, f"{stage} : {int(fiches_done)} / {total} fiches")

        # the last step names the file: fiches no longer in it leave the base
        report = index_documents(docs[:end], kb, root=settings.data_dir,
                                 replace_sources=files if end == total else (), progress=step)
        ctx.log(f"{end} / {total} fiches indexées et publiées ({report.chunks} passages).")
        if end == total:
            break
    ctx.progress(total, total, f"{total} / {total} fiches indexées")
    return {"kb": kb, "documents": report.documents if report else 0, "chunks": report.chunks if report else 0,
            "path": str(path)}


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
