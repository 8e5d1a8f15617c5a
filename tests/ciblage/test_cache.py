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


def test_warm_up_loads_what_the_first_explanation_needs(db, ciblage_demo, client_as, monkeypatch, caplog):
    """The worker's warm-up (AppConfig.warm_up, started by the WSGI module) parses the latest ranked
    list, its model and its history: the first explanation then reads nothing from disk."""
    from amorce.ciblage import importers, learner
    from amorce.ciblage.cache import cache
    from amorce.ciblage.models import ScoreList
    from amorce.ciblage.warmup import warm_up

    cache.clear()
    assert warm_up() >= 0
    assert {key[0][0].split(":")[0] for key in cache._entries} == {"scores", "model", "history"}

    def no_disk(*args, **kwargs):
        raise AssertionError("read from disk after the warm-up")

    monkeypatch.setattr(learner.TargetingModel, "load", no_disk)
    monkeypatch.setattr(importers, "load_history", no_disk)
    scores = ScoreList.objects.get()
    first = scores.frame()["establishment_id"].iloc[0]
    page = client_as("inspecteur").get(f"/ciblage/classements/{scores.pk}/etablissements/{first}/")
    assert page.status_code == 200
    # a failing warm-up never stops the worker: it is logged, the first request loads what it needs
    from django.apps import apps

    from amorce.ciblage import warmup

    def broken():
        raise OSError("disque indisponible")

    monkeypatch.setattr(warmup, "warm_up", broken)
    apps.get_app_config("ciblage").warm_up()
    assert "Préchargement du ciblage interrompu" in caplog.text


def test_warm_up_can_be_turned_off(db, monkeypatch, caplog):
    """``AMORCE_CIBLAGE_WARM_UP=0`` (docs/configuration.md): the worker preloads nothing; on by default;
    a wrong value is said in the log and nothing is preloaded."""
    import logging

    from django.apps import apps

    from amorce.ciblage import warmup

    done = []
    monkeypatch.setattr(warmup, "warm_up", lambda: done.append(1) or 0.0)
    config = apps.get_app_config("ciblage")
    caplog.set_level(logging.INFO, logger="amorce.ciblage.apps")
    monkeypatch.delenv("AMORCE_CIBLAGE_WARM_UP", raising=False)
    config.warm_up()
    assert done == [1]
    monkeypatch.setenv("AMORCE_CIBLAGE_WARM_UP", "0")
    config.warm_up()
    assert done == [1] and "Préchargement du ciblage désactivé" in caplog.text
    monkeypatch.setenv("AMORCE_CIBLAGE_WARM_UP", "peut-être")
    config.warm_up()
    assert done == [1] and "AMORCE_CIBLAGE_WARM_UP" in caplog.text and "non effectué" in caplog.text
    monkeypatch.setenv("AMORCE_CIBLAGE_WARM_UP", "oui")
    config.warm_up()
    assert done == [1, 1]
