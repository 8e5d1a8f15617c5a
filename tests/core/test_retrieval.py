"""The shared retrieval pieces: the query-vector memo."""

from __future__ import annotations

import numpy as np
import pytest

from amorce.core.retrieval import QueryCache, group_best, rrf_scores


def test_query_cache_computes_once_shares_read_only_and_drops_the_least_recent() -> None:
    calls: list[str] = []

    def compute(text: str) -> np.ndarray:
        calls.append(text)
        return np.full(3, len(text), dtype=np.float32)

    cache = QueryCache(size=2)
    first = cache.get("a", compute)
    assert cache.get("a", compute) is first and calls == ["a"]
    with pytest.raises(ValueError):
        first[0] = 1.0  # shared by every caller: nobody may change it
    cache.get("bb", compute)
    cache.get("a", compute)  # « a » is now the most recent: « bb » leaves first
    cache.get("ccc", compute)
    assert len(cache) == 2
    cache.get("a", compute)
    cache.get("bb", compute)
    assert calls == ["a", "bb", "ccc", "bb"]


def test_group_best_and_rrf() -> None:
    best, where = group_best(np.array([0.1, 0.5, 0.2, 0.9, 0.3]), np.array([0, 2]))
    assert best.tolist() == pytest.approx([0.5, 0.9]) and where.tolist() == [1, 3]
    fused = rrf_scores(([2, 0, 1], [0, 2, 1]), k=60)
    assert max(fused, key=fused.get) in (0, 2) and fused[1] < fused[0]
