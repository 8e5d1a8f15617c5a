"""Shared helper for benchmark scripts: write one section of docs/benchmarks.md.

Each script owns a section delimited by ``<!-- bench:NAME -->`` markers; re-running a script
replaces its section only. Every section states the date and the machine it was measured on.
"""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

from amorce.core.files import atomic_write

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
SHARED_DATA = Path(os.environ.get("AMORCE_SHARED_DATA", ROOT.parent / "shared" / "data"))
HEADER = (
    "# Mesures de performance et de qualité\n\n"
    "Chaque section est écrite par un script de `benchmarks/` (`make bench` les relance tous). "
    "Les comparaisons sont faites dans la même exécution (rapport à une référence), car les machines "
    "sont bruitées.\n"
)


HERITAGE = SHARED_DATA / "heritage_architecture_elements"


def heritage_rows() -> list[dict] | None:
    """The labelled heritage photos (``file``, ``label`` rows of labels.csv), or None when the shared
    data is absent (the benchmark then says so and measures nothing)."""
    import csv

    if not (HERITAGE / "labels.csv").is_file():
        print(f"Données partagées absentes : {HERITAGE} ; mesure non faite.")
        return None
    with (HERITAGE / "labels.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} Go de mémoire"
    except OSError:
        pass
    return f"{platform.machine()}, {cpus} cœurs{mem}, Python {platform.python_version()}"


def write_section(name: str, title: str, body: str) -> None:
    """Replace (or append) the section ``name`` of docs/benchmarks.md."""
    stamp = f"*Mesuré le {datetime.now(UTC):%Y-%m-%d %H:%M} UTC sur {machine()}.*"
    block = f"<!-- bench:{name} -->\n## {title}\n\n{stamp}\n\n{body.strip()}\n<!-- /bench:{name} -->"
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    with atomic_write(REPORT) as handle:
        handle.write(text)


def markdown_table(headers: list[str], rows: list[list[object]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
