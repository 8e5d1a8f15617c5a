"""Importers: canonical CSV files, Alim'confiance exports, Chicago evaluation data.

Each importer validates every file completely and raises one
:class:`~amorce.core.errors.DataValidationError` listing all problems (file, line, column,
expected value) rather than stopping at the first one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from amorce.core.errors import BAD_INPUT, AmorceError, DataValidationError, Problem, ValidationReport
from amorce.core.files import detect_encoding

from .errors import CiblageError
from .schema import (
    ESTABLISHMENT_COLUMNS,
    OUTCOMES_EXPECTED,
    SEVERITY_LABELS,
    History,
    as_float,
    department_of,
    empty_establishments,
    normalise_label,
    outcome_severity,
    to_day,
)

FORMATS = ("canonical", "alimconfiance", "chicago")
MAX_PROBLEMS_PER_CHECK = 500
TRUE_VALUES = {"1", "true", "vrai", "oui", "yes", "o", "y"}
FALSE_VALUES = {"0", "false", "faux", "non", "no", "n"}


# --------------------------------------------------------------------------- reading helpers

def read_table(path: str | Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Read a CSV file as strings; return the frame and the 1-based file line of every row.

    The delimiter is sniffed among ``,`` ``;`` and tab; the encoding is detected by
    :func:`amorce.core.files.detect_encoding` (UTF-8, UTF-8 with BOM, Windows-1252 as Excel saves it).
    """
    path = Path(path)
    if not path.is_file():
        raise CiblageError(f"Fichier introuvable : {path}", path=str(path), exit_code=BAD_INPUT)
    try:
        encoding = detect_encoding(path)
    except AmorceError as exc:  # binary file, unknown encoding: the package's error, same message and status
        raise CiblageError(exc.message, path=str(path), exit_code=exc.exit_code) from exc
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(65536)
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max((",", ";", "\t"), key=first_line.count) if first_line else ","
    try:
        frame = pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False, encoding=encoding,
                            skipinitialspace=False, on_bad_lines="error", engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError([Problem(message=f"CSV illisible ({exc})", file=str(path),
                                           expected="un fichier CSV avec une ligne d'en-tête")]) from exc
    frame.columns = [c.strip() for c in frame.columns]
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame, _line_numbers(path, len(frame))


def _line_numbers(path: Path, rows: int) -> np.ndarray:
    """Physical line of each record (records may span lines when quoted fields hold newlines).

    A record goes on to the next line while a quoted field is open, i.e. while the number of quote
    characters read since the record began is odd (RFC 4180 escapes a quote by doubling it, which keeps
    the parity). Counted on the bytes rather than with the csv module, whose process-wide field limit
    would raise on a long quoted field that pandas itself reads; the quote is one byte in every encoding
    :func:`~amorce.core.files.detect_encoding` accepts.
    """
    with path.open("rb") as handle:
        physical = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    if physical in (rows, rows + 1):  # no multi-line record: fast path
        return np.arange(2, rows + 2)
    starts, open_quote = [], False
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not open_quote:
                starts.append(number)
            if line.count(b'"') % 2:
                open_quote = not open_quote
    return np.asarray(starts[1:rows + 1])  # the first record is the header


def _report_mask(report: ValidationReport, mask: np.ndarray, lines: np.ndarray, values: pd.Series | None,
                 message: str, column: str, expected: str) -> None:
    bad = np.flatnonzero(mask)
    for i in bad[:MAX_PROBLEMS_PER_CHECK]:
        report.add(message, line=int(lines[i]), column=column, expected=expected,
                   value=None if values is None else values.iloc[i])
    if len(bad) > MAX_PROBLEMS_PER_CHECK:
        report.add(f"… et {len(bad) - MAX_PROBLEMS_PER_CHECK} autres lignes avec le même problème",
                   column=column)


def _require(report: ValidationReport, frame: pd.DataFrame, required: Sequence[str]) -> bool:
    missing = [c for c in required if c not in frame.columns]
    for column in missing:
        report.add(f"colonne obligatoire absente : {column}", line=1, column=column,
                   expected="en-tête contenant " + ", ".join(required))
    return not missing


