"""JSON API of the decisions use case: pseudonymise a text, similar decisions, objectivation;
roles, rate limit, French errors."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from amorce.decisions.models import Decision
from amorce.web.models import AuditEvent

from .test_web_review import TEXT_1, _import

pytestmark = pytest.mark.django_db

API = "/api/decisions"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reviewer(client_as):
    return client_as("magistrat_greffier")


def _post(client, path, payload):
    return client.post(f"{API}{path}", payload, content_type="application/json")


def test_api_needs_login_and_the_decisions_role(client, client_as):
    assert _post(client, "/pseudonymiser", {"text": TEXT_1}).status_code == 401
    inspector = client_as("inspecteur")
    response = _post(inspector, "/pseudonymiser", {"text": TEXT_1})
    assert response.status_code == 403
    assert "rôle" in response.json()["detail"]
    assert inspector.get(f"{API}/similaires", {"q": "licenciement"}).status_code == 403


def test_pseudonymise_answers_in_the_cli_shape(reviewer):
    response = _post(reviewer, "/pseudonymiser", {"text": TEXT_1, "id": "CA-1"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"id", "text_pseudonymised", "entities"} and body["id"] == "CA-1"
    assert "QUILLIVIC" not in body["text_pseudonymised"] and "MARZIN" in body["text_pseudonymised"]
    pieces, pos = [], 0
    for ent in body["entities"]:
        assert TEXT_1[ent["start"] : ent["end"]] == ent["text"]
        assert set(ent) == {"start", "end", "category", "text", "replacement", "doubt", "source"}
        if ent["replacement"] is not None:
            pieces += [TEXT_1[pos : ent["start"]], ent["replacement"]]
            pos = ent["end"]
    assert "".join(pieces) + TEXT_1[pos:] == body["text_pseudonymised"]
    judge = [e for e in body["entities"] if e["text"] == "LE BIHAN"]
    assert judge and judge[0]["replacement"] is None

    event = AuditEvent.objects.get(action="decisions_api_pseudonymisation")
    assert event.object_id == "CA-1" and event.details["caracteres"] == len(TEXT_1)
    assert "QUILLIVIC" not in str(event.details)

    everything = _post(reviewer, "/pseudonymiser", {"text": TEXT_1, "keep": []}).json()
    assert "LE BIHAN" not in everything["text_pseudonymised"]


def test_pseudonymise_refuses_bad_input_in_french(reviewer):
    # invalid in the schema (blank text, unknown category, too long): 422, a French line per input
    blank = _post(reviewer, "/pseudonymiser", {"text": "   "})
    assert blank.status_code == 422 and blank.json()["errors"] == ["corps « text » : vide ou fait seulement d'espaces"]
    response = _post(reviewer, "/pseudonymiser", {"text": TEXT_1, "keep": ["juge"]})
    assert response.status_code == 422 and "« keep.0 » : valeur attendue" in response.json()["detail"]
    response = _post(reviewer, "/pseudonymiser", {"text": "x" * 500_001})
    assert response.status_code == 422 and "au plus 500\u202f000 caractères" in response.json()["detail"]


def test_pseudonymise_is_rate_limited_per_user(reviewer, settings):
    settings.AMORCE_API_RATE_LIMIT = "2/m"
    for _ in range(2):
        assert _post(reviewer, "/pseudonymiser", {"text": "M. Jean DUPONT est appelant."}).status_code == 200
    response = _post(reviewer, "/pseudonymiser", {"text": "M. Jean DUPONT est appelant."})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Trop de requêtes" in response.json()["detail"]


AWARDS = {
    "CA-10": ("licenciement sans cause réelle et sérieuse d'un brasseur, obligation de reclassement", 1500),
    "CA-11": ("licenciement pour inaptitude d'une vendeuse, obligation de reclassement méconnue", 2000),
    "CA-12": ("licenciement économique d'un cariste, reclassement interne", 3000),
    "TJ-13": ("expulsion d'un locataire pour loyers impayés, bail d'habitation", 800),
}


@pytest.fixture
def stored(reviewer):
    rows = []
    for ident, (facts, amount) in AWARDS.items():
        text = (
            f"COUR D'APPEL DE RENNES\nAPPELANT :\nMonsieur Gaëtan QUILLIVIC{ident[-1]}, demeurant 14, rue des "
            f"Genêts, 29000 Quimper\nLe litige porte sur un {facts}.\nPAR CES MOTIFS\nCondamne la société à "
            f"payer à M. QUILLIVIC{ident[-1]} la somme de {amount} euros au titre de l'article 700 du code de "
            "procédure civile.\n"
        )
        rows.append(
            {
                "id": ident,
                "text": text,
                "jurisdiction": "Cour d'appel de Rennes"
                if ident.startswith("CA")
                else "Tribunal judiciaire de Lyon",
                "decision_date": "2024-03-14",
            }
        )
    _import(reviewer, rows)
    return rows


def test_similar_decisions_on_pseudonymised_texts_with_filters(reviewer, stored):
    response = reviewer.get(f"{API}/similaires", {"q": "obligation de reclassement", "mode": "lexical"})
    assert response.status_code == 200, response.content
    hits = response.json()
    assert [h["id"] for h in hits][:2] == ["CA-11", "CA-10"] or {h["id"] for h in hits[:2]} == {
        "CA-10",
        "CA-11",
    }
    assert all("QUILLIVIC" not in h["passage"] for h in hits)
    first = hits[0]
    assert first["url"] == f"/decisions/{Decision.objects.get(external_id=first['id']).pk}/"
    assert any(first["passage"][s:e].lower() == "reclassement" for s, e in first["highlights"])
    only_lyon = reviewer.get(
        f"{API}/similaires", {"q": "licenciement loyers", "mode": "lexical", "jurisdiction": "Lyon"}
    ).json()
    assert [h["id"] for h in only_lyon] == ["TJ-13"]
    assert reviewer.get(f"{API}/similaires", {"q": " "}).status_code == 422


def test_objectivation_gives_a_distribution_never_a_single_figure(reviewer, stored):
    response = _post(
        reviewer,
        "/objectivation",
        {"description": "licenciement et reclassement", "kind": "article_700", "k": 3, "mode": "lexical"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["comparable"] == 3 and body["stats"]["count"] == 3
    assert body["stats"]["median"] == 2000 and body["stats"]["min"] == 1500 and body["stats"]["max"] == 3000
    assert {d["id"] for d in body["decisions"]} == {"CA-10", "CA-11", "CA-12"}
    assert any("Moins de 10 valeurs" in line for line in body["limits"])
    assert body["this_decision"] is None

    own = _post(
        reviewer,
        "/objectivation",
        {
            "decision_id": "CA-11",
            "kind": "article_700",
            "k": 2,
            "mode": "lexical",
            "filters": {"jurisdiction": "Rennes"},
        },
    ).json()
    assert own["this_decision"] == [2000]
    assert "CA-11" not in {d["id"] for d in own["decisions"]} and own["comparable"] == 2


def test_objectivation_errors_are_french(reviewer, stored):
    both = _post(reviewer, "/objectivation", {"decision_id": "CA-10", "description": "x"})
    assert both.status_code == 422 and "soit decision_id, soit description" in both.json()["detail"]
    assert _post(reviewer, "/objectivation", {}).status_code == 422
    unknown = _post(reviewer, "/objectivation", {"description": "licenciement", "kind": "bonus"})
    assert unknown.status_code == 422 and "« kind » : valeur attendue" in unknown.json()["detail"]
    missing = _post(reviewer, "/objectivation", {"decision_id": "NOPE", "kind": "article_700"})
    assert missing.status_code == 404 and "introuvable" in missing.json()["detail"]


def test_default_hybrid_search_answers_with_embeddings_loaded(reviewer, stored):
    hits = reviewer.get(f"{API}/similaires", {"q": "reclassement du salarié licencié", "k": 2}).json()
    assert {h["id"] for h in hits} <= {"CA-10", "CA-11", "CA-12"} and len(hits) == 2
    assert all(h["metadata"]["status"] for h in hits)
