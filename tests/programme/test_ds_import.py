"""Démarche Numérique import on recorded API responses (respx), with a derived second page."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from amorce.core.errors import DataValidationError
from amorce.programme.ds_import import (
    _DECISION_MUTATION,
    ANNOTATION_TEXT_MUTATION,
    DEMARCHE_QUERY,
    DOSSIER_QUERY,
    SEND_MESSAGE_MUTATION,
    DemarcheNumeriqueClient,
    FieldMapping,
    InMemoryRepository,
    configuration_problem,
    graphql_url,
    map_dossier,
    sync,
)
from amorce.programme.errors import DemarcheNumeriqueError

URL = "https://ds.test/api/v2/graphql"
MAPPING = FieldMapping(
    fields={
        "structure_name": "Nom de votre structure",
        "email": "Votre email",
        "pacage": "Numéro PACAGE",
        "owner": "Êtes-vous propriétaire de tous les terrains sur lesquels se situent les haies à détruire ?",
        "photos": "Photos des haies et alignements d'arbres à détruire",
        "commune": "Commune principale où se trouvent les haies à détruire",
    },
    annotations={"lien": "Lien vers l'espace instructeur du Guichet unique de la haie"},
)


@pytest.fixture(autouse=True)
def configured_instance(monkeypatch):
    """This server is configured for the test instance (its address is server configuration)."""
    monkeypatch.setenv("DS_API_URL", "https://ds.test")
    monkeypatch.delenv("DS_ALLOWED_URLS", raising=False)


@pytest.fixture(scope="module")
def recorded(shared_data: Path) -> Path:
    return shared_data / "formats" / "demarche_numerique_graphql"


@pytest.fixture
def pages(recorded: Path) -> list[dict]:
    """Page 1 = the recorded démarche (told it has a next page); page 2 = a derived dossier."""
    first = json.loads((recorded / "envergo_demarche_query_response.json").read_text(encoding="utf-8"))
    first["dossiers"]["pageInfo"]["hasNextPage"] = True
    second = copy.deepcopy(first)
    node = second["dossiers"]["nodes"][0]
    node["number"] = 23178444
    node["id"] = base64.b64encode(b"Dossier-23178444").decode()
    node["state"] = "accepte"
    node["motivation"] = "Projet retenu"
    node["traitements"].append({"state": "accepte", "emailAgentTraitant": "instructeur@example.com",
                                "dateTraitement": "2025-04-02T10:00:00+02:00", "motivation": "Projet retenu"})
    for champ in node["champs"]:
        if champ["label"] == "Nom de votre structure":
            champ["stringValue"] = "EARL des Haies"
    second["dossiers"]["pageInfo"] = {"hasPreviousPage": True, "hasNextPage": False,
                                      "startCursor": "c2Vjb25k", "endCursor": "c2Vjb25k"}
    return [first, second]


def mock_pages(router: respx.MockRouter, pages: list[dict]) -> list[dict]:
    """Serve page 1 without cursor, page 2 after page 1's endCursor; return the request bodies."""
    bodies: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        after = body["variables"].get("after")
        if after is None:
            return httpx.Response(200, json={"data": {"demarche": pages[0]}})
        if after == pages[0]["dossiers"]["pageInfo"]["endCursor"]:
            return httpx.Response(200, json={"data": {"demarche": pages[1]}})
        return httpx.Response(200, json={"errors": [{"message": f"bad cursor {after}"}]})

    router.post(URL).mock(side_effect=answer)
    return bodies


def client(**kwargs) -> DemarcheNumeriqueClient:
    return DemarcheNumeriqueClient(token="secret-token", base_url="https://ds.test", sleep=lambda s: None, **kwargs)


def test_pagination_follows_the_cursor(pages):
    with respx.mock(assert_all_called=True) as router:
        bodies = mock_pages(router, pages)
        meta, dossiers = client(page_size=1).fetch_dossiers(103363)
        assert router.calls[0].request.headers["Authorization"] == "Bearer secret-token"
    assert [d["number"] for d in dossiers] == [23178443, 23178444]
    assert meta["title"] == "Guichet unique de la haie – Aisne (02) / TEST"
    assert len(bodies) == 2
    assert bodies[0]["operationName"] == "getDemarche" and "query" in bodies[0]
    assert bodies[0]["variables"] == {"demarcheNumber": 103363, "first": 1}
    assert bodies[1]["variables"]["after"] == pages[0]["dossiers"]["pageInfo"]["endCursor"]


