"""Start the indexing of a collection from the web: the chosen source checked, the uploaded manifest
and metadata kept next to the collection's index, the ``archives.index`` job queued, the audit event.

Everything is checked before anything is written: a manifest that is not IIIF or a metadata CSV with
a bad line is refused in French and leaves no file, no collection row and no job.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from amorce.core.files import save_upload
from amorce.web import jobs
from amorce.web.audit import record
from amorce.web.models import Job

from .errors import SourceError
from .index import list_items, store_for
from .metadata import read_metadata_csv
from .models import Collection

MANIFEST_FILE = "manifeste.json"
METADATA_FILE = "metadonnees.csv"


def _checked_copy(upload, suffix: str, check) -> Path:
    """The upload written to a temporary file under the data directory and checked by ``check``."""
    folder = Path(settings.AMORCE_DATA_DIR) / "archives" / "envois"
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, suffix=suffix)
    os.close(descriptor)
    path = Path(name)
    try:
        save_upload(upload, path)
        check(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _active_index_job(collection: Collection) -> Job | None:
    return (Job.objects.filter(kind="archives.index", status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
                               params__collection_id=collection.pk).first())


def start_indexing(*, name: str, title: str = "", source: str | None = None, manifest=None, metadata=None,
                   features: bool = True, user, request=None) -> Job:
    """Queue the indexing of collection ``name`` from a server ``source`` (already checked against the
    configured roots) or an uploaded IIIF ``manifest``, with an optional ``metadata`` CSV upload."""
    store = store_for(name, settings.AMORCE_DATA_DIR)
    existing = Collection.objects.filter(name=name).first()
    if existing is not None and _active_index_job(existing):
        raise SourceError(f"La collection « {name} » est déjà en cours d'indexation : attendez la fin de la tâche.",
                          collection=name)
    staged = []
    try:
        if manifest is not None:
            staged.append((_checked_copy(manifest, ".json", list_items), store / MANIFEST_FILE))
        if metadata is not None:
            staged.append((_checked_copy(metadata, ".csv", read_metadata_csv), store / METADATA_FILE))
        if source is not None and not Path(source).is_dir():
            # a manifest that cannot be read is refused now, not in the job; a folder is listed by the job
            # only (walking a million files in the request would be the job's work done twice)
            list_items(source)
        with transaction.atomic():
            for temporary, target in staged:
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary.replace(target)
            collection, created = Collection.objects.get_or_create(
                name=name, defaults={"store": str(store), "source": "", "created_by": user})
            collection.title = title or collection.title
            collection.source = str(store / MANIFEST_FILE) if manifest is not None else str(source)
            collection.store = str(store)
            collection.save()
            params = {"collection_id": collection.pk, "features": bool(features),
                      "metadata_csv": str(store / METADATA_FILE) if metadata is not None else None}
            job = jobs.enqueue("archives.index", params, user=user,
                               label=f"Fonds photographiques : indexer « {collection} »")
            record("archives_indexation_lancee", request=request, user=user, obj=collection,
                   source=collection.source, created=created, features=bool(features),
                   metadata=metadata is not None)
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)
    return job
