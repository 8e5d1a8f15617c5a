"""Classification from a few labelled images, on feature vectors (pure: numpy, scikit-learn; no Django).

Shared by :mod:`amorce.archives.classify` (the institution's terms) and
:mod:`amorce.biodiversite.classifier` (species of detector crops); each keeps its own use-case parts
(crops, species lists and roll-up, labels files).

* **Features** are L2-normalised (:func:`l2_normalise`): classes are compared by angle.
* **Classifier** (:func:`train`, :class:`FewShotClassifier`): multinomial logistic regression
  (default, chosen by measurement: benchmarks/archives_classification.py and
  benchmarks/biodiversite_classifier.py) or nearest centroid. Both are stored the same way, as a
  linear layer ``softmax(features · weights.T + bias)``: the centroid keeps the class means scaled by
  a temperature and a zero bias.
* **Proposals** (:meth:`FewShotClassifier.propose`): the most likely class of each row and its
  probability, the confidence shown; a proposal stays a suggestion until a person accepts it.
* **Active learning** (:func:`pick_next`): the rows to label next, by smallest margin between the two
  most likely classes, kept apart from what is labelled or already picked (cosine similarity), so a
  batch does not ask ten times about the same view or the same burst of frames. Chosen by
  measurement on both benchmarks against farthest-first among the 5·n most uncertain.
* **Saving** (:meth:`FewShotClassifier.save`, :func:`load`): ``.npz`` arrays read with
  ``allow_pickle=False`` plus a JSON model card; nothing is ever unpickled from a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from amorce.core.errors import InputError

METHODS = ("logistique", "centroide")
STRENGTH = 10.0  # inverse regularisation C of the logistic regression (benchmarks: C=10)
TEMPERATURE = 20.0  # nearest centroid: probabilities are softmax(temperature × cosine)
DIVERSITY = 0.5  # active learning: weight of the similarity to what is labelled or picked (benchmarks)
CARD_VERSION = 1
_CARD_FIELDS = ("kind", "version", "method", "backbone", "classes", "dim", "arrays")


class FewShotError(InputError):
    """Features, labels or a saved model that cannot be used (French message; exit status 2)."""


def l2_normalise(features) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero); a non-empty 2-D array is expected."""
    x = np.asarray(features, dtype=np.float32)
    if x.ndim != 2 or not len(x):
        raise FewShotError("Caractéristiques d'image attendues : un tableau (images × dimension) non vide.")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits) - np.max(logits, axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def margins(probs: np.ndarray) -> np.ndarray:
    """Gap between the two most likely classes of each row (small: the classifier hesitates)."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.shape[1] < 2:
        return np.ones(len(probs))
    top = np.sort(probs, axis=1)
    return top[:, -1] - top[:, -2]


@dataclass
class FewShotClassifier:
    """A linear classifier on L2-normalised features: ``softmax(features · weights.T + bias)`` over
    ``classes`` (in that order). ``backbone`` names the feature extractor the model expects;
    ``card`` holds the rest of the model card (examples per class, training date, settings…)."""

    classes: list[str]
    weights: np.ndarray  # (classes, dim)
    bias: np.ndarray  # (classes,)
    method: str = "logistique"
    backbone: str = "embedded"
    card: dict = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return int(self.weights.shape[1])

    @property
    def n_labels(self) -> int:
        """The number of labelled examples it was trained on (0 when the card does not say)."""
        return int(sum((self.card.get("examples_per_class") or {}).values()))

    def predict_proba(self, features) -> np.ndarray:
        x = np.asarray(features, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.dim:
            raise FewShotError(f"Caractéristiques de dimension {x.shape[-1]} : ce modèle attend {self.dim} "
                               f"(extracteur « {self.backbone} »).")
        return softmax(l2_normalise(x) @ self.weights.T + self.bias)

    def propose(self, features) -> tuple[list[str], np.ndarray]:
        """The most likely class of each row and its probability (the confidence shown)."""
        probs = self.predict_proba(features)
        best = probs.argmax(axis=1)
        return [self.classes[i] for i in best], probs[np.arange(len(best)), best]

    def save(self, folder: str | os.PathLike, name: str = "modele", *, kind: str = "fewshot") -> Path:
        """Write ``name.npz`` (arrays only) and the model card ``name.json`` (``kind`` tells the caller's
        loader what the card describes), each atomically; returns the card's path."""
        from amorce.core.files import atomic_write

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = folder / f"{name}.npz"
        with atomic_write(arrays, "wb") as handle:
            np.savez(handle, weights=self.weights.astype(np.float32), bias=self.bias.astype(np.float32))
        card = {"kind": kind, "version": CARD_VERSION, "method": self.method, "backbone": self.backbone,
                "classes": list(self.classes), "dim": self.dim, "arrays": arrays.name, **self.card}
        path = folder / f"{name}.json"
        with atomic_write(path) as handle:
            json.dump(card, handle, ensure_ascii=False, indent=2)
        self.card = {k: v for k, v in card.items() if k not in _CARD_FIELDS}
        return path


def from_card(card: dict, folder: str | os.PathLike, *, source: str | os.PathLike = "") -> FewShotClassifier:
    """The classifier a model card describes (arrays file relative to ``folder``), read without pickle;
    ``source`` (the card's path) names it in errors."""
    try:
        with np.load(Path(folder) / card["arrays"], allow_pickle=False) as arrays:
            weights, bias = arrays["weights"], arrays["bias"]
        if weights.shape != (len(card["classes"]), card["dim"]) or bias.shape != (len(card["classes"]),):
            raise ValueError("tableaux de taille incohérente avec la fiche")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FewShotError(f"Modèle décrit par {source or folder} illisible ({type(exc).__name__} : {exc}).") from exc
    extra = {k: v for k, v in card.items() if k not in _CARD_FIELDS}
    return FewShotClassifier(list(card["classes"]), weights, bias, card.get("method", "logistique"),
                             card.get("backbone", "embedded"), extra)


def load(card_path: str | os.PathLike) -> FewShotClassifier:
    """A classifier saved by :meth:`FewShotClassifier.save`, from its JSON model card."""
    path = Path(card_path)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FewShotError(f"Fiche de modèle introuvable : {path}.") from exc
    except (OSError, ValueError) as exc:
        raise FewShotError(f"Fiche de modèle illisible : {path} (JSON attendu).") from exc
    if not isinstance(card, dict):
        raise FewShotError(f"Fiche de modèle illisible : {path} (objet JSON attendu).")
    return from_card(card, path.parent, source=path)


def train(features, labels: Sequence[str], *, method: str = "logistique", backbone: str = "embedded",
          strength: float = STRENGTH, temperature: float = TEMPERATURE, card: dict | None = None) -> FewShotClassifier:
    """Train on ``features`` (n, dim) and their ``labels`` (one per row; at least two classes).

    ``logistique``: multinomial logistic regression (scikit-learn, ``C = strength``);
    ``centroide``: nearest class mean, probabilities ``softmax(temperature × cosine)``.
    """
    x = l2_normalise(features)
    y = np.asarray([str(label) for label in labels])
    if len(y) != len(x):
        raise FewShotError(f"{len(y)} étiquette(s) pour {len(x)} image(s) : il en faut une par image.")
    classes = sorted(set(y.tolist()))
    if len(classes) < 2:
        raise FewShotError("Il faut des exemples étiquetés d'au moins deux classes pour entraîner un classifieur "
                           f"(trouvé : {', '.join(classes) or 'aucune'}).")
    counts = {c: int((y == c).sum()) for c in classes}
    if method == "logistique":
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        model = LogisticRegression(C=strength, max_iter=2000)
        with threadpool_limits(1):  # a small fit: extra BLAS threads only contend (~40× slower on busy cores)
            model.fit(x, y)
        order = [list(model.classes_).index(c) for c in classes]
        if len(classes) == 2:  # scikit-learn keeps one row: sigmoid(w·x + b) = softmax([0, w·x + b])
            weights = np.vstack([np.zeros_like(model.coef_[0]), model.coef_[0]])
            bias = np.array([0.0, model.intercept_[0]])
        else:
            weights, bias = model.coef_[order], model.intercept_[order]
    elif method == "centroide":
        centroids = l2_normalise(np.stack([x[y == c].mean(axis=0) for c in classes]))
        weights, bias = centroids * temperature, np.zeros(len(classes))
    else:
        raise FewShotError(f"Méthode inconnue : « {method} » (attendu : {', '.join(METHODS)}).")
    info = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "examples_per_class": counts,
            **({"strength": strength} if method == "logistique" else {"temperature": temperature}), **(card or {})}
    return FewShotClassifier(classes, np.asarray(weights, np.float32), np.asarray(bias, np.float32), method,
                             backbone, info)


