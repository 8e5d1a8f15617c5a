"""A season through the batch engine: partitions of events, a resumable cache, event decisions.

Pure (no Django). :func:`analyse_season` cuts each deployment's events into partitions, runs
:func:`analyse_partition` on them with :func:`amorce.core.engine.run_partitions` (local processes
or Ray), and decides each event. Every finished partition is written at once to a cache folder
(one JSON file per partition, named by a digest of its media and settings): a re-run after a crash
or a kill skips what was already analysed. With a species classifier, the partition classifies the
crops of the detector's animal boxes as it finds them (only those media are decoded again, at the
crops' size), and :func:`classify_events` only averages them per event.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from amorce.core.engine import run_partitions
from amorce.core.files import atomic_write, remove_stale_files
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
CACHE_VERSION = 3  # 2: frames decoded at the size each path needs; 3: animal boxes carry class probabilities
STALE_CACHE_S = 3600  # a temporary file of the cache older than this was left by a killed run
DETECTOR_SIDE = 640  # the detectors' input: frames are decoded with a long side of at least this
CLASSIFIER_SIDE = 1280  # crops for the species classifier are cut from frames this large
PROB_FLOOR = 1e-4  # class probabilities of a box below this are not kept (thousands of classes: SpeciesNet)
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
    box_classifier: str = ""  # the model card whose probabilities the animal boxes carry ("probs")

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
    ``[media_id, path, kind]``), ``cache`` (a file path or ""); optional ``classifier`` (model card)
    with a detector: the crops of the animal boxes are classified from the same decoded frames and
    each box gets its class probabilities (``probs``: ``[[class index, p], ...]`` for p ≥
    :data:`PROB_FLOOR`). Returns ``{"results": [...]}`` and writes it to ``cache`` atomically.
    """
    source = Path(task["source"])
    detector = _detector(task["detector"])
    classifier = _classifier(task["classifier"], "") if task.get("classifier") and detector is not None else None
    masks = [tuple(m) for m in task.get("masks", [])]
    info_bar = task.get("info_bar", INFO_BAR)
    # no larger than needed: the detector's input, else the motion analysis's; only the media with
    # animal boxes are decoded again, larger, for the classifier's crops (most media are empty, and a
    # decode at the crops' size costs about four times the detector's)
    min_side = DETECTOR_SIDE if detector is not None else 2 * ANALYSIS_WIDTH
    max_side = 2 * min_side
    reduced: dict[str, list] = {}
    results: dict[str, FrameResult] = {}
    for event in task["events"]:
        for media_id, path, kind in event:
            result = FrameResult(media_id)
            try:
                frames = load_frames(source / path, kind, min_side=min_side, max_side=max_side)
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
            animals = [box for box in result.detections if box["label"] == "animal"] if classifier else []
            if animals:
                large = frames if max(frames[0].size) >= CLASSIFIER_SIDE else \
                    load_frames(source / path, kind, min_side=CLASSIFIER_SIDE, max_side=CLASSIFIER_SIDE)
                for box, probs in zip(animals, _classify_crops(classifier, large, animals), strict=True):
                    box["probs"] = [[int(i), round(float(p), 6)] for i, p in enumerate(probs) if p >= PROB_FLOOR]
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
    card = ""
    if classifier:
        _classifier(str(classifier), str(species_list or ""))  # fail early: unreadable card or list
        if detector != "motion":  # the boxes to crop come from the detector
            card = str(Path(classifier).resolve())
    events = season.events()
    by_deployment: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_deployment[event.deployment_id].append(event)
    tasks, cached = [], []
    cache = Path(cache_dir) if cache_dir else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        # partial files of a killed run (atomic_write's temporary names); a running analysis writes
        # each of its files in seconds
        remove_stale_files(cache, STALE_CACHE_S, ".*.tmp")
    for deployment_id, deployment_events in sorted(by_deployment.items()):
        masks = [list(m) for m in season.deployments[deployment_id].exclusion_masks] \
            if deployment_id in season.deployments else []
        for start in range(0, len(deployment_events), events_per_partition):
            chunk = [[[m.media_id, m.path, m.kind] for m in e.media] for e in deployment_events[start:start + events_per_partition]]
            settings = {"detector": detector, "masks": masks, "info_bar": info_bar, "v": CACHE_VERSION,
                        **({"classifier": card, "classifier_mtime": Path(card).stat().st_mtime} if card else {})}
            path = cache / f"{_digest(chunk, season, settings)}.json" if cache else None
            if path and path.exists():
                try:
                    cached.append(json.loads(path.read_text(encoding="utf-8")))
                    continue
                except (OSError, ValueError):
                    path.unlink(missing_ok=True)  # a damaged cache file is recomputed
            tasks.append({"source": str(season.source), "detector": detector, "masks": masks, "events": chunk,
                          "info_bar": info_bar, "cache": str(path) if path else "", "classifier": card})
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
    analysis = Analysis(season, events, results, decisions, detector, strategy, timelapse, suppressed, len(cached),
                        box_classifier=card)
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


