"""Read court decisions and their annotations from the formats courts already use.

* JSON Lines ``{id, text, ...metadata}`` (``doc_id`` is accepted for ``id``);
* the Judilibre API JSON (one ``/decision`` response, a list of them, or a search response whose
  ``results`` carry the text);
* plain text files (a file, or a folder of ``*.txt``; the id is the file name without extension);
* the Label treatment format: raw Label records ``{"document": …, "treatments": […]}`` (one, or a
  list) and the flattened treatments JSONL of ``french_court_decisions``
  (``doc_id, treatment_order, added_annotations, removed_annotations``).

Every problem is reported with its file and line before anything is processed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from amorce.core.errors import BAD_INPUT, InputError, ValidationReport
from amorce.core.files import iter_jsonl_objects, open_text
from amorce.core.formats import number as format_number

from .errors import DecisionsError
from .schema import Decision, Entity, entity_key

FORMATS = ("auto", "jsonl", "judilibre", "texte", "label")
_LABEL_TEXT_KEYS = ("text",)


def _exists(path: Path) -> None:
    if not path.exists():
        raise DecisionsError(f"Fichier introuvable : {path}", path=str(path), exit_code=BAD_INPUT)


def detect_format(path: str | Path) -> str:
    """Guess the format from the extension and, for ``.json``, from the content's keys."""
    path = Path(path)
    _exists(path)
    if path.is_dir() or path.suffix.lower() in (".txt", ".text"):
        return "texte"
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        with open_text(path) as handle:
            for raw in handle:
                if raw.strip():
                    try:
                        first = json.loads(raw)
                    except json.JSONDecodeError:
                        return "jsonl"  # the validator reports the line
                    return "label" if isinstance(first, dict) and "treatment_order" in first else "jsonl"
        return "jsonl"
    if path.suffix.lower() == ".json":
        data = _load_json(path)
        sample = data[0] if isinstance(data, list) and data else data
        if isinstance(sample, dict) and ("document" in sample and "treatments" in sample):
            return "label"
        return "judilibre"
    raise DecisionsError(
        f"Format de fichier non reconnu : {path.name}. Formats acceptés : .jsonl (un objet "
        "{id, text, …} par ligne), .json (API Judilibre ou enregistrement Label), .txt ou dossier "
        "de fichiers .txt.", path=str(path))


def _load_json(path: Path) -> Any:
    try:
        with open_text(path) as handle:
            return json.loads(handle.read())
    except json.JSONDecodeError as exc:
        report = ValidationReport(file=str(path))
        report.add(f"JSON invalide ({exc.msg}, colonne {exc.colno})", line=exc.lineno,
                   expected="un document JSON")
        report.raise_if_any()


# --------------------------------------------------------------------------------------- JSONL
def _check_decision_obj(obj: Any, line: int | None, report: ValidationReport, seen: set[str]) -> bool:
    if not isinstance(obj, dict):
        report.add("l'entrée n'est pas un objet JSON", line=line, expected="un objet {id, text, …}")
        return False
    ok = True
    ident = obj.get("id", obj.get("doc_id"))
    if ident is None or ident == "":
        report.add("identifiant absent", line=line, column="id", expected="un champ « id » non vide")
        ok = False
    elif not isinstance(ident, str | int):
        report.add("identifiant invalide", line=line, column="id", value=ident,
                   expected="une chaîne ou un entier")
        ok = False
    elif str(ident) in seen:
        report.add("identifiant en double", line=line, column="id", value=ident,
                   expected="un identifiant unique par décision")
        ok = False
    else:
        seen.add(str(ident))
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        report.add("texte absent ou vide", line=line, column="text",
                   expected="le texte intégral de la décision (chaîne non vide)")
        ok = False
    elif len(text) > MAX_TEXT_CHARS:
        report.add(_too_long(len(text)), line=line, column="text", expected=_TOO_LONG_EXPECTED)
        ok = False
    return ok


# The longest decision the pipeline accepts. Real decisions run to a few hundred thousand characters at
# most; a text far longer is a wrong file (several decisions glued together, a binary converted to
# text), and would make the language model fail after the import had accepted it.
MAX_TEXT_CHARS = 500_000
_TOO_LONG_EXPECTED = f"une décision de {format_number(MAX_TEXT_CHARS)} caractères au plus (vérifiez le fichier ou découpez-le)"


def _too_long(length: int) -> str:
    return f"texte trop long ({format_number(length)} caractères)"


def _check_lengths(decisions: list[Decision], path: Path) -> list[Decision]:
    """Every format ends here: a decision above :data:`MAX_TEXT_CHARS` is refused, named by its id."""
    report = ValidationReport(file=str(path))
    for decision in decisions:
        if len(decision.text) > MAX_TEXT_CHARS:
            report.add(f"décision « {decision.id} » : {_too_long(len(decision.text))}", column="text",
                       expected=_TOO_LONG_EXPECTED)
    report.raise_if_any("Des décisions sont trop longues ; rien n'a été importé")
    return decisions


