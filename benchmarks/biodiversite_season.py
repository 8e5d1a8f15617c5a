"""Biodiversité: a simulated season of camera-trap images through the engine -> docs/benchmarks.md.

Issue 16, « Performance »: a season of 100,000 images through the batch engine: wall time, images/s,
peak memory of the process tree, resume after a kill, and the local engine against Ray on the same
machine.

**The season** is generated outside the repository (``--work``, default ``var/bench/biodiversite_season``;
generated once per size and seed, kept for the next runs): 12 sites × 3 cameras × 3 visits
(``site_01/cam1/visite1/IMG_00001.JPG``, nested as they come off SD cards), JPEG 640 × 360 with an
EXIF ``DateTimeOriginal``. Each camera's background is a random window (70–100 % of the width,
mirrored or not, colour-tinted) of one of the three real empty frames of the SpeciesNet test set
(NACTI and Wellington: day and dusk). Media come in triggers (events) of 1, 3, 6 or 10 frames one
second apart, separated by 5 minutes to 10 hours; from 19 h to 6 h frames are infrared (grey, darker,
noisier). Every frame gets sensor noise, a global gain jitter (± 4 %), and in one event in ten a sun
flash (gain × 1.3 on one frame); grass in the lower third sways (a band shifted by up to 2 px); a
black info bar at the bottom prints the frame's time. 15 % of events hold an animal: a real crop cut
at the box of a real camera-trap frame (the 21 ENA24 images at their MegaDetector v5 boxes, the 14
frames of the LILA squirrel sequence at their YOLO boxes), resized to 8–30 % of the frame width,
pasted with a feathered elliptical mask, moving across the event's frames (grey and brightened at
night). The truth (which events hold an animal) is kept in ``truth.csv`` next to the season.

**The analysis** is the command users run, ``amorce biodiversite analyse SOURCE --out DIR --json``
(motion filter, Camtrap DP output), as a subprocess; the process tree's RSS (the command, its pool
workers, Ray's processes) is summed every 0.2 s from /proc. Measured:

1. one uninterrupted run of the whole season (local engine): wall time, images/s, peak memory
   (``--phase full``);
2. on a subset (the first cameras, ``--subset-images``; ``--phase subset`` can run while the rest of
   the season is still being generated, and each run adds one measurement): the local engine against
   Ray (``AMORCE_ENGINE=ray``), outputs equal; then a run on a fresh output folder killed (SIGKILL,
   its whole process group) once about half of its partitions are in the resume cache, started
   again: media analysed again against the total, and the outputs (``observations.csv``,
   ``media.csv``, ``deployments.csv``, ``classificationTimestamp`` aside) equal to those of the
   uninterrupted local run.

Measurements are kept as JSON next to the season; the section of docs/benchmarks.md is written from
all of them (``--phase subset --subset-images 0`` rewrites it alone). About 20 minutes for 100,000
images on 2 loaded cores, plus about 30 for the generation the first time (3.7 GB on disk).

The embedded detector is not run on the season (its throughput at 1920 × 1080 is measured by
``benchmarks/biodiversite_filter.py``): its season time is extrapolated from that figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import REPORT, ROOT, SHARED_DATA, markdown_table, write_section  # noqa: E402

SIZE = (640, 360)
SITES, CAMERAS, VISITS = 12, 3, 3
ANIMAL_SHARE = 0.15
BURSTS = ((1, 0.05), (3, 0.70), (6, 0.15), (10, 0.10))  # frames per event, probability
GENERATOR_VERSION = 1
BLANKS = SHARED_DATA / "camera_trap_speciesnet_test_images" / "images"
ENA24 = SHARED_DATA / "camera_traps" / "ena24_small"
SQUIRRELS = SHARED_DATA / "camera_traps" / "ms_squirrel_detection"
START = datetime(2026, 4, 1, 8, 0, 0)


# -------------------------------------------------------------------------------------------------
# The simulated season


def _crops() -> list:
    """Real animals: RGB crops at real boxes (ENA24 MegaDetector v5 boxes ≥ 0.5, squirrel YOLO boxes)."""
    from PIL import Image

    crops = []
    md = json.loads((ENA24 / "md_annotations.json").read_text(encoding="utf-8"))
    for item in md["images"]:
        for det in item.get("detections", []):
            if det["category"] == "1" and det["conf"] >= 0.5:
                with Image.open(ENA24 / item["file"]) as image:
                    w, h = image.size
                    x, y, bw, bh = det["bbox"]
                    crops.append(image.convert("RGB").crop((int(x * w), int(y * h), int((x + bw) * w), int((y + bh) * h))))
    for label in sorted((SQUIRRELS / "labels_yolo").rglob("*.txt")):
        image_path = SQUIRRELS / "images" / label.parent.name / f"{label.stem}.jpg"
        if not image_path.exists():
            continue
        with Image.open(image_path) as image:
            w, h = image.size
            for line in label.read_text().splitlines():
                parts = line.split()
                if len(parts) != 5 or parts[0] != "0":
                    continue
                cx, cy, bw, bh = (float(v) for v in parts[1:])
                box = (int((cx - bw / 2) * w), int((cy - bh / 2) * h), int((cx + bw / 2) * w), int((cy + bh / 2) * h))
                if box[2] - box[0] >= 8 and box[3] - box[1] >= 8:
                    crops.append(image.convert("RGB").crop(box))
    return crops


def _backgrounds(count: int, rng) -> list[np.ndarray]:
    """One background per camera: a window of a real empty frame, mirrored or not, tinted."""
    from PIL import Image

    blanks = []
    for name in ("blank.jpg", "blank2.jpg", "blank3.jpg"):
        with Image.open(BLANKS / name) as image:
            image.draft("RGB", (1280, 960))
            blanks.append(image.convert("RGB"))
    out = []
    width, height = SIZE
    for index in range(count):
        image = blanks[index % len(blanks)]
        scale = rng.uniform(0.7, 1.0)
        w = int(image.width * scale)
        h = min(image.height, int(w * height / width))
        x0, y0 = int(rng.integers(0, image.width - w + 1)), int(rng.integers(0, image.height - h + 1))
        window = image.crop((x0, y0, x0 + w, y0 + h)).resize(SIZE, Image.Resampling.BILINEAR)
        if rng.random() < 0.5:
            window = window.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        array = np.asarray(window, dtype=np.float32) * rng.uniform(0.9, 1.1, size=3).astype(np.float32)
        out.append(np.clip(array, 0, 255))
    return out


def _plan(total: int, seed: int) -> list[dict]:
    """The season's events: camera, visit, start time, frames, animal or not (deterministic)."""
    rng = np.random.default_rng(seed)
    cameras = [(s, c) for s in range(1, SITES + 1) for c in range(1, CAMERAS + 1)]
    per_camera = [total // len(cameras) + (1 if i < total % len(cameras) else 0) for i in range(len(cameras))]
    sizes, weights = zip(*BURSTS, strict=True)
    events = []
    for (site, camera), budget in zip(cameras, per_camera, strict=True):
        when = START + timedelta(minutes=int(rng.integers(0, 600)))
        own, number = [], 0
        while number < budget:
            frames = min(int(rng.choice(sizes, p=weights)), budget - number)
            own.append({"site": site, "camera": camera, "start": when, "frames": frames, "first": number,
                        "animal": bool(rng.random() < ANIMAL_SHARE), "seed": int(rng.integers(0, 2**31)),
                        "visit": 1 + number * VISITS // budget})  # one SD card swap every third of the season
            number += frames
            when += timedelta(seconds=frames) + timedelta(minutes=float(rng.uniform(5, 600)))
        events.extend(own)
    return events


def _relative(event: dict, index: int) -> str:
    return (f"site_{event['site']:02d}/cam{event['camera']}/visite{event['visit']}/"
            f"IMG_{event['first'] + index + 1:05d}.JPG")


def _render(event: dict, background: np.ndarray, noise: np.ndarray, crops: list, root: Path) -> None:
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(event["seed"])
    width, height = SIZE
    night = not 6 <= event["start"].hour < 19
    base = background.mean(axis=2, keepdims=True).repeat(3, axis=2) * 0.55 if night else background
    flash = int(rng.integers(0, event["frames"])) if rng.random() < 0.1 else -1
    if event["animal"]:
        crop = crops[int(rng.integers(0, len(crops)))]
        target_w = int(width * rng.uniform(0.08, 0.30))
        target_h = max(8, int(crop.height * target_w / crop.width))
        animal = np.asarray(crop.resize((target_w, min(target_h, height // 2))), dtype=np.float32)
        if night:
            animal = animal.mean(axis=2, keepdims=True).repeat(3, axis=2) * 1.2
        ah, aw = animal.shape[:2]
        yy, xx = np.mgrid[0:ah, 0:aw]
        radius = ((xx - aw / 2) / (aw / 2)) ** 2 + ((yy - ah / 2) / (ah / 2)) ** 2
        alpha = np.clip(1.5 * np.exp(-2.5 * radius), 0, 1)[..., None]  # feathered: the crop's own background fades out
        x_from, x_to = rng.uniform(0, width - aw), rng.uniform(0, width - aw)
        y = int(rng.uniform(height * 0.3, height * 0.92 - ah))
        # the crop's colours brought to the scene's (an animal 10-40 % darker than the ground it stands on)
        ground = base[y:y + ah].reshape(-1, 3).mean(axis=0)
        animal = animal * (ground / np.maximum(animal.reshape(-1, 3).mean(axis=0), 1.0)) * np.float32(rng.uniform(0.6, 0.9))
    for index in range(event["frames"]):
        gain = rng.normal(1.0, 0.04) * (1.3 if index == flash else 1.0)
        shift = int(rng.integers(-noise.shape[0] // 2, noise.shape[0] // 2))
        frame = base * np.float32(gain) + np.roll(noise, shift, axis=0) * (2.0 if night else 1.0)
        sway = int(rng.integers(-2, 3))
        if sway:
            band = slice(int(height * 0.7), int(height * 0.92))
            frame[band] = np.roll(frame[band], sway, axis=1)
        if event["animal"]:
            t = index / max(1, event["frames"] - 1)
            x = int(x_from + (x_to - x_from) * t)
            region = frame[y:y + ah, x:x + aw]
            region[...] = region * (1 - alpha) + animal * alpha * np.float32(gain)
        when = event["start"] + timedelta(seconds=index)
        frame[int(height * 0.94):] = 0
        image = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
        ImageDraw.Draw(image).text((8, int(height * 0.945)), when.strftime("%d/%m/%Y %H:%M:%S  CAM") + str(event["camera"]),
                                   fill=(255, 255, 255))
        exif = Image.Exif()
        exif[0x8769] = {0x9003: when.strftime("%Y:%m:%d %H:%M:%S")}
        path = root / _relative(event, index)
        image.save(path, "JPEG", quality=85, exif=exif.tobytes())


def _render_camera(job: tuple) -> int:
    events, background_seed, camera_index, source = job
    rng = np.random.default_rng(background_seed)
    backgrounds = _backgrounds(camera_index + 1, rng)
    background = backgrounds[camera_index]
    noise = rng.normal(0, 3.0, size=(SIZE[1] * 2, SIZE[0], 3)).astype(np.float32)[: SIZE[1]]
    crops = _crops()
    root = Path(source)
    for visit in {e["visit"] for e in events}:
        (root / _relative({**events[0], "visit": visit}, 0)).parent.mkdir(parents=True, exist_ok=True)
    for event in events:
        _render(event, background, noise, crops, root)
    return sum(e["frames"] for e in events)


def generate(work: Path, total: int, seed: int) -> tuple[Path, list[dict], float]:
    """The season under ``work/season-N-sSEED`` (reused when complete); returns (source, events, seconds)."""
    from amorce.core.engine import run_partitions

    folder = work / f"season-{total}-s{seed}-v{GENERATOR_VERSION}"
    source, marker = folder / "SD", folder / "complete.json"
    events = _plan(total, seed)
    if marker.exists():
        return source, events, json.loads(marker.read_text())["seconds"]
    start = time.perf_counter()
    by_camera: dict[tuple, list] = {}
    for event in events:
        by_camera.setdefault((event["site"], event["camera"]), []).append(event)
    jobs = [(chunk, seed, index, str(source)) for index, chunk in enumerate(by_camera.values())]
    done = run_partitions(_render_camera, jobs, engine="local")
    assert sum(done) == total
    with (folder / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_file", "frames", "animal", "night"])
        for event in events:
            writer.writerow([_relative(event, 0), event["frames"], int(event["animal"]),
                             int(not 6 <= event["start"].hour < 19)])
    seconds = time.perf_counter() - start
    marker.write_text(json.dumps({"images": total, "events": len(events), "seconds": seconds}))
    return source, events, seconds


# -------------------------------------------------------------------------------------------------
# Running the command and watching its process tree


def _tree_rss(root_pid: int) -> int:
    """Sum of the RSS (bytes) of ``root_pid`` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class Watch:
    """The command as a subprocess, with the peak RSS of its process tree."""

    def __init__(self, args: list[str], env: dict):
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.proc.pid))
            self._stop.wait(0.2)

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)  # the whole session: the command and its workers

    def wait(self) -> tuple[int, str, str, float]:
        out, err = self.proc.communicate()
        seconds = time.perf_counter() - self.start
        self._stop.set()
        self._thread.join()
        return self.proc.returncode, out, err, seconds


def _command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "amorce.cli", "biodiversite", "analyse", str(source), "--out", str(out), "--json"]


def _env(engine: str) -> dict:
    return {**os.environ, "AMORCE_ENGINE": engine, "PYTHONPATH": str(ROOT / "src")}


def analyse(source: Path, out: Path, engine: str = "local") -> dict:
    load = os.getloadavg()[0]
    watch = Watch(_command(source, out), _env(engine))
    code, stdout, stderr, seconds = watch.wait()
    if code != 0:
        raise SystemExit(f"amorce biodiversite analyse a échoué ({code}) :\n{stderr[-3000:]}")
    summary = json.loads(stdout)
    return {"summary": summary, "seconds": seconds, "peak": watch.peak, "load": (load, os.getloadavg()[0])}


def _observations(out: Path) -> dict[str, list]:
    """The run's outputs without their run-specific fields, for equality checks."""
    tables = {}
    for name in ("observations.csv", "media.csv", "deployments.csv"):
        with (out / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        tables[name] = sorted(json.dumps({k: v for k, v in row.items() if k != "classificationTimestamp"},
                                         sort_keys=True) for row in rows)
    return tables


def _cached_media(cache: Path) -> tuple[int, int]:
    """(partitions, media) already in the resume cache."""
    files = [p for p in cache.glob("*.json")]
    media = 0
    for path in files:
        media += len(json.loads(path.read_text(encoding="utf-8"))["results"])
    return len(files), media


def _partitions(events: list[dict], per_partition: int) -> int:
    counts: dict[str, int] = {}
    for event in events:
        key = f"{event['site']}/{event['camera']}/{event['visit']}"
        counts[key] = counts.get(key, 0) + 1
    return sum(-(-n // per_partition) for n in counts.values())


def resume(source: Path, out: Path, events: list[dict], reference: Path) -> dict:
    """Kill the command once about half of its partitions are cached, start it again, compare with
    the outputs of an uninterrupted run on the same ``source`` (``reference``)."""
    from amorce.biodiversite.pipeline import EVENTS_PER_PARTITION

    expected = _partitions(events, EVENTS_PER_PARTITION)
    cache = out / ".cache-biodiversite"
    watch = Watch(_command(source, out), _env("local"))
    while watch.proc.poll() is None:
        if cache.is_dir() and sum(1 for _ in cache.glob("*.json")) >= expected // 2:
            watch.kill()
            break
        time.sleep(0.2)
    code, _, _, killed_after = watch.wait()
    if code != -signal.SIGKILL:
        raise SystemExit(f"la commande n'a pas été interrompue (code {code}) : saison trop petite ?")
    partitions, media = _cached_media(cache)
    leftovers = len(list(cache.glob(".*.tmp")))
    again = analyse(source, out)
    total = again["summary"]["media"]
    equal = _observations(out) == _observations(reference)
    return {"expected": expected, "killed_after": killed_after, "partitions": partitions, "cached_media": media,
            "reanalysed": total - media, "total": total, "restart": again, "equal": equal,
            "cached_reported": again["summary"]["cached_partitions"], "tmp_leftovers": leftovers}


def _subset(source: Path, events: list[dict], images: int) -> tuple[Path, list[dict]]:
    """The first cameras of the season holding at least ``images`` images (a SOURCE of their own, hard
    links to the same files: scan does not follow symbolic links), and their events."""
    subset = source.parent / f"subset-{images}"
    count, cameras = 0, []
    for site in range(1, SITES + 1):
        for camera in range(1, CAMERAS + 1):
            if count < images:
                cameras.append((site, camera))
                count += sum(e["frames"] for e in events if (e["site"], e["camera"]) == (site, camera))
    chosen = [e for e in events if (e["site"], e["camera"]) in cameras]
    if not (subset / "complete").exists():
        for site, camera in cameras:
            folder = source / f"site_{site:02d}" / f"cam{camera}"
            for path in sorted(folder.rglob("*.JPG")):
                target = subset / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    os.link(path, target)
        linked = sum(1 for _ in subset.rglob("*.JPG"))
        if linked != count:
            raise SystemExit(f"sous-ensemble incomplet : {linked} images sur {count} (saison en cours de génération ?)")
        (subset / "complete").write_text("")
    return subset, chosen


def _fresh(out: Path) -> Path:
    if out.exists():
        import shutil

        shutil.rmtree(out)
    return out


# -------------------------------------------------------------------------------------------------
# Report


def _quality(out: Path, truth: Path) -> tuple[int, int, int, int]:
    """(animal events kept, animal events, blank frames removed, blank frames) against the generated truth."""
    from types import SimpleNamespace

    from amorce.biodiversite.ingest import event_id

    with (out / "observations.csv").open(encoding="utf-8") as handle:
        kinds = {row["eventID"]: row["observationType"] for row in csv.DictReader(handle)}
    kept = animals = removed = blanks = 0
    with truth.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            first = row["first_file"]
            kind = kinds.get(event_id(first.rsplit("/", 1)[0], SimpleNamespace(path=first)), "unclassified")
            if row["animal"] == "1":
                animals += 1
                kept += kind != "blank"
            else:
                blanks += int(row["frames"])
                removed += int(row["frames"]) if kind == "blank" else 0
    return kept, animals, removed, blanks


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _mb(value: int) -> str:
    return f"{_n(round(value / 2**20))} Mo"


def _rate(images: int, seconds: float) -> str:
    return f"{images / seconds:.1f}"


def detector_rate() -> float | None:
    """The embedded detector's throughput at 1920 × 1080 measured by biodiversite_filter.py (docs/benchmarks.md)."""
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    match = re.search(r"\| Détecteur YOLOX-tiny 640 px sur chaque image[^|]*\| ([0-9.]+) \|", text)
    return float(match.group(1)) if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=100_000, help="images de la saison simulée")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "biodiversite_season",
                        help="dossier de travail (saison générée, sorties), hors du dépôt")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--subset-images", type=int, default=5_000,
                        help="taille du sous-ensemble (premiers pièges) des mesures local/Ray et de la reprise (0 : sans)")
    parser.add_argument("--no-resume", action="store_true", help="ne pas mesurer la reprise après interruption")
    parser.add_argument("--phase", choices=("all", "subset", "full"), default="all",
                        help="subset : seulement local/Ray et reprise (premiers pièges, possible pendant la "
                             "génération du reste) ; full : la saison entière, avec les résultats d'un --phase subset "
                             "antérieur s'il y en a")
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    folder = work / f"season-{args.images}-s{args.seed}-v{GENERATOR_VERSION}"
    runs = folder / "runs"
    if args.phase in ("all", "subset") and args.subset_images:
        # needs only the first cameras of the season: can run while the rest is still being generated
        events = _plan(args.images, args.seed)
        subset, chosen = _subset(folder / "SD", events, args.subset_images)
        count = sum(e["frames"] for e in chosen)
        print(f"Local contre Ray sur {count} images…", flush=True)
        local = analyse(subset, _fresh(runs / "subset-local"), "local")
        on_ray = analyse(subset, _fresh(runs / "subset-ray"), "ray")
        ray = {"images": count, "local": local, "ray": on_ray,
               "equal": _observations(runs / "subset-local") == _observations(runs / "subset-ray")}
        print(f"  local {local['seconds']:.0f} s, Ray {on_ray['seconds']:.0f} s, égal : {ray['equal']}", flush=True)
        resumed = None
        if not args.no_resume:
            print("Reprise après interruption…", flush=True)
            resumed = resume(subset, _fresh(runs / "subset-killed"), chosen, runs / "subset-local")
            print(f"  {resumed}", flush=True)
        saved = _load(folder / "results-subset.json") or {"runs": []}
        saved["runs"].append({"ray": ray, "resumed": resumed, "concurrent_generation": not (folder / "complete.json").exists()})
        (folder / "results-subset.json").write_text(json.dumps(saved))
    if args.phase in ("all", "full"):
        print(f"Génération de {args.images} images dans {work}…", flush=True)
        source, events, gen_seconds = generate(work, args.images, args.seed)
        print(f"Saison prête ({gen_seconds:.0f} s). Analyse complète…", flush=True)
        full = analyse(source, _fresh(runs / "full"))
        summary = full["summary"]
        assert summary["media"] == args.images, summary["media"]
        assert summary["events"] == len(events), (summary["events"], len(events))
        print(f"  {full['seconds']:.0f} s, pic {_mb(full['peak'])}", flush=True)
        full["quality"] = _quality(runs / "full", source.parent / "truth.csv")
        full.update(events=len(events), generation_seconds=gen_seconds, load_start=load_start[0],
                    measured_at=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        (folder / "results-full.json").write_text(json.dumps(full))
    body = report(folder, args.images)
    if body is None:
        print("Saison entière pas encore mesurée (--phase full) : section non écrite.")
        return
    print(body)
    if not args.no_report:
        write_section("biodiversite_season", "Biodiversité : une saison de 100 000 images (temps, mémoire, reprise, Ray)",
                      body)


def _load(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def report(folder: Path, n: int) -> str | None:
    """The section of docs/benchmarks.md from the saved measurements of ``folder``."""
    full = _load(folder / "results-full.json")
    if full is None:
        return None
    subset_runs = (_load(folder / "results-subset.json") or {"runs": []})["runs"]
    summary = full["summary"]
    kept, animals, removed, blanks = full["quality"]
    events, gen_seconds = full["events"], full["generation_seconds"]
    counts = summary["observation_types"]
    det = detector_rate()
    rows = [[f"Saison complète, moteur local (2 processus ; terminée le {full.get('measured_at', '?')})", _n(n),
             f"{full['seconds']:.0f}",
             _rate(n, full["seconds"]), _mb(full["peak"]), f"{full['load'][0]:.1f} / {full['load'][1]:.1f}"]]
    ratios, extras = [], []
    for index, item in enumerate(subset_runs, start=1):
        ray, resumed = item["ray"], item["resumed"]
        note = f" (mesure {index}{', pendant la génération' if item['concurrent_generation'] else ''})"
        for key, label in (("local", "moteur local"), ("ray", "Ray local")):
            run = ray[key]
            rows.append([f"Sous-ensemble, {label}{note}", _n(ray["images"]), f"{run['seconds']:.0f}",
                         _rate(ray["images"], run["seconds"]), _mb(run["peak"]),
                         f"{run['load'][0]:.1f} / {run['load'][1]:.1f}"])
        ratios.append((ray["ray"]["seconds"] / ray["local"]["seconds"], ray["equal"], ray["images"]))
        extras.append(ray["ray"]["peak"] - ray["local"]["peak"])
        if resumed:
            restart = resumed["restart"]
            rows.append([f"Reprise après SIGKILL, 2e lancement{note}", _n(resumed["reanalysed"]) + " réanalysées",
                         f"{restart['seconds']:.0f}", "—", _mb(restart["peak"]),
                         f"{restart['load'][0]:.1f} / {restart['load'][1]:.1f}"])
    killed = [item["resumed"] for item in subset_runs if item["resumed"]]
    resumed = killed[-1] if killed else None
    equal_runs = sum(item["equal"] for item in killed)
    ray = bool(ratios)
    extra = int(sum(extras) / max(1, len(extras)))
    lines = [
        f"Script : `benchmarks/biodiversite_season.py --images {n}` ; commande mesurée : `amorce biodiversite "
        "analyse SOURCE --out DIR --json` (filtre par mouvement, paquet Camtrap DP), lancée en sous-processus ; "
        "mémoire = somme des RSS de l'arbre de processus (commande, processus du moteur, processus de Ray), "
        "relevée toutes les 0,2 s. Temps = commande entière : lecture de la saison (date EXIF et décodage de "
        "contrôle de chaque fichier, par lots de 2 000 dans le moteur), analyse par lots de 50 événements (moteur), "
        "écriture du paquet.",
        "",
        f"**Saison simulée** ({_n(n)} images JPEG {SIZE[0]}×{SIZE[1]}, {_n(events)} événements, "
        f"{SITES * CAMERAS} pièges, générée en {gen_seconds:.0f} s) : fonds = fenêtres des 3 images vides réelles "
        "du jeu de test SpeciesNet, déclenchements de 1, 3, 6 ou 10 images, nuit infrarouge de 19 h à 6 h, bruit de "
        "capteur, variation de gain et flashs de soleil, herbe qui bouge, bandeau d'informations horodaté ; 15 % "
        "des événements portent un animal réel découpé à sa boîte (21 images ENA24 aux boîtes MegaDetector v5, "
        "14 images d'écureuils LILA aux boîtes YOLO) qui se déplace d'image en image. Détail dans la docstring du "
        "script.",
        "",
        markdown_table(["Exécution", "Images", "Temps (s)", "Images/s", "Pic mémoire (arbre)",
                        "Charge moyenne avant / après"], rows),
        "",
        f"Résultat de la saison complète : {', '.join(f'{k} {v}' for k, v in sorted(counts.items()))} ; sur la "
        f"vérité générée, événements animaux gardés {kept}/{animals} ({100 * kept / max(1, animals):.1f} %), images "
        f"vides retirées {removed}/{blanks} ({100 * removed / max(1, blanks):.1f} %) (données synthétiques : "
        "contrôle de cohérence, pas une mesure de qualité ; celle-ci est dans la section du tri des images vides).",
    ]
    if resumed:
        lines += ["", (
            f"**Reprise après interruption** (sur les {_n(resumed['total'])} images du sous-ensemble) : la commande, tuée (SIGKILL, tout son groupe de processus) après "
            f"{resumed['killed_after']:.0f} s avec {resumed['partitions']} lots sur {resumed['expected']} dans le "
            f"cache de reprise ({_n(resumed['cached_media'])} images), relancée à l'identique : elle a repris "
            f"{resumed['cached_reported']} lots du cache et réanalysé {_n(resumed['reanalysed'])} images sur "
            f"{_n(resumed['total'])} ({100 * resumed['reanalysed'] / resumed['total']:.1f} %). Sorties "
            f"(`observations.csv`, `media.csv`, `deployments.csv`, hors `classificationTimestamp`) "
            f"{'identiques' if resumed['equal'] else '**différentes**'} à celles de l'exécution sans interruption "
            f"(moteur local, ci-dessus) ; sur toutes les mesures : identiques {equal_runs} fois sur {len(killed)}. "
            f"Fichiers temporaires laissés dans le cache par l'interruption : {resumed['tmp_leftovers']}. La lecture "
            "de la saison (EXIF, contrôle de chaque fichier) est refaite au redémarrage : elle n'est pas dans le "
            "cache.")]
    if ray:
        measured = " ; ".join(f"mesure {i} : {r:.2f}, résultats {'identiques' if eq else '**différents**'}"
                              for i, (r, eq, _) in enumerate(ratios, start=1))
        lines += ["", (
            f"**Moteur local contre Ray** (même machine, mêmes {_n(ratios[0][2])} images : les premiers pièges de "
            f"la saison), rapport des temps de la commande Ray / local (démarrage de Ray compris) : {measured}. "
            f"Mémoire en plus avec Ray (ses propres processus) : {_mb(extra)} en moyenne.")]
    if det:
        hours = n / det / 3600
        lines += ["", (
            f"**Avec le détecteur intégré sur chaque image** (`--detector embedded`) : non mesuré sur la saison ; "
            f"son débit mesuré à 1920×1080 sur 2 cœurs (section « tri des images vides », {det} images/s, décodage "
            f"compris) donne environ {hours:.1f} h pour {_n(n)} images (contre {n / 1.0 / 3600:.0f} h au débit "
            "publié de MegaDetector v5, 0,5 image/s par cœur).")]
    lines += ["", f"Charge moyenne de la machine (partagée, 2 cœurs) au début de la mesure de la saison complète : "
                  f"{full['load_start']:.1f}."]
    return "\n".join(lines)

if __name__ == "__main__":
    main()
