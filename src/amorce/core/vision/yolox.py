"""zamba's one-class YOLOX-tiny camera-trap animal detector ("MegadetectorLite", MIT), without torch.

Weights: ``yolox_tiny_640_20220528.pth`` inside the ``zamba`` 2.7.2 wheel, obtained once by
:func:`amorce.core.vision.install.install_models` (``amorce modeles installer``) or given by
``AMORCE_YOLOX_WEIGHTS`` (the ``.pth`` or the wheel). Architecture (Megvii's YOLOX, ``yolox_tiny``
experiment: depth 0.33, width 0.375, SiLU, batch-norm eps 1e-3): CSPDarknet with a Focus stem and an
SPP bottleneck, PAFPN, decoupled head, grid decoding with strides 8/16/32, built here with
``onnx.helper``. Preprocessing is zamba's: RGB, resized to fit 640 × 640 keeping the aspect, at the
top-left corner of a black canvas, pixel values 0–255. Score = objectness × class probability.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ..config import env_str
from .cache import cached_onnx, models_dir, sha256
from .graph import GraphBuilder
from .torchless import load_pth, state_dict
from .types import VisionError
from .yolo import OnnxDetector

MODEL_NAME = "yolox_tiny_camera_trap"
WEIGHTS_FILE = "yolox_tiny_640_20220528.pth"
WHEEL_MEMBER = f"zamba/object_detection/yolox/assets/{WEIGHTS_FILE}"
ZAMBA = "zamba==2.7.2"
SIZE = 640
STRIDES = (8, 16, 32)
BN_EPS = 1e-3
DEPTH, WIDTH = 0.33, 0.375


def _base(g: GraphBuilder, x: str, prefix: str, stride: int = 1) -> str:
    """YOLOX BaseConv: conv (no bias) + batch norm + SiLU."""
    return g.silu(g.conv_bn(x, f"{prefix}.conv", f"{prefix}.bn", stride=stride))


def _csp(g: GraphBuilder, x: str, prefix: str, n: int, shortcut: bool) -> str:
    """CSPLayer: two 1×1 branches, ``n`` bottlenecks on the first, concatenated, 1×1."""
    x1 = _base(g, x, f"{prefix}.conv1")
    x2 = _base(g, x, f"{prefix}.conv2")
    for i in range(n):
        y = _base(g, _base(g, x1, f"{prefix}.m.{i}.conv1"), f"{prefix}.m.{i}.conv2")
        x1 = g.node("Add", [y, x1], "res") if shortcut else y
    return _base(g, g.node("Concat", [x1, x2], "cat", axis=1), f"{prefix}.conv3")


def _spp(g: GraphBuilder, x: str, prefix: str) -> str:
    x = _base(g, x, f"{prefix}.conv1")
    pools = [g.node("MaxPool", [x], "pool", kernel_shape=[k, k], strides=[1, 1], pads=[k // 2] * 4)
             for k in (5, 9, 13)]
    return _base(g, g.node("Concat", [x, *pools], "cat", axis=1), f"{prefix}.conv2")


def _focus(g: GraphBuilder, x: str) -> str:
    """Space-to-depth in YOLOX's order: top-left, bottom-left, top-right, bottom-right."""
    parts = []
    for row, col in ((0, 0), (1, 0), (0, 1), (1, 1)):
        parts.append(g.node("Slice", [x, g.const(np.array([row, col], np.int64)),
                                      g.const(np.array([SIZE, SIZE], np.int64)),
                                      g.const(np.array([2, 3], np.int64)), g.const(np.array([2, 2], np.int64))],
                            "focus"))
    return g.node("Concat", parts, "cat", axis=1)


