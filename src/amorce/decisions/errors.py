"""The decisions package's error type (French message for users)."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class DecisionsError(AmorceError):
    """A court-decision operation failed; ``message`` is French."""


class DecisionLocked(DecisionsError):
    """A correction asked on a decision that is no longer under review."""


class EntityClash(DecisionsError):
    """An added entity overlaps an existing one."""


class ImportProblems(DecisionsError):
    """Every problem of an uploaded import, one French line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ObjectivationError(DecisionsError):
    """A refused objectivation request (French message, HTTP status for the API)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
