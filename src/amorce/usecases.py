"""The six use-case packages, and how the platform finds their optional parts.

Light on purpose (no Django, no Typer): the CLI, the Django settings, URLs, API and demo loader all
use it to mount what a use case has built so far.
"""

from __future__ import annotations

import importlib
from types import ModuleType

USECASES = ("programme", "ciblage", "decisions", "assistant", "biodiversite", "archives")


def usecase_module(usecase: str, part: str) -> ModuleType | None:
    """Import ``amorce.<usecase>.<part>``, or return None when the use case has no such part yet.

    Any other import error (a bug inside the module, a missing dependency) is raised.
    """
    name = f"amorce.{usecase}.{part}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (f"amorce.{usecase}", name):
            return None
        raise
