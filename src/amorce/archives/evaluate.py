"""Evaluation of the duplicate search on generated variants of real photographs.

Each original gets one variant per transform, imitating what happens to a heritage photo:

* ``rescan``: resampled (×0.5 … ×1.5), rotated by up to 2°, recompressed in JPEG (quality 60–80);
* ``recadrage``: 80–90 % of the image kept (an off-centre crop), resized back;
* ``tirage``: a print — contrast and gamma changed, grain noise added;
* ``teinte``: sepia toning;
* ``miroir``: left-right mirror (a print made from a reversed negative);
* ``gris``: greyscale.

The originals and their variants form the true groups; every other original is a distractor.
Scores are over pairs: a predicted pair is right when both images come from the same original.
Per transform, recall counts the (original, variant) pairs found, precision the predicted pairs that
involve a variant of that transform and are right.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

TRANSFORMS = ("rescan", "recadrage", "tirage", "teinte", "miroir", "gris")


def make_variant(image, transform: str, rng: random.Random):
    """One variant of a Pillow RGB image."""
    import io

    import numpy as np
    from PIL import Image, ImageEnhance, ImageOps

    w, h = image.size
    if transform == "rescan":
        scale = rng.uniform(0.5, 1.5)
        out = image.resize((max(8, round(w * scale)), max(8, round(h * scale))), Image.Resampling.BICUBIC)
        out = out.rotate(rng.uniform(-2, 2), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
        buffer = io.BytesIO()
        out.save(buffer, "JPEG", quality=rng.randint(60, 80))
        return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    if transform == "recadrage":
        keep = rng.uniform(0.80, 0.90)
        cw, ch = round(w * keep), round(h * keep)
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        return image.crop((x, y, x + cw, y + ch)).resize((w, h), Image.Resampling.BICUBIC)
    if transform == "tirage":
        out = ImageEnhance.Contrast(image).enhance(rng.uniform(1.2, 1.5))
        gamma = rng.uniform(0.7, 1.3)
        array = np.asarray(out, dtype=np.float32) / 255.0
        array = np.power(array, gamma) * 255.0
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 6, array.shape)
        return Image.fromarray(np.clip(array + noise, 0, 255).astype(np.uint8))
    if transform == "teinte":
        grey = ImageOps.grayscale(image)
        return ImageOps.colorize(grey, black=(40, 26, 13), white=(255, 240, 192))
    if transform == "miroir":
        return ImageOps.mirror(image)
    if transform == "gris":
        return ImageOps.grayscale(image).convert("RGB")
    raise ValueError(transform)


@dataclass(frozen=True)
class Sample:
    key: str  # relative file name in the generated folder
    origin: str  # the original it comes from
    transform: str | None  # None for an original


def generate(originals: list[Path], folder: Path, *, seed: int = 0,
             transforms: tuple[str, ...] = TRANSFORMS) -> list[Sample]:
    """Write each original and its variants under ``folder`` (JPEG, quality 92); the ground truth."""
    from amorce.core.images import open_image

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    samples = []
    for n, path in enumerate(originals):
        origin = f"o{n:05d}"
        image = open_image(path).convert("RGB")
        image.save(folder / f"{origin}.jpg", "JPEG", quality=92)
        samples.append(Sample(f"{origin}.jpg", origin, None))
        for transform in transforms:
            key = f"{origin}_{transform}.jpg"
            make_variant(image, transform, rng).save(folder / key, "JPEG", quality=92)
            samples.append(Sample(key, origin, transform))
    return samples


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "true_pairs": self.true_pairs, "predicted_pairs": self.predicted_pairs}


def _scores(correct: int, predicted: int, truth: int) -> Scores:
    precision = correct / predicted if predicted else 1.0
    recall = correct / truth if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, truth, predicted)


def score_pairs(samples: list[Sample], predicted: set[tuple[str, str]]) -> dict[str, Scores]:
    """Pair precision / recall / F1 overall (``"global"``) and per transform."""
    by_key = {s.key: s for s in samples}
    predicted = {tuple(sorted(p)) for p in predicted}
    members: dict[str, list[Sample]] = {}
    for s in samples:
        members.setdefault(s.origin, []).append(s)
    truth = {tuple(sorted((a.key, b.key))) for group in members.values()
             for i, a in enumerate(group) for b in group[i + 1:]}
    out = {"global": _scores(len(predicted & truth), len(predicted), len(truth))}
    transforms = sorted({s.transform for s in samples if s.transform})
    for t in transforms:
        t_truth = {tuple(sorted((s.key, f"{s.origin}.jpg"))) for s in samples if s.transform == t}
        t_pred = {p for p in predicted if any(by_key[k].transform == t for k in p)}
        t_correct = {p for p in t_pred if by_key[p[0]].origin == by_key[p[1]].origin}
        out[t] = _scores(len(t_correct), len(t_pred), len(t_truth))
        out[t].recall = len(t_truth & predicted) / len(t_truth) if t_truth else 1.0
        p, r = out[t].precision, out[t].recall
        out[t].f1 = 2 * p * r / (p + r) if p + r else 0.0
    return out


def group_pairs_of(groups, rows) -> set[tuple[str, str]]:
    """Every pair of keys that share a predicted group."""
    pairs = set()
    for group in groups:
        keys = sorted(rows[i]["key"] for i in group.members)
        pairs |= {(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]}
    return pairs


def baseline_phash_pairs(rows, threshold: int = 10) -> set[tuple[str, str]]:
    """Plain pHash at imagededup's default ``max_distance_threshold`` (10), all pairs, no mirror."""
    from .hashing import hamming

    out = set()
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if hamming(a["phash"], b["phash"]) <= threshold:
                out.add(tuple(sorted((a["key"], b["key"]))))
    return out


