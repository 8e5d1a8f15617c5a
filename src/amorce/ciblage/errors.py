"""The targeting package's error type: every ciblage failure a user sees is a :class:`CiblageError`."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class CiblageError(AmorceError):
    """Error of the targeting package (French message for users, machine details in ``details``)."""
