"""Derive the gazetteer's ambiguous names from the decisions' texts (see src/amorce/decisions/places.py):
    PYTHONPATH=src .venv/bin/python scripts/gazetteer_ambiguous.py   (reads ../shared/data and the dev rounds)
"""
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, "src")
from amorce.core.config import shared_data_dir  # noqa: E402
from amorce.decisions import places  # noqa: E402

SHARED = shared_data_dir() / "french_court_decisions"
texts, persons = [], []
for line in (SHARED / "decisions.jsonl").read_text().splitlines():
    texts.append(json.loads(line)["text"])
for line in (SHARED / "pseudonymisation_annotations.jsonl").read_text().splitlines():
    row = json.loads(line)
    for e in row.get("added_annotations", []):
        if e["category"] == "personnePhysique":
            persons.append(e["text"])
for i in range(1, 17):
    for line in Path(f"tests/decisions/data/blind/round-{i}.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append(row["text"])
            persons += [e.get("text") or row["text"][e["start"]:e["end"]] for e in row["entities"]
                        if e["category"] == "personnePhysique"]
lower = collections.Counter(w for t in texts for w in re.findall(r"(?<![\w'’-])[a-zà-ÿ]+(?![\w-])", t))
lower = collections.Counter({places.town_key(w): c for w, c in lower.items()})
person_words = collections.Counter(places.town_key(w) for p in persons for w in re.findall(r"[\w'’]+", p))
# a town written after « à » more often than as a word of a person's name is a town
after_a = collections.Counter(places.town_key(w) for t in texts for w in re.findall(r"(?<![\w'’])à[ \u00a0]+([A-ZÀ-Ý][\w'’-]*)", t))
names = set(places.build_gazetteer(frozenset()))
words = sorted(n for n in names if " " not in n and lower.get(n, 0) >= 2)
pers = sorted(n for n in names if " " not in n and person_words[n] >= 2 and person_words[n] > after_a[n] and n not in words)
print(len(texts), "texts", len(words), "words", len(pers), "person words", file=sys.stderr)
print(words[:400], file=sys.stderr)
print(pers, file=sys.stderr)
out = Path("src/amorce/decisions/data/gazetteer_ambiguous.txt")
out.parent.mkdir(exist_ok=True)
out.write_text(
    "# Towns of the gazetteer (places.py) whose name is also a word of court decisions: written in lower case at\n"
    "# least twice in the 211 decisions of shared/data/french_court_decisions and the development rounds 1-16\n"
    "# (« sens », « tours », « mars », « bar »), or a word of a person's name annotated there (first names and\n"
    "# surnames: « Martin », « Laval »). Derived by scripts/gazetteer_ambiguous.py; folded (places.town_key).\n"
    "# --- Mots\n" + "\n".join(words) + "\n# --- Noms de personnes\n" + "\n".join(pers) + "\n", encoding="utf-8")
