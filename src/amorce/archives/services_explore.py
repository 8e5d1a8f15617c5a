"""Exploration service of the archives use case (Django, no HTTP): rebuild the per-photo analysis rows
from the store, search and filter photos, confirm a ``DIFF`` status, and the OCR and rights jobs.

The pure work lives in ``ocr.py``, ``rights.py``, ``analyses.py`` and ``search.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from amorce.core.engine import chunks
from amorce.core.progress import ignore
from amorce.web.jobs import JobContext, job_handler
from amorce.web.roles import Role

from .models import Collection, DuplicateGroup, GroupMember, Photo
from .models_explore import PhotoAnalysis

REFRESHED_FIELDS = ("search_text", "creator", "year", "ocr_text", "ocr_confidence", "ocr_lines", "ocr_done",
                    "rights_flag", "rights_boxes", "rights_suggestion")


def _signature(collection: Collection) -> tuple:
    store = Path(collection.store)
    parts = tuple((p.parent.name, p.name, p.stat().st_mtime_ns)
                  for kind in ("images", "ocr", "rights") for p in sorted((store / kind).glob("part-*.parquet")))
    return (collection.indexed_at.isoformat() if collection.indexed_at else "", parts)


def _cache_key(collection: Collection) -> str:
    return f"archives-explore-{collection.pk}"


def refresh(collection: Collection, *, force: bool = False) -> bool:
    """Rebuild the collection's analysis rows from its store when the store changed (or ``force``);
    confirmed ``DIFF`` statuses are kept. True when rebuilt."""
    from .analyses import read_analysis
    from .search import search_text, year_of

    signature = _signature(collection)
    if not force and cache.get(_cache_key(collection)) == signature:
        return False
    store = Path(collection.store)
    ocr, rights = read_analysis(store, "ocr"), read_analysis(store, "rights")
    existing = {a.photo_id: a for a in PhotoAnalysis.objects.filter(photo__collection=collection)}
    created, updated = [], []
    for photo in collection.photos.all():
        item = existing.get(photo.pk) or PhotoAnalysis(photo=photo)
        read = (ocr.get(photo.key) or {}).get("result")
        found = (rights.get(photo.key) or {}).get("result")
        item.ocr_done = read is not None
        item.ocr_text = read["text"] if read else ""
        item.ocr_confidence = read["confidence"] if read else None
        item.ocr_lines = [{k: line[k] for k in ("text", "confidence", "box")} for line in read["lines"]] if read else []
        item.rights_flag = found["flag"] if found else ""
        item.rights_boxes = {"faces": found["faces"], "people": found["people"]} if found else {}
        item.rights_suggestion = found["suggestion"] if found else ""
        metadata = photo.metadata or {}
        item.search_text = search_text(metadata, item.ocr_text, photo.key)
        item.creator = str(metadata.get("creator", ""))[:300]
        item.year = year_of(metadata.get("date"))
        (updated if item.pk else created).append(item)
    with transaction.atomic():
        PhotoAnalysis.objects.bulk_create(created, batch_size=500)
        PhotoAnalysis.objects.bulk_update(updated, REFRESHED_FIELDS, batch_size=500)
    cache.set(_cache_key(collection), signature, None)
    return True


# ------------------------------------------------------------------------------ search and filters
@dataclass
class Filters:
    q: str = ""
    creator: str = ""
    year_from: int | None = None
    year_to: int | None = None
    ocr: str = ""  # "oui" / "non" / ""
    flag: str = ""  # a PhotoAnalysis.Flag value, "a-revoir" (flagged, not confirmed) or ""
    group: str = ""  # "oui" / "non" / ""
    errors: list[str] = field(default_factory=list)

    def active(self) -> bool:
        return any((self.q, self.creator, self.year_from, self.year_to, self.ocr, self.flag, self.group))


def _year(value: str, label: str, errors: list[str]) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit() and 1000 <= int(value) <= 2100:
        return int(value)
    errors.append(f"{label} : « {value[:20]} » n'est pas une année (attendu quatre chiffres, par exemple 1905).")
    return None


def parse_filters(params) -> Filters:
    """Filters from a query string; each bad value is reported in French and ignored."""
    errors: list[str] = []
    flags = {*PhotoAnalysis.Flag.values, "a-revoir"}
    found = Filters(
        q=(params.get("q") or "").strip()[:200], creator=(params.get("auteur") or "").strip()[:300],
        year_from=_year(params.get("de"), "Année de début", errors),
        year_to=_year(params.get("a"), "Année de fin", errors),
        ocr=params.get("texte") if params.get("texte") in ("oui", "non") else "",
        flag=params.get("droits") if params.get("droits") in flags else "",
        group=params.get("doublons") if params.get("doublons") in ("oui", "non") else "")
    if found.year_from and found.year_to and found.year_from > found.year_to:
        errors.append("L'année de début est après l'année de fin.")
    found.errors = errors
    return found


def filter_photos(collection: Collection, filters: Filters):
    """Readable photos of the collection matching every filter, with their analysis, by file name."""
    from .search import query_terms

    photos = collection.photos.filter(error="").select_related("analysis")
    for term in query_terms(filters.q):
        photos = photos.filter(analysis__search_text__contains=term)
    if filters.creator:
        photos = photos.filter(analysis__creator=filters.creator)
    if filters.year_from:
        photos = photos.filter(analysis__year__gte=filters.year_from)
    if filters.year_to:
        photos = photos.filter(analysis__year__lte=filters.year_to)
    if filters.ocr == "oui":
        photos = photos.exclude(analysis__ocr_text="")
    elif filters.ocr == "non":
        photos = photos.filter(analysis__ocr_text="")
    if filters.flag == "a-revoir":
        photos = photos.filter(analysis__rights_flag__in=[PhotoAnalysis.Flag.FACE, PhotoAnalysis.Flag.PERSON],
                               analysis__rights_status="")
    elif filters.flag:
        photos = photos.filter(analysis__rights_flag=filters.flag)
    if filters.group:
        grouped = GroupMember.objects.filter(photo=OuterRef("pk"), excluded=False).exclude(
            group__status=DuplicateGroup.Status.SPLIT)
        photos = photos.filter(Exists(grouped)) if filters.group == "oui" else photos.exclude(Exists(grouped))
    return photos.order_by("key")


def creators(collection: Collection) -> list[str]:
    return list(PhotoAnalysis.objects.filter(photo__collection=collection).exclude(creator="")
                .order_by("creator").values_list("creator", flat=True).distinct()[:500])


def similar_photos(photo: Photo, k: int = 12) -> list[tuple[Photo, float]]:
    """The photos most like ``photo`` by image features, best first (``[]`` without features)."""
    from .search import similar

    found = similar(photo.collection.store, photo.key, k)
    by_key = {p.key: p for p in photo.collection.photos.filter(key__in=[key for key, _s in found])}
    return [(by_key[key], score) for key, score in found if key in by_key]


@transaction.atomic
def confirm_rights(analysis: PhotoAnalysis, status: str, user, *, request=None) -> None:
    """A documentalist confirms the photo's ``DIFF`` status (the detector only suggests it); audited."""
    from amorce.web.audit import record

    previous = analysis.rights_status
    analysis.rights_status = status
    analysis.rights_reviewed_by = user
    analysis.rights_reviewed_at = timezone.now()
    analysis.save(update_fields=["rights_status", "rights_reviewed_by", "rights_reviewed_at"])
    record("archives_droits_diff", request=request, user=user, obj=analysis.photo, diff=status, previous=previous,
           suggestion=analysis.rights_suggestion, flag=analysis.rights_flag)


