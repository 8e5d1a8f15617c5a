"""Fault tests on the real processes: a worker killed (SIGKILL) in the middle of a job, and the web
server killed in the middle of an upload.

The platform runs in subprocesses on a fresh data folder (SQLite): ``amorce manage migrate``, a
pseudonymisation job queued with its inputs stored apart, ``amorce worker`` killed while the job runs.
Then: the next worker marks the job failed (retryable), nothing of the job is half-stored, its inputs
are kept for the retry and no temporary file is left; the retry succeeds and deletes the inputs.
For the server: ``amorce serve`` (gunicorn) receives a large streamed upload and is killed before the
body ends; its partial copy sits under the data directory, the restarted server removes it, and
nothing reached the database.
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


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server(platform, port: int) -> subprocess.Popen:
    """``amorce serve`` as deployed (gunicorn), in its own process group (master and worker are killed
    together, as a crash or an OOM kill of the container would)."""
    server = subprocess.Popen([sys.executable, "-m", "amorce.cli", "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", "1", "--threads", "2", "--no-collectstatic",
                               "--log-level", "warning"], env=platform.env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def answers():
        import http.client

        if server.poll() is not None:
            raise AssertionError("le serveur s'est arrêté : " + server.stdout.read())
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/comptes/connexion/")
            return conn.getresponse().status == 200
        except OSError:
            return False

    _wait(answers, 120, "le serveur répond")
    return server


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def _login(port: int, username: str, password: str) -> str:
    """The ``Cookie`` header of a logged-in session (and its CSRF cookie)."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/comptes/connexion/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": password}).encode()
    opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/comptes/connexion/", data=data,
                                       headers={"Referer": f"http://127.0.0.1:{port}/comptes/connexion/"}), timeout=30)
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "connexion refusée"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _count(data_dir, table: str) -> int:
    with sqlite3.connect(data_dir / "amorce.sqlite3") as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 (test's own names)


def test_a_server_killed_mid_upload_leaves_an_orphan_the_restarted_server_removes(platform):
    import http.client
    import re

    from amorce.web.uploads import LOCK_GRACE_S

    password = "Kx7-pare-feu-Sentinelle-42"
    platform.env["AMORCE_PASSWORD"] = password
    platform("-m", "amorce.cli", "createuser", "resp", "--role", "responsable_inspection")
    uploads = platform.data_dir / "tmp" / "uploads"
    tables = ("ciblage_dataset", "web_job", "web_auditevent")
    port = _free_port()
    server = _server(platform, port)
    try:
        cookie = _login(port, "resp", password)
        before = {t: _count(platform.data_dir, t) for t in tables}  # after the login's own audit event
        token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        boundary = "----amorce-coupure"
        head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                       for k, v in (("csrfmiddlewaretoken", token), ("name", "Coupure"), ("format", "canonical")))
        head += (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="gros.csv"\r\n'
                 "Content-Type: text/csv\r\n\r\n")
        size = 12 * 1024 * 1024  # above FILE_UPLOAD_MAX_MEMORY_SIZE (5 MiB): streamed to disk
        tail = f"\r\n--{boundary}--\r\n".encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.putrequest("POST", "/ciblage/import/")
        for name, value in (("Content-Type", f"multipart/form-data; boundary={boundary}"),
                            ("Content-Length", str(len(head.encode()) + size + len(tail))), ("Cookie", cookie),
                            ("Referer", f"http://127.0.0.1:{port}/ciblage/import/"), ("X-CSRFToken", token)):
            conn.putheader(name, value)
        conn.endheaders()
        conn.send(head.encode())
        line = b"inspection_id;establishment_id;date;outcome;inspector\n" * 1024
        sent = 0
        while sent < size // 2:  # half the file, then the body stalls: the server is still reading it
            conn.send(line)
            sent += len(line)

        def partial_copy():
            copies = [p for p in uploads.glob("*.upload*") if p.stat().st_size >= 4 * 1024 * 1024]
            return copies[0] if copies else None

        copy = _wait(partial_copy, 60, "la copie temporaire de l'envoi est écrite")
        os.killpg(server.pid, signal.SIGKILL)  # master and worker, in the middle of the body
        server.wait(30)
        conn.close()
    finally:
        if server.poll() is None:
            _stop(server, signal.SIGKILL)
    assert copy.exists() and copy.is_relative_to(platform.data_dir)  # the orphan, under the data directory
    time.sleep(max(0.0, copy.stat().st_mtime + LOCK_GRACE_S + 0.1 - time.time()))
    server = _server(platform, port)  # removes the orphans before it serves
    try:
        assert not copy.exists() and not list(uploads.glob("*.upload*"))
    finally:
        _stop(server)
    assert {t: _count(platform.data_dir, t) for t in tables} == before  # nothing stored
