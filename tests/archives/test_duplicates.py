"""BK-tree against brute force, grouping with union-find, the master rule, the CSV file."""

from __future__ import annotations

import csv
import random

from amorce.archives.duplicates import BKTree, Pair, find_duplicates, group_pairs, write_groups_csv
from amorce.archives.hashing import hamming


def test_bktree_query_matches_brute_force():
    rng = random.Random(3)
    base = [rng.getrandbits(64) for _ in range(60)]
    values = base + [b ^ (1 << rng.randrange(64)) ^ (1 << rng.randrange(64)) for b in base] \
        + [rng.getrandbits(64) for _ in range(500)]
    tree = BKTree()
    for i, v in enumerate(values):
        tree.add(v, i)
    for probe in values[:80]:
        for radius in (0, 3, 10):
            expected = sorted(i for i, v in enumerate(values) if hamming(probe, v) <= radius)
            assert sorted(i for i, _d in tree.query(probe, radius)) == expected


def _row(key, phash, width=10, height=10, size=100, mtime=0):
    return {"key": key, "phash": phash, "dhash": phash, "phash_mirror": phash ^ ((1 << 64) - 1),
            "dhash_mirror": phash ^ ((1 << 64) - 1), "width": width, "height": height, "bytes": size,
            "mtime_ns": mtime, "error": None}


def test_groups_are_connected_components_with_the_stated_master():
    rows = [_row("a.jpg", 0, 10, 10), _row("b.jpg", 1, 20, 20), _row("c.jpg", 3, 20, 20, size=500),
            _row("d.jpg", 1 << 40), _row("e.jpg", 7, 20, 20, size=500, mtime=5)]
    groups = group_pairs(rows, [Pair(0, 1, "phash", 1), Pair(1, 2, "phash", 1), Pair(2, 4, "phash", 1)])
    assert len(groups) == 1
    group = groups[0]
    assert sorted(rows[i]["key"] for i in group.members) == ["a.jpg", "b.jpg", "c.jpg", "e.jpg"]
    # most pixels, then largest file, then oldest: c (500 bytes, mtime 0) before e (500 bytes, mtime 5)
    assert rows[group.master]["key"] == "c.jpg"


def test_find_duplicates_uses_mirror_hashes_and_skips_errors():
    mirror_of_a = 0 ^ ((1 << 64) - 1)
    rows = [_row("a.jpg", 0), {**_row("m.jpg", mirror_of_a), "phash_mirror": 0, "dhash_mirror": 0},
            _row("far.jpg", 0x00FF00FF00FF00FF), {**_row("bad.jpg", 0), "error": "illisible"}]
    usable, groups, pairs = find_duplicates(rows)
    assert [r["key"] for r in usable] == ["a.jpg", "m.jpg", "far.jpg"]
    assert [sorted(usable[i]["key"] for i in g.members) for g in groups] == [["a.jpg", "m.jpg"]]
    assert pairs[0].reason == "phash-miroir"


def test_feature_similarity_adds_pairs_the_hashes_miss():
    import numpy as np

    rows = [_row("a.jpg", 0), _row("b.jpg", (1 << 64) - 1 - 0xFFFF), _row("c.jpg", 0x0F0F0F0F0F0F0F0F)]
    rows[1]["phash_mirror"] = rows[1]["dhash_mirror"] = 0xFFFFFFFF0000
    features = np.array([[1.0, 0.0, 0.1], [0.99, 0.05, 0.1], [0.0, 1.0, 0.0]], dtype=np.float32)
    _usable, groups, _ = find_duplicates(rows, cosine=None)
    assert groups == []
    _usable, groups, pairs = find_duplicates(rows, features, ["a.jpg", "b.jpg", "c.jpg"], cosine=0.95)
    assert [sorted(g.members) for g in groups] == [[0, 1]] and pairs[-1].reason == "features"


def test_csv_has_one_row_per_member_and_names_the_master(tmp_path):
    rows = [_row("x/a.jpg", 0, 5, 5), _row("x/b.jpg", 1, 50, 50), _row("y/c.jpg", 1 << 60)]
    groups = group_pairs(rows, [Pair(0, 1, "phash", 1)])
    out = tmp_path / "sortie" / "doublons.csv"
    assert write_groups_csv(out, rows, groups) == 2
    with out.open(encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [["group", "file", "master"], ["1", "x/b.jpg", "x/b.jpg"],
                                            ["1", "x/a.jpg", "x/b.jpg"]]
