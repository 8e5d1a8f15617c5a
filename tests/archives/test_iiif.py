"""IIIF Presentation 3 and 2 manifests (real ones from ../shared/data), local collections, and the
image-fetch allow-list (https only, listed hosts only, no credentials)."""

from __future__ import annotations

import json

import pytest

from amorce.archives.errors import FetchRefused, SourceError
from amorce.archives.iiif import allowed_hosts, check_url, fetch_image, image_request_url, load_local


def test_v3_and_v2_manifests(shared_data):
    folder = shared_data / "formats" / "iiif"
    book = load_local(folder / "v3_cookbook_0009-book-1.json")
    assert len(book) == 5 and book[0].service and book[0].service_version == 3
    assert image_request_url(book[0]).endswith("/full/!1024,1024/0/default.jpg")
    bodleian = load_local(folder / "v3_bodleian_mirador_fixture_001.json")
    assert len(bodleian) == 1 and bodleian[0].service_version == 2 and bodleian[0].metadata
    harvard = load_local(folder / "v2_harvard_art_museums_299843.json")
    assert len(harvard) == 6 and all(im.service for im in harvard)
    assert harvard[0].metadata.get("title") and harvard[0].key.startswith("https://")
    simplest = load_local(folder / "v3_cookbook_0001-mvm-image.json")
    assert len(simplest) == 1 and simplest[0].service is None and simplest[0].image_url.endswith(".png")


def test_local_collection_and_non_manifest(shared_data, tmp_path):
    source = shared_data / "formats" / "iiif" / "v2_harvard_art_museums_299843.json"
    (tmp_path / "m.json").write_bytes(source.read_bytes())
    (tmp_path / "c.json").write_text(json.dumps({
        "@context": "http://iiif.io/api/presentation/3/context.json", "type": "Collection", "id": "x",
        "items": [{"id": "https://example.org/m.json", "type": "Manifest"},
                  {"id": "https://example.org/absent.json", "type": "Manifest"}]}))
    assert len(load_local(tmp_path / "c.json")) == 6
    (tmp_path / "n.json").write_text('{"type": "Canvas"}')
    with pytest.raises(SourceError, match="n'est pas un manifeste IIIF"):
        load_local(tmp_path / "n.json")


def test_index_of_a_manifest_without_allowed_host_reports_each_image(shared_data, tmp_path):
    from amorce.archives.index import build_index, list_items

    items = list_items(shared_data / "formats" / "iiif" / "v3_cookbook_0009-book-1.json")
    summary = build_index(items, tmp_path / "store", engine="serial", hosts=frozenset())
    assert summary.indexed == 5 and len(summary.errors) == 5
    assert "n'est pas autorisé" in summary.errors[0][1]


def test_fetch_allow_list():
    hosts = allowed_hosts({"AMORCE_ARCHIVES_IIIF_HOSTS": "iiif.example.fr, Images.Example.fr"})
    assert hosts == {"iiif.example.fr", "images.example.fr"}
    check_url("https://iiif.example.fr/iiif/a/full/!1024,1024/0/default.jpg", hosts)
    for url in ("http://iiif.example.fr/a.jpg", "https://evil.example.com/a.jpg",
                "https://user:pw@iiif.example.fr/a.jpg", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            check_url(url, hosts)
    from amorce.archives.iiif import IIIFImage

    image = IIIFImage("c1", "", "https://iiif.example.fr/full.jpg", "https://iiif.example.fr/iiif/a", 3,
                      None, None, "m")
    asked = []
    assert fetch_image(image, hosts, opener=lambda url: asked.append(url) or b"jpeg") == b"jpeg"
    assert asked == ["https://iiif.example.fr/iiif/a/full/!1024,1024/0/default.jpg"]
    with pytest.raises(FetchRefused):
        fetch_image(image, frozenset(), opener=lambda url: b"")


def test_a_manifest_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from amorce.archives import iiif

    path = tmp_path / "grand.json"
    path.write_text(json.dumps({"type": "Manifest", "label": "x" * 2000}), encoding="utf-8")
    monkeypatch.setattr(iiif, "MAX_MANIFEST_BYTES", 1000)
    with pytest.raises(SourceError, match="grand.json : trop volumineux"):
        load_local(path)
