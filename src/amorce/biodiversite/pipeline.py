"""A season through the batch engine: partitions of events, a resumable cache, event decisions.

Pure (no Django). :func:`analyse_season` cuts each deployment's events into partitions, runs
:func:`analyse_partition` on them with :func:`amorce.core.engine.run_partitions` (local processes
or Ray), and decides each event. Every finished partition is written at once to a cache folder
(one JSON file per partition, named by a digest of its media and settings): a re-run after a crash
or a kill skips what was already analysed.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from amorce.core.engine import run_partitions
from amorce.core.files import atomic_write
from amorce.core.progress import Progress, part

from .filtering import (
    INFO_BAR,
    FrameResult,
    decide,
    detect,
    is_timelapse,
    make_detector,
    motion_boxes,
    reduce,
    suppress_repeated,
)
from .ingest import Event, Season, load_frames

EVENTS_PER_PARTITION = 50
CACHE_VERSION = 1
_DETECTORS: dict[str, object] = {}  # one detector per worker process and spec


@dataclass
class Analysis:
    season: Season
    events: list[Event]
    results: dict[str, FrameResult]  # media_id -> result
    decisions: dict[str, str]  # event_id -> observationType
    detector: str = "motion"
    strategy: str = "both"
    timelapse: list[str] = field(default_factory=list)  # deployments that look like time-lapse
    suppressed: int = 0
    cached_partitions: int = 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for value in self.decisions.values():
            out[value] += 1
        return dict(out)


def _detector(spec: str):
    if spec not in _DETECTORS:
        _DETECTORS[spec] = make_detector(spec)
    return _DETECTORS[spec]


def analyse_partition(task: dict) -> dict:
    """Analyse the events of one partition (module-level: pickled by reference for the engine).

    ``task``: ``source``, ``detector``, ``masks`` (per deployment), ``events`` (lists of
    ``[media_id, path, kind]``), ``cache`` (a file path or ""). Returns ``{"results": [...]}`` and
    writes it to ``cache`` atomically.
    """
    source = Path(task["source"])
    detector = _detector(task["detector"])
    masks = [tuple(m) for m in task.get("masks", [])]
    info_bar = task.get("info_bar", INFO_BAR)
    reduced: dict[str, list] = {}
    results: dict[str, FrameResult] = {}
    frames_by_media: dict[str, list] = {}
    for event in task["events"]:
        for media_id, path, kind in event:
            result = FrameResult(media_id)
            try:
                frames = load_frames(source / path, kind, max_side=1280)
                if not frames:
                    raise ValueError("aucune image décodée")
            except Exception as exc:  # one corrupt media is reported in its result, never fatal
                result.error = f"{type(exc).__name__} : {exc}"
                results[media_id] = result
                continue
            frames_by_media[media_id] = frames
            reduced[media_id] = [reduce(frame, masks, info_bar=info_bar) for frame in frames]
            result.night = reduced[media_id][0].night
            if detector is not None:
                for frame in frames:
                    result.detections.extend(detect(detector, frame, masks, info_bar=info_bar))
            results[media_id] = result
    # the partition's frames (first frame of each media): background for single-frame events
    pool = [(m, reduced[m][0]) for event in task["events"] for m, _, _ in event if m in reduced]
    for event in task["events"]:
        members = [m for m, _, _ in event if m in reduced]
        own = set(members)
        if len(members) == 1 and len(reduced[members[0]]) == 1:
            others = [grey for owner, grey in pool if owner not in own]
            background = others[::max(1, len(others) // 40)][:40]
            frames = reduced[members[0]]
            found = motion_boxes(frames, background)
            keys = [members[0]]
        elif len(members) == 1:  # a video: its own sampled frames form the event
            frames = reduced[members[0]]
            found = motion_boxes(frames)
            keys = [members[0]] * len(frames)
        else:
            frames = [reduced[m][0] for m in members]
            found = motion_boxes(frames)
            keys = members
        for key, (boxes, plain, reference) in zip(keys, found, strict=True):
            result = results[key]
            result.motion.extend(boxes)
            result.plain_diff = plain if result.plain_diff is None or (plain or 0) > result.plain_diff else result.plain_diff
            result.reference = reference
    payload = {"version": CACHE_VERSION, "results": [r.to_dict() for r in results.values()]}
    if task.get("cache"):
        with atomic_write(task["cache"]) as handle:
            json.dump(payload, handle)
    return payload


def _digest(event_media: list[list], season: Season, settings: dict) -> str:
    text = json.dumps(settings, sort_keys=True)
    by_id = {m.media_id: m for m in season.media}
    for event in event_media:
        for media_id, path, _ in event:
            item = by_id[media_id]
            text += f"|{path}|{item.size}|{item.mtime}"
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def analyse_season(season: Season, *, detector: str = "motion", strategy: str | None = None,
                   cache_dir: str | Path | None = None, engine: str | None = None,
                   progress: Progress | None = None, events_per_partition: int = EVENTS_PER_PARTITION,
                   info_bar: float = INFO_BAR) -> Analysis:
    """Analyse every event of a season and decide its ``observationType``.

    ``strategy`` defaults to ``motion`` without a detector and ``both`` with one. ``cache_dir``
    makes the run resumable: partitions already in the cache are not analysed again.
    """
    strategy = strategy or ("motion" if detector == "motion" else "both")
    if detector != "motion":
        make_detector(detector)  # fail early (French message) before starting workers
    events = season.events()
    by_deployment: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_deployment[event.deployment_id].append(event)
    tasks, cached = [], []
    cache = Path(cache_dir) if cache_dir else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    for deployment_id, deployment_events in sorted(by_deployment.items()):
        masks = [list(m) for m in season.deployments[deployment_id].exclusion_masks] \
            if deployment_id in season.deployments else []
        for start in range(0, len(deployment_events), events_per_partition):
            chunk = [[[m.media_id, m.path, m.kind] for m in e.media] for e in deployment_events[start:start + events_per_partition]]
            settings = {"detector": detector, "masks": masks, "info_bar": info_bar, "v": CACHE_VERSION}
            path = cache / f"{_digest(chunk, season, settings)}.json" if cache else None
            if path and path.exists():
                try:
                    cached.append(json.loads(path.read_text(encoding="utf-8")))
                    continue
                except (OSError, ValueError):
                    path.unlink(missing_ok=True)  # a damaged cache file is recomputed
            tasks.append({"source": str(season.source), "detector": detector, "masks": masks, "events": chunk,
                          "info_bar": info_bar, "cache": str(path) if path else ""})
    report = part(progress, 0.0, 1.0)
    total = len(tasks) + len(cached)
    report(len(cached), total or 1, f"{len(cached)} lot(s) déjà analysé(s), {len(tasks)} à analyser")
    payloads = run_partitions(analyse_partition, tasks, engine=engine,
                              progress=lambda done, n=None, message=None: report(
                                  len(cached) + done, total, f"Analyse des événements : lot {done}/{len(tasks)}"))
    results = {}
    for payload in cached + payloads:
        for item in payload["results"]:
            results[item["media_id"]] = FrameResult.from_dict(item)
    suppressed = 0
    timelapse = []
    for deployment_id, deployment_events in by_deployment.items():
        suppressed += suppress_repeated({e.event_id: [results[m.media_id] for m in e.media if m.media_id in results]
                                         for e in deployment_events})
        if is_timelapse([m.timestamp for e in deployment_events for m in e.media]):
            timelapse.append(deployment_id)
    decisions = {e.event_id: decide([results[m.media_id] for m in e.media if m.media_id in results], strategy)
                 for e in events}
    return Analysis(season, events, results, decisions, detector, strategy, timelapse, suppressed, len(cached))
