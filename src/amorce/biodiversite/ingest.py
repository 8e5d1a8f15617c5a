"""Ingest a season of camera-trap media: folders as they come off SD cards, deployments, events.

Pure (no Django). A SOURCE folder holds media nested as the field team copied them, usually
``site/camera/visit/IMG_0001.JPG``. Each media gets a deployment (from the deployments file's
``folder`` column, else its parent folder), a capture time (EXIF ``DateTimeOriginal`` for images,
the container's ``creation_time`` for videos, else the file's modification time, reported), the
deployment's clock offset, and an event (sequence) by time gap within its deployment.

Nothing is skipped silently: every file that cannot be read, or whose date is missing or absurd, is
listed in :class:`IngestReport` with a French reason; an unreadable file is skipped, never fatal.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from amorce.core.errors import Problem, ValidationReport
from amorce.core.files import read_csv_rows

from .errors import BiodiversiteError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}
VIDEO_SUFFIXES = {".mp4", ".avi", ".mov", ".mkv", ".m4v", ".mts", ".wmv"}
DEFAULT_EVENT_GAP = 60.0  # seconds between two media of one event (DeepFaune and camtrapR use 1 to 30 min)
DEFAULT_TIMEZONE = "Europe/Paris"
EARLIEST_PLAUSIBLE = datetime(2001, 1, 1)  # cameras reset to 1970, 2000-01-01 or their firmware date


@dataclass(frozen=True)
class Deployment:
    """One camera at one place for one period (Camtrap DP ``deployments.csv`` row, plus processing fields)."""

    deployment_id: str
    location_id: str = ""
    location_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    start: datetime | None = None  # local time of the camera, naive
    end: datetime | None = None
    camera_id: str = ""
    camera_model: str = ""
    folder: str = ""  # path relative to SOURCE whose media belong to this deployment
    clock_offset: float = 0.0  # seconds added to the camera's clock
    event_gap: float = DEFAULT_EVENT_GAP
    timezone: str = DEFAULT_TIMEZONE
    malfunctions: tuple[tuple[datetime, datetime], ...] = ()
    exclusion_masks: tuple[tuple[float, float, float, float], ...] = ()  # normalised x, y, w, h
    comments: str = ""

    def zone(self):
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(DEFAULT_TIMEZONE)


@dataclass(frozen=True)
class Media:
    media_id: str
    path: str  # relative to SOURCE, with forward slashes
    deployment_id: str
    kind: str  # "image" | "video"
    timestamp: datetime  # corrected local time (naive)
    time_source: str  # "exif" | "video" | "file" (modification time, reported)
    size: int = 0
    mtime: float = 0.0
    event_id: str = ""


@dataclass
class Event:
    event_id: str
    deployment_id: str
    start: datetime
    end: datetime
    media: list[Media] = field(default_factory=list)


@dataclass
class IngestReport:
    """What went wrong while reading a season, file by file (French)."""

    skipped: list[Problem] = field(default_factory=list)  # unreadable files (not analysed)
    dates: list[Problem] = field(default_factory=list)  # missing or absurd dates (analysed, flagged)
    ignored: int = 0  # files that are not media (notes, .DS_Store...): counted, not listed

    def lines(self) -> list[str]:
        return [f"Fichier ignoré : {p}" for p in self.skipped] + [f"Date douteuse : {p}" for p in self.dates]

    def to_dict(self) -> dict:
        return {"skipped": [str(p) for p in self.skipped], "dates": [str(p) for p in self.dates],
                "ignored": self.ignored}


@dataclass
class Season:
    source: Path
    deployments: dict[str, Deployment]
    media: list[Media]
    report: IngestReport

    def events(self) -> list[Event]:
        return group_events(self.media, self.deployments)


# -------------------------------------------------------------------------------------------------
# Capture times


def _parse_exif_datetime(text: str) -> datetime | None:
    text = (text or "").strip().replace("\x00", "")
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text[:19] if "%S" in pattern else text[:16], pattern)
        except ValueError:
            continue
    return None


def image_datetime(path: Path) -> datetime | None:
    """``DateTimeOriginal`` (else ``DateTimeDigitized``, ``DateTime``) of an image, or None."""
    import exifread

    with path.open("rb") as handle:
        tags = exifread.process_file(handle, details=False, stop_tag="DateTimeOriginal")
    for name in ("EXIF DateTimeOriginal", "EXIF DateTimeDigitized", "Image DateTime"):
        if name in tags:
            value = _parse_exif_datetime(str(tags[name]))
            if value:
                return value
    return None


def video_datetime(path: Path) -> datetime | None:
    """The container's (or first stream's) ``creation_time`` as naive UTC, or None."""
    import av

    with av.open(str(path)) as container:
        candidates = [container.metadata.get("creation_time")]
        candidates += [s.metadata.get("creation_time") for s in container.streams]
    for text in candidates:
        if not text:
            continue
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return None


def check_readable(path: Path, kind: str) -> None:
    """Raise (any exception) when the media cannot be decoded."""
    if kind == "image":
        from amorce.core.images import open_image

        # every compressed byte is decoded (a truncated or damaged file fails) but, for a JPEG, at 1/8
        # scale (Pillow's draft mode: about half the time of a full decode); refused above the
        # decompression-bomb limit
        open_image(path, min_side=1).close()
    else:
        import av

        with av.open(str(path)) as container:
            if not container.streams.video:
                raise ValueError("aucune piste vidéo")
            next(container.decode(video=0))


# -------------------------------------------------------------------------------------------------
# Deployments


def _float(value: str, report: ValidationReport, line: int, column: str, path: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        report.add("nombre attendu", line=line, column=column, value=value)
        return None


def local_datetime(value: str, zone: tzinfo | None = None) -> datetime:
    """An ISO 8601 date-time as the camera's local time, naive (the time every media carries).

    An explicit offset (``Z``, ``+02:00``) says which instant is meant: it is honoured, converted to
    ``zone`` (the deployment's time zone; Europe/Paris when not given). A time without offset is
    taken as already local. ``ValueError`` when the text is not an ISO 8601 date-time.
    """
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "T", 1))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(zone or ZoneInfo(DEFAULT_TIMEZONE))
    return parsed.replace(tzinfo=None)


def parse_datetime(value: str, report: ValidationReport, line: int, column: str,
                   zone: tzinfo | None = None, *, required: bool = False) -> datetime | None:
    """:func:`local_datetime`, or None with a problem added to ``report`` (line, column) when it is not
    a date-time; an empty value is None, and a problem too when ``required``."""
    if not value and not required:
        return None
    try:
        return local_datetime(value, zone)
    except (ValueError, AttributeError):
        report.add("date et heure attendues", line=line, column=column, value=value,
                   expected="AAAA-MM-JJTHH:MM:SS, avec ou sans décalage +HH:MM (ISO 8601)")
        return None


def _utc_offset_zone(value: str) -> str | None:
    """``+02:00`` in a Camtrap DP timestamp -> ``Etc/GMT-2`` (a fixed zone), else None."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if parsed.tzinfo is None:
        return None
    hours = parsed.utcoffset().total_seconds() / 3600
    if hours != int(hours):
        return None
    return "UTC" if hours == 0 else f"Etc/GMT{-int(hours):+d}"


def _tomorrow(like: datetime) -> datetime:
    """Now plus a day (time zones aside), aware or naive as ``like``."""
    from datetime import UTC

    now = datetime.now(UTC) + timedelta(days=1)
    return now if like.tzinfo else now.replace(tzinfo=None)


def read_deployments(path: str | os.PathLike) -> dict[str, Deployment]:
    """Deployments from a CSV: Camtrap DP ``deployments.csv`` columns, plus optional processing columns.

    Required: ``deploymentID``. Read when present: ``locationID``, ``locationName``, ``latitude``,
    ``longitude``, ``deploymentStart``, ``deploymentEnd``, ``cameraID``, ``cameraModel``,
    ``deploymentComments``; and for processing: ``folder`` (media folder relative to SOURCE),
    ``clockOffsetSeconds`` (added to the camera's time), ``eventGapSeconds``, ``timezone``,
    ``malfunctions`` (``début/fin`` periods separated by ``;``), ``exclusionMasks`` (normalised
    ``x,y,l,h`` boxes separated by ``;``). Every problem is reported at once (file, line, column).
    """
    path = Path(path)
    rows = read_csv_rows(path, required=("deploymentID",))
    name = path.name
    report = ValidationReport(file=name)
    deployments: dict[str, Deployment] = {}
    for row in rows:
        line = row["__line__"]
        deployment_id = row.get("deploymentID", "")
        if not deployment_id:
            report.add("identifiant de déploiement vide", line=line, column="deploymentID")
            continue
        if deployment_id in deployments:
            report.add("identifiant de déploiement en double", line=line, column="deploymentID",
                       value=deployment_id)
            continue
        timezone = row.get("timezone", "") or _utc_offset_zone(row.get("deploymentStart", "")) or DEFAULT_TIMEZONE
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            report.add("fuseau horaire inconnu", line=line, column="timezone", value=timezone,
                       expected="par exemple Europe/Paris")
            zone = None
        start = parse_datetime(row.get("deploymentStart", ""), report, line, "deploymentStart", zone)
        end = parse_datetime(row.get("deploymentEnd", ""), report, line, "deploymentEnd", zone)
        if start and start > _tomorrow(start):
            report.add("début du déploiement dans le futur", line=line, column="deploymentStart",
                       value=row.get("deploymentStart"), expected="la date de pose d'un appareil (au plus aujourd'hui)")
        if start and end and end < start:
            report.add("la fin du déploiement précède son début", line=line, column="deploymentEnd",
                       value=row.get("deploymentEnd"))
        latitude = _float(row.get("latitude", ""), report, line, "latitude", name)
        longitude = _float(row.get("longitude", ""), report, line, "longitude", name)
        if latitude is not None and not -90 <= latitude <= 90:
            report.add("latitude hors de [-90, 90]", line=line, column="latitude", value=row["latitude"])
        if longitude is not None and not -180 <= longitude <= 180:
            report.add("longitude hors de [-180, 180]", line=line, column="longitude", value=row["longitude"])
        offset = _float(row.get("clockOffsetSeconds", ""), report, line, "clockOffsetSeconds", name) or 0.0
        gap = _float(row.get("eventGapSeconds", ""), report, line, "eventGapSeconds", name)
        if gap is not None and gap <= 0:
            report.add("écart entre événements positif attendu", line=line, column="eventGapSeconds",
                       value=row["eventGapSeconds"])
        malfunctions = []
        for period in filter(None, (p.strip() for p in row.get("malfunctions", "").split(";"))):
            begin, _, finish = period.partition("/")
            a = parse_datetime(begin, report, line, "malfunctions", zone)
            b = parse_datetime(finish, report, line, "malfunctions", zone)
            if a and b:
                malfunctions.append((a, b))
        masks = []
        for box in filter(None, (b.strip() for b in row.get("exclusionMasks", "").split(";"))):
            try:
                values = tuple(float(v) for v in box.split(","))
            except ValueError:
                values = ()
            if len(values) != 4 or not all(0 <= v <= 1 for v in values):
                report.add("masque d'exclusion invalide", line=line, column="exclusionMasks", value=box,
                           expected="4 nombres entre 0 et 1 : x,y,largeur,hauteur")
                continue
            masks.append(values)
        deployments[deployment_id] = Deployment(
            deployment_id=deployment_id, location_id=row.get("locationID", ""),
            location_name=row.get("locationName", ""), latitude=latitude, longitude=longitude, start=start, end=end,
            camera_id=row.get("cameraID", ""), camera_model=row.get("cameraModel", ""),
            folder=row.get("folder", "").strip("/").replace("\\", "/"), clock_offset=offset,
            event_gap=gap or DEFAULT_EVENT_GAP, timezone=timezone, malfunctions=tuple(malfunctions),
            exclusion_masks=tuple(masks), comments=row.get("deploymentComments", ""))
    report.raise_if_any(f"Le fichier de déploiements {name} est invalide")
    if not deployments:
        raise BiodiversiteError(f"Le fichier de déploiements {name} ne contient aucun déploiement.")
    return deployments


# -------------------------------------------------------------------------------------------------
# Scanning a SOURCE folder


def media_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in VIDEO_SUFFIXES:
        return "video"
    return None


def media_id(relative: str) -> str:
    return hashlib.sha1(relative.encode("utf-8")).hexdigest()[:12]


def _deployment_for(relative: str, deployments: dict[str, Deployment]) -> str | None:
    """The deployment whose ``folder`` is the longest prefix of the media's path."""
    best, best_len = None, -1
    for deployment in deployments.values():
        folder = deployment.folder
        if folder and (relative == folder or relative.startswith(folder + "/")) and len(folder) > best_len:
            best, best_len = deployment.deployment_id, len(folder)
    return best


SCAN_FILES_PER_PARTITION = 2000  # above this many media, files are read in partitions through the engine


def read_media_file(task: tuple[str, list[tuple[str, str]], bool]) -> list[tuple]:
    """Read some media files of a season (module-level: pickled by reference for the engine).

    ``task``: SOURCE, ``[(relative path, kind), ...]``, whether to decode each file. Returns, per
    file, ``(relative, taken or None, size, mtime, error or "")``; a file that cannot be read gets
    its French reason in ``error``, never an exception."""
    source, files, check = task
    out = []
    for relative, kind in files:
        path = Path(source) / relative
        try:
            if check:
                check_readable(path, kind)
            taken = image_datetime(path) if kind == "image" else video_datetime(path)
            stat = path.stat()
        except Exception as exc:  # a corrupt file is reported and skipped, whatever the decoder raised
            out.append((relative, None, 0, 0.0, f"fichier illisible ou corrompu ({type(exc).__name__} : {exc})"))
            continue
        out.append((relative, taken, stat.st_size, stat.st_mtime, ""))
    return out


def scan(source: str | os.PathLike, deployments: dict[str, Deployment] | None = None, *,
         check: bool = True, now: datetime | None = None, engine: str | None = None,
         files_per_partition: int = SCAN_FILES_PER_PARTITION) -> Season:
    """Every media under ``source`` with its deployment and corrected capture time.

    Without a deployments file, each folder that holds media is one deployment (its path relative to
    SOURCE is the identifier). With one, media are matched by the ``folder`` column; media outside any
    declared folder are reported and skipped. ``check`` decodes every file (a corrupt one is
    reported and skipped). Files are read (decode check, capture time) by :func:`read_media_file`,
    through the batch engine (``engine``, see :func:`amorce.core.engine.run_partitions`) in
    partitions of ``files_per_partition`` when there are more; the result does not depend on it.
    """
    from amorce.core.engine import chunks, run_partitions

    source = Path(source)
    if not source.is_dir():
        raise BiodiversiteError(f"Dossier source introuvable : {source}")
    declared = dict(deployments or {})
    known = dict(declared)
    report = IngestReport()
    media: list[Media] = []
    latest = (now or datetime.now()) + timedelta(days=1)
    found: list[tuple[str, str, str]] = []  # relative path, kind, deployment
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            relative = path.relative_to(source).as_posix()
            kind = media_kind(path)
            if kind is None or name.startswith("."):
                report.ignored += 1
                continue
            if declared:
                deployment_id = _deployment_for(relative, declared)
                if deployment_id is None:
                    report.skipped.append(Problem("aucun déploiement déclaré pour ce dossier", file=relative,
                                                  expected="un déploiement dont la colonne folder contient ce dossier"))
                    continue
            else:
                deployment_id = Path(relative).parent.as_posix()
                if deployment_id == ".":
                    deployment_id = source.name
                known.setdefault(deployment_id, Deployment(deployment_id, folder=Path(relative).parent.as_posix()))
            found.append((relative, kind, deployment_id))
    listing = [(relative, kind) for relative, kind, _ in found]
    if len(listing) > files_per_partition:
        tasks = [(str(source), list(part), check) for part in chunks(listing, files_per_partition)]
        read = [item for part in run_partitions(read_media_file, tasks, engine=engine) for item in part]
    else:
        read = read_media_file((str(source), listing, check))
    for (relative, kind, deployment_id), (_, taken, size, mtime, error) in zip(found, read, strict=True):
        if error:
            report.skipped.append(Problem(error, file=relative))
            continue
        deployment = known[deployment_id]
        source_kind = "exif" if kind == "image" else "video"
        if taken is None:
            taken = datetime.fromtimestamp(mtime)
            source_kind = "file"
            report.dates.append(Problem("date de prise de vue absente : date de modification du fichier utilisée",
                                        file=relative, value=taken.isoformat(sep=" ")))
        corrected = taken + timedelta(seconds=deployment.clock_offset)
        problem = _absurd(corrected, deployment, latest)
        if problem:
            report.dates.append(Problem(problem, file=relative, value=corrected.isoformat(sep=" ")))
        media.append(Media(media_id(relative), relative, deployment_id, kind, corrected, source_kind,
                           size=size, mtime=mtime))
    used = {m.deployment_id for m in media}
    return Season(source, {k: v for k, v in known.items() if k in used or k in declared}, media, report)


def _absurd(when: datetime, deployment: Deployment, latest: datetime) -> str | None:
    if when < EARLIEST_PLAUSIBLE:
        return "date antérieure à 2001 (horloge de l'appareil non réglée ?)"
    if when > latest:
        return "date dans le futur (horloge de l'appareil mal réglée ?)"
    margin = timedelta(days=1)
    if deployment.start and when < deployment.start - margin:
        return f"date antérieure au début du déploiement {deployment.deployment_id}"
    if deployment.end and when > deployment.end + margin:
        return f"date postérieure à la fin du déploiement {deployment.deployment_id}"
    return None


# -------------------------------------------------------------------------------------------------
# Events


def event_id(deployment_id: str, first: Media) -> str:
    return hashlib.sha1(f"{deployment_id}|{first.path}".encode()).hexdigest()[:12]


def group_events(media: list[Media], deployments: dict[str, Deployment] | None = None,
                 gap: float | None = None) -> list[Event]:
    """Media grouped into events: within one deployment, a new event starts after a silence longer
    than the deployment's ``event_gap`` (or ``gap`` when given). Media get their ``event_id``."""
    by_deployment: dict[str, list[Media]] = defaultdict(list)
    for item in media:
        by_deployment[item.deployment_id].append(item)
    events: list[Event] = []
    for deployment_id in sorted(by_deployment):
        deployment = (deployments or {}).get(deployment_id)
        limit = timedelta(seconds=gap if gap is not None else (deployment.event_gap if deployment else DEFAULT_EVENT_GAP))
        current: list[Media] = []
        for item in sorted(by_deployment[deployment_id], key=lambda m: (m.timestamp, m.path)):
            if current and item.timestamp - current[-1].timestamp > limit:
                events.append(_event(deployment_id, current))
                current = []
            current.append(item)
        if current:
            events.append(_event(deployment_id, current))
    return events


def _event(deployment_id: str, members: list[Media]) -> Event:
    identifier = event_id(deployment_id, members[0])
    tagged = [replace(m, event_id=identifier) for m in members]
    return Event(identifier, deployment_id, tagged[0].timestamp, tagged[-1].timestamp, tagged)


# -------------------------------------------------------------------------------------------------
# Frames and thumbnails


def video_frames(path: str | os.PathLike, *, count: int = 8, seconds: float = 5.0) -> list:
    """Up to ``count`` RGB frames (PIL images) evenly spread over the first ``seconds`` of a video
    (DeepFaune samples the first seconds: the animal that triggered the camera is there)."""
    import av

    frames = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        targets = [seconds * i / max(count, 1) for i in range(count)]
        index = 0
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            if frame.time >= targets[index]:
                frames.append(frame.to_image().convert("RGB"))
                index += 1
                if index >= len(targets):
                    break
    return frames


def load_frames(path: str | os.PathLike, kind: str, *, max_side: int | None = None,
                min_side: int | None = None) -> list:
    """The frames to analyse for one media (PIL RGB images): the image itself, opened by
    :func:`amorce.core.images.open_image` (decompression-bomb limit, French error), EXIF orientation
    applied; or frames sampled from a video (:func:`video_frames`). Frames are reduced to ``max_side``
    pixels on their long side at most. ``min_side``: a JPEG is decoded at the reduced DCT scale
    (1/2, 1/4, 1/8) whose long side is still at least ``min_side`` (Pillow's draft mode: much cheaper
    than a full decode followed by a resize); without it the image is decoded whole."""
    from PIL import ImageOps

    from amorce.core.images import open_image

    if kind == "video":
        frames = video_frames(path)
    else:
        with open_image(path, min_side=min_side) as image:
            frames = [ImageOps.exif_transpose(image).convert("RGB")]
    if max_side:
        for frame in frames:
            frame.thumbnail((max_side, max_side))
    return frames


def thumbnail(image, size: int = 320, *, blur_boxes=(), quality: int = 80) -> bytes:
    """A JPEG thumbnail; ``blur_boxes`` (normalised x, y, w, h) are blurred beyond recognition."""
    from PIL import ImageFilter

    small = image.convert("RGB").copy()
    small.thumbnail((size, size))
    width, height = small.size
    for x, y, w, h in blur_boxes:
        box = (int(x * width), int(y * height), int(min(1, x + w) * width), int(min(1, y + h) * height))
        if box[2] > box[0] and box[3] > box[1]:
            region = small.crop(box).filter(ImageFilter.GaussianBlur(radius=max(4, size // 20)))
            small.paste(region, box)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
