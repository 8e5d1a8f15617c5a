"""The archives settings, read and validated in one place (documented in docs/archives.md).

Only the optional text-image backbone (an open-clip model exported to ONNX, configured by path):

* ``AMORCE_ARCHIVES_CLIP_IMAGE``: the image encoder (input ``(n, 3, S, S)`` RGB, output ``(n, d)``);
* ``AMORCE_ARCHIVES_CLIP_TEXT``: the text encoder (input ``(n, L)`` token ids, output ``(n, d)``);
* ``AMORCE_ARCHIVES_CLIP_TOKENIZER``: open-clip's BPE merges file (``bpe_simple_vocab_16e6.txt.gz``
  or the same format, plain or gzipped);
* ``AMORCE_ARCHIVES_CLIP_SIZE``: the image side ``S`` (default 224);
* ``AMORCE_ARCHIVES_CLIP_NAME``: the model's name as shown to people (default: the image file name).

The three paths go together: all or none. Values come from the environment (like
``AMORCE_ARCHIVES_IIIF_HOSTS``), read at each use. Every problem is reported at once, in French
(:class:`ArchivesConfigError`). Pure: no Django import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from amorce.core.config import env_str

from .errors import ArchivesError

PATHS = ("AMORCE_ARCHIVES_CLIP_IMAGE", "AMORCE_ARCHIVES_CLIP_TEXT", "AMORCE_ARCHIVES_CLIP_TOKENIZER")
DEFAULT_SIZE = 224


class ArchivesConfigError(ArchivesError):
    """One or more archives settings are invalid (the message lists them all)."""

    exit_code = 2


@dataclass(frozen=True)
class Backbone:
    """A configured text-image model (open-clip exported to ONNX)."""

    image: Path
    text: Path
    tokenizer: Path
    size: int = DEFAULT_SIZE
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.image.name


@dataclass(frozen=True)
class ArchivesConfig:
    backbone: Backbone | None = None


Lookup = Callable[[str], object]


def read(lookup: Lookup) -> tuple[ArchivesConfig, list[str]]:
    """The configuration from ``lookup(name)``, with the list of problems (French)."""
    problems: list[str] = []
    raw = {name: str(lookup(name) or "").strip() for name in (*PATHS, "AMORCE_ARCHIVES_CLIP_SIZE",
                                                              "AMORCE_ARCHIVES_CLIP_NAME")}
    given = [name for name in PATHS if raw[name]]
    if not given:
        return ArchivesConfig(), problems
    missing = [name for name in PATHS if not raw[name]]
    if missing:
        problems.append("Modèle texte-image incomplet : " + ", ".join(given) + " défini(s) mais "
                        + ", ".join(missing) + " manquant(s) (il faut les trois chemins, ou aucun).")
    for name in given:
        if not Path(raw[name]).is_file():
            problems.append(f"{name} : fichier introuvable « {raw[name]} ».")
    size = DEFAULT_SIZE
    if raw["AMORCE_ARCHIVES_CLIP_SIZE"]:
        text = raw["AMORCE_ARCHIVES_CLIP_SIZE"]
        if text.isdigit() and 16 <= int(text) <= 1024:
            size = int(text)
        else:
            problems.append(f"AMORCE_ARCHIVES_CLIP_SIZE : « {text} » invalide, attendu un nombre entier de "
                            "pixels entre 16 et 1024 (par exemple 224).")
    if problems:
        return ArchivesConfig(), problems
    return ArchivesConfig(Backbone(image=Path(raw[PATHS[0]]), text=Path(raw[PATHS[1]]),
                                   tokenizer=Path(raw[PATHS[2]]), size=size,
                                   name=raw["AMORCE_ARCHIVES_CLIP_NAME"][:200])), problems


def problems(environ: dict | None = None) -> list[str]:
    """Every problem of the settings in the environment (French), for the Django system check."""
    return read(lambda name: env_str(name, "", environ))[1]


def from_environ(environ: dict | None = None) -> ArchivesConfig:
    """The configuration from the environment (``os.environ`` by default); every problem at once."""
    config, problems = read(lambda name: env_str(name, "", environ))
    if not problems:
        return config
    raise ArchivesConfigError("Configuration des fonds photographiques invalide : " + " ".join(problems),
                              problems=problems)


get = from_environ  # the web layer, the jobs and the command line read the same environment
