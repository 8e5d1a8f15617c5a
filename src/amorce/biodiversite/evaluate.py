"""Measure the empty-frame filter on labelled real camera-trap data (issue 16, quality target 1).

Pure (no Django). :func:`collect_cases` reads the labelled sets of ``../shared/data`` (see each
``SOURCE.md``) into events whose truth is known — *animal*, *blank*, *human* or *vehicle* —, builds
in a work folder the few blank sequences the data lacks (exactly how is written on each case),
:func:`run_evaluation` analyses them with the product's own code (:func:`pipeline.analyse_partition`
per camera, :func:`filtering.suppress_repeated`, :func:`filtering.decide`) and reports, for each
strategy (``detector``, ``motion``, ``both``, ``plain`` = the image-difference baseline), the share of
animal events kept and the share of empty frames removed, with counts, overall and per source,
light (day / infrared night), animal size, media kind and origin (real / generated).

What the figures rest on:

* **Animal events**: SpeciesNet test images (5 originals; the 4 re-encoded copies of one of them are
  left out), ENA24 (21 single frames, 7 species), Snapshot Serengeti (11 single frames), camtrapR's
  Borneo stations (68 thumbnails of 100×75 px grouped into events by the product's time-gap rule), the
  Camtrap DP example's night burst of a heron (10 frames), a squirrel sequence (14 frames in 3 events,
  grouped by frame number) and 3 zamba videos where an animal is visible (a chimpanzee group, baboons,
  a chimpanzee). The other zamba clips are *not scored* (their labels are test labels, not truth).
* **Empty frames**: only 3 real blank frames are labelled (SpeciesNet: dusk, day, infrared night).
  Generated from real frames: (a) *crop sequences*: a fixed window of each real burst (the heron,
  two squirrel events) that avoids every annotated animal box of every frame (plus a margin) — real
  consecutive frames with their real noise, wind and light, without the animal; (b) *jitter
  sequences*: 5 frames from each real blank image, shifted by 0.5–1.5 % of the width (camera shake)
  and with brightness × 0.85–1.15 (sun, clouds). Generated frames go to the work folder, never to
  the repository.
* **Single images** can only be judged by the detector, unless other frames of the same camera give
  a background (Borneo stations, the squirrel camera): without one, motion answers ``unknown``
  (kept), which is counted as kept, and the number of events motion could not judge is reported.
* Nothing is tuned here: the thresholds are the shipped defaults of :mod:`.filtering` and of the
  embedded detector (score ≥ 0.25).
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import BiodiversiteError
from .filtering import INFO_BAR, STRATEGIES, decide, suppress_repeated

EVAL_STRATEGIES = (*STRATEGIES, "plain")
TARGET_ANIMALS_KEPT = 0.98
TARGET_BLANKS_REMOVED = 0.50
SOURCES = ("speciesnet", "speciesnet-jitter", "camtrapdp", "camtrapdp-crops", "squirrel", "squirrel-crops",
           "ena24", "serengeti", "borneo", "zamba")
BREAKDOWNS = ("source", "light", "size", "kind", "resolution", "origin")
THUMBNAIL_WIDTH = 320  # narrower media are "vignettes" (camtrapR's Borneo samples, zamba's low-res clips)

# Body mass class (< 5 kg: small) of the labelled species, from their common names.
SMALL_SPECIES = {
    "virginia opossum", "eastern fox squirrel", "american crow", "striped skunk", "chicken", "grey fox",
    "mongoose", "wildcat", "zorilla", "leopard cat", "mouse-deer", "moonrat", "squirrel", "grey heron",
}
LARGE_SPECIES = {
    "african elephant", "american black bear", "domestic cattle", "domestic dog", "ocelot", "aardwolf",
    "caracal", "civet", "leopard", "ostrich", "porcupine", "topi", "gazellethomsons", "pig-tailed macaque",
    "malay civet", "chimpanzee", "baboon",
}
BORNEO_NAMES = {"PBE": "leopard cat", "TRA": "mouse-deer", "MNE": "pig-tailed macaque", "EGY": "moonrat",
                "VTA": "malay civet", "UNID": ""}
ZAMBA_SCORED = {  # clips where an animal is visible (SOURCE.md, checked by eye)
    "chimp_waterhole_2015-03-05.mp4": "chimpanzee",
    "clips_lowres/03_": "baboon",
    "clips_lowres/04_": "chimpanzee",
}
MARGIN = 0.03  # around annotated boxes when choosing an empty window


@dataclass
class Case:
    """One labelled event: its media (absolute paths), truth and descriptors."""

    event_id: str
    source: str
    truth: str  # animal | blank | human | vehicle | unscored
    media: list[tuple[str, str]]  # (absolute path, "image" | "video")
    camera: str  # events of one camera share a background for single frames
    species: str = ""
    size: str = ""  # small | large | "" (unknown)
    origin: str = "réel"
    how: str = ""  # how a generated event was made
    light: str = ""  # day | night: infrared (grey) frames, or taken between 19 h and 6 h (EXIF)
    width: int = 0  # of the first media, in pixels
    decisions: dict[str, str] = field(default_factory=dict)
    best_score: float = 0.0  # best detector score on the event's frames (≥ the detector's threshold)
    motion_judged: bool = True  # False when motion had no reference frame

    @property
    def kind(self) -> str:
        if self.media[0][1] == "video":
            return "vidéo"
        return "image seule" if len(self.media) == 1 else "séquence"

    @property
    def resolution(self) -> str:
        return "vignette (< 320 px)" if self.width < THUMBNAIL_WIDTH else "pleine résolution"

    @property
    def frames(self) -> int:
        return len(self.media)


def size_of(species: str) -> str:
    name = species.lower()
    return "small" if name in SMALL_SPECIES else "large" if name in LARGE_SPECIES else ""


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -------------------------------------------------------------------------------------------------
# Generated blank sequences


def free_window(boxes: list[tuple[float, float, float, float]], *, top: float = 0.08, bottom: float = 0.92,
                scales=(0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3), step: float = 0.02):
    """The largest square-in-proportion window (normalised ``x, y, s``, same aspect as the frame)
    between ``top`` and ``bottom`` (the info bars are left out) that meets no box widened by
    :data:`MARGIN`; None if there is none."""
    grown = [(x - MARGIN, y - MARGIN, x + w + MARGIN, y + h + MARGIN) for x, y, w, h in boxes]
    for scale in scales:
        y = top
        while y + scale <= bottom + 1e-9:
            x = 0.0
            while x + scale <= 1 + 1e-9:
                if all(x + scale <= x1 or x >= x2 or y + scale <= y1 or y >= y2 for x1, y1, x2, y2 in grown):
                    return round(x, 4), round(y, 4), scale
                x += step
            y += step
    return None


def crop_sequence(frames: list[Path], boxes: list[tuple[float, float, float, float]], out: Path) -> tuple[list[Path], str]:
    """Crop the same empty window out of every frame of a real burst (JPEG quality 95)."""
    from PIL import Image, ImageOps

    window = free_window(boxes)
    if window is None:
        return [], ""
    x, y, scale = window
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, frame in enumerate(frames):
        with Image.open(frame) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            w, h = image.size
            crop = image.crop((round(x * w), round(y * h), round((x + scale) * w), round((y + scale) * h)))
            path = out / f"frame_{index:02d}.jpg"
            crop.save(path, quality=95)
            paths.append(path)
    how = (f"fenêtre fixe x={x:.2f}, y={y:.2f}, côté {scale:.2f} de l'image, hors de toutes les boîtes annotées "
           f"(marge {MARGIN}) des {len(frames)} images réelles de la rafale")
    return paths, how


SHIFTS = ((0.010, 0.010), (0.015, 0.010), (0.010, 0.015), (0.005, 0.012), (0.013, 0.005))
GAINS = (1.0, 1.12, 0.9, 1.15, 0.85)


def jitter_sequence(image_path: Path, out: Path, *, max_side: int = 1280) -> tuple[list[Path], str]:
    """5 frames from one real blank image: shifted (camera shake) and brightened or darkened."""
    from PIL import Image, ImageEnhance, ImageOps

    out.mkdir(parents=True, exist_ok=True)
    with Image.open(image_path) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((max_side, max_side))
    w, h = image.size
    paths = []
    for index, ((dx, dy), gain) in enumerate(zip(SHIFTS, GAINS, strict=True)):
        box = (round(dx * w), round(dy * h), round(dx * w + 0.98 * w), round(dy * h + 0.98 * h))
        frame = ImageEnhance.Brightness(image.crop(box).resize((w, h))).enhance(gain)
        path = out / f"frame_{index:02d}.jpg"
        frame.save(path, quality=90)
        paths.append(path)
    how = ("5 images tirées d'une image vide réelle (réduite à 1280 px) : recadrage à 98 % décalé de 0,5 à 1,5 % "
           "de la largeur (tremblement), luminosité × 0,85 à 1,15 (soleil, nuages), JPEG qualité 90")
    return paths, how


# -------------------------------------------------------------------------------------------------
# Labelled sets


def _speciesnet(data: Path, work: Path, sources: set[str]) -> list[Case]:
    root = data / "camera_trap_speciesnet_test_images"
    cases = []
    for row in _rows(root / "labels.csv"):
        if row["original_or_modified"] != "Original":
            continue  # the 4 re-encoded copies of one image would count one animal five times
        path = root / row["file"]
        name = Path(row["file"]).stem
        if "speciesnet" in sources:
            species = row["common_name"] if row["label"] == "animal" else ""
            cases.append(Case(f"speciesnet/{name}", "speciesnet", row["label"], [(str(path), "image")],
                              f"speciesnet/{name}", species, size_of(species)))
        if "speciesnet-jitter" in sources and row["label"] == "blank":
            frames, how = jitter_sequence(path, work / "speciesnet-jitter" / name)
            cases.append(Case(f"speciesnet-jitter/{name}", "speciesnet-jitter", "blank",
                              [(str(p), "image") for p in frames], f"speciesnet-jitter/{name}",
                              origin="généré", how=how))
    return cases


def _camtrapdp(data: Path, work: Path, sources: set[str]) -> list[Case]:
    root = data / "camtrap_dp_example"
    local = [r for r in _rows(root / "media_labels.csv") if r["local_file"]]
    boxes = {}
    for row in _rows(root / "observations.csv"):
        if row["observationLevel"] == "media" and row["bboxX"]:
            boxes[row["mediaID"]] = tuple(float(row[k]) for k in ("bboxX", "bboxY", "bboxWidth", "bboxHeight"))
    by_event: dict[str, list[dict]] = defaultdict(list)
    for row in local:
        by_event[row["eventID"]].append(row)
    cases = []
    for event, rows in sorted(by_event.items()):
        rows.sort(key=lambda r: int(r["frame_in_event"]))
        paths = [root / r["local_file"] for r in rows]
        truth = rows[0]["event_observationType"]
        species = "grey heron" if rows[0]["event_scientificName"] == "Ardea" else rows[0]["event_scientificName"]
        if "camtrapdp" in sources:
            cases.append(Case(f"camtrapdp/{event}", "camtrapdp", truth, [(str(p), "image") for p in paths],
                              f"camtrapdp/{rows[0]['deploymentID']}", species, size_of(species)))
        if "camtrapdp-crops" in sources and len(rows) >= 2 and all(r["mediaID"] in boxes for r in rows):
            frames, how = crop_sequence(paths, [boxes[r["mediaID"]] for r in rows], work / "camtrapdp-crops" / event)
            if frames:
                cases.append(Case(f"camtrapdp-crops/{event}", "camtrapdp-crops", "blank",
                                  [(str(p), "image") for p in frames], f"camtrapdp-crops/{event}",
                                  origin="généré", how=how))
    return cases


def _squirrel(data: Path, work: Path, sources: set[str]) -> list[Case]:
    root = data / "camera_traps" / "ms_squirrel_detection"
    frames = []
    for path in sorted(root.glob("images/*/*.jpg")):
        number = int(re.search(r"frame(\d+)", path.name).group(1))
        label = root / "labels_yolo" / path.parent.name / (path.stem + ".txt")
        boxes = []
        for line in label.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 5:
                cx, cy, w, h = (float(v) for v in parts[1:])
                boxes.append((cx - w / 2, cy - h / 2, w, h))
        frames.append((number, path, boxes))
    frames.sort()
    events: list[list] = []
    for item in frames:  # a new event after a jump of more than 100 frames (minutes apart on the info bar)
        if events and item[0] - events[-1][-1][0] <= 100:
            events[-1].append(item)
        else:
            events.append([item])
    cases = []
    for members in events:
        name = f"frame{members[0][0]}"
        if "squirrel" in sources:
            cases.append(Case(f"squirrel/{name}", "squirrel", "animal" if any(m[2] for m in members) else "blank",
                              [(str(m[1]), "image") for m in members], "squirrel", "squirrel", "small"))
        if "squirrel-crops" in sources and len(members) >= 2:
            paths, how = crop_sequence([m[1] for m in members], [b for m in members for b in m[2]],
                                       work / "squirrel-crops" / name)
            if paths:
                cases.append(Case(f"squirrel-crops/{name}", "squirrel-crops", "blank",
                                  [(str(p), "image") for p in paths], f"squirrel-crops/{name}",
                                  origin="généré", how=how))
    return cases


def _ena24(data: Path) -> list[Case]:
    root = data / "camera_traps" / "ena24_small"
    return [Case(f"ena24/{Path(r['filepath']).stem}", "ena24", "animal", [(str(root / r["filepath"]), "image")],
                 f"ena24/{Path(r['filepath']).stem}", r["label"], size_of(r["label"]))
            for r in _rows(root / "labels.csv")]


def _serengeti(data: Path) -> list[Case]:
    root = data / "camera_traps" / "serengeti_examples"
    return [Case(f"serengeti/{Path(r['file']).stem}", "serengeti", "animal", [(str(root / r["file"]), "image")],
                 f"serengeti/{Path(r['file']).stem}", r["species"], size_of(r["species"]))
            for r in _rows(root / "labels.csv")]


def _borneo(data: Path) -> list[Case]:
    """Events per station by the product's time-gap rule (times from the file names)."""
    from .ingest import Deployment, Media, group_events, media_id

    root = data / "camera_traps" / "camtrapR_borneo"
    rows = _rows(root / "labels.csv")
    species = {r["file"]: r["species_code"] for r in rows}
    media = [Media(media_id(r["file"]), r["file"], r["station"], "image",
                   datetime.fromisoformat(r["datetime"]), "file") for r in rows]
    deployments = {s: Deployment(s) for s in {r["station"] for r in rows}}
    cases = []
    for event in group_events(media, deployments):
        codes = {species[m.path] for m in event.media}
        name = BORNEO_NAMES.get(sorted(codes)[0], "") if len(codes) == 1 else ""
        cases.append(Case(f"borneo/{event.deployment_id}/{Path(event.media[0].path).stem}", "borneo", "animal",
                          [(str(root / m.path), "image") for m in event.media], f"borneo/{event.deployment_id}",
                          name, size_of(name)))
    return cases


