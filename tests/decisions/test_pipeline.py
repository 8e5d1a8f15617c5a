"""The pipeline on hand-written tricky decisions (tests/decisions/data/tricky_decisions.jsonl):
surnames in capitals, names that are common words, compound and foreign names, children's first
names, identifiers in every format, magistrates and lawyers kept in clear."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from amorce.decisions import Decision, Policy, Pseudonymiser, fold_chars


def _ids(tricky):
    return [d["id"] for d in tricky]


@pytest.fixture(scope="module")
def results(pseudonymiser, tricky):
    return {r.id: r for r in pseudonymiser.pseudonymise(Decision(d["id"], d["text"]) for d in tricky)}


def _mentions(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’])", text)]


def test_every_party_mention_is_masked(results, tricky):
    for doc in tricky:
        result = results[doc["id"]]
        masked = [(e.start, e.end) for e in result.entities if e.replacement]
        for name in set(doc["persons"]):
            for start, end in _mentions(doc["text"], name):
                assert any(s <= start and end <= e for s, e in masked) or any(
                    s < end and start < e for s, e in masked
                ), f"{doc['id']}: « {name} » en clair à {start}"
            assert not _mentions(result.text_pseudonymised, name), f"{doc['id']}: « {name} » reste"


def test_professionals_are_detected_but_kept(results, tricky):
    for doc in tricky:
        result = results[doc["id"]]
        kept = [e for e in result.entities if e.category.startswith("professionnel")]
        for name in doc["professionals"]:
            assert name in result.text_pseudonymised, f"{doc['id']}: « {name} » masqué à tort"
            assert any(name in e.text for e in kept), f"{doc['id']}: « {name} » non détecté"
        assert all(e.replacement is None for e in kept)


def test_common_words_in_lower_case_are_not_masked(results, tricky):
    # « le site de Vénissieux » left this list (rounds 17-19): the writers annotate the town of a company's
    # site as a locality, the town where a person works; the brand « Rosalie Dumont » and the platform stay.
    for doc in tricky:
        for words in doc["kept_words"]:
            assert words in results[doc["id"]].text_pseudonymised


def test_localities_are_masked(results, tricky):
    for doc in tricky:
        localities = {e.text for e in results[doc["id"]].entities if e.category == "localite"}
        for place in doc.get("localities", []):
            assert place in localities, f"{doc['id']}: « {place} » non masqué"


def test_lawyer_who_is_a_party_is_a_person_but_counsel_stays(results):
    """« APPELANTE : Maître Hélène VASSEUR, née le … » is a party; « représentée par Me Louis GARNIER »
    is counsel, and so is « Maître GARNIER » later on."""
    entities = results["piege-avocats-parties"].entities
    by_text = defaultdict(set)
    for ent in entities:
        by_text[ent.text].add(ent.category)
    assert by_text["VASSEUR"] == {"personnePhysique"} and by_text["CARRE"] == {"personnePhysique"}
    assert by_text["GARNIER"] == {"professionnelAvocat"}


def test_identifiers_in_every_format(results, tricky):
    doc = next(d for d in tricky if d["id"] == "piege-identifiants")
    found = {(e.category, e.text) for e in results[doc["id"]].entities}
    for category, text in doc["expected"]:
        assert (category, text) in found


def test_offsets_refer_to_the_original_text_and_rebuild_the_output(results, tricky):
    for doc in tricky:
        result = results[doc["id"]]
        rebuilt, pos = [], 0
        for ent in sorted(result.entities, key=lambda e: e.start):
            assert doc["text"][ent.start : ent.end] == ent.text
            assert ent.start >= pos or not ent.replacement
            if ent.replacement:
                rebuilt += [doc["text"][pos : ent.start], ent.replacement]
                pos = ent.end
        assert "".join(rebuilt) + doc["text"][pos:] == result.text_pseudonymised


def test_same_person_same_letter_accents_and_case_included(results):
    result = results["piege-cassation"]
    letters = defaultdict(set)
    for ent in result.entities:
        if ent.category == "personnePhysique":
            letters[fold_chars(ent.text)].add(ent.replacement)
    assert letters["lefevre"] == {"[B]"} and letters["helene"] == {"[A]"}
    different = {r for v in letters.values() for r in v}
    assert len(different) == len(letters)  # distinct names get distinct letters


def test_doubt_scores_are_probabilities(results):
    for result in results.values():
        assert all(0.0 <= e.doubt <= 1.0 for e in result.entities)
    spacy_only = [e for r in results.values() for e in r.entities if e.source == "spacy:PER"]
    civility = [e for r in results.values() for e in r.entities if e.source.startswith("title:")]
    assert min(e.doubt for e in spacy_only) > max(e.doubt for e in civility)


def test_policy_can_mask_magistrates(tricky):
    doc = next(d for d in tricky if d["id"] == "piege-majuscules")
    result = Pseudonymiser(Policy.from_option("professionnelAvocat")).pseudonymise_one(
        Decision(doc["id"], doc["text"])
    )
    assert "DUVAL" not in result.text_pseudonymised and "Paul BERNARD" in result.text_pseudonymised


def test_rules_only_mode_without_spacy():
    result = Pseudonymiser(use_ner=False).pseudonymise_one("Mme Louise MARTIN, née le 2 mai 1980 à Caen.")
    assert result.text_pseudonymised == "Mme [A] [B], née le [Date naissance 1] 1980 à [Localité 1]."


def test_quality_on_real_annotated_decisions(pseudonymiser, court):
    """Regression guard, not a measure: 8 of the annotated decisions of the tuning half (dev), raw
    reference. The figures are measured on all 60, raw reference first (docs/benchmarks.md, `amorce
    decisions evaluate`); the thresholds sit a little under what is measured there."""
    from amorce.decisions import evaluate, load_annotations, load_decisions, select_split

    gold = load_annotations(court / "pseudonymisation_annotations.jsonl")
    ids = [i for i in select_split(gold, "dev") if not i.startswith("juritj")][:5] + [
        i for i in select_split(gold, "dev") if i.startswith("juritj")
    ][:3]
    decisions = {d.id: d for d in load_decisions(court / "decisions.jsonl")}
    pred = {r.id: r.entities for r in pseudonymiser.pseudonymise(decisions[i] for i in ids)}
    report = evaluate(gold, pred, {i: decisions[i].text for i in ids}, ids=ids)
    pp = report["per_category"]["personnePhysique"]["token"]
    assert pp["recall"] >= 0.97 and pp["precision"] >= 0.85
    assert report["professionals"]["share"] <= 0.01


def test_company_word_taken_for_a_person_by_spacy_is_not_propagated():
    """spaCy tags « Akheos » once; it mostly follows « société »/« SELARL »: a company, not a person.
    A company named after a person keeps the person's names masked (Label does the same)."""
    text = (
        "APPELANTE :\n\nS.E.L.A.R.L. AKHEOS\n\nLa société Akheos reproche à M. Paul Roux d'avoir quitté "
        "Akheos. La société Akheos demande réparation ; la SELARL Akheos produit ses comptes.\n\n"
        "La société Céline Auguste est intervenue ; Céline Auguste est gérée par M. Roux."
    )
    once = text.index("Akheos.")
    celine = text.index("Céline Auguste est gérée")
    entities = Pseudonymiser(use_ner=False).detect(text, [(once, once + 6), (celine, celine + 14)])
    persons = {e.text for e in entities if e.category == "personnePhysique"}
    assert not {"Akheos", "AKHEOS"} & persons
    assert {"Paul", "Roux", "Céline", "Auguste"} <= persons


def test_partnership_named_after_its_members_and_claims_in_capitals(results):
    """« S.E.L.A.R.L. Vidal-Ferrand prise en la personne de Maître Louis Vidal » : both names of the
    firm are masked (the party check above skips words after a hyphen); « veuve Castagnet,⏎JUGER »
    is a party, and a country closing an address block is not an address."""
    result = results["piege-incises-et-raisons-sociales"]
    assert "Ferrand" not in result.text_pseudonymised and "Castagnet" not in result.text_pseudonymised
    assert not [e for e in result.entities if e.text == "Portugal"]
