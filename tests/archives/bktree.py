"""The BK-tree the archives used before multi-index hashing: a reference the tests compare it with."""

from __future__ import annotations

from amorce.archives.hashing import hamming


class BKTree:
    """Burkhard-Keller tree over 64-bit hashes with the Hamming distance: the product's former hash
    search, kept here as the tests' reference for :mod:`amorce.archives.hashindex` (about a thousand
    times slower at radius 12; docs/benchmarks.md).

    A radius query visits only the children whose edge distance lies within ``d ± radius``
    (triangle inequality), far fewer than all nodes for small radii.
    """

    def __init__(self) -> None:
        self._root: list | None = None  # node = [hash, [ids], {distance: child}]
        self.size = 0

    def add(self, value: int, ident: int) -> None:
        self.size += 1
        if self._root is None:
            self._root = [value, [ident], {}]
            return
        node = self._root
        while True:
            distance = hamming(value, node[0])
            if distance == 0:
                node[1].append(ident)
                return
            child = node[2].get(distance)
            if child is None:
                node[2][distance] = [value, [ident], {}]
                return
            node = child

    def query(self, value: int, radius: int) -> list[tuple[int, int]]:
        """``(id, distance)`` of every stored hash within ``radius`` bits of ``value``."""
        if self._root is None:
            return []
        found, stack = [], [self._root]
        while stack:
            node = stack.pop()
            distance = hamming(value, node[0])
            if distance <= radius:
                found.extend((ident, distance) for ident in node[1])
            low, high = distance - radius, distance + radius
            stack.extend(child for edge, child in node[2].items() if low <= edge <= high)
        return found
