"""The park's species classifier trained from the season's reviews (Django allowed, no HTTP).

Labels are the species people confirmed: the scientific lead's final answer, else the reviewers'
common answer (:func:`amorce.biodiversite.services.human_answers`); only animal answers at a taxon.
Each labelled event gives the crops of its detector « animal » boxes (never whole frames: whole-frame
features match the station's background), cut from the media decoded at
:data:`~amorce.biodiversite.pipeline.CLASSIFIER_SIDE`; EfficientNet-Lite0 features (embedded) feed the
shared few-label classifier (:mod:`amorce.core.vision.fewshot`). The card carries the cross-validated
accuracy per species (:func:`amorce.biodiversite.classifier.cross_validate`: across deployments when
there are several). The model is stored like uploaded ones (``<data>/biodiversite/modeles/``), so the
season form offers it. Then the season's unreviewed animal events are ranked for review by the new
classifier's uncertainty (:func:`amorce.core.vision.fewshot.pick_next`: margin + diversity).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from amorce.core.formats import percent

from .errors import BiodiversiteError
from .models import Event, Season

PRIORITY_SIZE = 200  # events kept in the ranked list
MAX_CANDIDATES = 2000  # unreviewed animal events scored for the ranking (decoding them costs time)


@dataclass
class LabelledEvent:
    event: Event
    label: str  # scientific name (the classifier's class)
    french: str
    cd_nom: str
    status: str  # "arbitrage" or "consensus"


def labelled_events(season: Season) -> list[LabelledEvent]:
    """The season's events whose human answer (final > consensus) is an animal with a taxon."""
    from .services import human_answers

    answers = human_answers(season)
    events = {e.event_id: e for e in season.events.filter(event_id__in=list(answers))}
    out = []
    for event_id, answer in sorted(answers.items()):
        if answer.observation_type == "animal" and answer.scientific_name and event_id in events:
            out.append(LabelledEvent(events[event_id], answer.scientific_name, answer.vernacular_name, answer.cd_nom,
                                     answer.status))
    return out


def animal_boxes(event: Event) -> list[tuple[dict, dict]]:
    """(media, box) of each detector « animal » box of the event (motion boxes are not crops of an animal)."""
    return [(m, b) for m in event.media for b in (m.get("detections") or []) if b.get("label") == "animal"]


def label_counts(labelled: list[LabelledEvent]) -> dict[str, int]:
    """Labelled events per species that have at least one animal box to crop."""
    return dict(Counter(item.label for item in labelled if animal_boxes(item.event)))


def check_labels(labelled: list[LabelledEvent], minimum: int | None = None) -> tuple[list[str], dict[str, int]]:
    """(species trained, species left out) or a French refusal naming how many labels are needed and
    how many there are: at least two species need ``minimum`` reviewed events with an animal box."""
    from .classifier import MIN_LABELS

    minimum = MIN_LABELS if minimum is None else minimum
    counts = label_counts(labelled)
    kept = sorted(c for c, n in counts.items() if n >= minimum)
    left_out = {c: n for c, n in sorted(counts.items()) if n < minimum}
    if len(kept) < 2:
        found = ", ".join(f"{c} : {n}" for c, n in sorted(counts.items(), key=lambda t: (-t[1], t[0]))) or "aucune"
        unboxed = sum(1 for item in labelled if not animal_boxes(item.event))
        raise BiodiversiteError(
            f"Trop peu d'étiquettes pour entraîner le classifieur : il faut au moins {minimum} événements relus "
            f"(espèce confirmée, avec un cadre « animal » du détecteur) pour au moins deux espèces ; "
            f"la saison en a : {found}"
            + (f" ({unboxed} autre(s) événement(s) relu(s) sans cadre « animal » ne peuvent pas servir)" if unboxed else "")
            + ".")
    return kept, left_out


def event_crops(season: Season, events: list[Event]) -> tuple[list[np.ndarray], list[str], list[str]]:
    """The crops of the animal boxes of ``events`` (media decoded at the classifier's size), with the
    event id and deployment of each crop. A media unreadable now is skipped."""
    from .classifier import crop
    from .ingest import load_frames
    from .pipeline import CLASSIFIER_SIDE

    source = Path(season.source)
    crops, event_ids, deployments = [], [], []
    for event in events:
        by_media: dict[str, list[dict]] = {}
        media = {}
        for item, box in animal_boxes(event):
            by_media.setdefault(item["media_id"], []).append(box)
            media[item["media_id"]] = item
        for media_id, boxes in by_media.items():
            item = media[media_id]
            try:
                frames = load_frames(source / item["path"], item["kind"], min_side=CLASSIFIER_SIDE,
                                     max_side=CLASSIFIER_SIDE)
            except Exception:  # noqa: BLE001 - gone or unreadable since the analysis: reported by it
                continue
            arrays: dict[int, np.ndarray] = {}
            for box in boxes:
                index = min(int(box.get("frame", 0)), len(frames) - 1)
                arrays.setdefault(index, np.asarray(frames[index]))
                crops.append(crop(arrays[index], box))
                event_ids.append(event.event_id)
                deployments.append(event.deployment_id)
    return crops, event_ids, deployments