def _zamba(data: Path) -> list[Case]:
    root = data / "camera_trap_videos_zamba"
    files = ["chimp_waterhole_2015-03-05.mp4"] + [r["file"] for r in _rows(root / "clips_lowres.csv")]
    cases = []
    for name in files:
        species = next((s for prefix, s in ZAMBA_SCORED.items() if name.startswith(prefix)), "")
        cases.append(Case(f"zamba/{Path(name).stem[:40]}", "zamba", "animal" if species else "unscored",
                          [(str(root / name), "video")], f"zamba/{Path(name).stem}", species, size_of(species)))
    return cases


def collect_cases(data: str | Path, work: str | Path, sources=SOURCES) -> tuple[list[Case], list[str]]:
    """The labelled events of the selected ``sources`` and the notes on what is missing."""
    data, work = Path(data), Path(work)
    wanted = set(sources)
    unknown = wanted - set(SOURCES)
    if unknown:
        raise BiodiversiteError(f"Source(s) d'évaluation inconnue(s) : {', '.join(sorted(unknown))}. "
                                f"Valeurs possibles : {', '.join(SOURCES)}.")
    if not data.is_dir():
        raise BiodiversiteError(f"Dossier des données d'évaluation introuvable : {data} "
                                "(variable AMORCE_SHARED_DATA ou option --donnees).")
    readers = [
        ({"speciesnet", "speciesnet-jitter"}, "camera_trap_speciesnet_test_images", lambda: _speciesnet(data, work, wanted)),
        ({"camtrapdp", "camtrapdp-crops"}, "camtrap_dp_example", lambda: _camtrapdp(data, work, wanted)),
        ({"squirrel", "squirrel-crops"}, "camera_traps/ms_squirrel_detection", lambda: _squirrel(data, work, wanted)),
        ({"ena24"}, "camera_traps/ena24_small", lambda: _ena24(data)),
        ({"serengeti"}, "camera_traps/serengeti_examples", lambda: _serengeti(data)),
        ({"borneo"}, "camera_traps/camtrapR_borneo", lambda: _borneo(data)),
        ({"zamba"}, "camera_trap_videos_zamba", lambda: _zamba(data)),
    ]
    cases, notes = [], []
    for names, folder, read in readers:
        if not names & wanted:
            continue
        if not (data / folder).is_dir():
            notes.append(f"Jeu absent : {data / folder} ({', '.join(sorted(names & wanted))} non évalué).")
            continue
        cases.extend(read())
    return cases, notes


