"""Uploads: the size limit enforced while the body streams in, and the temporary copies.

* :class:`RequestSizeLimitHandler`, first of ``FILE_UPLOAD_HANDLERS``, refuses a multipart body
  larger than the platform's limit before reading it (its Content-Length), or as soon as the bytes
  received pass the limit (no Content-Length, or a false one): nothing is written to disk, and the
  user gets the French 413 page (« 20 Mo »). The forms check the same limit file by file, with a
  message naming each file; this handler is the hard stop for bodies far above it.
* Django writes uploads larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to ``FILE_UPLOAD_TEMP_DIR``
  (under the data directory) and deletes them at the end of the request. Each copy is locked
  (``flock``) by the process writing it, and the system drops that lock when the process dies, even
  killed (SIGKILL). So the server and the worker, when they start, remove at once the copies no
  living process holds, and keep those another process is still receiving (the worker and the
  server share the folder).
* :func:`checked_copies` gives the checkers that read paths a private copy of each uploaded file, in
  that same folder (the data directory, not the system's temporary folder), named after the user's
  file, and makes the errors they raise name the user's files rather than the copies.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

from amorce.core.errors import AmorceError, DataValidationError
from amorce.core.files import hold_lock, remove_orphans, save_upload
from amorce.core.formats import megabytes

STALE_AFTER_S = 3600  # where file locks are not available: an upload is written or read well within that
LOCK_GRACE_S = 2.0  # a copy this young may not be locked yet by the process that created it
# Room for the form's other fields and the multipart headers around the files, above the files'
# own limit (AMORCE_UPLOAD_MAX_MB).
MULTIPART_MARGIN = 256 * 1024
COPIES_PREFIX = "copies-"  # folders of checked_copies, in the upload folder


def body_limit() -> int:
    """The largest multipart body the platform reads, in bytes."""
    return settings.AMORCE_UPLOAD_MAX_BYTES + MULTIPART_MARGIN


class RequestSizeLimitHandler(FileUploadHandler):
    """Refuses a multipart body above :func:`body_limit` before reading it, or while it streams in."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit, self.received = body_limit(), 0
        if content_length and content_length > self.limit:
            raise RequestDataTooBig(f"Envoi de {megabytes(content_length)} refusé avant lecture : la limite est de "
                                    f"{megabytes(settings.AMORCE_UPLOAD_MAX_BYTES)}.")
        return None  # within the limit: the other handlers go on

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig(f"Envoi arrêté après {megabytes(self.received)} : la limite est de "
                                    f"{megabytes(settings.AMORCE_UPLOAD_MAX_BYTES)}.")
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers make the file


class LockedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's stream-to-disk handler, with the copy locked by this process while it lives."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        hold_lock(self.file.file)


def prepare_upload_folder() -> int:
    """Create the upload folder if needed and remove the orphaned copies; returns how many."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    removed = remove_orphans(folder, "*.upload*", grace_s=LOCK_GRACE_S, stale_after_s=STALE_AFTER_S)
    old = time.time() - STALE_AFTER_S  # copies a killed request left behind (checked_copies)
    for path in folder.glob(COPIES_PREFIX + "*"):
        if path.is_dir() and path.stat().st_mtime < old:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


@contextmanager
def checked_copies(uploads, *, default_name: str = "fichier") -> Iterator[list[Path]]:
    """Copies of uploaded files for the checkers that read paths, removed on exit whatever happens.

    Each copy bears the base name of the user's file (``default_name`` where it has none; a rank is
    added to repeated names), in a private folder under the upload folder. An
    :class:`~amorce.core.errors.AmorceError` raised inside the block is re-raised naming the user's
    files: the private folder is taken out of its message and of its problems' file names.
    """
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=COPIES_PREFIX) as tmp:
        paths: list[Path] = []
        for rank, upload in enumerate(uploads, start=1):
            name = Path(upload.name or "").name
            name = name if name.strip(".") else default_name
            if any(p.name == name for p in paths):
                name = f"{rank}-{name}"
            paths.append(save_upload(upload, Path(tmp) / name))
        try:
            yield paths
        except AmorceError as exc:
            _name_user_files(exc, tmp + os.sep)
            raise


def _name_user_files(exc: AmorceError, prefix: str) -> None:
    exc.message = exc.message.replace(prefix, "")
    exc.args = (exc.message,)
    exc.details = {k: v.replace(prefix, "") if isinstance(v, str) else v for k, v in exc.details.items()}
    if isinstance(exc, DataValidationError):
        exc.problems = [replace(p, file=p.file.replace(prefix, "")) if p.file else p for p in exc.problems]
        exc.details["problems"] = [asdict(p) for p in exc.problems]
