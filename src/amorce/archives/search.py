"""Exploration of a collection: the searchable text of a photo, dates as years, and « plus comme
celle-ci » (nearest neighbours by image features).

Text search is a folded substring match (accents, case and elisions ignored, :func:`amorce.core.text.fold`)
of every word of the query in one text per photo: its descriptive metadata and the text read in it
(OCR). The same query works on SQLite and PostgreSQL (a ``LIKE`` on an already folded column).

Similar images: cosine similarity of the stored EfficientNet-Lite0 features (``index.py``,
``--caracteristiques``), exact, ``O(n d)`` per query: a few milliseconds for ten thousand photos.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from amorce.core.text import fold

#: Metadata fields whose text is searched (canonical names of ``metadata.py``), in this order.
SEARCHED_FIELDS = ("title", "description", "subject", "creator", "date", "date_justification", "identifier",
                   "rights")
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_SPACES = re.compile(r"\s+")


def search_text(metadata: dict, ocr_text: str = "", key: str = "") -> str:
    """One folded text per photo: its file name, metadata (known fields first, then the others) and OCR text."""
    values = [key] + [str(metadata[f]) for f in SEARCHED_FIELDS if metadata.get(f)]
    values += [str(v) for k, v in sorted(metadata.items()) if k not in SEARCHED_FIELDS and v]
    values.append(ocr_text or "")
    return _SPACES.sub(" ", fold(" ".join(values))).strip()


def query_terms(query: str) -> list[str]:
    """The folded words of a query (each must appear in the photo's text)."""
    return [w for w in _SPACES.split(fold(query or "").strip()) if w][:20]


def year_of(value: str | None) -> int | None:
    """The first year (1000–2099) written in a date field (« vers 1905 », « 1898-1902 », « 12/03/1923 »)."""
    match = _YEAR.search(value or "")
    return int(match.group(1)) if match else None


def _signature(store: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted((store / "features").glob("part-*.parquet")))


@functools.lru_cache(maxsize=8)
def _normalised(store: str, signature: tuple):
    import numpy as np

    from .index import read_features

    keys, matrix = read_features(store)
    if matrix is None:
        return [], None, {}
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)  # in place: one copy in memory
    return keys, matrix, {k: i for i, k in enumerate(keys)}


def has_features(store: str | Path) -> bool:
    return bool(_signature(Path(store)))


def similar(store: str | Path, key: str, k: int = 12) -> list[tuple[str, float]]:
    """The ``k`` photos most like ``key`` (cosine similarity of their features, best first, itself
    excluded); ``[]`` when the collection has no features or ``key`` has none."""
    import numpy as np

    store = Path(store)
    keys, unit, position = _normalised(str(store), _signature(store))
    if unit is None or key not in position:
        return []
    scores = unit @ unit[position[key]]
    scores[position[key]] = -np.inf
    k = min(k, len(keys) - 1)
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(keys[i], float(scores[i])) for i in top]