# -------------------------------------------------------------------------------------------------
# Analysis and figures


def analyse_cases(cases: list[Case], detector: str = "embedded") -> None:
    """Analyse every case with the product's code, camera by camera, and fill its decisions."""
    from .filtering import FrameResult
    from .pipeline import analyse_partition

    by_camera: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_camera[case.camera].append(case)
    for members in by_camera.values():
        task = {"source": "/", "detector": detector, "masks": [], "info_bar": INFO_BAR, "cache": "",
                "events": [[[f"{c.event_id}#{i}", path, kind] for i, (path, kind) in enumerate(c.media)]
                           for c in members]}
        payload = analyse_partition(task)
        results = {item["media_id"]: FrameResult.from_dict(item) for item in payload["results"]}
        per_event = {c.event_id: [results[f"{c.event_id}#{i}"] for i in range(c.frames)] for c in members}
        suppress_repeated(per_event)  # the pipeline does it per deployment
        for case in members:
            frames = per_event[case.event_id]
            case.decisions = {s: decide(frames, s) for s in EVAL_STRATEGIES}
            case.best_score = max((d["score"] for r in frames for d in r.detections), default=0.0)
            case.motion_judged = not any(r.reference == "none" for r in frames)
            infrared = sum(r.night for r in frames) * 2 > len(frames)
            hour, case.width = _hour_and_width(*case.media[0])
            case.light = "night" if infrared or (hour is not None and (hour >= 19 or hour < 6)) else "day"


