"""Perceptual hashes of an image (64-bit pHash and dHash) in its eight orientations.

Hashes are unsigned 64-bit integers; two images are alike when the Hamming distance between their
hashes (:func:`hamming`) is small. Besides the image as it is, the hashes of its mirror image (a
mirrored print matches its negative) and of its quarter turns, plain and mirrored (a plate scanned
the wrong way up), are kept: a search probes the index with all eight.

The plain hashes are imagehash's ``phash`` and ``dhash`` (same resampling, same DCT); the other
orientations are computed from the same reduced grids turned and flipped, which costs three
resizes in all instead of two per orientation.
"""

from __future__ import annotations

from dataclasses import dataclass

HASH_SIZE = 8  # 8×8 = 64 bits
MASK64 = (1 << 64) - 1
TURN_NAMES = ("quart de tour", "demi-tour", "trois quarts de tour", "miroir + quart de tour",
              "miroir + demi-tour", "miroir + trois quarts de tour")


@dataclass(frozen=True)
class ImageHashes:
    phash: int
    dhash: int
    phash_mirror: int
    dhash_mirror: int
    phash_turns: tuple[int, ...] = ()  # 90°, 180°, 270° counter-clockwise, then the same of the mirror image
    dhash_turns: tuple[int, ...] = ()


def _bits(boolean_grids) -> list[int]:
    """Each ``k × h × w`` boolean grid as an integer, its first cell the most significant bit."""
    import numpy as np

    flat = np.asarray(boolean_grids, dtype=bool).reshape(len(boolean_grids), -1)
    packed = np.packbits(flat, axis=1)  # big-endian within each byte: first cell first
    return [int.from_bytes(row.tobytes(), "big") >> (8 * packed.shape[1] - flat.shape[1]) for row in packed]


def _phash_bits(grids) -> list[int]:
    """pHash of each 32 × 32 grid of a stack (imagehash's: 2-D DCT, 8 × 8 low frequencies above their median)."""
    import numpy as np
    import scipy.fftpack

    dct = scipy.fftpack.dct(scipy.fftpack.dct(np.asarray(grids, dtype=np.float64), axis=1), axis=2)
    low = dct[:, :HASH_SIZE, :HASH_SIZE]
    medians = np.median(low.reshape(len(low), -1), axis=1)
    return _bits(low > medians[:, None, None])


def _dhash_bits(grids) -> list[int]:
    """dHash of each 8 × 9 grid of a stack: each cell brighter than its left neighbour."""
    import numpy as np

    grids = np.asarray(grids)
    return _bits(grids[:, :, 1:] > grids[:, :, :-1])


def _orientations(grid, grid_turned=None):
    """The grid in the eight orientations: plain, mirror, then turns 1–3 plain and mirrored.

    ``grid_turned`` is the grid resized with width and height swapped (for non-square grids), used
    for the odd quarter turns so that every oriented grid has the shape of ``grid``.
    """
    import numpy as np

    turned = grid if grid_turned is None else grid_turned
    plain = [np.rot90(grid if k % 2 == 0 else turned, k) for k in range(4)]
    mirrored = [np.rot90(np.fliplr(grid if k % 2 == 0 else turned), k) for k in range(4)]
    return [plain[0], mirrored[0], *plain[1:], *mirrored[1:]]


def hash_image(image) -> ImageHashes:
    """pHash and dHash of a Pillow image in its eight orientations (see :class:`ImageHashes`)."""
    import numpy as np
    from PIL import Image

    grey = image.convert("L")
    side = HASH_SIZE * 4
    lanczos = Image.Resampling.LANCZOS
    p32 = np.asarray(grey.resize((side, side), lanczos))
    d_wide = np.asarray(grey.resize((HASH_SIZE + 1, HASH_SIZE), lanczos))  # 8 rows × 9 columns
    d_tall = np.asarray(grey.resize((HASH_SIZE, HASH_SIZE + 1), lanczos))  # 9 rows × 8 columns
    phashes = _phash_bits(np.stack(_orientations(p32)))  # one batched DCT for the eight orientations
    dhashes = _dhash_bits(np.stack(_orientations(d_wide, d_tall)))
    return ImageHashes(phash=phashes[0], dhash=dhashes[0], phash_mirror=phashes[1], dhash_mirror=dhashes[1],
                       phash_turns=tuple(phashes[2:]), dhash_turns=tuple(dhashes[2:]))


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit hashes."""
    return ((a ^ b) & MASK64).bit_count()


def to_hex(value: int) -> str:
    return f"{value & MASK64:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)
