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
    ANALYSIS_WIDTH,
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
CACHE_VERSION = 2  # 2: frames decoded at the size each path needs; detections carry their frame index
DETECTOR_SIDE = 640  # the detectors' input: frames are decoded with a long side of at least this
CLASSIFIER_SIDE = 1280  # crops for the species classifier are cut from frames this large
_DETECTORS: dict[str, object] = {}  # one detector per worker process and spec
_CLASSIFIERS: dict[str, tuple] = {}  # one (classifier, features, species list) per worker process and spec


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
    species: dict[str, dict] = field(default_factory=dict)  # event_id -> classification (classify_events)
    classifier: str = ""  # the classifier's name, for classifiedBy

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for value in self.decisions.values():
            out[value] += 1
        return dict(out)


def _detector(spec: str):
    if spec not in _DETECTORS:
        _DETECTORS[spec] = make_detector(spec)
    return _DETECTORS[spec]


def load_for_analysis(path: Path, kind: str, *, min_side: int) -> list:
    """The frames of one media decoded no larger than needed: a JPEG is decoded at the reduced DCT
    scale (1/2, 1/4, 1/8) whose long side is still at least ``min_side`` (PIL's draft mode, much
    cheaper than a full decode followed by a resize); other images are reduced to twice
    ``min_side`` at most; video frames as :func:`~amorce.biodiversite.ingest.load_frames` samples them."""
    if kind == "video":
        return load_frames(path, kind, max_side=2 * min_side)
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        width, height = image.size
        scale = min_side / max(width, height, 1)
        if scale < 1:
            image.draft("RGB", (max(1, int(width * scale + 0.999)), max(1, int(height * scale + 0.999))))
        frame = ImageOps.exif_transpose(image).convert("RGB")
    frame.thumbnail((2 * min_side, 2 * min_side))
    return [frame]


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
    for event in task["events"]:
        for media_id, path, kind in event:
            result = FrameResult(media_id)
            try:
                frames = load_for_analysis(source / path, kind,
                                           min_side=DETECTOR_SIDE if detector is not None else 2 * ANALYSIS_WIDTH)
                if not frames:
                    raise ValueError("aucune image décodée")
            except Exception as exc:  # one corrupt media is reported in its result, never fatal
                result.error = f"{type(exc).__name__} : {exc}"
                results[media_id] = result
                continue
            reduced[media_id] = [reduce(frame, masks, info_bar=info_bar) for frame in frames]
            result.night = reduced[media_id][0].night
            if detector is not None:
                for index, frame in enumerate(frames):
                    result.detections.extend({**box, "frame": index}
                                             for box in detect(detector, frame, masks, info_bar=info_bar))
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
                   info_bar: float = INFO_BAR, classifier: str | Path | None = None,
                   species_list: str | Path | None = None, threshold: float | None = None) -> Analysis:
    """Analyse every event of a season and decide its ``observationType``.

    ``strategy`` defaults to ``motion`` without a detector and ``both`` with one. ``cache_dir``
    makes the run resumable: partitions already in the cache are not analysed again. With a
    ``classifier`` (a model card, see :func:`classify_events`), animal events get a species.
    """
    strategy = strategy or ("motion" if detector == "motion" else "both")
    if detector != "motion":
        make_detector(detector)  # fail early (French message) before starting workers
    if classifier:
        _classifier(str(classifier), str(species_list or ""))  # fail early: unreadable card or list
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
    analysis = Analysis(season, events, results, decisions, detector, strategy, timelapse, suppressed, len(cached))
    if classifier:
        classify_events(analysis, classifier, species_list=species_list, engine=engine, threshold=threshold)
    return analysis


# -------------------------------------------------------------------------------------------------
# Species of the animal events


def max_n(results: list[FrameResult]) -> int:
    """MaxN: the largest number of animal boxes in one frame of the event (0 without boxes)."""
    per_frame: dict[tuple, int] = defaultdict(int)
    for result in results:
        for box in result.detections:
            if box.get("label") == "animal":
                per_frame[(result.media_id, box.get("frame", 0))] += 1
    return max(per_frame.values(), default=0)


