"""The batched hashing gives the same 64-bit hashes as imagehash and as a per-orientation reference."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from amorce.archives.hashing import HASH_SIZE, _orientations, hash_image


def _reference_bits(grid) -> int:
    value = 0
    for bit in np.asarray(grid).flatten():
        value = (value << 1) | int(bit)
    return value


def _reference(image):
    """The former implementation: one DCT and one bit loop per orientation."""
    import scipy.fftpack

    grey = image.convert("L")
    lanczos = Image.Resampling.LANCZOS
    p32 = np.asarray(grey.resize((32, 32), lanczos))
    d_wide = np.asarray(grey.resize((HASH_SIZE + 1, HASH_SIZE), lanczos))
    d_tall = np.asarray(grey.resize((HASH_SIZE, HASH_SIZE + 1), lanczos))
    phashes = []
    for grid in _orientations(p32):
        low = scipy.fftpack.dct(scipy.fftpack.dct(grid, axis=0), axis=1)[:HASH_SIZE, :HASH_SIZE]
        phashes.append(_reference_bits(low > np.median(low)))
    dhashes = [_reference_bits(g[:, 1:] > g[:, :-1]) for g in _orientations(d_wide, d_tall)]
    return phashes, dhashes


@pytest.mark.parametrize("seed", range(6))
def test_hashes_unchanged_in_all_orientations(seed):
    import imagehash

    rng = np.random.default_rng(seed)
    size = (int(rng.integers(40, 700)), int(rng.integers(40, 700)))
    smooth = Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)).resize(size, Image.Resampling.BICUBIC)
    noisy = np.clip(np.asarray(smooth, dtype=np.int16) + rng.integers(-20, 20, (size[1], size[0], 3)), 0, 255)
    image = Image.fromarray(noisy.astype(np.uint8))
    hashes = hash_image(image)
    phashes, dhashes = _reference(image)
    assert [hashes.phash, hashes.phash_mirror, *hashes.phash_turns] == phashes
    assert [hashes.dhash, hashes.dhash_mirror, *hashes.dhash_turns] == dhashes
    assert hashes.phash == int(str(imagehash.phash(image)), 16)
    assert hashes.dhash == int(str(imagehash.dhash(image)), 16)
    assert all(0 <= h < 1 << 64 for h in phashes + dhashes)
