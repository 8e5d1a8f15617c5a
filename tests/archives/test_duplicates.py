"""BK-tree against brute force, grouping with union-find, the master rule, the CSV file."""

from __future__ import annotations

import csv
import random

import pytest

from amorce.archives.duplicates import Pair, find_duplicates, group_pairs, write_groups_csv
from amorce.archives.hashing import hamming

from .bktree import BKTree


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


def test_hashes_in_eight_orientations_find_a_quarter_turn():
    from PIL import Image

    from amorce.archives.hashing import hash_image

    from .conftest import picture

    original, turned = hash_image(picture(4)), hash_image(picture(4).transpose(Image.Transpose.ROTATE_90))
    assert hamming(original.phash, turned.phash) > 12  # the plain hashes miss it …
    assert min(hamming(p, original.phash) for p in turned.phash_turns) <= 2  # … one of the turns finds it


@pytest.fixture(scope="module")
def real_variants(shared_data, tmp_path_factory):
    """Six real heritage photos of different classes, a crop and a quarter turn of the first, indexed with
    their features (thumbnails in the store for the correlation check)."""
    from PIL import Image

    from amorce.archives.evaluate import make_variant
    from amorce.archives.index import build_index, list_items, read_features, read_rows

    images = shared_data / "heritage_architecture_elements" / "images"
    folder = tmp_path_factory.mktemp("variantes")
    classes = sorted(p for p in images.iterdir() if p.is_dir())[:6]
    for n, folder_of_class in enumerate(classes):
        first = sorted(folder_of_class.glob("*.jpg"))[0]
        Image.open(first).convert("RGB").save(folder / f"o{n}.jpg", quality=92)
    original = Image.open(folder / "o0.jpg")
    make_variant(original, "recadrage", random.Random(1)).save(folder / "o0_recadrage.jpg", quality=92)
    original.transpose(Image.Transpose.ROTATE_270).save(folder / "o0_rotation.jpg", quality=92)
    store = folder / "store"
    build_index(list_items(folder), store, features=True, engine="serial")
    keys, matrix = read_features(store)
    return read_rows(store), keys, matrix, store


@pytest.mark.data
def test_combined_method_groups_a_crop_and_a_rotation_of_a_real_photo(real_variants):
    rows, keys, matrix, store = real_variants
    _usable, groups, pairs = find_duplicates(rows, matrix, keys, store=store)
    assert [sorted(rows[i]["key"] for i in g.members) for g in groups] == [
        ["o0.jpg", "o0_recadrage.jpg", "o0_rotation.jpg"]]
    reasons = {frozenset((rows[p.a]["key"], rows[p.b]["key"])): p.reason for p in pairs}
    assert reasons[frozenset(("o0.jpg", "o0_rotation.jpg"))] == "phash-rotation"
    assert reasons[frozenset(("o0.jpg", "o0_recadrage.jpg"))].startswith("features")
    # hashes alone miss the crop
    _usable, hash_groups, _ = find_duplicates(rows, cosine=None)
    assert [sorted(rows[i]["key"] for i in g.members) for g in hash_groups] == [["o0.jpg", "o0_rotation.jpg"]]


def test_plain_hashes_are_imagehash_ones():
    """The plain pHash and dHash are bit for bit those of the imagehash library (a reference for users
    who compare with other tools); imagehash is a test dependency only."""
    imagehash = pytest.importorskip("imagehash")
    import numpy as np
    from PIL import Image

    from amorce.archives.hashing import hash_image

    rng = np.random.default_rng(7)
    for _ in range(5):
        pixels = rng.integers(0, 256, size=(120, 90, 3), dtype=np.uint8)
        image = Image.fromarray(np.kron(pixels, np.ones((3, 3, 1), dtype=np.uint8)))
        hashes = hash_image(image)
        assert hashes.phash == int(str(imagehash.phash(image)), 16)
        assert hashes.dhash == int(str(imagehash.dhash(image)), 16)