def _parse_dates(report, frame, lines, column, *, past: bool = True) -> pd.Series:
    dates = to_day(frame[column])
    _report_mask(report, dates.isna().to_numpy(), lines, frame[column], "date invalide", column,
                 "une date AAAA-MM-JJ (ou JJ/MM/AAAA)")
    if past:  # inspections and complaints happened: a date after tomorrow (time zones aside) is a typing error
        future = (dates > pd.Timestamp.today().normalize() + pd.Timedelta(days=1)).to_numpy()
        _report_mask(report, future, lines, frame[column], "date dans le futur", column,
                     "la date d'un événement passé (au plus aujourd'hui)")
    return dates


def _parse_outcomes(report, frame, lines, column) -> pd.Series:
    labels = frame[column]
    uniques = pd.Series(labels.unique())
    mapping = {u: outcome_severity(u) for u in uniques}
    severity = labels.map(mapping)
    _report_mask(report, severity.isna().to_numpy(), lines, labels, "résultat d'inspection inconnu",
                 column, OUTCOMES_EXPECTED)
    return severity


def _parse_bool(report, frame, lines, column) -> pd.Series:
    norm = frame[column].str.lower()
    out = pd.Series(np.nan, index=frame.index)
    out[norm.isin(TRUE_VALUES)] = 1.0
    out[norm.isin(FALSE_VALUES)] = 0.0
    bad = out.isna() & (norm != "")
    _report_mask(report, bad.to_numpy(), lines, frame[column], "valeur booléenne invalide", column,
                 "0/1, oui/non ou vide")
    return out


def _parse_number(report, frame, lines, column) -> pd.Series:
    values = as_float(frame[column])
    bad = values.isna() & (frame[column] != "")
    _report_mask(report, bad.to_numpy(), lines, frame[column], "nombre invalide", column, "un nombre")
    return values


def _report_duplicates(report_of, keys: pd.Series, files: pd.Series, lines: pd.Series, what: str) -> None:
    dup = keys.duplicated(keep=False) & keys.ne("")
    if not dup.any():
        return
    sub = pd.DataFrame({"key": keys[dup], "file": files[dup], "line": lines[dup]})
    count = 0
    for key, group in sub.groupby("key", sort=False):
        where = ", ".join(f"{Path(f).name} ligne {int(n)}" for f, n in zip(group.file, group.line, strict=True))
        first = group.iloc[0]
        report_of(first.file).add(f"{what} en double « {key} » (présent : {where})", line=int(first.line))
        count += 1
        if count >= MAX_PROBLEMS_PER_CHECK:
            break


def _inspections_frame(ids, est, dates, severity, adverse, critical, inspector, source) -> pd.DataFrame:
    severity = severity.astype("int8")
    return pd.DataFrame({
        "inspection_id": ids.astype(str).to_numpy(),
        "establishment_id": est.astype(str).to_numpy(),
        "date": dates.to_numpy(),
        "outcome": severity.map(SEVERITY_LABELS).to_numpy(),
        "severity": severity.to_numpy(),
        "adverse": adverse.astype(bool).to_numpy(),
        "critical_violations": critical.astype(float).to_numpy(),
        "inspector": inspector.astype(str).to_numpy(),
        "source": source,
    })


def _first_attributes(frame: pd.DataFrame, dates: pd.Series, columns: dict[str, str]) -> pd.DataFrame:
    """Establishment attributes taken from each establishment's earliest row (no future data)."""
    data = pd.DataFrame({target: frame[src] for target, src in columns.items() if src in frame.columns})
    data["__date__"] = dates.to_numpy()
    data = data.sort_values("__date__", kind="stable").drop_duplicates("establishment_id")
    return data.drop(columns="__date__").set_index("establishment_id")


