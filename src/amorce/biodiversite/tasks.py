"""Background jobs of the camera-trap use case: the analysis of a season and the demo loader.

Thin: the pure modules do the work (:func:`amorce.biodiversite.pipeline.analyse_season`); this
module stores events and thumbnails for the pages. Heavy imports stay inside the functions (every
web process imports this module at start-up for the job registry).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.utils import timezone as djtz

from amorce.core.config import shared_data_dir
from amorce.web.jobs import job_handler
from amorce.web.roles import Role

from .models import Deployment, Event, Season, data_dir, sources_root
from .usecase import SCIENTIST

DEMO_NAME = "Démonstration : échantillons réels (héron de nuit, images vides et animaux)"
THUMB_SIZE = 320




def thumbs_dir(season: Season) -> Path:
    return data_dir() / "seasons" / str(season.pk) / "thumbs"


def declared_deployments() -> dict:
    from .ingest import Deployment as PureDeployment

    return {d.deployment_id: PureDeployment(d.deployment_id, location_name=d.location_name, latitude=d.latitude,
                                            longitude=d.longitude, camera_model=d.camera_model, folder=d.folder,
                                            clock_offset=d.clock_offset, event_gap=d.event_gap,
                                            start=djtz.make_naive(d.start) if d.start else None,
                                            end=djtz.make_naive(d.end) if d.end else None)
            for d in Deployment.objects.all()}


def analyse(ctx, season: Season, *, classifier: str = "", species_list: str = "") -> dict:
    """Scan, analyse (through the engine, resumable), write the Camtrap DP package, store the events.
    ``classifier`` (a model card) and ``species_list`` (a CSV) give animal events a species, as
    ``amorce biodiversite analyse --classifier --species-list`` does."""
    from .formats import write_camtrap_dp
    from .ingest import load_frames, scan, thumbnail
    from .pipeline import analyse_season

    ctx.progress(0.01, 1.0, "Lecture des dates et des déploiements")
    declared = {k: v for k, v in declared_deployments().items() if v.folder}
    source = Path(season.source)
    season_data = scan(source, declared or None)
    ctx.log(f"{len(season_data.media)} médias lus dans {len(season_data.deployments)} déploiement(s) ; "
            f"{len(season_data.report.skipped)} fichier(s) illisible(s), {len(season_data.report.dates)} date(s) douteuse(s).")
    for line in season_data.report.lines()[:50]:
        ctx.log(line)
    out = data_dir() / "seasons" / str(season.pk)
    analysis = analyse_season(season_data, detector=season.detector, cache_dir=out / ".cache-biodiversite",
                              progress=ctx.part(0.05, 0.75).progress, classifier=classifier or None,
                              species_list=species_list or None)
    ctx.progress(0.8, 1.0, "Export Camtrap DP et vignettes")
    write_camtrap_dp(analysis, out / "camtrapdp")
    thumbs = thumbs_dir(season)
    thumbs.mkdir(parents=True, exist_ok=True)
    rows = []
    for index, event in enumerate(analysis.events):
        kind = analysis.decisions[event.event_id]
        media = []
        for item in event.media:
            result = analysis.results.get(item.media_id)
            boxes = result.detections if result else []
            media.append({"media_id": item.media_id, "path": item.path, "kind": item.kind,
                          "timestamp": item.timestamp.isoformat(sep=" "), "motion": result.motion if result else [],
                          "detections": boxes, "error": result.error if result else ""})
            if result is None or result.error:
                continue
            try:
                frame = load_frames(source / item.path, item.kind, max_side=800, min_side=800)[0]
            except Exception as exc:  # a media unreadable now: reported in the log, no thumbnail
                ctx.log(f"Vignette impossible pour {item.path} : {exc}")
                continue
            if kind in Event.SENSITIVE:
                hidden = [(b["x"], b["y"], b["w"], b["h"]) for b in boxes if b["label"] in Event.SENSITIVE]
                (thumbs / f"{item.media_id}.jpg").write_bytes(thumbnail(frame, THUMB_SIZE, blur_boxes=hidden or [(0, 0, 1, 1)]))
                (thumbs / f"{item.media_id}.raw.jpg").write_bytes(thumbnail(frame, THUMB_SIZE))
            else:
                (thumbs / f"{item.media_id}.jpg").write_bytes(thumbnail(frame, THUMB_SIZE))
                # a clear copy left by a previous analysis would stop a reviewer's « person » answer,
                # re-attached to this event, from blurring the new thumbnail (services.protect_media)
                (thumbs / f"{item.media_id}.raw.jpg").unlink(missing_ok=True)
        zone = djtz.get_current_timezone()
        rows.append(Event(season=season, event_id=event.event_id, deployment_id=event.deployment_id,
                          start=djtz.make_aware(event.start, zone), end=djtz.make_aware(event.end, zone),
                          observation_type=kind, media=media,
                          species={**analysis.species[event.event_id], "model": analysis.classifier}
                          if event.event_id in analysis.species else {}))
        ctx.progress(0.8 + 0.18 * (index + 1) / max(1, len(analysis.events)), 1.0, "Vignettes")
    summary = {"media": len(season_data.media), "events": len(analysis.events), "types": analysis.counts(),
               "timelapse": analysis.timelapse, "cached_partitions": analysis.cached_partitions,
               "suppressed_boxes": analysis.suppressed}
    if analysis.classifier:
        from .cli import _species_counts  # the command line's count of the classifier's answers

        summary["classifier"] = analysis.classifier
        summary["species"] = _species_counts(analysis)
        ctx.log(f"Espèces ({analysis.classifier}) : " + ", ".join(f"{k} {v}" for k, v in summary["species"].items()))
    from .services import replace_events

    moved = replace_events(season, rows, output_dir=str(out), summary=summary, report=season_data.report.to_dict())
    if moved["reattached"] or moved["archived"]:
        ctx.log(f"Relectures gardées : {moved['reattached']} rattachée(s) aux nouveaux événements (mêmes médias), "
                f"{moved['archived']} archivée(s) (médias absents de la nouvelle analyse).")
    ctx.log(f"{len(rows)} événements enregistrés : " + ", ".join(f"{k} {v}" for k, v in sorted(analysis.counts().items())))
    return {"season": season.pk, **summary}


@job_handler("biodiversite.analyse", "Analyse d'une saison de pièges photographiques", roles=[Role(SCIENTIST)])
def analyse_job(ctx, season_id: int, classifier: str = "", species_list: str = "") -> dict:
    return analyse(ctx, Season.objects.get(pk=season_id), classifier=classifier, species_list=species_list)


TRAINING_LABELS = {"model": "Classifieur enregistré", "model_card": "Fiche du modèle", "method": "Méthode",
                   "species": "Espèces", "events_per_class": "Événements relus par espèce", "crops": "Recadrages",
                   "left_out": "Espèces écartées (trop peu d'étiquettes)", "cross_validation": "Validation croisée",
                   "scheme_label": "Découpage", "folds": "Plis", "events": "Événements testés",
                   "accuracy": "Exactitude", "balanced_accuracy": "Exactitude équilibrée",
                   "majority_accuracy": "Classe majoritaire (référence)", "per_class": "Par espèce",
                   "correct": "Bien classés", "priority": "Événements à relire en priorité"}


@job_handler("biodiversite.entrainer", "Classifieur du parc entraîné sur les relectures", roles=[Role(SCIENTIST)],
             result_labels=TRAINING_LABELS)
def train_job(ctx, season_id: int, method: str = "logistique") -> dict:
    from .training_service import train_from_reviews

    result = train_from_reviews(Season.objects.get(pk=season_id), method=method, progress=ctx.progress, log=ctx.log)
    result["cross_validation"].pop("scheme", None)  # its French sentence (scheme_label) is shown instead
    return result


def build_demo_source(target: Path, shared: Path) -> int:
    """A season folder generated from the shared real samples: the Camtrap DP example's night burst of
    a grey heron (site « etang », EXIF dates) and the SpeciesNet test images (site « foret »: blanks
    and animals, originals only). Returns the number of files copied."""
    copied = 0
    burst = shared / "camtrap_dp_example" / "media"
    tests = shared / "camera_trap_speciesnet_test_images" / "images"
    for folder, files in (("etang/cam01/visite1", sorted(burst.glob("*.JPG"))),
                          ("foret/cam02/visite1", sorted(p for p in tests.glob("*.jpg")
                                                         if not any(t in p.stem for t in ("_bw", "_cmyk", "_truncated", "_with_exif"))))):
        destination = target / folder
        destination.mkdir(parents=True, exist_ok=True)
        for path in files:
            shutil.copy2(path, destination / path.name)
            copied += 1
    return copied


def load_demo(ctx) -> dict:
    """A demo season from the shared samples, analysed by the same job code (idempotent)."""
    shared = shared_data_dir()
    if not (shared / "camtrap_dp_example" / "media").is_dir():
        ctx.log(f"Données d'exemple absentes ({shared}) : pas de saison de démonstration pour la biodiversité.")
        return {"season": None}
    target = sources_root() / "demo"
    shutil.rmtree(target, ignore_errors=True)
    copied = build_demo_source(target, shared)
    ctx.log(f"{copied} images réelles copiées dans {target}.")
    Season.objects.filter(name=DEMO_NAME).delete()
    season = Season.objects.create(name=DEMO_NAME, source=str(target), detector="motion")
    summary = analyse(ctx, season)
    from .inventory_service import load_inventory_demo

    return {**summary, "inventory_season": load_inventory_demo(ctx, shared)}
