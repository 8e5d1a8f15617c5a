"""The species classifier and the park's species list of a season's analysis (Django allowed, no HTTP).

A classifier is a model card (JSON) with its arrays, as ``amorce biodiversite entrainer`` writes
them (``modele.json`` + ``modele.npz``). The models the analysis may use are kept on the server,
one folder each under ``<data>/biodiversite/modeles/`` (an administrator may put a configured
ONNX card there too); a card sent from the season form is checked, then stored there for the next
seasons. A card sent from the form must be a park classifier on the embedded feature extractor:
it may name no file of the server (no ONNX path). The species list is read by
:func:`amorce.biodiversite.classifier.read_species_list` (every problem at once, with its line).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from amorce.core.errors import AmorceError, DataValidationError
from amorce.core.files import atomic_write, save_upload

from .errors import BiodiversiteError
from .models import data_dir

CARD = "modele.json"
ARRAYS = "modele.npz"
MAX_CARD_BYTES = 1024 * 1024  # a card is a few kilobytes; its arrays are in the .npz


def models_dir() -> Path:
    return data_dir() / "modeles"


def stored_classifiers() -> list[tuple[str, str]]:
    """(folder name, description) of the classifiers stored on the server, newest first."""
    root = models_dir()
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
        card = folder / CARD
        if folder.name.startswith(".") or not card.is_file():
            continue
        try:
            data = json.loads(card.read_text(encoding="utf-8"))
            classes = data.get("classes")
            count = len(classes) if isinstance(classes, list) else classes
            what = f"{data.get('kind', '?')}, {data.get('method') or data.get('name') or ''}, {count} espèce(s)"
            accuracy = (data.get("cross_validation") or {}).get("accuracy")
            if isinstance(accuracy, int | float):  # trained on a season's reviews: its cross-validated accuracy
                what += f", exactitude en validation croisée {accuracy * 100:.0f} %"
        except (OSError, ValueError, TypeError):
            what = "fiche illisible"
        found.append((folder.name, f"{folder.name} ({what})"))
    return found


def stored_card(name: str) -> Path:
    """The card of a stored classifier, by its folder name (never outside the models folder)."""
    if name not in {n for n, _ in stored_classifiers()}:
        raise BiodiversiteError(f"Classifieur inconnu sur le serveur : « {name} ».")
    return models_dir() / name / CARD


def store_classifier(card_upload, arrays_upload) -> str:
    """Check an uploaded card and its arrays, store them as a new classifier; its folder name.

    Refused, with a French message: a card that is not JSON, not a park classifier (``"kind":
    "site"``), on another extractor than the embedded one, or whose arrays do not match it."""
    from .classifier import load_classifier

    if card_upload.size > MAX_CARD_BYTES:
        raise BiodiversiteError(f"« {card_upload.name} » : une fiche de modèle fait quelques kilo-octets (1 Mo au plus).")
    try:
        card = json.loads(card_upload.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BiodiversiteError(f"« {card_upload.name} » n'est pas une fiche de modèle JSON lisible ({exc}).") from None
    if not isinstance(card, dict) or card.get("kind") != "site":
        raise BiodiversiteError(f"« {card_upload.name} » : seule la fiche d'un classifieur du parc (« kind » : "
                                "« site », écrite par « amorce biodiversite entrainer ») peut être envoyée ; un "
                                "modèle ONNX se configure sur le serveur.")
    if card.get("backbone") != "embedded":
        raise BiodiversiteError(f"« {card_upload.name} » : extracteur « {card.get('backbone')} » refusé ; un modèle "
                                "envoyé doit utiliser l'extracteur intégré (embedded).")
    card["arrays"] = ARRAYS
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(card_upload.name).stem).strip("-")[:40] or "modele"
    digest = hashlib.sha256(json.dumps(card, sort_keys=True).encode()).hexdigest()[:8]

    def fill(folder: Path) -> None:
        save_upload(arrays_upload, folder / ARRAYS)
        with atomic_write(folder / CARD) as handle:
            json.dump(card, handle, ensure_ascii=False, indent=2)
        try:
            load_classifier(folder / CARD)
        except AmorceError as exc:  # the package's errors and the shared classifier's (FewShotError)
            raise BiodiversiteError(f"« {arrays_upload.name} » ne correspond pas à la fiche "
                                    f"« {card_upload.name} » : {exc.message}") from None

    return publish_model(f"{stem}-{digest}", fill, prefix=".envoi-").name


def publish_model(name: str, fill, *, prefix: str) -> Path:
    """Write a classifier's folder apart (``fill(folder)``, which may refuse by raising) and rename it
    into the server's models folder as ``name``: whole, or not at all; a folder already there under
    that name (the same model) is kept. Returns its path."""
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    with tempfile.TemporaryDirectory(dir=root, prefix=prefix) as tmp:
        fill(Path(tmp))
        if not target.exists():
            Path(tmp).rename(target)
            Path(tmp).mkdir()  # for the temporary directory's clean-up
    return target


def species_lists_dir() -> Path:
    return data_dir() / "listes_especes"


def check_species_list(upload) -> Path:
    """Store an uploaded species list once every line is valid (named by its content); its path.
    Problems name the file as the user sent it, with their line."""
    from .classifier import read_species_list

    folder = species_lists_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".envoi-") as tmp:
        path = Path(tmp) / "liste_especes.csv"
        save_upload(upload, path)
        try:
            read_species_list(path)
        except DataValidationError as exc:
            problems = [replace(p, file=upload.name) for p in exc.problems]
            raise DataValidationError(problems, title=f"Liste d'espèces « {upload.name} » invalide") from None
        except AmorceError as exc:
            raise BiodiversiteError(exc.message.replace(str(path), f"« {upload.name} »")) from None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        target = folder / f"liste-{digest}.csv"
        shutil.move(path, target)
    return target