def _decision_from_obj(obj: dict[str, Any]) -> Decision:
    meta = {k: v for k, v in obj.items() if k not in ("id", "doc_id", "text")}
    return Decision(id=str(obj.get("id", obj.get("doc_id"))), text=obj["text"], metadata=meta)


def validate_jsonl(path: str | Path) -> int:
    """Check every line of a decisions JSONL file; return the number of decisions."""
    path = Path(path)
    _exists(path)
    report = ValidationReport(file=str(path))
    seen: set[str] = set()
    count = 0
    for number, obj in iter_jsonl_objects(path, report):
        count += _check_decision_obj(obj, number, report, seen)
    if not count and not report.problems:
        report.add("fichier vide : aucune décision", expected="un objet {id, text, …} par ligne")
    report.raise_if_any("Le fichier de décisions est invalide")
    return count


def iter_jsonl(path: str | Path) -> Iterator[Decision]:
    """Stream decisions from a JSONL file already checked by :func:`validate_jsonl`."""
    with open_text(path) as handle:
        for raw in handle:
            if raw.strip():
                yield _decision_from_obj(json.loads(raw))


# ----------------------------------------------------------------------------------- Judilibre
JUDILIBRE_META = ("source", "jurisdiction", "chamber", "formation", "number", "numbers", "ecli",
                  "decision_date", "solution", "type", "publication", "zones", "summary", "themes")


def _judilibre_items(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    if isinstance(data, list):
        return data
    return [data]


def read_judilibre(path: Path) -> list[Decision]:
    data = _load_json(path)
    report = ValidationReport(file=str(path))
    out, seen = [], set()
    for index, item in enumerate(_judilibre_items(data), start=1):
        where = f"décision n° {index}"
        if not isinstance(item, dict):
            report.add(f"{where} : objet attendu", expected="une réponse /decision de Judilibre")
            continue
        if not item.get("id"):
            report.add(f"{where} : identifiant absent", column="id")
            continue
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            report.add(f"{where} : texte absent (réponse de recherche sans texte intégral ?)",
                       column="text", expected="le champ « text » de /decision")
            continue
        if item["id"] in seen:
            report.add(f"{where} : identifiant en double", column="id", value=item["id"])
            continue
        seen.add(item["id"])
        meta = {k: item[k] for k in JUDILIBRE_META if k in item}
        out.append(Decision(id=str(item["id"]), text=item["text"], metadata=meta))
    report.raise_if_any("Le fichier Judilibre est invalide")
    return out


def to_judilibre(decision: Decision, text_pseudonymised: str) -> dict[str, Any]:
    """A Judilibre-like ``/decision`` object carrying the pseudonymised text."""
    out = {"id": decision.id, **{k: v for k, v in decision.metadata.items() if k in JUDILIBRE_META}}
    out["text"] = text_pseudonymised
    return out


# ---------------------------------------------------------------------------------- plain text
def read_text_files(path: Path) -> list[Decision]:
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    if not files:
        raise DecisionsError(f"Aucun fichier .txt dans le dossier {path}.", path=str(path))
    report = ValidationReport()
    out = []
    for file in files:
        try:
            with open_text(file) as handle:
                text = handle.read()
        except InputError as exc:  # binary, or an encoding that is neither UTF-8 nor Windows-1252
            report.problems.append(_problem(file, exc.message.split(" : ", 1)[-1]))
            continue
        if not text.strip():
            report.problems.append(_problem(file, "fichier vide"))
            continue
        out.append(Decision(id=file.stem, text=text, metadata={"file": file.name}))
    report.raise_if_any("Des fichiers texte sont invalides")
    return out


def _problem(file: Path, message: str):
    from amorce.core.errors import Problem

    return Problem(message=message, file=str(file))


# --------------------------------------------------------------------------------------- Label
def _oid(value: Any) -> str:
    return value.get("$oid", "") if isinstance(value, dict) else str(value or "")


def _label_doc_id(document: dict[str, Any]) -> str:
    if document.get("source") and document.get("documentNumber") is not None:
        return f"{document['source']}:{document['documentNumber']}"
    return _oid(document.get("_id")) or str(document.get("externalId", ""))


def _label_records(path: Path) -> list[dict[str, Any]]:
    data = _load_json(path)
    records = data if isinstance(data, list) else [data]
    report = ValidationReport(file=str(path))
    for index, rec in enumerate(records, start=1):
        if not isinstance(rec, dict) or not isinstance(rec.get("document"), dict):
            report.add(f"enregistrement n° {index} : objet « document » absent",
                       expected='{"document": {…}, "treatments": […]}')
        elif not isinstance(rec["document"].get("text"), str):
            report.add(f"enregistrement n° {index} : texte du document absent", column="document.text")
    report.raise_if_any("Le fichier Label est invalide")
    return records


def read_label(path: Path) -> list[Decision]:
    out = []
    for rec in _label_records(path):
        doc = rec["document"]
        meta = {"source": doc.get("source"), "title": doc.get("title"),
                "decisionMetadata": doc.get("decisionMetadata", {}), "zoning": doc.get("zoning"),
                "label_status": doc.get("status")}
        out.append(Decision(id=_label_doc_id(doc), text=doc["text"], metadata=meta))
    return out


def _apply_diff(state: dict[tuple[int, int, str], Entity], removed, added) -> None:
    for ann in removed:
        state.pop((ann["start"], ann["end"], ann["category"]), None)
    for ann in added:
        state[(ann["start"], ann["end"], ann["category"])] = Entity(
            start=ann["start"], end=ann["end"], category=ann["category"], text=ann.get("text", ""),
            score=float(ann.get("score", 1.0) or 1.0), source="label",
            entity_id=ann.get("entity_id") or ann.get("entityId") or entity_key(ann["category"], ann.get("text", "")))


def _with_end(anns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**a, "end": a.get("end", a["start"] + len(a.get("text", "")))} for a in anns]


