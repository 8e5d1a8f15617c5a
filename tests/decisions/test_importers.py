"""Import from JSONL, Judilibre JSON, plain text and the Label treatment format."""

from __future__ import annotations

import json

import pytest

from amorce.core.errors import DataValidationError
from amorce.decisions import detect_format, load_annotations, load_decisions, to_judilibre


def test_jsonl_validation_reports_every_problem_with_its_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "Texte."}\n{"id": "a", "text": "Autre."}\n{pas du json}\n'
                    '{"text": "sans id"}\n{"id": "b", "text": ""}\n', encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_decisions(path)
    lines = sorted(p.line for p in info.value.problems)
    assert lines == [2, 3, 4, 5]
    assert "ligne 3" in info.value.message and "d.jsonl" in info.value.message


def test_shared_decisions_jsonl_accepts_doc_id(court):
    decisions = load_decisions(court / "decisions.jsonl")
    assert len(decisions) == 211
    assert decisions[0].id == "jurica:2928706" and decisions[0].metadata["jurisdiction"]


def test_judilibre_decision(court):
    path = court / "judilibre_api_example_decision.json"
    assert detect_format(path) == "judilibre"
    [decision] = load_decisions(path)
    assert decision.id == "5fca277de35a255d41ca73ab"
    assert decision.metadata["solution"] == "Rejet" and "zones" in decision.metadata
    out = to_judilibre(decision, "texte pseudonymisé")
    assert out["text"] == "texte pseudonymisé" and out["ecli"].startswith("ECLI:FR:CCASS")


def test_judilibre_search_results_without_text_are_rejected(tmp_path):
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"results": [{"id": "x", "summary": "…"}]}), encoding="utf-8")
    with pytest.raises(DataValidationError, match="texte absent"):
        load_decisions(path)


def test_text_files_folder(tmp_path):
    (tmp_path / "arret-1.txt").write_text("M. Jean DUPONT a formé un pourvoi.", encoding="utf-8")
    (tmp_path / "vide.txt").write_text("  ", encoding="utf-8")
    with pytest.raises(DataValidationError, match="vide"):
        load_decisions(tmp_path)
    (tmp_path / "vide.txt").unlink()
    [decision] = load_decisions(tmp_path)
    assert decision.id == "arret-1"


def test_label_record_document_and_treatments(shared_data):
    path = shared_data / "formats" / "label_treatment_format" / "juridependencies_label_juritj_673dfab6d3d2ca73960bde92.json"
    [decision] = load_decisions(path)
    assert decision.id == "juritj:3456079980"
    annotations = load_annotations(path)["juritj:3456079980"]
    # NLP added 33, supplementaryAnnotations removed 5 and added the « motivations » block
    assert len(annotations) == 33 - 5 + 1
    assert sum(a.category == "motivations" for a in annotations) == 1
    for ann in annotations:
        assert decision.text[ann.start:ann.end] == ann.text


def test_flattened_treatments_apply_in_order(court):
    gold = load_annotations(court / "pseudonymisation_annotations.jsonl")
    assert len(gold) == 60
    decisions = {d.id: d.text for d in load_decisions(court / "decisions.jsonl")}
    for doc_id, spans in gold.items():
        for span in spans:
            assert decisions[doc_id][span.start:span.end] == span.text


def test_a_decision_too_long_for_the_pipeline_is_refused_at_import_in_every_format(tmp_path):
    from amorce.decisions.importers import MAX_TEXT_CHARS

    long_text = "Attendu que " + "x" * MAX_TEXT_CHARS
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text(json.dumps({"id": "A", "text": "Court."}) + "\n" + json.dumps({"id": "B", "text": long_text})
                     + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_decisions(jsonl)
    assert [(p.line, p.column) for p in info.value.problems] == [(2, "text")]
    assert "texte trop long" in info.value.message and "500\u202f000 caractères au plus" in info.value.message
    folder = tmp_path / "textes"
    folder.mkdir()
    (folder / "longue.txt").write_text(long_text, encoding="utf-8")
    with pytest.raises(DataValidationError, match="décision « longue » : texte trop long"):
        load_decisions(folder, "texte")
    judilibre = tmp_path / "j.json"
    judilibre.write_text(json.dumps({"id": "J1", "text": long_text}), encoding="utf-8")
    with pytest.raises(DataValidationError, match="décision « J1 » : texte trop long"):
        load_decisions(judilibre, "judilibre")
