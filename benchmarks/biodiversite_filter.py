"""Biodiversité: quality and throughput of the empty-frame filter -> docs/benchmarks.md.

Quality (issue 16, target 1): ``amorce biodiversite evaluate`` on every labelled set of
../shared/data (see :mod:`amorce.biodiversite.evaluate` for what each figure rests on): share of
animal events kept and of empty frames removed, detector alone, motion alone, both, and a plain
image-difference threshold, overall and per source, light, animal size, media kind, resolution and
origin (real / generated from real frames).

Throughput, in the same run and on the same 21 real ENA24 frames brought to 1920 × 1080, decode included, the
pipeline's own code (:func:`amorce.biodiversite.pipeline.analyse_partition`): motion alone, and the
embedded detector at 640 px on every frame (with motion, as ``--detector embedded`` runs it), against
the issue's goals (≥ 20 and ≥ 2 images/s) and MegaDetector's published 0.5 image/s per CPU core (not
measured: no MegaDetector weights offline). Needs the embedded detector (``amorce modeles installer``).
About 2 minutes on 2 idle cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import ROOT, SHARED_DATA, markdown_table, write_section  # noqa: E402

PUBLISHED_MD_PER_CORE = 0.5
CORES = 2
GOAL_DETECTOR, GOAL_MOTION = 2.0, 20.0
LABELS = {"day": "jour", "night": "nuit", "small": "petit (< 5 kg)", "large": "grand (≥ 5 kg)"}


def _cell(t: dict, which: str) -> str:
    if which == "animal":
        if not t["animal_events"]:
            return "—"
        return f"{100 * t['animal_kept_share']:.1f} % ({t['animal_kept']}/{t['animal_events']})"
    if not t["blank_frames"]:
        return "—"
    return f"{100 * t['blank_removed_share']:.1f} % ({t['blank_frames_removed']}/{t['blank_frames']})"


def quality(result: dict) -> str:
    from amorce.biodiversite.evaluate import STRATEGY_NAMES

    strategies = list(result["strategies"])
    rows = []
    for name, t in result["strategies"].items():
        met = {True: "oui", False: "non"}.get(t.get("targets_met"), "—")
        judged = f", {t['not_judged']} non jugés" if "not_judged" in t else ""
        rows.append([STRATEGY_NAMES[name], _cell(t, "animal"), _cell(t, "blank"),
                     f"{t['people_kept']}/{t['people_events']}{judged}", met])
    out = [markdown_table(["Stratégie", "Événements animaux gardés", "Images vides retirées",
                           "Personnes/véhicules gardés", "Objectifs (≥ 98 % et ≥ 50 %)"], rows)]
    titles = {"source": "jeu", "light": "lumière", "size": "taille de l'animal", "kind": "type de média",
              "resolution": "résolution", "origin": "origine"}
    for by, groups in result["breakdown"].items():
        header = [titles[by]] + [f"{STRATEGY_NAMES[s]} : animaux gardés / vides retirés" for s in strategies]
        rows = [[LABELS.get(key, key)] + [f"{_cell(g[s], 'animal')} / {_cell(g[s], 'blank')}" for s in strategies]
                for key, g in groups.items()]
        out.append(f"Par {titles[by]} :\n\n" + markdown_table(header, rows))
    return "\n\n".join(out)


def _frames_1080p(folder: Path) -> list[Path]:
    """ENA24's real frames (mostly 2048×1536) brought to 1920×1080 (JPEG quality 90) in ``folder``."""
    from PIL import Image

    out = []
    for source in sorted((SHARED_DATA / "camera_traps" / "ena24_small").glob("*.jpg")):
        with Image.open(source) as image:
            path = folder / source.name
            image.convert("RGB").resize((1920, 1080), Image.Resampling.BILINEAR).save(path, quality=90)
            out.append(path)
    return out


def _rate(events: list, spec: str, repeats: int) -> tuple[float, dict]:
    from amorce.biodiversite.pipeline import analyse_partition

    start = time.perf_counter()
    for _ in range(repeats):
        payload = analyse_partition({"source": "/", "detector": spec, "events": events})
    return repeats * len(events) / (time.perf_counter() - start), payload


