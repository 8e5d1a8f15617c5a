"""Persisted knowledge base: incremental re-indexing and atomic replacement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amorce.assistant import KnowledgeBase, index_source
from amorce.core.errors import DataValidationError


def _write(folder: Path, name: str, title: str, body: str) -> None:
    (folder / name).write_text(f"# {title}\n\n## Démarche\n\n{body}\n", encoding="utf-8")


def test_incremental_reindex_only_embeds_changed_documents(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "horaires.md", "Horaires de la mairie", "La mairie est ouverte du lundi au vendredi.")
    _write(docs, "cantine.md", "Inscription à la cantine", "L'inscription se fait en ligne avant le 1er septembre.")
    _write(docs, "dechets.md", "Collecte des encombrants", "Prenez rendez-vous pour l'enlèvement des encombrants.")
    root = tmp_path / "data"

    reports: list[tuple[float, str]] = []
    first = index_source(docs, "mairie", root=root,
                         progress=lambda done, total=None, message=None: reports.append(
                             (done / total if total else done, message)))
    # one progress protocol (amorce.core.progress): one rising fraction that ends at 1, stages in French
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and fractions[0] < 0.1
    assert [m.split(" :")[0] for m in dict.fromkeys(m for _, m in reports)][0] == "Lecture des documents"
    assert {"Calcul des vecteurs des passages", "Vecteurs e5 des titres", "Index lexical (BM25)"} <= {
        m.split(" :")[0] for _, m in reports}
    assert (first.added, first.documents, first.embedded_chunks, first.e5_documents) == (3, 3, first.chunks, 3)
    version = (root / "assistant" / "mairie" / "CURRENT").read_text()

    again = index_source(docs, "mairie", root=root)
    assert (again.added, again.updated, again.unchanged, again.embedded_chunks, again.e5_documents) == (0, 0, 3, 0, 0)

    _write(docs, "cantine.md", "Inscription à la cantine", "L'inscription se fait en mairie avant le 15 août.")
    (docs / "dechets.md").unlink()
    third = index_source(docs, "mairie", root=root)
    assert (third.updated, third.unchanged, third.removed, third.documents) == (1, 1, 1, 2)
    assert third.embedded_chunks == 2  # header + section of the changed document only
    assert third.e5_documents == 0  # e5 embeds the title, which did not change
    live = root / "assistant" / "mairie"
    assert (live / "CURRENT").read_text() != version
    assert [p.name for p in live.iterdir() if p.is_dir()] == [(live / "CURRENT").read_text()]

    kb = KnowledgeBase.open("mairie", root=root)
    hit = kb.search("quand m'inscrire à la cantine ?", k=1).hits[0]
    assert hit.title == "Inscription à la cantine"
    assert "15 août" in kb.chunks[kb.document(hit.key)["chunks"][1] - 1]["text"]
    assert kb.e5_vectors.shape == (2, 384)
    cantine = kb.keys.index(hit.key)
    assert kb.e5_vectors[cantine] @ kb.e5.query("cantine scolaire") > kb.e5_vectors[1 - cantine] @ kb.e5.query(
        "cantine scolaire")


def test_a_base_without_e5_vectors_still_loads_and_gets_them_at_its_next_reindex(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "horaires.md", "Horaires de la mairie", "La mairie est ouverte du lundi au vendredi.")
    _write(docs, "cantine.md", "Inscription à la cantine", "L'inscription se fait en ligne avant le 1er septembre.")
    root = tmp_path / "data"
    index_source(docs, "ancienne", root=root)
    live = root / "assistant" / "ancienne"
    version = live / (live / "CURRENT").read_text()
    (version / "e5.npy").unlink()  # as written before e5 vectors existed
    manifest = json.loads((version / "manifest.json").read_text())
    del manifest["e5"]
    (version / "manifest.json").write_text(json.dumps(manifest))

    kb = KnowledgeBase.open("ancienne", root=root)
    assert kb.e5_vectors is None and "e5" not in kb.feature_names
    assert kb.fusion() is kb.calibration["fusion_sans_e5"]  # the shipped reranker fitted without e5
    result = kb.search("quand m'inscrire à la cantine ?", k=1)
    assert result.hits[0].title == "Inscription à la cantine"
    assert result.candidate_features.shape[1] == len(kb.feature_names)

    again = index_source(docs, "ancienne", root=root)
    assert (again.unchanged, again.embedded_chunks, again.e5_documents) == (2, 0, 2)
    kb = KnowledgeBase.open("ancienne", root=root)
    assert kb.e5_vectors.shape == (2, 384) and kb.fusion() is kb.calibration["fusion"]


def test_a_bad_source_leaves_the_previous_index_untouched(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "a.md", "Titre A", "Texte A.")
    root = tmp_path / "data"
    index_source(docs, "kb", root=root)
    live = root / "assistant" / "kb"
    before = (live / "CURRENT").read_text()
    manifest = json.loads((live / before / "manifest.json").read_text())
    (docs / "b.jsonl").write_text('{"id": "X"}\n', encoding="utf-8")
    with pytest.raises(DataValidationError):
        index_source(docs, "kb", root=root)
    assert (live / "CURRENT").read_text() == before
    assert json.loads((live / before / "manifest.json").read_text()) == manifest


def test_concurrent_indexing_is_refused_in_french_and_a_crashed_one_blocks_nothing(tmp_path: Path) -> None:
    import fcntl

    from amorce.assistant import AssistantError

    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "a.md", "Titre A", "Texte A.")
    root = tmp_path / "data"
    lock = root / "assistant" / "kb" / ".index.lock"
    lock.parent.mkdir(parents=True)
    # A crashed indexer leaves its lock file behind, but no lock on it: the next run goes ahead.
    lock.write_text("12345")
    assert index_source(docs, "kb", root=root).added == 1
    # A running indexer holds the lock: a second run is refused, then works once it is released.
    _write(docs, "b.md", "Titre B", "Texte B.")
    with lock.open("a") as running:
        fcntl.flock(running.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(AssistantError, match="déjà en cours"):
            index_source(docs, "kb", root=root)
        fcntl.flock(running.fileno(), fcntl.LOCK_UN)
    assert index_source(docs, "kb", root=root).added == 1