# ------------------------------------------------------------------------------ jobs
def _summary(summary, collection: Collection) -> dict:
    out = summary.as_dict()
    return {"collection": collection.name, "total": out["total"], "analysed": out["analysed"],
            "skipped": out["skipped"], "errors": len(out["errors"])}


def _analysis_job(ctx: JobContext, collection_id: int, run, failed: str) -> dict:
    """Run ``run(store, progress=…)`` on a collection, log the images in error, refresh its rows."""
    collection = Collection.objects.get(pk=collection_id)
    summary = run(collection.store, progress=ctx.part(0.0, 0.95).progress)
    for key, error in summary.errors[:50]:
        ctx.log(f"{failed} : {key} — {error}")
    refresh(collection, force=True)
    return _summary(summary, collection)


@job_handler("archives.ocr", "Lecture du texte des images (OCR)", roles=[Role.RESPONSABLE_COLLECTIONS],
             result_labels={"analysed": "Images lues", "skipped": "Déjà lues", "errors": "Erreurs"})
def ocr_job(ctx: JobContext, collection_id: int) -> dict:
    from .ocr import ocr_collection

    return _analysis_job(ctx, collection_id, ocr_collection, "Image non lue")


@job_handler("archives.droits", "Visages et personnes à vérifier (droit à l'image)",
             roles=[Role.RESPONSABLE_COLLECTIONS],
             result_labels={"analysed": "Images analysées", "skipped": "Déjà analysées", "errors": "Erreurs"})
