"""Write-back of decisions and private annotations to Démarche Numérique, against a stateful fake (respx)."""

from __future__ import annotations

import copy
import json
from html import unescape
from pathlib import Path

import httpx
import pytest
import respx

from amorce.programme.ds_import import DemarcheNumeriqueClient
from amorce.programme.errors import DemarcheNumeriqueError
from amorce.programme.models import Application, Decision, State
from amorce.programme.services import import_from_demarche_numerique
from amorce.programme.services_writeback import annotation_text, push_to_demarche_numerique
from amorce.web import jobs
from amorce.web.models import AuditEvent, Job

from .test_web_workflow import make_call

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def configured_instance(monkeypatch):
    monkeypatch.setenv("DS_API_URL", "https://ds.test")
    monkeypatch.delenv("DS_ALLOWED_URLS", raising=False)

URL = "https://ds.test/api/v2/graphql"
MAPPING = {"fields": {"structure_name": "Nom de votre structure", "contact_email": "Votre email"}}
NOTE = "Lien vers la simulation vue par le pétitionnaire avant de déposer sa demande"
DECISIONS = {
    "dossierAccepter": "accepte",
    "dossierRefuser": "refuse",
    "dossierClasserSansSuite": "sans_suite",
    "dossierPasserEnInstruction": "en_instruction",
}


class FakeDemarcheNumerique:
    """One recorded dossier whose state and annotations change with the mutations it receives."""

    def __init__(self, node: dict) -> None:
        self.dossier = copy.deepcopy(node)
        self.sent: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        name, inputs = body["operationName"], body["variables"].get("input") or {}
        self.sent.append(body)
        if name == "getDossier":
            return httpx.Response(200, json={"data": {"dossier": self.dossier}})
        assert inputs["dossierId"] == self.dossier["id"] and inputs["instructeurId"] == "SW5zdHJ1Y3RldXItMQ=="
        if name == "dossierModifierAnnotationText":
            champ = next(c for c in self.dossier["annotations"] if c["id"] == inputs["annotationId"])
            champ["stringValue"] = inputs["value"]
            return httpx.Response(200, json={"data": {name: {"annotation": champ, "errors": None}}})
        self.dossier["state"] = DECISIONS[name]
        self.dossier["motivation"] = inputs.get("motivation")
        return httpx.Response(
            200,
            json={
                "data": {
                    name: {
                        "dossier": {"id": self.dossier["id"], "number": 1, "state": self.dossier["state"]},
                        "errors": None,
                    }
                }
            },
        )

    def mutations(self) -> list[str]:
        return [b["operationName"] for b in self.sent if b["operationName"] != "getDossier"]


@pytest.fixture
def node(shared_data: Path) -> dict:
    page = json.loads(
        (
            shared_data / "formats" / "demarche_numerique_graphql" / "envergo_demarche_query_response.json"
        ).read_text(encoding="utf-8")
    )
    return page["dossiers"]["nodes"][0]


@pytest.fixture
def refused(node):
    """The dossier imported into a call, then refused in amorce with a motivation."""
    from amorce.programme.ds_import import FieldMapping

    call = make_call()
    import_from_demarche_numerique(call, [node], FieldMapping.from_dict(MAPPING))
    app = Application.objects.get(ds_number=node["number"])
    Application.objects.filter(pk=app.pk).update(state=State.REFUSE, score=9.5, review_count=3)
    Decision.objects.create(application=app, decision=State.REFUSE, motivation="Données inaccessibles.")
    return call, Application.objects.get(pk=app.pk)


def launch(client, call, **data) -> Job:
    fields = {
        "instructeur_id": "SW5zdHJ1Y3RldXItMQ==",
        "annotation_label": NOTE,
        "base_url": "https://ecoute.example",  # not a field: ignored, the server's instance is used
    }
    response = client.post(f"/programme/appels/{call.slug}/ecriture-ds/", {**fields, **data})
    assert response.status_code == 302, response.content.decode()
    job = Job.objects.filter(kind="programme.push_ds").order_by("-created_at").first()
    jobs.execute(job.pk)
    job.refresh_from_db()
    return job


