"""Services of the archives use case (Django, no HTTP): the institution's vocabulary and its labels,
training and proposals, and exports. Views and the command line call these; the logic of files and
models lives in the pure modules (``thesaurus``, ``multilabel``, ``exports``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from amorce.web.audit import record

from .errors import SourceError
from .models import Collection, DuplicateGroup, Photo
from .models_explore import PhotoAnalysis
from .models_labels import PhotoTerm, Term, Thesaurus, TrainingRun

MODEL_FAMILY = "logistique un-contre-tous (EfficientNet-Lite0)"
ASK_PER_TERM = 12


# ------------------------------------------------------------------------------ thesaurus
@transaction.atomic
def import_thesaurus(collection: Collection, path: str | Path, *, name: str | None = None, user=None,
                     request=None) -> dict:
    """Attach the thesaurus in ``path`` to the collection (replacing its previous one, term by URI).

    Terms absent from the new file are removed, unless photos carry them (then kept, and counted)."""
    from .thesaurus import read_thesaurus

    parsed = read_thesaurus(path, name=name)
    thesaurus, _ = Thesaurus.objects.update_or_create(collection=collection, defaults=dict(
        title=parsed.title[:300], source_name=(name or Path(path).name)[:300], created_by=user,
        created_at=timezone.now()))
    existing = {t.uri: t for t in thesaurus.terms.all()}
    created = updated = 0
    for term in parsed.terms:
        fields = dict(label=term.label[:500], alt_labels=list(term.alt_labels), broader=list(term.broader))
        row = existing.get(term.uri)
        if row is None:
            Term.objects.create(thesaurus=thesaurus, uri=term.uri, **fields)
            created += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            Term.objects.filter(pk=row.pk).update(**fields)
            updated += 1
    gone = thesaurus.terms.exclude(uri__in=[t.uri for t in parsed.terms])
    kept = gone.filter(photo_terms__isnull=False).distinct().count()
    gone.filter(photo_terms__isnull=True).delete()
    counts = {"terms": len(parsed.terms), "created": created, "updated": updated, "kept_in_use": kept,
              "title": thesaurus.title}
    record("archives_thesaurus_importe", request=request, user=user, obj=collection,
           file=name or Path(path).name, **counts)
    return counts


def terms_with_counts(collection: Collection):
    thesaurus = getattr(collection, "thesaurus", None) if _has_thesaurus(collection) else None
    if thesaurus is None:
        return Term.objects.none()
    return thesaurus.terms.annotate(
        n_accepted=Count("photo_terms", filter=Q(photo_terms__status=PhotoTerm.Status.ACCEPTED)),
        n_proposed=Count("photo_terms", filter=Q(photo_terms__status=PhotoTerm.Status.PROPOSED)),
        n_rejected=Count("photo_terms", filter=Q(photo_terms__status=PhotoTerm.Status.REJECTED)))


def _has_thesaurus(collection: Collection) -> bool:
    return Thesaurus.objects.filter(collection=collection).exists()


# ------------------------------------------------------------------------------ labels
@transaction.atomic
def label_photos(term: Term, photo_ids: Iterable[int], user) -> int:
    """A cataloguer gives ``term`` to photos: accepted now, by them. An existing model proposal keeps its
    provenance (model, confidence, date) and is accepted; a rejection is overturned by this person."""
    collection_id = term.thesaurus.collection_id
    photos = list(Photo.objects.filter(collection_id=collection_id, pk__in=set(photo_ids)))
    now = timezone.now()
    for photo in photos:
        row, created = PhotoTerm.objects.get_or_create(photo=photo, term=term, defaults=dict(
            status=PhotoTerm.Status.ACCEPTED, source=PhotoTerm.Source.CATALOGUER, created_by=user,
            validated_by=user, validated_at=now))
        if not created and row.status != PhotoTerm.Status.ACCEPTED:
            row.status, row.validated_by, row.validated_at = PhotoTerm.Status.ACCEPTED, user, now
            row.save(update_fields=["status", "validated_by", "validated_at"])
    return len(photos)


@transaction.atomic
def review(term: Term, ids: Iterable[int], accept: bool, user) -> int:
    """Accept or reject proposals of ``term`` (one or many): only a person does this."""
    rows = PhotoTerm.objects.filter(term=term, pk__in=set(ids), status=PhotoTerm.Status.PROPOSED)
    status = PhotoTerm.Status.ACCEPTED if accept else PhotoTerm.Status.REJECTED
    return rows.update(status=status, validated_by=user, validated_at=timezone.now())


# The three primitives above change rows without an audit event (they are building blocks: a cluster's
# decision records its own event); the actions below are what a person does, each audited once.
@transaction.atomic
def decide_proposals(term: Term, ids: Iterable[int], accept: bool, user, *, request=None, **details) -> int:
    """A person accepts or rejects proposals of ``term`` (one or several: the term's page, the API)."""
    ids = sorted(set(ids))
    count = review(term, ids, accept, user)
    if count:
        record(f"archives_proposition_{'accepter' if accept else 'rejeter'}", request=request, user=user, obj=term,
               count=count, ids=ids[:200], **details)
    return count


@transaction.atomic
def give_term(term: Term, photo_ids: Iterable[int], user, *, request=None) -> int:
    """A person labels photos with ``term`` (see :func:`label_photos`)."""
    count = label_photos(term, photo_ids, user)
    if count:
        record("archives_terme_accepter", request=request, user=user, obj=term, photos=count)
    return count


@transaction.atomic
def take_term_back(term: Term, ids: Iterable[int], user, *, request=None) -> int:
    """A person withdraws ``term`` from photos it was wrongly given to (see :func:`withdraw`)."""
    count = withdraw(term, ids, user)
    if count:
        record("archives_terme_retirer", request=request, user=user, obj=term, photos=count)
    return count


@transaction.atomic
def start_training(collection: Collection, user, *, request=None):
    """Queue the « train and propose » job of a collection; audited."""
    from amorce.web import jobs

    job = jobs.enqueue("archives.train", {"collection_id": collection.pk, "user_id": user.pk}, user=user,
                       label=f"Fonds photographiques : entraîner et proposer — {collection}")
    record("archives_entrainement_lance", request=request, user=user, obj=collection)
    return job


def decide_proposal(row: PhotoTerm, accept: bool, user, *, request=None) -> PhotoTerm:
    """A person accepts or rejects one model proposal (the API's decision), in one transaction, audited
    like the page's; :class:`SourceError` when the row is no longer a proposal (already decided)."""
    if not decide_proposals(row.term, [row.pk], accept, user, request=request, via="api"):
        row.refresh_from_db()
        raise SourceError(f"Cette proposition a déjà été décidée (statut : {row.get_status_display().lower()}).")
    row.refresh_from_db()
    return row


@transaction.atomic
def withdraw(term: Term, ids: Iterable[int], user) -> int:
    """Take an accepted term back off photos (a mistake): the row becomes a rejection by this person."""
    return PhotoTerm.objects.filter(term=term, pk__in=set(ids), status=PhotoTerm.Status.ACCEPTED).update(
        status=PhotoTerm.Status.REJECTED, validated_by=user, validated_at=timezone.now())


def latest_run(collection: Collection) -> TrainingRun | None:
    return collection.training_runs.order_by("-version").first()


def photos_to_label(term: Term, limit: int = ASK_PER_TERM) -> tuple[list[Photo], bool]:
    """The photos to label next for ``term``: those the latest run picked (active learning), still
    without a decision for the term; before any run, photos without any accepted term. ``(photos,
    picked_by_model)``."""
    collection = term.thesaurus.collection
    decided = PhotoTerm.objects.filter(term=term).exclude(status=PhotoTerm.Status.PROPOSED).values("photo_id")
    run = latest_run(collection)
    picked = (run.to_label.get(str(term.pk)) or []) if run else []
    if picked:
        photos = {p.pk: p for p in collection.photos.filter(pk__in=picked, error="").exclude(pk__in=decided)}
        ordered = [photos[i] for i in picked if i in photos]
        if ordered:
            return ordered[:limit], True
    accepted_any = PhotoTerm.objects.filter(photo__collection=collection, status=PhotoTerm.Status.ACCEPTED)
    rest = collection.photos.filter(error="").exclude(pk__in=accepted_any.values("photo_id")).exclude(pk__in=decided)
    return list(rest.order_by("key")[:limit]), False


def photos_without_decision(term: Term):
    """Every readable photo of the collection not yet accepted nor rejected for ``term`` (to browse)."""
    decided = PhotoTerm.objects.filter(term=term).exclude(status=PhotoTerm.Status.PROPOSED).values("photo_id")
    return term.thesaurus.collection.photos.filter(error="").exclude(pk__in=decided).order_by("key")


# ------------------------------------------------------------------------------ training (the job)
def train_and_propose(collection: Collection, *, user=None, progress: Callable | None = None) -> dict:
    """One-vs-rest on the accepted labels; stores proposals (``propose``, with confidence) and the
    images to label next. Accepted and rejected decisions are never changed."""
    from .index import read_features
    from .multilabel import check_trainable, one_vs_rest

    progress = progress or (lambda *a, **k: None)
    progress(0.05, None, "Lecture des caractéristiques d'image")
    keys, matrix = read_features(collection.store)
    if matrix is None:
        raise SourceError(f"La collection « {collection.name} » n'a pas de caractéristiques d'image : "
                          "réindexez-la avec « --caracteristiques ».")
    position = {k: i for i, k in enumerate(keys)}
    photo_at = {position[p.key]: p.pk for p in collection.photos.only("pk", "key") if p.key in position}
    index_of = {pk: i for i, pk in photo_at.items()}
    terms = list(Term.objects.filter(thesaurus__collection=collection))
    positives: dict[str, set[int]] = {}
    rejected: dict[str, set[int]] = {}
    for term_id, photo_id, status in PhotoTerm.objects.filter(term__in=terms).exclude(
            status=PhotoTerm.Status.PROPOSED).values_list("term_id", "photo_id", "status"):
        if photo_id in index_of:
            target = positives if status == PhotoTerm.Status.ACCEPTED else rejected
            target.setdefault(str(term_id), set()).add(index_of[photo_id])
    progress(0.2, None, "Entraînement (un classifieur par terme)")
    result = one_vs_rest(matrix, positives, rejected, ask=ASK_PER_TERM)
    check_trainable(result, [t.label for t in terms])
    progress(0.8, None, "Enregistrement des propositions")
    with transaction.atomic():
        version = (latest_run(collection).version + 1) if latest_run(collection) else 1
        name = f"{MODEL_FAMILY} v{version}"
        by_id = {str(t.pk): t for t in terms}
        run = TrainingRun.objects.create(
            collection=collection, version=version, model_name=name, created_by=user,
            to_label={t: [photo_at[i] for i in r.to_label if i in photo_at] for t, r in result.terms.items()},
            summary={"terms": {by_id[t].label: {"positives": r.positives, "negatives": r.negatives,
                                                "proposals": len(r.proposals)} for t, r in result.terms.items()},
                     "skipped": {by_id[t].label: why for t, why in result.skipped.items()}})
        proposed = 0
        for term_id, term_result in result.terms.items():
            term = by_id[term_id]
            PhotoTerm.objects.filter(term=term, status=PhotoTerm.Status.PROPOSED).delete()  # replaced
            decided = set(PhotoTerm.objects.filter(term=term).values_list("photo_id", flat=True))
            PhotoTerm.objects.bulk_create([
                PhotoTerm(photo_id=photo_at[i], term=term, status=PhotoTerm.Status.PROPOSED,
                          source=PhotoTerm.Source.MODEL, confidence=round(p, 4), run=run, model_name=name)
                for i, p in term_result.proposals.items() if i in photo_at and photo_at[i] not in decided])
            proposed += sum(1 for i in term_result.proposals if i in photo_at and photo_at[i] not in decided)
    progress(1.0, None, "Terminé")
    return {"summary": f"Modèle {name} : {len(result.terms)} terme(s) appris, {proposed} proposition(s) à "
                       f"valider, {len(result.skipped)} terme(s) sans assez d'images acceptées.",
            "version": version, "terms_trained": len(result.terms), "proposals": proposed,
            "skipped": len(result.skipped)}


# ------------------------------------------------------------------------------ exports
def parse_selection(collection: Collection, selection: str | None):
    """Photos of a selection: ``groupe:N`` (a duplicate group), ``terme:URI`` (accepted with a term),
    ``fichiers:LISTE.txt`` (one key a line, CLI) or nothing (the whole collection)."""
    photos = collection.photos.filter(error="")
    if not selection:
        return photos, collection.title or collection.name
    kind, _, value = selection.partition(":")
    value = value.strip()
    if kind == "groupe" and value.isdigit():
        group = DuplicateGroup.objects.filter(collection=collection, number=int(value)).first()
        if group is None:
            raise SourceError(f"Groupe de doublons {value} inconnu dans la collection « {collection.name} ».")
        members = group.members.filter(excluded=False).values("photo_id")
        return photos.filter(pk__in=members), f"{collection} — groupe {value}"
    if kind == "terme" and value:
        term = Term.objects.filter(thesaurus__collection=collection).filter(Q(uri=value) | Q(label=value)).first()
        if term is None:
            raise SourceError(f"Terme inconnu dans le thésaurus de « {collection.name} » : « {value} ».")
        accepted = PhotoTerm.objects.filter(term=term, status=PhotoTerm.Status.ACCEPTED).values("photo_id")
        return photos.filter(pk__in=accepted), f"{collection} — {term.label}"
    if kind == "fichiers" and value:
        path = Path(value)
        if not path.is_file():
            raise SourceError(f"Liste de fichiers introuvable : {path}")
        from amorce.core.files import open_text

        with open_text(path) as handle:
            wanted = [line.strip() for line in handle if line.strip()]
        found = set(photos.filter(key__in=wanted).values_list("key", flat=True))
        missing = [k for k in wanted if k not in found]
        if missing:
            raise SourceError(f"{path.name} : {len(missing)} image(s) absente(s) de la collection : "
                              + ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""))
        return photos.filter(key__in=wanted), f"{collection} — sélection"
    raise SourceError(f"Sélection non reconnue : « {selection} » (attendu groupe:NUMÉRO, terme:URI ou "
                      "fichiers:LISTE.txt).")


