"""Duplicates and near-duplicates: candidate pairs from perceptual hashes (multi-index hashing, sub-quadratic)
and from image features (cosine similarity), grouped with union-find, one master per group.

Rules (stated to the cataloguer, docs/archives.md):

* two images are duplicates when their pHash differ by at most ``phash_radius`` bits **and** their
  dHash by at most ``dhash_radius`` bits — the hashes of one in its eight orientations (plain,
  mirror, quarter turns) against the plain hashes of the other (a mirrored print matches its
  negative, a plate scanned the wrong way up its print);
* when features are available, two images are also near-duplicates when the cosine similarity of
  their features is at least ``cosine`` (strong tints, prints of a negative), or when it is at least
  ``cosine_candidate`` **and** one image, reduced, is found inside the other by normalised
  correlation of their grey thumbnails with a score of at least ``match`` (crops: the feature
  similarity of a crop is often no higher than that of two views of the same kind of monument).

Scale: the hash search goes through multi-index hashing (:mod:`.hashindex`, compiled, exact; a
million images in about 100 MB, docs/benchmarks.md « collection simulée »); the feature search is exact, by
blocks of rows (numpy, ``block × n`` similarities in memory, ``O(n² d)`` time: seconds for ten
thousand images, hours for a million — docs/benchmarks.md gives the measured figure and its
extrapolation); beyond a few hundred thousand images the candidates come from an approximate
index or from blocks (one fonds, one hash neighbourhood) instead. The correlation check costs about
a millisecond per candidate pair and only runs on the few pairs between the two cosine thresholds.
* the **master** of a group is the image with the most pixels, then the largest file, then the
  oldest (earliest modification date), then the first key in alphabetical order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PHASH_RADIUS = 12
DHASH_RADIUS = 16
# chosen on one half of the generated variants of the heritage photos (benchmarks/archives_duplicates.py)
COSINE = 0.94
COSINE_CANDIDATE = 0.75
MATCH = 0.80
MATCH_SIDE = 64  # thumbnails are compared at this many pixels on their longer side
MATCH_SCALES = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)


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
    reason: str  # "phash", "phash-miroir", "phash-rotation", "features" or "features-verifiees"
    score: float


def orientations(row: dict) -> list[tuple[int, int, str]]:
    """``(phash, dhash, reason)`` of an indexed row in each orientation it was hashed in."""
    out = [(row["phash"], row["dhash"], "phash"), (row["phash_mirror"], row["dhash_mirror"], "phash-miroir")]
    turns = zip(row.get("phash_turns") or (), row.get("dhash_turns") or (), strict=True)
    return out + [(p, d, "phash-rotation") for p, d in turns]


def hash_pairs(rows: Sequence[dict], *, phash_radius: int = PHASH_RADIUS,
               dhash_radius: int = DHASH_RADIUS) -> list[Pair]:
    """Pairs of rows whose hashes (in one of the orientations of one of them) are within the radii,
    found by multi-index hashing (:mod:`.hashindex`: exact, sub-quadratic)."""
    import numpy as np

    from .hashindex import oriented_pairs

    if len(rows) < 2:
        return []
    probe_row, probe_turn, probes, seconds = [], [], [], []
    for i, row in enumerate(rows):
        for turn, (p, d, _reason) in enumerate(orientations(row)):
            probe_row.append(i)
            probe_turn.append(turn)
            probes.append(p)
            seconds.append(d)
    plain = np.fromiter((r["phash"] for r in rows), dtype=np.uint64, count=len(rows))
    plain_second = np.fromiter((r["dhash"] for r in rows), dtype=np.uint64, count=len(rows))
    a, b, turn, distance = oriented_pairs(plain, plain_second, np.asarray(probe_row), np.asarray(probe_turn),
                                          np.asarray(probes, dtype=np.uint64), np.asarray(seconds, dtype=np.uint64),
                                          radius=phash_radius, second_radius=dhash_radius)
    return [Pair(int(x), int(y), _TURN_REASONS[min(int(t), 2)], float(dist))
            for x, y, t, dist in zip(a, b, turn, distance, strict=True)]


_TURN_REASONS = ("phash", "phash-miroir", "phash-rotation")


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


def match_grid(path: str | Path):
    """A grey thumbnail as float32, at most ``MATCH_SIDE`` pixels on its longer side (``None``: unreadable)."""
    import cv2
    import numpy as np

    grey = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return None
    h, w = grey.shape
    scale = MATCH_SIDE / max(h, w)
    size = (max(8, round(w * scale)), max(8, round(h * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA).astype(np.float32)


def match_score(a, b) -> float:
    """Whether one image is (a reduced view of) a part of the other: the best normalised correlation of
    either grid, reduced to each of ``MATCH_SCALES`` of the other's size, slid over the other (−1 … 1)."""
    import cv2

    best = -1.0
    for big, small in ((a, b), (b, a)):
        for scale in MATCH_SCALES:
            size = (max(4, round(big.shape[1] * scale)), max(4, round(big.shape[0] * scale)))
            template = cv2.resize(small, size, interpolation=cv2.INTER_AREA)
            if template.std() < 1e-3:  # a flat template correlates with nothing
                continue
            best = max(best, float(cv2.matchTemplate(big, template, cv2.TM_CCOEFF_NORMED).max()))
    return best


