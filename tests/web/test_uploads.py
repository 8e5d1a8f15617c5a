"""Temporary upload copies live under the data directory; orphans (no living process holds them) are
removed when the server or the worker starts, copies still being received or read are kept."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings

from amorce.core.files import hold_lock, remove_stale_files
from amorce.web.uploads import LOCK_GRACE_S, LockedTemporaryFileUploadHandler, prepare_upload_folder


def test_large_uploads_are_written_under_the_data_directory() -> None:
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert folder.is_dir() and folder.is_relative_to(Path(settings.AMORCE_DATA_DIR))
    handler = LockedTemporaryFileUploadHandler()
    handler.new_file("file", "gros.csv", "text/csv", 10)
    try:
        assert Path(handler.file.temporary_file_path()).parent == folder
    finally:
        handler.file.close()


def test_orphaned_copies_are_removed_held_and_fresh_ones_kept(tmp_path: Path, settings) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    folder = tmp_path / "uploads"
    assert prepare_upload_folder() == 0 and folder.is_dir()
    orphan, held, fresh, other = (folder / n for n in ("tmpa.upload.csv", "tmpb.upload", "tmpc.upload", "notes.txt"))
    for path in (orphan, held, fresh, other):
        path.write_text("x")
    past = time.time() - LOCK_GRACE_S - 60  # a minute old: not an hour, the lock decides
    for path in (orphan, held, other):
        os.utime(path, (past, past))
    with held.open("rb") as handle:
        assert hold_lock(handle)  # as a request receiving it in another process would
        assert prepare_upload_folder() == 1
    assert not orphan.exists() and held.exists() and fresh.exists() and other.exists()
    assert remove_stale_files(tmp_path / "absent", 0) == 0


def test_the_handler_locks_its_copy_until_it_is_closed(settings, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = LockedTemporaryFileUploadHandler()
    handler.new_file("file", "gros.csv", "text/csv", 10)
    path = Path(handler.file.temporary_file_path())
    past = time.time() - LOCK_GRACE_S - 60
    os.utime(path, (past, past))
    assert prepare_upload_folder() == 0 and path.exists()  # held by this (living) process
    handler.file.close()  # the end of the request: Django deletes it
    assert not path.exists()


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


class _Unnamed:  # an upload without a usable name, as a client may send
    name = ".."

    def chunks(self):
        yield b"d\n"


def test_checked_copies_live_in_the_upload_folder_and_errors_name_the_users_files(settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amorce.core.errors import DataValidationError, Problem
    from amorce.web.uploads import checked_copies

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    uploads = [SimpleUploadedFile("relevés 2024.csv", b"a;b\n"), SimpleUploadedFile("relevés 2024.csv", b"c\n"),
               _Unnamed()]
    with pytest.raises(DataValidationError) as info:
        with checked_copies(uploads, default_name="fichier.csv") as paths:
            assert [p.name for p in paths] == ["relevés 2024.csv", "2-relevés 2024.csv", "fichier.csv"]
            assert all(p.parent.parent == tmp_path / "uploads" for p in paths)
            assert paths[1].read_bytes() == b"c\n"
            raise DataValidationError([Problem("valeur inattendue", file=str(paths[0]), line=2)])
    assert str(tmp_path) not in info.value.message and "fichier relevés 2024.csv, ligne 2" in info.value.message
    assert info.value.problems[0].file == "relevés 2024.csv"
    assert info.value.details["problems"][0]["file"] == "relevés 2024.csv"
    assert list((tmp_path / "uploads").iterdir()) == []  # removed, even on error


def test_copies_left_by_a_killed_request_are_removed_when_stale(settings, tmp_path) -> None:
    from amorce.web.uploads import COPIES_PREFIX, STALE_AFTER_S

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    old, recent = tmp_path / (COPIES_PREFIX + "old"), tmp_path / (COPIES_PREFIX + "recent")
    for folder in (old, recent):
        folder.mkdir()
        (folder / "x.csv").write_text("x")
    stamp = time.time() - STALE_AFTER_S - 10
    os.utime(old, (stamp, stamp))
    assert prepare_upload_folder() == 1
    assert not old.exists() and recent.exists()
