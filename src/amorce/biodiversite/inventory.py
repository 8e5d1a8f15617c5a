"""Inventory of a camera-trap season from a Camtrap DP package: independent events, effort, indices, exports.

Pure (no Django at import time; only the SVG plots import :mod:`amorce.core.charts`, on first use).
Input: a Camtrap DP 1.0 package, the one ``amorce biodiversite analyse`` writes or any other
(``datapackage.json``, ``deployments.csv``, ``observations.csv``; ``media.csv`` for file names).

* **Detections**: the ``animal`` observations of each event, at one level per event (event-level
  observations when the event has any, else its media-level ones, reduced to the largest number of
  individuals on one media). Times are converted to each deployment's own clock (the offset of its
  ``deploymentStart``, or its ``timezone``): hours of activity are local hours.
* **Independent events** (:func:`independent_records`): two detections of the same taxon at the
  same site (``locationID``, else the deployment) closer than ``interval`` minutes count once. By
  default the interval is measured from the previous detection (camtrapR's
  ``deltaTimeComparedTo = "lastRecord"``: a chain of close detections is one event); or from the
  previous independent event (``"lastIndependentRecord"``).
* **Effort**: trap-nights are operating hours / 24 of each deployment, from ``deploymentStart`` to
  ``deploymentEnd`` minus its ``malfunctions`` periods (column of the deployments file, see
  :func:`amorce.biodiversite.ingest.read_deployments`), cut by local calendar day; cameras at the
  same site add up. Detections outside the operating time are kept in the record table and the
  occurrences, left out of every effort-based figure, and counted in the notes.
* **Figures**: relative abundance index (independent events per 100 trap-nights) per taxon × site ×
  period, activity by hour, species accumulation (expected number of taxa over ``k`` site-days
  drawn in random order, computed exactly — sample-based rarefaction, Gotelli & Colwell 2001 — and
  the curve in calendar order), detection histories (sites × occasions of N days: 1, 0, or NA when
  no camera of the site operated during the occasion).
* **Exports** (:func:`render_outputs`): every table (:func:`export_tables`, :func:`site_tables`) in
  CSV for spreadsheets (``;``, decimal comma, UTF-8 with BOM) and, on demand, ODS; a camtrapR record
  table and Darwin Core occurrences (``,``, decimal point, UTF-8 without BOM: read as they are by R
  and GBIF's IPT), every cell through :mod:`amorce.core.exports`; the sites as GeoJSON; three SVG
  plots (activity, accumulation, map of sites), each also as PNG on demand from the same chart
  arguments (:func:`charts`); a printable report (Markdown and HTML).
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path

from amorce.core.errors import ValidationReport
from amorce.core.exports import csv_bytes
from amorce.core.files import atomic_write, read_csv_rows
from amorce.core.formats import date_fr, number

from .errors import BiodiversiteError
from .ingest import Deployment, parse_datetime, read_deployments

DEFAULT_INTERVAL_MIN = 30.0
DEFAULT_OCCASION_DAYS = 7
PERIODS = ("saison", "annee", "mois")
COMPARED_TO = ("lastRecord", "lastIndependentRecord")
UNDETERMINED_LABEL = "animal non identifié"  # an animal observation without scientificName
OBSERVATION_TYPES = ("animal", "human", "vehicle", "blank", "unknown", "unclassified")
RECORD_TABLE_COLUMNS = ("Station", "Species", "DateTimeOriginal", "Date", "Time", "delta.time.secs",
                        "delta.time.mins", "delta.time.hours", "delta.time.days", "Directory", "FileName")
DWC_COLUMNS = ("occurrenceID", "basisOfRecord", "occurrenceStatus", "eventID", "eventDate", "scientificName",
               "vernacularName", "taxonID", "individualCount", "decimalLatitude", "decimalLongitude",
               "geodeticDatum", "coordinateUncertaintyInMeters", "locationID", "locality", "samplingProtocol",
               "identifiedBy", "identificationVerificationStatus")
INPN_TAXON = "https://inpn.mnhn.fr/espece/cd_nom/{}"  # TAXREF cd_nom as a resolvable taxonID


@dataclass(frozen=True)
class Site:
    key: str  # locationID, else deploymentID
    name: str
    latitude: float | None = None
    longitude: float | None = None
    uncertainty: float | int | None = None  # coordinateUncertainty, metres


@dataclass(frozen=True)
class Taxon:
    vernacular: str = ""
    taxon_id: str = ""


@dataclass
class Detection:
    """One taxon seen in one event (or media) of one deployment; times on the deployment's clock."""

    deployment_id: str
    site: str
    species: str  # scientificName; "" when the animal is not identified
    start: datetime
    end: datetime
    count: int | None
    observation_id: str
    event_id: str = ""
    media_id: str = ""
    classified_by: str = ""
    method: str = ""  # human | machine | ""


@dataclass
class Record:
    """An independent event: the first detection of a chain, with the detections merged into it."""

    first: Detection
    end: datetime
    count: int | None
    merged: int = 1
    delta_seconds: float = 0.0  # since the reference detection (0 for the first of its site and taxon)
    operating: bool = True

    @property
    def species(self) -> str:
        return self.first.species

    @property
    def site(self) -> str:
        return self.first.site

    @property
    def start(self) -> datetime:
        return self.first.start


@dataclass
class Package:
    folder: Path
    name: str
    deployments: dict[str, Deployment]
    sites: dict[str, Site]
    detections: list[Detection]
    taxa: dict[str, Taxon]
    media: dict[str, list[tuple[datetime, str, str, str]]]  # deployment -> sorted (time, mediaID, dir, file)
    ignored_types: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @cached_property
    def media_by_id(self) -> dict[str, tuple[str, str]]:
        return {m: (d, f) for items in self.media.values() for _, m, d, f in items}


def label(species: str) -> str:
    return species or UNDETERMINED_LABEL


# -------------------------------------------------------------------------------------------------
# Reading a package


def _zone(deployment: Deployment | None):
    return deployment.zone() if deployment is not None else None


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BiodiversiteError(f"{path} illisible ({type(exc).__name__}).") from exc
    except json.JSONDecodeError as exc:
        raise BiodiversiteError(f"{path} : JSON invalide, ligne {exc.lineno}, colonne {exc.colno} ({exc.msg}).") from exc
    if not isinstance(data, dict):
        raise BiodiversiteError(f"{path} : un objet JSON (descripteur de paquet Camtrap DP) est attendu.")
    return data


