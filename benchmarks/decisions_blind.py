"""Pseudonymisation on the blind rounds: decisions written and annotated by someone who did not work on
the rules (tests/decisions/data/blind/, README there), measured with the rules as they are.

    .venv/bin/python benchmarks/decisions_blind.py [--rounds round-1,round-2,...] [--no-write] [--misses]

``--rounds`` names the rounds to read (default: every ``round-*.jsonl`` of the folder); the other
files are never opened, so a round still waiting for its one blind measurement can be left out of a
development run. ``--no-write`` prints the figures without rewriting docs/benchmarks.md. ``--misses``
prints, instead of the figures, every gold span with an error (person or identifier not fully masked,
professional masked) with its context: the working list of a rules pass on development rounds.

Figures of issue 18, per round and pooled, raw (no correction of the reference): share of the name
tokens of natural persons that are masked; share of the name tokens of magistrates, clerks and
lawyers that are masked (they must stay in clear); share of the tokens of identifiers (addresses,
localities, civil-status dates, numbers, contacts, plates, cadastre) that are masked. Then the strict
and token micro-F1 of ``amorce.decisions.evaluate``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import ROOT, markdown_table, write_section  # noqa: E402

from amorce.decisions import Entity, Policy, Pseudonymiser, evaluate  # noqa: E402
from amorce.decisions.schema import Decision  # noqa: E402
from amorce.decisions.taxonomy import LAWYER, MAGISTRATE, PERSON  # noqa: E402

BLIND = ROOT / "tests" / "decisions" / "data" / "blind"
IDENTIFIERS = {"adresse", "localite", "dateNaissance", "dateMariage", "dateDeces", "numeroIdentifiant",
               "compteBancaire", "telephoneFax", "email", "plaqueImmatriculation", "cadastre",
               "numeroSiretSiren", "siteWebSensible"}
TARGETS = {"persons": 0.995, "professionals": 0.01, "identifiers": 0.95}
# Rounds the rules have since been tuned on: they are development data now, reported apart from the
# rounds still blind (their one blind measurement is recorded in the README of the blind folder).
TUNED_ON = tuple(f"round-{n}" for n in range(1, 82))  # rounds 1 to 81


def load_round(path: Path) -> tuple[list[Decision], dict[str, list[Entity]]]:
    decisions, gold = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            decisions.append(Decision(id=row["id"], text=row["text"]))
            gold[row["id"]] = [Entity(e["start"], e["end"], e["category"], e.get("text", ""), source="gold")
                               for e in row["entities"]]
    return decisions, gold


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    import re

    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\w+", text[start:end])]


def coverage(decisions: list[Decision], gold: dict[str, list[Entity]], pred: dict[str, list[Entity]]) -> dict:
    """Masked share of the gold tokens of each group (a token is masked if a masked prediction covers it)."""
    policy = Policy()
    counts = {group: [0, 0] for group in TARGETS}
    missed: dict[str, list[str]] = {group: [] for group in TARGETS}
    spans: dict[str, list[str]] = {group: [] for group in TARGETS}  # whole gold spans with an error, in context
    for decision in decisions:
        text = decision.text
        masked = [(e.start, e.end) for e in pred.get(decision.id, []) if policy.is_masked(e.category)]
        for entity in gold[decision.id]:
            group = ("persons" if entity.category == PERSON else "professionals"
                     if entity.category in (MAGISTRATE, LAWYER) else "identifiers"
                     if entity.category in IDENTIFIERS else None)
            if group is None:
                continue
            span_wrong = False
            for s, e in _tokens(text, entity.start, entity.end):
                hit = any(ms <= s and e <= me for ms, me in masked)
                counts[group][0] += hit
                counts[group][1] += 1
                wrong = hit if group == "professionals" else not hit
                if wrong:
                    missed[group].append(f"{decision.id} « {text[s:e]} » ({entity.category})")
                    span_wrong = True
            if span_wrong:
                context = text[max(0, entity.start - 70):entity.end + 40].replace("\n", " ")
                spans[group].append(f"{decision.id} « {text[entity.start:entity.end]} » ({entity.category}) | …{context}…")
    return {group: {"masked": m, "tokens": n, "share": m / n if n else 0.0, "examples": missed[group][:8],
                    "spans": spans[group]}
            for group, (m, n) in counts.items()}


def selected_rounds(names: str | None) -> list[Path]:
    """The round files to read: the ones named (« round-1,round-3 »), or every round of the folder."""
    if not names:
        rounds = sorted(BLIND.glob("round-*.jsonl"), key=lambda p: int(p.stem.split("-")[1]))  # round-10 after round-9
        if not rounds:
            raise SystemExit(f"Aucun tour à l'aveugle dans {BLIND}")
        return rounds
    rounds = []
    for name in (n.strip() for n in names.split(",")):
        if not name:
            continue
        path = BLIND / f"{name.removesuffix('.jsonl')}.jsonl"
        if path.parent != BLIND or not path.is_file():
            raise SystemExit(f"--rounds : tour « {name} » introuvable dans {BLIND} (attendu : round-N, séparés "
                             "par des virgules)")
        rounds.append(path)
    if not rounds:
        raise SystemExit("--rounds : aucun tour donné (attendu : round-1,round-2,…)")
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", help="tours à lire, séparés par des virgules (défaut : tous)")
    parser.add_argument("--no-write", action="store_true", help="ne pas réécrire docs/benchmarks.md")
    parser.add_argument("--misses", action="store_true",
                        help="afficher chaque span de la référence en erreur, avec son contexte (sans rien réécrire)")
    args = parser.parse_args()
    rounds = selected_rounds(args.rounds)
    pseudonymiser = Pseudonymiser()
    measured = []  # (round name, decisions, gold, predictions)
    for path in rounds:
        decisions, gold = load_round(path)
        measured.append((path.stem, decisions, gold, {r.id: r.entities for r in pseudonymiser.pseudonymise(decisions)}))
    if args.misses:
        labels = {"persons": "PERSONNE non masquée", "professionals": "PROFESSIONNEL masqué",
                  "identifiers": "IDENTIFIANT non masqué"}
        for _name, decisions, gold, pred in measured:
            cov = coverage(decisions, gold, pred)
            for group, label in labels.items():
                for line in cov[group]["spans"]:
                    print(f"{label} : {line}")
        return
    headers = ["tour", "décisions", "noms de personnes masqués", "noms de professionnels masqués",
               "identifiants masqués", "micro-F1 stricte", "micro-F1 jeton"]
    blind = [m for m in measured if m[0] not in TUNED_ON]
    dev = [m for m in measured if m[0] in TUNED_ON]
    parts = [
        f"Décisions écrites et annotées (catégories de Label) par une personne qui ne travaille pas sur les "
        f"règles ({BLIND.relative_to(ROOT)}/README.md), enregistrées avant toute modification des règles et "
        "mesurées une fois avec les règles telles qu'elles sont ; référence brute, sans correction. Part des "
        "jetons (mots) masqués dans les spans de la référence.",
    ]
    if not blind:
        parts += ["", "Aucun tour n'est à l'aveugle aujourd'hui : les règles ont été réglées sur tous les tours "
                  "après leur mesure, qui reste consignée, tour par tour, dans le README du dossier."]
    for title, group in (("Tours encore à l'aveugle (jamais utilisés pour régler les règles)", blind),
                         ("Tours devenus données de développement (les règles ont été réglées dessus depuis leur "
                          "mesure à l'aveugle, consignée dans le README du dossier) : chiffres de développement",
                          dev)):
        if not group:
            continue
        rows, pooled_decisions, pooled_gold, pooled_pred = [], [], {}, {}
        for name, decisions, gold, pred in group:
            pooled_decisions += decisions
            pooled_gold.update(gold)
            pooled_pred.update(pred)
            rows.append(_row(name.replace("round-", "tour "), decisions, gold, pred, coverage(decisions, gold, pred)))
        pooled = coverage(pooled_decisions, pooled_gold, pooled_pred)
        if len(group) > 1:
            rows.append(_row("**ensemble**", pooled_decisions, pooled_gold, pooled_pred, pooled))
        verdict = [
            f"personnes {_pct(pooled['persons']['share'])} (cible ≥ 99,5 %) : "
            f"{'atteinte' if pooled['persons']['share'] >= TARGETS['persons'] else '**non atteinte**'}",
            f"professionnels {_pct(pooled['professionals']['share'])} (cible ≤ 1 %) : "
            f"{'atteinte' if pooled['professionals']['share'] <= TARGETS['professionals'] else '**non atteinte**'}",
            f"identifiants {_pct(pooled['identifiers']['share'])} (cible ≥ 95 %) : "
            f"{'atteinte' if pooled['identifiers']['share'] >= TARGETS['identifiers'] else '**non atteinte**'}",
        ]
        misses = [f"- {group} : " + " ; ".join(pooled[group]["examples"]) for group in TARGETS
                  if pooled[group]["examples"]]
        parts += ["", f"**{title}**", "", markdown_table(headers, rows), "",
                  ("Objectifs : " if group is blind else "Objectifs, sur ces données de développement (ce n'est pas "
                   "une mesure à l'aveugle) : ") + " ; ".join(verdict) + ".", "",
                  "Premiers écarts (jetons manqués, ou professionnels masqués) :" if misses else "Aucun écart.", "",
                  *misses]
    body = "\n".join(parts)
    if not args.no_write:
        write_section("decisions_blind", "Décisions de justice : tours à l'aveugle", body)
    print(body)


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %".replace(".", ",")


def _row(name, decisions, gold, pred, cov):
    texts = {d.id: d.text for d in decisions}
    scores = evaluate(gold, pred, texts)
    cell = lambda g: f"{_pct(cov[g]['share'])} ({cov[g]['masked']}/{cov[g]['tokens']})"  # noqa: E731
    return [name, str(len(decisions)), cell("persons"), cell("professionals"), cell("identifiers"),
            f"{scores['micro']['strict']['f1']:.3f}", f"{scores['micro']['token']['f1']:.3f}"]


if __name__ == "__main__":
    main()
