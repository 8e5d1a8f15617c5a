"""Extractive answers end on sentence or list boundaries (issue: « …auprès du Cert (préfecture) du
défenseur des »): a property test over real service-public.fr passages, and the fiche that showed it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amorce.assistant.answer import ELLIPSIS, end_on_boundary
from amorce.assistant.documents import chunk_document
from amorce.assistant.loaders import load_documents

ENDS_A_SENTENCE = re.compile(r"[.!?…][»\"')\]]*$")
LIST_ITEM = re.compile(r"^\s*(?:[-•*]\s|\d{1,2}[.)]\s)")


@pytest.fixture(scope="module")
def real_texts(shared_data: Path, tmp_path_factory) -> list[str]:
    """Summaries and passages of 400 real fiches (summaries are often cut mid-sentence in the source)."""
    source = shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl"
    subset = tmp_path_factory.mktemp("fiches") / "fiches.jsonl"
    with source.open(encoding="utf-8") as handle:
        subset.write_text("".join(line for _, line in zip(range(400), handle, strict=False)), encoding="utf-8")
    texts = []
    for doc in load_documents(subset):
        texts.append(doc.description)
        texts += [chunk.text for chunk in chunk_document(doc)[1:]]
    return [t for t in texts if t.strip()]


def ends_on_a_boundary(text: str) -> bool:
    last = text.split("\n")[-1]
    return bool(ENDS_A_SENTENCE.search(text) or LIST_ITEM.match(last) or text.endswith(ELLIPSIS))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), budget=st.integers(min_value=40, max_value=1500))
def test_answer_texts_end_on_a_sentence_or_list_boundary_within_the_budget(real_texts, data, budget):
    text = data.draw(st.sampled_from(real_texts))
    cut = end_on_boundary(text, budget)
    assert cut and len(cut) <= budget, (budget, cut)
    assert ends_on_a_boundary(cut), cut[-120:]
    assert text.startswith(cut.removesuffix(ELLIPSIS).rstrip(" ,;:–—")), "a prefix of the source"
    if cut.endswith(ELLIPSIS):  # only when no complete sentence fits: then the first one is cut
        first = end_on_boundary(text, 10**6)
        assert first.endswith(ELLIPSIS) or len(first.split("\n")[0]) > budget or not ENDS_A_SENTENCE.search(
            text[:budget])


def test_the_fiche_cut_in_the_source_ends_at_a_clause_boundary(shared_data: Path):
    with (shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl").open(encoding="utf-8") as f:
        fiche = next(row for row in map(json.loads, f) if row["id"] == "F12567")
    assert fiche["description"].endswith("du défenseur des")  # the source itself is cut
    assert end_on_boundary(fiche["description"], 500) == (
        "Si la mairie refuse votre dossier de carte d'identité ou de passeport, vous pouvez faire un recours "
        "auprès du Cert (préfecture) …")


def test_complete_sentences_and_list_items_are_kept_whole():
    text = "Vous devez faire la demande en mairie. Le délai est de 2 mois (art. L. 123), sauf exception. Puis"
    assert end_on_boundary(text, 500) == ("Vous devez faire la demande en mairie. Le délai est de 2 mois "
                                          "(art. L. 123), sauf exception.")
    assert end_on_boundary(text, 60) == "Vous devez faire la demande en mairie."
    assert end_on_boundary("Pièces :\n- une photo\n- un justificatif\nLe dossier est", 500) == (
        "Pièces :\n- une photo\n- un justificatif")
    assert end_on_boundary("Une phrase longue qui dépasse, sans aucun doute, le budget.", 40) == (
        "Une phrase longue qui dépasse …")


def test_the_extractive_answer_of_that_fiche_ends_on_boundaries(shared_data: Path, tmp_path: Path):
    """The whole answer, as the chat shows it: every paragraph ends a sentence, a list item or « … »."""
    from amorce.assistant import KnowledgeBase, index_source
    from amorce.assistant.answer import ask

    source = shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl"
    with source.open(encoding="utf-8") as f:
        rows = [line for line in f if json.loads(line)["id"] in {"F12567", "F21089", "F1342"}]
    (tmp_path / "fiches.jsonl").write_text("".join(rows), encoding="utf-8")
    index_source(tmp_path / "fiches.jsonl", "bornes", root=tmp_path)
    kb = KnowledgeBase.open("bornes", root=tmp_path)
    kb.calibration["threshold"] = 0.0  # answer whatever the confidence: the text is what is checked
    reply = ask("Quels recours si la mairie refuse mon dossier de carte d'identité ?", kb)
    assert reply.sources[0]["id"] == "F12567", reply.sources
    paragraphs = reply.answer.split("\n\n")[1:-1]  # between « D'après la fiche » and the source line
    assert paragraphs and "du défenseur des" not in reply.answer
    for paragraph in paragraphs:
        assert ends_on_a_boundary(paragraph), paragraph[-120:]


def test_the_source_line_dates_the_fiche_in_french():
    from amorce.assistant.answer import extractive_answer
    from amorce.assistant.retrieval import Hit

    class OnePassage:
        def passages(self, result, hit, n):
            return [{"ordinal": 1, "heading": "", "text": "Le recours se fait en préfecture."}]

    hit = Hit(key="k", id="F1", title="Titre", url="https://www.service-public.fr/x", audience="", date="2019-09-10",
              description="", kind="", score=1.0, bm25=1.0, dense=1.0, bm25_rank=1, dense_rank=1, doc_index=0)
    answer, _ = extractive_answer(OnePassage(), None, hit)
    assert answer.endswith("(mise à jour du 10 septembre 2019)"), answer