def _taxa(descriptor: dict, species_list) -> dict[str, Taxon]:
    """Vernacular names and taxon ids: the park's species list (French name, TAXREF cd_nom) first,
    then the package's ``taxonomic`` block (French, else English name; its taxonID)."""
    out: dict[str, Taxon] = {}
    for entry in descriptor.get("taxonomic") or []:
        if not isinstance(entry, dict) or not entry.get("scientificName"):
            continue
        names = entry.get("vernacularNames") or {}
        names = names if isinstance(names, dict) else {}
        vernacular = names.get("fra") or names.get("fr") or names.get("eng") or next(iter(names.values()), "")
        out[entry["scientificName"]] = Taxon(str(vernacular), str(entry.get("taxonID") or ""))
    if species_list is not None:
        for taxon in species_list.taxa.values():
            for key in {taxon.nom_scientifique, taxon.label} - {""}:
                known = out.get(key, Taxon())
                out[key] = Taxon(taxon.nom_francais or known.vernacular,
                                 INPN_TAXON.format(taxon.cd_nom) if taxon.cd_nom else known.taxon_id)
    return out


def _sites(folder: Path, deployments: dict[str, Deployment]) -> dict[str, Site]:
    uncertainty: dict[str, float | int] = {}
    for row in read_csv_rows(folder / "deployments.csv", required=("deploymentID",)):
        try:
            value = float(row.get("coordinateUncertainty") or "")
            uncertainty[row["deploymentID"]] = int(value) if value.is_integer() else value
        except ValueError:
            continue
    sites: dict[str, Site] = {}
    for d in sorted(deployments.values(), key=lambda d: d.deployment_id):
        key = d.location_id or d.deployment_id
        known = sites.get(key)
        if known is None or (known.latitude is None and d.latitude is not None):
            sites[key] = Site(key, d.location_name or key, d.latitude, d.longitude, uncertainty.get(d.deployment_id))
    return sites


def _read_media(folder: Path, deployments: dict[str, Deployment]) -> dict[str, list[tuple[datetime, str, str, str]]]:
    path = folder / "media.csv"
    if not path.exists():
        return {}
    report = ValidationReport(file="media.csv")
    out: dict[str, list] = defaultdict(list)
    for row in read_csv_rows(path, required=("mediaID", "deploymentID", "timestamp", "filePath")):
        when = parse_datetime(row["timestamp"], report, row["__line__"], "timestamp",
                              _zone(deployments.get(row["deploymentID"])), required=True)
        if when is None:
            continue
        file_path = row["filePath"].replace("\\", "/")
        directory, _, name = file_path.rpartition("/")
        out[row["deploymentID"]].append((when, row["mediaID"], directory, row.get("fileName") or name))
    report.raise_if_any("Le fichier media.csv du paquet est invalide")
    for items in out.values():
        items.sort()
    return dict(out)


def read_package(folder: str | Path, *, deployments_file: str | Path | None = None,
                 species_list=None) -> Package:
    """The animal detections of a Camtrap DP package, with its deployments and sites.

    ``deployments_file`` (a deployments CSV, see :func:`read_deployments`) gives the ``malfunctions``
    of the package's deployments when the package does not carry them; ``species_list`` (a
    :class:`amorce.biodiversite.classifier.SpeciesList`) gives French names and TAXREF ids.
    Every problem of a file is reported at once, with its line, in French."""
    folder = Path(folder)
    if not folder.is_dir() or not (folder / "datapackage.json").exists():
        raise BiodiversiteError(f"{folder} n'est pas un paquet Camtrap DP (dossier avec datapackage.json attendu).")
    for name in ("deployments.csv", "observations.csv"):
        if not (folder / name).exists():
            raise BiodiversiteError(f"Paquet Camtrap DP incomplet : {folder / name} est absent.")
    descriptor = _read_json(folder / "datapackage.json")
    deployments = read_deployments(folder / "deployments.csv")
    notes: list[str] = []
    missing = [d for d in sorted(deployments) if deployments[d].start is None or deployments[d].end is None]
    if missing:
        raise BiodiversiteError("deployments.csv : deploymentStart et deploymentEnd sont obligatoires pour "
                                f"calculer l'effort ; absents pour {', '.join(missing[:10])}.")
    if deployments_file is not None:
        given = read_deployments(deployments_file)
        unknown = sorted(set(given) - set(deployments))
        for key in set(given) & set(deployments):
            if given[key].malfunctions:
                deployments[key] = replace(deployments[key], malfunctions=given[key].malfunctions)
        if unknown:
            notes.append(f"{len(unknown)} déploiement(s) de {Path(deployments_file).name} absent(s) du paquet, "
                         f"ignoré(s) : {', '.join(unknown[:10])}.")
    sites = _sites(folder, deployments)
    detections, ignored = _read_observations(folder / "observations.csv", deployments)
    return Package(folder, str(descriptor.get("id") or descriptor.get("name") or folder.name), deployments, sites,
                   detections, _taxa(descriptor, species_list), _read_media(folder, deployments), ignored, notes)


def _count(value: str, report: ValidationReport, line: int) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        report.add("nombre d'individus invalide", line=line, column="count", value=value,
                   expected="un entier positif ou une case vide")
        return None
    return int(value)


