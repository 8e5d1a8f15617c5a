"""Archives: duplicate and near-duplicate detection on generated variants of the real heritage photos.

Each of the 400 photos of ../shared/data/heritage_architecture_elements gets seven variants (rescan,
crop, print, sepia tint, mirror, greyscale, quarter turn) in a temporary folder (deleted afterwards,
never committed). The originals are split in two halves: the thresholds of the combined rule and of
the features alone are chosen on the first half, every method is scored on the second. Side by side,
in the same run: plain pHash at imagededup's default threshold (10, no mirror), amorce's hashes
(pHash + dHash in eight orientations, multi-index hashing), EfficientNet-Lite0 features alone (cosine), and the
combined rule (hashes, or high cosine, or cosine above a lower threshold confirmed by correlation of
the thumbnails). imagededup itself is not run: its package requires torch (``Requires-Dist: torch,
torchvision``), which the default install excludes. The exact feature search is also timed on
random unit vectors, to state how it scales.

    PYTHONPATH=src python benchmarks/archives_duplicates.py [--limit 400] [--no-features]
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


def exact_search_seconds(n: int, dim: int = 1280) -> float:
    """Seconds of the blocked exact top-k cosine search over ``n`` random unit vectors."""
    import numpy as np

    from amorce.archives.duplicates import feature_pairs

    x = np.random.default_rng(0).standard_normal((n, dim)).astype(np.float32)
    start = time.perf_counter()
    feature_pairs(x, cosine=0.99)
    return time.perf_counter() - start


def fr(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def main() -> None:
    from amorce.archives.duplicates import COSINE, COSINE_CANDIDATE, MATCH
    from amorce.archives.evaluate import run_evaluation

    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--no-features", action="store_true")
    args = parser.parse_args()
    if not IMAGES.is_dir():
        print(f"Données partagées absentes : {IMAGES} ; mesure non faite.")
        return
    load = os.getloadavg()[0]
    start = time.perf_counter()
    result = run_evaluation(IMAGES, limit=args.limit, seed=0, features=not args.no_features)
    seconds = time.perf_counter() - start
    scores, methods = result["scores"], list(result["scores"])
    headers = ["Transformation"] + [f"{result['methods'][m]} F1" for m in methods]
    rows = [[name] + [(f"**{fr(scores[m][name]['f1'])}**" if m == methods[-1] else fr(scores[m][name]["f1"]))
                      for m in methods] for name in scores[methods[0]]]
    overall = [[result["methods"][m], fr(scores[m]["global"]["precision"]), fr(scores[m]["global"]["recall"]),
                fr(scores[m]["global"]["f1"]), scores[m]["global"]["predicted_pairs"]] for m in methods]
    best = scores[methods[-1]]["global"]["f1"]
    verdict = "atteint" if best >= 0.95 else f"**non atteint** (il manque {fr(0.95 - best)})"
    timing = []
    for n in (2000, 8000):
        timing.append((n, exact_search_seconds(n)))
    per_million = timing[-1][1] * (1_000_000 / timing[-1][0]) ** 2
    thresholds = result["thresholds"]
    body = (
        f"{result['originals']} photographies réelles × 8 (original + 7 variantes) = {result['images']} images "
        f"générées (dossier temporaire). Originaux écartés car même photographie qu'un autre original du jeu "
        f"(pHash ≤ 4 bits) : {len(result['dropped_twins'])} ({', '.join(result['dropped_twins']) or 'aucun'}). "
        f"Seuils choisis sur la première moitié des originaux, scores sur la seconde "
        f"({result['test_originals']} originaux, {result['test_images']} images, cherchée comme une collection). "
        f"Durée totale (génération, indexation avec caractéristiques, réglage, scores) : {seconds:.0f} s ; "
        f"charge de la machine au départ : {load:.1f}.\n\n"
        + markdown_table(["Méthode", "P", "R", "F1", "paires prédites"], overall)
        + "\n\nF1 par transformation (rappel des paires original–variante, précision des paires touchant "
          "une variante de ce type) :\n\n"
        + markdown_table(headers, rows)
        + f"\n\nSeuils retenus sur la première moitié : combiné {thresholds.get('combine')}, "
          f"caractéristiques seules {thresholds.get('caracteristiques')} (valeurs par défaut du code : cosinus "
          f"{fr(COSINE, 2)} ; candidat {fr(COSINE_CANDIDATE, 2)} ; corrélation {fr(MATCH, 2)}). Objectif F1 global ≥ 0,95 (méthode combinée) : "
          f"{verdict} ({fr(best)}).\n\n"
          f"Passage à l'échelle : les empreintes passent par un index multi-blocs exact (archives_scale : 1,6 s pour indexer 1 000 000 d'empreintes, 1 ms par requête) ; la recherche exacte des "
          f"caractéristiques (numpy, par blocs) a pris {fr(timing[0][1], 2)} s pour {timing[0][0]} vecteurs et "
          f"{fr(timing[1][1], 2)} s pour {timing[1][0]} (1280-d) ; extrapolée en n² : ≈ {per_million / 3600:.0f} h "
          "pour 1 000 000 d'images sur cette machine. Au-delà de quelques centaines de milliers d'images, les "
          "candidats viendront d'un index approché ou de blocs (un fonds, un voisinage d'empreintes) ; "
          f"la vérification par corrélation coûte ≈ 1 ms par paire candidate "
          f"({result['candidate_pairs']} paires candidates sur la moitié évaluée, "
          f"{fr(result['candidate_seconds'], 1)} s, toutes vérifiées pour le réglage)."
    )
    write_section("archives_duplicates", "Archives : doublons et quasi-doublons sur variantes générées", body)
    print(body)


if __name__ == "__main__":
    main()