def rights_job(ctx: JobContext, collection_id: int) -> dict:
    from .rights import rights_collection

    return _analysis_job(ctx, collection_id, rights_collection, "Image non analysée")


# ------------------------------------------------------------------------------ clusters and the 2-D map
@job_handler("archives.regroupements", "Regroupements et carte d'une collection",
             roles=[Role.DOCUMENTALISTE, Role.RESPONSABLE_COLLECTIONS],
             result_labels={"k": "Regroupements", "images": "Images", "rule": "Choix du nombre", "seed": "Graine"})
def clusters_job(ctx: JobContext, collection_id: int, k: int | None = None, seed: int = 0) -> dict:
    return compute_clusters(Collection.objects.get(pk=collection_id), k=k, seed=seed, progress=ctx.progress)


def compute_clusters(collection: Collection, *, k: int | None = None, seed: int = 0, progress=None) -> dict:
    """k-means and the 2-D map of the collection's features, stored next to its index (``explore.py``)."""
    from django.urls import reverse

    from . import explore
    from .index import read_features

    progress = progress or ignore
    progress(0.02, None, "Lecture des caractéristiques d'image")
    keys, matrix = read_features(collection.store)
    readable = set(collection.photos.filter(error="").values_list("key", flat=True))
    rows = [i for i, key in enumerate(keys) if key in readable]
    result = explore.compute([keys[i] for i in rows], matrix[rows] if matrix is not None and rows else None,
                             k=k, seed=seed, progress=progress)
    explore.save(collection.store, result)
    progress(1.0, None, "Terminé")
    return {"k": result.k, "images": len(result.keys), "rule": result.rule, "seed": result.seed,
            "summary": f"{result.k} regroupement(s) de {len(result.keys)} image(s).",
            "url": reverse("archives:clusters", args=[collection.name])}


def clustering(collection: Collection):
    from . import explore

    return explore.load(collection.store)


CHUNK = 500  # values per ``IN (…)``: a cluster of a million-image collection stays under SQLite's limit


@dataclass
class ClusterView:
    number: int
    size: int
    representatives: list


def cluster_overview(collection: Collection, result) -> list[ClusterView]:
    """Every cluster with its size and the photos closest to its centroid (one query)."""
    reps = {c: result.representatives(c) for c in range(result.k)}
    photos = {p.key: p for p in collection.photos.filter(key__in=[k for keys in reps.values() for k in keys])}
    sizes = result.sizes()
    return [ClusterView(c + 1, sizes[c], [photos[k] for k in reps[c] if k in photos]) for c in range(result.k)]


def map_points(collection: Collection, result) -> list[dict]:
    """The points drawn on the map (a seeded sample beyond ``explore.MAP_POINTS``), with their photo."""
    rows = result.sample()
    photos = {p.key: p for p in collection.photos.filter(key__in=[result.keys[i] for i in rows])}
    return [{"photo": photos[result.keys[i]], "x": float(result.xy[i, 0]), "y": float(result.xy[i, 1]),
             "cluster": int(result.labels[i]) + 1} for i in rows if result.keys[i] in photos]


def cluster_of(photo: Photo) -> int | None:
    """The number (1-based) of the photo's cluster in the stored clustering, or ``None``."""
    result = clustering(photo.collection)
    if result is None:
        return None
    position = result.position().get(photo.key)
    return None if position is None else int(result.labels[position]) + 1


