"""Read PyTorch ``.pth`` checkpoints with the standard library and numpy, never with torch.

Two formats exist. The zip format (torch ≥ 1.6): ``<name>/data.pkl`` plus one raw file per
storage, ``<name>/data/<key>``. The legacy format: a magic number, a protocol version and system
information, each a pickle, then the main pickle, the list of storage keys, and for each storage an
8-byte element count followed by its raw little-endian bytes. In both, tensors are pickled as calls
to ``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`` whose storage is a
persistent id. A restricted unpickler maps those few globals to numpy and refuses every other one,
so a checkpoint cannot run code when it is read.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .types import VisionError

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C

STORAGE_DTYPES = {
    "FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
    "BFloat16Storage": "bfloat16", "LongStorage": np.int64, "IntStorage": np.int32,
    "ShortStorage": np.int16, "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}


@dataclass
class _StorageType:
    name: str

    @property
    def dtype(self):
        return STORAGE_DTYPES[self.name]

    @property
    def itemsize(self) -> int:
        return 2 if self.dtype == "bfloat16" else np.dtype(self.dtype).itemsize


@dataclass
class _Storage:
    kind: _StorageType
    key: str
    numel: int
    view: tuple[str, int, int] | None = None  # legacy views: (view key, offset, size)
    data: np.ndarray | None = None


@dataclass
class _Tensor:
    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]
    array: np.ndarray | None = field(default=None, repr=False)

    def materialise(self) -> np.ndarray:
        if self.array is None:
            flat = self.storage.data
            if flat is None:
                raise VisionError("Fichier de poids incomplet : un tenseur n'a pas de données.",
                                  storage=self.storage.key)
            needed = self.offset + (sum((n - 1) * s for n, s in zip(self.size, self.stride, strict=True))
                                    + 1 if all(self.size) else 0)
            if needed > flat.size:
                raise VisionError("Fichier de poids corrompu : un tenseur dépasse son stockage.",
                                  storage=self.storage.key)
            view = np.lib.stride_tricks.as_strided(
                flat[self.offset:], shape=self.size,
                strides=tuple(s * flat.itemsize for s in self.stride)) if self.size else flat[self.offset]
            self.array = np.array(view, copy=True)
        return self.array


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None,
                       metadata=None):
    return _Tensor(storage, int(storage_offset), tuple(size), tuple(stride))


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _Tensor(storage, int(storage_offset), tuple(size), tuple(stride))


def _rebuild_parameter(data, requires_grad=False, backward_hooks=None):
    return data


def _rebuild_parameter_with_state(data, requires_grad=False, backward_hooks=None, state=None):
    return data


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter_with_state,
    ("torch", "Size"): tuple,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "slice"): slice,
}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, persistent_load):
        super().__init__(file, encoding="utf-8")
        self._persistent = persistent_load

    def find_class(self, module: str, name: str) -> Any:
        module = "builtins" if module == "__builtin__" else module  # protocol-2 pickles
        if module == "torch" and name in STORAGE_DTYPES:
            return _StorageType(name)
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        raise VisionError(f"Fichier de poids refusé : il demande « {module}.{name} », qui n'est pas un "
                          "tenseur (un fichier .pth peut exécuter du code ; seuls les poids sont lus).",
                          module=module, name=name)

    def persistent_load(self, pid):
        return self._persistent(pid)


def _materialise(obj: Any) -> Any:
    if isinstance(obj, _Tensor):
        return obj.materialise()
    if isinstance(obj, dict):
        for key, value in obj.items():
            obj[key] = _materialise(value)
        return obj
    if isinstance(obj, list):
        return [_materialise(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_materialise(v) for v in obj)
    return obj


def _as_array(raw: bytes | memoryview, kind: _StorageType, numel: int) -> np.ndarray:
    if len(raw) < numel * kind.itemsize:
        raise VisionError("Fichier de poids tronqué : un stockage est plus court qu'annoncé.")
    if kind.dtype == "bfloat16":
        half = np.frombuffer(raw, dtype="<u2", count=numel)
        return (half.astype(np.uint32) << 16).view(np.float32)
    return np.frombuffer(raw, dtype=np.dtype(kind.dtype).newbyteorder("<"), count=numel)


def _load_zip(archive: zipfile.ZipFile) -> Any:
    pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl"]
    if not pickles:
        raise VisionError("Fichier de poids illisible : archive sans data.pkl (ce n'est pas un fichier torch).")
    prefix = pickles[0][: -len("data.pkl")]
    storages: dict[str, _Storage] = {}

    def persistent_load(pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise VisionError("Fichier de poids illisible : référence de stockage inconnue.", pid=repr(pid))
        _, kind, key, _location, numel = pid[:5]
        if key not in storages:
            if not isinstance(kind, _StorageType):
                raise VisionError("Fichier de poids illisible : type de stockage inconnu.", kind=repr(kind))
            raw = archive.read(f"{prefix}data/{key}")
            numel = len(raw) // kind.itemsize
            storages[key] = _Storage(kind, key, numel, data=_as_array(raw, kind, numel))
        return storages[key]

    with archive.open(pickles[0]) as handle:
        return _materialise(_Unpickler(io.BytesIO(handle.read()), persistent_load).load())


def _load_legacy(handle) -> Any:
    def refuse(pid):
        raise VisionError("Fichier de poids illisible : en-tête inattendu.")

    magic = _Unpickler(handle, refuse).load()
    if magic != LEGACY_MAGIC:
        raise VisionError("Fichier de poids illisible : ce n'est pas un fichier torch (.pth).")
    _Unpickler(handle, refuse).load()  # protocol version
    sys_info = _Unpickler(handle, refuse).load()
    if isinstance(sys_info, dict) and not sys_info.get("little_endian", True):
        raise VisionError("Fichier de poids gros-boutiste : format non pris en charge.")
    storages: dict[str, _Storage] = {}

    def persistent_load(pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise VisionError("Fichier de poids illisible : référence de stockage inconnue.", pid=repr(pid))
        _, kind, key, _location, numel, view = pid[:6] if len(pid) >= 6 else (*pid[:5], None)
        if not isinstance(kind, _StorageType):
            raise VisionError("Fichier de poids illisible : type de stockage inconnu.", kind=repr(kind))
        root = storages.setdefault(key, _Storage(kind, key, int(numel)))
        if view is None:
            return root
        view_key, offset, size = view
        return storages.setdefault(view_key, _Storage(kind, view_key, int(size), view=(key, int(offset), int(size))))

    result = _Unpickler(handle, persistent_load).load()
    keys = _Unpickler(handle, refuse).load()
    for key in keys:
        storage = storages.get(key)
        (numel,) = struct.unpack("<q", handle.read(8))
        if storage is None:
            raise VisionError("Fichier de poids corrompu : stockage non référencé.", key=key)
        storage.data = _as_array(handle.read(numel * storage.kind.itemsize), storage.kind, numel)
    for storage in storages.values():
        if storage.view is not None:
            root_key, offset, size = storage.view
            storage.data = storages[root_key].data[offset:offset + size]
    return _materialise(result)


def load_pth(path: str | os.PathLike) -> Any:
    """The object saved in a ``.pth`` file (usually a dict), with every tensor as a numpy array."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return _load_zip(archive)
        with open(path, "rb") as handle:
            return _load_legacy(handle)
    except FileNotFoundError as exc:
        raise VisionError(f"Fichier de poids introuvable : {path}.", path=os.fspath(path)) from exc
    except (pickle.UnpicklingError, EOFError, struct.error, KeyError, ValueError) as exc:
        raise VisionError(f"Fichier de poids illisible ou corrompu : {os.fspath(path)} ({exc}).",
                          path=os.fspath(path)) from exc


def state_dict(checkpoint: Any) -> dict[str, np.ndarray]:
    """The ``name → array`` weights of a checkpoint: itself, or its ``model``/``state_dict`` entry."""
    for key in ("model", "state_dict", "model_state_dict"):
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get(key), dict):
            checkpoint = checkpoint[key]
            break
    if not isinstance(checkpoint, dict):
        raise VisionError("Fichier de poids inattendu : aucun dictionnaire de poids trouvé.")
    return {k: v for k, v in checkpoint.items() if isinstance(v, np.ndarray)}