def _establishments(attrs: pd.DataFrame) -> pd.DataFrame:
    est = empty_establishments()
    est = pd.concat([est, attrs]) if len(attrs) else est
    for column in ESTABLISHMENT_COLUMNS[1:]:
        if column not in est.columns:
            est[column] = np.nan
    if "postcode" in est.columns:
        missing_dept = est["department"].isna() | (est["department"] == "")
        est.loc[missing_dept, "department"] = est.loc[missing_dept, "postcode"].map(department_of)
    est.index.name = "establishment_id"
    return est


class _Reports:
    """One ValidationReport per file, raised together."""

    def __init__(self) -> None:
        self.by_file: dict[str, ValidationReport] = {}

    def __call__(self, file) -> ValidationReport:
        key = str(file)
        if key not in self.by_file:
            self.by_file[key] = ValidationReport(file=key)
        return self.by_file[key]

    def raise_if_any(self) -> None:
        problems = [p for r in self.by_file.values() for p in r.problems]
        if problems:
            raise DataValidationError(problems, title="Les fichiers d'historique sont invalides")


# --------------------------------------------------------------------------- canonical

CANONICAL_DOC = {
    "inspections": {
        "required": ["inspection_id", "establishment_id", "date", "outcome"],
        "optional": ["adverse", "critical_violations", "inspector"],
    },
    "establishments": {
        "required": ["establishment_id"],
        "optional": ESTABLISHMENT_COLUMNS[1:],
    },
    "complaints": {"required": ["complaint_id", "establishment_id", "date"], "optional": []},
    "context": {"required": ["establishment_id", "date"], "optional": []},
}


def _canonical_kind(columns: Sequence[str]) -> str:
    cols = set(columns)
    if "inspection_id" in cols or "outcome" in cols:
        return "inspections"
    if "complaint_id" in cols:
        return "complaints"
    if "date" in cols:
        return "context"
    return "establishments"


