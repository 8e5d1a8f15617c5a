"""Generated answers through an OpenAI-compatible API, against a local fake server (no network)."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from amorce.assistant import LLMConfig, ask

QUESTION = "mon proprio peut il garder un double de mes clés ?"


class FakeOpenAI:
    """Serves /v1/chat/completions; ``behaviour`` decides the reply from the prompt."""

    def __init__(self) -> None:
        self.behaviour = "grounded"
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                content = owner.reply(body["messages"][-1]["content"])
                payload = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": content}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                raw = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reply(self, prompt: str) -> str:
        passage = re.search(r"\[1\][^\n]*\n([^\n]+)", prompt).group(1)
        if self.behaviour == "grounded":  # quotes passage 1, figures included
            return f"Selon la fiche : {passage} [1]"
        if self.behaviour == "invented_amount":
            return f"{passage} [1] Une pénalité de 437 € est due."
        if self.behaviour == "no_citation":
            return "Oui, bien sûr."
        return "JE NE SAIS PAS"


@pytest.fixture(scope="module")
def fake_llm():
    server = FakeOpenAI()
    yield server
    server.server.shutdown()


def test_grounded_generated_answer_with_citations(kb, fake_llm) -> None:
    fake_llm.behaviour = "grounded"
    reply = ask(QUESTION, kb, llm=LLMConfig(base_url=fake_llm.url, model="albert-test", api_key="secret"))
    assert reply.mode == "generated" and not reply.refused
    assert reply.answer.startswith("Selon la fiche") and "[1]" in reply.answer
    assert reply.sources[0]["id"] == "F12244"
    request = fake_llm.requests[-1]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer secret"
    assert request["body"]["model"] == "albert-test"
    assert "UNIQUEMENT à partir des extraits" in request["body"]["messages"][0]["content"]
    assert QUESTION in request["body"]["messages"][1]["content"]


def test_an_invented_amount_is_caught_in_code(kb, fake_llm) -> None:
    fake_llm.behaviour = "invented_amount"
    reply = ask(QUESTION, kb, llm=LLMConfig(base_url=fake_llm.url, model="m"))
    assert reply.mode == "extractive" and "437" not in reply.answer
    assert any("437" in w for w in reply.warnings)
    assert reply.sources[0]["id"] == "F12244"


def test_answer_without_citation_is_discarded(kb, fake_llm) -> None:
    fake_llm.behaviour = "no_citation"
    reply = ask(QUESTION, kb, llm=LLMConfig(base_url=fake_llm.url, model="m"))
    assert reply.mode == "extractive" and reply.warnings


def test_model_refusal_is_honoured(kb, fake_llm) -> None:
    fake_llm.behaviour = "refuse"
    reply = ask(QUESTION, kb, llm=LLMConfig(base_url=fake_llm.url, model="m"))
    assert reply.refused and reply.sources == []


def test_unreachable_model_falls_back_to_extractive(kb) -> None:
    reply = ask(QUESTION, kb, llm=LLMConfig(base_url="http://127.0.0.1:9/v1", model="m", timeout=2))
    assert reply.mode == "extractive" and not reply.refused and reply.warnings


def test_llm_configuration_from_environment() -> None:
    from amorce.assistant.config import AssistantConfigError, from_environ

    assert from_environ({}).llm is None
    assert from_environ({"LLM_BASE_URL": ""}).llm is None  # empty: no language model
    config = from_environ({"LLM_BASE_URL": "http://h/v1", "LLM_MODEL": "m", "LLM_API_KEY": "k"}).llm
    assert (config.base_url, config.model, config.api_key) == ("http://h/v1", "m", "k")
    with pytest.raises(AssistantConfigError, match="LLM_MODEL manque"):
        from_environ({"LLM_BASE_URL": "http://h/v1"})
