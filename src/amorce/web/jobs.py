"""Background jobs on top of django-tasks (DatabaseBackend).

A use case registers a handler once::

    @job_handler("ciblage.train", "Entraînement du modèle de ciblage", roles=[Role.RESPONSABLE_INSPECTION])
    def train(ctx: JobContext, dataset_id: int) -> dict:
        for i, part in enumerate(parts):
            ctx.progress(i, len(parts), "Calcul des variables")
            ...
        return {"summary": "Modèle entraîné sur 1 200 contrôles.", "url": model_url, "auc": 0.81}

``result_labels={"auc": "AUC (test)"}`` gives the French label of each other key shown on the job
page; ``summary`` (a French sentence) and ``url`` (« Voir le résultat ») are shown as they are.

and starts it with ``enqueue("ciblage.train", {"dataset_id": 3}, user=request.user)``. The worker
(``amorce worker``) runs it; the job page shows status, progress, log and the French error.
A handler reports progress outside database transactions (inside one, other sessions would not
see it, and a rollback would erase it). Cancellation is cooperative: ``ctx.progress`` raises
:class:`JobCancelled` once a cancel was requested.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from amorce.core import formats
from amorce.core.errors import AmorceError
from amorce.core.progress import fraction

from .errors import JobCancelled
from .models import Job
from .roles import Role

logger = logging.getLogger("amorce.jobs")


@dataclass(frozen=True)
class Handler:
    kind: str
    label: str
    func: Callable[..., dict | None]
    roles: tuple[Role, ...] = field(default_factory=tuple)
    result_labels: dict[str, str] = field(default_factory=dict)


HANDLERS: dict[str, Handler] = {}

# Labels of result keys common to several handlers; a handler's own result_labels come first.
RESULT_LABELS = {
    "usecases": "Par cas d'usage",
    "dossiers": "Dossiers",
    "created": "Créés",
    "establishments": "Établissements",
    "entites": "Entités",
    "ignorees": "Ignorées",
    "fiches": "Fiches",
    "passages": "Passages",
    "base": "Base",
    "indexee": "Indexée",
}
HIDDEN_RESULT_KEYS = {"summary", "url"}  # shown apart: the sentence, and the « Voir le résultat » link


def job_handler(kind: str, label: str, *, roles: tuple[Role, ...] | list[Role] = (),
                result_labels: dict[str, str] | None = None):
    def decorator(func):
        HANDLERS[kind] = Handler(kind, label, func, tuple(roles), dict(result_labels or {}))
        return func

    return decorator


@dataclass(frozen=True)
class ResultItem:
    """One line of a job result as people read it: a French label and a formatted value, or the
    items of a nested mapping."""

    label: str
    value: str = ""
    children: tuple[ResultItem, ...] = ()


def result_items(result: dict, labels: dict[str, str] | None = None) -> list[ResultItem]:
    """The result of a job (JSON) as labelled, French-formatted items (never a Python repr)."""
    labels = {**RESULT_LABELS, **(labels or {})}
    items = []
    for key, value in (result or {}).items():
        if key in HIDDEN_RESULT_KEYS:
            continue
        label = labels.get(key) or str(key).replace("_", " ").capitalize()
        if isinstance(value, dict):
            items.append(ResultItem(label, "" if value else "—", tuple(result_items(value, labels))))
        else:
            items.append(ResultItem(label, _result_value(value)))
    return items


def _result_value(value) -> str:
    if isinstance(value, bool) or value is None:
        return formats.yes_no(value)
    if isinstance(value, int):
        return formats.number(value)
    if isinstance(value, float):
        return formats.number(value, 3, trim=True)
    if isinstance(value, list | tuple):
        return ", ".join(_result_value(v) for v in value) if value else "—"
    return str(value)


def describe_result(result: dict, labels: dict[str, str] | None = None) -> str:
    """The result on one line, for the job log and the CLI: « Dossiers : 55 ; Créés : 3 »."""
    if isinstance(result, dict) and isinstance(result.get("summary"), str):
        return result["summary"]
    return describe_items(result_items(result, labels), " ; ")


def describe_items(items, separator: str = ", ") -> str:
    return separator.join(f"{i.label} : {f'({describe_items(i.children)})' if i.children else i.value}"
                          for i in items)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobContext:
    """What a handler gets: progress, log, cancellation."""

    def __init__(self, job: Job, *, echo: Callable[[float, str], None] | None = None,
                 min_interval: float = 0.5) -> None:
        self.job = job
        self._echo = echo
        self._last_write = 0.0
        self._min_interval = min_interval
        self._log_lines: list[str] = [job.log] if job.log else []

    def progress(self, done: float, total: float | None = None, message: str | None = None) -> None:
        share = fraction(done, total)
        if message is not None:
            self.job.progress_message = message[:300]
        self.job.progress = share
        if self._echo:
            self._echo(share, self.job.progress_message)
        now = time.monotonic()
        if now - self._last_write >= self._min_interval or share >= 1.0:
            self._flush()
            self._last_write = now
            self.check_cancelled()

    def part(self, begin: float, width: float) -> JobPart:
        """A context for a sub-step that covers ``[begin, begin + width]`` of this job's progress."""
        return JobPart(self, begin, width)

    def log(self, message: str) -> None:
        line = f"[{timezone.localtime():%H:%M:%S}] {message}"
        self._log_lines.append(line)
        logger.info("job %s: %s", self.job.pk, message)
        self._flush()

    def check_cancelled(self) -> None:
        if connection.in_atomic_block:
            return
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled()

    def _flush(self) -> None:
        if connection.in_atomic_block:
            return  # invisible to others until commit, and lost on rollback: report later
        self.job.log = "\n".join(self._log_lines)
        Job.objects.filter(pk=self.job.pk).update(
            progress=self.job.progress, progress_message=self.job.progress_message, log=self.job.log)


