"""Platform commands mounted on the root ``amorce`` command: demo, serve, worker, createuser, manage."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import typer

from amorce.core import config
from amorce.core.config import env_str
from amorce.core.errors import AmorceError
from amorce.usecases import all_roles

SETTINGS = "amorce.web.settings"


def _console():
    from rich.console import Console

    return Console()


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _demo_environment(data_dir: Path) -> None:
    """Environment of the local demo: data under var/, a persistent random secret, plain HTTP on
    loopback (so cookies are not marked Secure; never expose the demo on a network)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AmorceError(f"Impossible de créer le dossier de données « {data_dir} » : {exc.strerror or exc}. "
                          "Choisissez un autre dossier avec --data-dir.") from None
    os.environ.setdefault("AMORCE_DATA_DIR", str(data_dir.resolve()))
    if not env_str("SECRET_KEY"):
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["SECRET_KEY"] = key_file.read_text().strip()
    os.environ.setdefault("AMORCE_HTTPS", "0")


def _stage(number: int, what: str, total: int = 4) -> None:
    print(f"[{number}/{total}] {what[:1].upper()}{what[1:]}…", flush=True)


def _migrate() -> None:
    from django.core.management import call_command

    with _console().status("Mise à jour de la base de données…"):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)


def _run_job_inline(kind: str, user=None) -> None:
    from amorce.core.progress import rich_bar
    from amorce.web import jobs

    job = jobs.enqueue(kind, user=user)
    with rich_bar(job.label, stderr=False) as report:
        job = jobs.execute(job.pk, echo=lambda fraction, message: report(fraction, None, message or job.label))
    if job.status != job.Status.SUCCEEDED:
        raise AmorceError(f"La tâche « {job.label} » a échoué : {job.error}")
    summary = jobs.describe_result(job.result, jobs.HANDLERS[job.kind].result_labels)
    from rich.text import Text

    _console().print(Text.assemble(("✓ ", "green"), f"{job.label} : terminé. {summary}"), highlight=False)


def demo(
    port: int = typer.Option(8000, help="Port d'écoute (sur 127.0.0.1 uniquement)."),
    data_dir: Path = typer.Option(Path("var"), help="Dossier des données (base SQLite, fichiers)."),
    serve_: bool = typer.Option(True, "--serve/--no-serve", help="Lancer le serveur et le worker ensuite."),
) -> None:
    """Prépare la démonstration (base, comptes, données) puis sert la plateforme et un worker."""
    # Said at once, before the slow imports: the first run takes a few minutes.
    print("Démonstration d'amorce : préparation en 4 étapes (quelques minutes au premier lancement).", flush=True)
    _stage(1, "chargement de la plateforme (Django et les cas d'usage)")
    _demo_environment(data_dir)
    setup_django()
    _stage(2, "mise à jour de la base de données et des fichiers statiques")
    _migrate()
    from rich.table import Table

    from amorce.web.demo import ensure_demo_accounts

    _stage(3, "comptes de démonstration (un par rôle)")
    accounts = ensure_demo_accounts()
    _stage(4, "données de démonstration de chaque cas d'usage")
    _run_job_inline("demo.load")
    console = _console()
    table = Table(title="Comptes de démonstration (un par rôle)")
    for column in ("Rôle", "Identifiant", "Mot de passe"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account["role"], account["username"], account["password"])
    console.print(table)
    console.print(f"Mots de passe conservés dans {config.data_dir() / 'demo_accounts.json'}.")
    if serve_:
        _serve_with_worker("127.0.0.1", port)


def _demo_commands(host: str, port: int) -> list[list[str]]:
    """The worker and the server of the demo, quiet in the terminal: no line per request (gunicorn's
    access log is in English and would bury the demo's own messages), warnings and errors only."""
    amorce = [sys.executable, "-m", "amorce.cli"]
    return [[*amorce, "worker"],
            [*amorce, "serve", "--host", host, "--port", str(port), "--no-collectstatic", "--log-level", "warning",
             "--no-access-log"]]


def _serve_with_worker(host: str, port: int) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS)
    processes = [subprocess.Popen(command, env=env) for command in _demo_commands(host, port)]
    _console().print(f"\n[bold]amorce est servi sur http://{host}:{port}[/bold] (Ctrl-C pour arrêter le serveur et le worker)\n")

    def stop(*_):
        for proc in processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for proc in processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT, None)]
    if failed:
        raise AmorceError("Le serveur ou le worker s'est arrêté sur une erreur (voir les messages ci-dessus).")


