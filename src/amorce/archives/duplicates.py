"""Duplicates and near-duplicates: candidate pairs from perceptual hashes (BK-tree, sub-quadratic)
and from image features (cosine similarity), grouped with union-find, one master per group.

Rules (stated to the cataloguer, docs/archives.md):

* two images are duplicates when their pHash differ by at most ``phash_radius`` bits **and** their
  dHash by at most ``dhash_radius`` bits — the mirror hashes of one against the plain hashes of the
  other count too (a mirrored print matches its negative);
* when features are available, two images are also near-duplicates when the cosine similarity of
  their features is at least ``cosine`` (crops, strong tints, prints of a negative);
* the **master** of a group is the image with the most pixels, then the largest file, then the
  oldest (earliest modification date), then the first key in alphabetical order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .hashing import hamming

PHASH_RADIUS = 12
DHASH_RADIUS = 16
COSINE = 0.90


class BKTree:
    """Burkhard-Keller tree over 64-bit hashes with the Hamming distance.

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


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    reason: str  # "phash", "phash-miroir" or "features"
    score: float


def hash_pairs(rows: Sequence[dict], *, phash_radius: int = PHASH_RADIUS,
               dhash_radius: int = DHASH_RADIUS) -> list[Pair]:
    """Pairs of rows whose hashes (or mirror hashes) are within the radii."""
    tree = BKTree()
    for i, row in enumerate(rows):
        tree.add(row["phash"], i)
    pairs: dict[tuple[int, int], Pair] = {}
    for i, row in enumerate(rows):
        for probe, dprobe, reason in ((row["phash"], row["dhash"], "phash"),
                                      (row["phash_mirror"], row["dhash_mirror"], "phash-miroir")):
            for j, distance in tree.query(probe, phash_radius):
                if j == i or (min(i, j), max(i, j)) in pairs:
                    continue
                if hamming(dprobe, rows[j]["dhash"]) <= dhash_radius:
                    pairs[(min(i, j), max(i, j))] = Pair(min(i, j), max(i, j), reason, float(distance))
    return list(pairs.values())


def feature_pairs(matrix, *, cosine: float = COSINE, block: int = 2048, top_k: int = 20) -> list[Pair]:
    """Pairs whose feature cosine similarity is at least ``cosine`` (each row's ``top_k`` nearest).

    Computed by blocks of rows (memory ``block × n``); an ANN index is the scale path beyond a
    few hundred thousand images.
    """
    import numpy as np

    x = np.asarray(matrix, dtype=np.float32)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    n = len(x)
    k = min(top_k + 1, n)
    pairs: dict[tuple[int, int], Pair] = {}
    for start in range(0, n, block):
        sims = x[start:start + block] @ x.T
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for row_offset, candidates in enumerate(nearest):
            i = start + row_offset
            for j in candidates:
                j = int(j)
                score = float(sims[row_offset, j])
                if j != i and score >= cosine and (min(i, j), max(i, j)) not in pairs:
                    pairs[(min(i, j), max(i, j))] = Pair(min(i, j), max(i, j), "features", score)
    return list(pairs.values())


def master_key(row: dict) -> tuple:
    """Sort key of the master rule: most pixels, largest file, oldest, first key."""
    pixels = (row.get("width") or 0) * (row.get("height") or 0)
    return (-pixels, -(row.get("bytes") or 0), row.get("mtime_ns") or 0, row["key"])


@dataclass(frozen=True)
class Group:
    number: int
    members: tuple[int, ...]  # row indices, master first
    master: int


def group_pairs(rows: Sequence[dict], pairs: Iterable[Pair]) -> list[Group]:
    """Connected components of the pairs (groups of 2 or more), numbered from 1 by master key."""
    uf = UnionFind(len(rows))
    for pair in pairs:
        uf.union(pair.a, pair.b)
    components: dict[int, list[int]] = {}
    for i in range(len(rows)):
        components.setdefault(uf.find(i), []).append(i)
    groups = []
    for members in components.values():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda i: master_key(rows[i]))
        groups.append(ordered)
    groups.sort(key=lambda m: rows[m[0]]["key"])
    return [Group(number=n, members=tuple(m), master=m[0]) for n, m in enumerate(groups, start=1)]


def find_duplicates(rows: Sequence[dict], features=None, feature_keys: Sequence[str] | None = None, *,
                    phash_radius: int = PHASH_RADIUS, dhash_radius: int = DHASH_RADIUS,
                    cosine: float | None = COSINE) -> tuple[list[dict], list[Group], list[Pair]]:
    """Groups of duplicates among the indexed rows (rows with an error are left out).

    ``features`` (optional) is a matrix whose rows follow ``feature_keys``; images without features
    are compared by their hashes only. Returns the rows used, the groups and the pairs.
    """
    usable = [r for r in rows if not r.get("error") and r.get("phash") is not None]
    pairs = hash_pairs(usable, phash_radius=phash_radius, dhash_radius=dhash_radius)
    if features is not None and cosine is not None and feature_keys:
        position = {r["key"]: i for i, r in enumerate(usable)}
        keep = [(position[k], n) for n, k in enumerate(feature_keys) if k in position]
        if len(keep) > 1:
            import numpy as np

            matrix = np.asarray(features)[[n for _i, n in keep]]
            for p in feature_pairs(matrix, cosine=cosine):
                pairs.append(Pair(keep[p.a][0], keep[p.b][0], p.reason, p.score))
    return usable, group_pairs(usable, pairs), pairs


def write_groups_csv(path: str | Path, rows: Sequence[dict], groups: Sequence[Group]) -> int:
    """CSV ``group,file,master``: one row per image in a group; ``master`` is the master's file.

    Written to a temporary name and renamed (no partial file). Returns the number of rows.
    """
    from amorce.core.files import atomic_write

    count = 0
    with atomic_write(path, "w", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["group", "file", "master"])
        for group in groups:
            for member in group.members:
                writer.writerow([group.number, rows[member]["key"], rows[group.master]["key"]])
                count += 1
    return count
