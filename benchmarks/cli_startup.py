"""CPU time of `amorce --help` and of each use case's `--help` (issue: under 0.3 s of CPU).

Each command runs in a fresh interpreter, several times; the median user+system CPU time is
reported beside a bare interpreter start (`python -c pass`) and an import of Typer alone, measured
in the same run, so that a loaded machine shows in the baseline too.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import markdown_table, write_section  # noqa: E402

from amorce.usecases import REGISTERED  # noqa: E402

RUNS = 7


def cpu_seconds(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(times)


def main() -> None:
    python = sys.executable
    load = os.getloadavg()[0]
    baseline = cpu_seconds([python, "-c", "pass"])
    typer_alone = cpu_seconds([python, "-c", "import typer, typer.rich_utils"])
    rows = [["`python -c pass` (référence)", f"{baseline:.3f}", f"{baseline / typer_alone:.2f}"],
            ["`import typer` et son rendu d'aide (référence)", f"{typer_alone:.3f}", "1.00"]]
    for name in ("", *REGISTERED, "modeles"):
        seconds = cpu_seconds([python, "-m", "amorce.cli", *([name] if name else []), "--help"])
        label = f"`amorce {name} --help`".replace("  ", " ")
        rows.append([label, f"{seconds:.3f}", f"{seconds / typer_alone:.2f}"])
    body = (f"Temps processeur (utilisateur + système, médiane de {RUNS} lancements dans un interpréteur neuf). "
            f"Charge de la machine au début de la mesure : {load:.1f}. Objectif : moins de 0,3 s par aide. "
            "Le rapport compare chaque aide au seul import de Typer (la bibliothèque de la ligne de commande), "
            "mesuré dans la même exécution : ce qu'amorce ajoute à Typer.\n\n"
            + markdown_table(["Commande", "CPU (s)", "Rapport à Typer seul"], rows))
    write_section("cli_startup", "Ligne de commande : temps de démarrage de l'aide", body)
    print(body)


if __name__ == "__main__":
    main()
