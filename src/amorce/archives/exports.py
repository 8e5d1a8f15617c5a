"""Exports of a collection's enriched metadata: CSV, Dublin Core (oai_dc), POP-like fields, W3C Web
Annotations (JSON-LD) and a IIIF Presentation 3 manifest of a selection.

Only *accepted* terms are exported (a proposal is a suggestion, not a description); each carries its
justification — « proposé par le modèle X le …, validé par Y le … » — so a reader knows which terms
a person chose and which a model suggested. Pure: no Django (the service module builds the records).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO
from xml.etree import ElementTree as ET

from .errors import SourceError

FORMATS = {"csv": "CSV des métadonnées enrichies", "dc": "Dublin Core (XML oai_dc)",
           "pop": "Champs POP (CSV)", "annotations": "Annotations Web W3C (JSON-LD)",
           "manifest": "Manifeste IIIF Presentation 3 (JSON)"}
SUFFIXES = {"csv": ".csv", "dc": ".xml", "pop": ".csv", "annotations": ".jsonld", "manifest": ".json"}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "dc": "application/xml; charset=utf-8",
               "pop": "text/csv; charset=utf-8", "annotations": "application/ld+json; charset=utf-8",
               "manifest": "application/ld+json; charset=utf-8"}
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
IIIF_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# metadata columns read at indexing (Dublin Core or POP) → the field they fill
FIELDS = {
    "title": ("LEG", "dc:title", "title", "titre", "legende", "légende"),
    "creator": ("AUTP", "dc:creator", "creator", "auteur", "photographe"),
    "date": ("DATPV", "dc:date", "date"),
    "date_justification": ("date_justification", "JDATPV"),
    "rights": ("DIFF", "dc:rights", "rights", "droits"),
    "description": ("dc:description", "description"),
    "reference": ("REF", "dc:identifier", "identifier"),
}


@dataclass(frozen=True)
class AcceptedTerm:
    """A term a person accepted for a photo, with its provenance."""

    uri: str
    label: str
    source: str  # "catalogueur" or "modele"
    validated_by: str
    validated_at: datetime
    proposed_at: datetime | None = None
    model: str = ""
    confidence: float | None = None

    def justification(self) -> str:
        validated = f"validé par {self.validated_by} le {_day(self.validated_at)}"
        if self.source == "modele":
            conf = f" (confiance {self.confidence:.0%})".replace("%", " %") if self.confidence is not None else ""
            return f"proposé par le modèle {self.model}{conf} le {_day(self.proposed_at)}, {validated}"
        return f"indexé par {self.validated_by} le {_day(self.validated_at)}"


@dataclass(frozen=True)
class Record:
    """One photo as exported: its key, its image, its catalogue metadata and its accepted terms."""

    key: str
    image_url: str  # the full image (IIIF) or its thumbnail on the platform
    width: int | None = None
    height: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    terms: tuple[AcceptedTerm, ...] = ()
    canvas: str = ""  # the IIIF canvas id when the photo came from a manifest
    iiif_service: str = ""  # its IIIF Image API service, if any
    ocr: str = ""  # text read in the image (caption, stamp), when available

    def field(self, name: str) -> str:
        lowered = {k.lower(): v for k, v in self.metadata.items()}
        for column in FIELDS[name]:
            value = lowered.get(column.lower())
            if value:
                return str(value)
        return ""


def _day(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y") if moment else "date inconnue"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


# ------------------------------------------------------------------------------ CSV
CSV_HEADER = ("file", "title", "creator", "date", "date_justification", "rights", "description", "terms",
              "term_uris", "justification")
POP_HEADER = ("REF", "LEG", "AUTP", "DATPV", "JDATPV", "DIFF", "INDEX", "INDEX_URI", "JUSTIFICATION")


def csv_rows(records: Iterable[Record]) -> Iterable[tuple]:
    for r in records:
        yield (r.key, r.field("title"), r.field("creator"), r.field("date"), r.field("date_justification"),
               r.field("rights"), r.field("description"), " | ".join(t.label for t in r.terms),
               " | ".join(t.uri for t in r.terms), " | ".join(f"{t.label} : {t.justification()}" for t in r.terms))


def pop_rows(records: Iterable[Record]) -> Iterable[tuple]:
    for r in records:
        yield (r.field("reference") or r.key, r.field("title"), r.field("creator"), r.field("date"),
               r.field("date_justification"), r.field("rights"), " ; ".join(t.label for t in r.terms),
               " ; ".join(t.uri for t in r.terms), " ; ".join(f"{t.label} : {t.justification()}" for t in r.terms))


def write_csv(handle: IO[str], records: Iterable[Record], *, pop: bool = False) -> int:
    from amorce.core.exports import write_csv as write

    rows = list(pop_rows(records) if pop else csv_rows(records))
    write(handle, POP_HEADER if pop else CSV_HEADER, rows, delimiter=";")
    return len(rows)


# ------------------------------------------------------------------------------ Dublin Core
def dublin_core(records: Iterable[Record]) -> bytes:
    """One ``oai_dc:dc`` element per photo, in a ``records`` root; accepted terms as ``dc:subject``, their
    justification in ``dc:description``."""
    ET.register_namespace("oai_dc", OAI_DC)
    ET.register_namespace("dc", DC)
    ET.register_namespace("xsi", XSI)
    root = ET.Element("records")
    for r in records:
        dc = ET.SubElement(root, f"{{{OAI_DC}}}dc", {f"{{{XSI}}}schemaLocation": OAI_DC_SCHEMA})

        def add(tag: str, value: str, _dc=dc) -> None:
            if value:
                ET.SubElement(_dc, f"{{{DC}}}{tag}").text = value

        add("identifier", r.canvas or r.key)
        if r.field("reference") and r.field("reference") != r.key:
            add("identifier", r.field("reference"))
        add("title", r.field("title"))
        add("creator", r.field("creator"))
        add("date", r.field("date"))
        add("rights", r.field("rights"))
        add("description", r.field("description"))
        add("type", "Image")
        for term in r.terms:
            add("subject", term.label)
        for term in r.terms:
            add("description", f"Indexation « {term.label} » ({term.uri}) : {term.justification()}.")
        if r.field("date_justification"):
            add("description", f"Datation : {r.field('date_justification')}")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# ------------------------------------------------------------------------------ Web Annotations
def _agent(term: AcceptedTerm) -> dict:
    return {"type": "Person", "name": term.validated_by}


def _target(record: Record) -> str:
    return record.canvas or record.image_url


def term_annotation(record: Record, term: AcceptedTerm, annotation_id: str) -> dict:
    """A W3C Web Annotation classifying the photo with the term (its URI) and tagging it with its label."""
    annotation = {
        "id": annotation_id, "type": "Annotation", "motivation": "classifying",
        "body": [{"id": term.uri, "purpose": "classifying"},
                 {"type": "TextualBody", "value": term.label, "purpose": "tagging", "language": "fr",
                  "format": "text/plain"}],
        "target": _target(record),
        "creator": _agent(term),
        "created": _iso(term.validated_at),
    }
    if term.source == "modele":
        annotation["generator"] = {"type": "Software", "name": term.model}
        annotation["body"].append({"type": "TextualBody", "purpose": "commenting", "language": "fr",
                                   "format": "text/plain", "value": f"« {term.label} » {term.justification()}."})
    return annotation


def ocr_annotation(record: Record, annotation_id: str) -> dict:
    return {"id": annotation_id, "type": "Annotation", "motivation": "describing",
            "body": {"type": "TextualBody", "value": record.ocr, "purpose": "transcribing", "format": "text/plain"},
            "target": _target(record)}


def annotations_for(record: Record, base: str) -> list[dict]:
    out = [term_annotation(record, t, f"{base}/{_slug(record.key)}/termes/{n}") for n, t in enumerate(record.terms, 1)]
    if record.ocr:
        out.append(ocr_annotation(record, f"{base}/{_slug(record.key)}/ocr"))
    return out


def _slug(key: str) -> str:
    from urllib.parse import quote

    return quote(key, safe="")


def web_annotations(records: Iterable[Record], base: str, *, label: str = "") -> dict:
    """An ``AnnotationPage`` (JSON-LD, W3C Web Annotation context) of the accepted terms and the text read."""
    items = [a for r in records for a in annotations_for(r, base)]
    page = {"@context": ANNO_CONTEXT, "id": f"{base}/annotations", "type": "AnnotationPage", "items": items}
    if label:
        page["label"] = label
    return page


# ------------------------------------------------------------------------------ IIIF manifest
def _lang(text: str) -> dict:
    return {"fr": [text]}


def iiif_manifest(records: Sequence[Record], manifest_id: str, label: str) -> dict:
    """A IIIF Presentation 3 manifest: one canvas per photo (its image painted on it), its catalogue
    metadata, and its accepted terms as a page of annotations."""
    if not records:
        raise SourceError("Sélection vide : aucune image à mettre dans le manifeste IIIF.")
    base = manifest_id.rsplit("/", 1)[0] if manifest_id.endswith(".json") else manifest_id
    canvases = []
    for n, r in enumerate(records, 1):
        canvas_id = r.canvas or f"{base}/canvas/{n}"
        width, height = r.width or 1000, r.height or 1000
        body = {"id": r.image_url, "type": "Image", "format": "image/jpeg"}
        if r.iiif_service:
            body["service"] = [{"id": r.iiif_service, "type": "ImageService3", "profile": "level1"}]
        canvas = {
            "id": canvas_id, "type": "Canvas", "label": _lang(r.field("title") or r.key),
            "width": width, "height": height,
            "items": [{"id": f"{canvas_id}/page", "type": "AnnotationPage", "items": [{
                "id": f"{canvas_id}/page/image", "type": "Annotation", "motivation": "painting",
                "body": body, "target": canvas_id}]}],
        }
        metadata = [{"label": _lang(name), "value": _lang(value)} for name, value in
                    (("Fichier", r.key), ("Titre", r.field("title")), ("Auteur", r.field("creator")),
                     ("Date", r.field("date")), ("Droits", r.field("rights")),
                     ("Termes", " ; ".join(t.label for t in r.terms))) if value]
        if metadata:
            canvas["metadata"] = metadata
        anchored = Record(**{**r.__dict__, "canvas": canvas_id})
        notes = annotations_for(anchored, f"{canvas_id}/annotations")
        if notes:
            canvas["annotations"] = [{"id": f"{canvas_id}/annotations", "type": "AnnotationPage", "items": notes}]
        canvases.append(canvas)
    return {"@context": IIIF_CONTEXT, "id": manifest_id, "type": "Manifest", "label": _lang(label),
            "summary": _lang(f"{len(records)} image(s) exportée(s) par amorce, avec les termes validés."),
            "items": canvases}


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(kind: str, records: Sequence[Record], *, base: str, label: str) -> str | bytes:
    """The export ``kind`` (a key of :data:`FORMATS`) as text (CSV, JSON) or bytes (XML)."""
    import io

    if kind in ("csv", "pop"):
        buffer = io.StringIO()
        write_csv(buffer, records, pop=kind == "pop")
        return buffer.getvalue()
    if kind == "dc":
        return dublin_core(records)
    if kind == "annotations":
        return dumps(web_annotations(records, base, label=label))
    if kind == "manifest":
        return dumps(iiif_manifest(records, f"{base}/manifest.json", label))
    raise SourceError(f"Format d'export inconnu : « {kind} » (attendu : {', '.join(FORMATS)}).")


def write_export(path, kind: str, records: Sequence[Record], *, base: str, label: str) -> int:
    """Write the export to ``path`` (temporary name, then renamed); returns the number of photos."""
    from amorce.core.files import atomic_write

    content = render(kind, records, base=base, label=label)
    if isinstance(content, bytes):
        with atomic_write(path, "wb", encoding=None) as handle:
            handle.write(content)
    else:
        with atomic_write(path, "w", encoding="utf-8") as handle:
            handle.write(content)
    return len(records)
