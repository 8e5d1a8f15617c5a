"""Empty-frame filtering: motion against a background, a detector when configured, event decisions.

Pure (no Django). For each event (sequence) of a deployment:

* **Motion**: every frame is reduced to a small grey image (160 px wide), the camera's info bars
  (top and bottom strips) and the deployment's exclusion masks are masked, and brightness is
  normalised (median and spread of the frame), so a sun flash or an infrared switch does not read as
  motion. The background is the per-pixel median of the event's frames (3 or more), the other frame
  (2), or the median of same-lighting frames (day / infrared night) of the deployment's other events
  (a single frame). Differences above a threshold, cleaned by a morphological opening (wind in grass
  makes scattered specks), give blobs; blobs above a minimum area are motion boxes.
* **Detector** (``embedded``, ``megadetector:PATH``, ``onnx:PATH``; see :func:`make_detector`):
  boxes with label animal / person / vehicle and a score, from :mod:`amorce.core.vision`.
* **Repeated places**: a box found at the same place in many events of one deployment (a rock, a
  stump, a tuft of grass) is dropped (:func:`suppress_repeated`).
* **Event decision** (:func:`decide`): human or vehicle if the detector sees one (whatever else is
  there: such events must never be published raw), animal if it sees an animal, ``unknown`` if only
  motion is seen (something moved, nothing identified), ``blank`` otherwise.

A plain image-difference threshold (:func:`plain_difference`) is kept as the baseline that the
evaluation compares against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ANALYSIS_WIDTH = 160
INFO_BAR = 0.08  # share of the height masked at the top and at the bottom (camera's data bar)
MOTION_THRESHOLD = 1.2  # normalised grey difference (in units of the frame's spread)
MIN_BLOB_AREA = 0.004  # share of the analysed image
DETECTION_THRESHOLD = 0.2
PLAIN_THRESHOLD = 6.0  # mean absolute grey difference (0-255) of the plain baseline
STRATEGIES = ("motion", "detector", "both")
OBSERVATION_TYPES = ("animal", "human", "vehicle", "blank", "unknown", "unclassified")


@dataclass
class FrameResult:
    """What the analysis found on one media (first frame for images, sampled frames for videos)."""

    media_id: str
    motion: list[dict] = field(default_factory=list)  # {"x","y","w","h","score"}, normalised
    detections: list[dict] = field(default_factory=list)  # {"x","y","w","h","score","label"}
    night: bool = False
    plain_diff: float | None = None  # mean absolute grey difference with the reference (baseline)
    reference: str = ""  # "event", "pair", "deployment" or "none"
    error: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict) -> FrameResult:
        return cls(**data)


# -------------------------------------------------------------------------------------------------
# Grey frames


@dataclass
class Grey:
    """A frame reduced for motion analysis: normalised values, valid-pixel mask, raw grey for the baseline."""

    values: np.ndarray  # float32, brightness-normalised
    raw: np.ndarray  # float32 0-255
    valid: np.ndarray  # bool
    night: bool


def is_night(rgb: np.ndarray) -> bool:
    """Infrared night frames are (almost) grey: the channels barely differ."""
    sample = rgb[::4, ::4].astype(np.int16)
    spread = np.abs(sample[..., 0] - sample[..., 1]).mean() + np.abs(sample[..., 1] - sample[..., 2]).mean()
    return bool(spread < 4.0)


def reduce(image, masks=(), *, info_bar: float = INFO_BAR) -> Grey:
    """Grey, 160 px wide, info bars and exclusion masks masked, brightness normalised."""
    small = image.convert("RGB").copy()
    height = max(1, round(image.height * ANALYSIS_WIDTH / image.width))
    small = small.resize((ANALYSIS_WIDTH, height))
    rgb = np.asarray(small)
    raw = np.asarray(small.convert("L"), dtype=np.float32)
    valid = np.ones(raw.shape, dtype=bool)
    bar = int(round(info_bar * height))
    if bar:
        valid[:bar] = False
        valid[-bar:] = False
    for x, y, w, h in masks:
        valid[int(y * height):int(np.ceil((y + h) * height)), int(x * ANALYSIS_WIDTH):int(np.ceil((x + w) * ANALYSIS_WIDTH))] = False
    pixels = raw[valid] if valid.any() else raw.ravel()
    median = float(np.median(pixels))
    low, high = np.percentile(pixels, [10, 90])
    spread = max(float(high - low) / 2.56, 4.0)  # ~ one standard deviation, robust to glare
    return Grey((raw - median) / spread, raw, valid, is_night(rgb))


def _blobs(difference: np.ndarray, valid: np.ndarray) -> list[dict]:
    import cv2

    mask = ((difference > MOTION_THRESHOLD) & valid).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # join the parts of one animal
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    height, width = mask.shape
    blobs = []
    for index in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[index])
        share = area / float(width * height)
        if share >= MIN_BLOB_AREA:
            blobs.append({"x": x / width, "y": y / height, "w": w / width, "h": h / height, "score": round(share, 5)})
    return sorted(blobs, key=lambda b: -b["score"])


def _same_shape(frames: list[Grey]) -> bool:
    return len({f.values.shape for f in frames}) == 1


def motion_boxes(frames: list[Grey], background: list[Grey] | None = None) -> list[tuple[list[dict], float | None, str]]:
    """For each frame: motion blobs, the plain-baseline difference, and which reference was used."""
    out: list[tuple[list[dict], float | None, str]] = []
    if len(frames) >= 3 and _same_shape(frames):
        stack = np.stack([f.values for f in frames])
        raw_stack = np.stack([f.raw for f in frames])
        median, raw_median = np.median(stack, axis=0), np.median(raw_stack, axis=0)
        for frame in frames:
            diff = np.abs(frame.values - median)
            out.append((_blobs(diff, frame.valid), float(np.abs(frame.raw - raw_median).mean()), "event"))
        return out
    if len(frames) == 2 and _same_shape(frames):
        a, b = frames
        diff = np.abs(a.values - b.values)
        plain = float(np.abs(a.raw - b.raw).mean())
        blobs = _blobs(diff, a.valid & b.valid)
        return [(blobs, plain, "pair"), (blobs, plain, "pair")]
    for frame in frames:
        same = [g for g in (background or []) if g.night == frame.night and g.values.shape == frame.values.shape]
        if len(same) < 3:  # a median of fewer frames keeps their animals
            out.append(([], None, "none"))
            continue
        median = np.median(np.stack([g.values for g in same]), axis=0)
        raw_median = np.median(np.stack([g.raw for g in same]), axis=0)
        diff = np.abs(frame.values - median)
        out.append((_blobs(diff, frame.valid), float(np.abs(frame.raw - raw_median).mean()), "deployment"))
    return out


# -------------------------------------------------------------------------------------------------
# Detectors


def make_detector(spec: str):
    """``motion`` -> None; ``embedded`` | ``megadetector:PATH`` | ``onnx:PATH`` -> a detector from
    :mod:`amorce.core.vision` (``detect(rgb_uint8) -> list[Box]``)."""
    from .errors import BiodiversiteError

    kind, _, path = (spec or "motion").partition(":")
    if kind == "motion":
        return None
    if not (kind == "embedded" and not path) and not (kind in ("megadetector", "onnx") and path):
        raise BiodiversiteError(f"Détecteur inconnu : « {spec} ». Valeurs possibles : motion, embedded, "
                                "megadetector:CHEMIN, onnx:CHEMIN.")
    try:
        from amorce.core import vision
    except ImportError as exc:
        raise BiodiversiteError("Les modèles de vision (amorce.core.vision) ne sont pas disponibles dans cette "
                                "installation : utilisez --detector motion.") from exc
    if kind == "embedded":
        return vision.embedded_detector()
    if kind == "megadetector":
        return vision.onnx_detector(path, labels=["animal", "person", "vehicle"])
    return vision.onnx_detector(path)


def detect(detector, image, masks=(), *, info_bar: float = INFO_BAR, threshold: float = DETECTION_THRESHOLD) -> list[dict]:
    """Detector boxes above ``threshold``, the info bars and exclusion masks painted grey first."""
    rgb = np.array(image.convert("RGB"))
    height, width = rgb.shape[:2]
    bar = int(round(info_bar * height))
    if bar:
        rgb[:bar] = 127
        rgb[-bar:] = 127
    for x, y, w, h in masks:
        rgb[int(y * height):int(np.ceil((y + h) * height)), int(x * width):int(np.ceil((x + w) * width))] = 127
    boxes = []
    for box in detector.detect(rgb):
        if box.score >= threshold:
            boxes.append({"x": float(box.x), "y": float(box.y), "w": float(box.w), "h": float(box.h),
                          "score": round(float(box.score), 4), "label": normalise_label(box.label)})
    return boxes


def normalise_label(label) -> str:
    text = str(label or "animal").lower()
    if text in ("person", "human", "personne", "humain", "2"):
        return "human"
    if text in ("vehicle", "véhicule", "vehicule", "3"):
        return "vehicle"
    return "animal"


# -------------------------------------------------------------------------------------------------
# Deployment-level corrections and event decision


def iou(a: dict, b: dict) -> float:
    x1, y1 = max(a["x"], b["x"]), max(a["y"], b["y"])
    x2, y2 = min(a["x"] + a["w"], b["x"] + b["w"]), min(a["y"] + a["h"], b["y"] + b["h"])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = a["w"] * a["h"] + b["w"] * b["h"] - inter
    return inter / union if union > 0 else 0.0


def suppress_repeated(results_by_event: dict[str, list[FrameResult]], *, overlap: float = 0.6,
                      min_events: int = 5, share: float = 0.3) -> int:
    """Drop boxes found at the same place in at least ``share`` of a deployment's events (and at least
    3 of them): rocks, stumps, a tuft of grass. Only for deployments of ``min_events`` or more events.
    Returns the number of boxes dropped. ``results_by_event`` holds one deployment's events."""
    if len(results_by_event) < min_events:
        return 0
    needed = max(3, int(np.ceil(share * len(results_by_event))))
    dropped = 0
    for key in ("motion", "detections"):
        places = [(event, box) for event, results in results_by_event.items() for r in results for box in getattr(r, key)]
        repeated = []
        for _event, box in places:
            events = {other_event for other_event, other in places if iou(box, other) >= overlap}
            repeated.append(len(events) >= needed)
        flags = iter(repeated)
        for results in results_by_event.values():
            for result in results:
                kept = [box for box in getattr(result, key) if not next(flags)]
                dropped += len(getattr(result, key)) - len(kept)
                setattr(result, key, kept)
    return dropped


