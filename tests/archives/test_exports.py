"""Exports of enriched metadata: CSV, Dublin Core (oai_dc), POP fields, W3C Web Annotations, IIIF
Presentation 3 manifest. Each is parsed back; only accepted terms are exported, with their justification."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest

from amorce.archives.errors import SourceError
from amorce.archives.exports import AcceptedTerm, Record, render, write_export

URI = "http://vocab.exemple.gouv.fr/architecture/"
BASE = "https://amorce.exemple.gouv.fr/archives/collections/fonds/termes"
ACCEPTED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
PROPOSED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def records() -> list[Record]:
    by_model = AcceptedTerm(uri=URI + "autel", label="Autel", source="modele", validated_by="Camille Martin",
                            validated_at=ACCEPTED, proposed_at=PROPOSED, model="logistique v3", confidence=0.87)
    by_person = AcceptedTerm(uri=URI + "vitrail", label="Vitrail", source="catalogueur", validated_by="Léa Petit",
                             validated_at=ACCEPTED, proposed_at=ACCEPTED)
    return [
        Record(key="a/p0.jpg", image_url="https://amorce.exemple.gouv.fr/archives/photos/1/vignette.jpg", width=800,
               height=600, metadata={"title": "Église Saint-Pierre, le chœur", "creator": "=HYPERLINK(1)",
                                     "date": "1923", "date_justification": "inscription au dos",
                                     "rights": "domaine public", "identifier": "APMH00001"},
               terms=(by_model, by_person), ocr="Saint-Pierre 1923"),
        Record(key="https://iiif.exemple.org/canvas/7", image_url="https://iiif.exemple.org/img/7/full/max/0/default.jpg",
               canvas="https://iiif.exemple.org/canvas/7", iiif_service="https://iiif.exemple.org/img/7"),
    ]


def test_csv_and_pop_fields_with_the_justification():
    rows = list(csv.DictReader(io.StringIO(render("csv", records(), base=BASE, label="Fonds")), delimiter=";"))
    assert rows[0]["file"] == "a/p0.jpg" and rows[0]["terms"] == "Autel | Vitrail"
    assert rows[0]["creator"] == "'=HYPERLINK(1)"  # never a live formula
    assert ("Autel : proposé par le modèle logistique v3 (confiance 87 %) le 01/03/2026, validé par Camille Martin "
            "le 02/03/2026") in rows[0]["justification"]
    assert "Vitrail : indexé par Léa Petit le 02/03/2026" in rows[0]["justification"]
    pop = list(csv.DictReader(io.StringIO(render("pop", records(), base=BASE, label="Fonds")), delimiter=";"))
    assert pop[0]["REF"] == "APMH00001" and pop[0]["LEG"].startswith("Église") and pop[0]["DATPV"] == "1923"
    assert pop[0]["JDATPV"] == "inscription au dos" and pop[0]["DIFF"] == "domaine public"
    assert pop[0]["INDEX"] == "Autel ; Vitrail" and pop[0]["INDEX_URI"] == f"{URI}autel ; {URI}vitrail"
    assert pop[1]["INDEX"] == "" and pop[1]["REF"] == "https://iiif.exemple.org/canvas/7"


def test_dublin_core_is_well_formed_oai_dc():
    root = ET.fromstring(render("dc", records(), base=BASE, label="Fonds"))
    ns = {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "dc": "http://purl.org/dc/elements/1.1/"}
    dcs = root.findall("oai_dc:dc", ns)
    assert len(dcs) == 2
    first = dcs[0]
    assert [e.text for e in first.findall("dc:subject", ns)] == ["Autel", "Vitrail"]
    assert [e.text for e in first.findall("dc:identifier", ns)] == ["a/p0.jpg", "APMH00001"]
    descriptions = " ".join(e.text for e in first.findall("dc:description", ns))
    assert f"Indexation « Autel » ({URI}autel) : proposé par le modèle logistique v3" in descriptions
    assert "Datation : inscription au dos" in descriptions
    assert all(child.tag.startswith("{http://purl.org/dc/elements/1.1/}") for child in first)


def test_web_annotations_json_ld_classify_with_the_term_uri():
    page = json.loads(render("annotations", records(), base=BASE, label="Fonds"))
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld" and page["type"] == "AnnotationPage"
    terms = [a for a in page["items"] if a["motivation"] == "classifying"]
    assert len(terms) == 2 and len({a["id"] for a in page["items"]}) == 3
    autel = terms[0]
    assert autel["body"][0] == {"id": URI + "autel", "purpose": "classifying"}
    assert autel["body"][1]["purpose"] == "tagging" and autel["body"][1]["value"] == "Autel"
    assert autel["generator"] == {"type": "Software", "name": "logistique v3"}
    assert autel["creator"] == {"type": "Person", "name": "Camille Martin"} and autel["created"].startswith("2026-03-02")
    assert "generator" not in terms[1]
    ocr = next(a for a in page["items"] if a["motivation"] == "describing")
    assert ocr["body"]["value"] == "Saint-Pierre 1923" and ocr["target"] == records()[0].image_url


def check_presentation_3(manifest: dict) -> None:
    """The structure IIIF Presentation 3 requires of a manifest, its canvases and painting annotations."""
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["type"] == "Manifest" and manifest["id"].startswith("https://")
    assert all(isinstance(v, list) for v in manifest["label"].values())
    assert manifest["items"]
    seen = set()
    for canvas in manifest["items"]:
        assert canvas["type"] == "Canvas" and canvas["id"].startswith("https://") and canvas["id"] not in seen
        seen.add(canvas["id"])
        assert isinstance(canvas["width"], int) and isinstance(canvas["height"], int)
        for page in canvas["items"]:
            assert page["type"] == "AnnotationPage"
            for anno in page["items"]:
                assert anno["type"] == "Annotation" and anno["motivation"] == "painting"
                assert anno["target"] == canvas["id"] and anno["body"]["type"] == "Image"
        for page in canvas.get("annotations", []):
            assert page["type"] == "AnnotationPage"
            assert all(a["target"] == canvas["id"] for a in page["items"])


def test_iiif_manifest_is_valid_and_read_back_by_our_own_reader(tmp_path):
    from amorce.archives.iiif import load_local

    out = tmp_path / "selection.json"
    assert write_export(out, "manifest", records(), base=BASE, label="Fonds — groupe 3") == 2
    manifest = json.loads(out.read_text(encoding="utf-8"))
    check_presentation_3(manifest)
    assert manifest["items"][1]["id"] == "https://iiif.exemple.org/canvas/7"  # a IIIF photo keeps its canvas
    assert manifest["items"][0]["annotations"][0]["items"][0]["body"][0]["id"] == URI + "autel"
    images = load_local(out)
    assert [im.key for im in images] == [manifest["items"][0]["id"], "https://iiif.exemple.org/canvas/7"]
    assert images[1].service == "https://iiif.exemple.org/img/7" and images[0].width == 800
    assert images[0].metadata["Titre"].startswith("Église")


def test_unknown_format_and_empty_selection_are_french_errors(tmp_path):
    with pytest.raises(SourceError, match="Format d'export inconnu : « marc »"):
        write_export(tmp_path / "x", "marc", records(), base=BASE, label="x")
    with pytest.raises(SourceError, match="Sélection vide"):
        write_export(tmp_path / "m.json", "manifest", [], base=BASE, label="x")
    assert not list(tmp_path.iterdir())  # nothing half-written
