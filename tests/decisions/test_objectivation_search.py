"""Amounts, durations and solution; distributions over comparable decisions; hybrid search."""

from __future__ import annotations

import pytest

from amorce.decisions import Decision
from amorce.decisions.objectivation import (
    comparable,
    describe,
    distribution,
    extract_amounts,
    extract_durations,
    extract_facts,
    extract_solution,
)

RULING = ("M. Dupont demande la somme de 10 000 euros à titre de dommages-intérêts.\n\nPAR CES MOTIFS\n\n"
          "Condamne la société X à payer à M. Dupont la somme de 4 500,50 € à titre de dommages-intérêts ;\n"
          "Condamne la société X à payer à M. Dupont la somme de 2 000 euros au titre de l'article 700 du code "
          "de procédure civile ;\nCONFIRME le jugement pour le surplus.")


def test_amounts_kind_and_awarded_or_claimed():
    amounts = extract_amounts(RULING)
    assert [(a.kind, a.value, a.awarded) for a in amounts] == [
        ("dommages_interets", 10000.0, False), ("dommages_interets", 4500.5, True), ("article_700", 2000.0, True)]


def test_durations_and_solution():
    durations = extract_durations("condamné à dix-huit mois d'emprisonnement avec sursis et 15 jours de rétention")
    assert [(d["value"], d["unit"], d["months"]) for d in durations] == [(18, "mois", 18), (15, "jours", 0.5)]
    assert extract_solution(Decision("a", "PAR CES MOTIFS : CASSE ET ANNULE l'arrêt")) == "Cassation"
    assert extract_solution(Decision("b", RULING)) == "Confirmation"
    assert extract_solution(Decision("c", "x", {"solution": "Rejet"})) == "Rejet"


def test_distribution_never_a_single_figure_and_states_its_limits():
    facts = [extract_facts(Decision(str(i), RULING.replace("2 000", f"{1000 * (i + 1):,}".replace(",", " ")),
                                    {"jurisdiction": "cour d'appel de Lyon" if i % 2 else "cour d'appel de Paris"}))
             for i in range(6)]
    lyon = comparable(facts, jurisdiction="Lyon")
    assert [f.id for f in lyon] == ["1", "3", "5"]
    dist = distribution(lyon, "article_700")
    assert dist["stats"] == {"count": 3, "min": 2000.0, "q1": 3000.0, "median": 4000.0, "q3": 5000.0, "max": 6000.0}
    assert [d["id"] for d in dist["decisions"]] == ["1", "3", "5"]
    assert any("Moins de 10" in limit for limit in dist["limits"])
    assert describe([]) == {"count": 0}


def test_objectivation_on_real_decisions(court):
    from amorce.decisions import load_decisions

    facts = [extract_facts(d) for d in load_decisions(court / "decisions.jsonl")]
    dist = distribution(facts, "article_700")
    assert dist["stats"]["count"] >= 15 and dist["stats"]["q1"] <= dist["stats"]["median"] <= dist["stats"]["q3"]
    assert sum(f.solution == "Non-admission" for f in facts) == 30  # metadata solution kept


@pytest.fixture(scope="module")
def index():
    from amorce.decisions.search import DecisionIndex

    docs = [
        Decision("ret-1", "Prolongation de la rétention administrative de l'étranger ; le préfet demande la "
                          "prolongation.", {"source": "jurica", "decision_date": "2024-10-01"}),
        Decision("lic-1", "Licenciement pour motif économique ; le salarié conteste la cause réelle et sérieuse.",
                 {"source": "jurinet", "decision_date": "2024-09-01", "solution": "Rejet"}),
        Decision("lic-2", "Le licenciement pour inaptitude est sans cause réelle et sérieuse faute de "
                          "reclassement.", {"source": "jurinet", "decision_date": "2023-01-15", "solution": "Cassation"}),
        Decision("div-1", "Divorce : la prestation compensatoire est fixée à 20 000 euros.",
                 {"source": "juritj", "decision_date": "2024-02-01"}),
    ]
    return DecisionIndex(docs)


def test_hybrid_search_ranks_highlights_and_filters(index):
    hits = index.search("licenciement sans cause réelle", k=3)
    assert {h.id for h in hits[:2]} == {"lic-1", "lic-2"}
    top = hits[0]
    assert top.bm25_rank is not None and top.dense_rank is not None
    assert any(top.passage[s:e].lower() == "licenciement" for s, e in top.highlights)
    filtered = index.search("licenciement", k=5, filters={"solution": "cassation"})
    assert [h.id for h in filtered] == ["lic-2"]
    dated = index.search("licenciement", k=5, filters={"date_from": "2024-01-01", "source": "jurinet"})
    assert [h.id for h in dated] == ["lic-1"]


def test_dense_part_finds_paraphrases(index):
    # no shared word with the text: only the multilingual embedding can find it
    hits = index.search("séparation des époux et somme versée après la rupture du mariage", k=1)
    assert hits[0].id == "div-1" and hits[0].bm25_rank is None


@pytest.mark.data
def test_search_rankings_on_real_decisions_are_unchanged(court):
    """Regression guard: the rankings of a fixed query set over the 211 shared decisions, recorded
    before the hybrid retrieval moved to ``amorce.core.retrieval``, stay the same."""
    import json

    from amorce.decisions import load_decisions
    from amorce.decisions.search import DecisionIndex

    from .conftest import DATA

    expected = json.loads((DATA / "search_rankings.json").read_text(encoding="utf-8"))
    decisions = load_decisions(court / "decisions.jsonl")
    hybrid = DecisionIndex(decisions)
    for query, ids in expected["hybrid"].items():
        assert [h.id for h in hybrid.search(query, k=10)] == ids, query
    for query, ids in expected["hybrid_jurinet"].items():
        assert [h.id for h in hybrid.search(query, k=10, filters={"source": "jurinet"})] == ids, query
    bm25 = DecisionIndex(decisions, use_embeddings=False)
    for query, ids in expected["bm25"].items():
        assert [h.id for h in bm25.search(query, k=10)] == ids, query