def _hour_and_width(path: str, kind: str) -> tuple[int | None, int]:
    """The capture hour (EXIF, images) and the width of a media; (None, 0) when unreadable."""
    from .ingest import image_datetime

    try:
        if kind == "video":
            import av

            with av.open(path) as container:
                return None, int(container.streams.video[0].width)
        from PIL import Image

        with Image.open(path) as image:
            width = image.width
        taken = image_datetime(Path(path))
        return (taken.hour if taken else None), width
    except Exception:  # a media the analysis already reported as unreadable
        return None, 0


def tally(cases: list[Case], strategy: str) -> dict:
    """Animal events kept, empty frames removed (frames of blank events decided ``blank``), people kept."""
    animals = [c for c in cases if c.truth == "animal"]
    blanks = [c for c in cases if c.truth == "blank"]
    people = [c for c in cases if c.truth in ("human", "vehicle")]
    kept = sum(c.decisions[strategy] != "blank" for c in animals)
    frames = sum(c.frames for c in blanks)
    removed = sum(c.frames for c in blanks if c.decisions[strategy] == "blank")
    out = {
        "animal_events": len(animals), "animal_kept": kept,
        "animal_kept_share": round(kept / len(animals), 4) if animals else None,
        "blank_events": len(blanks), "blank_frames": frames, "blank_frames_removed": removed,
        "blank_events_removed": sum(c.decisions[strategy] == "blank" for c in blanks),
        "blank_removed_share": round(removed / frames, 4) if frames else None,
        "people_events": len(people), "people_kept": sum(c.decisions[strategy] != "blank" for c in people),
    }
    if strategy in ("motion", "plain"):
        out["not_judged"] = sum(not c.motion_judged for c in animals + blanks)
    if animals and frames:
        out["targets_met"] = bool(out["animal_kept_share"] >= TARGET_ANIMALS_KEPT
                                  and out["blank_removed_share"] >= TARGET_BLANKS_REMOVED)
    return out


