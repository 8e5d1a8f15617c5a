"""The programme team: create a call, dashboard, decisions from a selection run, follow-up, user tests."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from amorce.programme.models import (
    Application,
    Call,
    Coaching,
    Decision,
    Milestone,
    MonthlyReport,
    State,
    UserTestCampaign,
)
from amorce.programme.services import run_selection
from amorce.programme.sus import sus_score
from amorce.web.models import AuditEvent

from .test_web_workflow import make_application, make_call, score

pytestmark = pytest.mark.django_db
NO_MEETING = {"reunions-TOTAL_FORMS": "1", "reunions-INITIAL_FORMS": "0", "reunions-MIN_NUM_FORMS": "0",
              "reunions-MAX_NUM_FORMS": "1000"}


def test_create_call_with_criteria(client_as):
    client = client_as("equipe_programme")
    form = {"slug": "ia-2026", "title": "Appel IA 2026", "summary": "", "administration": "la DINUM",
            "contact": "ia@exemple.gouv.fr", "opens": "2026-01-10", "closes": "2026-01-01", "budget": "500000",
            "min_laureates": "3", "max_laureates": "2", "coaching_months": "10",
            "eligible_kinds": ["administration_centrale"],
            "criteres-TOTAL_FORMS": "1", "criteres-INITIAL_FORMS": "0", "criteres-MIN_NUM_FORMS": "1",
            "criteres-MAX_NUM_FORMS": "1000", "criteres-0-code": "impact", "criteres-0-label": "Impact",
            "criteres-0-weight": "2", "criteres-0-scale_max": "5", "criteres-0-position": "0", **NO_MEETING}
    bad = client.post("/programme/appel/nouveau/", form)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "La clôture doit suivre" in text and "au moins égal au minimum" in text
    assert not Call.objects.exists()
    client.post("/programme/appel/nouveau/", {**form, "closes": "2026-03-01", "max_laureates": "5"})
    call = Call.objects.get(slug="ia-2026")
    assert call.criteria.get().weight == 2 and call.eligible_kinds == ["administration_centrale"]
    assert "ia-2026" in client.get("/programme/tableau-de-bord/").content.decode()


def _call_form(call) -> dict:
    """The POST data of the edit form of ``call`` as the page shows it (criteria and meetings included)."""
    data = {"slug": call.slug, "title": call.title, "summary": call.summary, "administration": call.administration,
            "contact": call.contact, "opens": call.opens.isoformat(), "closes": call.closes.isoformat(),
            "budget": str(call.budget), "min_laureates": str(call.min_laureates),
            "max_laureates": str(call.max_laureates), "coaching_months": str(call.coaching_months),
            "eligible_kinds": call.eligible_kinds, "published": "on"}
    criteria = list(call.criteria.all())
    data.update({"criteres-TOTAL_FORMS": str(len(criteria)), "criteres-INITIAL_FORMS": str(len(criteria)),
                 "criteres-MIN_NUM_FORMS": "1", "criteres-MAX_NUM_FORMS": "1000"})
    for i, c in enumerate(criteria):
        data.update({f"criteres-{i}-id": str(c.pk), f"criteres-{i}-code": c.code, f"criteres-{i}-label": c.label,
                     f"criteres-{i}-weight": str(c.weight), f"criteres-{i}-scale_max": str(c.scale_max),
                     f"criteres-{i}-position": str(c.position)})
    meetings = list(call.meetings.all())
    data.update({"reunions-TOTAL_FORMS": str(len(meetings) + 1), "reunions-INITIAL_FORMS": str(len(meetings)),
                 "reunions-MIN_NUM_FORMS": "0", "reunions-MAX_NUM_FORMS": "1000"})
    for i, m in enumerate(meetings):
        starts, ends = timezone.localtime(m.starts), timezone.localtime(m.ends)
        data.update({f"reunions-{i}-id": str(m.pk), f"reunions-{i}-day": starts.date().isoformat(),
                     f"reunions-{i}-start_time": starts.strftime("%H:%M"),
                     f"reunions-{i}-end_time": ends.strftime("%H:%M"), f"reunions-{i}-address": m.address,
                     f"reunions-{i}-capacity": str(m.capacity)})
    return data


def test_call_form_sets_the_information_meeting_and_lists_registrations(client_as, client):
    call = make_call()
    lead = client_as("equipe_programme")
    url = f"/programme/appels/{call.slug}/modifier/"
    n = call.meetings.count()
    day = (timezone.localdate() + timedelta(days=60)).isoformat()  # registration is open before the meeting only
    new = {f"reunions-{n}-day": day, f"reunions-{n}-start_time": "12:30",
           f"reunions-{n}-end_time": "10:00", f"reunions-{n}-address": "20 avenue de Ségur, Paris 7e",
           f"reunions-{n}-capacity": "2"}
    bad = lead.post(url, {**_call_form(call), **new})
    assert bad.status_code == 400 and "La réunion doit finir après son début." in bad.content.decode()
    assert not call.meetings.exists()
    response = lead.post(url, {**_call_form(call), **new, f"reunions-{n}-start_time": "10:00",
                               f"reunions-{n}-end_time": "12:30"})
    assert response.status_code == 302
    meeting = call.meetings.get()
    starts, ends = timezone.localtime(meeting.starts), timezone.localtime(meeting.ends)
    assert (starts.date().isoformat(), starts.strftime("%H:%M"), ends.strftime("%H:%M")) == (
        day, "10:00", "12:30")
    assert meeting.capacity == 2 and meeting.address == "20 avenue de Ségur, Paris 7e"
    # the public page registers up to the capacity, then says the meeting is full
    register = f"/programme/appels/{call.slug}/reunions/{meeting.pk}/inscription/"
    client.logout()
    for i in range(3):
        client.post(register, {"name": f"Agent {i}", "email": f"agent{i}@exemple.gouv.fr", "organisation": "DGFiP"})
    assert meeting.registrations.count() == 2
    lead = client_as("equipe_programme", username="cheffe")
    page = lead.get(url).content.decode()
    assert "2 inscrits sur 2 places" in page and "agent0@exemple.gouv.fr" in page and "agent2@" not in page
    assert 'value="10:00"' in page and f'value="{day}"' in page
    # capacity cannot go under the registrations, a meeting with registrations cannot be deleted
    data = _call_form(call)
    bad = lead.post(url, {**data, "reunions-0-capacity": "1"})
    assert bad.status_code == 400 and "2 personnes sont déjà inscrites" in bad.content.decode()
    bad = lead.post(url, {**data, "reunions-0-DELETE": "on"})
    assert bad.status_code == 400 and "ne peut pas être supprimée" in bad.content.decode()
    assert lead.post(url, {**data, "reunions-0-capacity": "30"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.capacity == 30 and meeting.registrations.count() == 2


def test_decisions_from_a_selection_run_then_follow_up(client_as, make_user):
    call = make_call(budget=250000, min_laureates=1, max_laureates=2)
    jurors = [make_user("jury", username=f"j{i}") for i in range(2)]
    for i, (budget, mark) in enumerate([(100000, 5), (150000, 4), (120000, 3)]):
        app = make_application(call, i + 1, budget=budget)
        for juror in jurors:
            score(app, juror, {"benefices": mark, "pertinence": mark, "ethique": mark})
    client = client_as("equipe_programme")
    run = run_selection(call, {"budget": 250000, "max_per_ministry": 2}, user=client.user)
    assert run.result["selected"] == ["T-001", "T-002"]
    page = unescape(client.get(f"/programme/selection/{run.pk}/").content.decode())
    assert "au plus 2 lauréats par ministère" in page and "ministry" not in page  # names, never keys
    assert "250\u202f000\xa0€" in page
    client.post(f"/programme/selection/{run.pk}/decisions/")
    states = dict(Application.objects.values_list("reference", "state"))
    assert states == {"T-001": State.ACCEPTE, "T-002": State.ACCEPTE, "T-003": State.REFUSE}
    refusal = Decision.objects.get(application__reference="T-003")
    assert refusal.motivation and refusal.selection_run == run
    public = client.get(f"/programme/appels/{call.slug}/laureats/").content.decode()
    assert "T-001" in public and "T-003" not in public
    # follow-up: the 10-month plan, a monthly report, a user-test campaign with its SUS score
    page = client.get("/programme/suivi/T-001/").content.decode()
    assert "Démonstration finale" in page
    assert Milestone.objects.filter(application__reference="T-001").count() == 5
    bad = client.post("/programme/suivi/T-001/", {"month": "2026-02-01", "status": "vigilance",
                                                  "budget_consumed": "-3"})
    assert bad.status_code == 400
    client.post("/programme/suivi/T-001/", {"month": "2026-02-01", "status": "vigilance", "budget_consumed": "12000",
                                            "risks": "Accès aux données retardé"})
    assert "Accès aux données retardé" in client.get("/programme/suivi/T-001/").content.decode()
    ines = make_user("coach", username="ines", first_name="Inès", last_name="Roux")
    yann = make_user("coach", username="yann", first_name="Yann", last_name="Blanc")
    client.post("/programme/suivi/T-001/coachs/", {"technical_coach": ines.pk, "business_coach": yann.pk})
    dashboard = client.get("/programme/tableau-de-bord/").content.decode()
    assert "Inès Roux / Yann Blanc" in dashboard and "Points de vigilance" in dashboard
    client.post("/programme/suivi/T-001/tests/", {"title": "Tests avec les agents"})
    campaign = UserTestCampaign.objects.get()
    answers = [5, 1, 5, 1, 4, 2, 5, 1, 4, 2]
    session = {"participant": "agent", "held_on": "2026-03-02", "tasks_done": "3", "tasks_total": "4",
               **{f"q{i + 1}": str(a) for i, a in enumerate(answers)}}
    client.post(f"/programme/tests/{campaign.pk}/", session)
    page = client.get(f"/programme/tests/{campaign.pk}/").content.decode()
    expected = f"{sus_score(answers):.1f}".replace(".", ",")
    assert expected in page and "3 / 4" in page
    incomplete = client.post(f"/programme/tests/{campaign.pk}/", {**session, "q10": ""})
    assert incomplete.status_code == 400 and "Répondez de 1" in incomplete.content.decode()


def test_consensus_session_reopens_reviews(client_as, make_user):
    call = make_call()
    app = make_application(call, 1)
    j1, j2 = make_user("jury", username="j1"), make_user("jury", username="j2")
    score(app, j1, {"benefices": 5, "pertinence": 5, "ethique": 5})
    score(app, j2, {"benefices": 0, "pertinence": 5, "ethique": 5})
    client = client_as("equipe_programme")
    page = client.get(f"/programme/appels/{call.slug}/classement/").content.decode()
    assert "Désaccord : Critère benefices" in page  # the criterion by its name
    client.post(f"/programme/dossiers/{app.reference}/consensus/", {"note": "Écart expliqué ; notes à revoir.",
                                                                    "reopen": "on"})
    app.refresh_from_db()
    assert app.consensus_note.startswith("Écart expliqué") and app.review_count == 0 and app.score is None
    assert not app.assignments.filter(submitted_at__isnull=False).exists()


def test_import_from_demarche_numerique_is_idempotent(client_as, shared_data, monkeypatch):
    import copy
    import json

    import httpx
    import respx

    from amorce.web import jobs
    from amorce.web.models import Job

    recorded = json.loads((shared_data / "formats" / "demarche_numerique_graphql" /
                           "envergo_demarche_query_response.json").read_text(encoding="utf-8"))
    recorded["dossiers"]["pageInfo"]["hasNextPage"] = False
    mapping = {"fields": {"structure_name": "Nom de votre structure", "contact_email": "Votre email"}}
    call = make_call()
    client = client_as("equipe_programme")
    bad = client.post(f"/programme/appels/{call.slug}/import/", {"demarche": "103363", "mapping": "{\"champs\": 1"})
    assert bad.status_code == 400 and "JSON invalide" in bad.content.decode()
    monkeypatch.setenv("DS_API_TOKEN", "jeton-de-test")
    monkeypatch.setenv("DS_API_URL", "https://ds.test")
    response = copy.deepcopy(recorded)
    with respx.mock(assert_all_called=True) as router:
        router.post("https://ds.test/api/v2/graphql").mock(
            side_effect=lambda request: httpx.Response(200, json={"data": {"demarche": response}}))
        for _ in range(2):
            client.post(f"/programme/appels/{call.slug}/import/", {
                "demarche": "103363", "mapping": json.dumps(mapping)})
            job = Job.objects.filter(kind="programme.import_ds").order_by("-created_at").first()
            jobs.execute(job.pk)
            job.refresh_from_db()
            assert job.status == Job.Status.SUCCEEDED, job.error
        assert job.result["created"] == 0 and job.result["unchanged"] == 1
        app = Application.objects.get(ds_number=23178443)
        assert app.structure == "GAEC Choupi" and app.state == "en_construction"
        assert app.contact_email == "georges.sand@beta.gouv.fr" and app.history.count() == 1
        # the dossier is accepted on Démarche Numérique: the next sync follows, with history
        response["dossiers"]["nodes"][0]["state"] = "accepte"
        client.post(f"/programme/appels/{call.slug}/import/", {"demarche": "103363", "mapping": json.dumps(mapping)})
        job = Job.objects.filter(kind="programme.import_ds").order_by("-created_at").first()
        jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.result["updated"] == 1
    app.refresh_from_db()
    assert app.state == "accepte" and [h.to_state for h in app.history.all()] == ["en_construction", "accepte"]
    assert Application.objects.count() == 1


def test_coaches_are_accounts_who_see_only_their_laureates(client_as, make_user, client):
    call = make_call()
    apps = [make_application(call, i + 1, state=State.ACCEPTE) for i in range(3)]
    coach = make_user("coach", username="ines", first_name="Inès", last_name="Roux")
    other_coach = make_user("coach", username="yann", first_name="Yann", last_name="Blanc")
    not_a_coach = make_user("jury", username="jules")
    lead = client_as("equipe_programme", username="cheffe")
    page = lead.get("/programme/suivi/T-001/").content.decode()  # creates the plan; coaches to designate
    assert "Inès Roux (ines)" in page and "jules" not in page  # only accounts with the coach role are offered
    lead.get("/programme/suivi/T-002/")  # plan of T-002 too
    bad = lead.post("/programme/suivi/T-001/coachs/", {"technical_coach": not_a_coach.pk})
    assert bad.status_code == 302 and Coaching.objects.get(application=apps[0]).technical_coach is None
    lead.post("/programme/suivi/T-001/coachs/", {"technical_coach": coach.pk, "business_coach": other_coach.pk})
    lead.post("/programme/suivi/T-002/coachs/", {"business_coach": coach.pk})
    lead.get("/programme/suivi/T-003/")
    lead.post("/programme/suivi/T-003/coachs/", {"technical_coach": other_coach.pk})
    assert AuditEvent.objects.filter(action="programme_coachs").count() == 3
    assert "Inès Roux / Yann Blanc" in lead.get("/programme/tableau-de-bord/").content.decode()

    client.force_login(coach)
    home = client.get("/programme/").content.decode()
    assert "/programme/accompagnement/" in home and "Suivre les lauréats que vous accompagnez" in client.get(
        "/").content.decode()
    mine = client.get("/programme/accompagnement/").content.decode()
    assert "T-001" in mine and "T-002" in mine and "T-003" not in mine
    assert "technique" in mine and "métier" in mine
    assert client.get("/programme/suivi/T-003/").status_code == 403  # coached by someone else
    assert client.get("/programme/tableau-de-bord/").status_code == 403
    assert client.get("/programme/dossiers/").status_code == 403
    page = client.get("/programme/suivi/T-001/").content.decode()
    assert "Démonstration finale" in page and "Enregistrer les coachs" not in page and "Créer la campagne" not in page
    response = client.post("/programme/suivi/T-001/", {"month": "2026-02-01", "status": "en_bonne_voie",
                                                       "budget_consumed": "8000", "risks": "Aucun"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get(application=apps[0])
    assert report.author == coach and report.budget_consumed == 8000
    assert "Inès Roux" in client.get("/programme/suivi/T-001/").content.decode()  # author shown
    # a coach cannot reassign coaches nor tick milestones
    assert client.post("/programme/suivi/T-001/coachs/", {"technical_coach": coach.pk}).status_code == 403
    milestone = Milestone.objects.filter(application=apps[0]).first()
    assert client.post(f"/programme/jalons/{milestone.pk}/").status_code == 403
    # the other coach sees T-001 (business coach) and T-003, not T-002
    client.force_login(other_coach)
    assert client.get("/programme/suivi/T-002/").status_code == 403
    assert client.post("/programme/suivi/T-002/", {"month": "2026-02-01", "status": "vigilance",
                                                   "budget_consumed": "1"}).status_code == 403
    assert client.get("/programme/suivi/T-003/").status_code == 200
    client.force_login(not_a_coach)
    assert client.get("/programme/accompagnement/").status_code == 403
    assert client.get("/programme/suivi/T-001/").status_code == 403


def test_budget_versions_are_kept_and_the_dashboard_compares_consumption(client_as, make_user, client):
    from decimal import Decimal

    from amorce.programme.models import BudgetVersion
    from amorce.programme.services import decide

    call = make_call()
    app = make_application(call, 1, budget=120000)
    lead = client_as("equipe_programme", username="cheffe", first_name="Claire", last_name="Dupont")
    decide(app, "accepte", "Excellent projet.", user=lead.user, amount=Decimal("100000"))
    page = lead.get("/programme/suivi/T-001/").content.decode()
    first = BudgetVersion.objects.get(application=app)
    assert (first.number, first.amount, first.author) == (1, Decimal("100000"), lead.user)
    assert "Budget accordé par la décision" in page and "aucun point mensuel" in page
    lead.post("/programme/suivi/T-001/", {"month": "2026-02-01", "status": "vigilance", "budget_consumed": "60000"})
    url = "/programme/suivi/T-001/budget/"
    # refused revisions: no reason, same amount, below what is already consumed
    for data, message in [({"amount": "90000", "reason": ""}, "Indiquez le motif"),
                          ({"amount": "100000", "reason": "x"}, "celui de la version en vigueur"),
                          ({"amount": "50000", "reason": "x"}, "inférieur au budget déjà consommé")]:
        page = lead.post(url, data, follow=True).content.decode()
        assert message in page, message
    assert BudgetVersion.objects.filter(application=app).count() == 1
    lead.post(url, {"amount": "80000", "reason": "Réduction du périmètre : un seul site pilote."})
    versions = list(BudgetVersion.objects.filter(application=app))
    assert [(v.number, v.amount) for v in versions] == [(2, Decimal("80000")), (1, Decimal("100000"))]
    assert versions[0].author == lead.user and versions[0].reason.startswith("Réduction du périmètre")
    assert AuditEvent.objects.filter(action="programme_budget_revise").count() == 1
    page = lead.get("/programme/suivi/T-001/").content.decode()
    assert "version 2" in page and "Réduction du périmètre" in page and "Budget accordé par la décision" in page
    assert "75 %" in page  # 60 000 consumed out of 80 000
    dashboard = lead.get("/programme/tableau-de-bord/").content.decode()
    assert "(v2)" in dashboard and "(75 %)" in dashboard and "Dépassement" not in dashboard
    lead.post("/programme/suivi/T-001/", {"month": "2026-03-01", "status": "en_difficulte",
                                          "budget_consumed": "85000"})
    dashboard = lead.get("/programme/tableau-de-bord/").content.decode()
    assert "(106 %)" in dashboard and "Dépassement" in dashboard
    # a coach reads the history but cannot revise
    coach = make_user("coach", username="ines")
    Coaching.objects.filter(application=app).update(technical_coach=coach)
    client.force_login(coach)
    page = client.get("/programme/suivi/T-001/").content.decode()
    assert "Réduction du périmètre" in page and "Réviser le budget" not in page
    assert client.post(url, {"amount": "90000", "reason": "x"}).status_code == 403
