"""Classification of a collection into the institution's terms, from a few labelled images, with
active learning to pick the images to label next (pure Python: numpy, scikit-learn; no Django).

Features are the index's image features (EfficientNet-Lite0 by default, ``index.read_features``).
The classifier, its proposals with their confidence and the active learning are the shared
few-label machinery of :mod:`amorce.core.vision.fewshot` (multinomial logistic regression on
L2-normalised features, picked by measurement against nearest centroid and 5 nearest neighbours:
benchmarks/archives_classification.py; images to label next by smallest margin, spread out). This
module keeps what is the archives' own: the cataloguer's labels file, the proposals for a whole
collection and their CSV, and the evaluation protocol of the benchmark.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from amorce.core.vision.fewshot import FewShotClassifier, l2_normalise, pick_next, train

from .errors import SourceError

FILE_COLUMNS = ("file", "fichier", "key")
LABEL_COLUMNS = ("label", "terme", "etiquette", "étiquette")


# ------------------------------------------------------------------------------ labels file
def read_labels(path: str | Path) -> dict[str, str]:
    """A CSV of labels given by a cataloguer (``,``, ``;`` or tab; encoding detected): columns ``file``
    (or ``fichier``) and ``label`` (or ``terme``, ``etiquette``); every problem is reported at once,
    with its line."""
    from amorce.core.files import read_csv_rows

    path = Path(path)
    if not path.is_file():
        raise SourceError(f"Fichier d'étiquettes introuvable : {path}", source=str(path))
    rows = read_csv_rows(path)
    columns = [c for c in (rows[0] if rows else {}) if c != "__line__"]
    header = {c.lower(): c for c in columns}
    file_col = next((header[h] for h in FILE_COLUMNS if h in header), None)
    label_col = next((header[h] for h in LABEL_COLUMNS if h in header), None)
    if not rows:
        raise SourceError(f"{path.name} : aucune étiquette (attendu : un en-tête « file,label » puis une ligne "
                          "par image étiquetée).", source=str(path))
    if file_col is None or label_col is None:
        raise SourceError(f"{path.name}, ligne 1 : colonnes attendues « file » (ou « fichier ») et « label » "
                          f"(ou « terme »), séparées par « , » ou « ; » ; trouvée(s) : "
                          f"{', '.join(f'« {c} »' for c in columns) or 'aucune'}.", source=str(path))
    labels, problems = {}, []
    for row in rows:
        line = row["__line__"]
        key, label = (row.get(file_col) or "").strip(), (row.get(label_col) or "").strip()
        if "\n" in key or "\n" in label:
            problems.append(f"ligne {line} : retour à la ligne dans une valeur (guillemet « \" » non fermé ?)")
        elif not key or not label:
            problems.append(f"ligne {line} : fichier ou terme vide")
        elif key in labels and labels[key] != label:
            problems.append(f"ligne {line} : « {key} » déjà étiquetée « {labels[key]} »")
        else:
            labels[key] = label
    if problems:
        raise SourceError(f"{path.name} : " + " ; ".join(problems[:20])
                          + (f" ; … et {len(problems) - 20} autre(s)" if len(problems) > 20 else ""),
                          source=str(path), problems=problems)
    return labels


@dataclass
class Proposals:
    keys: list[str]
    labels: list[str]
    confidence: np.ndarray
    to_label: list[str]
    classifier: FewShotClassifier


def classify_collection(keys: Sequence[str], features, labels: dict[str, str], *, ask: int = 10,
                        method: str = "logistique") -> Proposals:
    """Train on the labelled keys, propose a term for every other key, and pick ``ask`` keys to label next."""
    if features is None or not len(keys):
        raise SourceError("La collection n'a pas de caractéristiques d'image : indexez-la avec "
                          "« --caracteristiques ».")
    position = {k: i for i, k in enumerate(keys)}
    unknown = sorted(k for k in labels if k not in position)
    if unknown:
        raise SourceError(f"{len(unknown)} image(s) étiquetée(s) absente(s) de l'index : "
                          + ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else ""), missing=unknown)
    labelled = [position[k] for k in labels]
    x = l2_normalise(features)
    classifier = train(x[labelled], [labels[keys[i]] for i in labelled], method=method)
    rest = [i for i in range(len(keys)) if keys[i] not in labels]
    if not rest:
        return Proposals([], [], np.zeros(0), [], classifier)
    proposed, confidence = classifier.propose(x[rest])
    picked = pick_next(classifier.predict_proba(x[rest]), x[rest], ask, labelled=x[labelled])
    return Proposals([keys[i] for i in rest], proposed, confidence, [keys[rest[i]] for i in picked], classifier)


def write_proposals(path: str | Path, proposals: Proposals) -> int:
    """CSV ``file,label,confidence,to_label`` (``to_label`` = 1 for the images to label next)."""
    from amorce.core.files import atomic_write

    asked = set(proposals.to_label)
    with atomic_write(path, "w", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["file", "label", "confidence", "to_label"])
        for key, label, conf in zip(proposals.keys, proposals.labels, proposals.confidence, strict=True):
            writer.writerow([key, label, f"{conf:.3f}", int(key in asked)])
    return len(proposals.keys)


# ------------------------------------------------------------------------------ evaluation
class NearestNeighbours:
    """The 5-nearest-neighbours comparator of the benchmark (cosine distance, votes weighted by
    inverse distance): not a product method, it cannot be saved."""

    def __init__(self, features, labels: Sequence[str], k: int = 5) -> None:
        from sklearn.neighbors import KNeighborsClassifier

        self.classes = sorted(set(labels))
        y = np.array([self.classes.index(label) for label in labels])
        self.model = KNeighborsClassifier(n_neighbors=min(k, len(y)), metric="cosine", weights="distance")
        self.model.fit(l2_normalise(features), y)

    def predict_proba(self, features) -> np.ndarray:
        return self.model.predict_proba(l2_normalise(features))

    def propose(self, features) -> tuple[list[str], np.ndarray]:
        probs = self.predict_proba(features)
        best = probs.argmax(axis=1)
        return [self.classes[i] for i in best], probs[np.arange(len(best)), best]


def _fit(x, y, kind: str, C: float):
    if kind == "5-ppv":
        return NearestNeighbours(x, y)
    return train(x, y, method=kind, strength=C)


def colour_hog_features(images: Sequence[np.ndarray]) -> np.ndarray:
    """Baseline features: 8×8×8 RGB colour histogram and HOG of the 64×64 grey image."""
    import cv2

    hog = cv2.HOGDescriptor((64, 64), (16, 16), (8, 8), (8, 8), 9)
    out = []
    for image in images:
        small = cv2.resize(np.ascontiguousarray(image), (64, 64), interpolation=cv2.INTER_AREA)
        hist = cv2.calcHist([small], [0, 1, 2], None, [8, 8, 8], [0, 256] * 3).ravel()
        hist /= max(hist.sum(), 1.0)
        grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
        h = hog.compute(grey).ravel()
        out.append(np.concatenate([np.sqrt(hist), h / max(np.linalg.norm(h), 1e-12)]))
    return np.asarray(out, dtype=np.float32)


def simulate(features, labels: Sequence[str], budget_per_class: Sequence[int], *, strategy: str = "aleatoire",
             draws: int = 10, test_per_class: int = 10, start_per_class: int = 2, batch: int = 10,
             kind: str = "logistique", C: float = 10.0, seed: int = 0) -> dict[int, list[float]]:
    """Accuracy on held-out images after ``k`` labels per class (``k·classes`` labels in all).

    Each draw holds out ``test_per_class`` random images of each class (never labelled, never
    picked); the others are the pool. ``aleatoire``: ``k`` random pool images of each class (a
    cataloguer labelling a few per term). ``actif``: ``start_per_class`` random images of each class,
    then batches of ``batch`` picked in the pool by :func:`pick_next` until the same number of labels.
    ``kind``: a method of :func:`~amorce.core.vision.fewshot.train` or ``5-ppv`` (comparator).
    One accuracy per draw and budget.
    """
    x = l2_normalise(features)
    y = np.asarray(labels)
    classes = sorted(set(labels))
    out: dict[int, list[float]] = {k: [] for k in budget_per_class}
    for draw in range(draws):
        rng = np.random.default_rng(seed + draw)
        by_class = {c: rng.permutation(np.where(y == c)[0]) for c in classes}
        test = [int(i) for c in classes for i in by_class[c][:test_per_class]]
        labelled: list[int] = []
        for k in sorted(budget_per_class):
            total = k * len(classes)
            if strategy == "aleatoire":
                labelled = [int(i) for c in classes for i in by_class[c][test_per_class:test_per_class + k]]
            else:
                if not labelled:
                    labelled = [int(i) for c in classes
                                for i in by_class[c][test_per_class:test_per_class + start_per_class]]
                pool = set(range(len(x))) - set(test)
                while len(labelled) < total:
                    model = _fit(x[labelled], list(y[labelled]), kind, C)
                    candidates = sorted(pool - set(labelled))
                    picked = pick_next(model.predict_proba(x[candidates]), x[candidates],
                                       min(batch, total - len(labelled)), labelled=x[labelled])
                    labelled += [candidates[i] for i in picked]
            model = _fit(x[labelled], list(y[labelled]), kind, C)
            predicted, _conf = model.propose(x[test])
            out[k].append(float(np.mean(np.asarray(predicted) == y[test])))
    return out
