"""Archives: proposals of the institution's terms (one-vs-rest, several terms per photo) from a few
accepted images per term, as the « Entraîner et proposer » job makes them.

The 400 photos of ../shared/data/heritage_architecture_elements (10 classes, 40 each) with
EfficientNet-Lite0 features. Each draw accepts k random photos per term (a cataloguer labelling a few
per term); :func:`amorce.archives.multilabel.one_vs_rest` then proposes terms for the other photos.
Precision and recall of the proposals (a proposal is right when the term is the photo's class; recall:
share of photos whose class is proposed), terms proposed per photo, share of photos with at least one
proposal; time of one
training (10 terms) over the 400 photos. Mean over the draws.

    PYTHONPATH=src python benchmarks/archives_labels.py [--draws 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import HERITAGE, heritage_rows, markdown_table, write_section  # noqa: E402
from archives_classification import fr  # noqa: E402

BUDGETS = (2, 5, 10)


def main() -> None:
    import numpy as np

    from amorce.archives.multilabel import one_vs_rest
    from amorce.core.vision import embedded_features, load_image

    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=10)
    args = parser.parse_args()
    rows = heritage_rows()
    if rows is None:
        return
    root = HERITAGE
    load = os.getloadavg()[0]
    labels = np.array([r["label"] for r in rows])
    features = embedded_features().features([load_image(root / r["file"]) for r in rows])
    classes = sorted(set(labels))
    table = []
    for k in BUDGETS:
        scores, seconds = [], []
        for draw in range(args.draws):
            rng = np.random.default_rng(draw)
            positives = {c: {int(i) for i in rng.permutation(np.where(labels == c)[0])[:k]} for c in classes}
            start = time.perf_counter()
            result = one_vs_rest(features, positives, ask=12)
            seconds.append(time.perf_counter() - start)
            accepted = set().union(*positives.values())
            rest = [i for i in range(len(labels)) if i not in accepted]
            proposed = {i: {c for c, r in result.terms.items() if i in r.proposals} for i in rest}
            pairs = [(i, c) for i, terms in proposed.items() for c in terms]
            right = sum(labels[i] == c for i, c in pairs)
            scores.append((right / max(len(pairs), 1), right / len(rest),
                           np.mean([bool(t) for t in proposed.values()]), len(pairs) / len(rest)))
        mean = np.mean(scores, axis=0)
        table.append([f"{k} / terme", fr(mean[0], 2), fr(mean[1], 2), fr(mean[3], 2), fr(mean[2], 2),
                      f"{np.median(seconds):.2f} s".replace(".", ",")])
    body = (
        f"400 photographies (10 termes × 40), {args.draws} tirages ; k photos acceptées au hasard par terme, "
        "un classifieur par terme (régression logistique contre les photos des autres termes, exemples "
        "positifs pondérés), proposition si la probabilité atteint 0,5 ; mesures sur les photos non "
        f"étiquetées. Charge de la machine au départ : {load:.1f}.\n\n"
        + markdown_table(["Acceptées", "Précision des propositions", "Rappel", "Termes proposés par photo",
                          "Photos avec ≥ 1 proposition",
                          "Entraînement (10 termes, médiane)"], table)
        + "\n\nUne photo peut recevoir plusieurs propositions (multi-étiquette) : la précision compte chaque "
          "terme proposé ; le rappel est la part des photos dont le bon terme est proposé. Chaque proposition "
          "reste une suggestion à valider."
    )
    write_section("archives_labels", "Archives : propositions de termes (un contre tous)", body)
    print(body)


if __name__ == "__main__":
    main()