class JobPart:
    """What a sub-step of a job gets: the job's log and cancellation, progress mapped into its slice."""

    def __init__(self, parent: JobContext | JobPart, begin: float, width: float) -> None:
        self.parent, self.begin, self.width = parent, begin, width

    def progress(self, done: float, total: float | None = None, message: str | None = None) -> None:
        self.parent.progress(self.begin + self.width * fraction(done, total), 1.0, message)

    def part(self, begin: float, width: float) -> JobPart:
        return JobPart(self, begin, width)

    def log(self, message: str) -> None:
        self.parent.log(message)

    def check_cancelled(self) -> None:
        self.parent.check_cancelled()


def enqueue(kind: str, params: dict | None = None, *, user=None, label: str | None = None,
            retry_of: Job | None = None) -> Job:
    """Create a job and queue it for the worker (after the current transaction commits)."""
    handler = HANDLERS.get(kind)
    if handler is None:
        raise AmorceError(f"Type de tâche inconnu : {kind}")
    job = Job.objects.create(kind=kind, label=label or handler.label, params=params or {},
                             created_by=user if getattr(user, "is_authenticated", False) else None,
                             retry_of=retry_of)
    transaction.on_commit(lambda: _send(job))
    return job


def _send(job: Job) -> None:
    result = run_job.enqueue(str(job.pk))
    job.task_result_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_result_id=job.task_result_id)


@task()
def run_job(job_id: str) -> None:
    execute(job_id)


def execute(job_id, *, echo: Callable[[float, str], None] | None = None) -> Job:
    """Run a queued job in this process (the worker calls this; so does ``amorce demo``)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), worker=worker_id())
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job  # cancelled before start, or already taken
    ctx = JobContext(job, echo=echo)
    handler = HANDLERS.get(job.kind)
    final: dict = {"finished_at": timezone.now()}
    try:
        if handler is None:
            raise AmorceError(f"Type de tâche inconnu : {job.kind}")
        ctx.log("Démarrage.")
        result = handler.func(ctx, **job.params) or {}
        ctx.progress(1.0, message="Terminé")
        ctx.log("Terminé.")
        final.update(status=Job.Status.SUCCEEDED, result=result, progress=1.0)
    except JobCancelled:
        ctx.log("Annulée à la demande de l'utilisateur.")
        final.update(status=Job.Status.CANCELLED)
    except AmorceError as exc:
        ctx.log("Échec : " + exc.message.splitlines()[0])
        final.update(status=Job.Status.FAILED, error=exc.message)
    except Exception as exc:  # noqa: BLE001 - any crash must leave a visible, retryable job
        logger.error("job %s crashed:\n%s", job_id, traceback.format_exc())
        ctx.log(f"Échec : erreur interne ({type(exc).__name__}).")
        final.update(status=Job.Status.FAILED,
                     error="La tâche a échoué à cause d'une erreur interne. Les administrateurs en ont la "
                           f"trace dans les journaux du serveur (référence {job.pk}). Vous pouvez la relancer.")
    final["finished_at"] = timezone.now()
    final["log"] = "\n".join(ctx._log_lines)
    Job.objects.filter(pk=job.pk).update(**final)
    job.refresh_from_db()
    return job


def request_cancel(job: Job) -> Job:
    """Cancel a queued job at once; ask a running one to stop at its next progress report."""
    if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now(), cancel_requested=True):
        pass
    else:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def retry(job: Job, *, user=None) -> Job:
    if job.is_active:
        raise AmorceError("Cette tâche est encore en cours : annulez-la avant de la relancer.")
    return enqueue(job.kind, job.params, user=user, label=job.label, retry_of=job)


def recover_interrupted() -> int:
    """Mark as failed the jobs left running by a worker of this host that no longer exists."""
    host = socket.gethostname()
    count = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING, worker__startswith=host + ":"):
        pid = int(job.worker.rsplit(":", 1)[1] or 0)
        if pid and _pid_alive(pid):
            continue
        count += Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, finished_at=timezone.now(),
            error="La tâche a été interrompue (arrêt du processus de traitement). Vous pouvez la relancer.")
    return count


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
