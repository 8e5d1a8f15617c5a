"""Evaluation metrics, the overlay of gold corrections, and the CLI contract."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from amorce.cli import app
from amorce.decisions import Entity, apply_overlay, evaluate, load_overlay, select_split, split_of

from .conftest import DATA

runner = CliRunner()


def _e(s, e, c, text=""):
    return Entity(s, e, c, text)


def test_strict_and_token_metrics_leak_and_professionals():
    text = "M. Jean DUPONT et Mme Anne MARTIN, présidente, et M. Paul DURAND."
    gold = {"d": [_e(3, 7, "personnePhysique"), _e(8, 14, "personnePhysique"), _e(22, 26, "professionnelMagistratGreffier"),
                  _e(27, 33, "professionnelMagistratGreffier"), _e(54, 58, "personnePhysique"), _e(59, 65, "personnePhysique")]}
    pred = {"d": [_e(3, 14, "personnePhysique"), _e(22, 26, "personnePhysique"), _e(54, 58, "personnePhysique")]}
    report = evaluate(gold, pred, {"d": text})
    pp = report["per_category"]["personnePhysique"]
    assert (pp["strict"]["tp"], pp["strict"]["fp"], pp["strict"]["fn"]) == (1, 2, 3)
    assert (pp["token"]["tp"], pp["token"]["fp"], pp["token"]["fn"]) == (3, 1, 1)  # DURAND missed
    assert report["leak"] == {"decisions_with_leak": 1, "share": 1.0, "leaked_person_mentions": 1,
                              "person_mentions": 4}
    assert report["professionals"]["wrongly_masked"] == 1  # « Anne » replaced


def test_predictions_inside_a_hidden_motivations_block_are_not_scored():
    text = "Motifs occultés : M. Jean DUPONT."
    gold = {"d": [_e(0, len(text), "motivations")]}
    pred = {"d": [_e(21, 25, "personnePhysique")]}
    assert evaluate(gold, pred, {"d": text})["micro"]["strict"]["fp"] == 0


def test_split_is_deterministic_and_disjoint():
    ids = [f"jurinet:{i}" for i in range(100)]
    dev, test = select_split(ids, "dev"), select_split(ids, "test")
    assert set(dev) | set(test) == set(ids) and not set(dev) & set(test)
    assert 30 < len(dev) < 70 and all(split_of(i) == "dev" for i in dev)


def test_overlay_refers_to_real_gold_spans_without_copying_texts(court):
    from amorce.decisions import load_annotations, load_decisions

    overlay = load_overlay(DATA / "gold_overlay.jsonl")
    assert overlay and all("text" not in row for row in overlay)
    gold = load_annotations(court / "pseudonymisation_annotations.jsonl")
    texts = {d.id: d.text for d in load_decisions(court / "decisions.jsonl")}
    for row in overlay:
        if row.get("was"):
            assert any(e.start == row["start"] and e.end == row["end"] for e in gold[row["doc_id"]])
    corrected = apply_overlay(gold, overlay, texts)
    removed = sum(1 for row in overlay if row["category"] is None)
    assert sum(map(len, corrected.values())) == sum(map(len, gold.values())) - removed + sum(
        1 for row in overlay if row.get("was") is None)


@pytest.fixture
def small_input(tmp_path, tricky):
    path = tmp_path / "in.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for doc in tricky[:2]:
            handle.write(json.dumps({"id": doc["id"], "text": doc["text"], "juridiction": "CA Lyon"},
                                    ensure_ascii=False) + "\n")
    return path


def test_cli_pseudonymise_contract(small_input, tmp_path, tricky):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["decisions", "pseudonymise", str(small_input), "--out", str(out),
                                 "--engine", "serial"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [d["id"] for d in tricky[:2]]
    for row, doc in zip(rows, tricky[:2], strict=True):
        assert set(row) == {"id", "text_pseudonymised", "entities"}
        for ent in row["entities"]:
            assert {"start", "end", "category", "text", "replacement"} <= set(ent)
            assert doc["text"][ent["start"]:ent["end"]] == ent["text"]
        assert "BOULANGER" not in row["text_pseudonymised"] or doc["id"] != "piege-majuscules"


def test_cli_rejects_bad_input_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "ok"}\n{"id": "2"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("ancien contenu", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", "from amorce.cli import main; main()", "decisions",
                             "pseudonymise", str(bad), "--out", str(out), "--engine", "serial"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    message = result.stderr
    assert "ligne 2" in message and "ligne 3" in message and "bad.jsonl" in message
    assert out.read_text(encoding="utf-8") == "ancien contenu"  # nothing half-written


def test_cli_evaluate_with_predictions_file_json(court, tmp_path):
    gold_file = tmp_path / "gold.jsonl"
    ids = ["jurinet:2004813", "jurica:2928708"]
    with (court / "pseudonymisation_annotations.jsonl").open(encoding="utf-8") as src, gold_file.open("w") as dst:
        for line in src:
            if json.loads(line)["doc_id"] in ids:
                dst.write(line)
    # a perfect prediction file: the gold itself in the output format
    from amorce.decisions import load_annotations

    gold = load_annotations(gold_file)
    pred_file = tmp_path / "pred.jsonl"
    with pred_file.open("w", encoding="utf-8") as handle:
        for doc_id, spans in gold.items():
            handle.write(json.dumps({"id": doc_id, "entities": [
                {"start": e.start, "end": e.end, "category": e.category, "text": e.text} for e in spans]}) + "\n")
    result = runner.invoke(app, ["decisions", "evaluate", "--gold", str(gold_file), "--pred", str(pred_file),
                                 "--decisions", str(court / "decisions.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["micro"]["strict"]["f1"] == 1.0 and report["leak"]["share"] == 0.0
    assert report["decisions"] == 2 and report["reference"] == "raw" and "corrected" not in report
    # with corrections: the raw reference's figures stay first, the corrected ones come second with
    # every correction and its reason
    first = gold["jurinet:2004813"][0]
    overlay = tmp_path / "overlay.jsonl"
    overlay.write_text(json.dumps({"doc_id": "jurinet:2004813", "start": first.start, "end": first.end,
                                   "category": None, "was": first.category, "note": "raison de test"}) + "\n"
                       + json.dumps({"doc_id": "autre:1", "start": 0, "end": 3, "category": None, "was": "x",
                                     "note": "autre décision"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["decisions", "evaluate", "--gold", str(gold_file), "--pred", str(pred_file),
                                 "--decisions", str(court / "decisions.jsonl"), "--overlay", str(overlay), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["reference"] == "raw" and report["micro"]["strict"]["f1"] == 1.0
    assert report["corrected"]["micro"]["strict"]["precision"] < 1.0  # the prediction keeps the removed span
    assert report["corrected"]["corrections"] == [
        {"doc_id": "jurinet:2004813", "start": first.start, "end": first.end, "was": first.category,
         "category": None, "reason": "raison de test"}]
    result = runner.invoke(app, ["decisions", "evaluate", "--gold", str(gold_file), "--pred", str(pred_file),
                                 "--decisions", str(court / "decisions.jsonl"), "--overlay", str(overlay)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("référence brute") < out.index("raison de test") < out.index("référence corrigée")


def test_cli_import_label_record(shared_data, tmp_path):
    src = shared_data / "formats" / "label_treatment_format" / "juridependencies_label_jurinet_673dfab6d3d2ca7b3d0bde2f.json"
    out = tmp_path / "label.jsonl"
    result = runner.invoke(app, ["decisions", "importer", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["id"].startswith("jurinet:") and row["text"]


def test_cli_objectiver_and_rechercher(court):
    src = str(court / "decisions.jsonl")
    result = runner.invoke(app, ["decisions", "objectiver", src, "--filtre", "source=jurica", "--json"])
    assert result.exit_code == 0, result.output
    dist = json.loads(result.stdout)
    assert dist["stats"]["count"] == len(dist["decisions"]) >= 10 and dist["limits"]
    assert all(d["id"].startswith("jurica:") for d in dist["decisions"])
    result = runner.invoke(app, ["decisions", "rechercher", src, "prolongation de la rétention administrative",
                                 "-k", "3", "--lexical", "--filtre", "source=jurica", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and all(h["id"].startswith("jurica:") and h["highlights"] for h in hits)
    bad = runner.invoke(app, ["decisions", "objectiver", src, "--filtre", "source"])
    assert bad.exit_code != 0 and "clé=valeur" in str(bad.exception)


def test_cli_evaluate_writes_every_disagreement_to_csv(court, tmp_path):
    """--ecarts lists what the prediction misses and adds, with context, for reviewing the reference."""
    import csv

    from amorce.decisions import load_annotations

    gold_file = tmp_path / "gold.jsonl"
    with (court / "pseudonymisation_annotations.jsonl").open(encoding="utf-8") as src, gold_file.open("w") as dst:
        for line in src:
            if json.loads(line)["doc_id"] == "jurinet:2004813":
                dst.write(line)
    spans = load_annotations(gold_file)["jurinet:2004813"]
    dropped, kept = spans[0], spans[1:]
    from amorce.decisions import load_decisions

    text = next(d.text for d in load_decisions(court / "decisions.jsonl") if d.id == "jurinet:2004813")
    extra = {"start": 0, "end": 5, "category": "personnePhysique", "text": text[:5]}
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text(json.dumps({"id": "jurinet:2004813", "entities": [extra] + [
        {"start": e.start, "end": e.end, "category": e.category, "text": e.text} for e in kept]}) + "\n",
                         encoding="utf-8")
    out = tmp_path / "ecarts.csv"
    result = runner.invoke(app, ["decisions", "evaluate", "--gold", str(gold_file), "--pred", str(pred_file),
                                 "--decisions", str(court / "decisions.jsonl"), "--ecarts", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 écart(s)" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {(r["kind"], r["category"], int(r["start"]), int(r["end"]), r["text"]) for r in rows} == {
        ("manque", dropped.category, dropped.start, dropped.end, dropped.text),
        ("en trop", "personnePhysique", 0, 5, text[:5]),
    }
    assert all(r["decision"] == "jurinet:2004813" and r["text"] in r["context"].replace("⏎", "\n") for r in rows)
