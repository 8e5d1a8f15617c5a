"""Where a curator may index a collection from, on the web: folders of the server that the
administrator lists in ``AMORCE_ARCHIVES_SOURCES`` (by default ``$AMORCE_DATA_DIR/archives/sources``).

A web user never types a server path: the form offers the folders and IIIF manifests found directly
inside these roots, and anything else is refused (no path outside them, no symbolic link leaving them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from amorce.core.config import data_dir, env_str

SOURCES_VARIABLE = "AMORCE_ARCHIVES_SOURCES"
MAX_LISTED = 500


@dataclass(frozen=True)
class Source:
    value: str  # what the form sends: « root number:name », never a server path
    path: str
    label: str
    kind: str  # "dossier" or "manifeste"


def source_roots(environ: dict | None = None) -> list[Path]:
    """The configured roots (comma-separated), resolved; the default one when none is configured."""
    raw = env_str(SOURCES_VARIABLE, "", environ)
    roots = [Path(part.strip()).expanduser() for part in raw.split(",") if part.strip()]
    return [root.resolve() for root in roots] or [data_dir(environ) / "archives" / "sources"]


def available_sources(roots: list[Path] | None = None) -> list[Source]:
    """Sub-folders and ``.json`` manifests found directly in each root, sorted, at most ``MAX_LISTED``."""
    found = []
    for number, root in enumerate(roots if roots is not None else source_roots()):
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir(), key=lambda p: p.name.lower()):
            if child.name.startswith(".") or not _inside(child, root):
                continue
            if child.is_dir():
                found.append(Source(f"{number}:{child.name}", str(child), f"{root.name}/{child.name} (dossier d'images)",
                                    "dossier"))
            elif child.is_file() and child.suffix.lower() == ".json":
                found.append(Source(f"{number}:{child.name}", str(child), f"{root.name}/{child.name} (manifeste IIIF)",
                                    "manifeste"))
            if len(found) >= MAX_LISTED:
                return found
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True
