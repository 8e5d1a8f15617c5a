"""Outputs and imports: Camtrap DP 1.0 packages, MegaDetector batch JSON, COCO Camera Traps.

Pure (no Django). Every file is written atomically (temporary name, then rename): a failed export
leaves the previous output untouched.

* Camtrap DP 1.0 (TDWG): ``datapackage.json``, ``deployments.csv``, ``media.csv`` (``filePath``
  relative to SOURCE) and ``observations.csv`` with one event-level observation per event. The
  official table schemas (1.0.2, MIT, Camtrap DP Development Team) are vendored in ``data/`` for
  offline validation.
* MegaDetector batch output, format 1.6 (read by Timelapse and AddaxAI): normalised
  ``[x_min, y_min, width, height]`` boxes, ``detection_categories``, ``failure`` per file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from amorce.core.files import atomic_write

from .errors import BiodiversiteError
from .ingest import Deployment, Media, Season, media_id, parse_datetime, read_deployments

SCHEMA_DIR = Path(__file__).parent / "data" / "camtrap-dp-1.0.2"
PROFILE = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json"
MD_CATEGORIES = {"1": "animal", "2": "person", "3": "vehicle"}
MD_LABEL_TO_CATEGORY = {"animal": "1", "human": "2", "vehicle": "3"}



def _schema_fields(table: str) -> list[str]:
    """Column names of an official Camtrap DP table, in the schema's order (all are written)."""
    schema = json.loads((SCHEMA_DIR / f"{table}-table-schema.json").read_text(encoding="utf-8"))
    return [field["name"] for field in schema["fields"]]


DEPLOYMENT_FIELDS = _schema_fields("deployments")
MEDIA_FIELDS = _schema_fields("media")
OBSERVATION_FIELDS = _schema_fields("observations")
MEDIATYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".tif": "image/tiff",
              ".tiff": "image/tiff", ".bmp": "image/bmp", ".mp4": "video/mp4", ".avi": "video/x-msvideo",
              ".mov": "video/quicktime", ".mkv": "video/x-matroska", ".m4v": "video/mp4", ".mts": "video/MP2T",
              ".wmv": "video/x-ms-wmv"}


def iso(when: datetime | None, deployment: Deployment | None) -> str:
    """A camera's local time written with its UTC offset (Camtrap DP requires one)."""
    if when is None:
        return ""
    zone = deployment.zone() if deployment else UTC
    return when.replace(tzinfo=zone).isoformat(timespec="seconds")


def _csv_text(fields: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in fields})
    return buffer.getvalue()


def missing_coordinates(analysis) -> list[str]:
    """Deployments of the analysis without coordinates: Camtrap DP requires them (and the package's
    ``spatial``), so the package is incomplete until a deployments file gives them."""
    used = {e.deployment_id for e in analysis.events}
    return sorted(d for d in used if d not in analysis.season.deployments
                  or analysis.season.deployments[d].latitude is None or analysis.season.deployments[d].longitude is None)


