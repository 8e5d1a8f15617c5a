"""Background jobs: the real django-tasks worker runs them; progress, errors, cancel and retry."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from amorce.core.errors import AmorceError
from amorce.web import jobs
from amorce.web.jobs import JobContext, job_handler
from amorce.web.models import AuditEvent, Job

pytestmark = pytest.mark.django_db(transaction=True)


@job_handler("test.count", "Comptage de test")
def _count(ctx: JobContext, n: int) -> dict:
    total = 0
    for i in range(n):
        total += i
        ctx.progress(i + 1, n, f"Élément {i + 1}/{n}")
    ctx.log(f"Somme calculée : {total}")
    return {"total": total}


@job_handler("test.user_error", "Erreur métier")
def _user_error(ctx: JobContext) -> None:
    raise AmorceError("Le fichier « x.csv » est invalide : ligne 3, colonne « date » attendue.")


@job_handler("test.crash", "Plantage")
def _crash(ctx: JobContext) -> None:
    raise ZeroDivisionError("secret internal detail")


@job_handler("test.self_cancel", "Annulation pendant l'exécution")
def _self_cancel(ctx: JobContext) -> None:
    Job.objects.filter(pk=ctx.job.pk).update(cancel_requested=True)
    ctx.progress(1, 2, "étape 1")
    raise AssertionError("unreachable: progress must raise JobCancelled")


def run_worker(count: int = 1) -> None:
    call_command("db_worker", max_tasks=count, batch=True, no_startup_delay=True, interval=0.01)


def test_worker_runs_job_with_progress_and_result(make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.count", {"n": 5}, user=user)
    assert job.status == Job.Status.QUEUED and job.task_result_id
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"total": 10}
    assert job.progress == 1.0
    assert "Somme calculée : 10" in job.log
    assert job.started_at and job.finished_at and job.worker


def test_user_error_is_shown_in_french(client, make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.user_error", user=user)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "ligne 3" in job.error
    client.force_login(user)
    page = client.get(f"/taches/{job.pk}/").content.decode()
    assert "La tâche a échoué" in page and "ligne 3" in page


def test_crash_shows_no_stack_trace(client, make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.crash", user=user)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    client.force_login(user)
    page = client.get(f"/taches/{job.pk}/").content.decode()
    assert "erreur interne" in page
    assert "Traceback" not in page and "secret internal detail" not in page


def test_cancel_queued_job_never_runs(client, make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.count", {"n": 3}, user=user)
    client.force_login(user)
    assert client.post(f"/taches/{job.pk}/annuler/").status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.started_at is None
    assert AuditEvent.objects.filter(action="tache_annulee", object_id=str(job.pk)).exists()


def test_cancel_through_the_api_is_audited_like_the_page_and_an_ended_job_is_left_alone(client, make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.count", {"n": 3}, user=user)
    client.force_login(user)
    response = client.post(f"/api/taches/{job.pk}/annuler")
    assert response.status_code == 200 and response.json()["status"] == Job.Status.CANCELLED
    event = AuditEvent.objects.get(action="tache_annulee", object_id=str(job.pk))
    assert event.details == {"via": "api"}
    # the job has ended: cancelling again answers its state and writes nothing
    assert client.post(f"/api/taches/{job.pk}/annuler").status_code == 200
    assert client.post(f"/taches/{job.pk}/annuler/").status_code == 302
    assert AuditEvent.objects.filter(action="tache_annulee").count() == 1


def test_running_job_stops_at_next_progress_when_cancelled(make_user):
    job = jobs.enqueue("test.self_cancel", user=make_user("inspecteur"))
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert "Annulée" in job.log


def test_retry_creates_a_new_job_that_succeeds(client, make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.user_error", user=user)
    run_worker()
    client.force_login(user)
    response = client.post(f"/taches/{job.pk}/relancer/")
    assert response.status_code == 302
    new = Job.objects.exclude(pk=job.pk).get()
    assert new.retry_of_id == job.pk and new.status == Job.Status.QUEUED
    assert AuditEvent.objects.filter(action="tache_relancee").exists()


def test_active_job_cannot_be_retried(make_user):
    job = jobs.enqueue("test.count", {"n": 1}, user=make_user("inspecteur"))
    with pytest.raises(AmorceError):
        jobs.retry(job)


def test_job_page_polls_while_active_and_partial_for_htmx(client, make_user):
    user = make_user("inspecteur")
    job = jobs.enqueue("test.count", {"n": 1}, user=user)
    client.force_login(user)
    page = client.get(f"/taches/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    partial = client.get(f"/taches/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="job-status"') and "<footer" not in partial
    run_worker()
    page = client.get(f"/taches/{job.pk}/").content.decode()
    assert "every 2s" not in page and "Relancer la tâche" in page


def test_interrupted_job_is_recovered_as_failed(make_user):
    job = Job.objects.create(kind="test.count", label="x", status=Job.Status.RUNNING,
                             worker=f"{jobs.worker_id().split(':')[0]}:999999999")
    assert jobs.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "interrompue" in job.error


def test_demo_loader_job_from_ui(client_as):
    client = client_as("administrateur")
    response = client.post("/taches/demo/")
    job = Job.objects.get(kind="demo.load")
    assert response["Location"] == f"/taches/{job.pk}/"
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
