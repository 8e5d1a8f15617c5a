"""Image loading for the vision models: Pillow, EXIF orientation, reduced JPEG decoding."""

from __future__ import annotations

import contextlib
import os
import warnings

import numpy as np
from PIL import Image, ImageOps

from ..images import open_image


def load_image(path: str | os.PathLike, *, max_side: int | None = None,
               max_pixels: int | None = None) -> np.ndarray:
    """Read an image as an RGB ``uint8`` array ``H × W × 3``, upright (EXIF orientation applied).

    ``max_side``: the longer side is brought down to at most this many pixels; JPEGs are decoded
    at a reduced size first (draft mode, 1/2 to 1/8), which is several times faster on large
    photos. ``max_pixels``: the decompression-bomb limit (``AMORCE_IMAGE_MAX_PIXELS`` by
    default); above it, or for an unreadable file, :class:`amorce.core.images.ImageRejected`.
    """
    draft = _draft_size(path, max_side) if max_side else None
    image = open_image(path, max_pixels=max_pixels, draft=draft)
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    if max_side and max(image.size) > max_side:
        scale = max_side / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                             Image.Resampling.BILINEAR, reducing_gap=2.0)
    return np.asarray(image, dtype=np.uint8)


def _draft_size(path, max_side: int) -> tuple[int, int] | None:
    """The reduced decoding size for ``max_side`` (``None``: full size); errors are left to open_image."""
    with contextlib.suppress(OSError, SyntaxError, Image.DecompressionBombError), warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as probe:
            width, height = probe.size
        scale = max_side / max(width, height)
        if scale < 1:
            return max(1, int(width * scale)), max(1, int(height * scale))
    return None