def _classify_crops(classifier: tuple, frames: list, boxes: list[dict]):
    """Class probabilities ``(boxes, classes)`` of the crops around ``boxes`` (``frame``: index of the
    video frame) cut from ``frames``."""
    import numpy as np

    from .classifier import crop

    model, features, _, _ = classifier
    if not boxes:
        return np.zeros((0, len(model.classes)))
    arrays: dict[int, np.ndarray] = {}
    crops = []
    for box in boxes:
        index = min(int(box.get("frame", 0)), len(frames) - 1)
        if index not in arrays:
            arrays[index] = np.asarray(frames[index])
        crops.append(crop(arrays[index], box))
    return model.predict_proba(features.features(crops)) if features is not None else model.predict_proba(crops)


def _answer(probs, crops: int, classifier: tuple, threshold: float) -> dict:
    """The event's species from the mean of its crops' probabilities (restricted, rolled up)."""
    from . import classifier as clf

    model, _, allowed, _ = classifier
    answer = clf.decide(probs, model.classes, species_list=allowed, threshold=threshold)
    taxon = allowed.taxa.get(answer.label) if allowed is not None and answer.rank == "espece" else None
    return {**answer.to_dict(), "crops": crops,
            "scientific_name": (taxon.nom_scientifique if taxon else answer.label) if answer.rank != "indetermine" else ""}


def classify_partition(task: dict) -> dict:
    """Species of some animal events whose boxes carry no probabilities yet (module-level for the
    engine). ``task``: ``source``, ``classifier`` (model card), ``species_list`` (file or ""),
    ``threshold``, ``events``: ``{event_id: [[path, kind, [box, ...]], ...]}`` with the animal boxes
    of each media (``frame`` = index of the video frame). Each box is cropped from the frame decoded
    at :data:`CLASSIFIER_SIDE`, the crops' probabilities are averaged over the event, and
    :func:`amorce.biodiversite.classifier.decide` restricts and rolls up the answer."""
    classifier = _classifier(task["classifier"], task["species_list"])
    source = Path(task["source"])
    out = {}
    for event_id, media in task["events"].items():
        probs = []
        for path, kind, boxes in media:
            try:
                frames = load_frames(source / path, kind, min_side=CLASSIFIER_SIDE, max_side=CLASSIFIER_SIDE)
            except Exception:  # noqa: BLE001 - already reported by the detection pass
                continue
            probs.extend(_classify_crops(classifier, frames, boxes))
        if probs:
            out[event_id] = _answer(np.mean(probs, axis=0), len(probs), classifier, task["threshold"])
    return out


def classify_events(analysis: Analysis, classifier: str | Path, *, species_list: str | Path | None = None,
                    engine: str | None = None, threshold: float | None = None,
                    events_per_partition: int = EVENTS_PER_PARTITION) -> dict[str, dict]:
    """Classify the animal events of ``analysis`` with the classifier described by the model card
    ``classifier`` (:func:`amorce.biodiversite.classifier.load_classifier`), restricted by the
    park's ``species_list``; fills ``analysis.species`` (event id -> answer with ``label``,
    ``rank``, ``score``, ``cd_nom``, ``nom_francais``, ``scientific_name``, ``count`` = MaxN) and
    ``analysis.classifier``. Events without an animal box keep no species. Boxes classified during
    the analysis by the same classifier (:func:`analyse_partition`) are not decoded again; the others
    are, in partitions."""
    from .classifier import THRESHOLD

    threshold = THRESHOLD if threshold is None else threshold
    model_key = (str(classifier), str(species_list or ""))
    chosen = _classifier(*model_key)
    n_classes = len(chosen[0].classes)
    stored = bool(analysis.box_classifier) and analysis.box_classifier == str(Path(classifier).resolve())
    by_id = {e.event_id: e for e in analysis.events}
    species: dict[str, dict] = {}
    todo: dict[str, list] = {}
    for event_id, kind in analysis.decisions.items():
        if kind != "animal":
            continue
        media = [[m.path, m.kind, [b for b in analysis.results[m.media_id].detections if b["label"] == "animal"]]
                 for m in by_id[event_id].media if m.media_id in analysis.results]
        boxes = [b for _, _, found in media for b in found]
        if not boxes:
            continue
        if stored and all("probs" in b for b in boxes):
            probs = np.zeros((len(boxes), n_classes))
            for row, box in enumerate(boxes):
                for index, p in box["probs"]:
                    probs[row, index] = p
            species[event_id] = _answer(probs.mean(axis=0), len(boxes), chosen, threshold)
        else:
            todo[event_id] = [item for item in media if item[2]]
    ids = sorted(todo)
    tasks = [{"source": str(analysis.season.source), "classifier": model_key[0], "species_list": model_key[1],
              "threshold": threshold, "events": {i: todo[i] for i in ids[start:start + events_per_partition]}}
             for start in range(0, len(ids), events_per_partition)]
    for payload in run_partitions(classify_partition, tasks, engine=engine):
        species.update(payload)
    for event_id, answer in species.items():
        answer["count"] = max_n([analysis.results[m.media_id] for m in by_id[event_id].media
                                 if m.media_id in analysis.results])
    analysis.species, analysis.classifier = species, chosen[3]
    return species
