"""The programme team: create a call, dashboard, decisions from a selection run, follow-up, user tests."""

from __future__ import annotations

import pytest

from amorce.programme.models import Application, Call, Decision, Milestone, State, UserTestCampaign
from amorce.programme.services import run_selection
from amorce.programme.sus import sus_score

from .test_web_workflow import make_application, make_call, score

pytestmark = pytest.mark.django_db


def test_create_call_with_criteria(client_as):
    client = client_as("equipe_programme")
    form = {"slug": "ia-2026", "title": "Appel IA 2026", "summary": "", "administration": "la DINUM",
            "contact": "ia@exemple.gouv.fr", "opens": "2026-01-10", "closes": "2026-01-01", "budget": "500000",
            "min_laureates": "3", "max_laureates": "2", "coaching_months": "10",
            "eligible_kinds": ["administration_centrale"],
            "criteres-TOTAL_FORMS": "1", "criteres-INITIAL_FORMS": "0", "criteres-MIN_NUM_FORMS": "1",
            "criteres-MAX_NUM_FORMS": "1000", "criteres-0-code": "impact", "criteres-0-label": "Impact",
            "criteres-0-weight": "2", "criteres-0-scale_max": "5", "criteres-0-position": "0"}
    bad = client.post("/programme/appel/nouveau/", form)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "La clôture doit suivre" in text and "au moins égal au minimum" in text
    assert not Call.objects.exists()
    client.post("/programme/appel/nouveau/", {**form, "closes": "2026-03-01", "max_laureates": "5"})
    call = Call.objects.get(slug="ia-2026")
    assert call.criteria.get().weight == 2 and call.eligible_kinds == ["administration_centrale"]
    assert "ia-2026" in client.get("/programme/tableau-de-bord/").content.decode()


def test_decisions_from_a_selection_run_then_follow_up(client_as, make_user):
    call = make_call(budget=250000, min_laureates=1, max_laureates=2)
    jurors = [make_user("jury", username=f"j{i}") for i in range(2)]
    for i, (budget, mark) in enumerate([(100000, 5), (150000, 4), (120000, 3)]):
        app = make_application(call, i + 1, budget=budget)
        for juror in jurors:
            score(app, juror, {"benefices": mark, "pertinence": mark, "ethique": mark})
    client = client_as("equipe_programme")
    run = run_selection(call, {"budget": 250000}, user=client.user)
    assert run.result["selected"] == ["T-001", "T-002"]
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
    client.post("/programme/suivi/T-001/coachs/", {"technical_coach": "Inès Roux", "business_coach": "Yann Blanc"})
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
    assert "Désaccord : benefices" in page
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
    response = copy.deepcopy(recorded)
    with respx.mock(assert_all_called=True) as router:
        router.post("https://ds.test/api/v2/graphql").mock(
            side_effect=lambda request: httpx.Response(200, json={"data": {"demarche": response}}))
        for _ in range(2):
            client.post(f"/programme/appels/{call.slug}/import/", {
                "demarche": "103363", "base_url": "https://ds.test", "mapping": json.dumps(mapping)})
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
        client.post(f"/programme/appels/{call.slug}/import/", {"demarche": "103363", "base_url": "https://ds.test",
                                                               "mapping": json.dumps(mapping)})
        job = Job.objects.filter(kind="programme.import_ds").order_by("-created_at").first()
        jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.result["updated"] == 1
    app.refresh_from_db()
    assert app.state == "accepte" and [h.to_state for h in app.history.all()] == ["en_construction", "accepte"]
    assert Application.objects.count() == 1
