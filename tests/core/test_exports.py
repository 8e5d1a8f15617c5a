"""The one neutralising writer of exported cells (CSV, ODS, iCalendar)."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import pytest

from amorce.core.exports import cell_text, csv_bytes, ics_text, neutralise, ods_bytes, write_csv

LIVE = ['=HYPERLINK("http://x.example";"clic")', "+33 1 23", "-2+3", "@SUM(A1)", "\tonglet", "\rretour"]


@pytest.mark.parametrize("text", LIVE)
def test_formula_like_text_is_prefixed(text):
    assert neutralise(text) == "'" + text
    assert cell_text(text) == "'" + text


def test_plain_text_and_numbers_are_kept():
    assert neutralise("Mairie de Lyon") == "Mairie de Lyon" and neutralise("") == ""
    assert cell_text(-3) == "-3" and cell_text(-1.5, decimal_comma=True) == "-1,5"
    assert cell_text(Decimal("785000.50"), decimal_comma=True) == "785000,50"
    assert cell_text(None) == "" and cell_text(True) == "True"


def test_csv_writer_neutralises_every_text_cell():
    body = csv_bytes(["Nom", "=entête"], [[LIVE[0], 2.5], ["ok", -4]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Nom", "'=entête"], ["'" + LIVE[0], "2,5"], ["ok", "-4"]]
    handle = io.StringIO()
    write_csv(handle, ["a"], [["@x"]], delimiter=",", decimal_comma=False)
    assert handle.getvalue().splitlines() == ["a", "'@x"]


def test_ods_text_cells_are_neutralised_and_numbers_are_floats():
    pytest.importorskip("odf")
    with zipfile.ZipFile(io.BytesIO(ods_bytes("Feuille", ["Nom", "Montant"], [[LIVE[0], -785000]]))) as z:
        content = z.read("content.xml").decode()
    assert "&apos;=HYPERLINK" in content or "'=HYPERLINK" in content
    assert 'office:value="-785000"' in content


def test_ics_text_is_escaped_and_neutralised():
    assert ics_text("=A; b, c\nd\\") == "'=A\\; b\\, c\\nd\\\\"
    assert ics_text("Contrôle") == "Contrôle"