def decide(results: list[FrameResult], strategy: str = "both", *, plain_threshold: float = PLAIN_THRESHOLD) -> str:
    """The event's ``observationType`` from its media results.

    ``strategy``: ``motion`` (motion alone), ``detector`` (detector alone), ``both`` (detector, and
    motion where the detector saw nothing), ``plain`` (the baseline: mean grey difference above a
    threshold). A media that could not be analysed makes the event ``unclassified`` if nothing else
    was found.
    """
    labels = {d["label"] for r in results for d in r.detections}
    if strategy in ("detector", "both"):
        for label in ("human", "vehicle", "animal"):
            if label in labels:
                return label
    if strategy in ("motion", "both") and any(r.motion for r in results):
        return "unknown"
    if strategy in ("motion", "both") and any(r.reference == "none" for r in results):
        return "unknown"  # nothing to compare with: kept for review rather than called empty
    if strategy == "plain":
        diffs = [r.plain_diff for r in results if r.plain_diff is not None]
        if not diffs or max(diffs) >= plain_threshold:
            return "unknown"
    if any(r.error for r in results):
        return "unclassified"
    return "blank"


def is_timelapse(timestamps: list, *, min_media: int = 10, min_interval: float = 300.0) -> bool:
    """A time-lapse deployment: regular intervals of several minutes between consecutive media."""
    if len(timestamps) < min_media:
        return False
    ordered = sorted(timestamps)
    gaps = np.array([(b - a).total_seconds() for a, b in zip(ordered, ordered[1:], strict=False)])
    median = float(np.median(gaps))
    return median >= min_interval and float(np.median(np.abs(gaps - median))) <= 0.02 * median
