"""French text analysis for lexical retrieval.

Pipeline: Unicode normalisation → lowercase → elision removal (l', d', qu'…) → accent folding →
tokens of letters/digits → French stopwords → light French stemming (built-in suffix stripper;
Snowball French through PyStemmer on request, ``AMORCE_ASSISTANT_STEMMER=snowball``). Folding and
the lists of foreign places are :mod:`amorce.core.text`'s. Queries can
additionally be expanded with the lexicon of everyday words of ``data/lexique_familier.tsv``
(« proprio », « la CAF », « le chômage »…) and typos can be corrected against the index vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from amorce.core.config import env_str
from amorce.core.text import FOREIGN_DEMONYMS, FOREIGN_PLACES, fold, found_in, mentions, padded, words

__all__ = ["ABROAD_MARKERS", "FOREIGN_DEMONYMS", "FOREIGN_PLACES", "FRANCE", "LEXICON", "STOPWORDS", "TypoCorrector",
           "analyze", "content_words", "expand_query", "fold", "foreign_places", "load_lexicon", "mentions",
           "stemmer", "word_alternatives", "words"]

# Snowball French stopwords (as shipped by bm25s) folded, plus question and filler words that carry
# no topic in a citizen's question.
_BASE_STOPWORDS = (
    "ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons "
    "auront aux avaient avais avait avec avez aviez avions avons ayant c ce ces d dans de des du elle "
    "en es est et eu eue eues eus eut eux il ils j je l la le les leur lui m ma mais me mes moi mon "
    "meme n ne nos notre nous on ont ou par pas pour qu que qui s sa se sera serai seraient serais "
    "serait seras serez seriez serions serons seront ses soient sois soit sommes son sont soyez soyons "
    "suis sur t ta te tes toi ton tu un une vos votre vous y a etaient etais etait etant ete etes "
    "etre cette cet celui celle ceux celles quel quelle quels quelles quoi comment combien pourquoi "
    "quand dois doit doivent peut peux peuvent pouvoir faut faire fait fais sont il elle est-ce "
    "ca cela ceci alors donc si tout tous toute toutes tres plus moins bien aussi encore deja "
    "bonjour merci svp stp madame monsieur voudrais veux voudrait aimerais savoir question ya"
)
STOPWORDS: frozenset[str] = frozenset(_BASE_STOPWORDS.split())

LEXICON_PATH = Path(__file__).with_name("data") / "lexique_familier.tsv"


def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, str]:
    """Everyday words → wording used by service-public.fr (query side only), read from a TSV file:
    ``expression<TAB>expansion`` per line, ``#`` comments. Keys are folded like any text."""
    lexicon: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"{path}, ligne {number} : attendu « expression<TAB>mots ajoutés », lu « {line} ».")
        key = " ".join(words(parts[0]))
        lexicon[key] = " ".join(words(parts[1]))
    return lexicon


# Words of a document's title, summary or theme path telling that it deals with other countries.
ABROAD_MARKERS = ("etranger", "etrangere", "etrangers", "etrangeres", "expatrie", "expatriee", "expatries",
                  "expatriation", "international", "internationale", "internationaux", "europe", "europeen",
                  "europeenne", "europeens", "pays", "frontalier", "frontaliere", "frontaliers", "visa",
                  "nationalite", "nationalites", "sejour", "immigration", "hors de france")
# A question naming France asks about the French side (« je suis belge et je me suis fait flasher en
# France »); a document naming it deals with France as opposed to elsewhere (« Aspa : faut-il résider
# en France ? »).
FRANCE = ("france", "francais", "francaise", "francaises")
# A demonym counts as another country's rules only when it qualifies a law, a code, a State…
# (« la loi sud-coréenne », « le code du travail ivoirien »), within three words.
_RULES_OF = r"(?:loi|lois|code|droit|etat|autorites|gouvernement|administration|regime|systeme|legislation|justice|tribunaux|impots|fisc)"


class _LightStemmer:
    """Light French stemmer: drops a plural ``s``/``x``, then one common suffix (infinitive ``-er``,
    feminine ``-e``/``-ee``, ``-ement``, ``-ation``…), so that « loyers » and « loyer », « visiter » and
    « visite » meet."""

    _SUFFIXES = ("issements", "issement", "ements", "ement", "ations", "ation", "atrices", "atrice",
                 "ateurs", "ateur", "ences", "ence", "ances", "ance", "ites", "ite", "ives", "ive",
                 "euses", "euse", "ments", "ment", "ions", "ion", "eaux", "aux", "er", "ee", "es", "e")

    def stemWords(self, tokens: Iterable[str]) -> list[str]:  # noqa: N802 - PyStemmer's API
        out = []
        for token in tokens:
            if len(token) > 4 and token[-1] in "sx":
                token = token[:-1]
            for suffix in self._SUFFIXES:
                if len(token) - len(suffix) >= 3 and token.endswith(suffix):
                    token = token[: -len(suffix)]
                    break
            out.append(token)
        return out


