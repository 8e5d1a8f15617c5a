"""Split of ciblage rights between inspectors and their managers (« responsables des contrôles »).

The manager imports, trains, scores, reads model cards, metrics, fairness and drift, builds and
exports plans and retrains; the inspector reads ranked lists with reasons, CRPA sheets and plans and
records outcomes. Managers have every inspector right; other roles get nothing.
"""

from __future__ import annotations

import pytest

from amorce.ciblage.models import Dataset, Plan, ScoreList, TrainedModel
from amorce.web.jobs import HANDLERS
from amorce.web.models import AuditEvent, Job
from amorce.web.roles import USECASES_BY_SLUG, Role, set_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(ciblage_demo):
    """The demo dataset, model and ranked list, and the establishment ranked first."""
    scores = ScoreList.objects.get(pk=ciblage_demo["score_list"])
    return {
        "dataset": Dataset.objects.get(),
        "model": TrainedModel.objects.get(),
        "scores": scores,
        "top": scores.frame()["establishment_id"].iloc[0],
    }


def make_plan(client, scores) -> Plan:
    response = client.post(
        f"/ciblage/classements/{scores.pk}/plan/",
        {"capacity": "equipe-0=5", "weeks": 2, "exploration": 20, "seed": 1, "start": "2024-01-01"},
    )
    assert response.status_code == 302, response.content.decode()
    return Plan.objects.latest("pk")


def outcomes_file(plan, n: int = 3):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "establishment_id,date,outcome\n" + "".join(
        f"{r['establishment_id']},2024-01-02,Satisfaisant\n" for r in plan.rows[:n]
    )
    return SimpleUploadedFile("resultats.csv", text.encode(), content_type="text/csv")


def manager_urls(demo, plan) -> list[str]:
    d, m, s = demo["dataset"].pk, demo["model"].pk, demo["scores"].pk
    return [
        "/ciblage/import/",
        f"/ciblage/donnees/{d}/",
        f"/ciblage/modeles/{m}/",
        f"/ciblage/classements/{s}/equite/",
        f"/ciblage/classements/{s}/derive/",
        f"/ciblage/plans/{plan.pk}/inspections.csv",
    ]


def manager_posts(demo, plan) -> list[str]:
    return [
        f"/ciblage/donnees/{demo['dataset'].pk}/entrainer/",
        f"/ciblage/modeles/{demo['model'].pk}/scorer/",
        f"/ciblage/classements/{demo['scores'].pk}/plan/",
        f"/ciblage/plans/{plan.pk}/reentrainer/",
    ]


def reader_urls(demo, plan) -> list[str]:
    s = demo["scores"].pk
    return [
        "/ciblage/",
        f"/ciblage/classements/{s}/",
        f"/ciblage/classements/{s}/etablissements/{demo['top']}/",
        f"/ciblage/plans/{plan.pk}/",
        f"/ciblage/plans/{plan.pk}/plan.csv",
        f"/ciblage/plans/{plan.pk}/plan.ics",
    ]


def test_manager_does_everything_inspector_reads_and_records(client_as, demo):
    manager = client_as("responsable_inspection")
    plan = make_plan(manager, demo["scores"])
    manager.post(f"/ciblage/plans/{plan.pk}/resultats/", {"file": outcomes_file(plan)})
    plan.refresh_from_db()
    assert len(plan.outcomes) == 3
    for url in manager_urls(demo, plan) + reader_urls(demo, plan):
        assert manager.get(url).status_code == 200, url
    page = manager.get(f"/ciblage/classements/{demo['scores'].pk}/").content.decode()
    assert (
        "Préparer le plan" in page
        and "Audit d'équité" in page
        and f"/ciblage/modeles/{demo['model'].pk}/" in page
    )
    page = manager.get(f"/ciblage/plans/{plan.pk}/").content.decode()
    assert "Télécharger le plan" in page and "Réentraîner avec les résultats saisis" in page
    assert "Choisis par le modèle" in page
    assert "Importer des contrôles" in manager.get("/ciblage/").content.decode()
    response = manager.post(
        f"/ciblage/modeles/{demo['model'].pk}/scorer/", {f"m{demo['model'].pk}-as_of": "2024-02-01"}
    )
    assert response.status_code == 302 and Job.objects.filter(kind="ciblage.score").exists()
    assert manager.post(f"/ciblage/plans/{plan.pk}/reentrainer/").status_code == 302
    assert Job.objects.filter(kind="ciblage.train").exists()

    inspector = client_as("inspecteur")
    for url in reader_urls(demo, plan):
        assert inspector.get(url).status_code == 200, url
    for url in manager_urls(demo, plan):
        response = inspector.get(url)
        assert response.status_code == 403, url
        if not url.endswith((".png", ".csv", ".ics")):
            assert "Accès refusé" in response.content.decode(), url
    jobs_before = Job.objects.count()
    for url in manager_posts(demo, plan):
        response = inspector.post(url, {})
        assert response.status_code == 403 and "Accès refusé" in response.content.decode(), url
    assert Job.objects.count() == jobs_before and Plan.objects.count() == 1

    # what the inspector sees: the list with reasons and CRPA sheets, the plan; no manager link or form
    page = inspector.get(f"/ciblage/classements/{demo['scores'].pk}/").content.decode()
    assert "Fiche CRPA" in page and "Raisons principales" in page and f"/ciblage/plans/{plan.pk}/" in page
    assert "Préparer le plan" not in page and "/equite/" not in page and "/derive/" not in page
    assert (
        f"/ciblage/modeles/{demo['model'].pk}/" not in page
        and f"/ciblage/donnees/{demo['dataset'].pk}/" not in page
    )
    sheet = inspector.get(
        f"/ciblage/classements/{demo['scores'].pk}/etablissements/{demo['top']}/"
    ).content.decode()
    assert "R311-3-1-2" in sheet and "/ciblage/modeles/" not in sheet and "/ciblage/donnees/" not in sheet
    index = inspector.get("/ciblage/").content.decode()
    assert "Importer des contrôles" not in index and "/ciblage/donnees/" not in index
    assert f"/ciblage/classements/{demo['scores'].pk}/" in index and f"/ciblage/plans/{plan.pk}/" in index
    page = inspector.get(f"/ciblage/plans/{plan.pk}/").content.decode()
    assert "Enregistrer les résultats" in page and "3 résultats saisis pour ce plan" in page
    assert "Réentraîner" not in page and "Choisis par le modèle" not in page and "/inspections.csv" not in page
    # they take the plan away, as CSV or into their calendar
    assert "/plan.csv" in page and "/plan.ics" in page
    assert inspector.get(f"/ciblage/plans/{plan.pk}/plan.ics").content.startswith(b"BEGIN:VCALENDAR")
    assert inspector.get(f"/ciblage/plans/{plan.pk}/plan.csv").status_code == 200

    # the inspector records the outcomes of their inspections (audited under their name)
    response = inspector.post(f"/ciblage/plans/{plan.pk}/resultats/", {"file": outcomes_file(plan, 5)})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert len(plan.outcomes) == 5 and plan.feedback
    event = AuditEvent.objects.filter(action="ciblage_resultats_saisis").latest("pk")
    assert event.actor_id == inspector.user.pk


