"""Bulky or personal job inputs live in a file of their own, never in the job's parameters; deleted
once a job that used them succeeded, kept for a retry otherwise, purged after the retention period."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

from amorce.core.errors import AmorceError
from amorce.web import jobs
from amorce.web.jobs import JobContext, job_handler
from amorce.web.models import Job

pytestmark = pytest.mark.django_db

SEEN: list = []


@job_handler("test.inputs", "Entrées stockées à part")
def _uses_inputs(ctx: JobContext, inputs: list[dict], fail: bool = False) -> dict:
    SEEN.append(inputs)
    if fail:
        raise AmorceError("Échec voulu.")
    return {"lignes": len(inputs)}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path
    SEEN.clear()
    return tmp_path


ROWS = [{"id": "CA-1", "text": "M. Jean DUPONT, né le 3 mars 1970"}]


def test_inputs_stay_out_of_the_parameters_and_go_once_the_job_succeeded():
    job = jobs.enqueue("test.inputs", {}, inputs=ROWS)
    stored = jobs.inputs_dir() / job.params["inputs"]
    assert "DUPONT" not in json.dumps(job.params) and json.loads(stored.read_text()) == ROWS
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600  # personal data: the server's account only
    done = jobs.execute(job.pk)
    assert done.status == Job.Status.SUCCEEDED and SEEN == [ROWS] and done.result == {"lignes": 1}
    assert not stored.exists()


def test_a_failed_job_keeps_its_inputs_for_the_retry_and_the_retry_reads_them():
    job = jobs.execute(jobs.enqueue("test.inputs", {"fail": True}, inputs=ROWS).pk)
    stored = jobs.inputs_dir() / job.params["inputs"]
    assert job.status == Job.Status.FAILED and stored.exists()
    retry = jobs.retry(job)
    Job.objects.filter(pk=retry.pk).update(params={**retry.params, "fail": False})
    assert jobs.execute(retry.pk).status == Job.Status.SUCCEEDED and SEEN == [ROWS, ROWS]
    assert not stored.exists()
    again = jobs.execute(jobs.retry(job).pk)  # the data is gone: a French message, no crash
    assert again.status == Job.Status.FAILED and "ne sont plus conservées" in again.error


def _age(path, days: float) -> None:
    past = time.time() - days * 86400
    os.utime(path, (past, past))


def test_purge_keeps_what_a_job_may_still_need_and_deletes_the_rest(settings):
    settings.AMORCE_JOB_INPUT_RETENTION_DAYS = 7
    failed = jobs.execute(jobs.enqueue("test.inputs", {"fail": True}, inputs=ROWS).pk)
    queued = jobs.enqueue("test.inputs", {}, inputs=ROWS)
    orphan = jobs.inputs_dir() / jobs.store_inputs(ROWS)  # an enqueue whose transaction rolled back
    fresh_orphan = jobs.inputs_dir() / jobs.store_inputs(ROWS)
    leftover = jobs.inputs_dir() / ".x.json.abc.tmp"  # a write interrupted by a crash
    leftover.write_text("{")
    paths = {name: jobs.inputs_dir() / job.params["inputs"] for name, job in (("failed", failed), ("queued", queued))}
    _age(paths["failed"], 3)
    _age(paths["queued"], 30)
    _age(orphan, 0.1)
    _age(leftover, 0.1)
    assert jobs.purge_inputs() == 2  # the orphan and the leftover, both older than an hour
    assert paths["failed"].exists() and paths["queued"].exists() and fresh_orphan.exists()
    _age(paths["failed"], 8)
    assert jobs.purge_inputs() == 1 and not paths["failed"].exists()
    assert paths["queued"].exists()  # a queued job still needs its inputs, however old


def test_a_forged_reference_is_refused():
    with pytest.raises(AmorceError, match="invalide"):
        jobs.load_inputs("../../amorce.sqlite3")