def _group_key(case: Case, by: str) -> str:
    value = getattr(case, by)
    return value or "non renseigné"


def report(cases: list[Case], notes: list[str] | None = None) -> dict:
    scored = [c for c in cases if c.truth != "unscored"]
    breakdown = {}
    for by in BREAKDOWNS:
        groups: dict[str, list[Case]] = defaultdict(list)
        for case in scored:
            groups[_group_key(case, by)].append(case)
        breakdown[by] = {key: {s: tally(members, s) for s in EVAL_STRATEGIES} for key, members in sorted(groups.items())}
    animal_scores = sorted(c.best_score for c in scored if c.truth == "animal" and c.best_score)
    blank_scores = sorted(c.best_score for c in scored if c.truth == "blank" and c.best_score)
    return {
        "targets": {"animal_kept": TARGET_ANIMALS_KEPT, "blank_removed": TARGET_BLANKS_REMOVED},
        "strategies": {s: tally(scored, s) for s in EVAL_STRATEGIES},
        "breakdown": breakdown,
        "detector_scores": {"animal_min": animal_scores[0] if animal_scores else None,
                            "blank_max": blank_scores[-1] if blank_scores else None},
        "cases": [{**{k: v for k, v in asdict(c).items() if k not in ("media",)},
                   "kind": c.kind, "resolution": c.resolution, "frames": c.frames, "files": [p for p, _ in c.media]} for c in cases],
        "generated": sorted({f"{c.event_id} : {c.how}" for c in cases if c.how}),
        "unscored": [{"event_id": c.event_id, "decisions": c.decisions} for c in cases if c.truth == "unscored"],
        "notes": list(notes or []),
    }


