"""Errors of the ``archives`` package (French messages for users)."""

from __future__ import annotations

from amorce.core.errors import AmorceError


class ArchivesError(AmorceError):
    """Any error of the heritage photo collections package."""


class SourceError(ArchivesError):
    """A source (folder, metadata file, IIIF manifest) cannot be read or is not what it claims."""

    exit_code = 2


class FetchRefused(ArchivesError):
    """An image URL was refused: not https, or its host is not in the deployment's allow-list."""

    exit_code = 2


class CollectionNotFound(ArchivesError):
    """No index exists for the named collection."""

    exit_code = 2
