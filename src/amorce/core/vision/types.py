"""The shared vision types: boxes, detectors and feature extractors (no heavy import)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..errors import AmorceError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np


class VisionError(AmorceError):
    """A vision model could not be obtained, converted or run (French message)."""


@dataclass(frozen=True)
class Box:
    """A detection, normalised to the image: top-left ``x, y``, ``w, h`` in [0, 1].

    This is MegaDetector's batch-output convention (``[x_min, y_min, width, height]``), so boxes
    go to Timelapse/AddaxAI JSON unchanged. ``label``: "animal", "person", "vehicle", "face"...
    """

    x: float
    y: float
    w: float
    h: float
    score: float
    label: str

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """``(left, top, right, bottom)`` in pixels of an image of ``width × height``, clipped."""
        left = max(0, min(width, round(self.x * width)))
        top = max(0, min(height, round(self.y * height)))
        right = max(left, min(width, round((self.x + self.w) * width)))
        bottom = max(top, min(height, round((self.y + self.h) * height)))
        return left, top, right, bottom

    def iou(self, other: Box) -> float:
        """Intersection over union with another box (both normalised)."""
        ix = max(0.0, min(self.x + self.w, other.x + other.w) - max(self.x, other.x))
        iy = max(0.0, min(self.y + self.h, other.y + other.h) - max(self.y, other.y))
        inter = ix * iy
        union = self.w * self.h + other.w * other.h - inter
        return inter / union if union > 0 else 0.0


@runtime_checkable
class Detector(Protocol):
    """Finds objects in an RGB ``uint8`` image of shape ``H × W × 3``."""

    name: str
    licence: str

    def detect(self, image: np.ndarray) -> list[Box]: ...


@runtime_checkable
class FeatureExtractor(Protocol):
    """Turns RGB ``uint8`` images into ``(n, dim)`` ``float32`` feature vectors."""

    name: str
    dim: int
    licence: str

    def features(self, images: Sequence[np.ndarray]) -> np.ndarray: ...
