"""Mounted photographs with a French caption, generated to measure the OCR (no labelled set of heritage
photographs with their captions' text exists in the shared data).

A real photograph is enlarged and pasted on a card mount; a caption in the manner of a
catalogue label (« Église Saint-Étienne, façade occidentale. Caen (Calvados). Cliché J. Martin,
vers 1905. ») is printed under it in a DejaVu font (sans, serif or monospace: typewriter), then the
whole print is degraded like a scan: slight rotation, a tinted mount, blur, grain, JPEG compression.
The text is drawn by a program: a measured error rate is a lower bound for handwritten labels,
faded inks or inscriptions carved in stone, which are not measured here.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

MONUMENTS = ("Église Saint-Étienne", "Cathédrale Notre-Dame", "Abbaye de Jumièges", "Château de Falaise",
             "Chapelle Saint-Hubert", "Basilique Saint-Rémi", "Prieuré de Saint-Côme", "Hôtel-Dieu",
             "Collégiale Notre-Dame", "Église Sainte-Thérèse", "Cloître de Moissac", "Palais épiscopal")
PARTS = ("façade occidentale", "portail sud, tympan", "chœur et déambulatoire", "clocher, étage des cloches",
         "nef, vue vers l'est", "voûtes de la croisée", "gargouille de l'angle nord-est", "vitrail de la Vierge",
         "chapiteau historié", "abside, élévation extérieure", "arcs-boutants du chevet", "coupole, intérieur")
PLACES = ("Caen (Calvados)", "Reims (Marne)", "Amiens (Somme)", "Périgueux (Dordogne)", "Évreux (Eure)",
          "Sées (Orne)", "Bourges (Cher)", "Moissac (Tarn-et-Garonne)", "Angoulême (Charente)",
          "Laon (Aisne)", "Vézelay (Yonne)", "Nîmes (Gard)")
AUTHORS = ("J. Martin", "É. Lefèvre", "A. Mieusement", "Séeberger frères", "L. Durand", "M. Thérond",
           "F. Gaudin", "H. Bérard")
DATES = ("vers 1905", "1898", "juillet 1912", "1923-1925", "avant 1914", "12 août 1931", "vers 1880", "1947")
FONTS = ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf", "DejaVuSans-Bold.ttf")
MOUNTS = ((236, 228, 208), (245, 242, 235), (214, 205, 186), (228, 222, 214))
INKS = ((30, 26, 22), (60, 48, 40), (20, 20, 40))


def font_path(name: str) -> str:
    """A DejaVu font: Debian's, else matplotlib's copy (a dependency of amorce)."""
    for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
        if (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    return str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name)


def caption_text(rng: random.Random) -> str:
    """A French catalogue caption on two or three lines."""
    first = f"{rng.choice(MONUMENTS)}, {rng.choice(PARTS)}."
    second = f"{rng.choice(PLACES)}. Cliché {rng.choice(AUTHORS)}, {rng.choice(DATES)}."
    if rng.random() < 0.4:
        return f"{first}\n{second}\nN° {rng.randrange(100, 99999)} — Monuments historiques"
    return f"{first}\n{second}"


def mounted(photo, caption: str, *, rng: random.Random, font: str | None = None, size: int | None = None,
            degrade: bool = True):
    """The photo pasted on a mount with ``caption`` printed under it (a PIL RGB image)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width = 900
    picture = photo.convert("RGB").resize((width - 120, round((width - 120) * photo.height / photo.width)))
    typeface = ImageFont.truetype(font_path(font or rng.choice(FONTS)), size or rng.randrange(20, 30))
    lines = caption.split("\n")
    line_height = round(typeface.size * 1.45)
    height = 60 + picture.height + 40 + line_height * len(lines) + 50
    mount = Image.new("RGB", (width, height), rng.choice(MOUNTS))
    mount.paste(picture, (60, 60))
    draw = ImageDraw.Draw(mount)
    ink = rng.choice(INKS)
    for i, line in enumerate(lines):
        draw.text((60, 60 + picture.height + 40 + i * line_height), line, font=typeface, fill=ink)
    if not degrade:
        return mount
    mount = mount.rotate(rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, expand=True, fillcolor=(200, 196, 188))
    mount = mount.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    import numpy as np

    array = np.asarray(mount, dtype=np.float32)
    array += np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(3, 8), array.shape)
    mount = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    mount.save(buffer, "JPEG", quality=rng.randrange(60, 85))
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")
