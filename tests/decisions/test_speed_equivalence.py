"""The speed-ups of the pipeline: the exact ones give the results of the plain versions they
replace; the NER regions (the NER reads only the words around capitalised words) keep the quality
of the whole-text NER."""

from __future__ import annotations

import random

from amorce.decisions import Decision
from amorce.decisions.pipeline import (
    NER_CONTEXT,
    REGION_SEP,
    map_back,
    ner_input,
    ner_regions,
    pseudonymise_partition,
    resolve_overlaps,
)
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


def test_ner_regions_cover_every_candidate_with_its_context():
    text = (
        "Attendu que la société a vendu un bien immobilier situé sur la commune à un prix "
        "convenu entre les parties le même jour et que M. Jean DUPONT, demeurant à Lyon, en a payé le prix "
        "; Infirme le jugement en toutes ses dispositions sans exception aucune pour les motifs exposés.\n"
        "Statuant à nouveau sur la demande formée par les appelants contre les intimés devant la cour.\n"
        "S. GAUMET, conseiller"
    )
    pieces = ner_regions(text)
    covered = [False] * len(text)
    for s, e in pieces:
        covered[s:e] = [True] * (e - s)
    words = text.split()
    for name in ("Jean", "DUPONT", "Lyon", "GAUMET"):
        i = words.index(name.rstrip(",")) if name in words else words.index(name + ",")
        start = text.index(name)
        assert covered[start], name
        # NER_CONTEXT words on each side are read too (within the text)
        before = " ".join(words[max(0, i - NER_CONTEXT) : i])
        after = " ".join(words[i + 1 : i + 1 + NER_CONTEXT])
        piece = next(text[s:e] for s, e in pieces if s <= start < e)
        assert " ".join(piece.split()).find(f"{before} {words[i]} {after}".strip()) >= 0, name
    # a capitalised word opening a line or a sentence, far from any candidate, is not read
    assert not covered[text.index("Statuant")]
    assert not covered[text.index("Attendu")]
    assert sum(e - s for s, e in pieces) < len(text)
    # a name right after a bracket or a quote is a candidate too
    text = "Statuant sur la demande formée le même jour par la partie adverse (voir «Durand») sans réserve."
    [(s, e)] = ner_regions(text)
    assert s <= text.index("Durand") < e


def test_map_back_gives_the_spans_of_the_original_text():
    text = "Intro sans nom.\n" + "des mots ordinaires " * 20 + "\nvu M. Paul MARTIN et Mme Léa ROUX ici.\n"
    text += "encore des mots " * 20 + "puis la société Akheos a répondu."
    joined, offsets = ner_input(text)
    assert REGION_SEP in joined or len(offsets) == 1
    for name in ("Paul MARTIN", "Léa ROUX", "Akheos"):
        at = joined.index(name)
        [(s, e)] = map_back(offsets, [(at, at + len(name))])
        assert text[s:e] == name
    # a span across two pieces is dropped
    first_end = offsets[0][0] + offsets[0][2] - offsets[0][1]
    assert map_back(offsets, [(first_end - 2, first_end + 3)]) == []


def test_ner_regions_keep_the_entities_of_the_whole_text_ner(court):
    """Quality, not identity: on 40 real decisions, every person the whole-text NER pipeline masks is
    masked with the regions too, and the entities differ by at most 0.5 %."""
    from amorce.decisions import Pseudonymiser, load_decisions

    decisions = load_decisions(court / "decisions.jsonl")[:40]
    whole = Pseudonymiser(regions=False)
    regions = Pseudonymiser(regions=True)
    total = differ = 0
    for w, r in zip(whole.pseudonymise(decisions), regions.pseudonymise(decisions), strict=True):
        a = {(e.start, e.end, e.category) for e in w.entities}
        b = {(e.start, e.end, e.category) for e in r.entities}
        persons = {x for x in a if x[2] == "personnePhysique"}
        assert persons <= b, (w.id, sorted(persons - b))
        total += len(a)
        differ += len(a ^ b)
    assert total > 1000 and differ <= total * 0.005