def run_evaluation(images: str | Path, *, limit: int = 200, seed: int = 0, engine: str | None = None,
                   features: bool = False, phash_radius: int | None = None, dhash_radius: int | None = None,
                   cosine: float | None = None) -> dict:
    """Generate variants in a temporary folder (deleted afterwards), index them, score both methods."""
    import tempfile

    from .duplicates import COSINE, DHASH_RADIUS, PHASH_RADIUS, find_duplicates
    from .errors import SourceError
    from .index import IMAGE_EXTENSIONS, build_index, list_items, read_features, read_rows

    folder = Path(images)
    originals = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS) if folder.is_dir() else []
    if len(originals) < 2:
        raise SourceError(f"Il faut au moins deux images dans {folder} pour l'évaluation.")
    random.Random(seed).shuffle(originals)
    originals = originals[:limit]
    with tempfile.TemporaryDirectory(prefix="amorce-archives-eval-") as tmp:
        samples = generate(originals, Path(tmp) / "images", seed=seed)
        build_index(list_items(Path(tmp) / "images"), Path(tmp) / "store", features=features, engine=engine)
        rows = read_rows(Path(tmp) / "store")
        keys, matrix = read_features(Path(tmp) / "store")
    usable, groups, _pairs = find_duplicates(
        rows, matrix, keys, phash_radius=PHASH_RADIUS if phash_radius is None else phash_radius,
        dhash_radius=DHASH_RADIUS if dhash_radius is None else dhash_radius,
        cosine=COSINE if cosine is None else cosine)
    ours = score_pairs(samples, group_pairs_of(groups, usable))
    base = score_pairs(samples, baseline_phash_pairs(usable))
    return {"originals": len(originals), "images": len(samples), "features": matrix is not None,
            "amorce": {k: v.as_dict() for k, v in ours.items()},
            "baseline": {k: v.as_dict() for k, v in base.items()},
            "baseline_name": "pHash (imagehash), distance ≤ 10 (seuil par défaut d'imagededup), sans miroir"}