def test_persisted_query_mode_sends_the_official_query_id(pages):
    pages[0]["dossiers"]["pageInfo"]["hasNextPage"] = False
    with respx.mock as router:
        bodies = mock_pages(router, pages)
        client(persisted=True).fetch_dossiers(103363)
    assert bodies[0]["queryId"] == "ds-query-v2" and "query" not in bodies[0]
    assert bodies[0]["variables"]["includeDossiers"] is True


def test_mapping_gives_typed_values(pages):
    record, missing = map_dossier(pages[0]["dossiers"]["nodes"][0], MAPPING)
    assert missing == []
    assert record["ds_number"] == 23178443 and record["state"] == "en_construction"
    assert record["state_label"] == "En construction"
    fields = record["fields"]
    assert fields["structure_name"] == "GAEC Choupi"
    assert fields["email"] == "georges.sand@beta.gouv.fr"
    assert fields["pacage"] == 12345678
    assert fields["owner"] is True
    assert fields["commune"] == "Laon (02000)"
    assert fields["photos"][0]["filename"] == "North_York_Moors.jpeg" and fields["photos"][0]["size"] == 200167
    assert record["annotations"] == {"lien": None}
    assert record["annotation_ids"]["lien"] == "Q2hhbXAtNDg4MTI4MQ=="
    assert record["applicant"]["nom"] == "Sand" and record["applicant"]["type"] == "PersonnePhysique"
    assert record["history"][0]["state"] == "en_construction"


def test_sync_is_idempotent_and_detects_changes(pages):
    repo = InMemoryRepository()
    dossiers = [p["dossiers"]["nodes"][0] for p in pages]
    first = sync(dossiers, MAPPING, repo)
    assert first.created == [23178443, 23178444] and not first.updated and not first.unchanged
    assert repo.get_by_ds_number(23178444)["state"] == "accepte"
    # same content, but freshly signed download URLs: nothing changes
    again = copy.deepcopy(dossiers)
    for champ in again[0]["champs"]:
        for f in champ.get("files") or []:
            f["url"] = f["url"] + "&temp_url_expires=999"
    second = sync(again, MAPPING, repo)
    assert second.unchanged == [23178443, 23178444] and not second.created and not second.updated
    # the applicant edits a champ: one update
    for champ in again[1]["champs"]:
        if champ["label"] == "Nom de votre structure":
            champ["stringValue"] = "EARL des Haies Vives"
    third = sync(again, MAPPING, repo)
    assert third.updated == [23178444] and third.unchanged == [23178443]
    assert repo.get_by_ds_number(23178444)["fields"]["structure_name"] == "EARL des Haies Vives"
    assert "1 mis à jour" in third.summary_fr()


def test_mapping_with_unknown_label_reports_every_missing_label(pages):
    repo = InMemoryRepository()
    bad = FieldMapping(fields={"title": "Titre du projet", "budget": "Budget demandé",
                               "structure_name": "Nom de votre structure"})
    with pytest.raises(DataValidationError) as info:
        sync([pages[0]["dossiers"]["nodes"][0]], bad, repo)
    assert {p.column for p in info.value.problems} == {"Titre du projet", "Budget demandé"}
    assert repo.records == {}  # nothing saved


def test_sync_rolls_back_when_saving_fails(pages):
    class Failing(InMemoryRepository):
        def save(self, record):
            super().save(record)
            if record["ds_number"] == 23178444:
                raise OSError("disk full")

    repo = Failing()
    with pytest.raises(OSError):
        sync([p["dossiers"]["nodes"][0] for p in pages], MAPPING, repo)
    assert repo.records == {}


def test_unknown_state_is_rejected(pages):
    node = copy.deepcopy(pages[0]["dossiers"]["nodes"][0])
    node["state"] = "brouillon"
    with pytest.raises(DemarcheNumeriqueError, match="état « brouillon » inconnu"):
        map_dossier(node, MAPPING)


def test_http_and_graphql_errors_are_french():
    with respx.mock as router:
        router.post(URL).mock(return_value=httpx.Response(401, json={"errors": [{"message": "unauthorized"}]}))
        with pytest.raises(DemarcheNumeriqueError, match="Jeton d'API Démarche Numérique refusé"):
            client().fetch_dossier(1)
    with respx.mock as router:
        router.post(URL).mock(return_value=httpx.Response(200, json={"data": None, "errors": [
            {"message": "Demarche not found"}]}))
        with pytest.raises(DemarcheNumeriqueError, match=r"renvoyé une erreur \(référence \w{8} dans le journal"):
            client().fetch_dossiers(42)
    with respx.mock as router:
        router.post(URL).mock(return_value=httpx.Response(200, json={"data": {"demarche": None}}))
        with pytest.raises(DemarcheNumeriqueError, match="Démarche n° 42 introuvable"):
            client().fetch_dossiers(42)


