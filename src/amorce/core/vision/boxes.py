"""Box geometry shared by the detectors: letterbox resizing and non-maximum suppression (numpy)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Letterbox:
    """How an image was placed on the square-ish model input: ``input = image × ratio + (left, top)``."""

    ratio: float
    left: float
    top: float
    width: int   # original image size
    height: int

    def to_normalised(self, xyxy: np.ndarray) -> np.ndarray:
        """Model-input pixel corners ``(n, 4)`` → normalised ``x, y, w, h`` of the original image, clipped."""
        x1 = np.clip((xyxy[:, 0] - self.left) / self.ratio / self.width, 0.0, 1.0)
        y1 = np.clip((xyxy[:, 1] - self.top) / self.ratio / self.height, 0.0, 1.0)
        x2 = np.clip((xyxy[:, 2] - self.left) / self.ratio / self.width, 0.0, 1.0)
        y2 = np.clip((xyxy[:, 3] - self.top) / self.ratio / self.height, 0.0, 1.0)
        return np.stack([x1, y1, x2 - x1, y2 - y1], axis=1)


def letterbox(image: np.ndarray, size: tuple[int, int], *, centre: bool = True,
              fill: int = 114) -> tuple[np.ndarray, Letterbox]:
    """Resize ``image`` (H × W × 3) to fit ``size = (height, width)`` keeping its aspect, pad with ``fill``.

    ``centre``: padding split on both sides (YOLOv5, MegaDetector); otherwise the image sits at the
    top-left corner (YOLOX).
    """
    import cv2

    out_h, out_w = size
    height, width = image.shape[:2]
    ratio = min(out_h / height, out_w / width)
    new_w, new_h = max(1, round(width * ratio)), max(1, round(height * ratio))
    resized = image if (new_w, new_h) == (width, height) else cv2.resize(
        image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    if centre:
        left, top = round((out_w - new_w) / 2 - 0.1), round((out_h - new_h) / 2 - 0.1)
    else:
        left, top = 0, 0
    canvas = np.full((out_h, out_w, image.shape[2]), fill, dtype=np.uint8)
    canvas[top:top + new_h, left:left + new_w] = resized
    return canvas, Letterbox(ratio=ratio, left=left, top=top, width=width, height=height)


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float, classes: np.ndarray | None = None,
        max_boxes: int | None = None) -> list[int]:
    """Greedy non-maximum suppression on ``x, y, w, h`` boxes; indices kept, best first.

    With ``classes``, boxes of different classes never suppress each other (class-wise NMS).
    """
    if len(boxes) == 0:
        return []
    x1, y1 = boxes[:, 0].astype(np.float64), boxes[:, 1].astype(np.float64)
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    if classes is not None:
        offset = (np.asarray(classes, dtype=np.float64) * (max(x2.max(), y2.max()) + 1.0))
        x1, x2, y1, y2 = x1 + offset, x2 + offset, y1 + offset, y2 + offset
    areas = np.maximum(0.0, x2 - x1) * np.maximum(0.0, y2 - y1)
    order = np.argsort(-np.asarray(scores), kind="stable")
    keep: list[int] = []
    while order.size:
        best = int(order[0])
        keep.append(best)
        if max_boxes is not None and len(keep) >= max_boxes:
            break
        rest = order[1:]
        iw = np.maximum(0.0, np.minimum(x2[best], x2[rest]) - np.maximum(x1[best], x1[rest]))
        ih = np.maximum(0.0, np.minimum(y2[best], y2[rest]) - np.maximum(y1[best], y1[rest]))
        inter = iw * ih
        union = areas[best] + areas[rest] - inter
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
        order = rest[iou <= iou_threshold]
    return keep
