"""Classification of a collection into the institution's terms, from a few labelled images, with
active learning to pick the images to label next (pure Python: numpy, scikit-learn; no Django).

Features are the index's image features (EfficientNet-Lite0 by default, ``index.read_features``).
The classifier is a multinomial logistic regression on L2-normalised features (picked by measurement
against nearest centroid and 5 nearest neighbours: benchmarks/archives_classification.py); each
proposal carries its probability as its confidence and stays a suggestion until a cataloguer
accepts it. Active learning (:func:`pick_next`) takes the images whose two most likely terms are the
closest (smallest margin), keeping among them a diverse batch (farthest-first in feature space, so a
batch does not ask ten times about the same kind of view).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import SourceError

CANDIDATE_FACTOR = 5  # a batch of n is chosen among the 5·n most uncertain images
MODELS = ("logistique", "centroide", "5-ppv")


def normalise(features) -> np.ndarray:
    x = np.asarray(features, dtype=np.float32)
    if x.ndim != 2 or not len(x):
        raise SourceError("Caractéristiques d'image attendues : un tableau (images × dimension) non vide.")
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


@dataclass
class Classifier:
    """A trained classifier: ``predict_proba`` over ``classes`` (in that order)."""

    classes: tuple[str, ...]
    model: object
    kind: str
    n_labels: int

    def predict_proba(self, features) -> np.ndarray:
        x = normalise(features)
        if self.kind == "centroide":
            sims = x @ self.model.T
            e = np.exp((sims - sims.max(axis=1, keepdims=True)) * 20.0)
            return e / e.sum(axis=1, keepdims=True)
        return self.model.predict_proba(x)

    def propose(self, features) -> tuple[list[str], np.ndarray]:
        """The most likely term of each image and its probability (the confidence shown)."""
        proba = self.predict_proba(features)
        best = proba.argmax(axis=1)
        return [self.classes[i] for i in best], proba[np.arange(len(best)), best]


def train(features, labels: Sequence[str], *, kind: str = "logistique", C: float = 10.0) -> Classifier:
    """Train on labelled images (``labels[i]`` is the term of ``features[i]``); at least two terms."""
    x = normalise(features)
    if len(labels) != len(x):
        raise SourceError(f"{len(labels)} étiquette(s) pour {len(x)} image(s) : il en faut une par image.")
    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise SourceError("Il faut des images étiquetées d'au moins deux termes pour entraîner le classement.")
    y = np.array([classes.index(label) for label in labels])
    if kind == "logistique":
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        model = LogisticRegression(C=C, max_iter=2000)
        with threadpool_limits(1):  # a small fit: extra BLAS threads only contend (40× slower on 2 busy cores)
            model.fit(x, y)
    elif kind == "centroide":
        centroids = np.stack([x[y == k].mean(axis=0) for k in range(len(classes))])
        model = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    elif kind == "5-ppv":
        from sklearn.neighbors import KNeighborsClassifier

        model = KNeighborsClassifier(n_neighbors=min(5, len(x)), metric="cosine", weights="distance").fit(x, y)
    else:
        raise SourceError(f"Classifieur inconnu : « {kind} » (attendu : {', '.join(MODELS)}).")
    return Classifier(classes, model, kind, len(labels))


def margins(proba: np.ndarray) -> np.ndarray:
    """Gap between the two most likely terms (small: the classifier hesitates)."""
    if proba.shape[1] < 2:
        return np.ones(len(proba))
    top = np.sort(proba, axis=1)
    return top[:, -1] - top[:, -2]


def pick_next(classifier: Classifier, features, candidates: Sequence[int], labelled: Sequence[int], n: int, *,
              diversity: bool = True) -> list[int]:
    """``n`` images (indices into ``features``) to label next, among ``candidates``: smallest margins,
    spread out by farthest-first selection (largest distance to the labelled and already picked)."""
    candidates = list(candidates)
    if n <= 0 or not candidates:
        return []
    x = normalise(features)
    gap = margins(classifier.predict_proba(x[candidates]))
    order = [candidates[i] for i in np.argsort(gap, kind="stable")]
    if not diversity:
        return order[:n]
    pool = order[:max(n, CANDIDATE_FACTOR * n)]
    chosen: list[int] = []
    anchors = list(labelled)
    nearest = (x[pool] @ x[anchors].T).max(axis=1) if anchors else np.full(len(pool), -1.0)
    rank = np.arange(len(pool)) / len(pool)  # ties broken towards the more uncertain
    while len(chosen) < min(n, len(pool)):
        score = (1.0 - nearest) - 1e-3 * rank
        score[[pool.index(c) for c in chosen]] = -np.inf
        best = int(np.argmax(score))
        chosen.append(pool[best])
        nearest = np.maximum(nearest, x[pool] @ x[pool[best]])
    return chosen


# ------------------------------------------------------------------------------ labels file
def read_labels(path: str | Path) -> dict[str, str]:
    """A CSV of labels given by a cataloguer: columns ``file`` (or ``fichier``) and ``label`` (or
    ``terme``, ``etiquette``); every problem is reported at once, with its line."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"Fichier d'étiquettes introuvable : {path}", source=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    file_col = next((header[h] for h in ("file", "fichier", "key") if h in header), None)
    label_col = next((header[h] for h in ("label", "terme", "etiquette", "étiquette") if h in header), None)
    if file_col is None or label_col is None:
        raise SourceError(f"{path.name}, ligne 1 : colonnes attendues « file » (ou « fichier ») et « label » "
                          f"(ou « terme ») ; trouvées : {', '.join(reader.fieldnames or []) or 'aucune'}.",
                          source=str(path))
    labels, problems = {}, []
    for line, row in enumerate(reader, start=2):
        key, label = (row.get(file_col) or "").strip(), (row.get(label_col) or "").strip()
        if not key or not label:
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
    classifier: Classifier


def classify_collection(keys: Sequence[str], features, labels: dict[str, str], *, ask: int = 10,
                        kind: str = "logistique") -> Proposals:
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
    x = normalise(features)
    classifier = train(x[labelled], [labels[keys[i]] for i in labelled], kind=kind)
    rest = [i for i in range(len(keys)) if keys[i] not in labels]
    proposed, confidence = classifier.propose(x[rest]) if rest else ([], np.zeros(0))
    picked = pick_next(classifier, x, rest, labelled, ask)
    return Proposals([keys[i] for i in rest], proposed, confidence, [keys[i] for i in picked], classifier)


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
    One accuracy per draw and budget.
    """
    x = normalise(features)
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
                    model = train(x[labelled], list(y[labelled]), kind=kind, C=C)
                    labelled += pick_next(model, x, sorted(pool - set(labelled)), labelled,
                                          min(batch, total - len(labelled)))
            model = train(x[labelled], list(y[labelled]), kind=kind, C=C)
            predicted, _conf = model.propose(x[test])
            out[k].append(float(np.mean(np.asarray(predicted) == y[test])))
    return out
