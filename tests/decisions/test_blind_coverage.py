"""The blind-round measure (benchmarks/decisions_blind.py): token shares per group and the list of spans in error."""

from __future__ import annotations

import sys
from pathlib import Path

from amorce.decisions import Entity
from amorce.decisions.schema import Decision

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from decisions_blind import coverage  # noqa: E402


def test_coverage_counts_tokens_and_lists_each_span_in_error() -> None:
    text = "Présidée par Anne Roux ; M. Paul Marin, demeurant 4 rue Haute à Lyon."
    at = text.index

    def span(first: str, last: str, category: str, source: str = "gold") -> Entity:
        start, end = at(first), at(last) + len(last)
        return Entity(start, end, category, text[start:end], source=source)

    gold = {"d": [span("Anne", "Anne", "professionnelMagistratGreffier"),
                  span("Roux", "Roux", "professionnelMagistratGreffier"),
                  span("Paul", "Paul", "personnePhysique"), span("Marin", "Marin", "personnePhysique"),
                  span("4 rue", "Haute", "adresse"), span("Lyon", "Lyon", "localite")]}
    # masked: the surname of the party, half of the address, and (wrongly) the judge's surname
    pred = {"d": [span("Marin", "Marin", "personnePhysique", "rule"), span("4 rue", "rue", "adresse", "rule"),
                  span("Roux", "Roux", "personnePhysique", "rule")]}
    cov = coverage([Decision(id="d", text=text)], gold, pred)
    assert (cov["persons"]["masked"], cov["persons"]["tokens"]) == (1, 2)
    assert (cov["professionals"]["masked"], cov["professionals"]["tokens"]) == (1, 2)
    assert (cov["identifiers"]["masked"], cov["identifiers"]["tokens"]) == (2, 4)
    assert [line.split(" | ")[0] for line in cov["persons"]["spans"]] == ["d « Paul » (personnePhysique)"]
    assert [line.split(" | ")[0] for line in cov["professionals"]["spans"]] == ["d « Roux » (professionnelMagistratGreffier)"]
    assert [line.split(" | ")[0] for line in cov["identifiers"]["spans"]] == [
        "d « 4 rue Haute » (adresse)", "d « Lyon » (localite)"]
    assert "demeurant 4 rue Haute" in cov["identifiers"]["spans"][0]
