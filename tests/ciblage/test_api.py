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
    assert models[0]["metrics"]["validation_auc"] == trained.metrics["validation_auc"]
    assert (
        models[0]["backtest"]["rankings"]["model"]["auc"] > 0.5
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


def test_openapi_schema_names_the_english_json_keys(client_as):
    """The contract (docs/ciblage.md, « Contrat des données »): the JSON keys are English since 0.2.0."""
    schemas = client_as("inspecteur").get("/api/openapi.json").json()["components"]["schemas"]
    assert set(schemas["PlanRowOut"]["properties"]) == {"week", "planned_date", "team", "establishment_id", "name",
                                                       "address", "rank", "score", "selection", "reasons"}
    assert schemas["PlanRowOut"]["properties"]["selection"]["enum"] == ["model", "random"]
    assert {"model", "random", "model_to_random_ratio", "one_sided_p_value"} <= set(schemas["FeedbackOut"]["properties"])
    assert set(schemas["ShareOut"]["properties"]) == {"inspections", "events", "rate"}
    assert {"period", "events", "event_rate", "rankings"} <= set(schemas["BacktestOut"]["properties"])
    assert {"training_inspections", "validation_auc", "brier_after_calibration"} <= set(
        schemas["TrainingMetricsOut"]["properties"])
    assert schemas["ContributionOut"]["properties"]["direction"]["enum"] == ["up", "down", "neutral"]
    names = {name for schema in schemas.values() for name in schema.get("properties", {})}
    for french in ("semaine", "date_prevue", "equipe", "raisons", "evenements", "taux", "periode", "classements",
                   "auc_validation"):
        assert french not in names, french


def test_contributions_are_computed_once_per_explanation(client_as, demo, monkeypatch):
    """The page and the API get the contributions, the CRPA sheet and the planning part from one
    service function (:func:`amorce.ciblage.services.explain_score`): computed once per request."""
    from amorce.ciblage import explain

    calls = []
    real = explain.shown_contributions

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(explain, "shown_contributions", counted)
    scores = ScoreList.objects.get()
    eid = scores.frame()["establishment_id"].iloc[0]
    client = client_as("inspecteur")
    api = client.get(f"/api/ciblage/classements/{scores.pk}/etablissements/{eid}").json()
    assert len(calls) == 1 and api["contributions"]
    assert [p["name"] for p in api["crpa"]["parameters"]] == [c["label"] for c in api["contributions"]]
    page = client.get(f"/ciblage/classements/{scores.pk}/etablissements/{eid}/")
    assert page.status_code == 200 and len(calls) == 2


def test_fairness_page_shows_the_audit_alerts_not_its_own(client_as, demo, monkeypatch):
    """The page flags a group only from the audit's result (``selection_alert``), computed by the one
    rule of :mod:`amorce.ciblage.fairness`: change the rule, the page follows."""
    from amorce.ciblage import fairness

    scores = ScoreList.objects.get()
    client = client_as("responsable_inspection")
    url = f"/ciblage/classements/{scores.pk}/equite/"
    monkeypatch.setattr(fairness, "disparity", lambda ratio, threshold: False)
    calm = client.get(url, {"top": 100, "ratio": "1.25"}).content.decode()
    assert "fr-badge--warning" not in calm and "Aucune disparité au-delà du seuil" in calm
    monkeypatch.setattr(fairness, "disparity", lambda ratio, threshold: True)
    flagged = client.get(url, {"top": 100, "ratio": "1.25"}).content.decode()
    big_groups = sum(int(t["count"].ge(30).sum()) for t in fairness.audit(
        scores.frame()[["establishment_id", "rank"]].assign(selected=lambda f: f["rank"].astype(int) <= 100),
        scores.model.dataset.load(), as_of=scores.as_of).groups.values())
    assert big_groups and flagged.count(">alerte</p>") == big_groups
