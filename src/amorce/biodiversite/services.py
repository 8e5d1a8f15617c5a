"""Human review of camera-trap events: the logic behind the review pages (Django, no HTTP).

* :func:`save_review` records a reviewer's answer (type, taxon from the park's species list, MaxN
  count, comment) and appends every change to the history (who, when, old → new);
* :func:`confirm_blank` confirms many events predicted empty in one go, one history row per event;
* :func:`qc_sample` draws, per deployment, a reproducible random sample of events the machine
  called empty, and counts those a reviewer found non-empty;
* :func:`agreement_report` measures the agreement between reviewers (:mod:`.agreement`);
* :func:`human_answers` gives each event's human answer: the scientific lead's final answer, else
  the reviewers' consensus; :func:`export_files` writes it into the season's Camtrap DP package
  (the machine's answer stays where there is none).

Events a reviewer marks as person or vehicle are protected like those the machine flagged: their
thumbnails are blurred for every role but the scientific lead (:func:`protect_media`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from amorce.core.errors import InputError
from amorce.web.audit import record

from .agreement import AgreementReport, Answer, agreement, by_event, consensus
from .models import Event, Season, data_dir
from .models_review import REVIEW_TYPES, Review, ReviewChange

TYPE_LABELS = dict(REVIEW_TYPES)
FIELDS = ("observation_type", "scientific_name", "vernacular_name", "cd_nom", "count", "comment")
SENSITIVE = Event.SENSITIVE
QC_SHARE, QC_MIN = 0.05, 5  # quality check: 5 % of the events predicted empty, at least 5 per deployment


# -------------------------------------------------------------------------------------------------
# The park's species list


def save_deployments(deployments, *, user, request=None) -> int:
    """Create or update the declared deployments (pure :class:`~amorce.biodiversite.ingest.Deployment`
    objects, times in the server's zone), all or none, with an audit event; returns how many."""

    from .models import Deployment

    zone = timezone.get_current_timezone()
    deployments = list(deployments)
    with transaction.atomic():
        for d in deployments:
            Deployment.objects.update_or_create(deployment_id=d.deployment_id, defaults={
                "location_name": d.location_name, "latitude": d.latitude, "longitude": d.longitude,
                "start": timezone.make_aware(d.start, zone) if d.start else None,
                "end": timezone.make_aware(d.end, zone) if d.end else None, "camera_model": d.camera_model,
                "folder": d.folder, "clock_offset": d.clock_offset, "event_gap": d.event_gap,
                "malfunctions": [[a.isoformat(), b.isoformat()] for a, b in d.malfunctions]})
        record("biodiversite.deployments_import", request=request, user=user, count=len(deployments))
    return len(deployments)


def species_list_path() -> Path:
    return data_dir() / "especes.csv"


def species_list():
    """The park's species list (:func:`amorce.biodiversite.classifier.read_species_list`), or ``None``."""
    from .classifier import read_species_list

    path = species_list_path()
    return read_species_list(path) if path.exists() else None


def save_species_list(uploaded: Path, *, name: str = "", user=None, request=None) -> int:
    """Validate an uploaded species list (every problem at once), then put it in place atomically;
    audited."""
    from .classifier import read_species_list

    taxa = read_species_list(uploaded).taxa
    target = species_list_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(uploaded, temporary)
    temporary.replace(target)
    record("biodiversite.species_list_import", request=request, user=user, count=len(taxa), file=name or uploaded.name)
    return len(taxa)


def upload_classifier(card_upload, arrays_upload, *, user, request=None) -> str:
    """Store a park classifier sent from the web (checked by ``season_service.store_classifier``); audited."""
    from .season_service import store_classifier

    name = store_classifier(card_upload, arrays_upload)
    record("biodiversite.classifier_upload", request=request, user=user, model=name)
    return name


def taxon_choices(taxa) -> list[dict]:
    """Suggestions for the species field: the French name first (what reviewers type)."""
    if taxa is None:
        return []
    rows = [{"value": f"{t.nom_francais} ({t.nom_scientifique})", "french": t.nom_francais,
             "scientific": t.nom_scientifique, "cd_nom": t.cd_nom} for t in taxa.taxa.values()]
    return sorted(rows, key=lambda r: r["french"].casefold())


def resolve_taxon(text: str, taxa) -> tuple[str, str, str]:
    """(scientific name, French name, cd_nom) of what the reviewer typed: a French name, a scientific
    name, a suggestion « Nom français (Nom scientifique) », or the start of one name when only one
    taxon starts so (« blaireau »). With a species list the taxon must be in it; without one, the
    text is kept as the scientific name."""
    from .agreement import taxon_key

    text = " ".join(text.split())
    if not text:
        return "", "", ""
    if taxa is None:
        return text, "", ""
    wanted = taxon_key(text)
    names = [(t, [taxon_key(t.nom_francais), taxon_key(t.nom_scientifique), taxon_key(t.label),
                  taxon_key(f"{t.nom_francais} ({t.nom_scientifique})")]) for t in taxa.taxa.values()]
    exact = [t for t, keys in names if wanted in keys]
    starting = [t for t, keys in names if any(k.startswith(wanted) for k in keys[:2])]
    for found in (exact, starting):
        if len(found) == 1:
            return found[0].nom_scientifique, found[0].nom_francais, found[0].cd_nom
    if starting:
        raise InputError(f"« {text} » désigne plusieurs espèces de la liste du parc ("
                         f"{', '.join(sorted(t.nom_francais for t in starting)[:8])}) : précisez.", field="taxon")
    raise InputError(f"« {text} » n'est pas dans la liste d'espèces du parc : tapez un nom français ou scientifique "
                     "de la liste (les suggestions s'affichent pendant la saisie).", field="taxon")


# -------------------------------------------------------------------------------------------------
# The machine's species proposal (a suggestion the reviewer may accept)


RANK_LABELS = {"espece": "espèce", "genre": "genre", "famille": "famille", "ordre": "ordre",
               "indetermine": "indéterminé"}


@dataclass
class Proposal:
    """The species classifier's answer for an event, as the review pages show it. ``value`` is what
    the species field receives when the reviewer accepts it (empty above the species rank: a genus
    or a family is not a species of the park's list)."""

    rank: str
    scientific_name: str
    french_name: str
    score: float
    model: str
    crops: int
    value: str

    @property
    def rank_label(self) -> str:
        return RANK_LABELS.get(self.rank, self.rank)

    @property
    def percent(self) -> str:
        return f"{self.score * 100:.0f} %"

    @property
    def name(self) -> str:
        if self.rank == "indetermine":
            return "indéterminé"
        if self.french_name and self.scientific_name:
            return f"{self.french_name} ({self.scientific_name})"
        return self.french_name or self.scientific_name


def proposal(event: Event) -> Proposal | None:
    """The classifier's proposal stored with ``event`` by the analysis, or ``None`` without one."""
    found = event.species or {}
    if not found.get("rank"):
        return None
    rank = found["rank"]
    scientific = found.get("scientific_name") or ("" if rank == "indetermine" else found.get("label", ""))
    french = found.get("nom_francais", "")
    value = (f"{french} ({scientific})" if french else scientific) if rank == "espece" and scientific else ""
    return Proposal(rank, scientific, french, float(found.get("score") or 0.0), found.get("model", ""),
                    int(found.get("crops") or 0), value)


# -------------------------------------------------------------------------------------------------
# Reviews and their history


def machine_count(event: Event) -> int:
    """MaxN proposed by the machine: the most animal boxes on one frame of the event (0 without)."""
    from .pipeline import max_n

    return max_n([SimpleNamespace(media_id=m["media_id"], detections=m.get("detections") or []) for m in event.media])


def _name(user) -> str:
    return (user.get_full_name() or user.get_username())[:200]


def _values(review: Review | None) -> dict:
    return {f: getattr(review, f) for f in FIELDS} if review else dict.fromkeys(FIELDS)


def save_review(event: Event, user, *, observation_type: str, taxon: str = "", count=None, comment: str = "",
                final: bool = False, action: str | None = None, taxa=None, request=None) -> tuple[Review, bool]:
    """Record ``user``'s answer on ``event`` (their own review, or the final answer when ``final``, audited).
    Returns (review, changed); every change goes to the history. Bad input raises :class:`InputError`
    with a French message; the role check (``final`` is the scientific lead's) is the caller's."""
    if observation_type not in TYPE_LABELS:
        raise InputError(f"Type d'observation inconnu : « {observation_type} » (attendu : "
                         f"{', '.join(TYPE_LABELS.values())}).", field="observation_type")
    scientific = french = cd_nom = ""
    if observation_type == "animal":
        scientific, french, cd_nom = resolve_taxon(taxon, taxa if taxa is not None else species_list())
    if count in (None, ""):
        count = (machine_count(event) or None) if observation_type == "animal" else None
    else:
        try:
            count = int(str(count).strip())
        except ValueError:
            count = 0
        if count < 1 or count > 10_000:
            raise InputError(f"Nombre d'individus invalide : « {count} » (un entier de 1 à 10 000 attendu).",
                             field="count")
    if observation_type == "blank":
        count = None
    new = {"observation_type": observation_type, "scientific_name": scientific, "vernacular_name": french,
           "cd_nom": cd_nom, "count": count, "comment": comment.strip()[:5000]}
    with transaction.atomic():
        review = (Review.objects.select_for_update().filter(event=event, final=final, **({} if final else {"reviewer": user}))
                  .first())
        old = _values(review)
        changes = {f: [old[f], new[f]] for f in FIELDS if old[f] != new[f] and not (old[f] in (None, "") and new[f] in (None, ""))}
        if review is not None and not changes:
            return review, False
        now = timezone.now()
        if review is None:
            review = Review(event=event, final=final, created_at=now)
        if observation_type in SENSITIVE and event.observation_type not in SENSITIVE:
            protect_media(event)  # before the answer is saved: a failure here saves nothing
        review.reviewer, review.reviewer_name, review.updated_at = user, _name(user), now
        for key, value in new.items():
            setattr(review, key, value)
        review.save()
        ReviewChange.objects.create(event=event, review=review, user=user, user_name=_name(user), at=now,
                                    action=action or ("arbitrage" if final else "creation" if old["observation_type"] is None
                                                      else "modification"), changes=changes)
        if final:
            record("biodiversite.review_settle", request=request, user=user, obj=event, season=event.season_id,
                   observation_type=observation_type)
    return review, True


def confirm_blank(season: Season, user, event_ids: list[str], *, request=None) -> int:
    """Confirm as empty, in one transaction, the events of ``event_ids`` the machine predicted empty
    (others are refused). Returns how many answers changed; each is in the history."""
    events = list(season.events.filter(event_id__in=event_ids))
    wrong = sorted(set(event_ids) - {e.event_id for e in events if e.observation_type == "blank"})
    if wrong:
        raise InputError(f"Ces événements ne sont pas des événements prédits vides de la saison : {', '.join(wrong[:10])}.")
    changed = 0
    with transaction.atomic():
        for event in events:
            changed += save_review(event, user, observation_type="blank", action="vide_en_masse")[1]
        record("biodiversite.review_bulk_blank", request=request, user=user, obj=season, events=len(events),
               changed=changed)
    return changed


def history(event: Event):
    return event.review_changes.all()


def change_lines(change: ReviewChange) -> list[str]:
    """« champ : ancien → nouveau » in French, for the history table."""
    labels = {"observation_type": "type", "scientific_name": "nom scientifique", "vernacular_name": "nom français",
              "cd_nom": "cd_nom", "count": "nombre", "comment": "commentaire", "evenement": "événement",
              "note": "note"}

    def shown(key, value):
        if value in (None, ""):
            return "—"
        return TYPE_LABELS.get(value, value) if key == "observation_type" else str(value)

    return [f"{labels[k]} : {shown(k, old)} → {shown(k, new)}" for k, (old, new) in change.changes.items() if k in labels]


# -------------------------------------------------------------------------------------------------
# Privacy: events a reviewer says show a person or a vehicle


def is_sensitive(event: Event) -> bool:
    """A person or a vehicle: detected by the machine, or said by a reviewer."""
    return event.sensitive or event.reviews.filter(observation_type__in=SENSITIVE).exists()


def protect_media(event: Event) -> int:
    """Blur the thumbnails of an event the machine did not flag (whole frame: no person box is known),
    keeping the clear one as ``.raw.jpg`` for the scientific lead. Returns the thumbnails blurred."""
    from amorce.core.images import open_image

    from .ingest import thumbnail
    from .tasks import THUMB_SIZE, thumbs_dir

    folder, done = thumbs_dir(event.season), 0
    for item in event.media:
        clear, raw = folder / f"{item['media_id']}.jpg", folder / f"{item['media_id']}.raw.jpg"
        if not clear.exists() or raw.exists():
            continue
        with open_image(clear) as image:
            blurred = thumbnail(image, THUMB_SIZE, blur_boxes=[(0, 0, 1, 1)])
        clear.replace(raw)
        temporary = clear.with_name(f".{clear.name}.tmp")
        temporary.write_bytes(blurred)
        temporary.replace(clear)
        done += 1
    return done


# -------------------------------------------------------------------------------------------------
# Re-analysis: the new events replace the old ones, the reviews stay


REANALYSIS = "nouvelle analyse de la saison"


def _media_keys(event: Event) -> set[str]:
    """A media's identity across analyses: its file (path relative to the season's folder)."""
    return {m["path"] for m in event.media}


def replace_events(season: Season, rows: list[Event], *, output_dir: str, summary: dict, report: dict) -> dict:
    """Replace the events of ``season`` by ``rows`` (a new analysis) in one transaction, keeping every
    review and its history: each review moves to the new event holding the largest share of its old
    event's media (same files; a split or merged event is written in the history), a review whose
    media are all gone is archived on the season (never dropped). When two old events merge and one
    reviewer had answered both, the latest answer stays on the new event, the other is archived.
    Returns ``{"reattached": n, "archived": n}``."""
    moved = {"reattached": 0, "archived": 0}
    with transaction.atomic():
        old_events = {e.pk: e for e in season.events.filter(reviews__isnull=False).distinct()}
        reviews = list(Review.objects.filter(event__in=list(old_events)).order_by("-updated_at", "-pk"))
        old_of = {r.pk: old_events[r.event_id] for r in reviews}
        for review in reviews:  # detached first: the old events (and their ids) go away
            ReviewChange.objects.filter(review=review).move_to(None)
        Review.objects.filter(pk__in=[r.pk for r in reviews]).update(event=None, archived_season=season)
        ReviewChange.objects.filter(event__season=season).move_to(None)  # rows of deleted reviews, if any
        season.events.all().delete()
        Event.objects.bulk_create(rows)
        new_events = {e.pk: e for e in season.events.all()}
        by_media: dict[str, Event] = {}
        for event in new_events.values():
            for key in _media_keys(event):
                by_media[key] = event
        plan = []  # (review, old event, new event or None, media shared, other new events)
        for review in reviews:
            old = old_of[review.pk]
            overlap: dict[int, int] = {}
            for key in _media_keys(old):
                if key in by_media:
                    overlap[by_media[key].pk] = overlap.get(by_media[key].pk, 0) + 1
            best = max(overlap, key=lambda pk: (overlap[pk], -pk)) if overlap else None
            target = new_events.get(best)
            others = sorted(new_events[pk].event_id for pk in overlap if pk != best)
            plan.append((review, old, target, overlap.get(best, 0), others))
        sources: dict[int, set[int]] = {}  # new event -> old events whose reviews it receives (a merge: several)
        for _, old, target, _, _ in plan:
            if target is not None:
                sources.setdefault(target.pk, set()).add(old.pk)
        taken: set[tuple] = set()
        for review, old, target, shared, others in plan:  # latest first: on a merge, a reviewer's latest answer wins
            total, notes = len(_media_keys(old)), []
            # one own review per reviewer and event, one final answer per event (whoever gave it)
            slot = (target.pk if target else None, review.final,
                    None if review.final else review.reviewer_id or review.reviewer_name)
            if target is None:
                notes.append("médias absents de la nouvelle analyse : relecture archivée")
            elif slot in taken:
                notes.append(f"événements fusionnés dans {target.event_id} : "
                             + ("la réponse finale la plus récente" if review.final else
                                "la relecture plus récente du même relecteur") + " y est gardée, celle-ci est archivée")
                target = None
            else:
                taken.add(slot)
                if shared < total or others:
                    notes.append(f"{shared} média(s) sur {total} repris ; les autres "
                                 + (f"sont dans {', '.join(others)}" if others else "ont disparu"))
                if len(sources[target.pk]) > 1:
                    notes.append("événements fusionnés par la nouvelle analyse")
            Review.objects.filter(pk=review.pk).update(
                event=target, archived_season=None if target else season,
                archived_event_id="" if target else old.event_id,
                archived_deployment="" if target else old.deployment_id, archived_start=None if target else old.start)
            ReviewChange.objects.filter(review=review).move_to(target)
            changes = {"evenement": [old.event_id, target.event_id if target else None]}
            if notes:
                changes["note"] = [None, " ; ".join(notes)]
            ReviewChange.objects.create(event=target, review=review, user=None, user_name=REANALYSIS,
                                        action="reanalyse", changes=changes)
            if target is None:
                moved["archived"] += 1
                continue
            moved["reattached"] += 1
            if review.observation_type in SENSITIVE and target.observation_type not in SENSITIVE:
                protect_media(target)
        season.output_dir, season.summary, season.report = output_dir, summary, report
        season.save(update_fields=["output_dir", "summary", "report"])
    return moved


def archived_reviews(season: Season):
    """Reviews kept after a re-analysis whose media are all gone (their former event id is kept)."""
    return season.archived_reviews.filter(event__isnull=True).order_by("archived_event_id", "pk")


def nearby_events(season: Season, review: Review, limit: int = 5) -> list[Event]:
    """The season's events of the archived review's former deployment, nearest in time to its former
    event first (the likeliest places for its media after a renaming)."""
    events = season.events.filter(deployment_id=review.archived_deployment)
    if review.archived_start is None:
        return list(events.order_by("start")[:limit])
    after = list(events.filter(start__gte=review.archived_start).order_by("start")[:limit])
    before = list(events.filter(start__lt=review.archived_start).order_by("-start")[:limit])
    return sorted(after + before, key=lambda e: abs((e.start - review.archived_start).total_seconds()))[:limit]


def reattach_review(review: Review, event: Event, *, user, request=None) -> None:
    """Attach an archived review to an event of its season that the scientific lead chose (the media
    were renamed or moved, so the re-analysis could not match them). Refused in French where the event
    already holds the same reviewer's review, or a final answer for a final one; the move is written in
    the review's history and in the audit log."""
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.event_id is not None or review.archived_season_id != event.season_id:
            raise InputError("Cette relecture n'est pas (ou plus) archivée sur cette saison : rien n'a été changé.")
        taken = event.reviews.filter(final=True) if review.final else event.reviews.filter(
            final=False, **({"reviewer": review.reviewer} if review.reviewer_id else {"reviewer_name": review.reviewer_name}))
        if taken.exists():
            raise InputError(f"L'événement {event.event_id} a déjà "
                             + ("une réponse finale" if review.final else f"une relecture de {review.reviewer_name}")
                             + " : une seule par événement, rattachement refusé.", field="event_id")
        old = review.archived_event_id
        Review.objects.filter(pk=review.pk).update(event=event, archived_season=None, archived_event_id="",
                                                   archived_deployment="", archived_start=None)
        ReviewChange.objects.filter(review=review).move_to(event)
        ReviewChange.objects.create(event=event, review=review, user=user, user_name=_name(user), action="rattachement",
                                    changes={"evenement": [old, event.event_id]})
        record("biodiversite.review_reattach", request=request, user=user, obj=event, season=event.season_id,
               review=review.pk, former_event=old)
        if review.observation_type in SENSITIVE and event.observation_type not in SENSITIVE:
            protect_media(event)


# -------------------------------------------------------------------------------------------------
# Human answers: final answer, else consensus


@dataclass
class HumanAnswer:
    observation_type: str
    scientific_name: str
    vernacular_name: str
    cd_nom: str
    count: int | None
    comment: str
    by: list[str]
    at: datetime
    status: str  # "arbitrage" or "consensus"

    @property
    def label(self) -> str:
        return TYPE_LABELS[self.observation_type]


def _answer(review: Review) -> Answer:
    return Answer(str(review.event_id), str(review.reviewer_id or review.reviewer_name), review.observation_type,
                  review.scientific_name)


def human_answer(reviews: list[Review]) -> HumanAnswer | None:
    """The scientific lead's final answer if any, else the answer all reviewers agree on, else ``None``."""
    final = next((r for r in reviews if r.final), None)
    if final is not None:
        chosen, by, status = final, [final.reviewer_name], "arbitrage"
    else:
        own = sorted((r for r in reviews if not r.final), key=lambda r: r.updated_at)
        if consensus([_answer(r) for r in own]) is None:
            return None
        chosen, by, status = own[-1], [r.reviewer_name for r in own], "consensus"
    return HumanAnswer(chosen.observation_type, chosen.scientific_name, chosen.vernacular_name, chosen.cd_nom,
                       chosen.count, chosen.comment, by, chosen.updated_at, status)


def human_answers(season: Season) -> dict[str, HumanAnswer]:
    """Every event of ``season`` that has a human answer -> that answer."""
    grouped: dict[str, list[Review]] = {}
    for review in Review.objects.filter(event__season=season).select_related("event"):
        grouped.setdefault(review.event.event_id, []).append(review)
    answers = {event_id: human_answer(rows) for event_id, rows in grouped.items()}
    return {k: v for k, v in answers.items() if v is not None}


# -------------------------------------------------------------------------------------------------
# Quality check of the events predicted empty


@dataclass
class QcDeployment:
    deployment_id: str
    predicted_blank: int
    seed: int
    sample: list[str]
    reviewed: int = 0
    non_empty: list[str] = field(default_factory=list)

    @property
    def non_empty_share(self) -> float | None:
        return len(self.non_empty) / self.reviewed if self.reviewed else None


def qc_size(n: int) -> int:
    return min(n, max(QC_MIN, math.ceil(QC_SHARE * n)))


def qc_seed(season: Season, deployment_id: str) -> int:
    """Stable across runs and processes (not Python's salted ``hash``)."""
    return int(hashlib.sha256(f"{season.pk}:{deployment_id}".encode()).hexdigest()[:12], 16)


def qc_sample(season: Season) -> list[QcDeployment]:
    """Per deployment, a reproducible random sample of the events predicted empty (5 %, at least 5),
    with how many were reviewed and which a reviewer found non-empty (any answer other than empty)."""
    blanks: dict[str, list[str]] = {}
    for deployment_id, event_id in season.events.filter(observation_type="blank").values_list("deployment_id", "event_id"):
        blanks.setdefault(deployment_id, []).append(event_id)
    reviewed: dict[str, list[str]] = {}
    for event_id, kind in Review.objects.filter(event__season=season).values_list("event__event_id", "observation_type"):
        reviewed.setdefault(event_id, []).append(kind)
    out = []
    for deployment_id in sorted(blanks):
        ids = sorted(blanks[deployment_id])
        seed = qc_seed(season, deployment_id)
        sample = sorted(random.Random(seed).sample(ids, qc_size(len(ids))))
        row = QcDeployment(deployment_id, len(ids), seed, sample)
        for event_id in sample:
            if event_id in reviewed:
                row.reviewed += 1
                if any(kind != "blank" for kind in reviewed[event_id]):
                    row.non_empty.append(event_id)
        out.append(row)
    return out


def qc_event_ids(season: Season) -> list[str]:
    return [e for row in qc_sample(season) for e in row.sample]


# -------------------------------------------------------------------------------------------------
# Agreement between reviewers


@dataclass
class AgreementView:
    report: AgreementReport
    names: dict[str, str]  # reviewer key -> name
    settled: dict[str, HumanAnswer]  # event_id -> final answer


def agreement_report(season: Season) -> AgreementView:
    reviews = list(Review.objects.filter(event__season=season).select_related("event"))
    own = [r for r in reviews if not r.final]
    by_pk = {r.event_id: r.event.event_id for r in reviews}
    answers = [Answer(by_pk[r.event_id], str(r.reviewer_id or r.reviewer_name), r.observation_type, r.scientific_name)
               for r in sorted(own, key=lambda r: r.updated_at)]
    report = agreement(answers)
    finals = {r.event.event_id: human_answer([r]) for r in reviews if r.final}
    return AgreementView(report, {str(r.reviewer_id or r.reviewer_name): r.reviewer_name for r in own}, finals)


def reviewers_of(season: Season) -> dict[str, int]:
    """Reviewer name -> number of events reviewed (own reviews)."""
    counts: dict[str, int] = {}
    for name in Review.objects.filter(event__season=season, final=False).values_list("reviewer_name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    return counts


def event_answers(event: Event) -> dict[str, list[Answer]]:
    return by_event(_answer(r) for r in event.reviews.filter(final=False))


# -------------------------------------------------------------------------------------------------
# Export: the Camtrap DP package with the human answers


def export_files(season: Season) -> dict[str, bytes]:
    """The season's Camtrap DP package (as written by the analysis) with each reviewed event's human
    answer in ``observations.csv`` (``classificationMethod`` human, the reviewers in ``classifiedBy``),
    its taxa in ``datapackage.json``'s ``taxonomic``, and the media of events reviewed as person or
    vehicle marked ``filePublic=false``. Raises ``FileNotFoundError`` without a package."""
    from .formats import MEDIA_FIELDS, OBSERVATION_FIELDS, TAXON_RANKS, _csv_text
    from .inventory import INPN_TAXON

    folder = Path(season.output_dir or "/nonexistent") / "camtrapdp"
    names = ("datapackage.json", "deployments.csv", "media.csv", "observations.csv")
    files = {name: (folder / name).read_bytes() for name in names}
    answers = human_answers(season)
    if not answers:
        return files
    package = json.loads(files["datapackage.json"])
    taxonomic = {t["scientificName"]: t for t in package.get("taxonomic", [])}
    observations = list(csv.DictReader(io.StringIO(files["observations.csv"].decode("utf-8"))))
    hidden = set()
    for row in observations:
        answer = answers.get(row.get("eventID", ""))
        if answer is None:
            continue
        if answer.observation_type in SENSITIVE:
            hidden.add(row["eventID"])
        animal = answer.observation_type == "animal"
        row.update({
            "observationType": answer.observation_type, "scientificName": answer.scientific_name if animal else "",
            "count": (answer.count or "") if answer.observation_type not in ("blank", "unknown") else "",
            "classificationMethod": "human", "classifiedBy": ", ".join(answer.by),
            "classificationTimestamp": answer.at.isoformat(timespec="seconds"), "classificationProbability": "",
            "observationComments": " ; ".join(x for x in (answer.comment, "réponse arbitrée par le responsable "
                                                          "scientifique" if answer.status == "arbitrage" else "") if x)})
        if animal and answer.scientific_name:
            entry = taxonomic.setdefault(answer.scientific_name, {"scientificName": answer.scientific_name})
            if "taxonRank" not in entry and len(answer.scientific_name.split()) == 2:
                entry["taxonRank"] = TAXON_RANKS["espece"]
            if answer.cd_nom:
                entry["taxonID"] = INPN_TAXON.format(answer.cd_nom)
            if answer.vernacular_name:
                entry["vernacularNames"] = {"fra": answer.vernacular_name}
    files["observations.csv"] = _csv_text(OBSERVATION_FIELDS, observations).encode("utf-8")
    if hidden:
        media = list(csv.DictReader(io.StringIO(files["media.csv"].decode("utf-8"))))
        ids = {m["media_id"] for e in season.events.filter(event_id__in=hidden) for m in e.media}
        for row in media:
            if row["mediaID"] in ids:
                row["filePublic"] = "false"
        files["media.csv"] = _csv_text(MEDIA_FIELDS, media).encode("utf-8")
    package["taxonomic"] = [taxonomic[k] for k in sorted(taxonomic)]
    if not package["taxonomic"]:
        package.pop("taxonomic")
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    return files


# -------------------------------------------------------------------------------------------------
# Navigation


QUEUES = {"": "tous les événements", "controle": "échantillon de contrôle des vides",
          "priorite": "à relire en priorité (incertitude du classifieur)"}
PRIORITY_KEY = "review_priority"  # in Season.summary (also read by the API: English key)


def save_priority(season: Season, event_ids: list[str], *, model: str, at: str) -> None:
    """Store the ranking of the events to review first (from a classifier trained on the reviews)."""
    with transaction.atomic():
        locked = Season.objects.select_for_update().get(pk=season.pk)
        locked.summary = {**(locked.summary or {}), PRIORITY_KEY: {"events": list(event_ids), "model": model, "at": at}}
        locked.save(update_fields=["summary"])
    season.summary = locked.summary


def priority_ids(season: Season) -> list[str]:
    """The events to review first, without a human answer yet: the ranking of the last classifier
    trained on the season's reviews (margin + diversity, :mod:`.training_service`); without one, the
    animal events whose species proposal hesitates most (smallest gap between the two best taxa)."""
    answered = set(human_answers(season))
    existing = set(season.events.values_list("event_id", flat=True))
    stored = (season.summary or {}).get(PRIORITY_KEY) or {}
    if stored.get("events"):
        return [e for e in stored["events"] if e in existing and e not in answered]
    rows = []
    for event_id, species in season.events.filter(observation_type="animal").values_list("event_id", "species"):
        top = (species or {}).get("top") or []
        if top and event_id not in answered:
            rows.append((top[0][1] - (top[1][1] if len(top) > 1 else 0.0), event_id))
    return [e for _, e in sorted(rows)]


def priority_source(season: Season) -> str:
    stored = (season.summary or {}).get(PRIORITY_KEY) or {}
    return ("classifieur entraîné sur les relectures (incertitude et diversité)" if stored.get("events")
            else "proposition du classifieur de l'analyse (écart entre ses deux meilleures espèces)")


def start_training(season: Season, *, user, request=None, method: str = "logistique"):
    """Queue the training of the park's classifier on the season's reviews, after checking there are
    enough labels (French refusal otherwise), in one transaction with its audit event; the job."""
    from amorce.core.vision.fewshot import METHODS
    from amorce.web import jobs

    from .training_service import check_labels, labelled_events

    if method not in METHODS:
        raise InputError(f"Méthode inconnue : « {method} » (attendu : {', '.join(METHODS)}).", field="method")
    kept, _ = check_labels(labelled_events(season))
    with transaction.atomic():
        job = jobs.enqueue("biodiversite.entrainer", {"season_id": season.pk, "method": method}, user=user,
                           label=f"Classifieur du parc entraîné sur les relectures de « {season.name} »")
        record("biodiversite.classifier_training", request=request, user=user, obj=season, species=len(kept),
               method=method)
    return job


def queue_ids(season: Season, queue: str, kind: str = "") -> list[str]:
    """The events a reviewer walks through, in order: the whole season (optionally of one machine
    type), the quality-check sample, or the events to review first (classifier's uncertainty)."""
    if queue == "controle":
        return qc_event_ids(season)
    if queue == "priorite":
        return priority_ids(season)
    events = season.events.all()
    if kind in dict(Event.TYPES):
        events = events.filter(observation_type=kind)
    return list(events.values_list("event_id", flat=True))


def start_analysis(name: str, source: Path, detector: str, params: dict, *, user, request=None):
    """Create a season and queue its analysis (``params``: stored classifier card, species list), in
    one transaction with its audit event; returns the job."""
    from django.db import transaction

    from amorce.web import jobs

    from .models import Season

    with transaction.atomic():
        season = Season.objects.create(name=name, source=str(source), detector=detector, created_by=user)
        job = jobs.enqueue("biodiversite.analyse", {"season_id": season.pk, **params}, user=user,
                           label=f"Analyse de la saison « {season.name} »")
        season.job_id = str(job.pk)
        season.save(update_fields=["job_id"])
        record("biodiversite.season_analysis", request=request, user=user, obj=season, detector=detector,
               classifier=bool(params.get("classifier")))
    return job
