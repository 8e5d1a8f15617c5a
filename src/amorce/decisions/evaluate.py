"""Evaluation against annotated decisions: precision, recall and F1 per Label category (strict
span match and token overlap), micro-F1, share of decisions leaking a person, professionals
wrongly masked.

The shared annotations are the Cour de cassation engine's output plus manual corrections, not an
adjudicated gold: an *overlay* (decision id, offsets, corrected category) records our corrections
without copying any text, and both figures are reported. ``split`` keeps a development half for
tuning and a held-out half for reporting.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from amorce.core.errors import ValidationReport

from .schema import Entity
from .taxonomy import CATEGORIES, LAWYER, MAGISTRATE, MOTIVATIONS, PERSON, Policy

TOKEN = re.compile(r"\w+")
SPLITS = ("all", "dev", "test")


def split_of(doc_id: str) -> str:
    """Deterministic half split: ``dev`` (tuning) or ``test`` (held out)."""
    return "dev" if int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def select_split(ids: Iterable[str], split: str) -> list[str]:
    return sorted(i for i in ids if split == "all" or split_of(i) == split)


def load_overlay(path: str | Path) -> list[dict[str, Any]]:
    """Corrections to the gold: ``{doc_id, start, end, category | null, was, note}`` per line."""
    path = Path(path)
    report = ValidationReport(file=str(path))
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip() or raw.lstrip().startswith("//"):
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                report.add(f"JSON invalide ({exc.msg})", line=number)
                continue
            if not isinstance(row.get("doc_id"), str) or not isinstance(row.get("start"), int) \
                    or not isinstance(row.get("end"), int):
                report.add("champs doc_id, start, end requis", line=number)
                continue
            cat = row.get("category")
            if cat is not None and cat not in CATEGORIES:
                report.add("catégorie inconnue", line=number, column="category", value=cat)
                continue
            rows.append(row)
    report.raise_if_any("Le fichier de corrections est invalide")
    return rows


def corrections(overlay: list[dict[str, Any]], ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The overlay's corrections, one by one with their reason (``note``), for the decisions ``ids``
    (all when None): what a report on a corrected reference must list next to its figures."""
    wanted = None if ids is None else set(ids)
    return [{"doc_id": row["doc_id"], "start": row["start"], "end": row["end"], "was": row.get("was"),
             "category": row.get("category"), "reason": row.get("note", "")}
            for row in overlay if wanted is None or row["doc_id"] in wanted]


