"""The same corpus of bad (and oddly encoded) input files through every file-reading command: a
French message naming the file, exit code 2, never a traceback, nothing written on failure; UTF-8
with BOM and Windows-1252 files are read like UTF-8 ones (issue: « bad input on the command line »)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from amorce.cli import app

runner = CliRunner()


def _aia_answers() -> str:
    """Complete answers to the impact questionnaire (lowest risk, no mitigation)."""
    import json

    from tests.programme.test_assessment import answers

    return json.dumps(answers("min"), ensure_ascii=False) + "\n"


# Each command: its arguments (``{src}`` the input file, ``{out}`` an output path) and a valid content.
COMMANDS = {
    "programme select": (["programme", "select", "--applications", "{src}", "--budget", "100000", "--json"],
                         "id,score,budget,group\nA-1,3.5,1000,Écoles\nA-2,2.0,500,Santé\n", ".csv"),
    "programme sus": (["programme", "sus", "--answers", "{src}", "--json"],
                      "q1,q2,q3,q4,q5,q6,q7,q8,q9,q10\n4,2,4,2,4,2,4,2,4,2\n", ".csv"),
    "decisions pseudonymise": (["decisions", "pseudonymise", "{src}", "--out", "{out}", "--sans-ner",
                                "--engine", "serial"],
                               '{"id": "d1", "text": "Mme Élodie Marchand demeure 3 rue des Écoles."}\n', ".jsonl"),
    "ciblage check": (["ciblage", "check", "--format", "canonical", "--history", "{src}", "--json"],
                      "inspection_id;establishment_id;date;outcome;inspector\n"
                      "i1;e1;10/01/2022;Très satisfaisant;Hélène\ni2;e1;01/06/2022;A améliorer;Hélène\n", ".csv"),
    "programme aia": (["programme", "aia", "--answers", "{src}", "--json"], _aia_answers(), ".json"),
    "assistant index": (["assistant", "index", "--source", "{src}", "--kb", "corpus"],
                        '{"id": "F1", "title": "Carte d\'électeur", "text": "Démarches à la mairie."}\n', ".jsonl"),
}
BAD = {
    "vide": b"",
    "binaire": b"%PDF-1.7\x00\x01\x02\xff\xfe binaire",
    "tronque": None,  # the valid content cut in the middle of its last line
}


def _run(name: str, tmp_path: Path, content: bytes, monkeypatch) -> tuple[object, Path]:
    args, _, suffix = COMMANDS[name]
    src, out = tmp_path / f"entree{suffix}", tmp_path / "sortie" / "resultat.jsonl"
    out.parent.mkdir()
    src.write_bytes(content)
    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path / "data"))
    result = runner.invoke(app, [a.format(src=src, out=out) for a in args])
    return result, out


def _clean_failure(result, out: Path) -> str:
    """``amorce`` (its ``main``) prints an AmorceError's French message and exits with its code; any
    other exception would reach the user as a traceback."""
    from amorce.core.errors import AmorceError

    error = result.exception
    assert isinstance(error, AmorceError), (result.output, repr(error))
    assert error.exit_code == 2, error.exit_code
    assert "entree" in error.message, error.message  # names the file
    assert not out.exists() and not list(out.parent.iterdir()), "nothing written on failure"
    return error.message


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("kind", list(BAD))
def test_bad_files_get_a_french_error_and_exit_2(name, kind, tmp_path, monkeypatch):
    content = BAD[kind]
    if content is None:
        valid = COMMANDS[name][1].encode("utf-8")
        content = valid[: len(valid) - 12]
        if name in ("programme sus", "programme select", "ciblage check"):
            content = valid + (b"i3;e2;31/02" if name == "ciblage check" else b"A-3,abc")  # a cut last row
    result, out = _run(name, tmp_path, content, monkeypatch)
    _clean_failure(result, out)


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_bom_and_windows_1252_files_are_read(name, encoding, tmp_path, monkeypatch):
    text = COMMANDS[name][1]
    result, out = _run(name, tmp_path, text.encode(encoding), monkeypatch)
    assert result.exit_code == 0, (result.output, repr(result.exception))