@dataclass
class Candidate:
    """A pair of images worth deciding on, with every measure the decision rule needs."""

    a: int
    b: int
    hash_reason: str | None = None  # set when the hashes match within the radii
    hash_distance: int = 64
    cosine: float | None = None
    match: float | None = None  # correlation check, when it was run


def candidates(rows: Sequence[dict], features=None, feature_keys: Sequence[str] | None = None, *,
               store: str | Path | None = None, phash_radius: int = PHASH_RADIUS, dhash_radius: int = DHASH_RADIUS,
               cosine_candidate: float = COSINE_CANDIDATE, verify_below: float = COSINE) -> list[Candidate]:
    """Candidate pairs of ``rows``: from the hashes (multi-index hashing) and from the features (cosine at least
    ``cosine_candidate``); pairs the hashes do not join and whose cosine is below ``verify_below`` get the
    correlation check on their thumbnails in ``store`` (none without a store)."""
    import numpy as np

    found: dict[tuple[int, int], Candidate] = {}
    for p in hash_pairs(rows, phash_radius=phash_radius, dhash_radius=dhash_radius):
        found[(p.a, p.b)] = Candidate(p.a, p.b, hash_reason=p.reason, hash_distance=int(p.score))
    if features is None or not feature_keys:
        return list(found.values())
    position = {r["key"]: i for i, r in enumerate(rows)}
    keep = [(position[k], n) for n, k in enumerate(feature_keys) if k in position]
    if len(keep) < 2:
        return list(found.values())
    matrix = np.asarray(features, dtype=np.float32)[[n for _i, n in keep]]
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    row_of = [i for i, _n in keep]
    slot = {i: s for s, i in enumerate(row_of)}
    for cand in found.values():
        if cand.a in slot and cand.b in slot:
            cand.cosine = float(matrix[slot[cand.a]] @ matrix[slot[cand.b]])
    for p in feature_pairs(matrix, cosine=cosine_candidate):
        a, b = sorted((row_of[p.a], row_of[p.b]))
        found.setdefault((a, b), Candidate(a, b)).cosine = p.score
    if store is not None:
        from .index import thumb_path

        grids: dict[int, object] = {}

        def grid(i):
            if i not in grids:
                grids[i] = match_grid(thumb_path(Path(store), rows[i]["key"]))
            return grids[i]

        for cand in found.values():
            if cand.hash_reason is None and cand.cosine is not None and cand.cosine < verify_below:
                ga, gb = grid(cand.a), grid(cand.b)
                if ga is not None and gb is not None:
                    cand.match = match_score(ga, gb)
    return list(found.values())


def decide(found: Iterable[Candidate], *, cosine: float | None = COSINE, cosine_candidate: float = COSINE_CANDIDATE,
           match: float | None = MATCH, use_hashes: bool = True) -> list[Pair]:
    """The pairs the stated rules accept among the candidates (``cosine=None``: hashes only)."""
    pairs = []
    for c in found:
        if use_hashes and c.hash_reason:
            pairs.append(Pair(c.a, c.b, c.hash_reason, float(c.hash_distance)))
        elif cosine is not None and c.cosine is not None and c.cosine >= cosine:
            pairs.append(Pair(c.a, c.b, "features", c.cosine))
        elif (match is not None and c.match is not None and c.cosine is not None and c.cosine >= cosine_candidate
              and c.match >= match):
            pairs.append(Pair(c.a, c.b, "features-verifiees", c.cosine))
    return pairs


def find_duplicates(rows: Sequence[dict], features=None, feature_keys: Sequence[str] | None = None, *,
                    store: str | Path | None = None, phash_radius: int = PHASH_RADIUS,
                    dhash_radius: int = DHASH_RADIUS, cosine: float | None = COSINE,
                    cosine_candidate: float = COSINE_CANDIDATE,
                    match: float | None = MATCH) -> tuple[list[dict], list[Group], list[Pair]]:
    """Groups of duplicates among the indexed rows (rows with an error are left out).

    ``features`` (optional) is a matrix whose rows follow ``feature_keys``; images without features
    are compared by their hashes only. ``store`` (optional) holds the thumbnails the correlation check
    reads; without it only the hashes and the higher cosine threshold join images. Returns the rows
    used, the groups and the pairs.
    """
    usable = [r for r in rows if not r.get("error") and r.get("phash") is not None]
    use_features = features is not None and cosine is not None
    found = candidates(usable, features if use_features else None, feature_keys, store=store,
                       phash_radius=phash_radius, dhash_radius=dhash_radius,
                       cosine_candidate=min(cosine_candidate, cosine) if use_features else cosine_candidate,
                       verify_below=cosine if use_features else 0.0)
    pairs = decide(found, cosine=cosine, cosine_candidate=cosine_candidate, match=match if store else None)
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