def _person(user) -> str:
    if user is None:
        return "compte supprimé"
    return user.get_full_name() or user.get_username()


def build_records(photos, image_url: Callable[[Photo], str]) -> list:
    """Export records of ``photos``, with their accepted terms and provenance (pure ``exports.Record``)."""
    from .exports import AcceptedTerm, Record

    photos = list(photos.order_by("key"))
    accepted: dict[int, list] = {}
    rows = PhotoTerm.objects.filter(photo__in=photos, status=PhotoTerm.Status.ACCEPTED).select_related(
        "term", "validated_by").order_by("term__label")
    for row in rows:
        accepted.setdefault(row.photo_id, []).append(AcceptedTerm(
            uri=row.term.uri, label=row.term.label, source=row.source, validated_by=_person(row.validated_by),
            validated_at=row.validated_at, proposed_at=row.created_at, model=row.model_name,
            confidence=row.confidence))
    # text read in the image (OCR) and the image-rights status a person confirmed: the model's
    # suggestion (``rights_suggestion``) is never exported
    analyses = {a.photo_id: a for a in PhotoAnalysis.objects.filter(photo__in=photos)}
    out = []
    for photo in photos:
        meta = {k: str(v) for k, v in (photo.metadata or {}).items() if v not in (None, "")}
        analysis = analyses.get(photo.pk)
        if analysis is not None and analysis.rights_status:
            meta["DIFF"] = analysis.rights_status  # first of the rights columns: it wins
        ocr = analysis.ocr_text if analysis is not None and analysis.ocr_text else meta.get("ocr", "")
        is_iiif = photo.key.startswith(("http://", "https://"))
        out.append(Record(key=photo.key, image_url=image_url(photo), width=photo.width, height=photo.height,
                          metadata=meta, terms=tuple(accepted.get(photo.pk, ())),
                          canvas=photo.key if is_iiif else "", ocr=str(ocr)))
    return out


