"""Throughput of the embedded vision models on 2 cores, decode included -> docs/benchmarks.md.

Features: EfficientNet-Lite0 on 1024-px JPEGs (draft-mode decode at 256 px), against a colour
histogram on the same decoded images, in the same run. Detector: YOLOX-tiny at 640 px on
1920 × 1080 JPEGs, against MegaDetector v5's published CPU figure (about 0.5 image/s per core,
not measured here: no MegaDetector weights offline). Test images: the camera-trap photos of
../shared/data (ENA24 and SpeciesNet test images) re-encoded at those sizes in a temporary folder.
Needs the embedded models (``amorce modeles installer``). About 2 minutes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import ROOT, SHARED_DATA, markdown_table, write_section  # noqa: E402

PUBLISHED_MD_PER_CORE = 0.5


def _sources() -> list[Path]:
    folders = [SHARED_DATA / "camera_traps" / "ena24_small", SHARED_DATA / "camera_trap_speciesnet_test_images" / "images"]
    return [p for f in folders for p in sorted(f.glob("*.jpg")) if "truncated" not in p.name]


def _make(sources: list[Path], folder: Path, size: tuple[int, int], count: int) -> list[Path]:
    out = []
    for i in range(count):
        with Image.open(sources[i % len(sources)]) as image:
            image = image.convert("RGB").resize(size, Image.Resampling.BILINEAR)
            path = folder / f"{size[0]}_{i}.jpg"
            image.save(path, quality=90)
            out.append(path)
    return out


def _colour_histogram(image: np.ndarray) -> np.ndarray:
    bins = (image // 32).astype(np.int64)
    hist = np.bincount((bins[..., 0] * 64 + bins[..., 1] * 8 + bins[..., 2]).ravel(), minlength=512)
    return hist / hist.sum()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=48)
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    args = parser.parse_args()
    os.environ.setdefault("AMORCE_MODELS_DIR", str(ROOT / "var" / "models"))
    from amorce.core.vision import embedded_detector, embedded_features, load_image

    features = embedded_features(threads=2)
    detector = embedded_detector(threads=2)
    sources = _sources()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        photos = _make(sources, Path(tmp), (1024, 768), args.images)
        frames = _make(sources, Path(tmp), (1920, 1080), max(8, args.images // 4))
        features.features([load_image(photos[0], max_side=256)])  # warm-up
        detector.detect(load_image(frames[0]))

        start = time.perf_counter()
        decoded = [load_image(p, max_side=256) for p in photos]
        hist = np.stack([_colour_histogram(im) for im in decoded])
        histogram_rate = len(photos) / (time.perf_counter() - start)

        start = time.perf_counter()
        vectors = features.features([load_image(p, max_side=256) for p in photos])
        feature_rate = len(photos) / (time.perf_counter() - start)

        start = time.perf_counter()
        found = sum(bool(detector.detect(load_image(p))) for p in frames)
        detector_rate = len(frames) / (time.perf_counter() - start)
    load_after = os.getloadavg()[0]
    assert vectors.shape == (len(photos), 1280) and hist.shape == (len(photos), 512)
    published = PUBLISHED_MD_PER_CORE * 2
    rows = [
        ["Caractéristiques EfficientNet-Lite0 (1280-d)", f"JPEG 1024×768, {len(photos)} images", f"{feature_rate:.1f}",
         f"histogramme de couleurs, même décodage : {histogram_rate:.1f}", f"{feature_rate / histogram_rate:.2f}×"],
        ["Détecteur YOLOX-tiny 640 px", f"JPEG 1920×1080, {len(frames)} images ({found} avec un animal)",
         f"{detector_rate:.2f}", f"MegaDetector v5, chiffre publié (0,5 image/s par cœur) : {published:.1f}",
         f"{detector_rate / published:.1f}×"],
    ]
    body = (
        "Deux cœurs (onnxruntime, 2 fils), décodage JPEG compris (mode brouillon de Pillow à 256 px pour les "
        "caractéristiques, image entière pour le détecteur). Images : photos de pièges photographiques de "
        "../shared/data (ENA24, images de test SpeciesNet) ré-encodées aux tailles indiquées. La référence du "
        "détecteur est un chiffre publié, non mesuré ici (pas de poids MegaDetector hors ligne). "
        f"Charge moyenne de la machine : {load_before:.1f} avant, {load_after:.1f} après (d'autres calculs "
        "tournaient en parallèle ; les débits absolus en sont minorés).\n\n"
        + markdown_table(["Modèle", "Entrée", "Images/s", "Référence (images/s)", "Rapport"], rows)
        + "\n\nObjectifs des cas d'usage : ≥ 20 images/s pour hachage + caractéristiques (archives), ≥ 2 images/s "
        "pour le détecteur sur chaque image (biodiversité)."
    )
    print(body)
    if not args.no_report:
        write_section("vision_models", "Vision : modèles intégrés (débit sur 2 cœurs)", body)


if __name__ == "__main__":
    main()
