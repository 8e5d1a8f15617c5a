"""Archives: duplicate and near-duplicate detection on generated variants of the real heritage photos.

Each of the 400 photos of ../shared/data/heritage_architecture_elements gets six variants (rescan,
crop, print, sepia tint, mirror, greyscale) in a temporary folder (deleted afterwards, never
committed); amorce's groups (pHash + dHash with mirror hashes, BK-tree; features when computed) are
scored against plain pHash at imagededup's default threshold (10) in the same run. imagededup
itself is not run: its package requires torch (``Requires-Dist: torch, torchvision``; its
``methods`` package imports the CNN module, which imports torch), which the default install excludes.

    PYTHONPATH=src python benchmarks/archives_duplicates.py [--limit 400] [--features]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import markdown_table, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
IMAGES = Path(os.environ.get("AMORCE_SHARED_DATA") or ROOT.parent / "shared" / "data") \
    / "heritage_architecture_elements" / "images"


def main() -> None:
    from amorce.archives.evaluate import run_evaluation

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--features", action="store_true")
    args = parser.parse_args()
    if not IMAGES.is_dir():
        print(f"Données partagées absentes : {IMAGES} ; mesure non faite.")
        return
    start = time.perf_counter()
    result = run_evaluation(IMAGES, limit=args.limit, seed=0, features=args.features)
    seconds = time.perf_counter() - start
    rows = []
    for name, ours in result["amorce"].items():
        base = result["baseline"][name]
        rows.append([name, f"{ours['precision']:.3f}", f"{ours['recall']:.3f}", f"**{ours['f1']:.3f}**",
                     f"{base['precision']:.3f}", f"{base['recall']:.3f}", f"{base['f1']:.3f}"])
    overall = result["amorce"]["global"]["f1"]
    verdict = "atteint" if overall >= 0.95 else "**non atteint**"
    body = (
        f"{result['originals']} photographies réelles × 6 variantes générées = {result['images']} images "
        f"(dossier temporaire). Caractéristiques d'image : {'oui' if result['features'] else 'non'}. "
        f"Durée totale (génération, indexation, groupes) : {seconds:.0f} s.\n\n"
        + markdown_table(["Transformation", "amorce P", "R", "F1", "pHash seul P", "R", "F1"], rows)
        + f"\n\nRéférence : {result['baseline_name']} ; imagededup n'est pas exécuté (il exige torch). "
        f"Scores sur les paires ; « global » compte aussi les paires entre deux variantes d'un même original. "
        f"Objectif F1 global ≥ 0,95 : {verdict} ({overall:.3f}). Les recadrages (80–90 % gardés) échappent "
        "aux empreintes perceptuelles : ils demandent les caractéristiques d'image (`--features`)."
    )
    write_section("archives_duplicates", "Archives : doublons et quasi-doublons sur variantes générées", body)
    print(body)


if __name__ == "__main__":
    main()