def pick_next(probs, features, n: int, *, diversity: float = DIVERSITY, labelled=None,
              exclude: Iterable[int] = ()) -> list[int]:
    """The ``n`` rows to label next (indices into ``probs`` / ``features``, one row per candidate):
    uncertainty sampling with diversity.

    Uncertainty is ``1 − (p₁ − p₂)`` (margin between the two most likely classes). Picks are greedy:
    each step takes the row maximising ``uncertainty − diversity × similarity``, where similarity is
    the largest cosine similarity to the rows already picked or already labelled (``labelled``: their
    features), so one burst of near-identical frames or one kind of view does not fill the batch.
    ``diversity=0``: plain margin sampling. ``exclude``: rows never picked.
    """
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or len(probs) != len(features):
        raise FewShotError("pick_next : une ligne de probabilités par ligne de caractéristiques est attendue.")
    if n <= 0 or not len(probs):
        return []
    uncertainty = 1.0 - margins(probs)
    x = l2_normalise(features)
    similarity = np.zeros(len(x))
    if labelled is not None and len(labelled):
        similarity = np.maximum(0.0, (x @ l2_normalise(labelled).T).max(axis=1))
    available = np.ones(len(x), dtype=bool)
    for i in exclude:
        available[i] = False
    picks: list[int] = []
    while len(picks) < n and available.any():
        score = np.where(available, uncertainty - diversity * similarity, -np.inf)
        best = int(score.argmax())
        picks.append(best)
        available[best] = False
        similarity = np.maximum(similarity, x @ x[best])
    return picks
