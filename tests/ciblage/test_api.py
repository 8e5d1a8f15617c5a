"""JSON API of targeting: role checks, models with metrics, ranked list with filters and pages,
one establishment's explanation (exact contributions + CRPA sheet, audited), the plan."""

from __future__ import annotations

import pytest

from amorce.ciblage.models import Plan, ScoreList, TrainedModel
from amorce.web.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(ciblage_demo):
    return ciblage_demo


def test_api_requires_a_ciblage_role(client, client_as, demo):
    urls = [
        "/api/ciblage/modeles",
        "/api/ciblage/classements",
        f"/api/ciblage/classements/{demo['score_list']}",
        f"/api/ciblage/classements/{demo['score_list']}/etablissements/E1",
        "/api/ciblage/plans/1",
    ]
    for url in urls:
        assert client.get(url).status_code in (401, 403), url
    other = client_as("jury")
    for url in urls:
        assert other.get(url).status_code == 403, url


def test_models_scores_explanation_and_plan(client_as, demo):
    from amorce.ciblage.explain import explain_establishment

    client = client_as("responsable_inspection")
    listed = client.get("/api/ciblage/modeles").json()
    trained = TrainedModel.objects.get()
    assert listed["count"] == 1 and [m["id"] for m in listed["items"]] == [trained.pk]
    models = listed["items"]
    assert models[0]["trained_before"] == trained.as_of.isoformat() and models[0]["dataset"] == trained.dataset.name
    assert client.get("/api/ciblage/modeles", {"dataset_id": trained.dataset_id + 1}).json() == {"items": [], "count": 0}
    assert models[0]["metrics"]["auc_validation"] == trained.metrics["auc_validation"]
    assert (
        models[0]["backtest"]["classements"]["modele"]["auc"] > 0.5
        and "calibration" not in models[0]["backtest"]
    )
    assert client.get("/api/ciblage/classements").json()["items"][0]["count"] == demo["establishments"]
    assert client.get("/api/ciblage/classements", {"model_id": trained.pk + 1}).json()["count"] == 0

    scores = ScoreList.objects.get()
    frame = scores.frame()
    url = f"/api/ciblage/classements/{scores.pk}"
    page = client.get(url, {"limit": 20}).json()
    assert page["count"] == len(frame) and [i["rank"] for i in page["items"]] == list(range(1, 21))
    assert page["items"][0]["establishment_id"] == frame["establishment_id"].iloc[0]
    assert page["items"][0]["reasons"] == [p.strip() for p in frame["reasons"].iloc[0].split(" ; ")]
    second = client.get(url, {"offset": 20, "limit": 5}).json()
    assert [i["rank"] for i in second["items"]] == [21, 22, 23, 24, 25]
    dept = frame["department"].iloc[3]
    filtered = client.get(url, {"department": dept, "limit": 500}).json()
    assert filtered["count"] == int((frame["department"] == dept).sum())
    assert {i["department"] for i in filtered["items"]} == {dept}
    high = client.get(url, {"score_min": 0.3}).json()
    assert high["count"] == int((frame["score"].astype(float) >= 0.3).sum())
    assert len(client.get(url, {"limit": 100000}).json()["items"]) == min(500, len(frame))
    assert client.get(url, {"score_min": 2}).status_code == 422  # a probability: from 0 to 1
    assert client.get(f"/api/ciblage/classements/{scores.pk + 99}").status_code == 404

    eid = frame["establishment_id"].iloc[0]
    explained = client.get(f"{url}/etablissements/{eid}").json()
    assert explained["rank"] == 1 and explained["total"] == len(frame)
    _, contrib = explain_establishment(trained.load(), trained.dataset.load(), eid, scores.as_of)
    total = explained["base_value"] + sum(c["contribution"] for c in explained["contributions"])
    total += explained["planning_contribution"]
    assert total == pytest.approx(float(contrib.sum()), abs=1e-4)  # exact Shapley values, sum = raw score
    planning = {"inspector", "inspector_rate"}
    assert planning <= set(trained.load().feature_names)  # in the model, for ranking...
    assert not planning & {c["feature"] for c in explained["contributions"]}  # ...never a reason shown
    assert "inspecteur" not in " ".join(p["name"] for p in explained["crpa"]["parameters"])
    assert not any("inspecteur" in r for r in page["items"][0]["reasons"])
    assert abs(explained["contributions"][0]["contribution"]) >= abs(
        explained["contributions"][-1]["contribution"]
    )
    assert (
        len(explained["crpa"]["parameters"])
        == len(explained["contributions"])
        == len(trained.load().feature_names) - len(planning)
    )
    assert AuditEvent.objects.filter(action="ciblage_explication_consultee", details__via="api").count() == 1
    missing = client.get(f"{url}/etablissements/INCONNU")
    assert missing.status_code == 404 and "INCONNU" in missing.json()["detail"]

    response = client.post(
        f"/ciblage/classements/{scores.pk}/plan/",
        {"capacity": "equipe-0=5", "weeks": 2, "exploration": 20, "seed": 1, "start": "2024-01-01"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    data = client.get(f"/api/ciblage/plans/{plan.pk}").json()
    assert len(data["rows"]) == len(plan.rows) and data["exploration"] == pytest.approx(0.2)
    assert data["capacity"] == {"equipe-0": 5}

    # one pool: a single number of inspections per week, answered as such (500 before)
    client.post(f"/ciblage/classements/{scores.pk}/plan/",
                {"capacity": "7", "weeks": 1, "exploration": 0, "seed": 1, "start": "2024-01-01"})
    single = Plan.objects.exclude(pk=plan.pk).get()
    response = client.get(f"/api/ciblage/plans/{single.pk}")
    assert response.status_code == 200 and response.json()["capacity"] == 7
    assert len(response.json()["rows"]) == 7


def test_routes_in_the_openapi_schema(client_as):
    paths = client_as("inspecteur").get("/api/openapi.json").json()["paths"]
    assert {
        "/api/ciblage/modeles",
        "/api/ciblage/classements/{score_list_id}",
        "/api/ciblage/classements/{score_list_id}/etablissements/{establishment_id}",
        "/api/ciblage/plans/{plan_id}",
    } <= set(paths)
