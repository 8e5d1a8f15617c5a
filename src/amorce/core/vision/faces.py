"""Faces with OpenCV's Haar cascades (frontal + profile both ways), shipped with opencv-python-headless 4.x.

Haar cascades give no calibrated probability: ``score`` is the cascade's final-stage weight passed
through a logistic, an ordering only. On statues, gargoyles and paintings they fire too: flag faces
for a person to review, never decide alone.
"""

from __future__ import annotations

import functools
import os
import threading

import numpy as np

from .boxes import nms
from .types import Box, VisionError

CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
_local = threading.local()


@functools.cache
def _cascade_dir() -> str:
    try:
        import cv2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise VisionError("La détection de visages demande opencv-python-headless (4.x) : "
                          "installez-le avec « pip install 'opencv-python-headless<5' ».") from exc
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    if not all(os.path.exists(os.path.join(folder, name)) for name in CASCADES):
        raise VisionError("Les cascades de Haar d'OpenCV sont introuvables (OpenCV 5 n'en fournit plus) : "
                          "installez « opencv-python-headless<5 ».", folder=folder)
    return folder


def _cascades():
    """One set of classifiers per thread (CascadeClassifier is not safe to share)."""
    cascades = getattr(_local, "cascades", None)
    if cascades is None:
        import cv2

        cascades = [cv2.CascadeClassifier(os.path.join(_cascade_dir(), name)) for name in CASCADES]
        _local.cascades = cascades
    return cascades


def detect_faces(image: np.ndarray, *, min_size: float = 0.04, scale_factor: float = 1.1,
                 min_neighbors: int = 5, max_side: int = 1280) -> list[Box]:
    """Faces in an RGB ``uint8`` image, as normalised :class:`Box` es labelled ``"face"``.

    ``min_size``: the smallest face, as a share of the image's shorter side (and at least
    20 px); the image is scanned at ``max_side`` pixels at most.
    """
    import cv2

    if image.ndim != 3 or image.shape[2] != 3:
        raise VisionError("Image attendue en couleurs RVB (hauteur × largeur × 3).", shape=image.shape)
    height, width = image.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    gray = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    if scale < 1:
        gray = cv2.resize(gray, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.equalizeHist(gray)
    gh, gw = gray.shape
    side = max(20, round(min(gh, gw) * min_size))
    frontal, profile = _cascades()
    found: list[tuple[float, float, float, float, float]] = []
    for cascade, flipped in ((frontal, False), (profile, False), (profile, True)):
        scan = cv2.flip(gray, 1) if flipped else gray
        rects, _levels, weights = cascade.detectMultiScale3(
            scan, scaleFactor=scale_factor, minNeighbors=min_neighbors, minSize=(side, side),
            outputRejectLevels=True)
        for (x, y, w, h), weight in zip(rects, np.ravel(weights), strict=False):
            if flipped:
                x = gw - x - w
            found.append((x / gw, y / gh, w / gw, h / gh, 1.0 / (1.0 + np.exp(-float(weight)))))
    if not found:
        return []
    boxes = np.array([f[:4] for f in found], dtype=np.float64)
    scores = np.array([f[4] for f in found], dtype=np.float64)
    keep = nms(boxes, scores, 0.3)
    return [Box(*map(float, boxes[i]), score=float(scores[i]), label="face") for i in keep]
