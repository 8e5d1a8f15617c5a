"""Errors of the ``programme`` package (French messages for users)."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class ProgrammeError(AmorceError):
    """Any error of the call-for-projects package."""


class InfeasibleSelectionError(ProgrammeError):
    """No selection satisfies the budget, count and group constraints."""

    exit_code = 2


class DemarcheNumeriqueError(ProgrammeError):
    """The Démarche Numérique API answered with an error or an unexpected payload."""


class TransitionError(ProgrammeError):
    """A state change that the workflow does not allow."""


class AlreadyDoneError(ProgrammeError):
    """The action was already done (same registration, same month…): said as a warning, not a failure."""
