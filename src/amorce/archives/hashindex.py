"""Multi-index hashing: every stored 64-bit hash within ``radius`` bits of a probe, for millions of hashes.

The 64 bits are cut into ``B`` blocks (5 blocks of 13, 13, 13, 13 and 12 bits by default). Two hashes
at most ``r`` bits apart differ by at most ``⌊r / B⌋`` bits in at least one block (pigeonhole), so a
probe only looks at the stored hashes whose block ``b`` lies within ``⌊r / B⌋`` bits of its own, for
each ``b``: a table per block maps each block value to the hashes that have it (sorted arrays and
offsets, no Python objects), and the candidates are checked on the full 64 bits. A candidate seen
through several blocks is kept only from the first block that finds it. The result is exactly the
brute-force one (tested against it), without comparing all pairs.

Cost per probe: ``B × Σ_{k ≤ r'} C(w, k)`` table look-ups and about ``n × B × Σ C(w, k) / 2^w``
candidates for ``n`` uniformly spread hashes (for a million hashes, radius 12: 460 look-ups and
about 56,000 candidates checked, a tenth of a millisecond compiled). Real perceptual hashes are not
uniform (many photographs of the same kind of view share bits): the candidates grow where they crowd.

Kernels are compiled with numba (a dependency); without it the same code runs in plain Python
(same results, very slow).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

try:  # compiled kernels; without numba the same code runs in plain Python (same results, very slow)
    import numba
    from numba import prange
except ImportError:  # pragma: no cover - numba is a dependency
    numba = None
    prange = range

BLOCKS = 5
CAP = 16  # matches kept per probe in the first pass; probes with more are searched again with room for all


def _widths(blocks: int) -> list[int]:
    base, extra = divmod(64, blocks)
    return [base + (1 if b < extra else 0) for b in range(blocks)]


def _masks(width: int, radius: int) -> np.ndarray:
    """Every ``width``-bit mask with at most ``radius`` bits set, fewest bits first."""
    from itertools import combinations

    out = [0]
    for k in range(1, min(radius, width) + 1):
        out += [sum(1 << i for i in bits) for bits in combinations(range(width), k)]
    return np.asarray(out, dtype=np.uint64)


def _popcount(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


def _search(probes, second_probes, radius, second_radius, block_radius, shifts, block_masks, masks, ids, stored,
            second, starts, cap, out_ids, out_dist, counts):
    """For each probe: stored hashes within ``radius`` (and, where ``second_radius >= 0``, their second
    hash within ``second_radius`` of the probe's second hash); at most ``cap`` written, all counted."""
    blocks = shifts.shape[0]
    for q in prange(probes.shape[0]):
        probe = probes[q]
        found = 0
        for b in range(blocks):
            key = (probe >> shifts[b]) & block_masks[b]
            for m in range(masks.shape[0]):
                mask = masks[m]
                if mask > block_masks[b]:
                    continue
                value = key ^ mask
                for s in range(starts[b, value], starts[b, value + 1]):
                    distance = np.int64(_popcount(probe ^ stored[b, s]))
                    if distance > radius:
                        continue
                    earlier = False  # found already through an earlier block?
                    for e in range(b):
                        diff = ((probe ^ stored[b, s]) >> shifts[e]) & block_masks[e]
                        if np.int64(_popcount(diff)) <= block_radius:
                            earlier = True
                            break
                    if earlier:
                        continue
                    ident = ids[b, s]
                    if second_radius >= 0 and np.int64(_popcount(second_probes[q] ^ second[ident])) > second_radius:
                        continue
                    if found < cap:
                        out_ids[q, found] = ident
                        out_dist[q, found] = distance
                    found += 1
        counts[q] = found


if numba is not None:
    _popcount = numba.njit(cache=True, inline="always")(_popcount)
    _search = numba.njit(cache=True, parallel=True, nogil=True)(_search)


@dataclass
class HashIndex:
    """Multi-index hashing over ``blocks`` blocks of a set of 64-bit hashes (``ids`` are row positions).

    ``second`` (optional): a second hash per row (the dHash), checked against a second radius in the
    same pass.
    """

    hashes: np.ndarray
    second: np.ndarray | None = None
    blocks: int = BLOCKS

    def __post_init__(self) -> None:
        self.hashes = np.ascontiguousarray(self.hashes, dtype=np.uint64)
        n = len(self.hashes)
        self.second = (np.zeros(n, dtype=np.uint64) if self.second is None
                       else np.ascontiguousarray(self.second, dtype=np.uint64))
        widths = _widths(self.blocks)
        self.shifts = np.asarray([sum(widths[:b]) for b in range(self.blocks)], dtype=np.uint64)
        self.block_masks = np.asarray([(1 << w) - 1 for w in widths], dtype=np.uint64)
        size = 1 << max(widths)
        self.ids = np.empty((self.blocks, n), dtype=np.int64)
        self.stored = np.empty((self.blocks, n), dtype=np.uint64)
        self.starts = np.zeros((self.blocks, size + 1), dtype=np.int64)
        for b in range(self.blocks):
            keys = (self.hashes >> self.shifts[b]) & self.block_masks[b]
            order = np.argsort(keys, kind="stable")
            self.ids[b] = order
            self.stored[b] = self.hashes[order]  # the hashes in bucket order: candidates read one after another
            self.starts[b, 1:] = np.cumsum(np.bincount(keys.astype(np.int64), minlength=size))
        self._widths = widths

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.hashes, self.second, self.ids, self.stored, self.starts))

    def search(self, probes, radius: int, second_probes=None, second_radius: int | None = None):
        """``(probe, id, distance)`` arrays of every stored hash within ``radius`` bits of each probe (and
        whose second hash is within ``second_radius`` of the probe's second hash, when given)."""
        probes = np.ascontiguousarray(probes, dtype=np.uint64)
        seconds = (np.zeros(len(probes), dtype=np.uint64) if second_probes is None
                   else np.ascontiguousarray(second_probes, dtype=np.uint64))
        limit = -1 if second_radius is None else int(second_radius)
        block_radius = int(radius) // self.blocks
        masks = _masks(max(self._widths), block_radius)

        def run(selected, cap):
            out_ids = np.empty((len(selected), cap), dtype=np.int64)
            out_dist = np.empty((len(selected), cap), dtype=np.int64)
            counts = np.zeros(len(selected), dtype=np.int64)
            _search(probes[selected], seconds[selected], int(radius), limit, block_radius, self.shifts,
                    self.block_masks, masks, self.ids, self.stored, self.second, self.starts, cap, out_ids,
                    out_dist, counts)
            return out_ids, out_dist, counts

        everything = np.arange(len(probes))
        out_ids, out_dist, counts = run(everything, CAP)
        over = np.flatnonzero(counts > CAP)
        keep = np.arange(CAP)[None, :] < np.minimum(counts, CAP)[:, None]
        probe_of = np.broadcast_to(everything[:, None], keep.shape)[keep]
        ident, dist = out_ids[keep], out_dist[keep]
        if len(over):  # crowded probes (many copies of one image): searched again with room for all
            more_ids, more_dist, more_counts = run(over, int(counts[over].max()))
            room = np.arange(more_ids.shape[1])[None, :] < more_counts[:, None]
            crowded = np.isin(probe_of, over)
            probe_of = np.concatenate([probe_of[~crowded], np.broadcast_to(over[:, None], room.shape)[room]])
            ident = np.concatenate([ident[~crowded], more_ids[room]])
            dist = np.concatenate([dist[~crowded], more_dist[room]])
        return probe_of, ident, dist


