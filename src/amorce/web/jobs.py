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

Parameters are small references (ids, options): they are shown on the job page and kept with the
job. Bulky or personal inputs (the texts of imported decisions…) go in ``enqueue(..., inputs=data)``:
they are written to a file of their own under ``AMORCE_DATA_DIR/jobs/inputs/`` (readable by the
server's account only), the handler receives them as its ``inputs`` argument, and the file is
deleted as soon as a job that used it succeeds; a failed or cancelled job keeps it for a retry
during ``AMORCE_JOB_INPUT_RETENTION_DAYS`` (7 days by default), then :func:`purge_inputs` deletes it.
A handler reports progress outside database transactions (inside one, other sessions would not
see it, and a rollback would erase it). Cancellation is cooperative: ``ctx.progress`` raises
:class:`JobCancelled` once a cancel was requested.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from amorce.core import formats
from amorce.core.errors import AmorceError
from amorce.core.files import atomic_write, remove_stale_files
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


# ------------------------------------------------------------------------------------ job inputs
INPUTS = "inputs"  # the parameter that names a job's stored inputs; the handler's argument of the same name
_INPUT_NAME = re.compile(r"^[0-9a-f]{32}\.json$")


def inputs_dir() -> Path:
    return Path(settings.AMORCE_DATA_DIR) / "jobs" / "inputs"


def store_inputs(data: Any) -> str:
    """Write a job's inputs to a file of their own (owner-only, written then renamed); returns its name."""
    name = f"{uuid.uuid4().hex}.json"
    path = inputs_dir() / name
    with atomic_write(path) as handle:
        json.dump(data, handle, ensure_ascii=False)
    path.chmod(0o600)
    return name


def load_inputs(name: str) -> Any:
    if not isinstance(name, str) or not _INPUT_NAME.match(name):
        raise AmorceError("Référence de données d'entrée de tâche invalide.")
    try:
        with (inputs_dir() / name).open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise AmorceError("Les données d'entrée de cette tâche ne sont plus conservées (effacées après la réussite "
                          "d'une tâche qui les a traitées, ou au-delà de la durée de conservation) : relancez "
                          "l'import.") from None


def drop_inputs(name: str | None) -> None:
    if isinstance(name, str) and _INPUT_NAME.match(name):
        (inputs_dir() / name).unlink(missing_ok=True)


def purge_inputs(*, now: float | None = None) -> int:
    """Delete the stored inputs that no queued or running job needs once they are older than the
    retention period, those of no job at all after an hour (a rolled-back enqueue), and the
    temporary files of writes a crash interrupted; returns how many."""
    folder = inputs_dir()
    if not folder.is_dir():
        return 0
    removed = remove_stale_files(folder, 3600, ".*.tmp")
    jobs = Job.objects.filter(params__has_key=INPUTS).values_list("params", "status")
    referenced = {params[INPUTS]: status in Job.ACTIVE for params, status in jobs}
    now = time.time() if now is None else now
    expired, orphaned = now - settings.AMORCE_JOB_INPUT_RETENTION_DAYS * 86400, now - 3600
    for path in folder.glob("*.json"):
        try:
            needed = referenced.get(path.name)
            if needed is False and path.stat().st_mtime < expired or needed is None and path.stat().st_mtime < orphaned:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def enqueue(kind: str, params: dict | None = None, *, user=None, label: str | None = None,
            retry_of: Job | None = None, inputs: Any = None) -> Job:
    """Create a job and queue it for the worker (after the current transaction commits); ``inputs``
    (bulky or personal data) are stored apart from the parameters (see the module's notes)."""
    handler = HANDLERS.get(kind)
    if handler is None:
        raise AmorceError(f"Type de tâche inconnu : {kind}")
    params = dict(params or {})
    if inputs is not None:
        params[INPUTS] = store_inputs(inputs)
    job = Job.objects.create(kind=kind, label=label or handler.label, params=params,
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
        kwargs = dict(job.params)
        if INPUTS in kwargs:
            kwargs[INPUTS] = load_inputs(kwargs[INPUTS])
        result = handler.func(ctx, **kwargs) or {}
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
    if final.get("status") == Job.Status.SUCCEEDED:
        drop_inputs(job.params.get(INPUTS))  # processed: the personal data now lives where it belongs only
    try:
        purge_inputs()  # a worker may run for months: the retention is applied after every job
    except Exception:  # noqa: BLE001 - housekeeping never fails a job
        logger.exception("purge of the jobs' stored inputs failed")
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
