"""Archives: text in images (OCR character error rate) and faces / people flagged for the rights review.

OCR. No labelled set of heritage photographs with the text of their captions exists in
../shared/data (its SOURCE.md files list none), so the set is generated
(:mod:`amorce.archives.captions`): each of ``--captions`` real photos of
heritage_architecture_elements is enlarged and pasted on a card mount with a French catalogue caption
of 2–3 lines printed under it (DejaVu Sans, Serif, Mono or Sans Bold, 20–29 px, dark ink on a tinted
mount), then degraded like a scan (rotation ≤ 1.5°, blur, grain, JPEG quality 60–85). Character
error rate (Levenshtein distance / reference length, spaces collapsed) of amorce's settings
(greyscale, enlargement, Otsu, automatic page segmentation) against Tesseract on the raw image and
against the sparse-text mode, in the same run.

Rights. False flags of the face (Haar frontal + profile) and person (HOG) detectors on the 400 heritage
photos (buildings, altars, gargoyles: no people expected; 64 px photos enlarged to 512 px, so the
figures are only indicative), and recall on scikit-image's bundled LFW subset (100 faces, 100
non-faces, 25 px crops, placed on a 200-px grey canvas), plus scikit-image's astronaut photo.

    PYTHONPATH=src python benchmarks/archives_ocr.py [--captions 40]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import SHARED_DATA, markdown_table, write_section  # noqa: E402


def fr(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def measure_ocr(files: list[Path], count: int) -> tuple[str, dict]:
    from PIL import Image

    from amorce.archives.captions import caption_text, mounted
    from amorce.archives.ocr import character_error_rate, ocr_image

    rng = random.Random(20261204)
    chosen = rng.sample(files, count)
    settings = {"amorce (gris, agrandissement, Otsu, segmentation automatique)": dict(preprocessing=True, psm=3),
                "Tesseract sur l'image brute (segmentation automatique)": dict(preprocessing=False, psm=3),
                "amorce, mode texte épars (--psm 11)": dict(preprocessing=True, psm=11)}
    errors = {name: [] for name in settings}
    by_font: dict[str, list[float]] = {}
    seconds = {name: 0.0 for name in settings}
    exact = {name: 0 for name in settings}
    for path in chosen:
        caption = caption_text(rng)
        font = rng.choice(("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf", "DejaVuSans-Bold.ttf"))
        image = mounted(Image.open(path), caption, rng=rng, font=font)
        for name, options in settings.items():
            start = time.perf_counter()
            text = ocr_image(image, **options)["text"]
            seconds[name] += time.perf_counter() - start
            cer = character_error_rate(caption, text)
            errors[name].append(cer)
            exact[name] += cer == 0
            if options == dict(preprocessing=True, psm=3):
                by_font.setdefault(font.removesuffix(".ttf"), []).append(cer)
    rows = [[name, fr(100 * sum(v) / len(v)), fr(100 * sorted(v)[len(v) // 2]), fr(100 * max(v)),
             f"{exact[name]} / {len(v)}", fr(seconds[name] / len(v), 1)] for name, v in errors.items()]
    table = markdown_table(["Réglage", "Erreur moyenne (% caractères)", "Médiane (%)", "Pire image (%)",
                            "Légendes sans erreur", "s / image"], rows)
    fonts = ", ".join(f"{name} {fr(100 * sum(v) / len(v))} % ({len(v)})" for name, v in sorted(by_font.items()))
    first = next(iter(errors))
    return table + f"\n\nErreur moyenne d'amorce par police : {fonts}.", {
        "cer": sum(errors[first]) / len(errors[first])}


def measure_rights(files: list[Path]) -> str:
    import numpy as np
    from PIL import Image
    from skimage import data

    from amorce.archives.rights import analyse_image
    from amorce.core.vision import load_image

    per_class: dict[str, list[int]] = {}
    start = time.perf_counter()
    for path in files:
        array = np.asarray(Image.fromarray(load_image(path)).resize((512, 512), Image.BICUBIC))
        found = analyse_image(array)
        counts = per_class.setdefault(path.parent.name, [0, 0, 0])
        counts[0] += 1
        counts[1] += bool(found["faces"])
        counts[2] += bool(found["people"])
    heritage_seconds = (time.perf_counter() - start) / len(files)
    lfw = data.lfw_subset()
    hits = []
    for crop in lfw:
        canvas = np.full((200, 200), 128, dtype=np.uint8)
        face = np.asarray(Image.fromarray((crop * 255).astype(np.uint8)).resize((100, 100), Image.BICUBIC))
        canvas[50:150, 50:150] = face
        hits.append(bool(analyse_image(np.stack([canvas] * 3, axis=-1))["faces"]))
    astronaut = analyse_image(data.astronaut())
    rows = [[name, c[0], c[1], c[2]] for name, c in sorted(per_class.items())]
    total = [sum(c[i] for c in per_class.values()) for i in range(3)]
    rows.append(["**total**", total[0], total[1], total[2]])
    return (markdown_table(["Classe (jeu patrimonial, aucune personne attendue)", "Images", "Visage signalé",
                            "Personne signalée"], rows)
            + f"\n\nFaux signalements sur les photographies patrimoniales : {total[1]} visage(s) et {total[2]} "
              f"personne(s) sur {total[0]} images ({fr(100 * (total[1] + total[2]) / total[0], 1)} % au plus "
              f"d'images signalées à tort), {fr(heritage_seconds, 2)} s / image à 512 px. Sous-ensemble LFW de "
              f"scikit-image : {sum(hits[:100])} visages trouvés sur 100, {sum(hits[100:])} faux visages sur 100 "
              f"imagettes sans visage. Photo « astronaut » : {len(astronaut['faces'])} visage(s), "
              f"{len(astronaut['people'])} personne(s), valeur proposée « {astronaut['suggestion']} ».")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--captions", type=int, default=40)
    args = parser.parse_args()
    from amorce.archives.ocr import tesseract_status

    reason = tesseract_status()
    if reason:
        sys.exit(reason)
    root = SHARED_DATA / "heritage_architecture_elements" / "images"
    files = sorted(root.rglob("*.jpg"))
    if not files:
        sys.exit(f"Données partagées absentes : {root}")
    load = os.getloadavg()[0]
    ocr_table, ocr = measure_ocr(files, args.captions)
    rights = measure_rights(files)
    body = (
        f"**Texte dans les images.** Jeu **généré** (aucune photographie légendée avec sa transcription dans "
        f"les données partagées) : {args.captions} photographies réelles du jeu patrimonial agrandies et "
        "collées sur un carton de montage, avec une légende française de 2 ou 3 lignes imprimée dessous "
        "(monument, partie, lieu, photographe, date, parfois un numéro ; polices DejaVu Sans, Serif, Mono ou "
        "Sans gras de 20 à 29 px), puis dégradées comme un scan (rotation ≤ 1,5°, flou, grain, JPEG 60–85). "
        "Tesseract 5 (Debian, modèle `fra`) par `pytesseract`. Erreur = distance de Levenshtein / longueur "
        f"de la légende. Charge de la machine au départ : {fr(load, 1)}.\n\n" + ocr_table
        + "\n\nLimites : texte imprimé par programme, en ligne droite, sur un carton uni ; les légendes "
          "manuscrites, les encres pâlies et les inscriptions gravées ne sont pas mesurées ici.\n\n"
          "**Droit à l'image (visages et personnes).** Détecteurs d'OpenCV (cascades de Haar de face et de "
          "profil, plus petit visage 6 % du petit côté, 8 fenêtres voisines concordantes ; HOG de personnes debout, au moins 30 % de la "
          "hauteur, score ≥ 1). Les photographies patrimoniales du jeu font 64 × 64 px, agrandies à "
          "512 px : chiffres indicatifs.\n\n" + rights
        + "\n\nLes vitraux, autels et gargouilles montrent des figures peintes ou sculptées : ce sont les faux "
          "signalements attendus (statues, peintures), d'où une suggestion de valeur DIFF à confirmer par un "
          "documentaliste, jamais une décision.")
    write_section("archives_ocr", "Archives : texte dans les images (OCR) et droit à l'image", body)
    print(body)
    print(f"CER moyen d'amorce : {fr(100 * ocr['cer'])} %")


if __name__ == "__main__":
    main()
