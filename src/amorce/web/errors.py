"""The platform's own error types (French messages), derived from :class:`amorce.core.errors.AmorceError`."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class PlatformError(AmorceError):
    """An operation of the platform itself (accounts, jobs, audit log) failed."""


class AppendOnlyError(PlatformError):
    """The audit log only grows: changing or deleting an event is refused."""

    def __init__(self, message: str = "Le journal d'audit est en ajout seul : un événement ne se modifie ni ne "
                                      "se supprime.") -> None:
        super().__init__(message)


class JobCancelled(PlatformError):
    """Raised inside a job handler once the user asked to cancel the job."""

    def __init__(self, message: str = "Tâche annulée à la demande de l'utilisateur.") -> None:
        super().__init__(message)


class JobFinished(PlatformError):
    """A job that has already ended cannot be cancelled."""

    def __init__(self, message: str = "Cette tâche est déjà terminée.") -> None:
        super().__init__(message)