def load_canonical(paths: Sequence[str | Path]) -> History:
    """Read canonical CSV files; the kind of each file is recognised from its header.

    * inspections: ``inspection_id, establishment_id, date, outcome`` [+ ``adverse`` (0/1),
      ``critical_violations``, ``inspector``]
    * establishments: ``establishment_id`` [+ name, address, postcode, commune, department, activity,
      size, siret, team, latitude, longitude, opened_on; any other column is an attribute]
    * complaints: ``complaint_id, establishment_id, date``
    * context: ``establishment_id, date`` + numeric columns (a value is known from its date on)
    """
    reports = _Reports()
    inspections, establishments, complaints, contexts = [], [], [], []
    attribute_cols: list[str] = []
    context_cols: list[str] = []
    for path in paths:
        frame, lines = read_table(path)
        report = reports(path)
        kind = _canonical_kind(frame.columns)
        if not _require(report, frame, CANONICAL_DOC[kind]["required"]):
            continue
        for column in ("establishment_id",) + (("inspection_id",) if kind == "inspections" else ()):
            _report_mask(report, (frame[column] == "").to_numpy(), lines, None, "identifiant vide", column,
                         "un identifiant non vide")
        if kind == "inspections":
            dates = _parse_dates(report, frame, lines, "date")
            severity = _parse_outcomes(report, frame, lines, "outcome")
            adverse = _parse_bool(report, frame, lines, "adverse") if "adverse" in frame else None
            critical = (_parse_number(report, frame, lines, "critical_violations")
                        if "critical_violations" in frame else pd.Series(np.nan, index=frame.index))
            if adverse is None:
                adverse = severity >= 2
            else:
                adverse = adverse.fillna(severity >= 2).astype(bool)
            inspector = frame["inspector"] if "inspector" in frame else pd.Series("", index=frame.index)
            inspections.append((frame, lines, str(path), dates, severity, adverse, critical, inspector))
        elif kind == "establishments":
            extra = [c for c in frame.columns if c not in ESTABLISHMENT_COLUMNS]
            data = frame.copy()
            for column in ("latitude", "longitude"):
                if column in data:
                    data[column] = _parse_number(report, frame, lines, column)
            if "opened_on" in data:
                opened = to_day(frame["opened_on"])
                _report_mask(report, (opened.isna() & (frame["opened_on"] != "")).to_numpy(), lines,
                             frame["opened_on"], "date invalide", "opened_on", "une date AAAA-MM-JJ")
                data["opened_on"] = opened
            for column in extra:
                numeric = as_float(frame[column])
                if numeric.notna().sum() == (frame[column] != "").sum():
                    data[column] = numeric
                else:
                    data[column] = frame[column].replace("", np.nan)
            if "size" in data:
                numeric = as_float(frame["size"])
                if numeric.notna().sum() == (frame["size"] != "").sum():
                    data["size"] = numeric
            attribute_cols += [c for c in extra if c not in attribute_cols]
            establishments.append((data, lines, str(path)))
        elif kind == "complaints":
            dates = _parse_dates(report, frame, lines, "date")
            complaints.append(pd.DataFrame({"establishment_id": frame["establishment_id"], "date": dates}))
        else:  # context values may be dated ahead (a known future event)
            dates = _parse_dates(report, frame, lines, "date", past=False)
            data = pd.DataFrame({"establishment_id": frame["establishment_id"], "date": dates})
            for column in frame.columns:
                if column in ("establishment_id", "date"):
                    continue
                data[column] = _parse_number(report, frame, lines, column)
                if column not in context_cols:
                    context_cols.append(column)
            contexts.append(data)
    if not inspections and not reports.by_file:
        raise CiblageError("Aucun fichier d'inspections fourni.")
    if not inspections:
        first = next(iter(reports.by_file.values()))
        first.add("aucun fichier d'inspections parmi les fichiers fournis",
                  expected="un fichier avec les colonnes inspection_id, establishment_id, date, outcome")
    # duplicates across all files
    if inspections:
        ids = pd.concat([f["inspection_id"] for f, *_ in inspections], ignore_index=True)
        files = pd.concat([pd.Series([p] * len(f)) for f, _, p, *_ in inspections], ignore_index=True)
        lines = pd.concat([pd.Series(ln) for _, ln, *_ in inspections], ignore_index=True)
        _report_duplicates(reports, ids, files, lines, "inspection")
    est_frame = None
    if establishments:
        ids = pd.concat([d["establishment_id"] for d, *_ in establishments], ignore_index=True)
        files = pd.concat([pd.Series([p] * len(d)) for d, _, p in establishments], ignore_index=True)
        lines = pd.concat([pd.Series(ln) for _, ln, _ in establishments], ignore_index=True)
        _report_duplicates(reports, ids, files, lines, "établissement")
        est_frame = pd.concat([d for d, *_ in establishments], ignore_index=True)
        known = set(est_frame["establishment_id"])
        for frame, lines_, path, *_ in inspections:
            unknown = ~frame["establishment_id"].isin(known) & (frame["establishment_id"] != "")
            _report_mask(reports(path), unknown.to_numpy(), lines_, frame["establishment_id"],
                         "établissement absent du fichier des établissements", "establishment_id",
                         "un establishment_id présent dans le fichier des établissements")
    reports.raise_if_any()

    frames = [
        _inspections_frame(f["inspection_id"], f["establishment_id"], d, s, a, c, i, Path(p).name)
        for f, _, p, d, s, a, c, i in inspections
    ]
    insp = pd.concat(frames, ignore_index=True)
    if est_frame is not None:
        est = _establishments(est_frame.set_index("establishment_id"))
        est["registered"] = True
    else:
        est = _establishments(pd.DataFrame(index=pd.Index(insp["establishment_id"].unique(),
                                                          name="establishment_id")))
    kwargs = {}
    if complaints:
        kwargs["complaints"] = pd.concat(complaints, ignore_index=True)
    if contexts:
        kwargs["context"] = pd.concat(contexts, ignore_index=True)
    return History(establishments=est, inspections=insp, attributes=attribute_cols,
                   context_columns=context_cols, format="canonical",
                   sources=[str(p) for p in paths], **kwargs)