def _addresses(collection: Collection, site_url: str) -> tuple[str, Callable[[Photo], str]]:
    """The base of export identifiers, and each photo's image address, under the platform's address."""
    from django.urls import reverse

    root = site_url.rstrip("/")

    def image_url(photo: Photo) -> str:
        if photo.key.startswith(("http://", "https://")):  # a IIIF canvas: its own image
            return photo.key
        return root + reverse("archives:thumbnail", args=[photo.pk])

    return root + reverse("archives:terms", args=[collection.name]).rstrip("/"), image_url


def export(collection: Collection, kind: str, *, site_url: str, selection: str | None = None) -> tuple[str | bytes, int]:
    """``(content, number of photos)`` of the export ``kind`` for the collection or a selection."""
    from .exports import FORMATS, render

    if kind not in FORMATS:
        raise SourceError(f"Format d'export inconnu : « {kind} » (attendu : {', '.join(FORMATS)}).")
    base, image_url = _addresses(collection, site_url)
    photos, label = parse_selection(collection, selection)
    records = build_records(photos, image_url)
    return render(kind, records, base=base, label=label), len(records)

def collection_named(name: str) -> Collection:
    from .errors import CollectionNotFound

    found = Collection.objects.filter(name=name).first()
    if found is None:
        raise CollectionNotFound(f"Collection « {name} » inconnue de la plateforme (indexez-la depuis l'interface "
                                 "ou la tâche archives.index).", collection=name)
    return found


