"""Demo loader and selection through the real job machinery (django-tasks worker)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from amorce.programme.demo import generate_demo
from amorce.programme.models import Application, Call, Coaching, ReviewAssignment, SelectionRun
from amorce.programme.selection import select
from amorce.programme.services import candidates_for
from amorce.web import jobs
from amorce.web.demo import ensure_demo_accounts
from amorce.web.models import AuditEvent, Job

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", max_tasks=1, batch=True, no_startup_delay=True, interval=0.01)


@pytest.fixture
def no_assistant_content(monkeypatch, tmp_path):
    """The demo also queues the assistant's background indexing when the fiches are there: this test
    is about the programme's part, so the assistant sees no fiches and the queue holds only our jobs."""
    from dataclasses import replace

    from amorce.assistant import config

    current = config.get()
    monkeypatch.setattr(config, "get", lambda: replace(current, shared_data=tmp_path))


def test_demo_loader_and_selection_job(client, no_assistant_content):
    ensure_demo_accounts()
    job = jobs.enqueue("demo.load")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["usecases"]["programme"]["dossiers"] == 54
    assert "54 dossiers enregistrés" in job.log and "2 encore à noter" in job.log

    pure = generate_demo()
    call = Call.objects.get(slug=pure.call.slug)
    assert float(call.budget) == 1_000_000 and (call.min_laureates, call.max_laureates) == (4, 5)
    assert [c.code for c in call.criteria.all()] == [c.code for c in pure.call.criteria]
    meeting = call.meetings.get()
    assert meeting.address.startswith("20 avenue de Ségur")
    assert Application.objects.filter(call=call).count() == 54
    assert Application.objects.filter(owner__username="candidat").count() == 3
    assert ReviewAssignment.objects.filter(reviewer__username="jury").count() == 54
    assert ReviewAssignment.objects.filter(reviewer__username="jury", submitted_at__isnull=True).count() == 2

    # the persisted scores are the pure module's weighted scores (the 2 unmarked dossiers are not candidates)
    expected = {c.id: (c.score, c.budget, dict(c.groups)) for c in pure.candidates()}
    actual = {c.id: (c.score, c.budget, dict(c.groups)) for c in candidates_for(call)}
    assert actual == expected

    # idempotent: a second load changes nothing
    again = jobs.enqueue("demo.load")
    run_worker()
    again.refresh_from_db()
    assert again.status == Job.Status.SUCCEEDED
    assert again.result["usecases"]["programme"]["created"] == 0
    assert Application.objects.count() == 54
    assert ReviewAssignment.objects.count() == 54 * 3

    # selection through the web page → background job → same optimum as the pure select()
    from django.contrib.auth import get_user_model

    from amorce.web.roles import set_roles

    lead = get_user_model().objects.create_user("cheffe", password="motdepasse-test-123")
    set_roles(lead, ["equipe_programme"])
    client.force_login(lead)
    response = client.post(f"/programme/appels/{call.slug}/selection/",
                           {"budget": "1000000", "min_count": "4", "max_count": "5", "max_per_ministry": "2",
                            "what_if": "800000 ; 1200000"})
    assert response.status_code == 302
    run_worker()
    run = SelectionRun.objects.get()
    constraints = call.constraints(max_per_ministry=2)
    assert run.result == select(pure.candidates(), constraints).to_dict()
    assert len(run.explanations) == len(expected) and all(e["reasons"] for e in run.explanations)
    assert [s["budget"] for s in run.what_if] == [800000, 1200000]
    assert AuditEvent.objects.filter(action="programme_selection").exists()
    page = client.get(f"/programme/selection/{run.pk}/").content.decode()
    assert "Retenu" in page and run.result["selected"][0] in page


def test_every_page_renders_for_its_role(client, make_user):
    """Smoke test of the pages of each role on a small call (templates, queries, links)."""
    from amorce.programme.models import ReviewAssignment
    from amorce.programme.services import decide, run_selection

    from .test_web_workflow import make_application, make_call, score

    call = make_call()
    candidate, juror, lead = make_user("candidat"), make_user("jury"), make_user("equipe_programme")
    instructeur = make_user("instructeur")
    apps = [make_application(call, i + 1, owner=candidate if i == 0 else None, budget=90000 + 1000 * i)
            for i in range(3)]
    for app in apps[1:]:
        score(app, juror, {"benefices": 4, "pertinence": 3, "ethique": 5})
    ReviewAssignment.objects.create(application=apps[0], reviewer=juror)
    run = run_selection(call, {"budget": 200000, "what_if": [100000]}, user=lead)
    decide(apps[1], "accepte", "", user=lead, run=run)
    draft = make_application(call, 9, owner=candidate, state="en_construction")
    from amorce.programme.services import ensure_follow_up_plan

    coach = make_user("coach")
    ensure_follow_up_plan(apps[1])
    Coaching.objects.filter(application=apps[1]).update(business_coach=coach)
    pages = {
        None: ["/programme/appels/", f"/programme/appels/{call.slug}/", f"/programme/appels/{call.slug}/laureats/",
               f"/programme/appels/{call.slug}/transparence/"],
        candidate: ["/programme/", "/programme/candidatures/", f"/programme/candidatures/{apps[0].reference}/",
                    f"/programme/candidatures/{draft.reference}/", f"/programme/appels/{call.slug}/",
                    *[f"/programme/candidatures/{draft.reference}/etape/{n}/" for n in range(1, 7)],
                    f"/programme/candidatures/{draft.reference}/depot/"],
        juror: ["/programme/jury/", f"/programme/jury/{apps[0].reference}/", f"/programme/jury/{apps[1].reference}/"],
        instructeur: ["/programme/dossiers/", f"/programme/dossiers/{apps[1].reference}/",
                      "/programme/dossiers/?etat=accepte&eligible=a_confirmer&q=Projet"],
        lead: ["/programme/tableau-de-bord/", "/programme/appel/nouveau/", f"/programme/appels/{call.slug}/modifier/",
               f"/programme/appels/{call.slug}/selection/", f"/programme/selection/{run.pk}/",
               f"/programme/dossiers/{apps[1].reference}/courrier/", f"/programme/dossiers/{apps[1].reference}/",
               f"/programme/dossiers/{apps[2].reference}/", f"/programme/suivi/{apps[1].reference}/",
               f"/programme/appels/{call.slug}/ecriture-ds/"],
        coach: ["/programme/", "/programme/accompagnement/", f"/programme/suivi/{apps[1].reference}/"],
    }
    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user, url, response.status_code)
            html = response.content.decode()
            assert html.count("<h1") == 1, url
            assert " style=" not in html, url
