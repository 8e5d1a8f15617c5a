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


def test_an_oversized_body_is_refused_before_it_is_read(client, settings) -> None:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    settings.AMORCE_UPLOAD_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
    body = encode_multipart(BOUNDARY, {"question": "bonjour"})
    # announced as 314 MB: refused on the Content-Length alone (the test payload raises if read beyond
    # the few bytes it holds), with the French 413 page in the units users read
    response = client.generic("POST", "/assistant/", body, content_type=MULTIPART_CONTENT,
                              CONTENT_LENGTH=str(314 * 1024 * 1024))
    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "20\u00a0Mo" in page


def test_a_real_file_above_the_limit_leaves_nothing_on_disk(client, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.AMORCE_UPLOAD_MAX_BYTES = 100 * 1024  # 100 ko: the hard stop is 100 ko + the multipart margin
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # larger files would go to disk
    big = SimpleUploadedFile("gros.csv", b"x" * (600 * 1024), content_type="text/csv")
    response = client.post("/assistant/", {"fichier": big})
    assert response.status_code == 413
    assert list(tmp_path.iterdir()) == []  # nothing left on disk