STEMMER = env_str("AMORCE_ASSISTANT_STEMMER", "light")


@lru_cache(maxsize=2)
def stemmer(name: str | None = None):
    """``light`` (default, built in) or ``snowball`` (PyStemmer). Snowball French is aggressive for
    this corpus (« loyer » → « loi », like the law) and measured worse on our dev questions."""
    if (name or STEMMER) == "snowball":
        try:
            import Stemmer  # PyStemmer (Snowball, C)

            return Stemmer.Stemmer("french")
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("AMORCE_ASSISTANT_STEMMER=snowball nécessite le paquet PyStemmer.") from exc
    return _LightStemmer()


def analyze(text: str, stemmer_name: str | None = None) -> list[str]:
    """Tokens for the BM25 index: folded, stopwords removed, stemmed."""
    toks = [t for t in words(text) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
    return stemmer(stemmer_name).stemWords(toks)


LEXICON: dict[str, str] = load_lexicon()
_PHRASES = {k: v for k, v in LEXICON.items() if " " in k}
# One pass for every demonym: the longest first, so that « sud africaine » wins over « africaine ».
_FOREIGN_LAW = re.compile(rf" {_RULES_OF}(?: [a-z0-9]+){{0,3}}? "
                          rf"({'|'.join(sorted(map(re.escape, FOREIGN_DEMONYMS), key=len, reverse=True))})s?(?= )")
# Words of foreign places and demonyms (and their plurals), kept as typed by the typo corrector.
_PLACE_WORDS = frozenset(w + plural for name in FOREIGN_PLACES + FOREIGN_DEMONYMS for w in name.split()
                         for plural in ("", "s"))


def foreign_places(text: str) -> list[str]:
    """The foreign places ``text`` names, and the foreign demonyms qualifying a law or a State in it."""
    text = padded(text)
    return found_in(text, FOREIGN_PLACES) + list(dict.fromkeys(m.group(1) for m in _FOREIGN_LAW.finditer(text)))


def expand_query(text: str) -> str:
    """Append the formal wording of everyday words and phrases found in ``text`` (query side only)."""
    extra = [LEXICON[w] for w in words(text) if w in LEXICON]
    folded = padded(text)
    extra += [v for k, v in _PHRASES.items() if f" {k} " in folded]
    return text if not extra else text + " " + " ".join(extra)


def word_alternatives(text: str) -> dict[str, str]:
    """Each folded word of ``text`` that the lexicon knows (alone or in a phrase) → its formal wording."""
    found = {w: LEXICON[w] for w in words(text) if w in LEXICON}
    folded = padded(text)
    for key, value in _PHRASES.items():
        if f" {key} " in folded:
            for w in key.split():
                found[w] = (found.get(w, "") + " " + value).strip()
    return found


def content_words(text: str) -> list[str]:
    """Folded non-stopword tokens, in order, without duplicates."""
    seen: dict[str, None] = {}
    for t in words(text):
        if t not in STOPWORDS and len(t) > 1:
            seen.setdefault(t, None)
    return list(seen)


class TypoCorrector:
    """Map unknown query words to the closest known word of the corpus (edit distance ≤ 2).

    Words of foreign place names and demonyms are left as typed: « Montréal » or « maltaise » are not
    misspelt « montre » or « malaise », and ``elsewhere`` must still see them."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = sorted({w for w in vocabulary if len(w) >= 4 and not w.isdigit()})
        self._known = set(self.vocabulary)
        self._by_initial: dict[str, list[str]] = {}
        for w in self.vocabulary:
            self._by_initial.setdefault(w[0], []).append(w)

    def correct(self, word: str) -> str | None:
        if len(word) < 5 or word in self._known or word.isdigit() or word in LEXICON or word in _PLACE_WORDS:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        limit = 1 if len(word) < 7 else 2
        candidates = self._by_initial.get(word[0], [])
        best = process.extractOne(word, candidates, scorer=Levenshtein.distance, score_cutoff=limit)
        if best is None:  # first letter typo: search everything, stricter
            best = process.extractOne(word, self.vocabulary, scorer=Levenshtein.distance, score_cutoff=1)
        return best[0] if best else None

    def fix(self, text: str) -> str:
        """``text`` with each misspelt word replaced by its correction (other words untouched)."""

        def repl(match: re.Match) -> str:
            folded = fold(match.group(0))
            return self.correct(folded) or match.group(0) if folded.isalpha() else match.group(0)

        return re.sub(r"\w+", repl, text)
