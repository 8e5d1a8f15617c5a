"""Set-up of the embedded models: fetch the zamba wheel once (PyPI, no torch) and convert both models."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..config import env_str
from .cache import models_dir
from .types import VisionError


def download_zamba_wheel(folder: Path) -> Path:
    """``pip download --no-deps zamba==2.7.2`` into ``folder`` (French error when offline)."""
    from .yolox import ZAMBA

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                               "--disable-pip-version-check", "-q", ZAMBA, "-d", tmp],
                              capture_output=True, text=True, timeout=600)
        wheels = list(Path(tmp).glob("zamba-*.whl"))
        if done.returncode != 0 or not wheels:
            raise VisionError(f"Téléchargement de {ZAMBA} impossible (pas d'accès à PyPI ?). Sur une machine "
                              "connectée, lancez « pip download --no-deps " + ZAMBA + " » puis indiquez la roue "
                              "obtenue (ou le fichier yolox_tiny_640_20220528.pth qu'elle contient) par "
                              "AMORCE_YOLOX_WEIGHTS.", stderr=done.stderr[-2000:])
        target = folder / wheels[0].name
        os.replace(wheels[0], target)
    return target


def install_models(*, download: bool = True) -> dict[str, Path]:
    """Make both embedded models ready in the models cache; ``{name: onnx path}``.

    The YOLOX weights come from ``AMORCE_YOLOX_WEIGHTS``, the cache, or (``download``) PyPI; the
    wheel's ``.pth`` is kept and the wheel removed.
    """
    from . import efficientnet, yolox

    ready = {efficientnet.MODEL_NAME: efficientnet.onnx_path()}
    try:
        yolox.weights_path()
    except VisionError:
        if not download or env_str("AMORCE_YOLOX_WEIGHTS"):
            raise
        wheel = download_zamba_wheel(models_dir())
        try:
            yolox.extract_from_wheel(wheel)
        finally:
            wheel.unlink(missing_ok=True)
    ready[yolox.MODEL_NAME] = yolox.onnx_path()
    return ready
