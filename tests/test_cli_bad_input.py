"""The same corpus of bad (and oddly encoded) input files through every file-reading command of the
six use cases (issue 19, « bad input on the command line » and « make it stay fixed »).

One table, :data:`COMMANDS`, says for each command which kinds of bad input apply to it. A kind is
either **accepted** (:data:`ACCEPTED`: UTF-8 with BOM, Windows-1252, an extra column): the command
succeeds and gives the same result as the clean UTF-8 file; or **refused** (every other kind): exit
code 2, a French message naming the file (and the line where there is one), never a traceback, and
no output file left behind. Files are tiny and the set-ups that need images are session-scoped.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from amorce.cli import app

runner = CliRunner()

ACCEPTED = ("bom", "cp1252", "colonne_en_plus")
# where the message must give the line of the problem (the header is line 1)
WITH_LINE = ("tronque", "ligne_enorme", "doublon", "colonne_manquante", "date_future")
HUGE = "x" * (1 << 20)  # a 1 MB line, no separator: past the CSV field limit, not JSON


def _aia_answers() -> str:
    """Complete answers to the impact questionnaire (lowest risk, no mitigation)."""
    from tests.programme.test_assessment import answers

    return json.dumps(answers("min"), ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Command:
    """A file-reading command: ``args`` with ``{src}`` (the file under test), ``{out}`` (an output
    path), ``{work}`` (the session's prepared folder); ``valid`` a clean content; ``kinds`` the bad
    kinds that apply, each a content (text written in UTF-8) or None for the generic ones."""

    args: tuple[str, ...]
    valid: str
    suffix: str
    kinds: dict[str, str | None]
    setup: str | None = None  # name of a session fixture giving the ``{work}`` folder
    data_dir: str | None = None  # session fixture giving a prepared AMORCE_DATA_DIR (read only)
    django_db: bool = False
    result: str = "stdout"  # what "the same result" compares: stdout (JSON or "text"), the --out file
    # ("out") or the terms stored ("thesaurus")
    names: tuple[str, ...] = field(default=("entree",))


def _csv(text: str, **kinds: str) -> dict[str, str | None]:
    """The generic kinds of a CSV file, plus the command's own."""
    return {"vide": None, "bom": None, "cp1252": None, "binaire": None, "ligne_enorme": None,
            "colonne_en_plus": _extra_column(text), **kinds}


def _extra_column(text: str) -> str:
    lines = text.splitlines()
    sep = ";" if ";" in lines[0] else ","
    return "\n".join([lines[0] + sep + "commentaire_libre", *(line + sep + "vu" for line in lines[1:])]) + "\n"


SELECT = "id,score,budget,group\nA-1,3.5,1000,Écoles\nA-2,2.0,500,Santé\n"
SUS = "q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n4,2,4,2,4,2,4,2,4,2\n"
DECISIONS = '{"id": "d1", "text": "Mme Élodie Marchand demeure 3 rue des Écoles."}\n'
HISTORY = ("inspection_id;establishment_id;date;outcome;inspector\n"
           "i1;e1;10/01/2022;Très satisfaisant;Hélène\ni2;e1;01/06/2022;A améliorer;Hélène\n")
FICHES = '{"id": "F1", "title": "Carte d\'électeur", "text": "Démarches à la mairie."}\n'
MEGADETECTOR = json.dumps({"info": {"format_version": "1.4"}, "detection_categories": {"1": "animal"},
                           "images": [{"file": "Élan/IMG_1.JPG", "detections": [
                               {"category": "1", "conf": 0.9, "bbox": [0.1, 0.1, 0.2, 0.2]}]}]},
                          ensure_ascii=False) + "\n"
REVIEWS = ("evenement,relecteur,type,taxon\nE1,Hélène,animal,Cervus elaphus\nE1,Zoé,animal,Capreolus capreolus\n"
           "E2,Hélène,blank,\nE2,Zoé,blank,\n")
DEPLOYMENTS = ("deploymentID,folder,locationName,latitude,longitude,deploymentStart,deploymentEnd\n"
               "cam-é1,site_A/cam1,Forêt domaniale,45.1,6.2,2024-05-01T00:00:00,2024-06-01T00:00:00\n")
SPECIES = ("cd_nom,nom_scientifique,nom_francais\n61057,Capreolus capreolus,Chevreuil européen\n"
           "61000,Cervus elaphus,Cerf élaphe\n")
METADATA = "fichier,dc:title,dc:date\np0.jpg,Église Saint-Étienne,1905-06-01\np1.jpg,Château,1910-01-01\n"
LABELS = "file,label\na/p0.jpg,église\na/p1.jpg,château\n"

COMMANDS: dict[str, Command] = {
    "programme select": Command(
        ("programme", "select", "--applications", "{src}", "--budget", "100000", "--json"), SELECT, ".csv",
        _csv(SELECT, tronque=SELECT + "A-3,abc", doublon=SELECT + "A-1,1.0,10,Écoles\n",
             colonne_manquante="id,budget,group\nA-1,1000,Écoles\n")),
    "programme sus": Command(
        ("programme", "sus", "--answers", "{src}", "--json"), SUS, ".csv",
        _csv(SUS, tronque=SUS + "4,2,4", colonne_manquante=SUS.replace(",q10", "").replace(",2\n", "\n"))),
    "programme aia": Command(
        ("programme", "aia", "--answers", "{src}", "--json"), _aia_answers(), ".json",
        {"vide": None, "bom": None, "cp1252": None, "binaire": None, "tronque": None}),
    "decisions pseudonymise": Command(
        ("decisions", "pseudonymise", "{src}", "--out", "{out}", "--sans-ner", "--engine", "serial"), DECISIONS,
        ".jsonl",
        {"vide": None, "bom": None, "cp1252": None, "binaire": None, "tronque": None,
         "ligne_enorme": None, "doublon": DECISIONS * 2, "colonne_manquante": '{"id": "d1"}\n',
         "colonne_en_plus": DECISIONS.replace('"text"', '"juridiction": "CA Lyon", "text"'),
         "sortie_inaccessible": DECISIONS}, result="out"),
    "ciblage check": Command(
        ("ciblage", "check", "--format", "canonical", "--history", "{src}", "--json"), HISTORY, ".csv",
        _csv(HISTORY, tronque=HISTORY + "i3;e2;31/02", doublon=HISTORY + "i2;e1;01/06/2022;A améliorer;Hélène\n",
             colonne_manquante=HISTORY.replace(";outcome", "").replace(";Très satisfaisant", "")
             .replace(";A améliorer", ""),
             date_future=HISTORY + "i3;e2;01/06/2099;A améliorer;Hélène\n")),
    "assistant index": Command(
        ("assistant", "index", "--source", "{src}", "--kb", "corpus"), FICHES, ".jsonl",
        {"vide": None, "bom": None, "cp1252": None, "binaire": None, "tronque": None, "ligne_enorme": None,
         "doublon": FICHES + FICHES.replace("Démarches", "Autres démarches"),
         "colonne_manquante": '{"id": "F1", "title": "Carte d\'électeur"}\n',
         "colonne_en_plus": FICHES.replace('"text"', '"theme": "Élections", "text"')}, result="text"),
    "biodiversite megadetector": Command(
        ("biodiversite", "megadetector", "{src}", "--json"), MEGADETECTOR, ".json",
        {"vide": None, "bom": None, "cp1252": None, "binaire": None, "tronque": None,
         "colonne_manquante": '{"info": {"format_version": "1.4"}}\n'}),
    "biodiversite accord": Command(
        ("biodiversite", "accord", "{src}", "--json"), REVIEWS, ".csv",
        _csv(REVIEWS, tronque=REVIEWS + "E3,Hélène,anim", doublon=REVIEWS + "E2,Zoé,animal,Cervus elaphus\n",
             colonne_manquante=REVIEWS.replace(",relecteur", "").replace(",Hélène", "").replace(",Zoé", ""))),
    "biodiversite analyse --deployments": Command(
        ("biodiversite", "analyse", "{work}/SD", "--deployments", "{src}", "--out", "{out}", "--engine", "serial",
         "--json"), DEPLOYMENTS, ".csv",
        _csv(DEPLOYMENTS, tronque=DEPLOYMENTS + "cam-2,site_A/cam2,Lis", doublon=DEPLOYMENTS + DEPLOYMENTS.split("\n")[1],
             colonne_manquante=DEPLOYMENTS.replace("deploymentID,", "").replace("cam-é1,", ""),
             date_future=DEPLOYMENTS.replace("2024-05-01", "2099-05-01").replace("2024-06-01", "2099-06-01"),
             sortie_inaccessible=DEPLOYMENTS),
        setup="season", result="stdout"),
    "biodiversite inventaire --liste-especes": Command(
        ("biodiversite", "inventaire", "{work}/paquet", "--liste-especes", "{src}", "--out", "{out}", "--json"),
        SPECIES, ".csv",
        _csv(SPECIES, tronque=SPECIES + "61", doublon=SPECIES + "61058,Capreolus capreolus,Chevreuil\n",
             colonne_manquante=SPECIES.replace("cd_nom,", "").replace("61057,", "").replace("61000,", ""),
             sortie_inaccessible=SPECIES),
        setup="package", result="stdout"),
    "archives index --metadonnees": Command(
        ("archives", "index", "{work}/fonds", "--collection", "fonds", "--metadonnees", "{src}", "--moteur",
         "serial", "--json"), METADATA, ".csv",
        _csv(METADATA, tronque=METADATA + '"p2.jpg,Pont', doublon=METADATA + "p0.jpg,Autre titre,1906\n",
             colonne_manquante=METADATA.replace("fichier,", "").replace("p0.jpg,", "").replace("p1.jpg,", "")),
        setup="photos", result="stdout"),
    "archives classer --etiquettes": Command(
        ("archives", "classer", "--collection", "fonds", "--etiquettes", "{src}", "--out", "{out}", "--json"),
        LABELS, ".csv",
        _csv(LABELS, tronque=LABELS + '"a/p2.jpg,égl', doublon=LABELS + "a/p0.jpg,château\n",
             colonne_manquante=LABELS.replace(",label", "").replace(",église", "").replace(",château", ""),
             sortie_inaccessible=LABELS),
        setup="photos", data_dir="indexed", result="out"),
    "archives thesaurus": Command(
        ("archives", "thesaurus", "{src}", "--collection", "fonds"),
        "uri,prefLabel,altLabel,broader\nhttp://ex.org/t/1,Édifice religieux,Église|Chapelle,\n"
        "http://ex.org/t/2,Château,,http://ex.org/t/1\n", ".csv",
        _csv("uri,prefLabel,altLabel,broader\nhttp://ex.org/t/1,Édifice religieux,Église|Chapelle,\n",
             tronque="uri,prefLabel,altLabel,broader\nhttp://ex.org/t/1,Édifice religieux,Église|Chapelle,\n"
                     '"http://ex.org/t/2,Châ',
             doublon="uri,prefLabel,altLabel,broader\nhttp://ex.org/t/1,Édifice,,\nhttp://ex.org/t/1,Église,,\n",
             colonne_manquante="altLabel,broader\nÉglise|Chapelle,\n"),
        django_db=True, result="thesaurus"),
}
for _name, _command in COMMANDS.items():  # the extra column of each CSV: on its own valid content
    if "colonne_en_plus" in _command.kinds and _command.kinds["colonne_en_plus"] is not None \
            and _command.suffix == ".csv":
        _command.kinds["colonne_en_plus"] = _extra_column(_command.valid)


def _cases(accepted: bool) -> list:
    return [pytest.param(name, kind, id=f"{name}-{kind}",
                         marks=[pytest.mark.django_db] if command.django_db else [])
            for name, command in COMMANDS.items() for kind in command.kinds if (kind in ACCEPTED) == accepted]


# ------------------------------------------------------------------------------------------------
# Session set-ups (images made once)


@pytest.fixture(scope="session")
def season(tmp_path_factory) -> Path:
    """Two frames of one camera (site_A/cam1), May 2024."""
    from datetime import datetime, timedelta

    from tests.biodiversite.samples import save_jpeg, scene

    root = tmp_path_factory.mktemp("saison")
    t0 = datetime(2024, 5, 10, 6, 0, 0)
    for i, x in enumerate((0.1, 0.5)):
        save_jpeg(scene(1, animal_at=(x, 0.4)), root / "SD" / "site_A" / "cam1" / f"IMG_{i:04d}.JPG",
                  t0 + timedelta(seconds=i))
    return root


@pytest.fixture(scope="session")
def package(season, tmp_path_factory) -> Path:
    """A Camtrap DP package: the season analysed once."""
    work = tmp_path_factory.mktemp("paquet")
    (work / "deployments.csv").write_text(DEPLOYMENTS, encoding="utf-8")
    result = runner.invoke(app, ["biodiversite", "analyse", str(season / "SD"), "--deployments",
                                 str(work / "deployments.csv"), "--out", str(work / "paquet"), "--engine", "serial"])
    assert result.exit_code == 0, result.output
    return work


@pytest.fixture(scope="session")
def photos(tmp_path_factory) -> Path:
    from tests.archives.conftest import picture

    root = tmp_path_factory.mktemp("photos")
    for n in range(4):
        (root / "fonds" / "a").mkdir(parents=True, exist_ok=True)
        picture(n).save(root / "fonds" / "a" / f"p{n}.jpg", quality=90)
    return root


@pytest.fixture(scope="session")
def indexed(photos, tmp_path_factory) -> Path:
    """A data folder holding the collection ``fonds`` indexed with its image features."""
    data = tmp_path_factory.mktemp("donnees-indexees")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AMORCE_DATA_DIR", str(data))
        result = runner.invoke(app, ["archives", "index", str(photos / "fonds"), "--collection", "fonds",
                                     "--caracteristiques", "--moteur", "serial"])
    assert result.exit_code == 0, result.output
    return data


# ------------------------------------------------------------------------------------------------


def content_for(valid: str, kinds: dict[str, str | None], kind: str) -> bytes:
    """The bytes of ``kind`` for a command (or an upload form) whose clean content is ``valid``."""
    given = kinds.get(kind)
    if kind == "propre":
        return valid.encode("utf-8")
    if kind == "vide":
        return b""
    if kind == "bom":
        return valid.encode("utf-8-sig")
    if kind == "cp1252":
        return valid.encode("cp1252")
    if kind == "binaire":
        return b"%PDF-1.7\x00\x01\x02\xff\xfe binaire" + valid.encode()
    if kind == "tronque" and given is None:  # a JSON document cut in the middle
        return valid.encode("utf-8")[: len(valid.encode("utf-8")) // 2]
    if kind == "ligne_enorme":
        return (valid + HUGE + "\n").encode("utf-8")
    return (given if given is not None else valid).encode("utf-8")


def _content(name: str, kind: str) -> bytes:
    command = COMMANDS[name]
    return content_for(command.valid, command.kinds, kind)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _run(name: str, kind: str, folder: Path, request, monkeypatch):
    """Run the command on the kind's file in ``folder``; returns the result, the output path and the
    files of the data folder before the run."""
    command = COMMANDS[name]
    folder.mkdir(parents=True)
    src = folder / f"entree{command.suffix}"
    src.write_bytes(_content(name, kind))
    out = folder / "sortie" / ("resultat.csv" if "archives" in name else "resultat.jsonl")
    if "biodiversite" in name:
        out = folder / "sortie" / "resultats"
    if kind == "sortie_inaccessible":
        (folder / "fichier.txt").write_text("pas un dossier")
        out = folder / "fichier.txt" / "resultats"
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
    work = request.getfixturevalue(command.setup) if command.setup else folder
    data = request.getfixturevalue(command.data_dir) if command.data_dir else folder / "donnees"
    monkeypatch.setenv("AMORCE_DATA_DIR", str(data))
    before = _files(data)
    args = [a.format(src=src, out=out, work=work) for a in command.args]
    return runner.invoke(app, args), src, out, data, before


@pytest.fixture
def thesaurus_collection():
    from amorce.archives.models import Collection

    Collection.objects.create(name="fonds", source="fonds", store="fonds")


def _prepare(name: str, request) -> None:
    if COMMANDS[name].django_db:
        request.getfixturevalue("thesaurus_collection")


ENGLISH = re.compile(r"Traceback|\b[A-Z][a-zA-Z]+(Error|Exception)\b|Expecting |No such file|Errno")


@pytest.mark.parametrize(("name", "kind"), _cases(accepted=False))
def test_bad_files_are_refused_in_french_with_exit_2_and_nothing_written(name, kind, tmp_path, request,
                                                                          monkeypatch):
    from amorce.core.errors import AmorceError

    _prepare(name, request)
    result, src, out, data, before = _run(name, kind, tmp_path / "cas", request, monkeypatch)
    error = result.exception
    if isinstance(error, AmorceError):  # ``amorce`` (its main) prints the message and exits with its code
        code, message = error.exit_code, error.message
    else:  # the command printed its message and exited itself (typer.Exit)
        assert error is None or isinstance(error, SystemExit), (result.output, repr(error))
        code, message = result.exit_code, result.output
    assert code == 2, (code, message)
    named = out.parent.name if kind == "sortie_inaccessible" else src.name
    assert named in message or (kind != "sortie_inaccessible" and src.stem in message), message
    if kind in WITH_LINE:
        assert re.search(r"[Ll]igne", message), message
    assert not ENGLISH.search(message), message
    if kind != "sortie_inaccessible":
        assert _files(out.parent) == [], "nothing written on failure"
    assert _files(data) == before, "nothing stored on failure"


def _result(name: str, result, out: Path, folder: Path) -> object:
    kind = COMMANDS[name].result
    if kind == "out":
        return out.read_text(encoding="utf-8") if out.is_file() else sorted(p.name for p in _files(out))
    if kind == "text":  # the summary printed (paths and durations aside)
        return re.sub(r"\d+[,.]\d+ ?s\b", "", result.stdout.replace(str(folder), "<dossier>"))
    if kind == "thesaurus":  # the terms stored, as read from the database
        from amorce.archives.models_labels import Term

        return sorted((t.uri, t.label, tuple(t.alt_labels), tuple(t.broader)) for t in Term.objects.all())
    text = result.stdout.replace(str(folder), "<dossier>")
    return json.loads(text[text.index("{"):])


@pytest.mark.parametrize(("name", "kind"), _cases(accepted=True))
def test_bom_windows_1252_and_extra_columns_give_the_clean_file_s_result(name, kind, tmp_path, request,
                                                                         monkeypatch):
    _prepare(name, request)
    results = []
    for case, folder in (("propre", tmp_path / "propre"), (kind, tmp_path / "variante")):
        result, src, out, data, _ = _run(name, case, folder, request, monkeypatch)
        assert result.exit_code == 0, (result.output, repr(result.exception))
        results.append(_result(name, result, out, folder))
        if COMMANDS[name].data_dir:
            shutil.rmtree(out.parent, ignore_errors=True)
    if kind != "colonne_en_plus" or COMMANDS[name].result != "stdout":
        assert results[0] == results[1]
    else:  # the summary may list the extra column; the figures are the same
        assert _figures(results[0]) == _figures(results[1])


def _figures(value):
    """Numbers of a JSON summary (the extra column may add names, never change a figure)."""
    if isinstance(value, dict):
        return {k: _figures(v) for k, v in value.items() if not isinstance(v, str)}
    if isinstance(value, list):
        return [_figures(v) for v in value if not isinstance(v, str)]
    return value
