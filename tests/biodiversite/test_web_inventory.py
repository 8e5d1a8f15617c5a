"""The inventory pages of a season, on the real Camtrap DP example: the page's numbers are those of
``amorce.biodiversite.inventory``, downloads (CSV, ODS, SVG, PNG, GeoJSON, zip), bad settings,
roles, declared malfunctions, the JSON API."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amorce.biodiversite import inventory as inv_mod
from amorce.biodiversite.models import Deployment, Season, data_dir
from amorce.core.formats import number
from amorce.web.models import AuditEvent

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def season(settings, tmp_path, shared_data, make_user):
    """A season whose analysis wrote the real Camtrap DP example (26 independent events, 9 taxa)."""
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    season = Season.objects.create(name="Exemple Camtrap DP", source=str(tmp_path), detector="motion")
    out = data_dir() / "seasons" / str(season.pk)
    source = shared_data / "camtrap_dp_example"
    (out / "camtrapdp").mkdir(parents=True)
    for name in ("datapackage.json", "deployments.csv", "media.csv", "observations.csv"):
        shutil.copy2(source / name, out / "camtrapdp" / name)
    season.output_dir = str(out)
    season.save(update_fields=["output_dir"])
    return season


def url(name: str, season, *args) -> str:
    return reverse(f"biodiversite:{name}", args=[season.pk, *args])


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&#39;", "'")


def test_page_shows_the_numbers_of_the_inventory_module(client_as, season):
    expected = inv_mod.build_inventory(data_dir() / "seasons" / str(season.pk) / "camtrapdp")
    assert len(expected.counted) == 26 and len(expected.species(determined=True)) == 9
    assert round(expected.trap_nights(), 1) == 73.4
    response = client_as("naturaliste").get(url("inventory", season))
    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert "Événements indépendants : 26 (règle des 30 min" in page and "Taxons : 9" in page
    assert f"{number(expected.trap_nights(), 1)} nuits-pièges" in page
    for row in inv_mod.species_summary(expected):  # each taxon's events and RAI, as the module computes them
        assert f"{inv_mod.label(row['species'])} " in page and number(row["rai"], 2) in page
    hours = inv_mod.activity(expected)
    assert sum(map(sum, hours.values())) == 26
    html = response.content.decode()
    assert html.count('role="img"') == 3  # activity, accumulation, map: accessible SVG charts
    assert "Carte des sites" in html and "B_DL_val 5_beek kleine vijver" in html
    assert "historiques_Anas_platyrhynchos.ods" in html
    # the publication files and the archive are the scientific lead's
    assert "inventaire.zip" not in html and "occurrences_dwc" not in html


def test_settings_change_the_numbers_and_bad_settings_get_a_french_message(client_as, season):
    client = client_as("naturaliste")
    day = client.get(url("inventory", season), {"intervalle": "1440", "reference": "derniere", "periode": "mois",
                                                "occasion": "3", "carte": "iar"})
    folder = data_dir() / "seasons" / str(season.pk) / "camtrapdp"
    expected = inv_mod.build_inventory(folder, interval_min=1440, period="mois", occasion_days=3)
    assert len(expected.counted) < 26
    assert f"Événements indépendants : {len(expected.counted)} (règle des 1 440 min" in text_of(day.content.decode())
    assert "2020-07" in day.content.decode()  # monthly periods
    for bad, message in (({"intervalle": "trente"}, "Un nombre de minutes est attendu"),
                         ({"intervalle": "-5"}, "entre 0 et 10080"), ({"occasion": "0"}, "entre 1 et 366"),
                         ({"periode": "lune"}, "Sélectionnez un choix valide")):
        response = client.get(url("inventory", season), {"intervalle": "30", "occasion": "7", "periode": "saison",
                                                          "reference": "derniere", "carte": "evenements", **bad})
        assert response.status_code == 200 and message in response.content.decode(), bad
        download = client.get(url("inventory_table", season, "especes", "csv"), {**bad})
        assert download.status_code == 400 and "Inventaire impossible" in download.content.decode()
    empty = Season.objects.create(name="Pas encore analysée", source="/x", detector="motion")
    response = client.get(url("inventory", empty))
    assert response.status_code == 200 and "pas encore de paquet Camtrap DP" in response.content.decode()


def test_downloads_csv_ods_svg_png_geojson_have_the_same_rows(client_as, season):
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    client = client_as("naturaliste")
    folder = data_dir() / "seasons" / str(season.pk) / "camtrapdp"
    expected = {t.name: t for t in inv_mod.export_tables(inv_mod.build_inventory(folder))}
    response = client.get(url("inventory_table", season, "inventaire", "csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content == expected["inventaire"].csv()
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    ods = client.get(url("inventory_table", season, "inventaire", "ods"))
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    doc = load(io.BytesIO(ods.content))
    sheet = doc.spreadsheet.getElementsByType(Table)[0]
    ods_rows = [["".join(str(p) for p in c.getElementsByType(P)) for c in r.getElementsByType(TableCell)]
                for r in sheet.getElementsByType(TableRow)]
    assert len(ods_rows) == len(rows) and ods_rows[0] == rows[0]
    assert [r[:6] for r in ods_rows[1:]] == [r[:6] for r in rows[1:]]  # numbers: « 16.36 » in ODS, « 16,36 » in CSV
    for name in ("activite", "accumulation", "carte"):
        svg = client.get(url("inventory_chart", season, name, "svg"))
        assert svg.status_code == 200 and svg.content.startswith(b"<?xml") and b"<style>" in svg.content
        png = client.get(url("inventory_chart", season, name, "png"))
        assert png.status_code == 200 and png.content.startswith(PNG_SIGNATURE) and png["Content-Type"] == "image/png"
        from PIL import Image

        with Image.open(io.BytesIO(png.content)) as image:
            image.verify()
    geojson = json.loads(client.get(url("inventory_geojson", season)).content)
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 4
    for feature in geojson["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and 3 < lon < 7 and 50 < lat < 52  # [lon, lat], Belgium
    assert sum(f["properties"]["evenements_independants"] for f in geojson["features"]) == 26
    report = client.get(url("inventory_report", season))
    assert report.status_code == 200 and b"Carte des sites" in report.content
    assert client.get(url("inventory_table", season, "inconnu", "csv")).status_code == 404
    assert client.get(url("inventory_table", season, "especes", "xls")).status_code == 404
    # publication files: the scientific lead only, and logged
    assert client.get(url("inventory_table", season, "occurrences_dwc", "csv")).status_code == 404
    assert client.get(url("inventory_zip", season)).status_code == 403


def test_scientist_downloads_the_whole_inventory_as_a_zip(client_as, season):
    client = client_as("responsable_scientifique")
    assert "inventaire.zip" in client.get(url("inventory", season)).content.decode()
    response = client.get(url("inventory_zip", season))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert {"inventaire.csv", "inventaire.ods", "especes.ods", "sites.geojson", "activite.svg", "activite.png",
            "carte.svg", "carte.png", "accumulation.png", "rapport.html", "occurrences_dwc.csv",
            "historiques_Anas_platyrhynchos.ods"} <= names
    dwc = client.get(url("inventory_table", season, "occurrences_dwc", "csv"))
    assert dwc.status_code == 200 and len(dwc.content.decode().strip().splitlines()) == 27
    assert AuditEvent.objects.filter(action="biodiversite.inventory_export").count() == 2


def test_declared_malfunctions_are_removed_from_the_effort(client_as, season):
    folder = data_dir() / "seasons" / str(season.pk) / "camtrapdp"
    before = inv_mod.build_inventory(folder)
    first = sorted(before.package.deployments)[0]
    d = before.package.deployments[first]
    broken = f"{d.start.isoformat()}/{(d.start + timedelta(days=1)).isoformat()}"
    declared = SimpleUploadedFile("d.csv", f"deploymentID,malfunctions\n{first},{broken}\n".encode(),
                                  content_type="text/csv")
    scientist = client_as("responsable_scientifique", username="chef")
    assert scientist.post(reverse("biodiversite:upload"), {"file": declared}).status_code == 302
    assert Deployment.objects.get(deployment_id=first).malfunctions == [broken.split("/")]
    page = text_of(client_as("naturaliste").get(url("inventory", season)).content.decode())
    assert f"{number(before.trap_nights() - 1, 1)} nuits-pièges" in page  # one day of malfunction removed


def test_api_gives_the_inventory_tables_with_the_same_role_checks(client_as, season, client, make_user):
    response = client_as("naturaliste").get(f"/api/biodiversite/saisons/{season.pk}/inventaire?intervalle=30")
    assert response.status_code == 200
    data = response.json()
    assert data["independent_events"] == 26 and data["taxa"] == 9 and round(data["trap_nights"], 1) == 73.4
    species = data["tables"]["especes"]  # the download's name, with the same columns as especes.csv
    assert species["columns"][0] == "espece" and species["rows"][0][:3] == ["Anas platyrhynchos", "mallard", 12]
    assert "occurrences_dwc" not in data["tables"] and data["sites_geojson"]["type"] == "FeatureCollection"
    bad = client_as("naturaliste", username="n2").get(f"/api/biodiversite/saisons/{season.pk}/inventaire?occasion=0")
    assert bad.status_code == 422 and "occasion" in bad.content.decode()  # invalid in the schema itself
    client.force_login(make_user("inspecteur", username="autre"))
    assert client.get(f"/api/biodiversite/saisons/{season.pk}/inventaire").status_code == 403


def test_other_roles_may_not_see_the_inventory(client_as, season):
    assert client_as("inspecteur").get(url("inventory", season)).status_code == 403


class _Context:
    def __init__(self):
        self.lines = []

    def progress(self, done, total=None, message=None):
        pass

    def log(self, message):
        self.lines.append(message)

    def part(self, start, size):
        return self


def test_demo_loader_gives_a_season_whose_inventory_shows_real_numbers(client_as, settings, tmp_path, shared_data,
                                                                        monkeypatch):
    from amorce.biodiversite.tasks import load_demo

    settings.AMORCE_DATA_DIR = tmp_path / "data"
    monkeypatch.setenv("AMORCE_SHARED_DATA", str(shared_data))
    ctx = _Context()
    first = load_demo(ctx)
    again = load_demo(ctx)  # idempotent: the demo seasons are replaced
    assert Season.objects.count() == 2 and first["inventory_season"] != again["inventory_season"]
    season = Season.objects.get(pk=again["inventory_season"])
    assert season.summary["independent_events"] == 26 and season.summary["taxa"] == 9
    client = client_as("naturaliste")
    assert reverse("biodiversite:inventory", args=[season.pk]) in client.get(
        reverse("biodiversite:season", args=[season.pk])).content.decode()
    page = text_of(client.get(reverse("biodiversite:inventory", args=[season.pk])).content.decode())
    assert "Événements indépendants : 26" in page and "Taxons : 9" in page
    # the motion-only demo season has no animal: its inventory says so instead of failing
    motion = Season.objects.exclude(pk=season.pk).get()
    empty = client.get(reverse("biodiversite:inventory", args=[motion.pk]))
    assert empty.status_code == 200 and "l'inventaire est vide" in text_of(empty.content.decode())


def test_a_long_table_is_cut_on_the_page_and_whole_in_the_download(client_as, season, monkeypatch):
    from amorce.biodiversite import inventory_service

    monkeypatch.setattr(inventory_service, "PAGE_ROWS", 5)
    client = client_as("naturaliste")
    page = text_of(client.get(url("inventory", season)).content.decode())
    rows = inv_mod.inventory_rows(inv_mod.build_inventory(data_dir() / "seasons" / str(season.pk) / "camtrapdp"))
    assert f"{len(rows) - 5} lignes de plus dans les fichiers à télécharger" in page
    download = client.get(url("inventory_table", season, "inventaire", "csv")).content.decode("utf-8-sig")
    assert len(download.strip().splitlines()) == len(rows) + 1
