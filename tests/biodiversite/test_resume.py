"""A season analysis killed (SIGKILL) in the middle continues where it stopped, with the same results."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from amorce.biodiversite import pipeline
from amorce.biodiversite.ingest import scan

from .samples import save_jpeg, scene

PER_PARTITION = 2  # events per partition: a few dozen images make 8 partitions

# Run in a child process: analyse the season, serially, and kill the process with SIGKILL while it
# writes its 4th partition to the cache (3 partitions done, a half-written temporary file left).
KILLED_RUN = """
import json, os, signal, sys
from amorce.biodiversite import pipeline
from amorce.biodiversite.ingest import scan

calls = 0
original = pipeline.analyse_partition

def dying(task):
    global calls
    calls += 1
    if calls == 4:
        def half(obj, handle, **kwargs):
            handle.write(json.dumps(obj)[:40])
            handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        json.dump = half
    return original(task)

pipeline.analyse_partition = dying
pipeline.analyse_season(scan(sys.argv[1]), cache_dir=sys.argv[2], engine="serial", events_per_partition=PER_PARTITION)
""".replace("PER_PARTITION", str(PER_PARTITION))


def _season(root: Path) -> Path:
    """2 cameras × 8 events (bursts of 2 or 3 frames, every third with a moving 'animal'), 96×72 px."""
    t0 = datetime(2024, 7, 1, 9, 0, 0)
    for camera in (1, 2):
        folder = root / f"site_{camera}" / "cam1" / "visite1"
        number = 0
        for event in range(8):
            start = t0 + timedelta(hours=event)
            for frame in range(2 + event % 2):
                animal = (0.1 + 0.3 * frame, 0.4) if event % 3 == 0 else None
                save_jpeg(scene(camera, size=(96, 72), animal_at=animal, brightness=1 + 0.05 * frame),
                          folder / f"IMG_{number:04d}.JPG", start + timedelta(seconds=frame))
                number += 1
    return root


def test_killed_analysis_resumes_where_it_stopped_with_the_same_results(tmp_path, monkeypatch):
    source = _season(tmp_path / "SD")
    season = scan(source)
    reference = pipeline.analyse_season(season, cache_dir=tmp_path / "reference", engine="serial",
                                        events_per_partition=PER_PARTITION)
    assert len(season.media) == 40 and len(reference.events) == 16

    cache = tmp_path / "cache"
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, str(source), str(cache)], capture_output=True,
                            text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    done = sorted(cache.glob("*.json"))
    leftovers = list(cache.glob(".*.tmp"))
    assert len(done) == 3 and len(leftovers) == 1  # the kill hit the 4th partition's write
    cached_media = sum(len(json.loads(p.read_text())["results"]) for p in done)

    stamp = time.time() - pipeline.STALE_CACHE_S - 60  # the killed run's partial file, an hour later
    os.utime(leftovers[0], (stamp, stamp))
    fresh = cache / ".autre.json.tmp"  # another run's file being written now: kept
    fresh.write_text("{")
    decoded = []
    original = pipeline.load_frames
    monkeypatch.setattr(pipeline, "load_frames", lambda path, *a, **k: decoded.append(path) or original(path, *a, **k))
    resumed = pipeline.analyse_season(scan(source), cache_dir=cache, engine="serial",
                                      events_per_partition=PER_PARTITION)
    assert resumed.cached_partitions == 3
    assert len(decoded) == len(season.media) - cached_media  # only what the killed run had not finished
    assert resumed.decisions == reference.decisions and "unknown" in resumed.decisions.values()
    assert {k: v.to_dict() for k, v in resumed.results.items()} == {k: v.to_dict() for k, v in reference.results.items()}
    assert len(list(cache.glob("*.json"))) == 8
    assert not leftovers[0].exists() and fresh.exists()

    decoded.clear()  # a third run analyses nothing
    again = pipeline.analyse_season(scan(source), cache_dir=cache, engine="serial", events_per_partition=PER_PARTITION)
    assert again.cached_partitions == 8 and decoded == [] and again.decisions == reference.decisions
