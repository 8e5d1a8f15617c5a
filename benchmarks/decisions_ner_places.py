"""Does a NER fine-tuned on addresses and localities help the rules? Train it, then measure the whole
pipeline with the base model and with it, side by side, on rounds it never saw and on Label.

    .venv/bin/python benchmarks/decisions_ner_places.py --train 1-30 --eval 31-33 [--epochs 4] [--no-label]
        [--model DIR] [--no-write]

The model is ``amorce decisions train --cibles lieux`` (``train.TARGETS["lieux"]``): addresses and
localities of the Label « dev » half and of the blind rounds ``--train`` (tests/decisions/data/blind),
people kept from the base model by rehearsal. The pipeline reads its places only where no rule or
person took a word (``pipeline.ner_places``). Figures: the blind benchmark's coverage (persons,
professionals, identifiers) and micro-F1 on the rounds ``--eval``, and raw Label figures (person and
address F1, micro-F1) on both halves — the « test » half was never trained on. The rules may have been
tuned on the ``--eval`` rounds (say so when reporting); the NER never saw them. ``--no-label`` trains on
the rounds only (what the product itself could ship: Label lives in ../shared/data, evaluation data);
``--model`` measures a model trained before on the same data (a declared reading trained ahead).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import SHARED_DATA, markdown_table, write_section  # noqa: E402
from decisions_blind import BLIND, coverage, load_round  # noqa: E402

from amorce.decisions import Pseudonymiser, evaluate, load_annotations, load_decisions, select_split  # noqa: E402
from amorce.decisions.pipeline import MODEL  # noqa: E402
from amorce.decisions.train import TARGETS, train_ner  # noqa: E402


def rounds(spec: str) -> list[int]:
    """« 1-30 » or « 31,33 » → round numbers."""
    out = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        first, _, last = part.partition("-")
        out += range(int(first), int(last or first) + 1)
    return out


def load_rounds(numbers: list[int]):
    decisions, gold = [], {}
    for n in numbers:
        path = BLIND / f"round-{n}.jsonl"
        if not path.is_file():
            raise SystemExit(f"Tour introuvable : {path}")
        d, g = load_round(path)
        decisions += d
        gold.update(g)
    return decisions, gold


def _f1(report, category):
    return report["per_category"].get(category, {}).get("strict", {}).get("f1", 0.0)


def measure(model: str, held_out, label) -> list[str]:
    pseudonymiser = Pseudonymiser(model=model)
    decisions, gold = held_out
    pred = {r.id: r.entities for r in pseudonymiser.pseudonymise(decisions)}
    cov = coverage(decisions, gold, pred)
    micro = evaluate(gold, pred, {d.id: d.text for d in decisions})["micro"]["strict"]["f1"]
    cells = [f"{100 * cov[g]['share']:.1f} % ({cov[g]['masked']}/{cov[g]['tokens']})".replace(".", ",")
             for g in ("persons", "professionals", "identifiers")] + [f"{micro:.3f}"]
    spans, texts = label
    for split in ("dev", "test"):
        ids = select_split(spans, split)
        pred = {r.id: r.entities for r in pseudonymiser.pseudonymise([texts[i] for i in ids])}
        report = evaluate(spans, pred, {i: texts[i].text for i in ids}, ids=ids)
        cells.append(f"{_f1(report, 'personnePhysique'):.3f} / {_f1(report, 'adresse'):.3f} / "
                     f"{_f1(report, 'localite'):.3f} / {report['micro']['strict']['f1']:.3f}")
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default="1-30", help="tours d'entraînement (« 1-30 »)")
    parser.add_argument("--eval", required=True, help="tours d'évaluation, jamais vus du modèle (« 31-33 »)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--rehearsal", type=int, default=0,
                        help="décisions réelles non annotées ajoutées, pour la répétition seule (défaut : 0)")
    parser.add_argument("--no-label", action="store_true",
                        help="n'apprendre que sur les tours (sans la moitié « dev » de Label, donnée d'évaluation)")
    parser.add_argument("--out", help="dossier du modèle (défaut : dossier temporaire)")
    parser.add_argument("--model", help="modèle déjà ajusté à mesurer (dossier « model » d'un --out précédent, "
                                        "entraîné sur les mêmes --train) : pas d'entraînement")
    parser.add_argument("--no-write", action="store_true", help="ne pas réécrire docs/benchmarks.md")
    args = parser.parse_args()
    train_rounds, eval_rounds = rounds(args.train), rounds(args.eval)
    if set(train_rounds) & set(eval_rounds):
        raise SystemExit("--train et --eval doivent être disjoints")
    court = SHARED_DATA / "french_court_decisions"
    spans = load_annotations(court / "pseudonymisation_annotations.jsonl")
    texts = {d.id: d for d in load_decisions(court / "decisions.jsonl")}
    spans = {i: s for i, s in spans.items() if i in texts}
    train_decisions, train_gold = load_rounds(train_rounds)
    dev = [] if args.no_label else select_split(spans, "dev")
    train_decisions += [texts[i] for i in dev]
    train_gold.update({i: spans[i] for i in dev})
    unannotated = [d for d in load_decisions(court / "decisions.jsonl") if d.id not in spans][:args.rehearsal]
    train_decisions += unannotated  # no gold: the base model's own predictions only (rehearsal)
    held_out = load_rounds(eval_rounds)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        started = time.perf_counter()
        if not args.model:
            train_ner(train_decisions, train_gold, out, epochs=args.epochs, labels=TARGETS["lieux"])
        seconds = time.perf_counter() - started
        rows = [["modèle de base " + MODEL, *measure(MODEL, held_out, (spans, texts))],
                ["ajusté sur les lieux", *measure(args.model or str(out / "model"), held_out, (spans, texts))]]
    headers = ["NER", "personnes masquées", "professionnels masqués", "identifiants masqués", "micro-F1 stricte",
               "Label dev : F1 personnes / adresses / localités / micro", "Label test : idem"]
    body = "\n".join([
        f"Modèle `--cibles lieux` ajusté ({args.epochs} époques"
        + (", entraîné à part" if args.model else f", {seconds:.0f} s") + ") sur "
        + ("" if args.no_label else f"la moitié « dev » de Label ({len(dev)} décisions) et ")
        + f"les tours {args.train} ; pipeline complet (mêmes règles) sur les tours "
        f"{args.eval}, que le modèle n'a jamais vus, et sur Label (référence brute).", "",
        markdown_table(headers, rows)])
    if not args.no_write:
        write_section("decisions_ner_places", "Décisions de justice : NER ajusté sur les lieux", body)
    print(body)


if __name__ == "__main__":
    main()
