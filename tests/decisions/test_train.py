"""Fine-tuning the NER on validated annotations: model, model card, before/after evaluation."""

from __future__ import annotations

import json

import pytest

from amorce.decisions import Pseudonymiser, load_annotations, load_decisions


@pytest.mark.slow
def test_train_writes_model_card_and_before_after_evaluation(court, tmp_path):
    from amorce.decisions.train import train_ner

    gold = load_annotations(court / "pseudonymisation_annotations.jsonl")
    texts = {d.id: d for d in load_decisions(court / "decisions.jsonl")}
    train = [texts["jurinet:2004813"], texts["jurica:2928708"]]
    evaluation = [texts["jurinet:2004816"]]
    card = train_ner(train, gold, tmp_path, evaluation=evaluation, epochs=1, chunk_chars=2000)
    assert (tmp_path / "model" / "meta.json").exists()
    assert "# Fiche modèle" in (tmp_path / "model-card.md").read_text(encoding="utf-8")
    report = json.loads((tmp_path / "evaluation.json").read_text(encoding="utf-8"))
    assert set(report) == {"avant", "apres"}
    assert {"personnePhysique_f1_avant", "personnePhysique_f1_apres"} <= set(card.metrics)
    result = Pseudonymiser(model=str(tmp_path / "model")).pseudonymise_one("M. Jean DUPONT est venu.")
    assert "DUPONT" not in result.text_pseudonymised
