"""Inventory of a Camtrap DP package: independence rule, effort, histories, accumulation, exports, CLI."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amorce.biodiversite import inventory as inv_mod
from amorce.biodiversite.cli import app

T0 = datetime(2024, 5, 1, 12, 0, 0)
DEPLOYMENT_HEADER = "deploymentID,locationID,locationName,latitude,longitude,deploymentStart,deploymentEnd,malfunctions"
OBSERVATION_HEADER = ("observationID,deploymentID,mediaID,eventID,eventStart,eventEnd,observationLevel,observationType,"
                      "scientificName,count,classificationMethod,classifiedBy")


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds") + "+02:00"


def write_package(folder: Path, deployments: list[tuple], observations: list[tuple]) -> Path:
    """A minimal Camtrap DP package: deployments (id, location, start, end, malfunctions) and animal
    observations (deployment, minutes after T0, species, count), each its own event."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps({"name": "essai", "taxonomic": [
        {"scientificName": "Vulpes vulpes", "taxonID": "col:5BSG3", "vernacularNames": {"fra": "renard roux"}}]}))
    lines = [DEPLOYMENT_HEADER] + [f"{d},{loc},Site {loc},45.1,5.7,{_iso(a)},{_iso(b)},{m}"
                                   for d, loc, a, b, m in deployments]
    (folder / "deployments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [OBSERVATION_HEADER]
    for i, (deployment, minutes, species, count) in enumerate(observations):
        when = _iso(T0 + timedelta(minutes=minutes))
        rows.append(f"o{i},{deployment},,e{i},{when},{when},event,animal,{species},{count},machine,amorce")
    (folder / "observations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _records(inv, site, species):
    return [r for r in inv.records if r.site == site and r.species == species]


def test_the_30_minute_rule_on_a_hand_built_sequence(tmp_path):
    end = T0 + timedelta(days=2)
    folder = write_package(tmp_path / "p", [("d1", "S1", T0, end, ""), ("d2", "S2", T0, end, "")], [
        ("d1", 0, "Vulpes vulpes", 1), ("d1", 10, "Vulpes vulpes", 3), ("d1", 25, "Vulpes vulpes", 1),
        ("d1", 50, "Vulpes vulpes", 2), ("d1", 100, "Vulpes vulpes", 1),
        ("d1", 5, "Meles meles", 1), ("d2", 10, "Vulpes vulpes", 1)])
    chained = inv_mod.build_inventory(folder)
    fox = _records(chained, "S1", "Vulpes vulpes")
    # from the previous detection: 0-10-25-50 are one chain (gaps 10, 15, 25 min), 100 is 50 min later
    assert [(r.start - T0, r.merged, r.count) for r in fox] == [(timedelta(0), 4, 3), (timedelta(minutes=100), 1, 1)]
    assert fox[1].delta_seconds == 50 * 60
    assert len(_records(chained, "S1", "Meles meles")) == 1 and len(_records(chained, "S2", "Vulpes vulpes")) == 1
    # from the previous independent event: 50 is 50 min after 0, 100 is 50 min after 50
    anchored = _records(inv_mod.build_inventory(folder, compared_to="lastIndependentRecord"), "S1", "Vulpes vulpes")
    assert [r.start - T0 for r in anchored] == [timedelta(0), timedelta(minutes=50), timedelta(minutes=100)]
    exactly = inv_mod.build_inventory(folder, interval_min=50, compared_to="lastIndependentRecord")
    assert [r.start - T0 for r in _records(exactly, "S1", "Vulpes vulpes")][1:] == [timedelta(minutes=50),
                                                                                     timedelta(minutes=100)]
    assert len(_records(inv_mod.build_inventory(folder, interval_min=0), "S1", "Vulpes vulpes")) == 5
    assert len(_records(inv_mod.build_inventory(folder, interval_min=51), "S1", "Vulpes vulpes")) == 1


def test_relative_abundance_leaves_out_a_malfunction_period(tmp_path):
    start, end = T0, T0 + timedelta(days=10)  # 10 trap-nights, from noon to noon
    broken = f"{_iso(T0 + timedelta(days=3))}/{_iso(T0 + timedelta(days=5))}"
    observations = [("d1", 60 * 24 * day, "Vulpes vulpes", 1) for day in (0, 1, 6, 8)]
    observations.append(("d1", 60 * 24 * 4, "Vulpes vulpes", 1))  # seen while the camera was out of order
    folder = write_package(tmp_path / "p", [("d1", "S1", start, end, broken)], observations)
    inv = inv_mod.build_inventory(folder)
    assert inv.trap_nights() == pytest.approx(8.0)
    assert inv.effort[("S1", T0.date())] == pytest.approx(0.5)  # the first day counts from noon
    assert len(inv.counted) == 4 and len(inv.records) == 5
    row = inv_mod.inventory_rows(inv)[0]
    assert (row["events"], row["trap_nights"], row["rai"]) == (4, pytest.approx(8.0), pytest.approx(50.0))
    assert any("hors du temps de fonctionnement" in n for n in inv_mod.notes(inv))
    # the same malfunction given in a separate deployments file (the package of `analyse` does not carry it)
    plain = write_package(tmp_path / "q", [("d1", "S1", start, end, "")], observations)
    extra = tmp_path / "pannes.csv"
    extra.write_text(f"deploymentID,malfunctions\nd1,{broken}\n", encoding="utf-8")
    assert inv_mod.build_inventory(plain).trap_nights() == pytest.approx(10.0)
    assert inv_mod.build_inventory(plain, deployments_file=extra).trap_nights() == pytest.approx(8.0)


def test_detection_history_is_na_where_no_camera_operated(tmp_path):
    day = timedelta(days=1)
    folder = write_package(tmp_path / "p", [
        ("d1", "S1", T0, T0 + 4 * day, ""),  # occasions of 2 days from T0's date: o1 o2 o3 (ends on day 4 noon)
        ("d2", "S2", T0 + 6 * day, T0 + 8 * day, ""),  # o4 o5
        ("d3", "S3", T0, T0 + 8 * day, f"{_iso(T0 + 1.5 * day)}/{_iso(T0 + 5.5 * day)}")],  # broken o2 and o3
        [("d1", 60 * 26, "Vulpes vulpes", 1), ("d2", 60 * 24 * 7, "Vulpes vulpes", 1), ("d3", 60, "Meles meles", 1)])
    inv = inv_mod.build_inventory(folder, occasion_days=2)
    sites, starts, fox = inv_mod.detection_history(inv, "Vulpes vulpes")
    assert sites == ["S1", "S2", "S3"] and starts[0] == T0.date() and len(starts) == 5
    assert fox == [[1, 0, 0, None, None], [None, None, None, 1, 0], [0, None, None, 0, 0]]
    assert inv_mod.detection_history(inv, "Meles meles")[2][2] == [1, None, None, 0, 0]
    files = inv_mod.render_outputs(inv, plots=False)
    text = files["historiques_Vulpes_vulpes.csv"].decode("utf-8-sig").splitlines()
    assert text[0] == "site;o1;o2;o3;o4;o5" and text[2] == "S2;NA;NA;NA;1;0"


def test_accumulation_is_monotone_and_the_exact_mean_over_random_orders(tmp_path):
    day = 60 * 24
    folder = write_package(tmp_path / "p", [("d1", "S1", T0, T0 + timedelta(days=3), ""),
                                            ("d2", "S2", T0, T0 + timedelta(days=2), "")],
                           [("d1", 0, "Vulpes vulpes", 1), ("d1", day, "Meles meles", 1), ("d2", 0, "Vulpes vulpes", 1),
                            ("d2", day, "Sus scrofa", 1), ("d1", 2 * day, "Vulpes vulpes", 1)])
    inv = inv_mod.build_inventory(folder)
    curve = inv_mod.accumulation(inv)
    expected = [r["expected"] for r in curve]
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(expected)) and expected[-1] == pytest.approx(3)
    # every order of the site-days, enumerated: the mean species count after k of them
    units = defaultdict(set)
    for key, value in inv.effort.items():
        if value > 0:
            units[key]
    for r in inv.counted:
        units[(r.site, r.start.date())].add(r.species)
    orders = list(itertools.permutations(units.values()))
    for k in range(1, len(units) + 1):
        mean = sum(len(set().union(*order[:k])) for order in orders) / len(orders)
        assert expected[k - 1] == pytest.approx(mean)
    assert [r["calendar_species"] for r in curve] == sorted(r["calendar_species"] for r in curve)


def test_record_table_and_darwin_core_columns(tmp_path):
    folder = write_package(tmp_path / "p", [("d1", "S1", T0, T0 + timedelta(days=3), "")],
                           [("d1", 0, "Vulpes vulpes", 2), ("d1", 90, "Vulpes vulpes", 1), ("d1", 30, "", 1)])
    species = tmp_path / "liste.csv"
    species.write_text("cd_nom;nom_scientifique;nom_francais\n60585;Vulpes vulpes;Renard roux\n", encoding="utf-8")
    from amorce.biodiversite.classifier import read_species_list

    inv = inv_mod.build_inventory(folder, species_list=read_species_list(species))
    files = inv_mod.render_outputs(inv, plots=False)
    table = list(csv.DictReader(io.StringIO(files["record_table.csv"].decode("utf-8"))))
    assert tuple(table[0]) == inv_mod.RECORD_TABLE_COLUMNS
    fox = [r for r in table if r["Species"] == "Vulpes vulpes"]
    assert [(r["Station"], r["DateTimeOriginal"], r["delta.time.secs"], r["delta.time.mins"]) for r in fox] == [
        ("Site S1", "2024-05-01 12:00:00", "0", "0.0"), ("Site S1", "2024-05-01 13:30:00", "5400", "90.0")]
    occurrences = list(csv.DictReader(io.StringIO(files["occurrences_dwc.csv"].decode("utf-8"))))
    assert len(occurrences) == 2  # the unidentified animal is not an occurrence
    first = occurrences[0]
    assert first["basisOfRecord"] == "MachineObservation" and first["geodeticDatum"] == "WGS84"
    assert first["scientificName"] == "Vulpes vulpes" and first["vernacularName"] == "Renard roux"
    assert first["taxonID"] == "https://inpn.mnhn.fr/espece/cd_nom/60585" and first["individualCount"] == "2"
    assert first["eventDate"] == "2024-05-01T12:00:00+02:00" and first["samplingProtocol"] == "camera trap"
    assert (first["decimalLatitude"], first["decimalLongitude"], first["locationID"]) == ("45.1", "5.7", "S1")
    assert first["identifiedBy"] == "amorce" and first["identificationVerificationStatus"] == "unverified"
    assert all(first[c] for c in ("occurrenceID", "eventDate", "scientificName", "basisOfRecord"))
    assert len({o["occurrenceID"] for o in occurrences}) == 2
    inventory = files["inventaire.csv"].decode("utf-8")
    assert inventory.startswith("\ufeffespece;") and "animal non identifié" in inventory


def test_media_level_observations_count_the_most_individuals_on_one_media(tmp_path):
    folder = write_package(tmp_path / "p", [("d1", "S1", T0, T0 + timedelta(days=1), "")], [])
    times = [_iso(T0 + timedelta(seconds=s)) for s in (0, 2, 4)]
    (folder / "media.csv").write_text("mediaID,deploymentID,timestamp,filePath,fileName\n" + "".join(
        f"m{i},d1,{t},carte/RCNX{i}.JPG,RCNX{i}.JPG\n" for i, t in enumerate(times)), encoding="utf-8")
    rows = [("m0", "blank", "", ""), ("m1", "animal", "Vulpes vulpes", "1"), ("m1", "animal", "Vulpes vulpes", "1"),
            ("m2", "animal", "Vulpes vulpes", "1")]
    (folder / "observations.csv").write_text(OBSERVATION_HEADER + "\n" + "".join(
        f"o{i},d1,{m},e1,{times[int(m[1])]},{times[int(m[1])]},media,{kind},{name},{count},human,Agent\n"
        for i, (m, kind, name, count) in enumerate(rows)), encoding="utf-8")
    inv = inv_mod.build_inventory(folder)
    assert [(r.species, r.count, r.start) for r in inv.records] == [("Vulpes vulpes", 2, T0 + timedelta(seconds=2))]
    assert inv_mod.record_table(inv)[0][-2:] == ["carte", "RCNX1.JPG"]
    assert inv_mod.dwc_occurrences(inv)[0][-1] == "verified"


def test_an_analyse_package_without_species_gives_unidentified_animal_events(tmp_path):
    from amorce.biodiversite.formats import write_camtrap_dp
    from amorce.biodiversite.ingest import Deployment, IngestReport, Media, Season, group_events
    from amorce.biodiversite.pipeline import Analysis

    d = Deployment("cam1", location_id="L1", latitude=45.0, longitude=6.0, start=T0, end=T0 + timedelta(days=2))
    media = [Media(f"m{i}", f"cam1/IMG_{i}.JPG", "cam1", "image", T0 + timedelta(minutes=m), "exif")
             for i, m in enumerate((60, 61, 75, 300))]
    events = group_events(media, {"cam1": d})
    analysis = Analysis(Season(tmp_path, {"cam1": d}, media, IngestReport()), events, {},
                        {e.event_id: "animal" for e in events})
    write_camtrap_dp(analysis, tmp_path / "paquet")
    inv = inv_mod.build_inventory(tmp_path / "paquet")
    # events at 60-61 min and 75 min are 14 min apart: one independent event; 300 min is another
    assert [r.species for r in inv.counted] == ["", ""] and inv.records[0].merged == 2
    assert inv_mod.record_table(inv)[0][-1] == "IMG_0.JPG"
    assert inv_mod.dwc_occurrences(inv) == [] and any("non identifié" in n for n in inv_mod.notes(inv))


@pytest.mark.data
def test_real_camtrap_dp_example_counts_match_an_independent_reading(shared_data, tmp_path):
    folder = shared_data / "camtrap_dp_example"
    with open(folder / "deployments.csv", encoding="utf-8") as handle:
        deployments = {r["deploymentID"]: r for r in csv.DictReader(handle)}
    with open(folder / "observations.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def aware(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    # every event of this package has event-level observations except 3 blank ones
    animals = [r for r in rows if r["observationLevel"] == "event" and r["observationType"] == "animal"]
    by_key = defaultdict(list)
    for r in animals:
        by_key[(deployments[r["deploymentID"]]["locationID"], r["scientificName"])].append(
            (aware(r["eventStart"]), aware(r["eventEnd"])))
    found = {}
    for minutes in (30, 24 * 60, 48 * 60):
        expected = found[minutes] = Counter()
        for key, spans in by_key.items():
            last_end = None
            for start, end in sorted(spans):
                if last_end is None or (start - last_end) >= timedelta(minutes=minutes):
                    expected[key] += 1
                last_end = end if last_end is None else max(last_end, end)
        inv = inv_mod.build_inventory(folder, interval_min=minutes)
        assert Counter((r.site, r.species) for r in inv.counted) == expected, minutes
        assert len(inv.records) == len(inv.counted)  # every event lies within its deployment
    inv = inv_mod.build_inventory(folder)
    assert len(inv.counted) == sum(found[30].values()) == 26 and sum(found[48 * 60].values()) < 26
    nights = sum((aware(d["deploymentEnd"]) - aware(d["deploymentStart"])).total_seconds() / 86400
                 for d in deployments.values())
    assert inv.trap_nights() == pytest.approx(nights)
    # hours of activity on each camera's clock (the offset of its deploymentStart)
    hours = Counter()
    for r in inv.counted:
        offset = aware(deployments[r.first.deployment_id]["deploymentStart"]).utcoffset()
        row = next(o for o in animals if o["observationID"] == r.first.observation_id)
        hours[(r.species, (aware(row["eventStart"]) + offset).hour)] += 1
    activity = inv_mod.activity(inv)
    assert {(s, h): n for s, v in activity.items() for h, n in enumerate(v) if n} == dict(hours)
    assert inv_mod.species_summary(inv)[0]["species"] == "Anas platyrhynchos"
    occurrences = inv_mod.dwc_occurrences(inv)
    assert len(occurrences) == 26 and occurrences[0][7].startswith("https://www.checklistbank.org/")


def test_cli_writes_every_output_and_refuses_bad_input_in_french(tmp_path):
    runner = CliRunner()
    end = T0 + timedelta(days=20)
    folder = write_package(tmp_path / "p", [("d1", "S1", T0, end, ""), ("d2", "S2", T0, end, "")],
                           [("d1", 60 * h, "Vulpes vulpes", 1) for h in (1, 30, 200)]
                           + [("d2", 60 * 50, "Meles meles", 1)])
    out = tmp_path / "sortie"
    done = runner.invoke(app, ["inventaire", str(folder), "--out", str(out), "--occasion", "5", "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output)
    assert summary["independent_events"] == 4 and summary["trap_nights"] == pytest.approx(40.0)
    names = {p.name for p in out.iterdir()}
    assert {"inventaire.csv", "activite.csv", "accumulation.csv", "historiques_Vulpes_vulpes.csv",
            "historiques_Meles_meles.csv", "record_table.csv", "occurrences_dwc.csv", "rapport.md", "rapport.html",
            "activite.svg", "accumulation.svg"} <= names
    svg = (out / "activite.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "<style>" in svg and "Vulpes vulpes" in svg
    assert "<svg" in (out / "rapport.html").read_text(encoding="utf-8")
    # bad input: a French message with the file and the line, exit 2, nothing written
    (folder / "observations.csv").write_text(
        OBSERVATION_HEADER + "\no1,d1,,e1,2024-05-01T12:00:00+02:00,,event,animal,Vulpes vulpes,1,,\n"
        "o2,d9,,e2,hier,,event,animal,Vulpes vulpes,deux,,\n", encoding="utf-8")
    bad_out = tmp_path / "refus"
    refused = runner.invoke(app, ["inventaire", str(folder), "--out", str(bad_out)])
    assert refused.exit_code == 2 and not bad_out.exists()
    assert "observations.csv" in refused.output and "ligne 3" in refused.output
    assert "déploiement inconnu" in refused.output and "Traceback" not in refused.output
    missing = runner.invoke(app, ["inventaire", str(tmp_path), "--out", str(bad_out)])
    assert missing.exit_code == 2 and "n'est pas un paquet Camtrap DP" in missing.output
    assert runner.invoke(app, ["inventaire", str(folder), "--out", str(bad_out), "--periode", "lune"]).exit_code == 2
