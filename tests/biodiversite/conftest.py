"""A small generated season (fixture ``season_dir``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from .samples import save_jpeg, save_video, scene


@pytest.fixture
def season_dir(tmp_path) -> Path:
    """site_A/cam1/visite1: a 3-frame animal burst, a 3-frame empty burst (sun flash), a single empty
    frame; site_B/cam2/visite1: 2 frames with a wrong clock (2000), a corrupt file, a note, a video."""
    root = tmp_path / "SD"
    t0 = datetime(2024, 5, 10, 6, 0, 0)
    cam1 = root / "site_A" / "cam1" / "visite1"
    for i, x in enumerate((0.1, 0.4, 0.7)):
        save_jpeg(scene(1, animal_at=(x, 0.4)), cam1 / f"IMG_{i:04d}.JPG", t0 + timedelta(seconds=i))
    for i, light in enumerate((1.0, 1.4, 0.7)):
        save_jpeg(scene(1, brightness=light), cam1 / f"IMG_{10 + i:04d}.JPG", t0 + timedelta(hours=1, seconds=i))
    save_jpeg(scene(1), cam1 / "IMG_0020.JPG", t0 + timedelta(hours=3))
    cam2 = root / "site_B" / "cam2" / "visite1"
    save_jpeg(scene(2), cam2 / "IMG_0001.JPG", datetime(2000, 1, 1, 0, 0, 5))
    save_jpeg(scene(2, animal_at=(0.5, 0.5)), cam2 / "IMG_0002.JPG", datetime(2000, 1, 1, 0, 0, 6))
    (cam2 / "IMG_0003.JPG").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (cam2 / "notes.txt").write_text("relevé du 12 mai")
    save_video(cam2 / "VID_0004.MP4", [scene(2, animal_at=(i / 10, 0.3)) for i in range(24)],
               creation_time="2024-05-12T08:00:00.000000Z")
    return root
