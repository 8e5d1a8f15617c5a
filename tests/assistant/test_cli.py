"""``amorce assistant index / ask / evaluate`` command lines."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from amorce.assistant import AssistantError
from amorce.cli import app

runner = CliRunner()


def test_ask_json_contract(kb_root: Path, monkeypatch) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(kb_root))
    monkeypatch.delenv("LLM_BASE_URL", raising=False)
    result = runner.invoke(app, ["assistant", "ask", "je suis étudiant, je dois payer la taxe d'habitation ?",
                                 "--kb", "sp-test", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"answer", "sources", "confidence", "refused"}
    assert payload["refused"] is False and 0 <= payload["confidence"] <= 1
    assert payload["sources"][0]["id"] == "F274"
    assert set(payload["sources"][0]) == {"id", "title", "url", "score"}


def test_index_and_ask_in_french(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path / "data"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "piscine.md").write_text("# Horaires de la piscine municipale\n\n## Été\n\nOuverte de 10 h à 19 h.\n",
                                     encoding="utf-8")
    result = runner.invoke(app, ["assistant", "index", "--source", str(docs), "--kb", "ville"])
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output or "1 document" in result.output
    result = runner.invoke(app, ["assistant", "ask", "horaires de la piscine municipale en été", "--kb", "ville"])
    assert result.exit_code == 0, result.output
    assert "Horaires de la piscine municipale" in result.output


def test_missing_knowledge_base_is_a_clear_french_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["assistant", "ask", "question", "--kb", "absente", "--json"])
    assert isinstance(result.exception, AssistantError)
    assert "amorce assistant index --source" in result.exception.message


def test_help_is_in_french() -> None:
    result = runner.invoke(app, ["assistant", "--help"])
    assert result.exit_code == 0 and "Assistant citoyen" in result.output
    assert "Indexer" in runner.invoke(app, ["assistant", "index", "--help"]).output
