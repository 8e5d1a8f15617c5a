"""The same conversation gets the same answers through the web chat, the API and the command line
(one service: :func:`amorce.assistant.conversation.respond`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from amorce.assistant.models import Exchange
from amorce.cli import app

from .test_web_chat import KEYS_QUESTION, OUT_OF_SCOPE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("assistant_settings")]

# A follow-up alone (asked back), a full question, its follow-up, an ambiguous question (the search
# hesitates: « which of these fiches ? »), the title picked among the suggestions, and an out-of-scope one.
CONVERSATION = ["et s'il veut visiter ?", KEYS_QUESTION, "et s'il veut visiter ?", "le proprio peut il rentrer chez moi ?",
                None, OUT_OF_SCOPE]


def state(answer: dict) -> tuple:
    return (answer["mode"], answer["refused"], answer["follow_up"], [s["id"] for s in answer["sources"]])


def exchange_state(exchange: Exchange) -> tuple:
    from amorce.assistant.conversation import CLARIFYING_TEXTS, HESITATION_TEXT

    mode = "clarification" if exchange.answer in CLARIFYING_TEXTS else "refused" if exchange.refused else "extractive"
    assert exchange.answer != HESITATION_TEXT or mode == "clarification"
    return (mode, exchange.refused, exchange.follow_up, [s["id"] for s in exchange.sources])


def questions(previous_sources: list[dict], question: str | None) -> str:
    """``None`` stands for « the user picks the suggestion about the landlord's visits (F1857) »."""
    return question if question is not None else next(s["title"] for s in previous_sources if s["id"] == "F1857")


def test_web_chat_api_and_command_line_answer_a_conversation_alike(kb_dir: Path, tmp_path: Path, monkeypatch):
    # web chat (session)
    web, asked = Client(), []
    for question in CONVERSATION:
        question = questions(Exchange.objects.filter(via="web").last().sources if asked else [], question)
        asked.append(question)
        assert web.post("/assistant/", {"question": question}).status_code == 302
    web_states = [exchange_state(e) for e in Exchange.objects.filter(via="web").order_by("pk")]

    # API (conversation key)
    api, key, api_states = Client(), "new", []
    for question in asked:
        body = api.post("/api/assistant/ask", json.dumps({"question": question, "conversation": key}),
                        content_type="application/json").json()
        key = body["conversation"]
        api_states.append(state(body))

    # command line: several questions in one call, then the same conversation carried by a file
    monkeypatch.setenv("AMORCE_DATA_DIR", str(kb_dir))
    monkeypatch.delenv("LLM_BASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["assistant", "ask", *asked, "--json"])
    assert result.exit_code == 0, result.output
    cli_states = [state(answer) for answer in json.loads(result.stdout)]
    conversation = tmp_path / "conversation.json"
    file_states = []
    for question in asked:
        result = runner.invoke(app, ["assistant", "ask", question, "--conversation", str(conversation), "--json"])
        assert result.exit_code == 0, result.output
        file_states.append(state(json.loads(result.stdout)))

    assert web_states[0][0] == "clarification" and web_states[1][3][0] == "F12244"
    assert web_states[2][2] is True and web_states[3][0] == "clarification"
    assert web_states[4][:3] == ("extractive", False, False) and web_states[4][3][0] == "F1857"
    assert web_states[5][:2] == ("refused", True)
    assert api_states == web_states
    assert cli_states == web_states
    assert file_states == web_states
    saved = json.loads(conversation.read_text(encoding="utf-8"))
    assert len(saved["turns"]) == len(asked) and saved["kb"] == "service-public"


def test_direct_questions_are_answered_alone_like_one_shot_api_calls(kb_dir: Path, monkeypatch):
    monkeypatch.setenv("AMORCE_DATA_DIR", str(kb_dir))
    monkeypatch.delenv("LLM_BASE_URL", raising=False)
    api = Client()
    one_shot = [state(api.post("/api/assistant/ask", json.dumps({"question": q}), content_type="application/json")
                      .json()) for q in ("loyer", "et s'il veut visiter ?")]
    result = CliRunner().invoke(app, ["assistant", "ask", "loyer", "et s'il veut visiter ?", "--direct", "--json"])
    assert result.exit_code == 0, result.output
    assert [state(a) for a in json.loads(result.stdout)] == one_shot
    assert all(s[0] != "clarification" and s[2] is False for s in one_shot)


def test_unreadable_conversation_file_is_a_french_error(kb_dir: Path, tmp_path: Path, monkeypatch):
    from amorce.assistant import AssistantError

    monkeypatch.setenv("AMORCE_DATA_DIR", str(kb_dir))
    bad = tmp_path / "conversation.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = CliRunner().invoke(app, ["assistant", "ask", KEYS_QUESTION, "--conversation", str(bad)])
    assert isinstance(result.exception, AssistantError) and "illisible" in result.exception.message
