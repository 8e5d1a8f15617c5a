"""Spans masked differently by two versions of the rules on the decisions without annotation.

    PYTHONPATH=<src of version A> python scripts/decisions_mask_diff.py dump A.jsonl
    PYTHONPATH=<src of version B> python scripts/decisions_mask_diff.py dump B.jsonl
    python scripts/decisions_mask_diff.py diff A.jsonl B.jsonl

(the decisions of ../shared/data/french_court_decisions/decisions.jsonl whose doc_id has no entry in
pseudonymisation_annotations.jsonl)
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

COURT = Path(os.environ.get("AMORCE_SHARED_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data")) / "french_court_decisions"


def dump(out: str) -> None:
    from amorce.decisions import Decision, Pseudonymiser

    annotated = {json.loads(line)["doc_id"] for line in (COURT / "pseudonymisation_annotations.jsonl").open()}
    rows = [json.loads(line) for line in (COURT / "decisions.jsonl").open()]
    decisions = [Decision(r["doc_id"], r["text"]) for r in rows if r["doc_id"] not in annotated]
    ps = Pseudonymiser()
    with open(out, "w", encoding="utf-8") as handle:
        for res in ps.pseudonymise(decisions):
            for e in res.entities:
                handle.write(json.dumps({"id": res.id, "start": e.start, "end": e.end, "category": e.category,
                                         "masked": ps.policy.is_masked(e.category), "source": e.source,
                                         "text": e.text, "ctx": res.text[max(0, e.start - 60):e.end + 30]},
                                        ensure_ascii=False) + "\n")
    print(len(decisions), "decisions", file=sys.stderr)


def diff(a: str, b: str) -> None:
    def load(path):
        return {(r["id"], r["start"], r["end"], r["category"]): r for r in map(json.loads, open(path)) if r["masked"]}

    before, after = load(a), load(b)
    gone, new = before.keys() - after.keys(), after.keys() - before.keys()
    for tag, keys, side in (("-", gone, before), ("+", new, after)):
        for k in sorted(keys):
            r = side[k]
            print(f"{tag}\t{r['category']}\t{r['source']}\t{r['id']}\t{r['text']!r}\t…{r['ctx']}…".replace("\n", "⏎"))


if __name__ == "__main__":
    {"dump": lambda: dump(sys.argv[2]), "diff": lambda: diff(sys.argv[2], sys.argv[3])}[sys.argv[1]]()
