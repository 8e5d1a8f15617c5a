"""Descriptive metadata: CSV exports (Dublin Core or POP / Mémoire-like columns) and embedded
EXIF / IPTC / XMP basics, mapped to one set of canonical fields.

Canonical fields: ``title`` (caption, POP ``LEG``), ``creator`` (photographer, ``AUTP``), ``date``
(``DATPV``), ``date_justification`` (``JDATPV``), ``rights`` (``DIFF``), ``description``,
``identifier`` (``REF``), ``subject``.
"""

from __future__ import annotations

import re
from pathlib import Path

from amorce.core.errors import ValidationReport

from .errors import SourceError

CANONICAL = ("identifier", "title", "creator", "date", "date_justification", "rights", "description", "subject")

#: Column name (lower case) -> canonical field. Dublin Core (with or without ``dc:``), POP, French.
COLUMNS = {
    "ref": "identifier", "dc:identifier": "identifier", "identifier": "identifier", "identifiant": "identifier",
    "leg": "title", "dc:title": "title", "title": "title", "titre": "title", "legende": "title", "légende": "title",
    "autp": "creator", "dc:creator": "creator", "creator": "creator", "photographe": "creator", "auteur": "creator",
    "datpv": "date", "dc:date": "date", "date": "date",
    "jdatpv": "date_justification",
    "diff": "rights", "dc:rights": "rights", "rights": "rights", "droits": "rights",
    "dc:description": "description", "description": "description",
    "dc:subject": "subject", "subject": "subject", "sujet": "subject",
}
FILE_COLUMNS = ("file", "fichier", "chemin", "path", "nom_fichier", "dc:source", "source")


def read_metadata_csv(path: str | Path) -> dict[str, dict[str, str]]:
    """Rows of a metadata export keyed by the image file (relative path or file name).

    The file column is one of :data:`FILE_COLUMNS` (else ``REF`` / ``dc:identifier``). Unknown
    columns are kept under their own name. Every problem is reported at once.
    """
    from amorce.core.files import read_csv_rows

    rows = read_csv_rows(path)
    if not rows:
        raise SourceError(f"Le fichier de métadonnées {Path(path).name} est vide.", file=str(path))
    header = {name.strip().lower(): name for name in rows[0]}
    file_col = next((header[c] for c in FILE_COLUMNS if c in header), None)
    file_col = file_col or next((header[c] for c in ("ref", "dc:identifier", "identifier") if c in header), None)
    if file_col is None:
        raise SourceError(
            f"Le fichier de métadonnées {Path(path).name}, ligne 1 : pas de colonne désignant l'image "
            f"(attendu l'une de : {', '.join(FILE_COLUMNS)}, REF ou dc:identifier).", file=str(path))
    report = ValidationReport(file=Path(path).name)
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        line = row.get("__line__")
        key = (row.get(file_col) or "").strip()
        if not key:
            report.add("valeur vide", line=line, column=file_col, expected="le nom ou le chemin de l'image")
            continue
        if key in out:
            report.add("image décrite deux fois", line=line, column=file_col, value=key)
            continue
        record: dict[str, str] = {}
        for name, value in row.items():
            if name in (None, "__line__", file_col) or value is None or not str(value).strip():
                continue
            record[COLUMNS.get(name.strip().lower(), name.strip())] = str(value).strip()
        out[key] = record
    report.raise_if_any(title="Le fichier de métadonnées est invalide")
    return out


def match_metadata(key: str, table: dict[str, dict[str, str]]) -> dict[str, str]:
    """The metadata row of an indexed file: by relative path, else by file name, else by stem."""
    if key in table:
        return table[key]
    name = key.rsplit("/", 1)[-1]
    if name in table:
        return table[name]
    return table.get(name.rsplit(".", 1)[0], {})


# ------------------------------------------------------------------------------ embedded metadata
EXIF_TAGS = {0x010E: "description", 0x013B: "creator", 0x8298: "rights", 0x0132: "date",
             0x010F: "camera_make", 0x0110: "camera_model"}
EXIF_IFD_TAGS = {0x9003: "date"}
IPTC_TAGS = {(2, 120): "description", (2, 5): "title", (2, 80): "creator", (2, 116): "rights",
             (2, 55): "date", (2, 25): "subject"}
XMP_TAGS = {"title": "title", "creator": "creator", "rights": "rights", "description": "description",
            "subject": "subject"}


def _text(value) -> str:
    if isinstance(value, bytes):
        for encoding in ("utf-8", "cp1252"):
            try:
                return value.decode(encoding).strip("\x00 ").strip()
            except UnicodeDecodeError:
                continue
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    return str(value).strip("\x00 ").strip()


def embedded_metadata(image) -> dict[str, str]:
    """EXIF, IPTC and XMP basics of an opened Pillow image (first source wins: EXIF, IPTC, XMP)."""
    found: dict[str, str] = {}
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose the image
        exif = {}
    for tag, field in EXIF_TAGS.items():
        if tag in exif and _text(exif[tag]):
            found.setdefault(field, _text(exif[tag]))
    try:
        sub = exif.get_ifd(0x8769) if exif else {}
    except Exception:  # noqa: BLE001
        sub = {}
    for tag, field in EXIF_IFD_TAGS.items():
        if tag in sub and _text(sub[tag]):
            found[field] = _text(sub[tag])  # DateTimeOriginal beats DateTime
    try:
        from PIL import IptcImagePlugin

        iptc = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # noqa: BLE001
        iptc = {}
    for tag, field in IPTC_TAGS.items():
        if tag in iptc and _text(iptc[tag]):
            found.setdefault(field, _text(iptc[tag]))
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if xmp:
        text = _text(xmp) if isinstance(xmp, bytes) else str(xmp)
        for tag, field in XMP_TAGS.items():
            match = re.search(rf"<dc:{tag}>(.*?)</dc:{tag}>", text, re.S)
            if match:
                values = re.findall(r"<rdf:li[^>]*>(.*?)</rdf:li>", match.group(1), re.S)
                value = "; ".join(v.strip() for v in values) if values else re.sub(r"<[^>]+>", "", match.group(1))
                if value.strip():
                    found.setdefault(field, value.strip())
    return found