def _classifier(card: str, species_list: str) -> tuple:
    """(model, feature extractor or None, species list or None, name), once per process."""
    key = f"{card}|{species_list}"
    if key not in _CLASSIFIERS:
        from amorce.core.vision.fewshot import FewShotClassifier

        from . import classifier as clf

        model = clf.load_classifier(card)
        allowed = clf.read_species_list(species_list) if species_list else None
        if isinstance(model, FewShotClassifier):
            features = clf.make_features(model.backbone)
            name = f"classifieur du parc ({model.method}, {model.card.get('backbone_name') or model.backbone})"
        else:
            features = None
            name = model.name
            allowed = allowed or model.species_list()  # the label file's taxonomy, for the roll-up
        _CLASSIFIERS[key] = (model, features, allowed, name)
    return _CLASSIFIERS[key]


def classify_partition(task: dict) -> dict:
    """Species of some animal events (module-level for the engine). ``task``: ``source``,
    ``classifier`` (model card), ``species_list`` (file or ""), ``threshold``, ``events``:
    ``{event_id: [[path, kind, [box, ...]], ...]}`` with the animal boxes of each media (``frame``
    = index of the video frame). Each box is cropped from the frame decoded at
    :data:`CLASSIFIER_SIDE`, the crops' probabilities are averaged over the event, and
    :func:`amorce.biodiversite.classifier.decide` restricts and rolls up the answer."""
    import numpy as np

    from . import classifier as clf

    model, features, allowed, _ = _classifier(task["classifier"], task["species_list"])
    source = Path(task["source"])
    out = {}
    for event_id, media in task["events"].items():
        crops = []
        for path, kind, boxes in media:
            try:
                frames = load_frames(source / path, kind, max_side=CLASSIFIER_SIDE)
            except Exception:  # noqa: BLE001 - already reported by the detection pass
                continue
            for box in boxes:
                index = min(int(box.get("frame", 0)), len(frames) - 1)
                crops.append(clf.crop(np.asarray(frames[index]), box))
        if not crops:
            continue
        probs = model.predict_proba(features.features(crops)) if features is not None else model.predict_proba(crops)
        answer = clf.decide(probs.mean(axis=0), model.classes, species_list=allowed,
                            threshold=task["threshold"])
        taxon = allowed.taxa.get(answer.label) if allowed is not None and answer.rank == "espece" else None
        out[event_id] = {**answer.to_dict(), "crops": len(crops),
                         "scientific_name": (taxon.nom_scientifique if taxon else answer.label)
                         if answer.rank != "indetermine" else ""}
    return out


def classify_events(analysis: Analysis, classifier: str | Path, *, species_list: str | Path | None = None,
                    engine: str | None = None, threshold: float | None = None,
                    events_per_partition: int = EVENTS_PER_PARTITION) -> dict[str, dict]:
    """Classify the animal events of ``analysis`` with the classifier described by the model card
    ``classifier`` (:func:`amorce.biodiversite.classifier.load_classifier`), restricted by the
    park's ``species_list``; fills ``analysis.species`` (event id -> answer with ``label``,
    ``rank``, ``score``, ``cd_nom``, ``nom_francais``, ``scientific_name``, ``count`` = MaxN) and
    ``analysis.classifier``. Events without an animal box keep no species."""
    from .classifier import THRESHOLD

    _, _, _, name = _classifier(str(classifier), str(species_list or ""))
    by_id = {e.event_id: e for e in analysis.events}
    todo: dict[str, list] = {}
    for event_id, kind in analysis.decisions.items():
        if kind != "animal":
            continue
        media = [[m.path, m.kind, [b for b in analysis.results[m.media_id].detections if b["label"] == "animal"]]
                 for m in by_id[event_id].media if m.media_id in analysis.results]
        if any(boxes for _, _, boxes in media):
            todo[event_id] = [item for item in media if item[2]]
    ids = sorted(todo)
    tasks = [{"source": str(analysis.season.source), "classifier": str(classifier),
              "species_list": str(species_list or ""), "threshold": THRESHOLD if threshold is None else threshold,
              "events": {i: todo[i] for i in ids[start:start + events_per_partition]}}
             for start in range(0, len(ids), events_per_partition)]
    species: dict[str, dict] = {}
    for payload in run_partitions(classify_partition, tasks, engine=engine):
        species.update(payload)
    for event_id, answer in species.items():
        answer["count"] = max_n([analysis.results[m.media_id] for m in by_id[event_id].media
                                 if m.media_id in analysis.results])
    analysis.species, analysis.classifier = species, name
    return species