def test_retries_on_unavailable(recorded: Path):
    payload = json.loads((recorded / "envergo_dossier_query_response.json").read_text(encoding="utf-8"))
    waits = []
    with respx.mock as router:
        router.post(URL).mock(side_effect=[httpx.Response(503), httpx.Response(429, headers={"Retry-After": "7"}),
                                           httpx.Response(200, json=payload)])
        ds = DemarcheNumeriqueClient(token="t", base_url=URL, sleep=waits.append)
        dossier = ds.fetch_dossier(23178443)
    assert dossier["number"] == 23178443 and waits == [2, 7.0]
    record, _ = map_dossier(dossier, FieldMapping(fields={"nom": "Nom de votre structure"}))
    assert record["history"][-1]["date"] == "2025-03-31T15:49:51+02:00"


def test_missing_token_is_explained(monkeypatch):
    monkeypatch.delenv("DS_API_TOKEN", raising=False)
    with pytest.raises(DemarcheNumeriqueError, match="DS_API_TOKEN") as info:
        DemarcheNumeriqueClient(base_url="https://ds.test")
    assert "--token" not in info.value.message  # also said on the web: no command-line advice
    monkeypatch.setenv("DS_API_URL", "https://autre.test/")
    assert graphql_url() == "https://autre.test/api/v2/graphql"
    assert configuration_problem().startswith("Démarche Numérique n'est pas configuré sur ce serveur")


def test_the_token_goes_only_to_an_allowed_https_instance(monkeypatch):
    monkeypatch.setenv("DS_API_TOKEN", "secret-du-serveur")
    assert configuration_problem() is None
    with respx.mock(assert_all_called=False) as router:
        listener = router.route(host="ecoute.example")
        for address in ("https://ecoute.example", "http://ds.test", "https://ds.test.ecoute.example"):
            with pytest.raises(DemarcheNumeriqueError, match="non autorisée|https obligatoire"):
                DemarcheNumeriqueClient(base_url=address)
        assert not listener.called
    monkeypatch.setenv("DS_ALLOWED_URLS", "https://demarche.numerique.gouv.fr, https://ds.interne.gouv.fr/")
    assert graphql_url("https://ds.interne.gouv.fr/api/v2/graphql") == "https://ds.interne.gouv.fr/api/v2/graphql"
    assert "non autorisée" in configuration_problem()  # DS_API_URL (ds.test) is no longer in the list
    monkeypatch.setenv("DS_API_URL", "http://ds.interne.gouv.fr")
    assert "https obligatoire" in configuration_problem()


def test_remote_answers_are_logged_never_repeated(caplog):
    secret_echo = "<script>jeton=secret-token</script>"
    with respx.mock as router:
        router.post(URL).mock(return_value=httpx.Response(500, text=secret_echo))
        with pytest.raises(DemarcheNumeriqueError) as info:
            client(max_retries=0).fetch_dossier(1)
    reference = info.value.details["reference"]
    assert secret_echo not in info.value.message and reference in info.value.message
    assert any(reference in r.getMessage() and secret_echo in r.getMessage() for r in caplog.records)


def test_write_back_mutations(recorded: Path):
    sent = []

    def answer(request):
        body = json.loads(request.content)
        sent.append(body)
        name = body["operationName"]
        if name == "dossierEnvoyerMessage":  # the recorded read-only-token error
            return httpx.Response(200, content=(recorded / "envergo_mutation_error_response.json").read_bytes())
        if name == "dossierModifierAnnotationText":
            return httpx.Response(200, json={"data": {name: {"annotation": {"id": "A1", "stringValue": "16,5"},
                                                             "errors": None}}})
        state = {"dossierAccepter": "accepte", "dossierRefuser": "refuse", "dossierClasserSansSuite": "sans_suite"}
        return httpx.Response(200, json={"data": {name: {"dossier": {"id": "D1", "number": 1, "state": state[name]},
                                                         "errors": None}}})

    with respx.mock as router:
        router.post(URL).mock(side_effect=answer)
        ds = client()
        assert ds.write_decision("accepte", "D1", "I1", "Lauréat")["state"] == "accepte"
        assert ds.write_decision("refuse", "D1", "I1", "Budget insuffisant")["state"] == "refuse"
        assert ds.classer_sans_suite("D1", "I1", "Retrait du candidat")["state"] == "sans_suite"
        assert ds.set_private_annotation("D1", "A1", "I1", "16,5")["stringValue"] == "16,5"
        with pytest.raises(DemarcheNumeriqueError, match="configuré seulement en lecture"):
            ds.send_message("D1", "I1", "Bonjour")
        with pytest.raises(DemarcheNumeriqueError, match="doit être motivé"):
            ds.refuse("D1", "I1", "")
    assert sent[0]["operationName"] == "dossierAccepter"
    assert sent[0]["variables"]["input"] == {"dossierId": "D1", "instructeurId": "I1", "disableNotification": False,
                                             "motivation": "Lauréat"}
    assert "mutation dossierAccepter" in sent[0]["query"]