def export_file(collection: Collection, kind: str, out: str | Path, *, selection: str | None = None,
                site_url: str = "http://localhost:8000") -> int:
    """Write an export to ``out`` (temporary name, then renamed): the command line's export."""
    from .exports import write_export

    base, image_url = _addresses(collection, site_url)
    photos, label = parse_selection(collection, selection)
    return write_export(out, kind, build_records(photos, image_url), base=base, label=label)


@transaction.atomic
def review_group(item: DuplicateGroup, members, action: str | None, removed: set[int], *, user, request=None) -> str:
    """A cataloguer confirms a duplicate group or splits off the ``removed`` members (a new master is
    chosen when the old one leaves: the largest image); audited. Returns the French message;
    :class:`SourceError` for an unknown action or a split without any image ticked."""
    from amorce.web.audit import record

    if action == "confirmer":
        item.status = DuplicateGroup.Status.CONFIRMED
        message = f"Groupe {item.number} confirmé."
    elif action == "scinder":
        if not removed:
            raise SourceError("Cochez les images qui ne sont pas des doublons avant de scinder le groupe.")
        kept = [m for m in members if m.pk not in removed]
        members.filter(pk__in=removed).update(excluded=True)
        if len(kept) < 2:
            item.status = DuplicateGroup.Status.SPLIT
        else:
            item.status = DuplicateGroup.Status.CONFIRMED
            if item.master_id not in {m.photo_id for m in kept}:
                item.master = min((m.photo for m in kept), key=lambda p: (-(p.width or 0) * (p.height or 0), p.key))
        message = f"Groupe {item.number} scindé : {len(removed)} image(s) retirée(s)."
    else:
        raise SourceError("Action inconnue.")
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.save()
    record("archives_groupe_" + action, request=request, user=user, obj=item, removed=sorted(removed))
    return message