def throughput(folder: Path) -> tuple[list[list[str]], str]:
    from amorce.biodiversite import pipeline
    from amorce.biodiversite.ingest import load_frames

    frames = _frames_1080p(folder)
    events = [[[p.stem, str(p), "image"]] for p in frames]
    pipeline.analyse_partition({"source": "/", "detector": "embedded", "events": events[:1]})  # model load, warm-up
    rates = {}
    for spec, repeats in (("motion", 3), ("embedded", 1)):
        rates[spec], payload = _rate(events, spec, repeats)
        if spec == "embedded":
            found = sum(bool(r["detections"]) for r in payload["results"])
    # the baseline, same code and frames: every JPEG decoded whole, then brought to 1280 px (before draft decoding)
    pipeline.load_frames = lambda path, kind, **_: load_frames(path, kind, max_side=1280)  # no min_side: whole
    try:
        rates["motion-1280"], _ = _rate(events, "motion", 3)
        rates["embedded-1280"], _ = _rate(events, "embedded", 1)
    finally:
        pipeline.load_frames = load_frames
    published = PUBLISHED_MD_PER_CORE * CORES

    def row(label, key, goal):
        return [label, f"{rates[key]:.1f}" if rates[key] >= 10 else f"{rates[key]:.2f}", f"{goal:.0f}",
                "oui" if rates[key] >= goal else "non", f"{rates[key] / published:.1f}×"]

    rows = [
        row("Mouvement seul (JPEG décodé en mode brouillon, grand côté ≥ 320 px)", "motion", GOAL_MOTION),
        row("Mouvement seul, référence : JPEG décodé en entier puis ramené à 1280 px (avant)", "motion-1280", GOAL_MOTION),
        row("Détecteur YOLOX-tiny 640 px sur chaque image (+ mouvement ; brouillon, grand côté ≥ 640 px)",
            "embedded", GOAL_DETECTOR),
        row("Détecteur, référence : JPEG décodé en entier puis ramené à 1280 px (avant)", "embedded-1280", GOAL_DETECTOR),
    ]
    note = (f"{len(frames)} images réelles d'ENA24 ramenées à 1920×1080 (JPEG qualité 90 ; le détecteur trouve un animal sur {found}), chacun un "
            f"événement d'une image (fond tiré des autres images du lot), mouvement mesuré 3 fois, détecteur "
            f"une fois, chaque chemin avec le décodage du pipeline et avec l'ancien (référence) dans la même "
            f"exécution : mouvement {rates['motion'] / rates['motion-1280']:.1f}× plus rapide, détecteur "
            f"{rates['embedded'] / rates['embedded-1280']:.2f}× ; référence MegaDetector v5 : chiffre publié de 0,5 image/s par cœur, soit "
            f"{published:.1f} image/s sur {CORES} cœurs (non mesuré ici).")
    return rows, note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-report", action="store_true", help="ne pas écrire docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="écrire aussi le résultat complet de l'évaluation (JSON)")
    args = parser.parse_args()
    os.environ.setdefault("AMORCE_MODELS_DIR", str(ROOT / "var" / "models"))
    os.environ.setdefault("AMORCE_VISION_THREADS", str(CORES))
    from amorce.biodiversite.evaluate import run_evaluation, summary_lines, to_json

    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="amorce-bench-biodiversite-") as work:
        result = run_evaluation(SHARED_DATA, work)
        evaluation_s = time.perf_counter() - start
        rows, note = throughput(Path(work))
    print("\n".join(summary_lines(result)))
    if args.json:
        args.json.write_text(to_json(result), encoding="utf-8")
    load_after = os.getloadavg()[0]
    scores = result["detector_scores"]
    body = (
        "Commande : `amorce biodiversite evaluate` (qualité) ; script `benchmarks/biodiversite_filter.py`. "
        "Seuils livrés, rien n'est ajusté ici (détecteur intégré : score ≥ 0,25 ; mouvement : 1,2 écart "
        "normalisé, zone ≥ 0,4 % de l'image ; différence simple : écart moyen de gris ≥ 6). Un événement "
        "animal est *gardé* s'il n'est pas déclaré vide ; une image vide est *retirée* si son événement est "
        "déclaré vide. Sans image de référence (image seule sans autres images du même appareil), le "
        "mouvement répond « mouvement non identifié » : l'événement est gardé et compté « non jugé ».\n\n"
        "Sur quoi reposent les chiffres (effectifs par jeu dans le tableau « Par jeu ») : événements "
        "animaux réels — images de test SpeciesNet (originaux seulement), ENA24 (images seules, jour et nuit "
        "infrarouge), Snapshot Serengeti (images seules), vignettes 100×75 px de camtrapR (Bornéo, "
        "regroupées en événements par la règle d'écart de temps du produit, fond tiré des autres images de "
        "la station), rafale nocturne d'un héron (Camtrap DP), séquence d'écureuils (regroupée par numéro "
        "d'image), vidéos zamba où un animal est visible (les autres, sans vérité terrain, ne sont pas "
        "comptées). Images vides : seules 3 sont réelles et étiquetées (SpeciesNet : crépuscule, jour, nuit "
        "infrarouge) ; les séquences vides sont **générées à partir d'images réelles** : une fenêtre fixe "
        "de la rafale du héron et des événements d'écureuils qui évite toutes les boîtes annotées (vraies "
        "images successives, avec leur vent et leur lumière, sans l'animal), et 5 images tirées de chaque "
        "image vide réelle avec tremblement (décalage 0,5 à 1,5 %) et luminosité × 0,85 à 1,15. Taille de "
        "l'animal : masse de l'espèce (< 5 kg : petit). Nuit : image infrarouge (grise) ou heure EXIF entre "
        "19 h et 6 h.\n\n"
        + quality(result)
        + f"\n\nScores du détecteur : plus faible score retenu sur un événement animal "
        f"{scores['animal_min']}, plus fort sur un événement vide "
        f"{scores['blank_max'] if scores['blank_max'] is not None else 'aucun (aucune détection ≥ 0,25)'}.\n\n"
        f"Évaluation complète : {evaluation_s:.0f} s.\n\n"
        "### Débit (décodage compris, 2 cœurs)\n\n"
        + note + "\n\n"
        + markdown_table(["Chemin", "Images/s", "Objectif", "Atteint", "Rapport à MegaDetector (1 image/s)"], rows)
        + f"\n\nCharge moyenne de la machine : {load_before:.1f} avant, {load_after:.1f} après (machine partagée : "
        "les débits absolus en sont minorés ; le rapport entre les deux chemins reste comparable)."
    )
    print(body)
    if not args.no_report:
        write_section("biodiversite_filter", "Biodiversité : tri des images vides (qualité et débit)", body)


if __name__ == "__main__":
    main()
