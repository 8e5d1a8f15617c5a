"""Multi-index hashing gives exactly the brute-force neighbours, and the duplicate pairs of the former
BK-tree search (same pairs, same reasons, same distances)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from amorce.archives.duplicates import Pair, hash_pairs, orientations
from amorce.archives.hashindex import HashIndex
from amorce.archives.hashing import hamming

from .bktree import BKTree


def _near(rng, value, bits):
    for position in rng.sample(range(64), bits):
        value ^= 1 << position
    return value


@pytest.mark.parametrize("blocks", [4, 5])
def test_search_equals_brute_force(blocks):
    rng = random.Random(blocks)
    base = [rng.getrandbits(64) for _ in range(300)]
    values = base + [_near(rng, v, rng.randrange(0, 15)) for v in base] + [base[0]] * 40  # a crowded bucket
    seconds = [rng.getrandbits(64) for _ in values]
    index = HashIndex(np.asarray(values, dtype=np.uint64), second=np.asarray(seconds, dtype=np.uint64),
                      blocks=blocks)
    probes = values[:200] + [_near(rng, v, 3) for v in values[:50]]
    probe_seconds = seconds[:200] + [_near(rng, s, 20) for s in seconds[:50]]
    for radius, second_radius in ((0, None), (3, None), (12, None), (12, 40), (20, None)):
        q, ident, dist = index.search(np.asarray(probes, dtype=np.uint64), radius,
                                      np.asarray(probe_seconds, dtype=np.uint64), second_radius)
        got = sorted(zip(q.tolist(), ident.tolist(), dist.tolist(), strict=True))
        expected = sorted((n, i, hamming(p, v)) for n, p in enumerate(probes) for i, v in enumerate(values)
                          if hamming(p, v) <= radius
                          and (second_radius is None or hamming(probe_seconds[n], seconds[i]) <= second_radius))
        assert got == expected


def _bktree_pairs(rows, phash_radius=12, dhash_radius=16):
    """The former search: a BK-tree over the plain pHash, each row probed in each orientation."""
    tree = BKTree()
    for i, row in enumerate(rows):
        tree.add(row["phash"], i)
    pairs = {}
    for i, row in enumerate(rows):
        for probe, dprobe, reason in orientations(row):
            for j, distance in tree.query(probe, phash_radius):
                if j == i or (min(i, j), max(i, j)) in pairs:
                    continue
                if hamming(dprobe, rows[j]["dhash"]) <= dhash_radius:
                    pairs[(min(i, j), max(i, j))] = Pair(min(i, j), max(i, j), reason, float(distance))
    return list(pairs.values())


def test_hash_pairs_are_the_bktree_pairs():
    rng = random.Random(7)
    rows = []
    for g in range(120):
        p, d = rng.getrandbits(64), rng.getrandbits(64)
        turns = [rng.getrandbits(64) for _ in range(6)]
        rows.append({"phash": p, "dhash": d, "phash_mirror": rng.getrandbits(64), "dhash_mirror": rng.getrandbits(64),
                     "phash_turns": turns, "dhash_turns": [rng.getrandbits(64) for _ in range(6)]})
        if g % 3 == 0:  # a near copy
            rows.append({**rows[-1], "phash": _near(rng, p, rng.randrange(14)), "dhash": _near(rng, d, rng.randrange(20))})
        if g % 4 == 0:  # a mirrored or turned copy: its plain hash is the other's mirror or turn
            k = rng.randrange(7)
            source = rows[-1]
            oriented = orientations(source)[1 + k]
            rows.append({"phash": _near(rng, oriented[0], 2), "dhash": _near(rng, oriented[1], 3),
                         "phash_mirror": rng.getrandbits(64), "dhash_mirror": rng.getrandbits(64),
                         "phash_turns": None, "dhash_turns": None})  # a store from before the turns
    rng.shuffle(rows)
    got = hash_pairs(rows)
    expected = _bktree_pairs(rows)
    assert len(got) > 60
    assert sorted(got, key=lambda p: (p.a, p.b)) == sorted(expected, key=lambda p: (p.a, p.b))
    assert {p.reason for p in got} == {"phash", "phash-miroir", "phash-rotation"}
    assert hash_pairs(rows[:1]) == [] and hash_pairs([]) == []