def _prepare_uploads() -> None:
    from amorce.web.jobs import purge_inputs
    from amorce.web.uploads import prepare_upload_folder

    removed = prepare_upload_folder()
    if removed:
        _console().print(f"{removed} copie(s) temporaire(s) d'envoi abandonnée(s) supprimée(s).")
    purged = purge_inputs()
    if purged:
        _console().print(f"{purged} fichier(s) de données d'entrée de tâches expirées supprimé(s).")


def serve(
    host: str = typer.Option("127.0.0.1", help="Adresse d'écoute."),
    port: int = typer.Option(8000, help="Port d'écoute."),
    workers: int = typer.Option(2, help="Processus gunicorn."),
    threads: int = typer.Option(4, help="Fils d'exécution par processus."),
    collectstatic: bool = typer.Option(True, "--collectstatic/--no-collectstatic",
                                       help="Rassembler les fichiers statiques avant de démarrer."),
    log_level: str = typer.Option("info", help="Niveau du journal de gunicorn (debug, info, warning, error)."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log",
                                    help="Écrire une ligne par requête (journal d'accès) sur la sortie standard."),
) -> None:
    """Sert la plateforme web (gunicorn)."""
    setup_django()
    _prepare_uploads()
    if collectstatic:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    args = [sys.executable, "-m", "gunicorn", "amorce.web.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", str(threads),
            "--graceful-timeout", "10", "--log-level", log_level, *(["--access-logfile", "-"] if access_log else [])]
    os.execvpe(args[0], args, dict(os.environ))  # the settings module chosen above travels in it


def quiet_task_loggers() -> None:
    """django_tasks' worker raises its loggers to INFO whatever the settings say, and logs each task
    in English (« Task id=… state=… »): keep its warnings and errors, drop the rest (the jobs pages
    say in French what each task does)."""
    import logging

    for name in ("django_tasks", "django_tasks_db"):
        logger = logging.getLogger(name)
        if _warnings_and_above not in logger.filters:
            logger.addFilter(_warnings_and_above)


def _warnings_and_above(record) -> bool:
    import logging

    return record.levelno >= logging.WARNING


def worker(
    interval: float = typer.Option(1.0, help="Intervalle d'interrogation de la file (secondes)."),
    max_tasks: int = typer.Option(0, help="S'arrêter après ce nombre de tâches (0 : jamais)."),
) -> None:
    """Exécute les tâches d'arrière-plan (imports, entraînements, chargements)."""
    setup_django()
    from django.core.management import call_command

    from amorce.web.jobs import recover_interrupted

    console = _console()
    _prepare_uploads()
    recovered = recover_interrupted()
    if recovered:
        console.print(f"{recovered} tâche(s) interrompue(s) marquée(s) en échec (relançables).")
    console.print("Worker démarré : en attente de tâches (Ctrl-C pour arrêter).")
    quiet_task_loggers()
    options = {"interval": interval, "no_startup_delay": True}
    if max_tasks:
        options["max_tasks"] = max_tasks
    call_command("db_worker", **options)


def createuser(
    username: str = typer.Argument(..., help="Identifiant du compte."),
    role: list[str] = typer.Option(..., "--role", help="Rôle (répétable) : " + ", ".join(all_roles())),
    email: str = typer.Option("", help="Adresse électronique."),
    password: str = typer.Option(None, envvar="AMORCE_PASSWORD",
                                 help="Mot de passe (sinon demandé ; variable AMORCE_PASSWORD)."),
) -> None:
    """Crée (ou met à jour) un compte local avec ses rôles."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from amorce.web.audit import record
    from amorce.web.roles import Role, set_roles

    try:
        roles = [Role(r) for r in role]
    except ValueError as exc:
        raise AmorceError(f"Rôle inconnu : {exc}. Rôles possibles : " + ", ".join(r.value for r in Role)) from None
    if password is None:
        password = typer.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    User = get_user_model()
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AmorceError("Mot de passe refusé : " + " ".join(exc.messages)) from None
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if email:
            user.email = email
        user.set_password(password)
        user.is_staff = Role.ADMINISTRATEUR in roles
        user.save()
        set_roles(user, roles)
        record("compte_cree" if created else "compte_modifie", obj=user, actor_repr="cli",
               roles=[r.value for r in roles])
    _console().print(f"Compte « {username} » {'créé' if created else 'mis à jour'} : "
                  + ", ".join(r.label for r in roles) + ".")


def manage(ctx: typer.Context) -> None:
    """Commandes d'administration Django (migrate, dbshell, …)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amorce manage", *ctx.args])


def register(app: typer.Typer) -> None:
    app.command(help=demo.__doc__)(demo)
    app.command(help=serve.__doc__)(serve)
    app.command(help=worker.__doc__)(worker)
    app.command(help=createuser.__doc__)(createuser)
    app.command(help=manage.__doc__, context_settings={"allow_extra_args": True,
                                                       "ignore_unknown_options": True})(manage)