def write_camtrap_dp(analysis, out: str | Path, *, name: str = "amorce-biodiversite",
                     classified_by: str = "amorce biodiversite") -> list[Path]:
    """Write an analysis as a Camtrap DP 1.0 package in ``out``; returns the files written.

    Without coordinates for every deployment (see :func:`missing_coordinates`) the package is
    written but is not valid Camtrap DP: latitude, longitude and ``spatial`` stay empty."""
    out = Path(out)
    season = analysis.season
    deployments = season.deployments
    now = datetime.now(UTC).isoformat(timespec="seconds")
    sensitive = {e.event_id for e in analysis.events if analysis.decisions.get(e.event_id) in ("human", "vehicle")}
    deployment_rows, media_rows, observation_rows = [], [], []
    taxonomic: dict[str, dict] = {}  # scientificName -> the package's taxonomic entry
    by_deployment_times: dict[str, list[datetime]] = {}
    for event in analysis.events:
        by_deployment_times.setdefault(event.deployment_id, []).extend([event.start, event.end])
    for deployment_id in sorted(by_deployment_times):
        d = deployments.get(deployment_id) or Deployment(deployment_id)
        times = by_deployment_times[deployment_id]
        deployment_rows.append({
            "deploymentID": d.deployment_id, "locationID": d.location_id or d.deployment_id,
            "locationName": d.location_name or d.folder or d.deployment_id, "latitude": d.latitude,
            "longitude": d.longitude, "deploymentStart": iso(min([d.start or min(times)] + times), d),
            "deploymentEnd": iso(max([d.end or max(times)] + times), d), "cameraID": d.camera_id,
            "cameraModel": d.camera_model, "deploymentComments": d.comments})
    for event in analysis.events:
        d = deployments.get(event.deployment_id)
        kind = analysis.decisions.get(event.event_id, "unclassified")
        for item in event.media:
            result = analysis.results.get(item.media_id)
            media_rows.append({
                "mediaID": item.media_id, "deploymentID": item.deployment_id,
                "captureMethod": "timeLapse" if item.deployment_id in analysis.timelapse else "activityDetection",
                "timestamp": iso(item.timestamp, d), "filePath": item.path,
                "filePublic": "false" if event.event_id in sensitive else "true",
                "fileName": Path(item.path).name,
                "fileMediatype": MEDIATYPES.get(Path(item.path).suffix.lower(), "image/jpeg"),
                "mediaComments": (f"erreur d'analyse : {result.error}" if result and result.error else
                                  "date de prise de vue absente" if item.time_source == "file" else "")})
        row = {
            "observationID": f"obs-{event.event_id}", "deploymentID": event.deployment_id, "mediaID": "",
            "eventID": event.event_id, "eventStart": iso(event.start, d), "eventEnd": iso(event.end, d),
            "observationLevel": "event", "observationType": kind,
            "count": "", "classificationMethod": "machine" if kind != "unclassified" else "",
            "classifiedBy": f"{classified_by} ({analysis.detector}, {analysis.strategy})" if kind != "unclassified" else "",
            "classificationTimestamp": now if kind != "unclassified" else "",
            "observationComments": ""}
        if kind == "animal":
            row.update(_species_fields(analysis, event, taxonomic))
        observation_rows.append(row)
    starts = [e.start for e in analysis.events]
    ends = [e.end for e in analysis.events]
    package = {
        "profile": PROFILE,
        "name": name,
        "created": now,
        "title": "Inventaire par pièges photographiques (tri automatique amorce)",
        "contributors": [{"title": classified_by, "role": "contributor"}],
        "project": {"title": name, "samplingDesign": "opportunistic", "captureMethod": ["activityDetection"],
                    "individualAnimals": False, "observationLevel": ["event"]},
        "spatial": _spatial(deployments.values()),
        "temporal": {"start": min(starts).date().isoformat() if starts else now[:10],
                     "end": max(ends).date().isoformat() if ends else now[:10]},
        "taxonomic": [taxonomic[k] for k in sorted(taxonomic)],
        "resources": [
            {"name": "deployments", "path": "deployments.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema_url("deployments")},
            {"name": "media", "path": "media.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema_url("media")},
            {"name": "observations", "path": "observations.csv", "profile": "tabular-data-resource",
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema_url("observations")},
        ],
    }
    written = []
    for filename, text in (("deployments.csv", _csv_text(DEPLOYMENT_FIELDS, deployment_rows)),
                           ("media.csv", _csv_text(MEDIA_FIELDS, media_rows)),
                           ("observations.csv", _csv_text(OBSERVATION_FIELDS, observation_rows)),
                           ("datapackage.json", json.dumps({k: v for k, v in package.items() if v is not None},
                                                           ensure_ascii=False, indent=2))):
        with atomic_write(out / filename) as handle:
            handle.write(text)
        written.append(out / filename)
    return written


TAXON_RANKS = {"espece": "species", "genre": "genus", "famille": "family", "ordre": "order"}
RANK_WORDS = {"genre": "au genre", "famille": "à la famille", "ordre": "à l'ordre"}


def _species_fields(analysis, event, taxonomic: dict[str, dict]) -> dict:
    """An animal event's count (MaxN of the detector's animal boxes) and, when a classifier ran
    (:func:`amorce.biodiversite.pipeline.classify_events`), its species: ``scientificName`` and
    ``classificationProbability`` (empty when « indéterminé »), the model in ``classifiedBy``; the
    taxon (TAXREF ``cd_nom`` as ``taxonID``, French name) goes to the package's ``taxonomic``."""
    from .inventory import INPN_TAXON
    from .pipeline import max_n

    count = max_n([analysis.results[m.media_id] for m in event.media if m.media_id in analysis.results])
    fields: dict = {"count": count or ""}
    answer = getattr(analysis, "species", {}).get(event.event_id)
    if not answer:
        return fields
    fields["classifiedBy"] = analysis.classifier
    name = answer["scientific_name"]
    if not name:
        fields["observationComments"] = (f"espèce indéterminée (meilleure probabilité {answer['score']:.2f}, "
                                         f"{answer['crops']} recadrage(s))")
        return fields
    fields.update({"scientificName": name, "classificationProbability": round(answer["score"], 4)})
    if answer["rank"] in RANK_WORDS:
        fields["observationComments"] = f"classement remonté {RANK_WORDS[answer['rank']]} (probabilité de l'espèce sous le seuil)"
    entry = taxonomic.setdefault(name, {"scientificName": name, "taxonRank": TAXON_RANKS[answer["rank"]]})
    if answer.get("cd_nom"):
        entry["taxonID"] = INPN_TAXON.format(answer["cd_nom"])
    if answer.get("nom_francais"):
        entry["vernacularNames"] = {"fra": answer["nom_francais"]}
    return fields


def _schema_url(table: str) -> str:
    return f"https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/{table}-table-schema.json"


def _spatial(deployments) -> dict | None:
    points = [(d.longitude, d.latitude) for d in deployments if d.latitude is not None and d.longitude is not None]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return {"type": "Polygon", "coordinates": [[[min(xs), min(ys)], [max(xs), min(ys)], [max(xs), max(ys)],
                                                [min(xs), max(ys)], [min(xs), min(ys)]]]}


def read_camtrap_dp(folder: str | Path) -> tuple[Season, list[str]]:
    """A Camtrap DP package as a season: its deployments, and its media whose ``filePath`` is a local
    file of the package. Remote media (URLs) are not analysed; they are counted in the notes."""
    folder = Path(folder)
    if not (folder / "datapackage.json").exists() or not (folder / "media.csv").exists():
        raise BiodiversiteError(f"{folder} n'est pas un paquet Camtrap DP (datapackage.json et media.csv attendus).")
    from amorce.core.errors import ValidationReport
    from amorce.core.files import read_csv_rows

    from .ingest import IngestReport

    deployments = read_deployments(folder / "deployments.csv")
    report, notes = ValidationReport(file="media.csv"), []
    media, remote = [], 0
    for row in read_csv_rows(folder / "media.csv", required=("mediaID", "deploymentID", "timestamp", "filePath")):
        path = row["filePath"]
        if "://" in path:
            remote += 1
            continue
        local = folder / path
        if not local.exists():
            report.add("fichier média introuvable", line=row["__line__"], column="filePath", value=path)
            continue
        deployment = deployments.get(row["deploymentID"])
        taken = parse_datetime(row["timestamp"], report, row["__line__"], "timestamp",
                               deployment.zone() if deployment is not None else None, required=True)
        if taken is None:
            continue
        stat = local.stat()
        kind = "video" if row.get("fileMediatype", "").startswith("video/") else "image"
        media.append(Media(row["mediaID"] or media_id(path), path, row["deploymentID"], kind, taken, "exif",
                           size=stat.st_size, mtime=stat.st_mtime))
    report.raise_if_any("Le paquet Camtrap DP est invalide")
    if remote:
        notes.append(f"{remote} média(s) du paquet sont des adresses distantes : non analysés hors ligne.")
    return Season(folder, deployments, media, IngestReport()), notes


# -------------------------------------------------------------------------------------------------
# MegaDetector batch output


def megadetector_json(analysis, *, detector_name: str | None = None) -> dict:
    """The analysis as MegaDetector batch output 1.6 (one entry per media; video frames as
    ``frame_number``; files that could not be read get ``failure``)."""
    images = []
    for event in analysis.events:
        for item in event.media:
            result = analysis.results.get(item.media_id)
            entry: dict = {"file": item.path}
            if result is None or result.error:
                entry["failure"] = "Failure image access" if result is None else f"Failure inference: {result.error}"
                images.append(entry)
                continue
            detections = [{"category": MD_LABEL_TO_CATEGORY[d["label"]], "conf": round(d["score"], 3),
                           "bbox": [round(d["x"], 4), round(d["y"], 4), round(d["w"], 4), round(d["h"], 4)]}
                          for d in result.detections]
            if analysis.detector == "motion":  # motion boxes: category "animal" with the blob's share as score
                detections += [{"category": "1", "conf": round(min(1.0, 0.5 + m["score"] * 10), 3),
                                "bbox": [round(m["x"], 4), round(m["y"], 4), round(m["w"], 4), round(m["h"], 4)]}
                               for m in result.motion]
            entry["detections"] = detections
            entry["max_detection_conf"] = max((d["conf"] for d in detections), default=0.0)
            entry["datetime"] = item.timestamp.strftime("%Y:%m:%d %H:%M:%S")
            if item.kind == "video":
                entry["frame_rate"] = None
            images.append(entry)
    return {
        "images": images,
        "detection_categories": dict(MD_CATEGORIES),
        "info": {"format_version": "1.6", "detector": detector_name or f"amorce-biodiversite:{analysis.detector}",
                 "detection_completion_time": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                 "detector_metadata": {"typical_detection_threshold": 0.2, "conservative_detection_threshold": 0.1}},
    }


def write_megadetector(analysis, out: str | Path) -> list[Path]:
    path = Path(out) / "megadetector.json"
    with atomic_write(path) as handle:
        json.dump(megadetector_json(analysis), handle, ensure_ascii=False, indent=1)
    return [path]


def read_megadetector(path: str | Path, *, threshold: float = 0.2) -> dict[str, list[dict]]:
    """MegaDetector batch output (any format version from 1.0) -> ``{file: [box dicts]}`` with
    label animal / human / vehicle, boxes above ``threshold``. Failed files map to ``[]`` and are
    listed under the key ``"__failures__"``."""
    from amorce.core.errors import BAD_INPUT, AmorceError
    from amorce.core.files import read_json

    try:
        data = read_json(path)
    except AmorceError as exc:
        raise BiodiversiteError(exc.message, exit_code=exc.exit_code) from None
    name = Path(path).name
    if not isinstance(data, dict) or not isinstance(data.get("images"), list):
        raise BiodiversiteError(f"Fichier MegaDetector {name}, ligne 1 : liste « images » absente (attendu : la "
                                "sortie par lot de MegaDetector, {\"images\": [{\"file\": …, \"detections\": "
                                "[…]}]}).", exit_code=BAD_INPUT)
    try:
        categories = data.get("detection_categories", MD_CATEGORIES)
        out: dict[str, list[dict]] = {}
        failures = []
        for image in data["images"]:
            if image.get("failure"):
                failures.append(image["file"])
                out[image["file"]] = []
                continue
            boxes = []
            for det in image.get("detections") or []:
                if float(det["conf"]) < threshold:
                    continue
                x, y, w, h = (float(v) for v in det["bbox"])
                label = {"person": "human", "vehicle": "vehicle"}.get(categories.get(str(det["category"]), ""), "animal")
                boxes.append({"x": x, "y": y, "w": w, "h": h, "score": float(det["conf"]), "label": label})
            out[image["file"]] = boxes
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        detail = f"champ « {exc.args[0]} » absent" if isinstance(exc, KeyError) else "valeur d'un type inattendu"
        raise BiodiversiteError(f"Fichier MegaDetector {name} : {detail} dans la liste « images » (attendu : file, "
                                "detections [{category, conf, bbox}]).", exit_code=BAD_INPUT) from None
    out["__failures__"] = failures  # type: ignore[assignment]
    return out


def write_coco(analysis, out: str | Path) -> list[Path]:
    """COCO Camera Traps: images (with ``seq_id``, ``location``, ``datetime``), one annotation per
    detection box (pixel boxes need the image size: boxes stay normalised, flagged in ``info``), and
    an image-level annotation ``empty`` for blank events."""
    images, annotations = [], []
    categories = [{"id": 0, "name": "empty"}, {"id": 1, "name": "animal"}, {"id": 2, "name": "human"},
                  {"id": 3, "name": "vehicle"}, {"id": 4, "name": "unknown"}]
    ids = {c["name"]: c["id"] for c in categories}
    for event in analysis.events:
        decision = analysis.decisions.get(event.event_id, "unclassified")
        for frame_num, item in enumerate(event.media):
            images.append({"id": item.media_id, "file_name": item.path, "seq_id": event.event_id,
                           "seq_num_frames": len(event.media), "frame_num": frame_num,
                           "location": item.deployment_id, "datetime": item.timestamp.isoformat(sep=" ")})
            result = analysis.results.get(item.media_id)
            boxes = (result.detections or result.motion) if result else []
            if decision == "blank" or not boxes:
                annotations.append({"id": f"{item.media_id}-0", "image_id": item.media_id,
                                    "category_id": ids.get(decision if decision != "blank" else "empty", 4)})
            for index, box in enumerate(boxes, start=1):
                annotations.append({"id": f"{item.media_id}-{index}", "image_id": item.media_id,
                                    "category_id": ids.get(box.get("label", "unknown"), 4),
                                    "bbox": [box["x"], box["y"], box["w"], box["h"]]})
    data = {"info": {"version": "1.0", "description": "amorce biodiversite (boîtes normalisées 0-1)",
                     "date_created": datetime.now().isoformat(timespec="seconds")},
            "images": images, "annotations": annotations, "categories": categories}
    path = Path(out) / "coco_camera_traps.json"
    with atomic_write(path) as handle:
        json.dump(data, handle, ensure_ascii=False)
    return [path]


WRITERS = {"camtrapdp": write_camtrap_dp, "megadetector": write_megadetector, "coco": write_coco}