# --------------------------------------------------------------------------- Alim'confiance

ALIM_REQUIRED = ["Numero_inspection", "Date_inspection", "SIRET", "APP_Libelle_etablissement",
                 "Code_postal", "Synthese_eval_sanit"]
ALIM_ADDRESS = ("Adresse", "Adresse_2_UA")


def _read_alimconfiance(path, reports) -> pd.DataFrame | None:
    frame, lines = read_table(path)
    report = reports(path)
    if not _require(report, frame, ALIM_REQUIRED):
        return None
    address = next((c for c in ALIM_ADDRESS if c in frame.columns), None)
    frame["__address__"] = frame[address] if address else ""
    if "latitude" not in frame.columns and "geores" in frame.columns:
        parts = frame["geores"].str.split(",", n=1, expand=True)
        frame["latitude"], frame["longitude"] = parts[0], parts.get(1, "")
    frame["__date__"] = _parse_dates(report, frame, lines, "Date_inspection")
    frame["__severity__"] = _parse_outcomes(report, frame, lines, "Synthese_eval_sanit")
    _report_mask(report, ((frame["SIRET"] == "") & (frame["APP_Libelle_etablissement"] == "")).to_numpy(),
                 lines, None, "établissement non identifié (ni SIRET ni nom)", "SIRET",
                 "un SIRET ou au moins un nom d'établissement")
    frame["__file__"] = str(path)
    frame["__line__"] = lines
    return frame


def load_alimconfiance(paths: Sequence[str | Path], *, fuzzy_threshold: float = 90.0) -> History:
    """Read one or several Alim'confiance exports and match establishments across them.

    ``establishment_id`` is the SIRET when it is valid, else the export's own identifier (the
    content of its SIRET field, else ``NUMERO_INSPECTION``); rows without a valid SIRET are matched
    to a known establishment of the same postcode by fuzzy name + address similarity
    (see :mod:`amorce.ciblage.matching`).
    """
    from .matching import assign_establishment_ids

    reports = _Reports()
    frames = [f for f in (_read_alimconfiance(p, reports) for p in paths) if f is not None]
    if frames:
        data = pd.concat(frames, ignore_index=True)
        key = data["Numero_inspection"] + "|" + data["SIRET"] + "|" + data["Date_inspection"] + "|" + \
            data["APP_Libelle_activite_etablissement" if "APP_Libelle_activite_etablissement" in data else "SIRET"]
        _report_duplicates(reports, key.where(data["Numero_inspection"] != "", ""), data["__file__"],
                           data["__line__"], "inspection (même numéro, SIRET, date et activité)")
    reports.raise_if_any()
    if not frames:
        raise CiblageError("Aucun export Alim'confiance fourni.")
    data["establishment_id"] = assign_establishment_ids(
        siret=data["SIRET"], name=data["APP_Libelle_etablissement"], address=data["__address__"],
        postcode=data["Code_postal"], fallback=data["Numero_inspection"], threshold=fuzzy_threshold)
    sev = data["__severity__"]
    insp = _inspections_frame(
        ids=data["Numero_inspection"] + "@" + data["__file__"].map(lambda p: Path(p).stem) + ":" +
        data["__line__"].astype(str),
        est=data["establishment_id"], dates=data["__date__"], severity=sev, adverse=sev >= 2,
        critical=pd.Series(np.nan, index=data.index),
        inspector=pd.Series("", index=data.index), source=data["__file__"].map(lambda p: Path(p).name))
    data["siret_valid"] = data["establishment_id"].str.fullmatch(r"\d{14}")
    cols = {"establishment_id": "establishment_id", "name": "APP_Libelle_etablissement",
            "address": "__address__", "postcode": "Code_postal", "commune": "Libelle_commune",
            "activity": "APP_Libelle_activite_etablissement", "latitude": "latitude",
            "longitude": "longitude", "agrement": "Agrement"}
    attrs = _first_attributes(data, data["__date__"], cols)
    attrs["siret"] = attrs.index.where(attrs.index.str.fullmatch(r"\d{14}"), "")
    for column in ("latitude", "longitude"):
        if column in attrs:
            attrs[column] = as_float(attrs[column])
    if "activity" in attrs:
        attrs["activity"] = attrs["activity"].replace({"_": np.nan, "": np.nan})
    # chain membership: number of establishments sharing the SIREN (first 9 digits of the SIRET)
    siren = attrs["siret"].str.slice(0, 9)
    chain = siren.map(siren[siren != ""].value_counts()).fillna(1.0)
    attrs["chain_size"] = chain.astype(float)
    agrement = attrs.pop("agrement") if "agrement" in attrs else pd.Series("", index=attrs.index)
    attrs["has_agrement"] = (agrement.fillna("") != "").astype(float)
    est = _establishments(attrs)
    return History(establishments=est, inspections=insp, attributes=["chain_size", "has_agrement"],
                   format="alimconfiance", sources=[str(p) for p in paths],
                   target_description="inspection notée « A améliorer » ou « A corriger de manière urgente »")