def test_decision_and_annotation_are_written_once(client_as, refused, node, monkeypatch):
    call, app = refused
    client = client_as("equipe_programme")
    page = client.get(f"/programme/appels/{call.slug}/ecriture-ds/")
    assert "n'est pas configuré" in unescape(page.content.decode())  # no token on this server
    response = client.post(f"/programme/appels/{call.slug}/ecriture-ds/", {"instructeur_id": "I"})
    assert response.status_code == 400 and "DS_API_TOKEN" in response.content.decode()
    assert "--token" not in response.content.decode()
    assert not Job.objects.filter(kind="programme.push_ds").exists()

    monkeypatch.setenv("DS_API_TOKEN", "jeton-de-test")
    fake = FakeDemarcheNumerique(node)
    with respx.mock as router:
        router.post(URL).mock(side_effect=fake)
        job = launch(client, call)
        assert job.status == Job.Status.SUCCEEDED, job.error
        assert job.result == {"decisions": 1, "annotations": 1, "unchanged": 0, "errors": []}
        # en construction on Démarche Numérique: passed into instruction first, then refused with the motivation
        assert fake.mutations() == [
            "dossierPasserEnInstruction",
            "dossierRefuser",
            "dossierModifierAnnotationText",
        ]
        refusal = next(b for b in fake.sent if b["operationName"] == "dossierRefuser")
        assert refusal["variables"]["input"]["motivation"] == "Données inaccessibles."
        assert fake.dossier["state"] == "refuse"
        note = next(c for c in fake.dossier["annotations"] if c["label"] == NOTE)["stringValue"]
        assert note == annotation_text(app) and "9,50/20" in note and "Refus — Données inaccessibles." in note
        # idempotent: a second run reads the dossier again and writes nothing
        job = launch(client, call)
        assert job.result == {"decisions": 0, "annotations": 0, "unchanged": 1, "errors": []}
        assert len(fake.mutations()) == 3
    assert AuditEvent.objects.filter(action="programme_ds_ecriture_dossier").count() == 1
    assert AuditEvent.objects.filter(action="programme_ds_ecriture").count() == 2
    assert AuditEvent.objects.filter(action="programme_ds_ecriture_lancee").count() == 2


def test_a_decision_taken_on_demarche_numerique_is_never_overwritten(client_as, refused, node, monkeypatch):
    call, app = refused
    monkeypatch.setenv("DS_API_TOKEN", "jeton-de-test")
    fake = FakeDemarcheNumerique({**node, "state": "accepte"})
    with respx.mock as router:
        router.post(URL).mock(side_effect=fake)
        job = launch(client_as("equipe_programme"), call, annotation_label="Annotation inconnue")
    assert job.status == Job.Status.SUCCEEDED and job.result["decisions"] == 0
    assert job.result["errors"] == [
        f"{app.reference} : déjà « Accepté » sur Démarche Numérique : la décision "
        "d'amorce (« Refusé ») n'y est pas écrite ; repassez le dossier en instruction "
        "sur Démarche Numérique si elle doit changer."
    ]
    assert fake.mutations() == [] and "déjà « Accepté »" in job.log


def test_unknown_annotation_and_unknown_dossiers_are_reported(client_as, refused, node, monkeypatch):
    call, app = refused
    monkeypatch.setenv("DS_API_TOKEN", "jeton-de-test")
    client = client_as("equipe_programme")
    bad = client.post(
        f"/programme/appels/{call.slug}/ecriture-ds/",
        {"instructeur_id": "I", "references": f"{app.reference}, T-999"},
    )
    assert bad.status_code == 400 and "non importés de Démarche Numérique : T-999." in bad.content.decode()
    fake = FakeDemarcheNumerique(node)
    with respx.mock as router:
        router.post(URL).mock(side_effect=fake)
        job = launch(client, call, annotation_label="Avis de la DINUM", references=app.reference)
    assert job.result["errors"] == [
        f"{app.reference} : la démarche n'a pas d'annotation privée « Avis de la DINUM »."
    ]
    assert fake.mutations() == [
        "dossierPasserEnInstruction",
        "dossierRefuser",
    ]  # the decision is still written
    assert job.result["decisions"] == 1 and job.result["unchanged"] == 0


def test_refused_token_fails_the_job_in_french(client_as, refused, monkeypatch):
    call, _ = refused
    monkeypatch.setenv("DS_API_TOKEN", "jeton-perime")
    with respx.mock as router:
        router.post(URL).mock(
            return_value=httpx.Response(401, json={"errors": [{"message": "unauthorized"}]})
        )
        job = launch(client_as("equipe_programme"), call)
    assert job.status == Job.Status.FAILED and job.error.startswith("Jeton d'API Démarche Numérique refusé")
    assert "Arrêt au dossier" in job.error and "0 décision(s)" in job.error


def test_unreachable_service_stops_and_says_what_was_done(refused):
    call, _ = refused
    with respx.mock as router:
        router.post(URL).mock(side_effect=httpx.ConnectError("connexion refusée"))
        client = DemarcheNumeriqueClient("jeton", "https://ds.test", max_retries=0)
        with pytest.raises(DemarcheNumeriqueError, match="injoignable"):
            push_to_demarche_numerique(call, client, instructeur_id="I")
    with pytest.raises(DemarcheNumeriqueError, match="Identifiant d'instructeur"):
        push_to_demarche_numerique(call, client, instructeur_id="")


def test_only_the_programme_team_writes_back(client_as, refused):
    call, app = refused
    assert client_as("instructeur").get(f"/programme/appels/{call.slug}/ecriture-ds/").status_code == 403
    lead = client_as("equipe_programme", username="cheffe")
    page = lead.get(f"/programme/dossiers/{app.reference}/").content.decode()
    assert f"/programme/appels/{call.slug}/ecriture-ds/?dossiers={app.reference}" in page
    form = lead.get(f"/programme/appels/{call.slug}/ecriture-ds/?dossiers={app.reference}").content.decode()
    assert f'value="{app.reference}"' in form and "1 dossier de cet appel vient de Démarche Numérique" in form
