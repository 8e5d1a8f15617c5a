"""The inventory of an analysed season for the web pages and the API (Django allowed, no HTTP).

The numbers come from :mod:`amorce.biodiversite.inventory` (the same functions as ``amorce
biodiversite inventaire``) run on the season's Camtrap DP package; this module only picks the
package, reads the settings and shapes the tables for the page. Malfunction periods declared with
the deployments (``malfunctions`` column of the CSV, kept on :class:`~.models.Deployment`) are
removed from the effort, as ``--deployments`` does on the command line.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from amorce.core import formats

from . import inventory as inv_mod
from .errors import BiodiversiteError

REFERENCES = {"derniere": "lastRecord", "independant": "lastIndependentRecord"}
CHARTS = {"activite": "Activité par heure", "accumulation": "Courbe d'accumulation", "carte": "Carte des sites"}
# Tables whose rows name media files or give occurrences for publication: the scientific lead's
# downloads, like the Camtrap DP package.
PUBLICATION_TABLES = ("record_table", "occurrences_dwc")
COLUMN_LABELS = {
    "espece": "Espèce", "nom_vernaculaire": "Nom vernaculaire", "site": "Site", "nom_du_site": "Nom du site",
    "periode": "Période", "evenements_independants": "Événements indépendants", "individus": "Individus",
    "nuits_piege": "Nuits-pièges", "iar_pour_100_nuits_piege": "IAR (pour 100 nuits-pièges)", "sites": "Sites",
    "occupation_naive": "Occupation naïve", "premiere": "Première détection", "derniere": "Dernière détection",
    "latitude": "Latitude", "longitude": "Longitude", "taxons": "Taxons", "deploiement": "Déploiement",
    "debut": "Début", "fin": "Fin", "jours": "Jours", "jours_de_panne": "Jours de panne retirés",
    "site_jours": "Site-jours", "especes_attendues": "Taxons attendus (raréfaction)",
    "nuits_piege_ordre_calendaire": "Nuits-pièges (ordre du calendrier)",
    "especes_ordre_calendaire": "Taxons (ordre du calendrier)", "jour_calendaire": "Jour",
}


@dataclass(frozen=True)
class Settings:
    """The inventory's parameters, as the page's form gives them (defaults: the command line's)."""

    interval: float = inv_mod.DEFAULT_INTERVAL_MIN
    reference: str = "derniere"
    period: str = "saison"
    occasion: int = inv_mod.DEFAULT_OCCASION_DAYS
    measure: str = "evenements"


def package_dir(season) -> Path:
    """The season's Camtrap DP package, written by the analysis job."""
    folder = Path(season.output_dir or "/nonexistent") / "camtrapdp"
    if not (folder / "datapackage.json").is_file():
        raise BiodiversiteError("Cette saison n'a pas encore de paquet Camtrap DP : attendez la fin de son analyse.")
    return folder


def declared_malfunctions() -> dict[str, tuple]:
    """The malfunction periods of the declared deployments, by deployment id (naive local times)."""
    from .models import Deployment

    out = {}
    for d in Deployment.objects.exclude(malfunctions=[]):
        out[d.deployment_id] = tuple((datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in d.malfunctions)
    return out


def build(season, settings: Settings = Settings()) -> inv_mod.Inventory:
    """The season's inventory with ``settings`` (French :class:`BiodiversiteError` on bad data)."""
    return inv_mod.build_inventory(package_dir(season), interval_min=settings.interval,
                                   occasion_days=settings.occasion, period=settings.period,
                                   compared_to=REFERENCES[settings.reference], malfunctions=declared_malfunctions())


# -------------------------------------------------------------------------------------------------
# Tables and charts for the page


def cell(value) -> str:
    """A cell as the page shows it: French numbers, « — » for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return formats.yes_no(value)
    if isinstance(value, int):
        return formats.number(value, 0)
    if isinstance(value, float):
        return formats.number(value, 2)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


PAGE_ROWS = 400  # rows of one table shown on the page; the downloads hold them all


def shown(table: inv_mod.Table, *, rows: list[list] | None = None) -> dict:
    """A table for the template: French column names, formatted cells (the first ``PAGE_ROWS``),
    its file name and how many rows the page leaves to the downloads."""
    rows = table.rows if rows is None else rows
    return {"name": table.name, "title": table.title,
            "header": [COLUMN_LABELS.get(h, h.replace("_", " ")) for h in table.header],
            "rows": [[cell(v) for v in row] for row in rows[:PAGE_ROWS]],
            "hidden": max(0, len(rows) - PAGE_ROWS), "publication": table.name in PUBLICATION_TABLES}


def tables(inv: inv_mod.Inventory) -> dict[str, inv_mod.Table]:
    """Every downloadable table of the inventory, by name."""
    return {t.name: t for t in inv_mod.site_tables(inv) + inv_mod.export_tables(inv)}


def chart(inv: inv_mod.Inventory, name: str, measure: str = "evenements") -> dict | None:
    if name not in CHARTS:
        raise KeyError(name)
    return inv_mod.charts(inv, measure=measure).get(name)


def chart_file(inv: inv_mod.Inventory, name: str, fmt: str, measure: str = "evenements") -> bytes | None:
    """A chart as an SVG file (its style sheet inside) or a PNG image, from the same arguments."""
    args = chart(inv, name, measure)
    if args is None:
        return None
    if fmt == "png":
        return inv_mod.chart_png(name, args)
    return inv_mod.standalone_svg(inv_mod.chart_svg(name, args)).encode("utf-8")


def series_table(args: dict, x_header: str) -> dict:
    """The numbers of a line chart as a table (one row per x, one column per series): the table
    next to the chart shows exactly what it draws."""
    xs = sorted({p[0] for s in args["series"] for p in s.points})
    values = {s.name: dict(s.points) for s in args["series"]}
    return {"title": args["title"], "header": [x_header, *values],
            "rows": [[args["x_fmt"](x), *(cell(values[n].get(x)) for n in values)] for x in xs]}


def page(inv: inv_mod.Inventory, settings: Settings) -> dict:
    """Everything the inventory page shows, computed once."""
    all_tables = tables(inv)
    found = inv_mod.charts(inv, measure=settings.measure)
    from amorce.core.charts import Svg

    svgs = {name: Svg(inv_mod.chart_svg(name, args)) for name, args in found.items()}  # built escaped
    curve = inv_mod.accumulation(inv)
    accumulation = all_tables["accumulation"]
    kept = {r["units"] for r in inv_mod.accumulation_points(curve)}
    histories = [(species, shown(all_tables[inv_mod.history_filename(species)[:-4]]))
                 for species in inv.species(determined=True)]
    return {
        "summary": [(k, v) for k, v in inv_mod._summary_lines(inv) if k != "Paquet"],
        "notes": inv_mod.notes(inv),
        "species": shown(all_tables["especes"]),
        "inventory": shown(all_tables["inventaire"]),
        "deployments": shown(all_tables["deploiements"]),
        "sites": shown(all_tables["sites"]),
        "occasions": shown(all_tables["effort_occasions"]),
        "activity_chart": svgs.get("activite"),
        "activity": series_table(found["activite"], "Heure locale") if "activite" in found else None,
        "accumulation_chart": svgs.get("accumulation"),
        "accumulation": shown(accumulation, rows=[r for r in accumulation.rows if r[0] in kept]),
        "map_chart": svgs.get("carte"),
        "histories": histories,
        "publication": [shown(all_tables[n]) for n in PUBLICATION_TABLES],
        "events": len(inv.counted), "taxa": len(inv.species(determined=True)), "trap_nights": inv.trap_nights(),
    }


def api_tables(inv: inv_mod.Inventory) -> dict:
    """The inventory as JSON: its settings, totals and the tables (raw numbers). Keys are English
    machine names; each table is keyed by the name of its download (``especes`` for especes.csv) and
    has the same columns as that file, with its French title."""
    return {"interval_minutes": inv.interval_min, "reference": inv.compared_to, "period": inv.period,
            "occasion_days": inv.occasion_days, "independent_events": len(inv.counted),
            "taxa": len(inv.species(determined=True)), "trap_nights": round(inv.trap_nights(), 3),
            "notes": inv_mod.notes(inv),
            "tables": {name: {"title": t.title, "columns": t.header, "rows": t.rows}
                       for name, t in tables(inv).items() if name not in PUBLICATION_TABLES},
            "sites_geojson": inv_mod.sites_geojson(inv)}


def archive(inv: inv_mod.Inventory, measure: str = "evenements") -> bytes:
    """The whole inventory as a zip: every table in CSV and ODS, the GeoJSON, every plot in SVG
    and PNG, the report (HTML and Markdown)."""
    files = inv_mod.render_outputs(inv, png=True, ods=True, measure=measure)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, content in files.items():
            handle.writestr(name, content)
    return buffer.getvalue()


def report(inv: inv_mod.Inventory, measure: str = "evenements") -> bytes:
    return inv_mod.render_outputs(inv, measure=measure)["rapport.html"]


# -------------------------------------------------------------------------------------------------
# Demo: the inventory of the Camtrap DP example package

DEMO_NAME = "Démonstration : inventaire du paquet Camtrap DP d'exemple (projet MICA, INBO, Belgique)"
PACKAGE_FILES = ("datapackage.json", "deployments.csv", "media.csv", "observations.csv")


def load_inventory_demo(ctx, shared: Path) -> int | None:
    """A demo season holding the real Camtrap DP example (4 deployments, observations validated by
    naturalists), so that the inventory pages show real numbers: the demo season of media is sorted
    by motion only and has no species. Idempotent; returns the season's id (None without the data)."""
    import shutil
    import tempfile

    from .models import Season, data_dir

    source = shared / "camtrap_dp_example"
    if not all((source / name).is_file() for name in PACKAGE_FILES):
        ctx.log(f"Paquet Camtrap DP d'exemple absent ({source}) : pas d'inventaire de démonstration.")
        return None
    Season.objects.filter(name=DEMO_NAME).delete()
    season = Season.objects.create(name=DEMO_NAME, source=str(source), detector="paquet Camtrap DP importé")
    out = data_dir() / "seasons" / str(season.pk)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "camtrapdp", ignore_errors=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".paquet-") as tmp:
        for name in PACKAGE_FILES:
            shutil.copy2(source / name, Path(tmp) / name)
        Path(tmp).rename(out / "camtrapdp")  # the package appears whole
        Path(tmp).mkdir()
    season.output_dir = str(out)
    inv = build(season)
    season.summary = {"media": sum(1 for _ in (source / "media.csv").open(encoding="utf-8")) - 1, "events": 0,
                      "types": {}, "independent_events": len(inv.counted), "taxa": len(inv.species(determined=True))}
    season.save(update_fields=["output_dir", "summary"])
    ctx.log(f"Inventaire de démonstration : {len(inv.counted)} événements indépendants, "
            f"{len(inv.species(determined=True))} taxons, {formats.number(inv.trap_nights(), 1)} nuits-pièges.")
    return season.pk