def test_query_documents_are_valid_against_the_official_schema(recorded: Path):
    graphql = pytest.importorskip("graphql")
    schema = graphql.build_schema((recorded / "schema.graphql").read_text(encoding="utf-8"))
    documents = [DEMARCHE_QUERY, DOSSIER_QUERY, ANNOTATION_TEXT_MUTATION, SEND_MESSAGE_MUTATION]
    documents += [_DECISION_MUTATION.format(name=n, input_type=n[0].upper() + n[1:] + "Input")
                  for n in ("dossierAccepter", "dossierRefuser", "dossierClasserSansSuite",
                            "dossierPasserEnInstruction")]
    for document in documents:
        assert graphql.validate(schema, graphql.parse(document)) == []


def test_cli_import_ds_writes_jsonl(pages, tmp_path: Path, monkeypatch):
    from amorce.programme.cli import app

    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"fields": MAPPING.fields, "annotations": MAPPING.annotations},
                                  ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "dossiers.jsonl"
    monkeypatch.setenv("DS_API_TOKEN", "secret-token")
    with respx.mock as router:
        mock_pages(router, pages)
        result = CliRunner().invoke(app, ["import-ds", "--demarche", "103363", "--base-url", "https://ds.test",
                                          "--mapping", str(mapping), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["ds_number"] for r in lines] == [23178443, 23178444]
    assert lines[1]["fields"]["structure_name"] == "EARL des Haies"
    assert "2 dossier(s) créé(s)" in result.output
    # re-running against the same file is idempotent
    with respx.mock as router:
        mock_pages(router, pages)
        again = CliRunner().invoke(app, ["import-ds", "--demarche", "103363", "--base-url", "https://ds.test",
                                         "--mapping", str(mapping), "--out", str(out), "--json"])
    assert again.exit_code == 0, again.output
    # the progress bar goes to stderr: stdout holds the JSON only
    assert json.loads(again.stdout) == {"created": 0, "updated": 0, "unchanged": 2, "missing_labels": {}}
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_mapping_file_validation(tmp_path: Path):
    path = tmp_path / "m.json"
    path.write_text('{"fields": {"titre": ""}, "autre": 1}', encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        FieldMapping.load(path)
    assert {p.column for p in info.value.problems} == {"fields", "autre"}
    path.write_text('{"fields": {', encoding="utf-8")
    with pytest.raises(DemarcheNumeriqueError, match="JSON invalide ligne 1"):
        FieldMapping.load(path)


def test_fetch_reports_progress_with_the_platform_protocol(pages):
    calls = []
    with respx.mock(assert_all_called=True) as router:
        mock_pages(router, pages)
        client(page_size=1).fetch_dossiers(103363, progress=lambda done, total=None, message=None:
                                           calls.append((done, total, message)))
    # page 1 says one more page comes; page 2 is the last: 2 of 2
    assert calls == [(1, 2, "Lecture des dossiers : 1 reçus"), (2, 2, "Lecture des dossiers : 2 reçus")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_mapping_file_in_windows_encodings(tmp_path: Path, encoding: str):
    path = tmp_path / "m.json"
    path.write_text('{"fields": {"structure_name": "Dénomination de la structure"}}', encoding=encoding)
    assert FieldMapping.load(path).fields["structure_name"] == "Dénomination de la structure"


def test_missing_mapping_file_is_a_programme_error(tmp_path: Path):
    with pytest.raises(DemarcheNumeriqueError, match="introuvable"):
        FieldMapping.load(tmp_path / "absent.json")
