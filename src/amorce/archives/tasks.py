"""Background jobs of the archives use case: index a collection, group its duplicates, load the demo.

Thin: the pure modules (``index``, ``duplicates``, ``evaluate``) do the work; these jobs report
progress and write the light rows the web pages need.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from amorce.core.config import shared_data_dir
from amorce.web.jobs import JobContext, job_handler
from amorce.web.roles import Role

from .models import Collection, DuplicateGroup, GroupMember, Photo

DEMO_COLLECTION = "demo-patrimoine"
DEMO_ORIGINALS = 40




@transaction.atomic
def persist_rows(collection: Collection, rows: list[dict]) -> None:
    """Replace the collection's photo rows by the index (one transaction)."""
    from .hashing import to_hex

    known = {p.key: p for p in collection.photos.all()}
    seen = set()
    for row in rows:
        fields = dict(width=row["width"], height=row["height"], metadata=row["metadata"] or {},
                      phash=to_hex(row["phash"]) if row["phash"] is not None else "", error=row["error"] or "")
        seen.add(row["key"])
        photo = known.get(row["key"])
        if photo is None:
            Photo.objects.create(collection=collection, key=row["key"], **fields)
        else:
            for name, value in fields.items():
                setattr(photo, name, value)
            photo.save()
    collection.photos.exclude(key__in=seen).delete()
    collection.n_images = len(rows)
    collection.n_errors = sum(1 for r in rows if r["error"])
    collection.indexed_at = timezone.now()
    collection.save()


@transaction.atomic
def persist_groups(collection: Collection, rows: list[dict], groups) -> int:
    """Replace the proposed groups; groups a cataloguer confirmed or split are kept as they are."""
    photos = {p.key: p for p in collection.photos.all()}
    reviewed = collection.groups.exclude(status=DuplicateGroup.Status.PROPOSED)
    reviewed_sets = [frozenset(m.photo.key for m in g.members.all()) for g in reviewed]
    collection.groups.filter(status=DuplicateGroup.Status.PROPOSED).delete()
    number = max([g.number for g in reviewed] or [0])
    created = 0
    for group in groups:
        keys = [rows[i]["key"] for i in group.members]
        if frozenset(keys) in reviewed_sets:
            continue
        number += 1
        saved = DuplicateGroup.objects.create(collection=collection, number=number,
                                              master=photos[rows[group.master]["key"]])
        GroupMember.objects.bulk_create([GroupMember(group=saved, photo=photos[k]) for k in keys])
        created += 1
    return created


def index_collection(ctx, collection: Collection, *, metadata_csv: str | None = None, features: bool = False,
                     engine: str | None = None) -> dict:
    from . import config
    from .duplicates import find_duplicates
    from .index import build_index, list_items, read_features, read_rows

    backbone = config.get().backbone  # text-image embeddings too when a backbone is configured
    ctx.log(f"Lecture de la source {collection.source}…")
    items = list_items(collection.source, metadata_csv=metadata_csv)
    summary = build_index(items, collection.store, features=features, engine=engine,
                          progress=ctx.part(0.0, 0.8).progress, backbone=backbone)
    for key, error in summary.errors[:50]:
        ctx.log(f"Image ignorée : {key} — {error}")
    rows = read_rows(collection.store)
    persist_rows(collection, rows)
    ctx.progress(0.85, None, "Recherche des doublons")
    keys, matrix = read_features(collection.store)
    usable, groups, _pairs = find_duplicates(rows, matrix, keys, store=collection.store)
    created = persist_groups(collection, usable, groups)
    ctx.progress(1.0, None, "Terminé")
    return {**summary.as_dict(), "errors": len(summary.errors), "groups": created}


@job_handler("archives.index", "Indexation d'un fonds photographique", roles=[Role.RESPONSABLE_COLLECTIONS])
def index_job(ctx: JobContext, collection_id: int, metadata_csv: str | None = None, features: bool = False) -> dict:
    collection = Collection.objects.get(pk=collection_id)
    return index_collection(ctx, collection, metadata_csv=metadata_csv, features=features)


def load_demo(ctx) -> dict:
    """A demo collection generated from the shared heritage photos: originals and their variants."""
    from .evaluate import generate
    from .index import IMAGE_EXTENSIONS, store_for

    source = shared_data_dir() / "heritage_architecture_elements" / "images"
    if not source.is_dir():
        ctx.log(f"Données partagées absentes ({source}) : pas de collection de démonstration.")
        return {"skipped": "shared data absent"}
    originals = sorted(p for p in source.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS)
    random.Random(0).shuffle(originals)
    from django.conf import settings

    store = store_for(DEMO_COLLECTION, settings.AMORCE_DATA_DIR)
    images = store.parent / f"{DEMO_COLLECTION}-images"
    # every second original gets its variants, the others stay alone (not every photo has a double)
    generate(originals[:DEMO_ORIGINALS // 2], images, seed=0)
    generate(originals[DEMO_ORIGINALS // 2:DEMO_ORIGINALS], images / "seules", seed=1, transforms=())
    collection, _ = Collection.objects.update_or_create(name=DEMO_COLLECTION, defaults=dict(
        title="Démonstration : éléments d'architecture patrimoniale", source=str(images), store=str(store)))
    return index_collection(ctx, collection, engine="serial")
