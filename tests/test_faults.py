"""Fault tests on the real processes: a worker killed (SIGKILL) in the middle of a job.

The platform runs in subprocesses on a fresh data folder (SQLite): ``amorce manage migrate``, a
pseudonymisation job queued with its inputs stored apart, ``amorce worker`` killed while the job runs.
Then: the next worker marks the job failed (retryable), nothing of the job is half-stored, its inputs
are kept for the retry and no temporary file is left; the retry succeeds and deletes the inputs.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = [pytest.mark.system, pytest.mark.slow]

N_DECISIONS = 150

SETUP = f"""
import django, json
django.setup()
from amorce.decisions.demo import generate_decisions
from amorce.decisions.tasks import decision_to_param
from amorce.web import jobs
from django.db import transaction
with transaction.atomic():
    job = jobs.enqueue("decisions.pseudonymise", {{"decisions": {N_DECISIONS}}}, label="Import",
                       inputs=[decision_to_param(d) for d in generate_decisions({N_DECISIONS})])
print(json.dumps({{"job": str(job.pk), "inputs": job.params["inputs"]}}))
"""

RETRY = """
import django, json, sys
django.setup()
from django.db import transaction
from amorce.web import jobs
from amorce.web.models import Job
with transaction.atomic():
    retry = jobs.retry(Job.objects.get(pk=sys.argv[1]))
print(json.dumps({"job": str(retry.pk)}))
"""


@pytest.fixture
def platform(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "AMORCE_DATA_DIR")}
    env.update(AMORCE_DATA_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="amorce.web.settings",
               SECRET_KEY="fault-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz", AMORCE_HTTPS="0")

    def run(*args: str, timeout: float = 300) -> str:
        result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("-m", "amorce.cli", "manage", "migrate", "--no-input", "-v", "0")
    run.env = env
    run.data_dir = tmp_path / "var"
    return run


def _job(data_dir, job_id: str) -> tuple[str, float, str]:
    with sqlite3.connect(data_dir / "amorce.sqlite3") as db:
        return db.execute("SELECT status, progress, error FROM web_job WHERE id = ?",
                          (job_id.replace("-", ""),)).fetchone()


def _decisions(data_dir) -> int:
    with sqlite3.connect(data_dir / "amorce.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM decisions_decision").fetchone()[0]


def _worker(platform) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "amorce.cli", "worker", "--interval", "0.2"], env=platform.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"attente dépassée : {what}")


def test_a_worker_killed_mid_job_leaves_a_failed_retryable_job_and_nothing_half_stored(platform):
    queued = json.loads(platform("-c", SETUP).strip().splitlines()[-1])
    job_id, inputs = queued["job"], platform.data_dir / "jobs" / "inputs" / queued["inputs"]
    assert inputs.exists()
    worker = _worker(platform)
    try:
        # killed once the pipeline has pseudonymised some decisions, before it stores them
        _wait(lambda: (s := _job(platform.data_dir, job_id)) and s[0] == "running" and s[1] > 0.05, 240,
              "la tâche démarre")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    status, progress, _ = _job(platform.data_dir, job_id)
    assert status == "running" and progress < 1.0  # what a crash leaves: no one marked it
    assert _decisions(platform.data_dir) == 0  # stored in one transaction at the end: nothing half-written
    # the next worker marks it failed (retryable) when it starts
    worker = _worker(platform)
    try:
        _wait(lambda: _job(platform.data_dir, job_id)[0] == "failed", 120, "la tâche interrompue est marquée en échec")
        assert "interrompue" in _job(platform.data_dir, job_id)[2]
        assert inputs.exists() and not list(inputs.parent.glob(".*.tmp"))  # kept for the retry, nothing partial
        retry = json.loads(platform("-c", RETRY, job_id).strip().splitlines()[-1])["job"]
        _wait(lambda: _job(platform.data_dir, retry)[0] in ("succeeded", "failed"), 300, "la relance se termine")
        assert _job(platform.data_dir, retry)[0] == "succeeded", _job(platform.data_dir, retry)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    assert _decisions(platform.data_dir) == N_DECISIONS
    assert not inputs.exists()  # the texts in clear now live in the decisions tables only
