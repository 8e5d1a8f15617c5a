"""Species classification of detector crops: a classifier the park trains itself, configured models.

Pure (no Django). The chain, for one animal box of one frame:

* **Crop** (:func:`crop`): a square around the box (from the embedded detector, MegaDetector
  JSON, COCO boxes, motion boxes…) with a small context margin.
* **Features** (:func:`make_features`): ImageNet EfficientNet-Lite0 (embedded, Apache-2.0) or a
  configured ONNX backbone. Crops, not whole frames: whole-frame features match the background
  of the station, not the animal (docs/benchmarks.md, section « classifieur du parc »).
* **Site classifier** (:func:`train`, :class:`~amorce.core.vision.fewshot.FewShotClassifier`): the
  shared few-label classifier of :mod:`amorce.core.vision.fewshot` (multinomial logistic regression
  by default, chosen by measurement, or nearest centroid on L2-normalised features), trained from the
  species the park's agents confirmed. Saved as ``.npz`` arrays (read with ``allow_pickle=False``)
  plus a JSON model card ``"kind": "site"``: nothing is ever unpickled from a file.
* **Configured classifiers** (:class:`OnnxClassifier`, :func:`configured_classifier`): SpeciesNet,
  DeepFaune or any ONNX export, with input size, normalisation, label file and declared licence.
* **Decision** (:func:`decide`): the park's species list (TAXREF ``cd_nom``, French names)
  restricts the answer; below the threshold it rolls up to genus, family, order, then
  « indéterminé ».
* **Active learning** (:func:`~amorce.core.vision.fewshot.pick_next` on :func:`mean_by_group`
  probabilities and features per event): the next events to review, by smallest margin between the
  two best classes, spread out in feature space.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from amorce.core.errors import ValidationReport
from amorce.core.vision.fewshot import FewShotClassifier, from_card, softmax

from .errors import BiodiversiteError

MARGIN = 0.15  # context added around a box, as a share of its width and height on each side
THRESHOLD = 0.6  # minimal probability for an answer at a rank (species, then genus, family, order)
RANKS = ("espece", "genre", "famille", "ordre")
UNDETERMINED = "indéterminé"
SITE = "site"  # the model card's kind for a classifier trained by the park
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


# -------------------------------------------------------------------------------------------------
# Crops and boxes


def crop(image: np.ndarray, box, *, margin: float = MARGIN, min_side: int = 8) -> np.ndarray:
    """The square around ``box`` (normalised ``x, y, w, h``: a :class:`~amorce.core.vision.Box` or a
    dict): side = the box's longer side plus ``margin`` of it on each side, centred on the box, moved
    inside the image and padded with the image's mean colour where the image is too small. Square,
    so the feature extractor's centre crop does not cut the animal; the whole image when the box is
    smaller than ``min_side`` pixels."""
    height, width = image.shape[:2]
    x, y, w, h = _xywh(box)
    bw, bh = w * width, h * height
    if bw < min_side and bh < min_side:
        return image
    side = max(min_side, round(max(bw, bh) * (1 + 2 * margin)))
    cx, cy = (x + w / 2) * width, (y + h / 2) * height
    left = int(min(max(0, round(cx - side / 2)), max(0, width - side)))
    top = int(min(max(0, round(cy - side / 2)), max(0, height - side)))
    out = image[top:top + side, left:left + side]
    if out.shape[:2] != (side, side):
        fill = image.reshape(-1, image.shape[2]).mean(axis=0).astype(image.dtype)
        canvas = np.empty((side, side, image.shape[2]), dtype=image.dtype)
        canvas[:] = fill
        oy, ox = (side - out.shape[0]) // 2, (side - out.shape[1]) // 2
        canvas[oy:oy + out.shape[0], ox:ox + out.shape[1]] = out
        return canvas
    return np.ascontiguousarray(out)


def _xywh(box) -> tuple[float, float, float, float]:
    if isinstance(box, dict):
        return float(box["x"]), float(box["y"]), float(box["w"]), float(box["h"])
    return float(box.x), float(box.y), float(box.w), float(box.h)


def read_coco_boxes(path: str | os.PathLike) -> dict[str, list[dict]]:
    """COCO (or COCO Camera Traps) annotations → ``{file_name: [{"x","y","w","h","score","label"}]}``
    with boxes normalised to the image (pixel boxes are divided by the image's width and height)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        categories = {c["id"]: c["name"] for c in data.get("categories", [])}
        images = {im["id"]: im for im in data["images"]}
        out: dict[str, list[dict]] = {im["file_name"]: [] for im in images.values()}
        for ann in data.get("annotations", []):
            image = images[ann["image_id"]]
            if not ann.get("bbox"):
                continue
            x, y, w, h = (float(v) for v in ann["bbox"])
            if max(x + w, y + h) > 1.5:  # pixels (COCO); COCO Camera Traps exports may be normalised
                x, w = x / image["width"], w / image["width"]
                y, h = y / image["height"], h / image["height"]
            out[image["file_name"]].append({"x": x, "y": y, "w": w, "h": h, "score": 1.0,
                                            "label": categories.get(ann.get("category_id"), "animal")})
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as exc:
        raise BiodiversiteError(f"Fichier COCO illisible : {path} ({type(exc).__name__} : {exc}).") from exc
    return out


def read_boxes(path: str | os.PathLike, *, threshold: float = 0.2) -> dict[str, list[dict]]:
    """Boxes from a MegaDetector batch JSON (``"detections"``) or a COCO file (``"annotations"``);
    only animal boxes are kept (people and vehicles are never classified)."""
    path = Path(path)
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BiodiversiteError(f"Fichier de boîtes illisible : {path} ({type(exc).__name__} : {exc}).") from exc
    if isinstance(head, dict) and "annotations" in head:
        return read_coco_boxes(path)
    from .formats import read_megadetector

    found = read_megadetector(path, threshold=threshold)
    found.pop("__failures__", None)
    return {name: [b for b in boxes if b["label"] == "animal"] for name, boxes in found.items()}


def make_features(spec: str = "embedded", *, input_size: int = 224, mean: Sequence[float] | None = None,
                  std: Sequence[float] | None = None, licence: str = "", threads: int | None = None):
    """The feature extractor: ``embedded`` (EfficientNet-Lite0, ImageNet, Apache-2.0) or
    ``onnx:PATH`` (an image encoder ``(n, 3, s, s)`` → ``(n, dim)``; CLIP normalisation unless given)."""
    from amorce.core import vision

    if spec == "embedded":
        return vision.embedded_features(threads=threads)
    if spec.startswith("onnx:"):
        options = {k: v for k, v in (("mean", mean), ("std", std)) if v is not None}
        return vision.onnx_features(spec[5:], input_size=input_size, threads=threads,
                                    licence=licence or "à renseigner (modèle configuré)", **options)
    raise BiodiversiteError(f"Extracteur de caractéristiques inconnu : « {spec} » (attendu : embedded ou onnx:CHEMIN).")


# -------------------------------------------------------------------------------------------------
# The park's species list


@dataclass(frozen=True)
class Taxon:
    """One allowed taxon of the park's list; ``label`` is the name the classifier uses."""

    label: str
    cd_nom: str
    nom_scientifique: str
    nom_francais: str
    genre: str = ""
    famille: str = ""
    ordre: str = ""


@dataclass
class SpeciesList:
    taxa: dict[str, Taxon]  # label -> taxon
    source: str = ""

    def __contains__(self, label: str) -> bool:
        return label in self.taxa

    def higher(self, label: str, rank: str) -> str:
        taxon = self.taxa.get(label)
        return getattr(taxon, rank, "") if taxon else ""


SPECIES_COLUMNS = ("cd_nom", "nom_scientifique", "nom_francais")


def read_species_list(path: str | os.PathLike) -> SpeciesList:
    """The park's species list (CSV, ``,`` or ``;``): ``cd_nom`` (TAXREF), ``nom_scientifique``,
    ``nom_francais``; optional ``etiquette`` (the classifier's label when it is not the scientific
    name), ``genre``, ``famille``, ``ordre`` (for the roll-up). All problems are reported at once."""
    from amorce.core.files import read_csv_rows

    path = Path(path)
    rows = read_csv_rows(path, required=SPECIES_COLUMNS)
    report = ValidationReport(file=str(path))
    taxa: dict[str, Taxon] = {}
    for row in rows:
        line = row["__line__"]
        for column in SPECIES_COLUMNS:
            if not row.get(column):
                report.add("valeur vide", line=line, column=column, expected="une valeur renseignée")
        cd_nom = row.get("cd_nom", "")
        if cd_nom and not cd_nom.isdigit():
            report.add("identifiant TAXREF invalide", line=line, column="cd_nom", value=cd_nom,
                       expected="un nombre entier (cd_nom TAXREF)")
        label = row.get("etiquette") or row.get("nom_scientifique", "")
        if label in taxa:
            report.add("taxon en double", line=line, column="etiquette" if row.get("etiquette") else "nom_scientifique",
                       value=label)
            continue
        if label:
            taxa[label] = Taxon(label, cd_nom, row.get("nom_scientifique", ""), row.get("nom_francais", ""),
                                row.get("genre", ""), row.get("famille", ""), row.get("ordre", ""))
    if not rows:
        report.add("liste vide", line=2, expected="au moins un taxon")
    report.raise_if_any("Liste d'espèces invalide")
    return SpeciesList(taxa, str(path))


# -------------------------------------------------------------------------------------------------
# Decision: species-list restriction and roll-up


@dataclass
class Prediction:
    """The answer for one crop or event: ``rank`` is espece / genre / famille / ordre / indetermine."""

    label: str
    rank: str
    score: float
    cd_nom: str = ""
    nom_francais: str = ""
    top: list[tuple[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"label": self.label, "rank": self.rank, "score": round(self.score, 4), "cd_nom": self.cd_nom,
                "nom_francais": self.nom_francais, "top": [[k, round(v, 4)] for k, v in self.top]}


def decide(probs: Sequence[float], classes: Sequence[str], *, species_list: SpeciesList | None = None,
           threshold: float = THRESHOLD) -> Prediction:
    """The answer for one probability vector over ``classes``.

    With a species list, classes outside it get no probability (the rest is renormalised). The
    best species is given when its probability reaches ``threshold``; otherwise probabilities are
    summed by genus, then family, then order (columns of the list), and the first group reaching
    the threshold is the answer; else « indéterminé ».
    """
    p = np.asarray(probs, dtype=np.float64).copy()
    if species_list is not None:
        allowed = np.array([c in species_list for c in classes])
        p[~allowed] = 0.0
    total = p.sum()
    top = sorted(((c, float(v / total)) for c, v in zip(classes, p, strict=True) if v > 0),
                 key=lambda t: -t[1])[:3] if total > 0 else []
    if total <= 0:
        return Prediction(UNDETERMINED, "indetermine", 0.0)
    p /= total
    best = int(p.argmax())
    if p[best] >= threshold:
        taxon = species_list.taxa.get(classes[best]) if species_list else None
        return Prediction(classes[best], "espece", float(p[best]), taxon.cd_nom if taxon else "",
                          taxon.nom_francais if taxon else "", top)
    if species_list is not None:
        for rank in RANKS[1:]:
            groups: dict[str, float] = {}
            for c, v in zip(classes, p, strict=True):
                name = species_list.higher(c, rank)
                if name and v > 0:
                    groups[name] = groups.get(name, 0.0) + float(v)
            if groups:
                name, score = max(groups.items(), key=lambda t: t[1])
                if score >= threshold:
                    return Prediction(name, rank, score, top=top)
    return Prediction(UNDETERMINED, "indetermine", float(p[best]), top=top)


# -------------------------------------------------------------------------------------------------
# The site-trained classifier


# -------------------------------------------------------------------------------------------------
# Configured classifiers (SpeciesNet, DeepFaune, any ONNX export)


PRESETS: dict[str, dict] = {
    # SpeciesNet (Google, Apache-2.0): EfficientNetV2-M on crops, 480 px, RGB 0-1, channels last;
    # labels.txt lines "uuid;classe;ordre;famille;genre;espèce;nom commun".
    "speciesnet": {"name": "SpeciesNet", "input_size": 480, "mean": (0.0, 0.0, 0.0), "std": (1.0, 1.0, 1.0),
                   "layout": "nhwc", "licence": "Apache-2.0", "commercial_use": True},
    # DeepFaune (CNRS / LECA): ViT-L DINOv2 on crops, 182 px, ImageNet normalisation. The weights are
    # CC BY-NC-SA 4.0: no commercial use.
    "deepfaune": {"name": "DeepFaune", "input_size": 182, "mean": IMAGENET_MEAN, "std": IMAGENET_STD,
                  "layout": "nchw", "licence": "CC BY-NC-SA 4.0 (poids DeepFaune) : usage commercial interdit",
                  "commercial_use": False},
    "onnx": {"name": "", "input_size": 224, "mean": IMAGENET_MEAN, "std": IMAGENET_STD, "layout": "auto",
             "licence": "à renseigner (modèle configuré)", "commercial_use": None},
}


@dataclass(frozen=True)
class Label:
    name: str
    genre: str = ""
    famille: str = ""
    ordre: str = ""


def read_label_file(path: str | os.PathLike) -> list[Label]:
    """A classifier's label file: one label per line (output order), or SpeciesNet's
    ``uuid;classe;ordre;famille;genre;espèce;nom commun`` lines. Empty or repeated labels are errors
    (file and line); blank trailing lines are ignored."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise BiodiversiteError(f"Fichier des étiquettes introuvable : {path}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BiodiversiteError(f"Fichier des étiquettes illisible : {path} ({exc}) ; attendu : texte UTF-8, "
                                "une étiquette par ligne.") from exc
    while lines and not lines[-1].strip():
        lines.pop()
    report = ValidationReport(file=str(path))
    labels: list[Label] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if ";" in text:
            parts = [p.strip() for p in text.split(";")]
            if len(parts) != 7:
                report.add(f"{len(parts)} champs séparés par « ; »", line=number, value=text[:80],
                           expected="7 champs (uuid;classe;ordre;famille;genre;espèce;nom commun) ou une étiquette seule")
                continue
            _, _cls, order, family, genus, species, common = parts
            name = f"{genus} {species}".strip() if species else (genus or family or order or common)
            label = Label(name, genus, family, order)
        else:
            label = Label(text)
        if not label.name:
            report.add("étiquette vide", line=number, expected="une étiquette par ligne, dans l'ordre des sorties du modèle")
        elif label.name in seen:
            report.add("étiquette en double", line=number, value=label.name)
        else:
            seen.add(label.name)
        labels.append(label)
    if not lines:
        report.add("fichier vide", line=1, expected="une étiquette par ligne")
    report.raise_if_any("Fichier des étiquettes invalide")
    return labels


def _resize_square(image: np.ndarray, size: int) -> np.ndarray:
    import cv2

    interpolation = cv2.INTER_AREA if min(image.shape[:2]) > size else cv2.INTER_CUBIC
    return cv2.resize(np.ascontiguousarray(image), (size, size), interpolation=interpolation)


@dataclass
class OnnxClassifier:
    """A classifier of crops exported to ONNX: crop resized to ``input_size`` square, RGB scaled to
    0-1 then ``(x − mean) / std``; output ``(n, classes)`` probabilities or logits (softmax applied
    when the rows do not sum to 1)."""

    path: str
    labels: list[Label]
    input_size: int
    mean: tuple[float, ...]
    std: tuple[float, ...]
    layout: str = "auto"
    name: str = ""
    licence: str = "à renseigner (modèle configuré)"
    commercial_use: bool | None = None
    threads: int | None = None
    _session: object = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        from amorce.core.vision.runtime import session

        self._session = session(self.path, threads=self.threads)
        shape = self._session.get_inputs()[0].shape
        if self.layout == "auto":
            self.layout = "nhwc" if len(shape) == 4 and shape[-1] == 3 else "nchw"
        spatial = shape[1:3] if self.layout == "nhwc" else shape[2:4]
        if len(shape) == 4 and all(isinstance(d, int) and d > 0 for d in spatial):
            self.input_size = int(spatial[0])
        out = self._session.get_outputs()[0].shape
        if len(out) == 2 and isinstance(out[1], int) and out[1] != len(self.labels):
            raise BiodiversiteError(f"Le modèle {os.path.basename(self.path)} a {out[1]} sorties mais le fichier des "
                                    f"étiquettes en donne {len(self.labels)}.")
        self.name = self.name or os.path.basename(self.path)

    @property
    def classes(self) -> list[str]:
        return [label.name for label in self.labels]

    def species_list(self) -> SpeciesList:
        """The taxonomy that the label file carries (SpeciesNet), for the roll-up."""
        return SpeciesList({lab.name: Taxon(lab.name, "", lab.name, "", lab.genre, lab.famille, lab.ordre)
                            for lab in self.labels})

    def predict_proba(self, crops: Sequence[np.ndarray], batch_size: int = 8) -> np.ndarray:
        mean = np.asarray(self.mean, np.float32)
        std = np.asarray(self.std, np.float32)
        name = self._session.get_inputs()[0].name
        out = []
        for start in range(0, len(crops), batch_size):
            batch = np.stack([(_resize_square(c, self.input_size).astype(np.float32) / 255.0 - mean) / std
                              for c in crops[start:start + batch_size]])
            if self.layout == "nchw":
                batch = batch.transpose(0, 3, 1, 2)
            result = np.asarray(self._session.run(None, {name: np.ascontiguousarray(batch)})[0], np.float64)
            result = result.reshape(len(batch), -1)
            if result.shape[1] != len(self.labels):
                raise BiodiversiteError(f"Le modèle {self.name} sort {result.shape[1]} valeurs par image, "
                                        f"pour {len(self.labels)} étiquettes.")
            sums = result.sum(axis=1)
            if result.min() < 0 or not np.allclose(sums, 1.0, atol=1e-3):
                result = softmax(result)
            out.append(result)
        return np.vstack(out) if out else np.zeros((0, len(self.labels)))

    def card(self) -> dict:
        return {"kind": "onnx", "name": self.name, "model": self.path, "input_size": self.input_size,
                "mean": list(self.mean), "std": list(self.std), "layout": self.layout, "licence": self.licence,
                "commercial_use": self.commercial_use, "classes": len(self.labels)}


def configured_classifier(path: str | os.PathLike, labels: str | os.PathLike, *, preset: str = "onnx",
                          threads: int | None = None, **overrides) -> OnnxClassifier:
    """A configured classifier: ``preset`` speciesnet, deepfaune or onnx gives input size,
    normalisation, layout and licence; ``overrides`` replace any of them."""
    if preset not in PRESETS:
        raise BiodiversiteError(f"Classifieur inconnu : « {preset} » (attendu : {', '.join(PRESETS)}).")
    settings = {**PRESETS[preset], **{k: v for k, v in overrides.items() if v is not None}}
    return OnnxClassifier(path=os.fspath(path), labels=read_label_file(labels),
                          input_size=int(settings["input_size"]), mean=tuple(settings["mean"]),
                          std=tuple(settings["std"]), layout=settings["layout"], name=settings["name"],
                          licence=settings["licence"], commercial_use=settings["commercial_use"], threads=threads)


def load_classifier(card_path: str | os.PathLike) -> FewShotClassifier | OnnxClassifier:
    """A classifier from its JSON model card: ``"kind": "site"`` (trained here, arrays in ``.npz``: see
    :meth:`~amorce.core.vision.fewshot.FewShotClassifier.save`)
    or ``"kind": "onnx"`` (``model``, ``labels``, ``preset`` and settings; paths relative to the card)."""
    path = Path(card_path)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
        kind = card["kind"]
    except FileNotFoundError as exc:
        raise BiodiversiteError(f"Fiche de modèle introuvable : {path}.") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BiodiversiteError(f"Fiche de modèle illisible : {path} (JSON avec un champ « kind » attendu).") from exc
    try:
        if kind == SITE:
            return from_card(card, path.parent, source=path)
        if kind == "onnx":
            keys = ("input_size", "mean", "std", "layout", "name", "licence", "commercial_use")
            return configured_classifier(path.parent / card["model"], path.parent / card["labels"],
                                         preset=card.get("preset", "onnx"), **{k: card.get(k) for k in keys})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BiodiversiteError(f"Modèle décrit par {path} illisible ({type(exc).__name__} : {exc}).") from exc
    raise BiodiversiteError(f"Fiche de modèle {path} : type « {kind} » inconnu (attendu : site ou onnx).")


# -------------------------------------------------------------------------------------------------
# Active learning


def mean_by_group(values: np.ndarray, groups: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Rows averaged per group (e.g. the crops of one event): ``(group ids, (groups, …) array)``."""
    order = list(dict.fromkeys(groups))
    index = {g: i for i, g in enumerate(order)}
    sums = np.zeros((len(order), *np.asarray(values).shape[1:]), dtype=np.float64)
    counts = np.zeros(len(order))
    for row, g in zip(np.asarray(values, dtype=np.float64), groups, strict=True):
        sums[index[g]] += row
        counts[index[g]] += 1
    return order, sums / counts.reshape(-1, *([1] * (sums.ndim - 1)))


# -------------------------------------------------------------------------------------------------
# Cross-validation of the park classifier (labels confirmed in review)


MIN_LABELS = 5  # reviewed events per species needed to train the park's classifier from reviews
CV_FOLDS = 5  # with one deployment only: folds of whole events


def cross_validate(features, labels: Sequence[str], events: Sequence[str], groups: Sequence[str], *,
                   method: str = "logistique", folds: int = CV_FOLDS) -> dict:
    """Cross-validated accuracy, per class, of the park classifier trained like :func:`fewshot.train`.

    Rows are crops; ``events`` ties the crops of one event (an event is scored once, on the mean of
    its crops' probabilities, like the analysis does); ``groups`` is each row's deployment. With two
    deployments or more: leave one deployment out (never trained and tested on the same deployment);
    with one: ``folds`` folds of whole events (crops of an event never on both sides; optimistic, the
    background is shared). A class seen only in the held-out deployment cannot be predicted: its
    events count as errors. Also returns the majority-class baseline on the same splits."""
    from amorce.core.vision import fewshot

    x = np.asarray(features, dtype=np.float32)
    y, ev, g = np.asarray([str(v) for v in labels]), np.asarray([str(v) for v in events]), np.asarray([str(v) for v in groups])
    deployments = sorted(set(g.tolist()))
    if len(deployments) >= 2:
        splits = [(g != d, g == d) for d in deployments]
        scheme = ("deploiements", f"un déploiement laissé de côté à tour de rôle ({len(deployments)} déploiements) : "
                                  "jamais entraîné et testé sur le même déploiement")
    else:
        unique = sorted(set(ev.tolist()))
        order = np.random.default_rng(0).permutation(len(unique))
        fold_of = {unique[i]: rank % folds for rank, i in enumerate(order)}
        fold = np.array([fold_of[e] for e in ev])
        splits = [(fold != k, fold == k) for k in range(min(folds, len(unique)))]
        scheme = ("evenements", f"un seul déploiement : {len(splits)} groupes d'événements entiers ; exactitude "
                                "optimiste (même fond à l'entraînement et au test)")
    per_class = {c: {"events": 0, "correct": 0} for c in sorted(set(y.tolist()))}
    majority_correct = tested = used = 0
    for train_mask, test_mask in splits:
        if not test_mask.any() or len(set(y[train_mask].tolist())) < 2:
            continue
        used += 1
        model = fewshot.train(x[train_mask], y[train_mask], method=method)
        ids, mean = mean_by_group(model.predict_proba(x[test_mask]), ev[test_mask].tolist())
        truth = dict(zip(ev[test_mask].tolist(), y[test_mask].tolist(), strict=True))
        train_events = dict(zip(ev[train_mask].tolist(), y[train_mask].tolist(), strict=True))
        majority = max(sorted(set(train_events.values())), key=list(train_events.values()).count)
        for event, probs in zip(ids, mean, strict=True):
            expected = truth[event]
            per_class[expected]["events"] += 1
            per_class[expected]["correct"] += int(model.classes[int(np.argmax(probs))] == expected)
            majority_correct += int(majority == expected)
            tested += 1
    for row in per_class.values():
        row["accuracy"] = round(row["correct"] / row["events"], 4) if row["events"] else None
    rates = [row["accuracy"] for row in per_class.values() if row["accuracy"] is not None]
    return {"scheme": scheme[0], "scheme_label": scheme[1], "folds": used, "events": tested,
            "accuracy": round(sum(r["correct"] for r in per_class.values()) / tested, 4) if tested else None,
            "balanced_accuracy": round(float(np.mean(rates)), 4) if rates else None,
            "majority_accuracy": round(majority_correct / tested, 4) if tested else None, "per_class": per_class}
