"""The one writer of exported text cells (CSV, ODS, iCalendar): formulas are never exported live.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by spreadsheet software (« CSV injection »: ``=HYPERLINK(…)`` in an establishment's name).
Every text cell of every export goes through :func:`neutralise`, which prefixes such a text with an
apostrophe (shown as text by LibreOffice and Excel). Numbers stay numbers (``-3`` is not a formula).

Pure module: no Django; ``odfpy`` is imported only by :func:`ods_bytes`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: an apostrophe before a formula-like start."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def cell_text(value: Any, *, decimal_comma: bool = False) -> str:
    """One CSV cell: ``None`` → empty, numbers as numbers (French decimal comma if asked), text neutralised."""
    if value is None:
        return ""
    if _is_number(value):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    return neutralise(str(value))


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";",
              decimal_comma: bool = True) -> None:
    """Write a header and rows to a text handle (a file, an ``HttpResponse``), every cell through :func:`cell_text`."""
    writer = csv.writer(handle, delimiter=delimiter)
    writer.writerow([cell_text(h) for h in header])
    for row in rows:
        writer.writerow([cell_text(v, decimal_comma=decimal_comma) for v in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";",
              decimal_comma: bool = True, bom: bool = True) -> bytes:
    """:func:`write_csv` as UTF-8 bytes, with a BOM by default (spreadsheet software then reads UTF-8)."""
    buffer = io.StringIO()
    write_csv(buffer, header, rows, delimiter=delimiter, decimal_comma=decimal_comma)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def ods_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An OpenDocument spreadsheet of one sheet: numbers as float cells, text neutralised."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)

    def add_row(values: Sequence[Any]) -> None:
        row = TableRow()
        for value in values:
            if _is_number(value):
                cell = TableCell(valuetype="float", value=value)
                text = str(value)
            else:
                cell = TableCell(valuetype="string")
                text = cell_text(value)
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)

    add_row(header)
    for values in rows:
        add_row(values)
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def ics_text(value: Any) -> str:
    """A TEXT value of iCalendar (RFC 5545 §3.3.11): neutralised, then ``\\``, ``;``, ``,`` and newlines escaped.

    Calendars are imported into spreadsheets too: their text goes through the same neutralising.
    """
    text = neutralise(str(value))
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))