def build_onnx(weights: dict[str, np.ndarray], num_classes: int = 1) -> bytes:
    """YOLOX-tiny: input ``(1, 3, 640, 640)`` → ``output (1, 8400, 5 + classes)`` decoded
    ``cx, cy, w, h`` (input pixels), objectness, class probabilities."""
    from onnx import TensorProto, helper

    g = GraphBuilder(weights, bn_eps=BN_EPS)
    depth = max(round(3 * DEPTH), 1)
    bb = "backbone.backbone"
    x = _base(g, _focus(g, "images"), f"{bb}.stem.conv")
    x = _csp(g, _base(g, x, f"{bb}.dark2.0", 2), f"{bb}.dark2.1", depth, True)
    dark3 = _csp(g, _base(g, x, f"{bb}.dark3.0", 2), f"{bb}.dark3.1", depth * 3, True)
    dark4 = _csp(g, _base(g, dark3, f"{bb}.dark4.0", 2), f"{bb}.dark4.1", depth * 3, True)
    x = _spp(g, _base(g, dark4, f"{bb}.dark5.0", 2), f"{bb}.dark5.1")
    dark5 = _csp(g, x, f"{bb}.dark5.2", depth, False)

    def up(t: str) -> str:
        return g.node("Resize", [t, "", g.const(np.array([1, 1, 2, 2], np.float32))], "up", mode="nearest",
                      coordinate_transformation_mode="asymmetric", nearest_mode="floor")

    fpn0 = _base(g, dark5, "backbone.lateral_conv0")
    f0 = _csp(g, g.node("Concat", [up(fpn0), dark4], "cat", axis=1), "backbone.C3_p4", depth, False)
    fpn1 = _base(g, f0, "backbone.reduce_conv1")
    pan2 = _csp(g, g.node("Concat", [up(fpn1), dark3], "cat", axis=1), "backbone.C3_p3", depth, False)
    p1 = _base(g, pan2, "backbone.bu_conv2", 2)
    pan1 = _csp(g, g.node("Concat", [p1, fpn1], "cat", axis=1), "backbone.C3_n3", depth, False)
    p0 = _base(g, pan1, "backbone.bu_conv1", 2)
    pan0 = _csp(g, g.node("Concat", [p0, fpn0], "cat", axis=1), "backbone.C3_n4", depth, False)

    levels = []
    for k, (feature, stride) in enumerate(zip((pan2, pan1, pan0), STRIDES, strict=True)):
        x = _base(g, feature, f"head.stems.{k}")
        cls = _base(g, _base(g, x, f"head.cls_convs.{k}.0"), f"head.cls_convs.{k}.1")
        reg = _base(g, _base(g, x, f"head.reg_convs.{k}.0"), f"head.reg_convs.{k}.1")
        box = g.conv(reg, f"head.reg_preds.{k}")
        obj = g.node("Sigmoid", [g.conv(reg, f"head.obj_preds.{k}")])
        cls = g.node("Sigmoid", [g.conv(cls, f"head.cls_preds.{k}")])
        out = g.node("Concat", [box, obj, cls], "cat", axis=1)  # (1, 5 + C, h, w)
        cells = (SIZE // stride) ** 2
        flat = g.node("Reshape", [out, g.const(np.array([1, 5 + num_classes, cells], np.int64))], "flat")
        rows = g.node("Transpose", [flat], "rows", perm=[0, 2, 1])  # (1, cells, 5 + C)
        side = SIZE // stride
        ys, xs = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
        grid = np.stack([xs.ravel(), ys.ravel()], axis=1)[None].astype(np.float32)
        parts = g.node("Split", [rows, g.const(np.array([2, 2, 1 + num_classes], np.int64))], "split", axis=2)
        g.nodes[-1].output[:] = [f"{parts}_xy", f"{parts}_wh", f"{parts}_scores"]
        xy = g.node("Mul", [g.node("Add", [f"{parts}_xy", g.const(grid, "grid")]),
                            g.const(np.array(stride, np.float32))], "xy")
        wh = g.node("Mul", [g.node("Exp", [f"{parts}_wh"]), g.const(np.array(stride, np.float32))], "wh")
        levels.append(g.node("Concat", [xy, wh, f"{parts}_scores"], "level", axis=2))
    g.nodes.append(helper.make_node("Concat", levels, ["output"], axis=1))
    cells = sum((SIZE // s) ** 2 for s in STRIDES)
    return g.model([helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
                   [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, cells, 5 + num_classes])],
                   MODEL_NAME)


def weights_path() -> Path:
    """The YOLOX ``.pth``: ``AMORCE_YOLOX_WEIGHTS`` (a .pth or the zamba wheel), else the models cache."""
    configured = env_str("AMORCE_YOLOX_WEIGHTS")
    candidates = [Path(configured)] if configured else [models_dir() / WEIGHTS_FILE,
                                                        *sorted(models_dir().glob("zamba-*.whl"))]
    for candidate in candidates:
        if candidate.suffix == ".whl" and candidate.is_file():
            return extract_from_wheel(candidate)
        if candidate.is_file():
            return candidate
    if configured:
        raise VisionError(f"AMORCE_YOLOX_WEIGHTS désigne un fichier introuvable : {configured}.", path=configured)
    raise VisionError("Le détecteur d'animaux intégré n'est pas installé : lancez « amorce modeles installer » "
                      f"(télécharge le paquet {ZAMBA} depuis PyPI, une fois) ou indiquez le fichier "
                      f"{WEIGHTS_FILE} ou la roue zamba par AMORCE_YOLOX_WEIGHTS.", folder=str(models_dir()))


def extract_from_wheel(wheel: Path) -> Path:
    """Copy the ``.pth`` out of a zamba wheel into the models cache (atomic); its path."""
    from ..files import atomic_write

    target = models_dir() / WEIGHTS_FILE
    try:
        with zipfile.ZipFile(wheel) as archive:
            if target.is_file() and target.stat().st_size == archive.getinfo(WHEEL_MEMBER).file_size:
                return target
            with archive.open(WHEEL_MEMBER) as source, atomic_write(target, "wb") as handle:
                while chunk := source.read(1 << 20):
                    handle.write(chunk)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise VisionError(f"La roue {wheel.name} ne contient pas {WEIGHTS_FILE} (attendu : {ZAMBA}).",
                          wheel=str(wheel)) from exc
    return target


def onnx_path() -> Path:
    pth = weights_path()
    source = {"source_package": ZAMBA, "weights_file": pth.name, "weights_sha256": sha256(pth),
              "licence": "MIT", "architecture": "YOLOX-tiny (profondeur 0,33, largeur 0,375), 1 classe, 640 px",
              "preprocessing": "RVB 0–255, réduction dans 640×640 en gardant les proportions, coin haut-gauche, fond noir"}
    return cached_onnx(MODEL_NAME, source, lambda: build_onnx(state_dict(load_pth(pth))))


class YoloxDetector(OnnxDetector):
    """The embedded camera-trap animal detector (see :func:`embedded_detector`): zamba's
    pre-processing (top-left on black, pixels 0–255)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.centre, self.fill, self.pixel_scale, self.objectness = False, 0, 1.0, True


def embedded_detector(*, score_threshold: float = 0.25, iou_threshold: float = 0.45, max_detections: int = 100,
                      threads: int | None = None) -> YoloxDetector:
    """The one-class camera-trap animal detector: boxes labelled ``"animal"`` (it cannot tell
    animals from people or vehicles). ``score_threshold``: zamba's default 0.25."""
    return YoloxDetector(path=str(onnx_path()), labels=("animal",), input_size=(SIZE, SIZE),
                         score_threshold=score_threshold, iou_threshold=iou_threshold,
                         max_detections=max_detections, threads=threads,
                         name="YOLOX-tiny pièges photographiques (zamba, MegadetectorLite)", licence="MIT")