def cluster_photo_ids(collection: Collection, result, number: int) -> list[int]:
    """Ids of the photos of cluster ``number`` (1-based), closest to the centroid first."""
    if not 1 <= number <= result.k:
        return []
    keys = result.members(number - 1)
    ids = {}
    for chunk in chunks(keys, CHUNK):
        ids.update(collection.photos.filter(key__in=chunk).values_list("key", "pk"))
    return [ids[k] for k in keys if k in ids]


def proposal_counts(member_ids: list[int]) -> dict[int, int]:
    """Number of proposals (not yet decided) of each term on the photos ``member_ids``."""
    from .models_labels import PhotoTerm

    counts: dict[int, int] = {}
    for chunk in chunks(member_ids, CHUNK):
        for row in PhotoTerm.objects.filter(photo_id__in=chunk, status=PhotoTerm.Status.PROPOSED).values(
                "term_id").annotate(n=Count("pk")):
            counts[row["term_id"]] = counts.get(row["term_id"], 0) + row["n"]
    return counts


def review_cluster(collection: Collection, number: int, term, action: str, user, *, photo_ids=(), request=None) -> int:
    """A cataloguer decides for a whole cluster at once, in one transaction, audited:
    ``accepter`` / ``rejeter`` the model's proposals of ``term`` on the cluster's photos, or
    ``etiqueter`` (give ``term``) to the ticked ``photo_ids`` of the cluster. Returns the count."""
    from amorce.web.audit import record

    from . import services
    from .errors import SourceError
    from .models_labels import PhotoTerm

    result = clustering(collection)
    members = cluster_photo_ids(collection, result, number) if result is not None else []
    if not members:
        raise SourceError(f"Regroupement {number} inconnu : recalculez les regroupements de la collection.")
    with transaction.atomic():
        if action in ("accepter", "rejeter"):
            count = 0
            for chunk in chunks(members, CHUNK):
                ids = list(PhotoTerm.objects.filter(term=term, photo_id__in=chunk, status=PhotoTerm.Status.PROPOSED)
                           .values_list("pk", flat=True))
                count += services.review(term, ids, action == "accepter", user)
        elif action == "etiqueter":
            chosen = set(members) & {int(i) for i in photo_ids}
            if not chosen:
                raise SourceError("Cochez au moins une image du regroupement.")
            count = services.label_photos(term, chosen, user)
        else:
            raise SourceError("Action inconnue.")
        if count:
            record(f"archives_regroupement_{action}", request=request, user=user, obj=term, cluster=number,
                   photos=count, k=result.k, seed=result.seed)
    return count


# ------------------------------------------------------------------------------ text-to-image search
def backbone_status():
    """``(backbone, None)`` when a text-image model is configured, else ``(None, French reason)``."""
    from . import config
    from .errors import ArchivesError

    try:
        backbone = config.get().backbone
    except ArchivesError as exc:
        return None, exc.message
    if backbone is None:
        return None, ("La recherche par description de l'image demande un modèle texte-image (open-clip exporté "
                      "en ONNX) configuré par l'exploitant : aucun n'est livré avec la plateforme.")
    return backbone, None


def describe(collection: Collection, description: str, photos, k: int = 240, *,
             filtered: bool = False) -> list[tuple[Photo, float]]:
    """The photos of the queryset ``photos`` ranked by similarity to ``description``, best first, at most
    ``k`` (``filtered``: ``photos`` is narrowed by other filters, so every image is ranked before
    keeping those). Needs a configured backbone and the collection indexed with it."""
    from .errors import SourceError
    from .textimage import has_embeddings, rank

    backbone, reason = backbone_status()
    if backbone is None:
        raise SourceError(reason)
    if not has_embeddings(collection.store):
        raise SourceError(f"La collection « {collection.name} » n'a pas été indexée avec le modèle texte-image "
                          f"« {backbone.label} » : relancez son indexation.")
    if filtered:
        allowed = set(photos.values_list("key", flat=True))
        found = [(key, s) for key, s in rank(collection.store, description, backbone, k=10**9) if key in allowed][:k]
    else:
        found = rank(collection.store, description, backbone, k=k)
    by_key = {p.key: p for p in photos.filter(key__in=[key for key, _s in found])}
    return [(by_key[key], score) for key, score in found if key in by_key]
