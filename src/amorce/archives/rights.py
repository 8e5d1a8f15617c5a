"""Image rights: faces and people found in a photograph, flagged for a cataloguer's review.

Detectors shipped with ``opencv-python-headless`` 4.x, nothing downloaded:

* faces: Haar cascades, frontal and profile both ways (:func:`amorce.core.vision.detect_faces`,
  shared with the camera traps), smallest face ``FACE_MIN_SIZE`` of the shorter side, kept when
  ``FACE_MIN_NEIGHBORS`` overlapping windows agree;
* people: OpenCV's HOG + linear SVM pedestrian detector (Dalal & Triggs), standing people of at
  least ``PERSON_MIN_HEIGHT`` of the image height, kept above ``PERSON_MIN_SCORE``.

The result is a **suggestion** for the ``DIFF`` field (conditions of diffusion), never a decision:
statues, gargoyles, paintings and carved heads raise faces too, and a crowd seen from afar raises
nothing. Nothing is published or changed until a cataloguer confirms a status (web page, audited).
"""

from __future__ import annotations

FACE_MIN_SIZE = 0.06
FACE_MIN_NEIGHBORS = 8  # 5 (OpenCV's default) flags half the heritage photos; 8: a third fewer, same LFW recall
PERSON_MIN_HEIGHT = 0.3
PERSON_MIN_SCORE = 1.0  # 10 of the 400 heritage photos above it, 55 above 0.5 (benchmarks/archives_ocr.py)
MAX_SIDE = 1280
HOG_SIDE = 640  # people are searched at this size at most (HOG is slow on large images)

FLAG_NONE, FLAG_FACE, FLAG_PERSON = "aucun", "visage", "personne"
FLAGS = {FLAG_NONE: "Aucun visage ni personne détecté", FLAG_FACE: "Visage détecté",
         FLAG_PERSON: "Personne détectée"}

#: DIFF values offered to the cataloguer (the suggestion is one of the first three).
SUGGESTIONS = {
    FLAG_NONE: "libre de droits à l'image : aucun visage détecté",
    FLAG_FACE: "à vérifier : visage détecté",
    FLAG_PERSON: "à vérifier : personne détectée",
}
DIFF_CHOICES = (
    "libre de droits à l'image : aucun visage détecté",
    "à vérifier : visage détecté",
    "à vérifier : personne détectée",
    "diffusable : autorisation des personnes obtenue",
    "diffusable : personnes non identifiables",
    "non diffusable : droit à l'image",
)


def detect_people(image, *, min_height: float = PERSON_MIN_HEIGHT, min_score: float = PERSON_MIN_SCORE,
                  max_side: int = HOG_SIDE) -> list[dict]:
    """Standing people in an RGB ``uint8`` array: ``[{"box": [x, y, w, h], "score"}]`` (normalised)."""
    import cv2
    import numpy as np

    from amorce.core.vision.boxes import nms

    height, width = image.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    grey = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    if scale < 1:
        grey = cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    gh, gw = grey.shape
    if gh < 128 or gw < 64:  # smaller than the detector's window
        return []
    hog = cv2.HOGDescriptor()
    hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
    rects, weights = hog.detectMultiScale(grey, winStride=(8, 8), padding=(8, 8), scale=1.05)
    found = [(x / gw, y / gh, w / gw, h / gh, float(s)) for (x, y, w, h), s in zip(rects, np.ravel(weights),
                                                                                  strict=False)
             if h / gh >= min_height and float(s) >= min_score]
    if not found:
        return []
    boxes = np.array([f[:4] for f in found], dtype=np.float64)
    scores = np.array([f[4] for f in found], dtype=np.float64)
    return [{"box": [round(float(v), 4) for v in boxes[i]], "score": round(float(scores[i]), 3)}
            for i in nms(boxes, scores, 0.3)]


def analyse_image(image, *, face_min_size: float = FACE_MIN_SIZE) -> dict:
    """Faces and people of an RGB ``uint8`` array, the flag and the suggested ``DIFF`` value::

        {"flag": "visage", "suggestion": "à vérifier : visage détecté",
         "faces": [{"box": [x, y, w, h], "score": …}], "people": [...]}
    """
    import numpy as np

    from amorce.core.vision import detect_faces

    array = np.asarray(image, dtype=np.uint8)
    faces = [{"box": [round(b.x, 4), round(b.y, 4), round(b.w, 4), round(b.h, 4)], "score": round(b.score, 3)}
             for b in detect_faces(array, min_size=face_min_size, min_neighbors=FACE_MIN_NEIGHBORS, max_side=MAX_SIDE)]
    people = detect_people(array)
    flag = FLAG_FACE if faces else FLAG_PERSON if people else FLAG_NONE
    return {"flag": flag, "suggestion": SUGGESTIONS[flag], "faces": faces, "people": people}


def rights_collection(store, *, engine: str | None = None, progress=None, retry_errors: bool = False):
    """Detect faces and people on every readable photo of an indexed collection not analysed yet."""
    from .analyses import run_analysis

    return run_analysis(store, "rights", analyse_image, max_side=MAX_SIDE, engine=engine, progress=progress,
                        message="Recherche des visages et des personnes", retry_errors=retry_errors)
