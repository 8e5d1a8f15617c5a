"""Temporary upload copies live under the data directory; orphans are removed when the server or the
worker starts, files still being written are kept."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from amorce.core.files import remove_stale_files
from amorce.web.uploads import STALE_AFTER_S, prepare_upload_folder


def test_large_uploads_are_written_under_the_data_directory() -> None:
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert folder.is_dir() and folder.is_relative_to(Path(settings.AMORCE_DATA_DIR))
    handler = TemporaryFileUploadHandler()
    handler.new_file("file", "gros.csv", "text/csv", 10)
    try:
        assert Path(handler.file.temporary_file_path()).parent == folder
    finally:
        handler.file.close()


def test_orphaned_copies_are_removed_recent_ones_kept(tmp_path: Path, settings) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    folder = tmp_path / "uploads"
    assert prepare_upload_folder() == 0 and folder.is_dir()
    old, fresh, other = folder / "tmpa.upload.csv", folder / "tmpb.upload", folder / "notes.txt"
    for path in (old, fresh, other):
        path.write_text("x")
    past = time.time() - STALE_AFTER_S - 60
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    assert prepare_upload_folder() == 1
    assert not old.exists() and fresh.exists() and other.exists()  # only upload copies, only stale ones
    assert remove_stale_files(tmp_path / "absent", 0) == 0
