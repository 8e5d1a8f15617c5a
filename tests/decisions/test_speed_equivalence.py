"""The speed-ups of the pipeline give exactly the results of the plain versions they replace."""

from __future__ import annotations

import random

from amorce.decisions import Decision
from amorce.decisions.pipeline import pseudonymise_partition, resolve_overlaps
from amorce.decisions.rules import all_rules
from amorce.decisions.schema import Entity


def naive_resolve(candidates):
    """The pairwise version ``resolve_overlaps`` replaced (quadratic in the candidates)."""
    kept = []
    for ent in sorted(candidates, key=lambda e: (-e.score, -(e.end - e.start), e.start)):
        if all(ent.end <= k.start or k.end <= ent.start for k in kept):
            kept.append(ent)
    return sorted(kept, key=lambda e: (e.start, e.end))


def test_resolve_overlaps_matches_the_pairwise_version_on_random_spans():
    rng = random.Random(7)
    for _ in range(300):
        cands = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, 200)
            end = start + rng.choice([0, 1, 2, 5, 12, 30])  # empty spans included
            cands.append(
                Entity(start, end, "adresse", "x" * (end - start), rng.choice([0.6, 0.9, 0.95]), "t")
            )
        assert [(e.start, e.end, e.score) for e in resolve_overlaps(cands)] == [
            (e.start, e.end, e.score) for e in naive_resolve(cands)
        ]


def test_resolve_overlaps_matches_the_pairwise_version_on_real_candidates(court):
    from amorce.decisions import load_decisions

    for decision in load_decisions(court / "decisions.jsonl")[:15]:
        cands = all_rules(decision.text)
        assert resolve_overlaps(cands) == naive_resolve(cands)


def test_engine_partition_gives_the_entities_of_the_library(pseudonymiser, tricky):
    """The batch-engine worker (used for big corpora, locally or on Ray) and the library call
    produce the same entities, in the CLI's output shape."""
    rows = [{"id": d["id"], "text": d["text"]} for d in tricky[:4]]
    out = pseudonymise_partition((rows, ("professionnelMagistratGreffier", "professionnelAvocat"), True))
    direct = [r.to_dict() for r in pseudonymiser.pseudonymise([Decision(r["id"], r["text"]) for r in rows])]
    assert out == direct
    assert all(set(r) == {"id", "text_pseudonymised", "entities"} for r in out)


def test_ner_batch_size_does_not_change_the_entities(court):
    """One decision per spaCy batch (the faster default) finds exactly what batches of 16 found."""
    from amorce.decisions import Pseudonymiser, load_decisions

    decisions = load_decisions(court / "decisions.jsonl")[:4]
    one = [r.to_dict() for r in Pseudonymiser(batch_size=1).pseudonymise(decisions)]
    sixteen = [r.to_dict() for r in Pseudonymiser(batch_size=16).pseudonymise(decisions)]
    assert one == sixteen and sum(len(r["entities"]) for r in one) > 20
