"""onnxruntime sessions for the vision models (CPU, thread count configurable)."""

from __future__ import annotations

import os
from pathlib import Path

from ..config import env_int
from .types import VisionError


def session(model: str | os.PathLike | bytes, *, threads: int | None = None):
    """An onnxruntime CPU session for a model file (or serialised bytes), with a French error."""
    try:
        import onnxruntime as ort
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise VisionError("Les modèles de vision demandent onnxruntime : installez-le avec "
                          "« pip install onnxruntime ».") from exc
    options = ort.SessionOptions()
    threads = threads or env_int("AMORCE_VISION_THREADS", 0, minimum=0)
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    options.log_severity_level = 3
    if not isinstance(model, bytes):
        path = Path(model)
        if not path.is_file():
            raise VisionError(f"Modèle ONNX introuvable : {path}.", path=str(path))
        model = str(path)
    try:
        return ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors
        raise VisionError(f"Modèle ONNX illisible ou invalide : {exc}".rstrip()) from exc


def input_hw(sess, default: tuple[int, int]) -> tuple[int, int]:
    """The model's static input ``(height, width)`` where it declares one, else ``default``."""
    shape = sess.get_inputs()[0].shape
    if len(shape) == 4 and all(isinstance(d, int) and d > 0 for d in shape[2:]):
        return int(shape[2]), int(shape[3])
    return default
