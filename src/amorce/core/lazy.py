"""Lazy library exports for a package's ``__init__`` (PEP 562).

Django imports each use-case package at start-up for its app, and ``amorce --help`` reads their
declarations: neither should load pandas, LightGBM, spaCy or the retrieval models. A package lists
its public names and the module that defines each; they are imported on first access::

    __getattr__, __dir__, __all__ = lazy_exports(__name__, {"train": "learner", ...})
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]],
                                                                   list[str]]:
    """``(__getattr__, __dir__, __all__)`` for ``package``, whose names live in its sub-modules.

    A name that is also the name of a sub-module (``decisions.evaluate``, the function, in
    ``decisions/evaluate.py``) is bound at once: importing the sub-module later would otherwise set
    the package attribute to the module and hide the function.
    """
    for name, module in exports.items():
        if importlib.util.find_spec(f"{package}.{name}") is not None:
            setattr(sys.modules[package], name, getattr(importlib.import_module(f".{module}", package), name))

    def __getattr__(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(f".{exports[name]}", package), name)
            setattr(sys.modules[package], name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__, sorted(exports)
