"""A configured feature backbone by path (e.g. an open-clip image encoder exported to ONNX)."""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

import numpy as np

from .efficientnet import OnnxFeatures
from .types import VisionError

CLIP_MEAN = (0.48145466 * 255, 0.4578275 * 255, 0.40821073 * 255)
CLIP_STD = (0.26862954 * 255, 0.26130258 * 255, 0.27577711 * 255)


def _resize_centre_crop(image: np.ndarray, size: int, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """CLIP's preprocessing: shorter side to ``size`` (bicubic), centre crop, per-channel normalisation."""
    import cv2

    if image.ndim != 3 or image.shape[2] != 3:
        raise VisionError("Image attendue en couleurs RVB (hauteur × largeur × 3).", shape=image.shape)
    height, width = image.shape[:2]
    scale = size / min(height, width)
    new_w, new_h = max(size, round(width * scale)), max(size, round(height * scale))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(np.ascontiguousarray(image), (new_w, new_h), interpolation=interpolation)
    top, left = (new_h - size) // 2, (new_w - size) // 2
    crop = resized[top:top + size, left:left + size].astype(np.float32)
    return ((crop - mean) / std).transpose(2, 0, 1)


def onnx_features(path: str | os.PathLike, *, input_size: int = 224, mean: Sequence[float] = CLIP_MEAN,
                  std: Sequence[float] = CLIP_STD, name: str = "", licence: str = "à renseigner (modèle configuré)",
                  batch_size: int = 16, threads: int | None = None) -> OnnxFeatures:
    """Features from an ONNX image encoder whose input is ``(n, 3, input_size, input_size)`` RGB.

    Pixels are normalised as ``(x − mean) / std`` on the 0–255 scale (CLIP's values by default);
    the output must be ``(n, dim)``.
    """
    prepare = functools.partial(_resize_centre_crop, size=int(input_size),
                                mean=np.asarray(mean, np.float32), std=np.asarray(std, np.float32))
    return OnnxFeatures(path=os.fspath(path), name=name or os.path.basename(os.fspath(path)), licence=licence,
                        preprocess=prepare, batch_size=batch_size, threads=threads)