def _features(extractor, crops: list[np.ndarray], progress=None, start: float = 0.0, width: float = 1.0) -> np.ndarray:
    chunks, step = [], 32
    for i in range(0, len(crops), step):
        chunks.append(extractor.features(crops[i:i + step]))
        if progress is not None:
            progress(start + width * min(1.0, (i + step) / len(crops)), 1.0, "Caractéristiques des recadrages")
    return np.vstack(chunks)


def train_from_reviews(season: Season, *, out: Path | None = None, method: str = "logistique",
                       backbone: str = "embedded", minimum: int | None = None, progress=None,
                       log=print) -> dict:
    """Train the park's classifier on the crops of the season's reviewed animals, cross-validate it,
    save it (into ``out``, else a new folder of the server's models, written apart then renamed) and
    rank the season's unreviewed animal events for review. Returns the summary (card path, species,
    labels, cross-validation, ranked events). Too few labels: :class:`BiodiversiteError` (French)."""
    from amorce.core.vision import fewshot

    from . import classifier as clf
    from .season_service import CARD, publish_model

    def step(done: float, message: str) -> None:
        if progress is not None:
            progress(done, 1.0, message)

    labelled = labelled_events(season)
    kept, left_out = check_labels(labelled, minimum)
    chosen = [item for item in labelled if item.label in kept]
    step(0.02, "Recadrage des animaux relus")
    crops, event_ids, deployments = event_crops(season, [item.event for item in chosen])
    label_of = {item.event.event_id: item.label for item in chosen}
    labels = [label_of[e] for e in event_ids]
    check_labels([item for item in chosen if item.event.event_id in set(event_ids)], minimum)  # media gone since
    log(f"{len(crops)} recadrage(s) de {len(set(event_ids))} événement(s) relus, {len(kept)} espèce(s)"
        + (f" ; écartées faute d'étiquettes : {', '.join(f'{c} ({n})' for c, n in left_out.items())}" if left_out else ""))
    extractor = clf.make_features(backbone)
    features = _features(extractor, crops, progress, 0.05, 0.45)
    step(0.5, "Validation croisée")
    cv = clf.cross_validate(features, labels, event_ids, deployments, method=method)
    taxa = {item.label: {"cd_nom": item.cd_nom, "nom_francais": item.french} for item in chosen}
    events_per_class = dict(Counter(label_of[e] for e in dict.fromkeys(event_ids)))
    model = fewshot.train(features, labels, method=method, backbone=backbone, card={
        "backbone_name": extractor.name, "backbone_licence": extractor.licence,
        "origin": f"relectures de la saison « {season.name} » (n° {season.pk})",
        "labels_from": "réponse finale du responsable scientifique, sinon réponse commune des relecteurs",
        "crops": {"détecteur": len(crops)}, "events_per_class": events_per_class, "left_out": left_out,
        "minimum_labels": minimum or clf.MIN_LABELS, "deployments": sorted(set(deployments)),
        "cross_validation": cv, "taxa": taxa})
    if out is not None:
        card = model.save(out, kind=clf.SITE)
    else:
        digest = hashlib.sha256(json.dumps([season.pk, sorted(event_ids), model.card["trained_at"]]).encode()).hexdigest()[:8]
        folder = publish_model(f"relectures-saison-{season.pk}-{digest}", lambda tmp: model.save(tmp, kind=clf.SITE),
                               prefix=".entrainement-")
        card = folder / CARD
    log(f"Classifieur enregistré : {card} ; exactitude en validation croisée "
        f"{percent(cv['accuracy'])} ({cv['scheme_label']}).")
    step(0.6, "Événements à relire en priorité")
    ranked = rank_for_review(season, model, extractor, features, progress=progress)
    return {"model_card": str(card), "model": card.parent.name, "method": method, "species": kept,
            "events_per_class": events_per_class, "crops": len(crops), "left_out": left_out,
            "cross_validation": cv, "priority": len(ranked)}


def rank_for_review(season: Season, model, extractor, labelled_features: np.ndarray, *, progress=None) -> list[str]:
    """Rank the season's animal events without a human answer for review: the events where the new
    classifier hesitates most between two species, spread out (shared ``pick_next``: margin +
    diversity against what is labelled and picked). Stored in ``season.summary``; returns the ids."""
    from amorce.core.vision.fewshot import pick_next

    from .classifier import mean_by_group
    from .services import human_answers, save_priority

    answered = set(human_answers(season))
    candidates = [e for e in season.events.filter(observation_type="animal").order_by("start")
                  if e.event_id not in answered and animal_boxes(e)][:MAX_CANDIDATES]
    ranked: list[str] = []
    if candidates:
        crops, event_ids, _ = event_crops(season, candidates)
        if crops:
            features = _features(extractor, crops, progress, 0.6, 0.35)
            ids, probs = mean_by_group(model.predict_proba(features), event_ids)
            _, mean_features = mean_by_group(features, event_ids)
            picks = pick_next(probs, mean_features, min(PRIORITY_SIZE, len(ids)), labelled=labelled_features)
            ranked = [ids[i] for i in picks]
    save_priority(season, ranked, model=model.card.get("origin", ""),
                  at=datetime.now(UTC).isoformat(timespec="seconds"))
    return ranked
