"""Parsed files are reused while unchanged, re-read when rewritten, and the cache stays bounded."""

from __future__ import annotations

import os

from amorce.ciblage.cache import FileCache


def test_reuses_until_the_file_changes(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    cache, calls = FileCache(max_entries=2), []

    def load():
        calls.append(1)
        return path.read_text(encoding="utf-8")

    first = cache.get("scores", [path], load)
    assert cache.get("scores", [path], load) is first and len(calls) == 1
    path.write_text("a\n2\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # same size, newer
    assert cache.get("scores", [path], load) == "a\n2\n" and len(calls) == 2
    assert len(cache._entries) == 1  # the stale version was dropped
    assert cache.get("model", [path], load) and len(calls) == 3  # another kind: its own entry


def test_bounded_and_missing_files_not_cached(tmp_path):
    cache = FileCache(max_entries=2)
    for i in range(4):
        (tmp_path / f"{i}.csv").write_text(str(i), encoding="utf-8")
        cache.get("scores", [tmp_path / f"{i}.csv"], lambda i=i: i)
    assert len(cache._entries) == 2
    assert cache.get("scores", [tmp_path / "absent.csv"], lambda: "x") == "x" and len(cache._entries) == 2
