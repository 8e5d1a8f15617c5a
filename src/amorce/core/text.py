"""French text helpers shared by the use cases: folding, label normalisation, country and place lists.

Two foldings, each with one meaning:

* :func:`fold` for matching words: lowercase, ``œ``/``æ`` spelt out, elisions (« l' », « qu' »…)
  dropped, accents removed (« L'Œuvre de l'État » → «  oeuvre de  etat »); :func:`words` gives its
  tokens of letters and digits;
* :func:`fold_chars` for matching inside a text whose offsets must stay valid: one output character
  per input character (lowercase, accents removed, ``’`` → ``'``), so a match in the folded text is a
  match at the same place in the original.

:func:`normalise_label` compares labels typed by people (column names, categories): accents, case
and punctuation ignored, spaces collapsed.

The lists of foreign countries, regions and cities (``data/pays_etrangers.txt``) and of foreign
demonyms (``data/gentiles_etrangers.txt``) are read once: :data:`FOREIGN_PLACES`,
:data:`FOREIGN_DEMONYMS` (folded word groups) and :data:`COUNTRIES` (short country names folded with
:func:`fold_chars`, hyphens kept, for single-word checks).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.I)
_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase, remove elisions and accents (« L'État » → « etat »)."""
    text = unicodedata.normalize("NFKC", text).replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    text = _ELISION.sub(" ", text.lower())
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits, stopwords kept)."""
    return _TOKEN.findall(fold(text))


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


_FOLD_CHARS = {i: _fold_char(chr(i)) for i in range(0x41, 0x250) if _fold_char(chr(i)) != chr(i)}
_FOLD_CHARS.update({ord("’"): "'", ord("Œ"): "œ"})


def fold_chars(text: str) -> str:
    """Lowercase and strip accents, keeping one output character per input character (Latin scripts;
    other characters are left as they are)."""
    return text.translate(_FOLD_CHARS)


def normalise_label(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse spaces (« Conforme avec remarques » and
    « conforme-avec  REMARQUES » compare equal)."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


def padded(text: str) -> str:
    """``text``'s folded words, space-separated, with a space at each end (whole-word search)."""
    return " " + " ".join(words(text)) + " "


def mentions(text: str, phrases: Iterable[str]) -> list[str]:
    """The folded ``phrases`` found in ``text`` as whole words (a plural ``s`` allowed)."""
    return found_in(padded(text), phrases)


def found_in(padded_text: str, phrases: Iterable[str]) -> list[str]:
    """The ``phrases`` found in an already :func:`padded` text as whole words (a plural ``s`` allowed)."""
    return [p for p in phrases if f" {p} " in padded_text or f" {p}s " in padded_text]


# ------------------------------------------------------------------------------ place lists
DATA = Path(__file__).with_name("data")
FOREIGN_PLACES_PATH = DATA / "pays_etrangers.txt"
FOREIGN_DEMONYMS_PATH = DATA / "gentiles_etrangers.txt"


def read_name_sections(path: Path) -> list[tuple[str, list[str]]]:
    """Sections of a list of names: ``(title, names)`` for each ``# --- title`` line (names before the
    first one go under the title ``""``); one name per line, other ``#`` lines are comments."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("# ---"):
            sections.append((stripped[5:].strip(), []))
        elif stripped and not stripped.startswith("#"):
            sections[-1][1].append(stripped)
    return [(title, names) for title, names in sections if names]


def load_names(path: Path) -> tuple[str, ...]:
    """Every name of a list (see :func:`read_name_sections`), folded to words, without duplicates."""
    return tuple(dict.fromkeys(" ".join(words(name)) for _, names in read_name_sections(path) for name in names))


def load_countries(path: Path = FOREIGN_PLACES_PATH) -> frozenset[str]:
    """The short country names of the list's ``Pays`` section, folded with :func:`fold_chars`."""
    return frozenset(fold_chars(name) for title, names in read_name_sections(path) if title.startswith("Pays")
                     for name in names)


FOREIGN_PLACES: tuple[str, ...] = load_names(FOREIGN_PLACES_PATH)
# « suisse » is a country too: demonyms that are also places are places.
FOREIGN_DEMONYMS: tuple[str, ...] = tuple(d for d in load_names(FOREIGN_DEMONYMS_PATH) if d not in FOREIGN_PLACES)
COUNTRIES: frozenset[str] = load_countries()
