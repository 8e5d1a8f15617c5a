"""Index a folder: hashes, thumbnails, metadata, a corrupt file reported and skipped, resumable runs;
the CLI (index, doublons) with its CSV and its French errors."""

from __future__ import annotations

import csv
import json

import pytest

from amorce.archives.index import build_index, list_items, read_rows, thumb_path


def test_index_reports_corrupt_file_and_resumes(photo_folder, tmp_path):
    store = tmp_path / "store"
    items = list_items(photo_folder)
    assert [i.key for i in items][:2] == ["a/p0.jpg", "a/p1.jpg"] and len(items) == 9
    seen = []
    summary = build_index(items, store, engine="serial", partition_size=3,
                          progress=lambda done, total=None, message=None: seen.append((done, total)))
    assert summary.indexed == 9 and summary.skipped == 0
    assert [k for k, _e in summary.errors] == ["b/broken.jpg"]
    assert seen[-1] == (9, 9) and len(seen) > 3
    rows = {r["key"]: r for r in read_rows(store)}
    assert rows["b/p0_mirror_big.jpg"]["width"] == 192 and rows["a/p0.jpg"]["phash"] is not None
    assert rows["b/broken.jpg"]["phash"] is None and rows["b/broken.jpg"]["error"]
    assert thumb_path(store, "a/p3.jpg").is_file()
    # a second run re-reads only what failed or changed
    again = build_index(list_items(photo_folder), store, engine="serial")
    assert again.skipped == 8 and again.indexed == 1
    (photo_folder / "a" / "p5.jpg").write_bytes((photo_folder / "a" / "p4.jpg").read_bytes())
    third = build_index(list_items(photo_folder), store, engine="serial")
    assert third.indexed == 2  # the changed file and the corrupt one
    rows = {r["key"]: r for r in read_rows(store)}
    assert rows["a/p5.jpg"]["phash"] == rows["a/p4.jpg"]["phash"]


def test_metadata_csv_is_matched_by_file_name(photo_folder, tmp_path):
    table = tmp_path / "notices.csv"
    table.write_text("REF;fichier;LEG;AUTP;DATPV;DIFF\nAP001;p2.jpg;Portail ouest;Anonyme;1905;oui\n",
                     encoding="cp1252")
    items = {i.key: i for i in list_items(photo_folder, metadata_csv=table)}
    assert items["a/p2.jpg"].metadata == {"identifier": "AP001", "title": "Portail ouest", "creator": "Anonyme",
                                          "date": "1905", "rights": "oui"}
    assert items["a/p3.jpg"].metadata == {}


def test_metadata_csv_problems_are_all_reported(tmp_path):
    from amorce.archives.metadata import read_metadata_csv
    from amorce.core.errors import DataValidationError

    table = tmp_path / "notices.csv"
    table.write_text("file,dc:title\n,sans nom\na.jpg,un\na.jpg,deux\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        read_metadata_csv(table)
    assert "2 problèmes" in error.value.message and "ligne 4" in error.value.message


def test_embedded_exif_is_read(tmp_path):
    from PIL import Image

    from amorce.archives.metadata import embedded_metadata

    exif = Image.Exif()
    exif[0x013B] = "Seeberger freres"
    exif[0x8298] = "Domaine public"
    Image.new("RGB", (20, 20)).save(tmp_path / "x.jpg", exif=exif)
    with Image.open(tmp_path / "x.jpg") as image:
        assert embedded_metadata(image) == {"creator": "Seeberger freres", "rights": "Domaine public"}




def test_cli_index_then_doublons(cli, photo_folder, tmp_path):
    result = cli("index", str(photo_folder), "--collection", "fonds-test", "--moteur", "serial", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["indexed"] == 9 and summary["errors"][0]["file"] == "b/broken.jpg"
    out = tmp_path / "doublons.csv"
    result = cli("doublons", "--collection", "fonds-test", "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    groups = {}
    for row in rows:
        groups.setdefault(row["group"], []).append((row["file"], row["master"]))
    assert sorted(sorted(f for f, _m in g) for g in groups.values()) == [["a/p0.jpg", "b/p0_mirror_big.jpg"],
                                                                          ["a/p1.jpg", "b/p1_grey.jpg"]]
    masters = {m for g in groups.values() for _f, m in g}
    assert "b/p0_mirror_big.jpg" in masters  # the largest image is the master


def test_cli_errors_are_french_with_exit_2(cli, tmp_path):
    result = cli("doublons", "--collection", "inconnue", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "n'est pas indexée" in result.output
    assert not (tmp_path / "x.csv").exists()
    result = cli("index", str(tmp_path / "absent"), "--collection", "x")
    assert result.exit_code == 2 and "Source introuvable" in result.output
    result = cli("index", str(tmp_path), "--collection", "../evasion")
    assert result.exit_code == 2 and "Nom de collection invalide" in result.output


def test_process_pool_gives_the_serial_hashes_and_features(photo_folder, tmp_path, monkeypatch):
    """One pool for all partitions, one onnxruntime thread per worker: same hashes, same features."""
    import numpy as np

    from amorce.archives.index import read_features, worker_threads

    monkeypatch.delenv("AMORCE_VISION_THREADS", raising=False)
    monkeypatch.setenv("AMORCE_WORKERS", "2")
    assert worker_threads("local", 4) == 1 and worker_threads("serial", 4) is None
    assert worker_threads("local", 1) is None
    items = list_items(photo_folder)
    serial = build_index(items, tmp_path / "serial", features=True, engine="serial", partition_size=2)
    pooled = build_index(items, tmp_path / "pool", features=True, engine="local", partition_size=2)
    assert serial.errors == pooled.errors == [("b/broken.jpg", serial.errors[0][1])]
    columns = ("key", "phash", "dhash", "phash_mirror", "dhash_mirror", "phash_turns", "dhash_turns")
    assert [[r[c] for c in columns] for r in read_rows(tmp_path / "serial")] == \
        [[r[c] for c in columns] for r in read_rows(tmp_path / "pool")]
    (keys_a, a), (keys_b, b) = read_features(tmp_path / "serial"), read_features(tmp_path / "pool")
    assert keys_a == keys_b and len(keys_a) == 8
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)  # onnxruntime's sums may differ in the last bits


def test_read_features_latest_part_wins_in_key_order(tmp_path):
    import numpy as np

    from amorce.archives.index import _features_table, _write_part, read_features

    _write_part(tmp_path, "features", _features_table([("b", [1.0, 2.0]), ("a", [3.0, 4.0])]))
    _write_part(tmp_path, "features", _features_table([("c", [5.0, 6.0]), ("b", [7.0, 8.0])]))
    keys, matrix = read_features(tmp_path)
    assert keys == ["a", "b", "c"] and matrix.dtype == np.float32
    assert matrix.tolist() == [[3.0, 4.0], [7.0, 8.0], [5.0, 6.0]]
    assert read_features(tmp_path / "vide") == ([], None)