def run_evaluation(data: str | Path, work: str | Path, *, sources=SOURCES, detector: str = "embedded") -> dict:
    """Collect, analyse and report (see the module docstring). ``work`` receives generated frames."""
    cases, notes = collect_cases(data, work, sources)
    if not cases:
        raise BiodiversiteError(f"Aucun événement étiqueté trouvé dans {data} pour : {', '.join(sources)}.")
    analyse_cases(cases, detector)
    out = report(cases, notes)
    out.update({"data": str(data), "detector": detector, "sources": list(sources)})
    return out


STRATEGY_NAMES = {"detector": "détecteur seul", "motion": "mouvement seul", "both": "détecteur + mouvement",
                  "plain": "différence d'images simple"}


def _share(value) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def summary_lines(result: dict) -> list[str]:
    """A French text summary of :func:`run_evaluation`'s result."""
    lines = [f"{'stratégie':<28} {'animaux gardés':>22} {'images vides retirées':>26}  objectifs"]
    for strategy, t in result["strategies"].items():
        animals = f"{t['animal_kept']}/{t['animal_events']} ({_share(t['animal_kept_share'])})"
        blanks = f"{t['blank_frames_removed']}/{t['blank_frames']} ({_share(t['blank_removed_share'])})"
        met = {True: "atteints", False: "non atteints"}.get(t.get("targets_met"), "—")
        lines.append(f"{STRATEGY_NAMES[strategy]:<28} {animals:>22} {blanks:>26}  {met}")
    return lines


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
