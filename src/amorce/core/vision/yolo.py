"""Any YOLO-format ONNX detector by path (e.g. a MegaDetector v5 export), run with onnxruntime.

Outputs understood: YOLOv5 ``(1, N, 5 + classes)`` rows ``cx, cy, w, h, objectness, class
scores…`` (MegaDetector v5), and YOLOv8-style ``(1, 4 + classes, N)`` without objectness. Box
coordinates are in pixels of the letterboxed input; they come back normalised to the original image.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .boxes import Letterbox, letterbox, nms
from .runtime import input_hw, session
from .types import Box, VisionError

MEGADETECTOR_LABELS = ("animal", "person", "vehicle")


def decode_yolo(output: np.ndarray, labels: Sequence[str], placement: Letterbox, *,
                score_threshold: float, iou_threshold: float, max_detections: int,
                objectness: bool | None = None) -> list[Box]:
    """Boxes from one image's raw YOLO output (batch axis removed or of size 1)."""
    rows = np.asarray(output, dtype=np.float32)
    if rows.ndim == 3:
        rows = rows[0]
    n_classes = len(labels)
    if objectness is None:
        if rows.shape[-1] == 5 + n_classes:
            objectness = True
        elif rows.shape[0] == 4 + n_classes:
            objectness = False
        elif rows.shape[-1] == 4 + n_classes:
            objectness = False
        else:
            raise VisionError(f"Sortie du détecteur de forme {tuple(output.shape)} : attendu (1, N, {5 + n_classes}) "
                              f"pour {n_classes} classes ({', '.join(labels)}).", shape=tuple(output.shape))
    if not objectness and rows.shape[0] == 4 + n_classes and rows.shape[-1] != 4 + n_classes:
        rows = rows.T
    if objectness:
        class_scores = rows[:, 5:] * rows[:, 4:5]
    else:
        class_scores = rows[:, 4:]
    classes = class_scores.argmax(axis=1)
    scores = class_scores[np.arange(len(rows)), classes]
    keep = scores >= score_threshold
    rows, classes, scores = rows[keep], classes[keep], scores[keep]
    if not len(rows):
        return []
    cx, cy, w, h = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    xyxy = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    boxes = placement.to_normalised(xyxy)
    kept = nms(boxes, scores, iou_threshold, classes=classes, max_boxes=max_detections)
    return [Box(*map(float, boxes[i]), score=float(scores[i]), label=labels[int(classes[i])]) for i in kept]


@dataclass
class OnnxDetector:
    """A YOLO-format ONNX detector (see :func:`onnx_detector`)."""

    path: str
    labels: tuple[str, ...]
    input_size: tuple[int, int]
    score_threshold: float = 0.1
    iou_threshold: float = 0.45
    max_detections: int = 300
    threads: int | None = None
    name: str = ""
    licence: str = "à renseigner (modèle configuré)"
    _session: object = field(default=None, init=False, repr=False)
    # pre-processing: centred letterbox on grey 114, pixels / 255 (YOLOv5); YOLOX overrides these
    centre: bool = field(default=True, init=False, repr=False)
    fill: int = field(default=114, init=False, repr=False)
    pixel_scale: float = field(default=1 / 255, init=False, repr=False)
    objectness: bool | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._session = session(self.path, threads=self.threads)
        self.input_size = input_hw(self._session, self.input_size)
        self.name = self.name or os.path.basename(self.path)

    def detect(self, image: np.ndarray) -> list[Box]:
        if image.ndim != 3 or image.shape[2] != 3:
            raise VisionError("Image attendue en couleurs RVB (hauteur × largeur × 3).", shape=image.shape)
        canvas, placement = letterbox(image, self.input_size, centre=self.centre, fill=self.fill)
        tensor = canvas.transpose(2, 0, 1)[None].astype(np.float32)
        if self.pixel_scale != 1:
            tensor *= np.float32(self.pixel_scale)
        inputs = self._session.get_inputs()
        output = self._session.run(None, {inputs[0].name: tensor})[0]
        return decode_yolo(output, self.labels, placement, score_threshold=self.score_threshold,
                           iou_threshold=self.iou_threshold, max_detections=self.max_detections,
                           objectness=self.objectness)


def onnx_detector(path: str | os.PathLike, *, labels: Sequence[str] = MEGADETECTOR_LABELS,
                  input_size: int | tuple[int, int] = 640, score_threshold: float = 0.1,
                  iou_threshold: float = 0.45, max_detections: int = 300, threads: int | None = None,
                  name: str = "", licence: str = "à renseigner (modèle configuré)") -> OnnxDetector:
    """A detector from a YOLO-format ONNX file: RGB input ``/255``, centred letterbox (grey 114).

    ``labels``: class names in output order (MegaDetector v5: animal, person, vehicle).
    ``input_size``: used when the model's input size is dynamic (MegaDetector v5: 1280).
    """
    size = (input_size, input_size) if isinstance(input_size, int) else tuple(input_size)
    return OnnxDetector(path=os.fspath(path), labels=tuple(labels), input_size=size,
                        score_threshold=score_threshold, iou_threshold=iou_threshold,
                        max_detections=max_detections, threads=threads, name=name, licence=licence)
