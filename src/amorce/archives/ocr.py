"""Text in images: captions, mounts and inscriptions read with Tesseract (French model from Debian).

Tesseract (``apt-get install tesseract-ocr tesseract-ocr-fra``, done by ``make test``) is called
through ``pytesseract``'s ``image_to_data``: words with their boxes and confidences, grouped here
into lines. Without Tesseract the platform still works: :func:`tesseract_status` says why OCR is
unavailable, in French, and the OCR job and command stop with that message.

Preprocessing (light, for printed captions): greyscale, small images enlarged (text needs some
30 px per line), Otsu binarisation, dark text on a light background.

Confidences are Tesseract's (0–100 per word), given here in [0, 1]: a line's confidence is the mean
of its words', the photo's the mean over all words. A photograph without text often yields a few
"words" read in its textures, with low confidence: only lines of at least ``MIN_LINE_CONFIDENCE``
with a word of three letters or digits or more make up the searchable text; all lines are kept with their
confidence.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

from .errors import ArchivesError

LANG = "fra"
MIN_LINE_CONFIDENCE = 0.5
MIN_SIDE = 1200  # smaller images are enlarged (at most 4×) so that a caption's letters have some 30 px
MAX_SIDE = 2400  # images are read at most this size for OCR
PSM = 3  # automatic page segmentation (11, sparse text, reads more textures as words: benchmarks/archives_ocr.py)


class OcrUnavailable(ArchivesError):
    """Tesseract or its French model is not installed."""

    exit_code = 2


@functools.cache
def tesseract_status(lang: str = LANG) -> str | None:
    """``None`` when OCR works, else why not (French)."""
    try:
        import pytesseract
    except ImportError:
        return "La reconnaissance de texte demande le paquet Python « pytesseract » (pip install pytesseract)."
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return ("La reconnaissance de texte (OCR) n'est pas disponible : Tesseract n'est pas installé "
                "(sudo apt-get install tesseract-ocr tesseract-ocr-fra, ou make test).")
    try:
        languages = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # noqa: BLE001 - a broken install is reported, not raised
        return f"La reconnaissance de texte (OCR) n'est pas disponible : Tesseract ne répond pas ({exc})."
    missing = [code for code in lang.split("+") if code not in languages]
    if missing:
        return (f"La reconnaissance de texte (OCR) n'est pas disponible : le modèle de langue "
                f"« {'+'.join(missing)} » de Tesseract manque (sudo apt-get install tesseract-ocr-fra).")
    return None


def check_available(lang: str = LANG) -> None:
    reason = tesseract_status(lang)
    if reason:
        raise OcrUnavailable(reason, lang=lang)


def preprocess(image):
    """Greyscale, enlarged when small, Otsu-binarised, dark text on light: a PIL image (mode ``L``)."""
    import cv2
    import numpy as np
    from PIL import Image

    array = np.asarray(image)
    grey = cv2.cvtColor(array, cv2.COLOR_RGB2GRAY) if array.ndim == 3 else array
    height, width = grey.shape
    factor = min(4.0, MIN_SIDE / max(1, min(height, width)))
    if factor > 1.05:
        grey = cv2.resize(grey, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_CUBIC)
    _threshold, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if binary.mean() < 127:  # mostly dark: light text on a dark mount, inverted
        binary = 255 - binary
    return Image.fromarray(binary)


def _lines(data: dict, width: int, height: int) -> list[dict]:
    """Words of ``image_to_data`` grouped by (block, paragraph, line), in reading order."""
    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        conf = float(data["conf"][i])
        if conf < 0 or not str(word).strip():
            continue
        groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for indices in groups.values():
        left = min(data["left"][i] for i in indices)
        top = min(data["top"][i] for i in indices)
        right = max(data["left"][i] + data["width"][i] for i in indices)
        bottom = max(data["top"][i] + data["height"][i] for i in indices)
        confidences = [float(data["conf"][i]) / 100 for i in indices]
        lines.append({
            "text": " ".join(str(data["text"][i]).strip() for i in indices),
            "confidence": round(sum(confidences) / len(confidences), 3),
            "box": [round(left / width, 4), round(top / height, 4), round((right - left) / width, 4),
                    round((bottom - top) / height, 4)],
            "words": [{"text": str(data["text"][i]).strip(), "confidence": round(float(data["conf"][i]) / 100, 3),
                       "box": [round(data["left"][i] / width, 4), round(data["top"][i] / height, 4),
                               round(data["width"][i] / width, 4), round(data["height"][i] / height, 4)]}
                      for i in indices],
        })
    lines.sort(key=lambda line: (round(line["box"][1], 2), line["box"][0]))
    return lines


def _readable(line: dict) -> bool:
    return line["confidence"] >= MIN_LINE_CONFIDENCE and any(
        sum(c.isalnum() for c in word["text"]) >= 3 for word in line["words"])


def ocr_image(image, *, lang: str = LANG, preprocessing: bool = True, psm: int = PSM) -> dict:
    """Text of an image (RGB array or PIL image): ``{"text", "confidence", "lines", "lang"}``.

    ``text``: the readable lines joined by new lines; ``confidence``: mean word confidence in
    [0, 1] (``None`` without any word); ``lines``: every line with its text, confidence and box
    (normalised ``x, y, w, h``) and its words.
    """
    import numpy as np
    import pytesseract
    from PIL import Image

    check_available(lang)
    picture = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image, dtype=np.uint8))
    prepared = preprocess(picture.convert("RGB")) if preprocessing else picture.convert("RGB")
    data = pytesseract.image_to_data(prepared, lang=lang, config=f"--psm {psm}",
                                     output_type=pytesseract.Output.DICT)
    lines = _lines(data, prepared.width, prepared.height)
    words = [w["confidence"] for line in lines for w in line["words"]]
    return {"text": "\n".join(line["text"] for line in lines if _readable(line)),
            "confidence": round(sum(words) / len(words), 3) if words else None,
            "lines": lines, "lang": lang}


def ocr_collection(store: str | Path, *, lang: str = LANG, engine: str | None = None, progress=None,
                   retry_errors: bool = False):
    """OCR every readable photo of an indexed collection not read yet (resumable); an
    :class:`~amorce.archives.analyses.AnalysisSummary`."""
    from .analyses import run_analysis

    check_available(lang)
    return run_analysis(store, "ocr", ocr_image, max_side=MAX_SIDE, options={"lang": lang}, engine=engine,
                        progress=progress, message="Lecture du texte des images", retry_errors=retry_errors)


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance between the two texts (spaces collapsed) divided by the reference's length."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))