def _read_observations(path: Path, deployments: dict[str, Deployment]) -> tuple[list[Detection], Counter]:
    report = ValidationReport(file="observations.csv")
    rows = read_csv_rows(path, required=("observationID", "deploymentID", "eventStart", "observationType"))
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    ignored: Counter = Counter()
    for row in rows:
        line = row["__line__"]
        deployment = deployments.get(row["deploymentID"])
        if deployment is None:
            report.add("déploiement inconnu (absent de deployments.csv)", line=line, column="deploymentID",
                       value=row["deploymentID"])
            continue
        kind = row["observationType"]
        if kind not in OBSERVATION_TYPES:
            report.add("type d'observation inconnu", line=line, column="observationType", value=kind,
                       expected=", ".join(OBSERVATION_TYPES))
            continue
        level = row.get("observationLevel") or "event"
        if level not in ("event", "media"):
            report.add("niveau d'observation inconnu", line=line, column="observationLevel", value=level,
                       expected="event ou media")
            continue
        start = parse_datetime(row["eventStart"], report, line, "eventStart", _zone(deployment), required=True)
        end = parse_datetime(row["eventEnd"], report, line, "eventEnd", _zone(deployment)) if row.get("eventEnd") else start
        count = _count(row.get("count", ""), report, line)
        if start is None or end is None:
            continue
        if end < start:
            report.add("la fin de l'événement précède son début", line=line, column="eventEnd", value=row["eventEnd"])
            continue
        row.update(__start=start, __end=end, __count=count, __level=level)
        key = row.get("eventID") or f"observation:{row['observationID']}"
        groups[(row["deploymentID"], key)].append(row)
    report.raise_if_any("Le fichier observations.csv du paquet est invalide")
    detections = []
    for (deployment_id, key), members in groups.items():
        level = "event" if any(r["__level"] == "event" for r in members) else "media"
        chosen = [r for r in members if r["__level"] == level]
        for r in chosen:
            if r["observationType"] != "animal":
                ignored[r["observationType"]] += 1
        deployment = deployments[deployment_id]
        by_species: dict[str, list[dict]] = defaultdict(list)
        for r in chosen:
            if r["observationType"] == "animal":
                by_species[r.get("scientificName", "")].append(r)
        for species, found in sorted(by_species.items()):
            if level == "event":  # several rows of one event: different individuals (sex, age)
                counts = [r["__count"] for r in found if r["__count"] is not None]
                count = sum(counts) if counts else None
            else:  # media level: the most individuals on one media (MaxN)
                per_media: dict[str, int] = defaultdict(int)
                for r in found:
                    if r["__count"] is not None:
                        per_media[r.get("mediaID", "")] += r["__count"]
                count = max(per_media.values()) if per_media else None
            first = min(found, key=lambda r: (r["__start"], r["observationID"]))
            methods = {r.get("classificationMethod", "") for r in found}
            detections.append(Detection(
                deployment_id, deployment.location_id or deployment_id, species,
                first["__start"], max(r["__end"] for r in found), count, first["observationID"],
                event_id=first.get("eventID", "") if not key.startswith("observation:") else "",
                media_id=first.get("mediaID", "") if level == "media" else "",
                classified_by=" | ".join(sorted({r.get("classifiedBy", "") for r in found} - {""})),
                method="human" if "human" in methods else "machine" if "machine" in methods else ""))
    detections.sort(key=lambda d: (d.site, d.species, d.start, d.observation_id))
    return detections, ignored


# -------------------------------------------------------------------------------------------------
# Independent events and camera operation


def independent_records(detections: list[Detection], interval_min: float = DEFAULT_INTERVAL_MIN,
                        compared_to: str = "lastRecord") -> list[Record]:
    """Detections of the same taxon at the same site closer than ``interval_min`` minutes merged into
    one independent event (see the module's docstring for ``compared_to``)."""
    if interval_min < 0:
        raise BiodiversiteError("L'intervalle d'indépendance doit être un nombre de minutes positif ou nul.")
    if compared_to not in COMPARED_TO:
        raise BiodiversiteError(f"Référence d'indépendance inconnue : {compared_to} (attendu : {', '.join(COMPARED_TO)}).")
    limit = interval_min * 60.0
    groups: dict[tuple[str, str], list[Detection]] = defaultdict(list)
    for d in detections:
        groups[(d.site, d.species)].append(d)
    records: list[Record] = []
    for key in sorted(groups):
        current: Record | None = None
        last_end: datetime | None = None
        for d in sorted(groups[key], key=lambda d: (d.start, d.observation_id)):
            if current is None:
                current = Record(d, d.end, d.count)
                records.append(current)
            else:
                reference = last_end if compared_to == "lastRecord" else current.start
                gap = (d.start - reference).total_seconds()
                if gap < limit:
                    current.end = max(current.end, d.end)
                    current.count = max(filter(lambda c: c is not None, (current.count, d.count)), default=None)
                    current.merged += 1
                else:
                    current = Record(d, d.end, d.count, delta_seconds=gap)
                    records.append(current)
            last_end = d.end if last_end is None else max(last_end, d.end)
    return records


def operating_periods(deployment: Deployment) -> list[tuple[datetime, datetime]]:
    """The deployment's operating time: start to end minus its malfunction periods."""
    periods = [(deployment.start, deployment.end)] if deployment.start and deployment.end else []
    for begin, finish in sorted(deployment.malfunctions):
        cut = []
        for a, b in periods:
            if finish <= a or begin >= b:
                cut.append((a, b))
                continue
            if begin > a:
                cut.append((a, begin))
            if finish < b:
                cut.append((finish, b))
        periods = cut
    return [(a, b) for a, b in periods if b > a]


def daily_effort(deployments: dict[str, Deployment]) -> dict[tuple[str, date], float]:
    """Trap-nights (operating hours / 24) per site and local calendar day; cameras of a site add up."""
    effort: dict[tuple[str, date], float] = defaultdict(float)
    for d in deployments.values():
        site = d.location_id or d.deployment_id
        for a, b in operating_periods(d):
            day = a.date()
            while datetime.combine(day, datetime.min.time()) < b:
                lo = max(a, datetime.combine(day, datetime.min.time()))
                hi = min(b, datetime.combine(day + timedelta(days=1), datetime.min.time()))
                effort[(site, day)] += (hi - lo).total_seconds() / 86400.0
                day += timedelta(days=1)
    return dict(effort)


def _operating(record: Record, periods: dict[str, list[tuple[datetime, datetime]]]) -> bool:
    return any(a <= record.start <= b for a, b in periods.get(record.first.deployment_id, []))


# -------------------------------------------------------------------------------------------------
# The inventory