def oriented_pairs(plain, plain_second, probe_row, probe_turn, probes, probe_seconds, *, radius: int,
                   second_radius: int, blocks: int = BLOCKS):
    """Pairs of rows ``(a, b, turn, distance)``, ``a < b``, such that a probe of one row (one of its
    orientations: ``probe_row``, ``probe_turn``) lies within ``radius`` of the plain hash of the other
    and its second hash within ``second_radius``. Each pair once, as a row-by-row search would first
    meet it: from row ``a`` with its first matching orientation if any, else from row ``b``; in that
    order of meeting (row, orientation, other row)."""
    index = HashIndex(plain, second=plain_second, blocks=blocks)
    q, other, distance = index.search(probes, radius, probe_seconds, second_radius)
    row, turn = np.asarray(probe_row)[q], np.asarray(probe_turn)[q]
    keep = other != row
    row, turn, other, distance = row[keep], turn[keep], other[keep], distance[keep]
    a, b = np.minimum(row, other), np.maximum(row, other)
    from_b = (row != a).astype(np.int64)
    order = np.lexsort((turn, from_b, b, a))
    a, b, row, other, turn, distance = a[order], b[order], row[order], other[order], turn[order], distance[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, row, other, turn, distance = (x[first] for x in (a, b, row, other, turn, distance))
    met = np.lexsort((other, turn, row))
    return a[met], b[met], turn[met], distance[met]


def set_threads(count: int) -> None:
    """Threads used by the kernels."""
    if numba is not None:
        numba.set_num_threads(max(1, min(count, numba.config.NUMBA_NUM_THREADS)))
