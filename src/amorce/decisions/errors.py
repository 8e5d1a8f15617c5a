"""The decisions package's error type (French message for users)."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class DecisionsError(AmorceError):
    """A court-decision operation failed; ``message`` is French."""
