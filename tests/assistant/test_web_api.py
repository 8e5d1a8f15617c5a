"""JSON API of the assistant: public contract, no CSRF, rate limit, stored masked questions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from amorce.assistant.models import Exchange

from .test_web_chat import KEYS_QUESTION, OUT_OF_SCOPE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("assistant_settings")]


@pytest.fixture
def api():
    client = Client(enforce_csrf_checks=True)  # the public route must work without a CSRF token

    def post(payload: dict, **extra):
        return client.post("/api/assistant/ask", json.dumps(payload), content_type="application/json", **extra)

    return post


def test_ask_contract(api):
    response = api({"question": KEYS_QUESTION})
    assert response.status_code == 200, response.content
    body = response.json()
    # the original contract, and (added, so older clients read it unchanged) the turn's state
    assert set(body) == {"answer", "sources", "confidence", "refused", "mode", "follow_up", "conversation"}
    assert body["mode"] == "extractive" and body["follow_up"] is False and body["conversation"] is None
    assert body["refused"] is False and 0 < body["confidence"] <= 1
    assert body["sources"][0]["id"] == "F12244"
    for source in body["sources"]:
        assert set(source) == {"id", "title", "url", "score"}
        assert source["url"].startswith("https://www.service-public.fr/") and isinstance(source["score"], float)
    assert "double des clés" in body["answer"]
    stored = Exchange.objects.get()
    assert stored.via == "api" and stored.conversation is None and stored.top_fiche_id == "F12244"


def test_ask_refusal_audience_and_errors(api):
    refused = api({"question": OUT_OF_SCOPE}).json()
    assert refused["refused"] is True and refused["sources"] == []
    ok = api({"question": KEYS_QUESTION, "audience": "particuliers", "kb": "service-public"})
    assert ok.status_code == 200 and ok.json()["sources"][0]["id"] == "F12244"
    bad_audience = api({"question": KEYS_QUESTION, "audience": "martiens"})
    # invalid in the schema: refused with 422 and a French message saying which input
    assert bad_audience.status_code == 422 and "« audience » : valeur attendue" in bad_audience.json()["detail"]
    blank = api({"question": "   "})
    assert blank.status_code == 422 and "« question » : vide" in blank.json()["detail"]
    missing = api({"question": KEYS_QUESTION, "kb": "autre-base"})  # a base asked for and unknown: 404
    assert missing.status_code == 404 and "Aucune base" in missing.json()["detail"]
    assert api({"question": KEYS_QUESTION, "kb": "../etc"}).status_code == 422
    assert api({}).status_code == 422


def test_personal_data_is_masked_in_api_logs(api):
    api({"question": "mon mail est paul.durand@example.org et mon tel +33 6 12 34 56 78, " + KEYS_QUESTION})
    stored = Exchange.objects.get()
    assert "paul.durand" not in stored.question and "12 34 56 78" not in stored.question
    assert "[EMAIL]" in stored.question and "[TELEPHONE]" in stored.question


def test_rate_limit_answers_429_in_french(api, settings):
    settings.AMORCE_API_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert api({"question": KEYS_QUESTION}).status_code == 200
    response = api({"question": KEYS_QUESTION})
    assert response.status_code == 429 and "Trop de requêtes" in response.json()["detail"]
    assert Exchange.objects.count() == 3
    other = api({"question": KEYS_QUESTION}, REMOTE_ADDR="10.1.2.3")  # another client is not affected
    assert other.status_code == 200


def test_widget_page_and_info_route(client, settings, tmp_path):
    from amorce.assistant.privacy import AI_ACT_NOTICE

    info = client.get("/api/assistant/info").json()
    assert info == {"notice": AI_ACT_NOTICE, "notice_reference": info["notice_reference"], "ready": True}
    page = client.get("/assistant/integration/").content.decode()
    assert "data-amorce-assistant" in page and "assistant/widget.js" in page
    assert "AMORCE_ASSISTANT_CORS_ORIGINS" in page and "aucun domaine n'est autorisé" in page
    settings.AMORCE_ASSISTANT_CORS_ORIGINS = "https://partenaire.example"
    page = client.get("/assistant/integration/").content.decode()
    assert "1 domaine autorisé" in page and "partenaire.example" not in page  # the list is for administrators
    assert client.get("/static/assistant/widget.js").status_code == 200
    settings.AMORCE_DATA_DIR = tmp_path
    assert client.get("/api/assistant/info").json()["ready"] is False


def test_a_conversation_gets_follow_ups_and_clarifying_questions(api):
    first = api({"question": "et s'il veut visiter ?", "conversation": "new"}).json()
    assert first["mode"] == "clarification" and len(first["sources"]) == 3 and first["conversation"]
    key = first["conversation"]
    keys = api({"question": KEYS_QUESTION, "conversation": key}).json()
    assert keys["sources"][0]["id"] == "F12244" and keys["conversation"] == key
    follow = api({"question": "et s'il veut visiter ?", "conversation": key}).json()
    assert follow["follow_up"] is True and not follow["refused"] and follow["mode"] == "extractive"
    stored = Exchange.objects.order_by("pk")
    assert [e.conversation.key for e in stored] == [stored[0].conversation.key] * 3
    assert stored[2].search_query == f"{KEYS_QUESTION} et s'il veut visiter ?"
    unknown = api({"question": KEYS_QUESTION, "conversation": "pas-une-cle"})
    assert unknown.status_code == 404 and "Conversation inconnue" in unknown.json()["detail"]