def corrections_by_reason(overlay: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    """``(reason, was, corrected, count)`` for each kind of correction, the most frequent first
    (« (rien) » where there was or is no annotation)."""
    from collections import Counter

    counts = Counter((row.get("note", ""), row.get("was") or "(rien)", row.get("category") or "(rien)")
                     for row in overlay)
    return [(*key, n) for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def apply_overlay(gold: dict[str, list[Entity]], overlay: list[dict[str, Any]],
                  texts: dict[str, str]) -> dict[str, list[Entity]]:
    out = {k: list(v) for k, v in gold.items()}
    for row in overlay:
        doc = out.setdefault(row["doc_id"], [])
        doc[:] = [e for e in doc if not (e.start == row["start"] and e.end == row["end"])]
        if row.get("category"):
            text = texts.get(row["doc_id"], "")
            doc.append(Entity(row["start"], row["end"], row["category"], text[row["start"]:row["end"]],
                              source="overlay"))
    return {k: sorted(v, key=lambda e: (e.start, e.end)) for k, v in out.items()}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN.finditer(text)]


def _covered(tokens: list[tuple[int, int]], spans: list[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    if not spans:
        return out
    spans = sorted(spans)
    j = 0
    for i, (s, e) in enumerate(tokens):
        while j < len(spans) and spans[j][1] <= s:
            j += 1
        k = j
        while k < len(spans) and spans[k][0] < e:
            if spans[k][1] > s:
                out.add(i)
                break
            k += 1
    return out


def evaluate(gold: dict[str, list[Entity]], pred: dict[str, list[Entity]], texts: dict[str, str],
             *, policy: Policy | None = None, ids: Iterable[str] | None = None) -> dict[str, Any]:
    """Compare predictions with the gold on ``ids`` (default: every gold decision)."""
    policy = policy or Policy()
    ids = sorted(ids if ids is not None else gold)
    strict = defaultdict(lambda: [0, 0, 0])
    token = defaultdict(lambda: [0, 0, 0])
    leaks, leaked_mentions, person_mentions = 0, 0, 0
    pro_mentions, pro_masked = 0, 0
    for doc_id in ids:
        text = texts[doc_id]
        g_all = gold.get(doc_id, [])
        hidden = [(e.start, e.end) for e in g_all if e.category == MOTIVATIONS]
        g = [e for e in g_all if e.category != MOTIVATIONS and e.category in CATEGORIES]
        p = [e for e in pred.get(doc_id, []) if e.category in CATEGORIES
             and not any(s <= e.start and e.end <= t for s, t in hidden)]
        gs = {(e.start, e.end, e.category) for e in g}
        ps = {(e.start, e.end, e.category) for e in p}
        for s, e, c in gs | ps:
            strict[c][0 if (s, e, c) in gs and (s, e, c) in ps else (1 if (s, e, c) in ps else 2)] += 1
        toks = _tokens(text)
        cats = {e.category for e in g} | {e.category for e in p}
        for c in cats:
            gt = _covered(toks, [(e.start, e.end) for e in g if e.category == c])
            pt = _covered(toks, [(e.start, e.end) for e in p if e.category == c])
            token[c][0] += len(gt & pt)
            token[c][1] += len(pt - gt)
            token[c][2] += len(gt - pt)
        masked_spans = [(e.start, e.end) for e in p if policy.is_masked(e.category)]
        masked_tokens = _covered(toks, masked_spans)
        leaked_here = 0
        for e in g:
            if e.category == PERSON:
                person_mentions += 1
                span_tokens = _covered(toks, [(e.start, e.end)])
                if span_tokens - masked_tokens:
                    leaked_here += 1
            elif e.category in (MAGISTRATE, LAWYER):
                pro_mentions += 1
                if _covered(toks, [(e.start, e.end)]) & masked_tokens:
                    pro_masked += 1
        leaked_mentions += leaked_here
        leaks += leaked_here > 0
    per_category = {}
    for c in sorted(set(strict) | set(token), key=lambda c: CATEGORIES[c].order):
        per_category[c] = {"support": strict[c][0] + strict[c][2], "strict": _prf(*strict[c]),
                           "token": _prf(*token[c])}
    micro_strict = _prf(*(sum(v[i] for v in strict.values()) for i in range(3)))
    micro_token = _prf(*(sum(v[i] for v in token.values()) for i in range(3)))
    return {
        "decisions": len(ids),
        "per_category": per_category,
        "micro": {"strict": micro_strict, "token": micro_token},
        "leak": {"decisions_with_leak": leaks, "share": round(leaks / len(ids), 4) if ids else 0.0,
                 "leaked_person_mentions": leaked_mentions, "person_mentions": person_mentions},
        "professionals": {"mentions": pro_mentions, "wrongly_masked": pro_masked,
                          "share": round(pro_masked / pro_mentions, 4) if pro_mentions else 0.0},
    }


def disagreements(gold: list[Entity], pred: list[Entity], text: str) -> list[dict[str, Any]]:
    """Spans where gold and prediction differ (for reviewing the gold and the rules)."""
    hidden = [(e.start, e.end) for e in gold if e.category == MOTIVATIONS]
    gs = {(e.start, e.end, e.category): e for e in gold if e.category != MOTIVATIONS}
    ps = {(e.start, e.end, e.category): e for e in pred
          if not any(s <= e.start and e.end <= t for s, t in hidden)}
    out = []
    for key in sorted(set(gs) ^ set(ps)):
        s, e, c = key
        out.append({"kind": "manque" if key in gs else "en trop", "start": s, "end": e, "category": c,
                    "text": text[s:e], "context": text[max(0, s - 50):e + 30].replace("\n", "⏎")})
    return out


DISAGREEMENT_COLUMNS = ("decision", "kind", "category", "start", "end", "text", "context")


def write_disagreements(path: str | Path, ids: Iterable[str], gold: dict[str, list[Entity]],
                        pred: dict[str, list[Entity]], texts: dict[str, str]) -> dict[str, Any]:
    """Write every disagreement of ``ids`` to a CSV (written then renamed); return its path and count."""
    import csv

    from amorce.core.files import atomic_write

    count = 0
    with atomic_write(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=DISAGREEMENT_COLUMNS)
        writer.writeheader()
        for doc_id in ids:
            for row in disagreements(gold.get(doc_id, []), pred.get(doc_id, []), texts[doc_id]):
                writer.writerow({"decision": doc_id, **row})
                count += 1
    return {"path": str(path), "count": count}
