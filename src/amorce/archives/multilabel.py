"""Several terms per photo: one-vs-rest on top of the shared few-label classifier (:mod:`amorce.core.vision.fewshot`).

For each term, a binary classifier (``oui`` / ``non``) is trained on the images a person accepted
with the term (positives) against the images accepted with other terms only and those where the term
was rejected (negatives), the positives weighted to balance the negatives; it proposes the term for the other images whose probability reaches the
threshold, with that probability as the confidence, and picks the images to label next for that term
(:func:`~amorce.core.vision.fewshot.pick_next`: the classifier hesitates most, spread out). Pure: numpy, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from amorce.core.vision.fewshot import l2_normalise, pick_next, train

from .errors import SourceError

MIN_POSITIVES = 2
THRESHOLD = 0.5
YES, NO = "oui", "non"


@dataclass
class TermResult:
    proposals: dict[int, float] = field(default_factory=dict)  # image index -> probability (≥ threshold)
    to_label: list[int] = field(default_factory=list)
    positives: int = 0
    negatives: int = 0


@dataclass
class MultiLabelResult:
    terms: dict[str, TermResult]
    skipped: dict[str, str]  # term -> why it was not trained (French)


def one_vs_rest(features, positives: Mapping[str, set[int]], rejected: Mapping[str, set[int]] | None = None, *,
                ask: int = 12, threshold: float = THRESHOLD) -> MultiLabelResult:
    """Train one classifier per term with enough labels; propose and pick images for each."""
    rejected = rejected or {}
    x = l2_normalise(features)
    everyone = set(range(len(x)))
    labelled_any = set().union(*positives.values()) if positives else set()
    out, skipped = {}, {}
    for term in sorted(set(positives) | set(rejected)):
        pos = set(positives.get(term, ()))
        neg = (labelled_any - pos) | (set(rejected.get(term, ())) - pos)
        if len(pos) < MIN_POSITIVES:
            skipped[term] = f"{len(pos)} image(s) acceptée(s) : il en faut au moins {MIN_POSITIVES}"
            continue
        if not neg:
            skipped[term] = "aucun contre-exemple (images d'autres termes ou propositions rejetées)"
            continue
        seen = sorted(pos | neg)
        # positives repeated to balance the negatives: the same as class weights for a logistic
        # regression, so that 0.5 means « as likely yes as no » whatever the number of other terms
        repeat = max(1, round(len(neg) / len(pos)))
        rows = sorted(neg) + sorted(pos) * repeat
        model = train(x[rows], [NO] * len(neg) + [YES] * (len(pos) * repeat))
        rest = sorted(everyone - pos - neg)
        result = TermResult(positives=len(pos), negatives=len(neg))
        if rest:
            proba = model.predict_proba(x[rest])[:, model.classes.index(YES)]
            result.proposals = {i: float(p) for i, p in zip(rest, proba, strict=True) if p >= threshold}
            picked = pick_next(model.predict_proba(x[rest]), x[rest], ask, labelled=x[seen])
            result.to_label = [rest[i] for i in picked]
        out[term] = result
    return MultiLabelResult(out, skipped)


def check_trainable(result: MultiLabelResult, terms: Sequence[str]) -> None:
    if not result.terms:
        reasons = "; ".join(f"{t} : {why}" for t, why in list(result.skipped.items())[:5])
        raise SourceError("Aucun terme ne peut être appris : il faut, pour un terme, au moins "
                          f"{MIN_POSITIVES} images acceptées et des images acceptées avec d'autres termes"
                          + (f" ({reasons})." if reasons else f" ({len(terms)} terme(s), aucune image acceptée)."))
