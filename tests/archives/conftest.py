"""Small images made in the tests: a few distinct pictures, their variants, and a corrupt file."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


def picture(seed: int, size: int = 96):
    """A distinct synthetic picture (random rectangles and a gradient), RGB."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x0, y0 = rng.randrange(size), rng.randrange(size)
        x1, y1 = min(size, x0 + rng.randrange(10, size)), min(size, y0 + rng.randrange(10, size))
        draw.rectangle([x0, y0, x1, y1], fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


@pytest.fixture
def photo_folder(tmp_path) -> Path:
    """6 distinct pictures; a larger mirrored copy of picture 0 and a greyscale copy of picture 1;
    one corrupt file. Expected groups: {a/p0, b/p0_mirror_big}, {a/p1, b/p1_grey}."""
    from PIL import ImageOps

    root = tmp_path / "fonds"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    for n in range(6):
        picture(n).save(root / "a" / f"p{n}.jpg", quality=92)
    ImageOps.mirror(picture(0)).resize((192, 192)).save(root / "b" / "p0_mirror_big.jpg", quality=90)
    ImageOps.grayscale(picture(1)).save(root / "b" / "p1_grey.jpg", quality=90)
    (root / "b" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a jpeg at all")
    return root


@dataclass
class Result:
    exit_code: int
    stdout: str
    output: str


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    """Run ``amorce archives ...`` through the real entry point (French message and exit code on error)."""
    from amorce.cli import main

    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path / "var"))

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["amorce", "archives", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.out + captured.err)

    return run
