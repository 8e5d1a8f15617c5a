"""A small ONNX graph builder for converting checkpoints without torch (batch norm folded into convs)."""

from __future__ import annotations

import numpy as np

from .types import VisionError

OPSET = 17


class GraphBuilder:
    """Accumulates nodes and initialisers; names are generated. Weights come from a numpy state dict."""

    def __init__(self, weights: dict[str, np.ndarray], *, bn_eps: float) -> None:
        self.weights = weights
        self.bn_eps = bn_eps
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0
        self.used: set[str] = set()

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def weight(self, key: str) -> np.ndarray:
        if key not in self.weights:
            raise VisionError(f"Poids manquant dans le fichier du modèle : {key}.", key=key)
        self.used.add(key)
        return self.weights[key].astype(np.float32)

    def const(self, array: np.ndarray, hint: str = "c") -> str:
        from onnx import numpy_helper

        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], hint: str | None = None, **attrs) -> str:
        from onnx import helper

        out = self.name(hint or op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def conv_bn(self, x: str, conv: str, bn: str, *, stride: int = 1, pads: tuple[int, int, int, int] | None = None,
                groups: int = 1) -> str:
        """Conv (no bias) followed by batch norm, folded into one Conv; ``pads``: top, left, bottom, right."""
        w = self.weight(f"{conv}.weight")
        gamma, beta = self.weight(f"{bn}.weight"), self.weight(f"{bn}.bias")
        mean, var = self.weight(f"{bn}.running_mean"), self.weight(f"{bn}.running_var")
        self.used.add(f"{bn}.num_batches_tracked")
        scale = gamma / np.sqrt(var + self.bn_eps)
        bias = beta - mean * scale
        if f"{conv}.bias" in self.weights:
            bias = bias + self.weight(f"{conv}.bias") * scale
        k = w.shape[-1]
        if pads is None:
            pads = (k // 2,) * 4
        t, left, b, r = pads
        return self.node("Conv", [x, self.const(w * scale[:, None, None, None], "w"), self.const(bias, "b")],
                         "conv", kernel_shape=[k, k], strides=[stride, stride], pads=[t, left, b, r], group=groups)

    def conv(self, x: str, conv: str, *, stride: int = 1) -> str:
        """A plain conv with bias (padding k//2)."""
        w = self.weight(f"{conv}.weight")
        k = w.shape[-1]
        return self.node("Conv", [x, self.const(w, "w"), self.const(self.weight(f"{conv}.bias"), "b")], "conv",
                         kernel_shape=[k, k], strides=[stride, stride], pads=[k // 2] * 4)

    def relu6(self, x: str) -> str:
        return self.node("Clip", [x, self.const(np.array(0, np.float32)), self.const(np.array(6, np.float32))])

    def silu(self, x: str) -> str:
        return self.node("Mul", [x, self.node("Sigmoid", [x])], "silu")

    def model(self, inputs: list, outputs: list, name: str, *, unused_ok: tuple[str, ...] = ()) -> bytes:
        """The serialised, checked model; every weight of the state dict must have been used."""
        import onnx
        from onnx import helper

        left = [k for k in self.weights if k not in self.used and not k.startswith(unused_ok)]
        if left:
            raise VisionError("Conversion incohérente : des poids du fichier ne correspondent pas à "
                              f"l'architecture ({', '.join(left[:5])}…).", unused=left)
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="amorce")
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model.SerializeToString()
