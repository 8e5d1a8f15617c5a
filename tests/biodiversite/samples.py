"""Generated camera-trap media for the tests: JPEGs with EXIF dates, a video, moving and still scenes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image


def scene(seed: int = 0, *, size=(320, 240), night: bool = False, animal_at=None, brightness: float = 1.0) -> Image.Image:
    """A textured background (fixed per seed) with an optional dark 'animal' blob at (x, y) normalised."""
    rng = np.random.default_rng(seed)
    width, height = size
    base = rng.integers(60, 200, size=(height // 8, width // 8, 3)).astype(np.float32)
    image = np.kron(base, np.ones((8, 8, 1)))[:height, :width]
    image += rng.normal(0, 2, image.shape)  # sensor noise, different at every call of the same seed
    if animal_at is not None:
        x, y = int(animal_at[0] * width), int(animal_at[1] * height)
        image[y:y + height // 4, x:x + width // 4] = [30, 20, 10]
    image *= brightness
    if night:
        image[...] = image.mean(axis=2, keepdims=True)
    return Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))


def save_jpeg(image: Image.Image, path: Path, when: datetime | None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    if when is not None:
        exif[0x8769] = {0x9003: when.strftime("%Y:%m:%d %H:%M:%S")}  # ExifIFD / DateTimeOriginal
    image.save(path, "JPEG", quality=92, exif=exif.tobytes())
    return path


def save_video(path: Path, frames: list[Image.Image], *, fps: int = 4, creation_time: str | None = None) -> Path:
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        if creation_time:
            container.metadata["creation_time"] = creation_time
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height = frames[0].size
        stream.pix_fmt = "yuv420p"
        for image in frames:
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


