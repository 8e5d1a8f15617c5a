from __future__ import annotations

import pytest

from amorce.core.errors import AmorceError, DataValidationError, InputError
from amorce.core.files import atomic_write, read_csv_rows, read_jsonl


def test_atomic_write_keeps_old_content_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("ancien")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("nouveau partiel")
        raise RuntimeError("crash")
    assert target.read_text() == "ancien"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_write(target) as handle:
        handle.write("nouveau")
    assert target.read_text() == "nouveau"


def test_read_jsonl_reports_every_bad_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{pas du json}\n[1, 2]\n{"id": 4}\n', encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_jsonl(path, required=("id", "text"))
    message = info.value.message
    assert "3 problèmes" in message
    assert "ligne 2" in message and "ligne 3" in message and "ligne 4" in message and "« text »" in message
    assert str(path) in message


def test_read_csv_rows_sniffs_semicolons_and_checks_columns(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id;score;budget\na;1,5;10\n", encoding="utf-8")
    rows = read_csv_rows(path, required=("id", "score"))
    assert rows == [{"id": "a", "score": "1,5", "budget": "10", "__line__": 2}]
    with pytest.raises(DataValidationError, match="colonne obligatoire absente : group"):
        read_csv_rows(path, required=("id", "group"))


def test_missing_file_is_a_french_error(tmp_path):
    with pytest.raises(AmorceError, match="Fichier introuvable"):
        read_jsonl(tmp_path / "absent.jsonl")


def test_atomic_write_gives_normal_permissions(tmp_path):
    import os

    target = tmp_path / "public.json"
    with atomic_write(target) as handle:
        handle.write("{}")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    with atomic_write(target) as handle:
        handle.write("[]")
    assert target.stat().st_mode & 0o777 == 0o640


def test_json_errors_are_explained_in_french(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{id: 1}\n', encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_jsonl(path)
    assert "nom de champ attendu entre guillemets doubles" in info.value.message
    assert "Expecting" not in info.value.message


def test_a_huge_csv_field_is_refused_even_when_a_library_raised_the_csv_limit(tmp_path):
    """The csv module's field limit is process-wide; frictionless raises it on import. The readers keep
    their own, so a 1 MB line gets the same French error whatever was imported before."""
    import csv as csv_module

    from amorce.core.files import MAX_CSV_FIELD

    path = tmp_path / "enorme.csv"
    path.write_text("file,label\na.jpg,autel\n" + "x" * (MAX_CSV_FIELD + 1) + "\n", encoding="utf-8")
    previous = csv_module.field_size_limit(1 << 30)
    try:
        with pytest.raises(InputError, match="enorme.csv, ligne 3 : CSV mal formé"):
            read_csv_rows(path)
    finally:
        csv_module.field_size_limit(previous)


def test_read_csv_rows_malformed_file_is_a_french_error_with_its_line(tmp_path):
    from amorce.core.files import MAX_CSV_FIELD

    path = tmp_path / "casse.csv"
    field = "x" * (MAX_CSV_FIELD + 10)  # an unclosed quote swallows the rest of the file
    path.write_text(f'file,label\na.jpg,autel\nb.jpg,"{field}\n', encoding="utf-8")
    with pytest.raises(InputError, match="casse.csv, ligne 3 : CSV mal formé") as caught:
        read_csv_rows(path)
    assert caught.value.exit_code == 2
