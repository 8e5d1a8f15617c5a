"""Safe image opening: Pillow's decompression-bomb limit is enforced as an error."""

from __future__ import annotations

import warnings

from PIL import Image

from .config import env_int
from .errors import AmorceError

DEFAULT_MAX_PIXELS = 100_000_000


class ImageRejected(AmorceError):
    """An image was refused (unreadable, too large, or a decompression bomb)."""


def configure_pillow(max_pixels: int | None = None) -> int:
    """Set Pillow's global pixel limit (``AMORCE_IMAGE_MAX_PIXELS``) and return it."""
    limit = int(max_pixels or env_int("AMORCE_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS, minimum=1))
    Image.MAX_IMAGE_PIXELS = limit
    return limit


def open_image(source, *, max_pixels: int | None = None, name: str | None = None,
               draft: tuple[int, int] | None = None, min_side: int | None = None) -> Image.Image:
    """Open an image and refuse it, in French, above ``max_pixels`` (no 2× grace as in Pillow).

    ``draft``: for a JPEG, let the decoder scale down by 1/2, 1/4 or 1/8 while keeping at least
    this ``(width, height)`` (much faster than decoding the full size and resizing). ``min_side``:
    the same, keeping the long side at least ``min_side`` pixels.
    """
    limit = max_pixels or Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_PIXELS
    label = name or getattr(source, "name", None) or str(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
            width, height = image.size
            if width * height > limit:
                raise ImageRejected(
                    f"Image refusée ({label}) : {width}×{height} pixels dépasse la limite de {limit} pixels.",
                    width=width, height=height, limit=limit)
            if min_side and draft is None:
                scale = min(1.0, min_side / max(width, height, 1))
                draft = (max(1, int(width * scale + 0.999)), max(1, int(height * scale + 0.999)))
            if draft is not None and image.format == "JPEG":
                image.draft("RGB", draft)
            image.load()
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"Image refusée ({label}) : taille suspecte (bombe de décompression).") from exc
    except (OSError, SyntaxError) as exc:
        raise ImageRejected(f"Image illisible ({label}) : format non reconnu ou fichier corrompu.") from exc
