"""The models cache: ONNX files converted once from packaged weights, each with a JSON manifest.

Where: ``AMORCE_MODELS_DIR``, else ``<AMORCE_DATA_DIR or ./var>/models``. A model is
``<name>.onnx`` plus ``<name>.json`` (source package and version, sha256 of the weights and of
the ONNX, licence). Files are written to a temporary name and renamed, manifest last, so a crash
never leaves a model that looks complete.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..config import data_dir, env_str
from ..files import atomic_write
from .types import VisionError


def models_dir() -> Path:
    """The models cache folder (not created)."""
    explicit = env_str("AMORCE_MODELS_DIR")
    if explicit:
        return Path(explicit).resolve()
    return data_dir() / "models"


def sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(name: str) -> dict | None:
    path = models_dir() / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def cached_onnx(name: str, source: dict, convert: Callable[[], bytes]) -> Path:
    """The cached ``<name>.onnx`` converted from ``source`` (which must hold ``weights_sha256``).

    Converted again when the manifest is missing, names other weights, or the ONNX file no longer
    matches its recorded checksum.
    """
    folder = models_dir()
    onnx_path = folder / f"{name}.onnx"
    manifest = read_manifest(name)
    if (manifest and manifest.get("weights_sha256") == source["weights_sha256"] and onnx_path.is_file()
            and manifest.get("onnx_size") == onnx_path.stat().st_size
            and manifest.get("onnx_sha256") == sha256(onnx_path)):
        return onnx_path
    data = convert()
    try:
        with atomic_write(onnx_path, "wb") as handle:
            handle.write(data)
        record = {"name": name, **source, "onnx_file": onnx_path.name, "onnx_size": len(data),
                  "onnx_sha256": hashlib.sha256(data).hexdigest(),
                  "converted_at": datetime.now(UTC).isoformat(timespec="seconds"),
                  "converted_by": "amorce.core.vision (sans torch)"}
        with atomic_write(folder / f"{name}.json") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=2)
    except OSError as exc:
        raise VisionError(f"Impossible d'écrire le modèle converti dans {folder} : {exc.strerror}. "
                          "Réglez AMORCE_MODELS_DIR vers un dossier accessible en écriture.",
                          folder=str(folder)) from exc
    return onnx_path
