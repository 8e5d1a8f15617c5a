"""Temporary copies of uploads: Django writes uploads larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to
``FILE_UPLOAD_TEMP_DIR`` (under the data directory) and deletes them at the end of the request. A
process killed mid-request leaves its copy there: the server and the worker remove, when they
start, the copies that nobody has written for an hour."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from amorce.core.files import remove_stale_files

STALE_AFTER_S = 3600  # an upload being received or read is written or opened well within that


def prepare_upload_folder() -> int:
    """Create the upload folder if needed and remove the orphaned copies; returns how many."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return remove_stale_files(folder, STALE_AFTER_S, "*.upload*")