@dataclass
class Inventory:
    package: Package
    records: list[Record]  # every independent event (``operating`` tells whether effort covers it)
    effort: dict[tuple[str, date], float]
    interval_min: float
    compared_to: str
    period: str
    occasion_days: int
    _span: tuple[date, date] | None = field(default=None, repr=False)

    @cached_property
    def counted(self) -> list[Record]:
        """The independent events inside the operating time: the base of every effort-based figure."""
        return [r for r in self.records if r.operating]

    @cached_property
    def by_species(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = defaultdict(list)
        for r in self.counted:
            out[r.first.species].append(r)
        return dict(out)

    def species(self, *, determined: bool = False) -> list[str]:
        return sorted(s for s in self.by_species if s or not determined)

    def trap_nights(self) -> float:
        return sum(self.effort.values())

    def survey_days(self) -> tuple[date, date]:
        """The first and last day with effort or an independent event."""
        if self._span is None:
            days = [d for (_, d) in self.effort] + [r.start.date() for r in self.records]
            if not days:
                raise BiodiversiteError("Le paquet ne contient aucun déploiement en fonctionnement.")
            self._span = (min(days), max(days))
        return self._span

    def period_of(self, day: date) -> str:
        if self.period == "mois":
            return f"{day:%Y-%m}"
        if self.period == "annee":
            return f"{day:%Y}"
        first, last = self.survey_days()
        return f"{first.isoformat()}/{last.isoformat()}"


def build_inventory(folder: str | Path, *, interval_min: float = DEFAULT_INTERVAL_MIN,
                    occasion_days: int = DEFAULT_OCCASION_DAYS, period: str = "saison",
                    compared_to: str = "lastRecord", deployments_file: str | Path | None = None,
                    species_list=None, malfunctions: dict[str, tuple] | None = None) -> Inventory:
    """Read a Camtrap DP package and compute its independent events and camera operation.

    ``malfunctions`` (deployment id -> ``(start, end)`` periods on the deployment's clock) replaces
    the malfunctions of the deployments it names, as ``deployments_file`` does (the web pages give
    those declared with the deployments)."""
    if period not in PERIODS:
        raise BiodiversiteError(f"Période inconnue : {period} (attendu : {', '.join(PERIODS)}).")
    if occasion_days < 1:
        raise BiodiversiteError("La durée d'une occasion doit être d'au moins un jour.")
    package = read_package(folder, deployments_file=deployments_file, species_list=species_list)
    for key, periods in (malfunctions or {}).items():
        if key in package.deployments and periods:
            package.deployments[key] = replace(package.deployments[key], malfunctions=tuple(periods))
    records = independent_records(package.detections, interval_min, compared_to)
    periods = {k: operating_periods(d) for k, d in package.deployments.items()}
    for record in records:
        record.operating = _operating(record, periods)
    return Inventory(package, records, daily_effort(package.deployments), interval_min, compared_to, period,
                     occasion_days)


def inventory_rows(inv: Inventory) -> list[dict]:
    """Taxon × site × period: independent events, individuals, trap-nights, events per 100 trap-nights.
    Every taxon found has a row for every site and period with effort (zeros included)."""
    effort: dict[tuple[str, str], float] = defaultdict(float)
    for (site, day), value in inv.effort.items():
        effort[(site, inv.period_of(day))] += value
    events: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for r in inv.counted:
        events[(r.species, r.site, inv.period_of(r.start.date()))].append(r)
    cells = set(effort) | {(site, per) for (_, site, per) in events}
    rows = []
    for species in inv.species():
        for site, per in sorted(cells):
            found = events.get((species, site, per), [])
            nights = effort.get((site, per), 0.0)
            counts = [r.count for r in found if r.count is not None]
            rows.append({"species": species, "site": site, "period": per, "events": len(found),
                         "individuals": sum(counts) if counts else None, "trap_nights": nights,
                         "rai": 100.0 * len(found) / nights if nights > 0 else None})
    return rows


def species_summary(inv: Inventory) -> list[dict]:
    """Per taxon, all sites and periods: events, sites with a detection, naive occupancy, RAI."""
    nights = inv.trap_nights()
    sites_with_effort = {site for (site, _), v in inv.effort.items() if v > 0}
    rows = []
    for species, found in inv.by_species.items():
        sites = {r.site for r in found}
        rows.append({"species": species, "events": len(found), "sites": len(sites),
                     "occupancy": len(sites) / len(sites_with_effort) if sites_with_effort else None,
                     "rai": 100.0 * len(found) / nights if nights > 0 else None,
                     "first": min(r.start for r in found), "last": max(r.start for r in found)})
    return sorted(rows, key=lambda r: (-r["events"], r["species"]))


def activity(inv: Inventory) -> dict[str, list[int]]:
    """Independent events per taxon and local hour of the day (0 to 23)."""
    out: dict[str, list[int]] = {s: [0] * 24 for s in inv.species()}
    for r in inv.counted:
        out[r.species][r.start.hour] += 1
    return out


def accumulation(inv: Inventory) -> list[dict]:
    """Taxa found against effort, over site-days (one site on one day: its trap-nights, its taxa).

    ``expected``: the mean number of taxa over ``k`` site-days drawn in every random order, exact
    (sample-based rarefaction: sum over taxa of 1 - C(N - n_i, k) / C(N, k), n_i the site-days that
    saw taxon i); ``trap_nights`` = k × the mean effort of a site-day. ``calendar_*``: the first k
    site-days in calendar order. Unidentified animals are not a taxon: left out."""
    units: dict[tuple[str, date], set[str]] = {key: set() for key, v in inv.effort.items() if v > 0}
    for r in inv.counted:
        if r.species:
            units.setdefault((r.site, r.start.date()), set()).add(r.species)
    n = len(units)
    if n == 0:
        return []
    incidence = Counter(s for found in units.values() for s in found)
    mean_effort = sum(inv.effort.get(k, 0.0) for k in units) / n
    ratios = {s: 1.0 for s in incidence}  # C(N - n_i, k) / C(N, k), updated for each k
    ordered = sorted(units, key=lambda k: (k[1], k[0]))
    seen: set[str] = set()
    calendar_effort = 0.0
    rows = []
    for k in range(1, n + 1):
        for s, n_i in incidence.items():
            ratios[s] *= max(0.0, (n - n_i - (k - 1)) / (n - (k - 1)))
        seen |= units[ordered[k - 1]]
        calendar_effort += inv.effort.get(ordered[k - 1], 0.0)
        rows.append({"units": k, "trap_nights": k * mean_effort,
                     "expected": sum(1.0 - r for r in ratios.values()),
                     "calendar_trap_nights": calendar_effort, "calendar_species": len(seen),
                     "calendar_day": ordered[k - 1][1]})
    return rows


def occasions(inv: Inventory) -> list[date]:
    first, last = inv.survey_days()
    count = (last - first).days // inv.occasion_days + 1
    return [first + timedelta(days=i * inv.occasion_days) for i in range(count)]


def occasion_effort(inv: Inventory) -> tuple[list[str], list[date], list[list[float]]]:
    """Trap-nights per site (rows) and occasion of ``occasion_days`` days from the survey's first day."""
    starts = occasions(inv)
    sites = sorted(inv.package.sites)
    matrix = [[0.0] * len(starts) for _ in sites]
    index = {s: i for i, s in enumerate(sites)}
    for (site, day), value in inv.effort.items():
        matrix[index[site]][(day - starts[0]).days // inv.occasion_days] += value
    return sites, starts, matrix


def detection_history(inv: Inventory, species: str) -> tuple[list[str], list[date], list[list[int | None]]]:
    """Sites × occasions for one taxon: 1 detected, 0 not detected, None (NA) no camera operating."""
    sites, starts, effort = occasion_effort(inv)
    index = {s: i for i, s in enumerate(sites)}
    matrix: list[list[int | None]] = [[0 if e > 0 else None for e in row] for row in effort]
    for r in inv.by_species.get(species, []):
        matrix[index[r.site]][(r.start.date() - starts[0]).days // inv.occasion_days] = 1
    return sites, starts, matrix


def _first_media(inv: Inventory, record: Record) -> tuple[str, str]:
    """Directory and file name of the record's first media (its own media, else the deployment's
    first media taken during the event)."""
    items = inv.package.media.get(record.first.deployment_id, [])
    if record.first.media_id:
        found = inv.package.media_by_id.get(record.first.media_id)
        if found:
            return found
    index = bisect.bisect_left(items, (record.start,))
    if index < len(items) and items[index][0] <= record.end:
        return items[index][2], items[index][3]
    return "", ""


def record_table(inv: Inventory) -> list[list]:
    """camtrapR's ``recordTable`` columns, one row per independent event (all of them)."""
    rows = []
    for r in sorted(inv.records, key=lambda r: (r.site, label(r.species), r.start)):
        directory, name = _first_media(inv, r)
        secs = round(r.delta_seconds)
        rows.append([inv.package.sites[r.site].name, label(r.species), r.start.strftime("%Y-%m-%d %H:%M:%S"),
                     r.start.strftime("%Y-%m-%d"), r.start.strftime("%H:%M:%S"), secs, round(secs / 60, 1),
                     round(secs / 3600, 1), round(secs / 86400, 1), directory, name])
    return rows


def dwc_occurrences(inv: Inventory) -> list[list]:
    """Darwin Core occurrences (GBIF, SINP): one per independent event of an identified taxon."""
    rows = []
    zone_of = {k: d.zone() for k, d in inv.package.deployments.items()}
    for r in sorted(inv.records, key=lambda r: (r.start, r.site, r.species)):
        if not r.species:
            continue
        site = inv.package.sites[r.site]
        taxon = inv.package.taxa.get(r.species, Taxon())
        zone = zone_of[r.first.deployment_id]
        start = r.start.replace(tzinfo=zone).isoformat(timespec="seconds")
        end = r.end.replace(tzinfo=zone).isoformat(timespec="seconds")
        rows.append([f"{inv.package.name}:{r.first.observation_id}", "MachineObservation", "present",
                     r.first.event_id or r.first.observation_id, start if start == end else f"{start}/{end}",
                     r.species, taxon.vernacular, taxon.taxon_id, r.count, site.latitude, site.longitude,
                     "WGS84", site.uncertainty, site.key, site.name, "camera trap", r.first.classified_by,
                     "verified" if r.first.method == "human" else "unverified"])
    return rows


def notes(inv: Inventory) -> list[str]:
    out = list(inv.package.notes)
    if not inv.counted:
        out.append("Aucun événement d'animal pendant le temps de fonctionnement des appareils : l'inventaire est vide "
                   "(observations « animal » attendues dans observations.csv).")
    outside = [r for r in inv.records if not r.operating]
    if outside:
        out.append(f"{len(outside)} événement(s) indépendant(s) hors du temps de fonctionnement (panne ou hors "
                   "déploiement) : gardés dans la table camtrapR et les occurrences, écartés des indices.")
    undetermined = sum(1 for r in inv.counted if not r.species)
    if undetermined:
        out.append(f"{undetermined} événement(s) d'animal non identifié (sans scientificName) : comptés dans "
                   "l'inventaire et l'activité, pas dans la courbe d'accumulation, les historiques ni Darwin Core.")
    no_coordinates = sorted(s.key for s in inv.package.sites.values() if s.latitude is None or s.longitude is None)
    if no_coordinates:
        out.append(f"Sites sans coordonnées ({', '.join(no_coordinates[:10])}) : occurrences Darwin Core sans "
                   "decimalLatitude ni decimalLongitude, refusées par GBIF.")
    if inv.package.ignored_types:
        out.append("Observations non animales ignorées : " + ", ".join(
            f"{k} {v}" for k, v in sorted(inv.package.ignored_types.items())) + ".")
    return out


# -------------------------------------------------------------------------------------------------
# Exports


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_") or "taxon"


def history_filename(species: str) -> str:
    return f"historiques_{_slug(species)}.csv"


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Table:
    """One exported table: its file name without extension, its title, header and rows (numbers as
    numbers). ``machine`` tables (camtrapR, Darwin Core) are written for R and GBIF: ``,`` and a
    decimal point, no BOM; the others for spreadsheets (``;``, decimal comma, BOM)."""

    name: str
    title: str
    header: list[str]
    rows: list[list]
    machine: bool = False

    def csv(self) -> bytes:
        if self.machine:
            return csv_bytes(self.header, self.rows, delimiter=",", decimal_comma=False, bom=False)
        return csv_bytes(self.header, self.rows)

    def ods(self) -> bytes:
        from amorce.core.exports import ods_bytes

        return ods_bytes(re.sub(r"[\\/?*\[\]:']", " ", self.title)[:31].strip() or "tableau", self.header, self.rows)


def export_tables(inv: Inventory) -> list[Table]:
    """Every table of the inventory, in the order of the report (the same rows for the CSV and ODS
    files, the command line and the web pages)."""
    taxa = inv.package.taxa
    sites = inv.package.sites
    tables = [Table(
        "inventaire", "Inventaire espèce × site × période",
        ["espece", "nom_vernaculaire", "site", "nom_du_site", "periode", "evenements_independants", "individus",
         "nuits_piege", "iar_pour_100_nuits_piege"],
        [[label(r["species"]), taxa.get(r["species"], Taxon()).vernacular, r["site"], sites[r["site"]].name,
          r["period"], r["events"], r["individuals"], _round(r["trap_nights"]), _round(r["rai"])]
         for r in inventory_rows(inv)])]
    hours = activity(inv)
    total = [sum(v[h] for v in hours.values()) for h in range(24)]
    tables.append(Table(
        "activite", "Activité par heure",
        ["espece", "nom_vernaculaire", *(f"{h}h" for h in range(24)), "total"],
        [[label(s), taxa.get(s, Taxon()).vernacular, *v, sum(v)] for s, v in hours.items()]
        + [["toutes espèces", "", *total, sum(total)]]))
    tables.append(Table(
        "accumulation", "Courbe d'accumulation",
        ["site_jours", "nuits_piege", "especes_attendues", "nuits_piege_ordre_calendaire",
         "especes_ordre_calendaire", "jour_calendaire"],
        [[r["units"], _round(r["trap_nights"]), _round(r["expected"], 3), _round(r["calendar_trap_nights"]),
          r["calendar_species"], r["calendar_day"].isoformat()] for r in accumulation(inv)]))
    site_keys, starts, effort = occasion_effort(inv)
    header = ["site", *(f"o{i + 1}" for i in range(len(starts)))]
    tables.append(Table("effort_occasions", "Nuits-pièges par occasion", header,
                        [[s, *(_round(v) for v in row)] for s, row in zip(site_keys, effort, strict=True)]))
    for species in inv.species(determined=True):
        _, _, matrix = detection_history(inv, species)
        tables.append(Table(
            history_filename(species)[:-4], f"Historique {species}", header,
            [[s, *("NA" if v is None else v for v in row)] for s, row in zip(site_keys, matrix, strict=True)]))
    tables.append(Table("record_table", "Table camtrapR", list(RECORD_TABLE_COLUMNS), record_table(inv), machine=True))
    tables.append(Table("occurrences_dwc", "Occurrences Darwin Core", list(DWC_COLUMNS), dwc_occurrences(inv),
                        machine=True))
    return tables


def charts(inv: Inventory, *, measure: str = "evenements") -> dict[str, dict]:
    """The arguments of each plot (see :func:`activity_chart`, :func:`accumulation_chart`,
    :func:`site_map_chart`) by file stem; a plot without data is left out."""
    found = {"activite": activity_chart(inv), "accumulation": accumulation_chart(accumulation(inv)),
             "carte": site_map_chart(inv, measure)}
    return {k: v for k, v in found.items() if v}


def chart_svg(name: str, args: dict) -> str:
    from amorce.core.charts import line_chart, point_map

    return str(point_map(**args) if name == "carte" else line_chart(**args))


def chart_png(name: str, args: dict) -> bytes:
    from amorce.core.charts_png import line_chart_png, point_map_png

    return point_map_png(**args) if name == "carte" else line_chart_png(**args)


def render_outputs(inv: Inventory, *, plots: bool = True, png: bool = False, ods: bool = False,
                   measure: str = "evenements") -> dict[str, bytes]:
    """Every output file of the inventory, by name, as bytes (computed before anything is written):
    the CSV tables (and their ODS twins with ``ods``), the sites' GeoJSON, the SVG plots (and PNG
    twins with ``png``, drawn from the same arguments) and the report."""
    tables = export_tables(inv) + site_tables(inv)
    files: dict[str, bytes] = {f"{t.name}.csv": t.csv() for t in tables}
    if ods:
        files.update({f"{t.name}.ods": t.ods() for t in tables})
    files["sites.geojson"] = (json.dumps(sites_geojson(inv), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    svgs: dict[str, str] = {}
    if plots:
        for name, args in charts(inv, measure=measure).items():
            svgs[f"{name}.svg"] = chart_svg(name, args)
            files[f"{name}.svg"] = standalone_svg(svgs[f"{name}.svg"]).encode("utf-8")
            if png:
                files[f"{name}.png"] = chart_png(name, args)
    files["rapport.md"] = report_markdown(inv, svgs).encode("utf-8")
    files["rapport.html"] = report_html(inv, svgs).encode("utf-8")
    return files


def write_outputs(files: dict[str, bytes], out: str | Path) -> list[Path]:
    """Each file written under a temporary name, then renamed: never a half-written file."""
    written = []
    for name, content in files.items():
        with atomic_write(Path(out) / name, "wb") as handle:
            handle.write(content)
        written.append(Path(out) / name)
    return written


# -------------------------------------------------------------------------------------------------
# Plots (vector SVG through amorce.core.charts) and the printable report


def _hour(value: float) -> str:
    return f"{int(value)} h"


def activity_chart(inv: Inventory, hours: dict[str, list[int]] | None = None) -> dict | None:
    """The arguments of :func:`amorce.core.charts.line_chart` (and of its PNG twin) for the activity
    plot: independent events per local hour, the five taxa with most events and all taxa together."""
    from amorce.core import formats
    from amorce.core.charts import Series

    hours = hours if hours is not None else activity(inv)
    if not hours:
        return None
    top = sorted(hours, key=lambda s: (-sum(hours[s]), s))[:5]
    series = [Series(label(s), [(h, hours[s][h]) for h in range(24)]) for s in top]
    if len(hours) > 1:
        series.append(Series("toutes espèces", [(h, sum(v[h] for v in hours.values())) for h in range(24)],
                             strong=True))
    return {"series": series, "title": "Activité par heure de la journée",
            "desc": "Nombre d'événements indépendants selon l'heure locale de l'appareil, par espèce.",
            "x_label": "heure locale", "y_label": "événements indépendants", "x_fmt": _hour,
            "y_fmt": lambda v: formats.number(v, 0), "x_domain": (0, 23),
            "x_ticks": [(h, _hour(h)) for h in range(0, 24, 3)]}


def activity_svg(inv: Inventory, hours: dict[str, list[int]] | None = None) -> str:
    """Independent events per local hour: the five taxa with most events, and all taxa together."""
    from amorce.core.charts import line_chart

    args = activity_chart(inv, hours)
    return str(line_chart(**args)) if args else ""


def accumulation_points(curve: list[dict]) -> list[dict]:
    """The rows of the curve the plot draws: at most about 60, the last one always."""
    step = max(1, len(curve) // 60)
    return curve[::step] + ([curve[-1]] if (len(curve) - 1) % step else [])


def accumulation_chart(curve: list[dict]) -> dict | None:
    """The arguments of :func:`amorce.core.charts.line_chart` (and of its PNG twin) for the species
    accumulation curve (rarefaction and calendar order against trap-nights)."""
    from amorce.core import formats
    from amorce.core.charts import Series

    if not curve or curve[-1]["expected"] <= 0:
        return None
    points = accumulation_points(curve)
    series = [Series("moyenne des ordres aléatoires (raréfaction)",
                     [(0, 0.0)] + [(r["trap_nights"], r["expected"]) for r in points], strong=True),
              Series("ordre du calendrier", [(0, 0)] + [(r["calendar_trap_nights"], r["calendar_species"])
                                                        for r in points])]
    return {"series": series, "title": "Courbe d'accumulation des espèces",
            "desc": "Nombre de taxons trouvés selon l'effort d'échantillonnage en nuits-pièges.",
            "x_label": "nuits-pièges", "y_label": "taxons", "x_fmt": lambda v: formats.number(v, 0),
            "y_fmt": lambda v: formats.number(v, 0)}


def accumulation_svg(curve: list[dict]) -> str:
    from amorce.core.charts import line_chart

    args = accumulation_chart(curve)
    return str(line_chart(**args)) if args else ""


def _charts_css() -> str:
    from amorce.core.charts import stylesheet

    return stylesheet()


def standalone_svg(svg: str) -> str:
    """An SVG of :mod:`amorce.core.charts` as a file: the chart's style sheet put inside it."""
    head, sep, rest = svg.partition(">")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}{sep}<style>{_charts_css()}</style>{rest}\n'


def _summary_lines(inv: Inventory) -> list[tuple[str, str]]:
    first, last = inv.survey_days()
    reference = ("depuis la détection précédente" if inv.compared_to == "lastRecord"
                 else "depuis l'événement indépendant précédent")
    return [("Paquet", inv.package.folder.name), ("Période couverte", f"du {date_fr(first)} au {date_fr(last)}"),
            ("Sites", str(len(inv.package.sites))), ("Déploiements", str(len(inv.package.deployments))),
            ("Effort", f"{number(inv.trap_nights(), 1)} nuits-pièges (pannes retirées)"),
            ("Événements indépendants", f"{len(inv.counted)} (règle des {number(inv.interval_min, 0)} min, {reference})"),
            ("Taxons", str(len(inv.species(determined=True)))),
            ("Occasions (historiques de détection)", f"{len(occasions(inv))} de {inv.occasion_days} jour(s)")]


def _tables(inv: Inventory) -> list[tuple[str, list[str], list[list[str]]]]:
    taxa = inv.package.taxa
    species = [[label(r["species"]), taxa.get(r["species"], Taxon()).vernacular, str(r["events"]), str(r["sites"]),
                number(r["occupancy"] * 100 if r["occupancy"] is not None else None, 0) + " %", number(r["rai"], 2),
                r["first"].date().isoformat(), r["last"].date().isoformat()] for r in species_summary(inv)]
    by_site: dict[str, float] = defaultdict(float)
    for (site, _), value in inv.effort.items():
        by_site[site] += value
    events_by_site = Counter(r.site for r in inv.counted)
    sites = [[s.key, s.name, number(s.latitude, 4), number(s.longitude, 4), number(by_site.get(s.key, 0.0), 1),
              str(events_by_site.get(s.key, 0))] for s in sorted(inv.package.sites.values(), key=lambda s: s.key)]
    starts = occasions(inv)
    occasion_rows = [[f"o{i + 1}", d.isoformat(), (d + timedelta(days=inv.occasion_days - 1)).isoformat()]
                     for i, d in enumerate(starts)]
    return [("Espèces", ["espèce", "nom vernaculaire", "événements indépendants", "sites", "occupation naïve",
                         "IAR (pour 100 nuits-pièges)", "première", "dernière"], species),
            ("Sites et effort", ["site", "nom", "latitude", "longitude", "nuits-pièges", "événements"], sites),
            ("Occasions", ["occasion", "du", "au"], occasion_rows)]


PLOTS = (("activite.svg", "Activité par heure"), ("accumulation.svg", "Courbe d'accumulation"),
         ("carte.svg", "Carte des sites"))
FILES_TEXT = [("inventaire.csv", "espèce × site × période : événements indépendants, nuits-pièges, IAR"),
              ("activite.csv", "événements par heure locale"), ("accumulation.csv", "courbe d'accumulation"),
              ("historiques_<espèce>.csv", "historiques de détection (1, 0, NA) pour les modèles d'occupation"),
              ("effort_occasions.csv", "nuits-pièges par site et occasion"),
              ("especes.csv", "par espèce : événements, sites, occupation naïve, IAR"),
              ("sites.csv", "par site : coordonnées, nuits-pièges, événements, IAR"),
              ("deploiements.csv", "par déploiement : jours, jours de panne retirés, nuits-pièges"),
              ("sites.geojson", "les sites et leurs indices (GeoJSON, WGS84)"),
              ("record_table.csv", "table d'enregistrements au format camtrapR"),
              ("occurrences_dwc.csv", "occurrences Darwin Core (GBIF, SINP)")]


def report_markdown(inv: Inventory, svgs: dict[str, str]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["# Inventaire par pièges photographiques", ""]
    lines += [f"* **{k}** : {cell(v)}" for k, v in _summary_lines(inv)] + [""]
    tables = _tables(inv)
    for index, (title, header, rows) in enumerate(tables):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows] + [""]
        if index == 0:  # the plots right after the species table
            lines += [line for name, plot in PLOTS if name in svgs for line in (f"## {plot}", "", f"![{plot}]({name})", "")]
    lines += ["## Fichiers", ""] + [f"* `{n}` : {t}" for n, t in FILES_TEXT] + [""]
    lines += ["## Remarques", ""] + [f"* {cell(n)}" for n in notes(inv) or ["aucune"]] + [""]
    return "\n".join(lines)


PRINT_CSS = """body{font-family:Marianne,arial,sans-serif;margin:2rem;color:#161616;max-width:60rem}
table{border-collapse:collapse;margin:0 0 1.5rem}th,td{border:1px solid #929292;padding:.2rem .5rem;text-align:left}
th{background:#eeeeee}figure{margin:0 0 1.5rem;break-inside:avoid}
@media print{body{margin:0}h2{break-after:avoid}table{font-size:9pt}}"""


def report_html(inv: Inventory, svgs: dict[str, str]) -> str:
    esc = html.escape
    parts = ['<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">',
             "<title>Inventaire par pièges photographiques</title>",
             f"<style>{PRINT_CSS}\n{_charts_css() if svgs else ''}</style></head><body>",
             "<h1>Inventaire par pièges photographiques</h1><ul>"]
    parts += [f"<li><strong>{esc(k)}</strong> : {esc(v)}</li>" for k, v in _summary_lines(inv)] + ["</ul>"]
    for index, (title, header, rows) in enumerate(_tables(inv)):
        parts.append(f"<h2>{esc(title)}</h2><table><thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
                     + "</tr></thead><tbody>")
        parts += ["<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows]
        parts.append("</tbody></table>")
        if index == 0:  # the plots right after the species table
            parts += [f'<h2>{esc(plot)}</h2><figure class="amorce-chart">{svgs[name]}</figure>'
                      for name, plot in PLOTS if name in svgs]
    parts.append("<h2>Fichiers</h2><ul>" + "".join(f"<li><code>{esc(n)}</code> : {esc(t)}</li>" for n, t in FILES_TEXT)
                 + "</ul>")
    parts.append("<h2>Remarques</h2><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes(inv) or ["aucune"]) + "</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


# -------------------------------------------------------------------------------------------------
# Sites: effort per deployment, the map of sites and their GeoJSON

MAP_MEASURES = {"evenements": "événements indépendants", "iar": "IAR (événements pour 100 nuits-pièges)"}


def deployment_effort(inv: Inventory) -> list[dict]:
    """Per deployment: its site, the days from start to end, the malfunction days removed and the
    trap-nights left (operating hours / 24), and its independent events."""
    events = Counter(r.first.deployment_id for r in inv.counted)
    rows = []
    for key in sorted(inv.package.deployments):
        d = inv.package.deployments[key]
        span = (d.end - d.start).total_seconds() / 86400.0 if d.start and d.end else 0.0
        operating = sum((b - a).total_seconds() for a, b in operating_periods(d)) / 86400.0
        rows.append({"deployment": key, "site": d.location_id or key, "start": d.start, "end": d.end,
                     "days": span, "malfunction_days": max(0.0, span - operating), "trap_nights": operating,
                     "events": events.get(key, 0)})
    return rows


def site_rows(inv: Inventory) -> list[dict]:
    """Per site: name, coordinates, trap-nights, independent events, taxa and events per 100 trap-nights."""
    nights: dict[str, float] = defaultdict(float)
    for (site, _), value in inv.effort.items():
        nights[site] += value
    events = Counter(r.site for r in inv.counted)
    taxa: dict[str, set[str]] = defaultdict(set)
    for r in inv.counted:
        if r.species:
            taxa[r.site].add(r.species)
    return [{"site": s.key, "name": s.name, "latitude": s.latitude, "longitude": s.longitude,
             "uncertainty": s.uncertainty, "trap_nights": nights.get(s.key, 0.0), "events": events.get(s.key, 0),
             "taxa": len(taxa.get(s.key, ())),
             "rai": 100.0 * events.get(s.key, 0) / nights[s.key] if nights.get(s.key, 0.0) > 0 else None}
            for s in sorted(inv.package.sites.values(), key=lambda s: s.key)]


def site_map_chart(inv: Inventory, measure: str = "evenements") -> dict | None:
    """The arguments of :func:`amorce.core.charts.point_map` (and of its PNG twin): the sites with
    coordinates, markers sized by independent events (``evenements``) or by RAI (``iar``); None
    when no site has coordinates."""
    from amorce.core.charts import Point

    if measure not in MAP_MEASURES:
        raise BiodiversiteError(f"Mesure de la carte inconnue : {measure} (attendu : {', '.join(MAP_MEASURES)}).")
    points = []
    for row in site_rows(inv):
        if row["latitude"] is None or row["longitude"] is None:
            continue
        value = float(row["events"]) if measure == "evenements" else float(row["rai"] or 0.0)
        text = str(row["events"]) if measure == "evenements" else number(row["rai"], 2) if row["rai"] is not None else "—"
        points.append(Point(row["name"], row["latitude"], row["longitude"], value, text))
    if not points:
        return None
    return {"points": points, "title": "Carte des sites",
            "desc": f"Sites de l'inventaire à leur position ; aire des cercles proportionnelle aux "
                    f"{MAP_MEASURES[measure]}.", "value_label": MAP_MEASURES[measure]}


def sites_geojson(inv: Inventory) -> dict:
    """The sites as a GeoJSON FeatureCollection (RFC 7946: WGS84, [longitude, latitude]), with their
    effort, independent events, taxa and RAI; sites without coordinates are left out."""
    features = []
    for row in site_rows(inv):
        if row["latitude"] is None or row["longitude"] is None:
            continue
        features.append({"type": "Feature", "id": row["site"],
                         "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                         "properties": {"locationID": row["site"], "locationName": row["name"],
                                        "coordinateUncertainty": row["uncertainty"],
                                        "nuits_piege": _round(row["trap_nights"]),
                                        "evenements_independants": row["events"], "taxons": row["taxa"],
                                        "iar_pour_100_nuits_piege": _round(row["rai"])}})
    return {"type": "FeatureCollection", "features": features}


def site_tables(inv: Inventory) -> list[Table]:
    """The tables of sites and deployments (web page, CSV and ODS)."""
    sites = Table("sites", "Sites", ["site", "nom_du_site", "latitude", "longitude", "nuits_piege",
                                     "evenements_independants", "taxons", "iar_pour_100_nuits_piege"],
                  [[r["site"], r["name"], r["latitude"], r["longitude"], _round(r["trap_nights"]), r["events"],
                    r["taxa"], _round(r["rai"])] for r in site_rows(inv)])
    deployments = Table("deploiements", "Nuits-pièges par déploiement",
                        ["deploiement", "site", "debut", "fin", "jours", "jours_de_panne", "nuits_piege",
                         "evenements_independants"],
                        [[r["deployment"], r["site"], r["start"].isoformat(sep=" ") if r["start"] else None,
                          r["end"].isoformat(sep=" ") if r["end"] else None, _round(r["days"]),
                          _round(r["malfunction_days"]), _round(r["trap_nights"]), r["events"]]
                         for r in deployment_effort(inv)])
    species = Table("especes", "Espèces", ["espece", "nom_vernaculaire", "evenements_independants", "sites",
                                          "occupation_naive", "iar_pour_100_nuits_piege", "premiere", "derniere"],
                    [[label(r["species"]), inv.package.taxa.get(r["species"], Taxon()).vernacular, r["events"],
                      r["sites"], _round(r["occupancy"], 3), _round(r["rai"]), r["first"].isoformat(sep=" "),
                      r["last"].isoformat(sep=" ")] for r in species_summary(inv)])
    return [species, sites, deployments]
