"""Evaluation of the duplicate search on generated variants of real photographs.

Each original gets one variant per transform, imitating what happens to a heritage photo:

* ``rescan``: resampled (×0.5 … ×1.5), rotated by up to 2°, recompressed in JPEG (quality 60–80);
* ``recadrage``: 80–90 % of the image kept (an off-centre crop), resized back;
* ``tirage``: a print — contrast and gamma changed, grain noise added;
* ``teinte``: sepia toning;
* ``miroir``: left-right mirror (a print made from a reversed negative);
* ``gris``: greyscale;
* ``rotation``: a quarter turn (90°, 180° or 270°: a plate scanned the wrong way up).

The originals and their variants form the true groups; every other original is a distractor.
Scores are over pairs: a predicted pair is right when both images come from the same original.
Per transform, recall counts the (original, variant) pairs found, precision the predicted pairs that
involve a variant of that transform and are right.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

TRANSFORMS = ("rescan", "recadrage", "tirage", "teinte", "miroir", "gris", "rotation")


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
    if transform == "rotation":
        turn = rng.choice((Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270))
        return image.transpose(turn)
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


COSINE_GRID = (0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97)
CANDIDATE_GRID = (0.60, 0.65, 0.70, 0.75, 0.80)
MATCH_GRID = (0.70, 0.75, 0.80, 0.85, 0.90)
METHOD_NAMES = {"phash": "pHash seul (imagededup, seuil 10)", "empreintes": "empreintes amorce (8 orientations)",
                "caracteristiques": "caractéristiques seules (cosinus)", "combine": "combiné"}


def _drop_twins(samples: list[Sample], rows: list[dict], radius: int = 4) -> tuple[list[Sample], list[str]]:
    """Leave out the originals that are the same photograph as an earlier one (pHash within ``radius``
    bits), with their variants: the shared set holds a few, and they would count as false pairs."""
    from .hashing import hamming

    phash = {r["key"]: r["phash"] for r in rows if r.get("phash") is not None}
    kept: list[int] = []
    dropped = []
    for s in samples:
        if s.transform is None and s.key in phash:
            if any(hamming(phash[s.key], other) <= radius for other in kept):
                dropped.append(s.origin)
            else:
                kept.append(phash[s.key])
    return [s for s in samples if s.origin not in dropped], dropped


def _groups_pairs(rows, pairs) -> set[tuple[str, str]]:
    from .duplicates import group_pairs

    return group_pairs_of(group_pairs(rows, pairs), rows)


def _tune(samples, rows, found) -> tuple[dict, dict]:
    """The thresholds of the combined rule and of the features alone with the best overall F1."""
    from .duplicates import decide

    best_combined, best_features = (-1.0, {}), (-1.0, {})
    for cosine in COSINE_GRID:
        params = {"cosine": cosine}
        f1 = score_pairs(samples, _groups_pairs(rows, decide(found, cosine=cosine, match=None,
                                                             use_hashes=False)))["global"].f1
        best_features = max(best_features, (f1, params), key=lambda x: x[0])
        for low in CANDIDATE_GRID:
            for match in MATCH_GRID:
                params = {"cosine": cosine, "cosine_candidate": low, "match": match}
                pairs = decide(found, cosine=cosine, cosine_candidate=low, match=match)
                f1 = score_pairs(samples, _groups_pairs(rows, pairs))["global"].f1
                best_combined = max(best_combined, (f1, params), key=lambda x: x[0])
    return best_combined[1], best_features[1]


def run_evaluation(images: str | Path, *, limit: int = 200, seed: int = 0, engine: str | None = None,
                   features: bool = False, transforms: tuple[str, ...] = TRANSFORMS) -> dict:
    """Generate variants in a temporary folder (deleted afterwards), index them, score the methods.

    The originals are split in two halves (alternately, after a shuffle): with ``features`` the
    thresholds of the combined rule and of the features alone are chosen on the first half (best
    overall F1 over a grid) and every method is scored on the second half, each half being searched
    as a collection of its own. Without features, only the hash methods are scored, on the second half.
    """
    import tempfile
    import time

    from .duplicates import candidates, decide
    from .errors import SourceError
    from .index import IMAGE_EXTENSIONS, build_index, list_items, read_features, read_rows

    folder = Path(images)
    originals = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS) if folder.is_dir() else []
    if len(originals) < 4:
        raise SourceError(f"Il faut au moins quatre images dans {folder} pour l'évaluation.")
    random.Random(seed).shuffle(originals)
    originals = originals[:limit]
    with tempfile.TemporaryDirectory(prefix="amorce-archives-eval-") as tmp:
        samples = generate(originals, Path(tmp) / "images", seed=seed, transforms=transforms)
        store = Path(tmp) / "store"
        build_index(list_items(Path(tmp) / "images"), store, features=features, engine=engine)
        all_rows = [r for r in read_rows(store) if not r.get("error")]
        keys, matrix = read_features(store)
        samples, dropped = _drop_twins(samples, all_rows)
        order = sorted({s.origin for s in samples})
        halves = [set(order[0::2]), set(order[1::2])]
        measured = []
        for half in halves:
            half_samples = [s for s in samples if s.origin in half]
            wanted = {s.key for s in half_samples}
            rows = [r for r in all_rows if r["key"] in wanted]
            start = time.perf_counter()
            found = candidates(rows, matrix, keys, store=store if features else None, verify_below=1.01,
                               cosine_candidate=min(CANDIDATE_GRID))
            measured.append((half_samples, rows, found, time.perf_counter() - start))
    (tune_samples, tune_rows, tune_found, _), (test_samples, rows, found, seconds) = measured
    predictions = {"phash": baseline_phash_pairs(rows),
                   "empreintes": _groups_pairs(rows, decide(found, cosine=None, match=None))}
    thresholds = {}
    if features and matrix is not None:
        combined, alone = _tune(tune_samples, tune_rows, tune_found)
        thresholds = {"combine": combined, "caracteristiques": alone}
        predictions["caracteristiques"] = _groups_pairs(rows, decide(found, cosine=alone["cosine"], match=None,
                                                                     use_hashes=False))
        predictions["combine"] = _groups_pairs(rows, decide(found, **combined))
    scores = {name: {k: v.as_dict() for k, v in score_pairs(test_samples, pred).items()}
              for name, pred in predictions.items()}
    return {"originals": len(originals), "images": len(originals) * (1 + len(transforms)),
            "dropped_twins": dropped, "test_originals": len({s.origin for s in test_samples}),
            "test_images": len(test_samples), "features": matrix is not None, "thresholds": thresholds,
            "candidate_seconds": round(seconds, 2),
            "candidate_pairs": len(found), "scores": scores, "methods": {m: METHOD_NAMES[m] for m in scores}}
