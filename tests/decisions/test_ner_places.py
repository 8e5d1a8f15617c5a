"""Addresses and localities of a NER fine-tuned with ``amorce decisions train --cibles lieux``: read by
the pipeline as a last resort (spans given by hand here, so the rules are tested without a model), and
the model chosen with ``AMORCE_DECISIONS_NER_MODEL``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amorce.decisions import Pseudonymiser
from amorce.decisions.pipeline import MODEL, MODEL_ENV, map_back, ner_input

BLIND = Path(__file__).parent / "data" / "blind"


def _span(text: str, words: str, label: str) -> tuple[int, int, str]:
    start = text.index(words)
    return (start, start + len(words), label)


def _places(entities):
    return [(e.text, e.category, e.source) for e in entities if e.source.startswith("spacy:")]


def test_a_free_place_span_of_the_model_is_masked(rules_only):
    text = "Il a grandi entre Tarrafal et Pedra Badejo, puis dans une maison Old Kotei Road, près du marché."
    assert rules_only.detect(text, []) == []  # what the rules alone miss
    entities = rules_only.detect(text, [_span(text, "Pedra Badejo", "LOCALITE"),
                                        _span(text, "Old Kotei Road", "ADRESSE")])
    assert _places(entities) == [("Pedra Badejo", "localite", "spacy:LOCALITE"),
                                 ("Old Kotei Road", "adresse", "spacy:ADRESSE")]
    assert rules_only.policy.is_masked("localite") and rules_only.policy.is_masked("adresse")


def test_place_spans_without_a_name_across_lines_or_on_a_found_entity_are_dropped(rules_only):
    text = ("Vu les articles L. 744-17 et R. 744-47 du code, l'audience s'est tenue à 14 H 00.\n"
            "M. Paulo Semedo, demeurant 12 rue des Tanneurs, 21000 Dijon\nest entendu.")
    spans = [_span(text, "L. 744-17", "LOCALITE"), _span(text, "14 H 00", "LOCALITE"),
             _span(text, "Dijon\nest", "LOCALITE"), _span(text, "Semedo, demeurant", "ADRESSE"),
             _span(text, "12 rue des Tanneurs, 21000", "ADRESSE")]
    entities = rules_only.detect(text, spans)
    assert _places(entities) == []
    # the rules still find the address and the person as before
    assert {e.text for e in entities if e.category == "adresse"} == {"12 rue des Tanneurs"}
    assert "Semedo" in {e.text for e in entities if e.category == "personnePhysique"}


def test_a_model_locality_is_read_in_its_context_like_the_rules_towns(rules_only):
    """A town naming a court, a bar or an administration, a court's seat, a country: no identifier
    (the conventions of Label), whichever finds it; the town where a person grew up is one."""
    text = ("Le tribunal de commerce de Vierzon a statué. Fait à Bourges, le 3 mai. Il est parti au Kenya. "
            "Il a grandi entre Tarrafal et Pedra Badejo, avant d'être défendu par le barreau d'Orléans.")
    spans = [_span(text, words, "LOCALITE") for words in ("Vierzon", "Bourges", "Kenya", "Pedra Badejo", "Orléans")]
    assert _places(rules_only.detect(text, spans)) == [("Pedra Badejo", "localite", "spacy:LOCALITE")]


def test_person_spans_keep_working_with_or_without_a_label(rules_only):
    text = "Le tribunal a entendu Mme Rosalind Quaye, témoin."
    with_label = rules_only.detect(text, [_span(text, "Rosalind Quaye", "PER")])
    without = rules_only.detect(text, [_span(text, "Rosalind Quaye", "PER")[:2]])
    assert [(e.start, e.end, e.category) for e in with_label] == [(e.start, e.end, e.category) for e in without]


def test_map_back_carries_the_labels():
    text = "Audience du 3 mai.\n\nM. Tiago Furtado habite à Mindelo, au Cap-Vert, depuis 2019."
    joined, offsets = ner_input(text)
    at = joined.index("Mindelo")
    [(s, e, label)] = map_back(offsets, [(at, at + 7, "LOCALITE")])
    assert (text[s:e], label) == ("Mindelo", "LOCALITE")


def test_the_model_is_chosen_by_the_environment(monkeypatch):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert Pseudonymiser(use_ner=False).model == MODEL
    monkeypatch.setenv(MODEL_ENV, "/srv/modeles/ner-decisions/model")
    assert Pseudonymiser(use_ner=False).model == "/srv/modeles/ner-decisions/model"
    assert Pseudonymiser(use_ner=False, model="autre").model == "autre"


def test_a_missing_model_gives_a_french_error(monkeypatch, tmp_path):
    from amorce.decisions.errors import DecisionsError

    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "absent"))
    with pytest.raises(DecisionsError, match="Modèle spaCy introuvable"):
        Pseudonymiser()


@pytest.mark.slow
def test_training_places_teaches_the_place_labels_and_keeps_the_people(tmp_path):
    from amorce.decisions.schema import Decision, Entity
    from amorce.decisions.train import TARGETS, train_ner

    rows = [json.loads(line) for line in (BLIND / "round-1.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    decisions = [Decision(r["id"], r["text"]) for r in rows]
    gold = {r["id"]: [Entity(e["start"], e["end"], e["category"], e["text"]) for e in r["entities"]] for r in rows}
    card = train_ner(decisions, gold, tmp_path, epochs=1, labels=TARGETS["lieux"])
    assert "ADRESSE, LOCALITE appris" in card.task
    pseudo = Pseudonymiser(model=str(tmp_path / "model"))
    assert {"ADRESSE", "LOCALITE", "PER"} <= set(pseudo.nlp.get_pipe("ner").labels)
    result = pseudo.pseudonymise_one("M. Jean DUPONT est venu.")
    assert "DUPONT" not in result.text_pseudonymised


def test_rehearsal_keeps_no_person_the_reference_does_not_hold():
    """The base model's ``PER`` is rehearsed only where the reference holds a person (any role): a
    company it took for a person is taught as nothing in an annotated decision; a decision without
    annotations keeps all its predictions."""
    import spacy

    from amorce.decisions.schema import Decision, Entity
    from amorce.decisions.train import TARGETS, build_examples

    blank = spacy.blank("fr")
    text = "La société Fabre Conseil a écrit à Me Jean Dupont, demeurant 3 rue Haute à Lyon."
    predicted = [_span(text, "Fabre Conseil", "PER"), _span(text, "Jean Dupont", "PER"), _span(text, "Lyon", "LOC")]

    class Base:  # stands for the base model: fixed predictions
        def make_doc(self, chunk):
            return blank.make_doc(chunk)

        def __call__(self, chunk):
            doc = blank.make_doc(chunk)
            doc.ents = [doc.char_span(s, e, label=label) for s, e, label in predicted]
            return doc

    def entity(words, category):
        s, e, _ = _span(text, words, "")
        return Entity(s, e, category, words)

    gold = {"d1": [entity("Jean", "professionnelAvocat"), entity("Dupont", "professionnelAvocat"),
                   entity("3 rue Haute", "adresse"), entity("Lyon", "localite")]}

    def taught(decision_id):
        example, = build_examples(Base(), [Decision(decision_id, text)], gold, labels=TARGETS["lieux"])
        return sorted((ent.text, ent.label_) for ent in example.reference.ents)

    assert taught("d1") == [("3 rue Haute", "ADRESSE"), ("Jean Dupont", "PER"), ("Lyon", "LOCALITE")]
    assert taught("d2") == [("Fabre Conseil", "PER"), ("Jean Dupont", "PER"), ("Lyon", "LOC")]
