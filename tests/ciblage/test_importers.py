"""Importers: canonical CSV validation, Alim'confiance exports and matching, Chicago data."""

from __future__ import annotations

import pandas as pd
import pytest

from amorce.ciblage import (
    CiblageError,
    assign_establishment_ids,
    load_alimconfiance,
    load_canonical,
    load_chicago,
)
from amorce.core.errors import DataValidationError

INSPECTIONS = """inspection_id,establishment_id,date,outcome,inspector
i1,e1,2022-01-10,Satisfaisant,a
i2,e1,2022-06-01,A améliorer,a
i3,e2,2022-03-05,Très satisfaisant,b
i4,e2,2023-02-01,a corriger de maniere urgente,b
"""
ESTABLISHMENTS = """establishment_id,name,postcode,activity,size,chiffre,opened_on
e1,Chez Paul,75011,Restaurant,5,12.5,
e2,La Cantine,13001,Restauration collective,40,3,
e3,Nouveau,69001,Restaurant,2,1,2023-01-01
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_canonical_reads_files_by_header(tmp_path):
    history = load_canonical([write(tmp_path, "insp.csv", INSPECTIONS), write(tmp_path, "etab.csv", ESTABLISHMENTS),
                              write(tmp_path, "plaintes.csv", "complaint_id,establishment_id,date\nc1,e1,2022-05-01\n"),
                              write(tmp_path, "ctx.csv", "establishment_id,date,chaleur\ne1,2022-01-01,3,5\n"
                                    .replace("3,5", "3.5"))])
    assert len(history.inspections) == 4
    assert history.inspections.set_index("inspection_id").loc["i4", "severity"] == 3
    assert history.inspections.set_index("inspection_id").loc["i2", "adverse"]
    assert not history.inspections.set_index("inspection_id").loc["i1", "adverse"]
    assert history.establishments.loc["e1", "department"] == "75"
    assert history.attributes == ["chiffre"]
    assert history.context_columns == ["chaleur"]
    assert len(history.complaints) == 1
    # listed in the register: known unless opened later (e3 opens in 2023)
    assert set(history.known_at("2022-02-01")) == {"e1", "e2"}
    assert set(history.known_at("2023-06-01")) == {"e1", "e2", "e3"}


def test_canonical_reports_every_problem_with_file_and_line(tmp_path):
    bad = write(tmp_path, "insp.csv", "inspection_id,establishment_id,date,outcome\n"
                "i1,e1,2022-13-45,Satisfaisant\n"     # line 2: bad date
                "i2,e1,2022-02-01,Excellent\n"        # line 3: unknown outcome
                "i1,e2,2022-03-01,Satisfaisant\n"     # line 4: duplicate id (with line 2)
                "i3,,2022-03-01,Satisfaisant\n")      # line 5: empty establishment
    missing = write(tmp_path, "autre.csv", "inspection_id,establishment_id,outcome\nx,e1,Satisfaisant\n")
    with pytest.raises(DataValidationError) as info:
        load_canonical([bad, missing])
    problems = info.value.problems
    found = {(p.file.split("/")[-1], p.line, p.column) for p in problems}
    assert ("insp.csv", 2, "date") in found
    assert ("insp.csv", 3, "outcome") in found
    assert ("insp.csv", 5, "establishment_id") in found
    assert ("autre.csv", 1, "date") in found
    assert any("en double" in p.message and "i1" in p.message for p in problems)
    assert info.value.exit_code == 2
    assert "ligne 3" in info.value.message and "Excellent" in info.value.message


def test_problem_lines_count_records_spanning_lines_and_long_quoted_fields(tmp_path):
    """A quoted field may hold newlines, escaped quotes, or more characters than the csv module's
    default field limit: the problem is still given at the line where its record begins."""
    remark = '"' + "x" * 200_000 + '\nsuite ""citée""\net fin"'
    bad = write(tmp_path, "insp.csv", "inspection_id,establishment_id,date,outcome,remarque\n"
                f"i1,e1,2022-01-10,Satisfaisant,{remark}\n"   # lines 2-4
                "i2,e1,2022-02-01,Excellent,\n"               # line 5: unknown outcome
                'i3,e1,2022-13-01,Satisfaisant,"a\nb"\n'     # lines 6-7: bad date
                "i4,e1,2022-03-01,Inconnu,\n")                # line 8: unknown outcome
    with pytest.raises(DataValidationError) as info:
        load_canonical([bad])
    found = {(p.line, p.column) for p in info.value.problems}
    assert {(5, "outcome"), (6, "date"), (8, "outcome")} <= found


def test_canonical_rejects_inspections_of_unknown_establishments(tmp_path):
    with pytest.raises(DataValidationError) as info:
        load_canonical([write(tmp_path, "insp.csv", INSPECTIONS),
                        write(tmp_path, "etab.csv", "establishment_id,name\ne1,Chez Paul\n")])
    assert {p.line for p in info.value.problems} == {4, 5}


def test_alimconfiance_real_export(shared_data):
    path = shared_data / "alimconfiance" / "alimconfiance_2018-2019_restaurants.csv"
    history = load_alimconfiance([path])
    raw = pd.read_csv(path, dtype=str)
    assert len(history.inspections) == len(raw)
    # establishment_id is the SIRET when valid, else the export's own identifier
    est = history.establishments
    assert est.index.str.fullmatch(r"\d{14}").sum() > 15000
    assert "A78271018001" in est.index or any(i.startswith("A") for i in est.index)
    assert history.inspections["adverse"].sum() == (raw["Synthese_eval_sanit"].isin(
        ["A améliorer", "A corriger de manière urgente"])).sum()
    assert est["department"].str.len().between(2, 3).mean() > 0.99


def test_alimconfiance_matching_across_exports(tmp_path):
    header = ("Numero_inspection,Date_inspection,SIRET,APP_Libelle_etablissement,Adresse,Code_postal,"
              "Libelle_commune,APP_Libelle_activite_etablissement,filtre,Synthese_eval_sanit,Agrement,latitude,longitude\n")
    first = write(tmp_path, "a.csv", header +
                  "1,2019-01-02,44306184100047,BOULANGERIE DUPONT SARL,12 BD VICTOR HUGO,06000,Nice,Boulangerie,,Satisfaisant,,,\n"
                  "2,2019-01-03,A0600001,CANTINE SCOLAIRE JEAN MOULIN,3 rue des Lilas,06100,Nice,Restauration collective,,A améliorer,,,\n")
    second = write(tmp_path, "b.csv", header +
                   "9,2021-03-02,,Boulangerie Dupont,12 boulevard Victor-Hugo,06000,NICE,Boulangerie,,A améliorer,,,\n"
                   "10,2021-03-04,,Cantine scolaire Jean Moulin,3 r. des Lilas,06100,NICE,Restauration collective,,Satisfaisant,,,\n"
                   "11,2021-03-05,,PIZZERIA DU PORT,1 quai Lunel,06300,NICE,Restaurant,,Satisfaisant,,,\n")
    history = load_alimconfiance([first, second])
    by_num = history.inspections.assign(num=history.inspections["inspection_id"].str.split("@").str[0]) \
        .set_index("num")["establishment_id"]
    assert by_num["9"] == "44306184100047"       # no SIRET, matched by name + address to the SIRET
    assert by_num["11"] == "NUM-11"              # no match: the export's own identifier
    assert by_num["2"] == "A0600001"             # invalid SIRET field: the export's identifier
    assert by_num["10"] == "A0600001"            # no SIRET, matched to the earlier export's identifier
    assert len(history.establishments) == 3


def test_matching_does_not_merge_different_shops():
    ids = assign_establishment_ids(
        siret=pd.Series(["44306184100047", ""]), name=pd.Series(["BOULANGERIE DUPONT", "BOUCHERIE MARTIN"]),
        address=pd.Series(["12 bd Victor Hugo", "12 bd Victor Hugo"]), postcode=pd.Series(["06000", "06000"]),
        fallback=pd.Series(["1", "2"]))
    assert ids.tolist() == ["44306184100047", "NUM-2"]


def test_alimconfiance_missing_columns(tmp_path):
    with pytest.raises(DataValidationError) as info:
        load_alimconfiance([write(tmp_path, "x.csv", "SIRET,Date_inspection\n1,2020-01-01\n")])
    columns = {p.column for p in info.value.problems}
    assert {"Numero_inspection", "Synthese_eval_sanit", "Code_postal"} <= columns


def test_chicago_real_data(shared_data):
    base = shared_data / "chicago_food_inspections"
    history = load_chicago([base / "inspections.csv", base / "inspector_assignments.csv", base / "heat_values.csv"])
    raw = pd.read_csv(base / "inspections.csv")
    assert len(history.inspections) == 27600
    assert history.inspections["adverse"].sum() == (raw["criticalCount"] > 0).sum()
    assert (history.inspections["inspector"] != "").mean() > 0.75
    assert {"heat_burglary", "risk_level"} <= set(history.context_columns)


def test_chicago_rejects_unknown_file(tmp_path):
    with pytest.raises((DataValidationError, CiblageError)):
        load_chicago([write(tmp_path, "x.csv", "a,b\n1,2\n")])


WINDOWS_INSPECTIONS = ("inspection_id;establishment_id;date;outcome;inspector\n"
                       "i1;e1;10/01/2022;Très satisfaisant;Hélène\n"
                       "i2;e1;01/06/2022;A améliorer;Hélène\n"
                       "i3;e2;05/03/2022;A corriger de manière urgente;Jérôme\n")
WINDOWS_ESTABLISHMENTS = ("establishment_id;name;postcode;activity\n"
                          "e1;Crêperie « Chez Loïc »;29200;Restaurant\n"
                          "e2;Boulangerie Noël;13001;Métiers de bouche\n")


def test_csv_saved_by_excel_in_windows_1252_is_read(tmp_path):
    """Excel on Windows saves CSV in Windows-1252 with semicolons: accents must come through."""
    insp = tmp_path / "controles.csv"
    insp.write_bytes(WINDOWS_INSPECTIONS.encode("cp1252"))
    etab = tmp_path / "etablissements.csv"
    etab.write_bytes(WINDOWS_ESTABLISHMENTS.encode("cp1252"))
    history = load_canonical([insp, etab])
    assert history.inspections.set_index("inspection_id")["severity"].to_dict() == {"i1": 0, "i2": 2, "i3": 3}
    assert history.establishments.loc["e1", "name"] == "Crêperie « Chez Loïc »"
    assert history.establishments.loc["e2", "activity"] == "Métiers de bouche"


def test_binary_file_is_refused_with_a_french_error(tmp_path):
    image = tmp_path / "controles.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CiblageError, match="fichier binaire"):
        load_canonical([image])
