"""Perceptual hashes of an image (64-bit pHash and dHash, and those of its mirror image).

Hashes are unsigned 64-bit integers; two images are alike when the Hamming distance between their
hashes (:func:`hamming`) is small. The mirror hashes let a mirrored print match its negative.
"""

from __future__ import annotations

from dataclasses import dataclass

HASH_SIZE = 8  # 8×8 = 64 bits
MASK64 = (1 << 64) - 1


@dataclass(frozen=True)
class ImageHashes:
    phash: int
    dhash: int
    phash_mirror: int
    dhash_mirror: int


def _to_int(hash_) -> int:
    value = 0
    for bit in hash_.hash.flatten():
        value = (value << 1) | int(bit)
    return value


def hash_image(image) -> ImageHashes:
    """pHash and dHash of a Pillow image and of its left-right mirror."""
    import imagehash
    from PIL import ImageOps

    grey = image.convert("L")
    mirror = ImageOps.mirror(grey)
    return ImageHashes(
        phash=_to_int(imagehash.phash(grey, hash_size=HASH_SIZE)),
        dhash=_to_int(imagehash.dhash(grey, hash_size=HASH_SIZE)),
        phash_mirror=_to_int(imagehash.phash(mirror, hash_size=HASH_SIZE)),
        dhash_mirror=_to_int(imagehash.dhash(mirror, hash_size=HASH_SIZE)),
    )


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit hashes."""
    return ((a ^ b) & MASK64).bit_count()


def to_hex(value: int) -> str:
    return f"{value & MASK64:016x}"


def from_hex(text: str) -> int:
    return int(text, 16)
