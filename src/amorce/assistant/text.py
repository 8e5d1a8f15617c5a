"""French text analysis for lexical retrieval.

Pipeline: Unicode normalisation → lowercase → elision removal (l', d', qu'…) → accent folding →
tokens of letters/digits → French stopwords → light French stemming (built-in suffix stripper;
Snowball French through PyStemmer on request, ``AMORCE_ASSISTANT_STEMMER=snowball``). Queries can additionally be expanded with a small
lexicon of everyday words (« proprio », « la CAF », « le chômage »…) and typos can be corrected
against the index vocabulary.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.I)
_TOKEN = re.compile(r"[a-z0-9]+")

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

# Everyday words → wording used by service-public.fr. Applied to queries only. Keys and values are
# plain French; they are folded like any text. Written from common usage, not from test questions.
LEXICON: dict[str, str] = {
    "proprio": "proprietaire bailleur",
    "proprietaire": "bailleur",
    "bailleur": "proprietaire",
    "locataire": "location bail",
    "appart": "appartement logement",
    "appartement": "logement",
    "maison": "logement",
    "coloc": "colocation colocataire",
    "caution": "depot garantie",
    "caf": "caisse allocations familiales prestations",
    "apl": "aide logement",
    "als": "aide logement",
    "alf": "aide logement",
    "alloc": "allocation",
    "allocs": "allocations",
    "chomage": "allocations chomage demandeur emploi pole",
    "chomeur": "chomage demandeur emploi",
    "pole": "emploi",
    "boulot": "travail emploi salarie",
    "taf": "travail emploi",
    "job": "travail emploi",
    "bosser": "travailler",
    "bosse": "travaille",
    "patron": "employeur",
    "boss": "employeur",
    "boite": "entreprise employeur",
    "vire": "licencie licenciement",
    "virer": "licencier licenciement",
    "viree": "licenciee licenciement",
    "bagnole": "voiture vehicule",
    "voiture": "vehicule",
    "flashe": "radar infraction vehicule amende",
    "flasher": "radar infraction vehicule amende",
    "pv": "amende contravention",
    "prune": "amende contravention",
    "flic": "police",
    "flics": "police",
    "secu": "securite sociale assurance maladie",
    "mutuelle": "complementaire sante",
    "impots": "impot fiscal",
    "impot": "fiscal",
    "gosse": "enfant",
    "gosses": "enfants",
    "gamin": "enfant",
    "gamins": "enfants",
    "mome": "enfant",
    "fils": "enfant",
    "fille": "enfant",
    "ado": "adolescent mineur",
    "bebe": "naissance enfant",
    "ex": "ancien conjoint separation divorce",
    "copain": "concubin",
    "copine": "concubin",
    "mari": "epoux",
    "femme": "epouse",
    "thune": "argent",
    "fric": "argent",
    "smic": "salaire minimum",
    "sdf": "sans domicile",
    "cni": "carte nationale identite",
    "papiers": "identite carte passeport",
    "hlm": "logement social",
    "vacances": "conges",
    "rtt": "reduction temps travail",
    "sup": "supplementaires",
    "malade": "maladie arret",
    "clope": "tabac cigarette",
    "clopes": "tabac cigarettes",
    "demenager": "demenagement",
    "demenage": "demenagement",
    "heritage": "succession heritier",
    "heriter": "succession heritier",
    "vole": "vol",
    "fauche": "vol",
    "gratte": "argent",
    "telephone": "portable",
    "portable": "telephone",
    "bus": "transports commun",
    "metro": "transports commun",
    "train": "transports",
    "elec": "electricite",
    "edf": "electricite fournisseur",
    "retraite": "pension",
    "enceinte": "grossesse maternite",
    "mourir": "deces",
    "mort": "deces",
    "morte": "deces",
    "decede": "deces",
    "decedee": "deces",
    "toubib": "medecin",
    "hosto": "hopital",
    "pacser": "pacs",
    "pacse": "pacs",
    "ecole": "scolaire eleve",
    "college": "eleve",
    "lycee": "eleve",
    "fac": "universite etudiant",
    "bourse": "etudiant",
    "dispo": "disponible",
    "rembourser": "remboursement",
    "galere": "difficultes",
    "galerer": "difficultes",
    "combien de temps": "delai",
    "en bois": "sans provision",
    "a la rue": "expulsion logement",
    "au noir": "travail dissimule",
    "arret de travail": "arret maladie",
    "mettre dehors": "expulsion",
    "fin de droits": "allocations chomage",
    "heures sup": "heures supplementaires",
    "insulte": "outrage injure",
    "insulter": "outrage injure",
    "homo": "homophobie orientation sexuelle",
    "gay": "homophobie orientation sexuelle",
    "trompe": "erreur inexactitude",
    "tromper": "erreur inexactitude",
    "loto": "jeux argent",
    "parier": "jeux argent paris",
    "pdf": "electronique numerique",
    "scan": "electronique numerique",
    "annuler": "revenir",
    "regrette": "revenir",
    "visiter": "visite",
    "prouver": "justifier attestation",
    "contester": "reclamation recours",
    "a temps": "retard",
    "en retard": "retard",
    "maison de vacances": "residence secondaire",
}


def fold(text: str) -> str:
    """Lowercase, remove elisions and accents (« L'État » → « etat »)."""
    text = unicodedata.normalize("NFKC", text).replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    text = _ELISION.sub(" ", text.lower())
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens (stopwords kept)."""
    return _TOKEN.findall(fold(text))


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


STEMMER = os.environ.get("AMORCE_ASSISTANT_STEMMER", "light")


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


_PHRASES = {fold(k): v for k, v in LEXICON.items() if " " in k}


def expand_query(text: str) -> str:
    """Append the formal wording of everyday words and phrases found in ``text`` (query side only)."""
    extra = [LEXICON[w] for w in words(text) if w in LEXICON]
    folded = " " + " ".join(words(text)) + " "
    extra += [v for k, v in _PHRASES.items() if f" {k} " in folded]
    return text if not extra else text + " " + " ".join(extra)


def content_words(text: str) -> list[str]:
    """Folded non-stopword tokens, in order, without duplicates."""
    seen: dict[str, None] = {}
    for t in words(text):
        if t not in STOPWORDS and len(t) > 1:
            seen.setdefault(t, None)
    return list(seen)


class TypoCorrector:
    """Map unknown query words to the closest known word of the corpus (edit distance ≤ 2)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = sorted({w for w in vocabulary if len(w) >= 4 and not w.isdigit()})
        self._known = set(self.vocabulary)
        self._by_initial: dict[str, list[str]] = {}
        for w in self.vocabulary:
            self._by_initial.setdefault(w[0], []).append(w)

    def correct(self, word: str) -> str | None:
        if len(word) < 5 or word in self._known or word.isdigit() or word in LEXICON:
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