# --------------------------------------------------------------------------- Chicago

CHICAGO_KINDS = {
    "inspections": ["Inspection_ID", "License", "Inspection_Date", "Results", "criticalCount"],
    "inspectors": ["inspectionID", "sanitarian"],
    "heat": ["Inspection_ID", "heat_burglary", "heat_garbage", "heat_sanitation"],
    "model_data": ["Inspection_ID", "License", "Inspection_Date", "Inspector_Assigned", "criticalFound"],
}
# licence features of the City's model table, known from the licence register (not outcomes)
CHICAGO_LICENCE_COLUMNS = [
    "ageAtInspection", "consumption_on_premises_incidental_activity", "tobacco_retail_over_counter",
    "package_goods", "limited_business_license", "outdoor_patio", "public_place_of_amusement",
    "childrens_services_facility_license", "tavern", "regulated_business_license", "filling_station",
    "caterers_liquor_license", "mobile_food_license",
]
CHICAGO_RISK = {"risk 1 high": 3.0, "risk 2 medium": 2.0, "risk 3 low": 1.0}


def _chicago_kind(columns) -> str | None:
    cols = set(columns)
    for kind in ("model_data", "inspections", "heat", "inspectors"):
        if set(CHICAGO_KINDS[kind]) <= cols:
            return kind
    return None


