"""The benchmark scripts stay runnable: each imports (names it takes from the packages still exist)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py") if not p.stem.startswith("__"))


def test_every_benchmark_script_imports() -> None:
    assert "decisions_pseudonymisation" in SCRIPTS
    # one fresh interpreter for all: importing runs no benchmark (each runs under __main__ only)
    code = ("import importlib, sys\nsys.argv = ['benchmark']\nfailed = []\n"
            f"for name in {SCRIPTS!r}:\n"
            "    try:\n        importlib.import_module(name)\n"
            "    except Exception as exc:\n        failed.append(f'{name}: {exc!r}')\n"
            "print('\\n'.join(failed)); sys.exit(1 if failed else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "benchmarks", capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