def load_annotations(path: str | Path) -> dict[str, list[Entity]]:
    """Annotations per decision id, all treatments applied in order (Label's commit pattern).

    Accepts the flattened treatments JSONL, raw Label records (``.json``), and the output of
    ``amorce decisions pseudonymise`` (``{id, entities: [...]}``), so any of them can be a gold.
    """
    path = Path(path)
    _exists(path)
    if path.suffix.lower() == ".json":
        state: dict[str, dict] = {}
        for rec in _label_records(path):
            doc_id = _label_doc_id(rec["document"])
            current = state.setdefault(doc_id, {})
            for treat in sorted(rec.get("treatments", []), key=lambda t: t.get("order", 0)):
                diff = treat.get("annotationsDiff", {})
                _apply_diff(current, _with_end(diff.get("before", [])), _with_end(diff.get("after", [])))
        return {k: sorted(v.values(), key=lambda e: (e.start, e.end)) for k, v in state.items()}
    report = ValidationReport(file=str(path))
    rows: list[tuple[int, dict]] = []
    for number, obj in iter_jsonl_objects(path, report):
        if not (obj.get("doc_id") or obj.get("id")):
            report.add("identifiant de décision absent", line=number, column="doc_id")
            continue
        spans = obj.get("entities", []) + obj.get("added_annotations", []) + obj.get("removed_annotations", [])
        for k, ann in enumerate(spans):
            if not isinstance(ann, dict) or not all(isinstance(ann.get(f), int) for f in ("start", "end")) \
                    or not isinstance(ann.get("category"), str):
                report.add(f"annotation n° {k + 1} invalide", line=number,
                           expected="{start: entier, end: entier, category: texte}")
            elif ann["end"] <= ann["start"]:
                report.add(f"annotation n° {k + 1} : fin avant début", line=number,
                           value=f"{ann['start']}-{ann['end']}")
        rows.append((number, obj))
    report.raise_if_any("Le fichier d'annotations est invalide")
    state = {}
    ordered = sorted(rows, key=lambda r: (str(r[1].get("doc_id") or r[1].get("id")),
                                          r[1].get("treatment_order", 0)))
    for _, obj in ordered:
        doc_id = str(obj.get("doc_id") or obj.get("id"))
        current = state.setdefault(doc_id, {})
        _apply_diff(current, obj.get("removed_annotations", []),
                    obj.get("added_annotations", []) + obj.get("entities", []))
    return {k: sorted(v.values(), key=lambda e: (e.start, e.end)) for k, v in state.items()}


# --------------------------------------------------------------------------------------- entry
def load_decisions(path: str | Path, fmt: str = "auto") -> list[Decision]:
    """Read decisions from any supported format (see module doc); all problems reported at once."""
    path = Path(path)
    _exists(path)
    if fmt not in FORMATS:
        raise DecisionsError(f"Format inconnu : {fmt}. Formats : {', '.join(FORMATS)}.")
    fmt = detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl":
        validate_jsonl(path)  # lengths checked line by line
        return list(iter_jsonl(path))
    if fmt == "judilibre":
        return _check_lengths(read_judilibre(path), path)
    if fmt == "texte":
        return _check_lengths(read_text_files(path), path)
    if path.suffix.lower() != ".json":
        raise DecisionsError(
            f"{path.name} contient des traitements Label sans le texte des décisions : utilisez-le comme "
            "annotations (--gold) avec le fichier de décisions correspondant.")
    return _check_lengths(read_label(path), path)