def load_chicago(paths: Sequence[str | Path]) -> History:
    """Read the City of Chicago evaluation data (``inspections.csv`` and optional companions).

    Recognised files (by header): ``inspections.csv`` (required), ``inspector_assignments.csv``,
    ``heat_values.csv``, ``model_data_xgboost.csv``. The event to find is an inspection with at
    least one critical violation (``criticalCount > 0``), as in the City's model. Only licence
    attributes and the sanitarian are taken from ``model_data_xgboost.csv`` — never its outcome,
    ``past*`` or ``score`` columns.
    """
    reports = _Reports()
    parts: dict[str, tuple[pd.DataFrame, np.ndarray, str]] = {}
    for path in paths:
        frame, lines = read_table(path)
        kind = _chicago_kind(frame.columns)
        if kind is None:
            reports(path).add("fichier non reconnu pour le format chicago", line=1,
                              expected="inspections.csv, inspector_assignments.csv, heat_values.csv "
                                       "ou model_data_xgboost.csv (en-têtes d'origine)")
            continue
        parts[kind] = (frame, lines, str(path))
    if "inspections" not in parts:
        reports(paths[0] if paths else "?").add(
            "aucun fichier d'inspections Chicago (colonnes " + ", ".join(CHICAGO_KINDS["inspections"]) + ")")
        reports.raise_if_any()
    frame, lines, path = parts["inspections"]
    report = reports(path)
    dates = _parse_dates(report, frame, lines, "Inspection_Date")
    severity = _parse_outcomes(report, frame, lines, "Results")
    critical = _parse_number(report, frame, lines, "criticalCount")
    _report_mask(report, (frame["criticalCount"] == "").to_numpy(), lines, None, "valeur manquante",
                 "criticalCount", "un nombre entier")
    _report_mask(report, (frame["License"] == "").to_numpy(), lines, None, "licence vide", "License",
                 "un numéro de licence")
    _report_duplicates(reports, frame["Inspection_ID"], pd.Series([path] * len(frame)), pd.Series(lines),
                       "inspection")
    inspector = pd.Series("", index=frame.index)
    if "inspectors" in parts:
        assign, *_ = parts["inspectors"]
        mapping = assign.drop_duplicates("inspectionID").set_index("inspectionID")["sanitarian"]
        inspector = frame["Inspection_ID"].map(mapping).fillna("")
    context = []
    context_cols: list[str] = []
    insp_key = pd.DataFrame({"Inspection_ID": frame["Inspection_ID"], "establishment_id": frame["License"],
                             "date": dates})
    if "heat" in parts:
        heat, hlines, hpath = parts["heat"]
        cols = ["heat_burglary", "heat_garbage", "heat_sanitation"]
        values = pd.DataFrame({c: _parse_number(reports(hpath), heat, hlines, c) for c in cols})
        values["Inspection_ID"] = heat["Inspection_ID"]
        context.append(insp_key.merge(values, on="Inspection_ID", how="inner").drop(columns="Inspection_ID"))
        context_cols += cols
    if "model_data" in parts:
        model, mlines, mpath = parts["model_data"]
        cols = [c for c in CHICAGO_LICENCE_COLUMNS if c in model.columns]
        values = pd.DataFrame({c: _parse_number(reports(mpath), model, mlines, c) for c in cols})
        values["Inspection_ID"] = model["Inspection_ID"]
        context.append(insp_key.merge(values, on="Inspection_ID", how="inner").drop(columns="Inspection_ID"))
        context_cols += cols
        if "inspectors" not in parts:
            mapping = model.drop_duplicates("Inspection_ID").set_index("Inspection_ID")["Inspector_Assigned"]
            inspector = frame["Inspection_ID"].map(mapping).fillna("")
    risk = frame["Risk"].map(lambda r: CHICAGO_RISK.get(normalise_label(r), np.nan)) if "Risk" in frame \
        else pd.Series(np.nan, index=frame.index)
    context.append(pd.DataFrame({"establishment_id": frame["License"], "date": dates, "risk_level": risk}))
    context_cols.append("risk_level")
    reports.raise_if_any()

    insp = _inspections_frame(frame["Inspection_ID"], frame["License"], dates, severity, critical > 0,
                              critical, inspector, Path(path).name)
    cols = {"establishment_id": "License", "name": "DBA_Name", "address": "Address", "postcode": "Zip",
            "activity": "Facility_Type_Clean", "latitude": "Latitude", "longitude": "Longitude"}
    attrs = _first_attributes(frame, dates, cols)
    for column in ("latitude", "longitude"):
        attrs[column] = as_float(attrs[column])
    attrs["commune"] = "Chicago"
    attrs["department"] = attrs["postcode"]  # ZIP code as the geographic group
    ctx = pd.concat(context, ignore_index=True)
    ctx = ctx.groupby(["establishment_id", "date"], as_index=False, sort=False).first()
    return History(establishments=_establishments(attrs), inspections=insp, context=ctx,
                   context_columns=context_cols, format="chicago", sources=[str(p) for p in paths],
                   target_description="inspection révélant au moins une infraction critique")


def load_history(fmt: str, paths: Sequence[str | Path], **kwargs) -> History:
    """Dispatch to the importer of ``fmt`` (canonical, alimconfiance, chicago)."""
    if fmt == "canonical":
        return load_canonical(paths)
    if fmt == "alimconfiance":
        return load_alimconfiance(paths, **kwargs)
    if fmt == "chicago":
        return load_chicago(paths)
    raise CiblageError(f"Format inconnu : « {fmt} ». Formats possibles : {', '.join(FORMATS)}.")
