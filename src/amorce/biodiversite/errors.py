"""The biodiversity package's error type (French message for users)."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class BiodiversiteError(AmorceError):
    """A camera-trap operation failed; ``message`` is French."""