def test_other_roles_and_anonymous_get_nothing(client, client_as, demo):
    plan = make_plan(client_as("responsable_inspection"), demo["scores"])
    client.logout()
    urls = manager_urls(demo, plan) + reader_urls(demo, plan)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url
    for role in ("jury", "coach", "magistrat_greffier"):
        other = client_as(role)
        for url in urls:
            assert other.get(url).status_code == 403, (role, url)
        for url in [*manager_posts(demo, plan), f"/ciblage/plans/{plan.pk}/resultats/"]:
            assert other.post(url, {}).status_code == 403, (role, url)
        other.logout()


def test_api_split(client_as, demo):
    plan = make_plan(client_as("responsable_inspection"), demo["scores"])
    manager = client_as("responsable_inspection", username="resp2")
    scores = demo["scores"]
    reader = [
        "/api/ciblage/classements",
        f"/api/ciblage/classements/{scores.pk}",
        f"/api/ciblage/classements/{scores.pk}/etablissements/{demo['top']}",
        f"/api/ciblage/plans/{plan.pk}",
    ]
    for url in [*reader, "/api/ciblage/modeles"]:
        assert manager.get(url).status_code == 200, url
    manager.post(f"/ciblage/plans/{plan.pk}/resultats/", {"file": outcomes_file(plan)})
    assert manager.get(f"/api/ciblage/plans/{plan.pk}").json()["feedback"]["model"]["inspections"] >= 1

    inspector = client_as("inspecteur")
    for url in reader:
        assert inspector.get(url).status_code == 200, url
    refused = inspector.get("/api/ciblage/modeles")
    assert refused.status_code == 403 and "Votre rôle" in refused.json()["detail"]
    data = inspector.get(f"/api/ciblage/plans/{plan.pk}").json()
    assert data["outcomes"] == 3 and data["feedback"] == {} and len(data["rows"]) == len(plan.rows)


def test_roles_labels_home_jobs_and_combined_roles(client_as, make_user):
    from django.contrib.auth.models import Group

    assert Role.RESPONSABLE_INSPECTION.label == "Responsable des contrôles"
    assert Group.objects.filter(name="responsable_inspection").exists()  # ciblage.0002, before any account
    assert USECASES_BY_SLUG["ciblage"].roles == {Role.INSPECTEUR, Role.RESPONSABLE_INSPECTION}
    assert (
        HANDLERS["ciblage.train"].roles == HANDLERS["ciblage.score"].roles == (Role.RESPONSABLE_INSPECTION,)
    )
    home = client_as("inspecteur").get("/").content.decode()
    assert (
        "Consulter le classement et ses raisons" in home and "Saisir les résultats de vos contrôles" in home
    )
    assert "Importer les contrôles" not in home and "Réentraîner avec les résultats saisis" not in home
    home = client_as("responsable_inspection", username="resp").get("/").content.decode()
    for text in (
        "Importer les contrôles",
        "Entraîner, évaluer et appliquer les modèles",
        "Consulter les fiches modèle, l&#x27;audit d&#x27;équité et la dérive",
        "Préparer et exporter le plan de contrôle",
        "Réentraîner avec les résultats saisis",
        "Consulter le classement et ses raisons",
        "Saisir les résultats de vos contrôles",
    ):
        assert text in home, text
    # an inspector who is also a manager gets the manager's pages
    both = make_user("inspecteur", username="les-deux")
    set_roles(both, [Role.INSPECTEUR, Role.RESPONSABLE_INSPECTION])
    client = client_as("inspecteur", username="x")
    client.force_login(both)
    assert client.get("/ciblage/import/").status_code == 200
