"""Rule-based detectors: identifiers (the shared recognizers of :mod:`amorce.core.pii`, checked with
python-stdnum), dates of civil status, addresses, localities, cadastral parcels.

Each detector yields :class:`~amorce.decisions.schema.Entity` candidates with a ``score`` (1 −
doubt) and a ``source`` naming the rule. Offsets are into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from itertools import chain

from amorce.core import pii
from amorce.core.text import (  # a country is no address line
    COUNTRIES,
    FOREIGN_DEMONYMS,
    FOREIGN_PLACES_PATH,
    read_name_sections,
    words,
)

from .schema import Entity, fold_chars

# country names of several words too (« République tchèque », « Corée du Sud »), for a country in brackets
COUNTRY_NAMES = COUNTRIES | frozenset(
    " ".join(words(name)) for title, names in read_name_sections(FOREIGN_PLACES_PATH)
    if not title.startswith("Grandes villes") for name in names
)


DEMONYMS = frozenset(d for d in FOREIGN_DEMONYMS if " " not in d) | {"francais", "francaise"}


def _is_country(name: str) -> bool:
    return fold_chars(name) in COUNTRIES or " ".join(words(name)) in COUNTRY_NAMES

# Letters of names: Latin-1 and the Latin Extended-A/B letters of names written in other European
# and Turkish alphabets (« Demirtaş », « Yılmaz », « Wiśniewska », « Łódź », « Dragoș »).
# Latin letters beyond Latin-1: Extended-A and B, and Extended Additional (Vietnamese « Đỗ », « Nguyễn »)
_EXTENDED = [chr(c) for c in (*range(0x100, 0x250), *range(0x1E00, 0x1F00)) if chr(c).isalpha()]
UP = "A-ZÀ-ÖØ-Þ" + "".join(c for c in _EXTENDED if c.isupper())
LO = "a-zß-öø-ÿ" + "".join(c for c in _EXTENDED if c.islower() and not c.isupper())
WORD = rf"[{UP}][{UP}{LO}'’]*"
SP = r"[ \t\u00a0]"

MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)
# a month of Portuguese, Spanish or Italian, in a civil date copied from a foreign record (« né le 3 de março
# de 1971 », « née le 4 settembre 1959 »): only after a day in figures, « de » between or not
FOREIGN_MONTHS = (
    "janeiro|fevereiro|março|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|"
    "enero|febrero|marzo|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
)
# The day of a written date, in figures or in words (« 1er », « premier », « vingt-trois », « trente et un »)
UNITS = "deux|trois|quatre|cinq|six|sept|huit|neuf"
DAY = (
    rf"(?:1er|\d{{1,2}}|premier|vingt(?:(?:-|{SP}+)et(?:-|{SP}+)un|-(?:{UNITS}))?|trente(?:(?:-|{SP}+)et(?:-|{SP}+)un)?|"
    rf"dix-(?:sept|huit|neuf)|{UNITS}|dix|onze|douze|treize|quatorze|quinze|seize)"
)
# A date whose masked part follows Label: day and month for a written date (the year stays),
# the whole token for a numeric one.
DATE = (
    rf"(?P<date>(?:(?P<dm>(?<![\w-])(?:{DAY}{SP}+(?:{MONTHS})|\d{{1,2}}{SP}+(?:de{SP}+)?(?:{FOREIGN_MONTHS})\b))(?:{SP}+\d{{4}})?)"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}(?!\d))"  # (ISO: « 1974-05-18 »)
)


def _ent(m: re.Match, group: int | str, category: str, score: float, source: str) -> Entity:
    start, end = m.span(group)
    return Entity(start, end, category, m.string[start:end], score=score, source=source)


def _word_start(text: str, pos: int, joiners: str = "") -> bool:
    """No letter, digit nor hyphen (nor one of ``joiners``) before ``pos``: a rule whose regex opens on a
    literal word (fast to scan for) checks here the boundary it does not write."""
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "-_" or text[pos - 1] in joiners)


def _date_entity(m: re.Match, category: str, score: float, source: str) -> Entity:
    group = "dm" if m.group("dm") else "date"
    return _ent(m, group, category, score, source)


# Speed. A pattern that opens with « \b », a lookbehind or a case-insensitive word gets no quick scan from
# Python's regex engine, which then runs it at every position of the text. Yet most matches open on a
# literal word (« demeurant », « notaire », « rue »): ``TextStarts.finditer`` reads those literal starts off
# the pattern itself (so that a rule edited later stays exact), finds them in the lower-cased text (a
# quick scan) and tries the pattern there only (``finditer_at``): exactly the matches of
# ``pattern.finditer(text)``, in the same leftmost, non-overlapping order (lookbehinds still see the text
# before a position). A pattern with no literal start keeps its plain ``finditer``; ADDRESS and
# POSTCODE_CITY, which may open on a number, list their possible starts themselves.
# ``str.lower`` maps each character to one, as ``re.I`` does, but for these three (checked over all of
# Unicode for the letters of ``_FOLD_SAFE``).
_FOLD_FIXES = str.maketrans({"ſ": "s", "ı": "i", "İ": "i"})


@lru_cache(maxsize=4)  # (the rule families of one text share it)
def folded_for_search(text: str) -> str:
    """``text`` lower-cased character for character: a word that ``re.I`` finds at a position is there."""
    folded = text.lower()
    if "ſ" in text or "ı" in text or "İ" in text:  # (rare: translating is slow)
        folded = text.translate(_FOLD_FIXES).lower()
    return folded


def finditer_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` when ``starts`` (increasing) holds every position where a match may
    start; ``pattern`` matches no empty string."""
    pos = 0
    for start in starts:
        if start >= pos and (m := pattern.match(text, start)):
            yield m
            pos = m.end()


# Letters whose every ``re.I`` equivalent is lower-cased by ``folded_for_search`` to the letter's own
# lower case (checked over all of Unicode): the literal starts of a pattern are read up to another character.
_FOLD_SAFE = frozenset(
    "".join(chr(c) for c in range(0x20, 0x7F)) + "éèêàâîôûçëïüœÉÈÊÀÂÎÔÛÇËÏÜŒ°’«»"
)


def _literal_starts(items: list, acc: str = "") -> set[str] | None:
    """The literal texts (folded, at most 12 characters) every match of the parsed ``items`` begins with,
    one per way through its alternatives; None when a way begins with no literal."""
    from re import _constants as c  # (the parse tree's codes)

    for i, (op, av) in enumerate(items):
        rest = items[i + 1 :]
        if len(acc) >= 12:
            break
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero width: « \b », a lookbehind or lookahead
            continue
        if op is c.LITERAL and chr(av) in _FOLD_SAFE:
            acc += chr(av).lower()
            continue
        if op is c.IN and len(av) <= 4 and all(o is c.LITERAL and chr(v) in _FOLD_SAFE for o, v in av):
            ways = [_literal_starts(rest, acc + chr(v).lower()) for _, v in av]
        elif op is c.SUBPATTERN:
            ways = [_literal_starts(list(av[3]) + rest, acc)]
        elif op is c.BRANCH:
            ways = [_literal_starts(list(branch) + rest, acc) for branch in av[1]]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[:2] == (0, 1):  # optional: with it or without
            ways = [_literal_starts(list(av[2]) + rest, acc), _literal_starts(rest, acc)]
        else:
            break
        if any(way is None for way in ways):
            return None
        return set().union(*ways)
    return {acc} if acc else None


@cache
def _anchor(pattern: re.Pattern) -> tuple[str, ...] | None:
    """The literal starts of ``pattern``'s matches, to find in the folded text, or None when some match
    has none; a start that begins with another is left out (it is found where the shorter one is)."""
    try:  # (the parse tree is CPython's own, not a public interface: without it, a plain ``finditer``)
        from re import _parser

        tree = _parser.parse(pattern.pattern, pattern.flags)
        starts = _literal_starts(list(tree)) if tree.getwidth()[0] > 0 else None
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    if not starts or len(starts) > 200 or any(len(s) == 1 and s.isascii() for s in starts):
        return None  # (a start of one common character, « a », « , », would be tried almost everywhere)
    return tuple(sorted(s for s in starts if not any(s != t and s.startswith(t) for t in starts)))


class TextStarts:
    """The literal starts of the rules' patterns found in one text, each looked for once: the rules
    read over a text share one (built by the pipeline, or by a rule family called alone), so that a
    start common to many patterns (« le », « du », « maison ») is scanned for once, not once per
    pattern."""

    __slots__ = ("text", "folded", "_found")

    def __init__(self, text: str, folded: str | None = None):
        self.text = text
        self.folded = folded_for_search(text) if folded is None else folded
        self._found: dict[str, list[int]] = {}

    def positions(self, start: str) -> list[int]:
        """Every position of ``start`` in the folded text, overlapping ones too (« rue » in
        « ruelle »), increasing."""
        found = self._found.get(start)
        if found is None:
            found = self._found[start] = []
            folded = self.folded
            at = folded.find(start)
            while at >= 0:
                found.append(at)
                at = folded.find(start, at + 1)
        return found

    def finditer(self, pattern: re.Pattern) -> Iterator[re.Match]:
        """``pattern.finditer(text)``, trying ``pattern`` only where one of its literal starts is; a
        plain ``finditer`` for a pattern without literal starts."""
        anchor = _anchor(pattern)
        if anchor is None:
            return pattern.finditer(self.text)
        if len(anchor) == 1:
            return finditer_at(pattern, self.text, self.positions(anchor[0]))
        return finditer_at(pattern, self.text, sorted(set().union(*map(self.positions, anchor))))


def word_starts(text: str, folded: str, words: tuple[str, ...], not_after: str) -> list[int]:
    """Positions where one of ``words`` is in ``folded`` (``text`` lower-cased, for lower-case ``words``; ``text``
    itself for a case-sensitive search) at the start of a word, that is not after a letter, a digit, « _ »
    (``\\w``) or a character of ``not_after``; increasing (the literal starts of a pattern, for ``finditer_at``)."""
    starts = set()
    for word in words:
        start = folded.find(word)
        while start >= 0:
            if not start or not (text[start - 1].isalnum() or text[start - 1] in not_after):
                starts.add(start)
            start = folded.find(word, start + 1)
    return sorted(starts)


# ------------------------------------------------------------------------------ identifiers
# Each recognizer rule of amorce.core.pii → (Label category, score, source).
IDENTIFIER_RULES: dict[str, tuple[str, float, str]] = {
    "email": ("email", 0.99, "rule:email"),
    "iban": ("compteBancaire", 0.99, "rule:iban"),
    "iban_bad_key": ("compteBancaire", 0.7, "rule:iban-bad-key"),  # masked, shown to the reviewer as doubtful
    "nir": ("numeroIdentifiant", 0.99, "rule:nir"),
    "nir_bad_key": ("numeroIdentifiant", 0.7, "rule:nir-bad-key"),
    "nir_without_key": ("numeroIdentifiant", 0.9, "rule:nir-without-key"),
    "phone": ("telephoneFax", 0.95, "rule:phone"),
    "siren_siret": ("numeroSiretSiren", 0.98, "rule:siren-siret"),
    "plate": ("plaqueImmatriculation", 0.95, "rule:plate"),
    "plate_fni": ("plaqueImmatriculation", 0.9, "rule:plate-fni"),
    "url": ("siteWebSensible", 0.6, "rule:website"),
}
IDENTIFIER_RECOGNIZERS = (pii.email, pii.iban, pii.nir, pii.phone, pii.siren_siret, pii.plate, pii.private_url)


# A SIREN/SIRET right after its own name (« SIRET 812 447 905 00027 », « RCS de Lyon sous le numéro
# 793 551 208 », « immatriculée sous le numéro … ») identifies a company even when its key is wrong
# (a typing error, or an invented number): masked, with more doubt than a checked one.
COMPANY_NUMBER = re.compile(
    rf"\b(?:SIRE[NT]|(?i:siren|siret)|(?:RCS|R\.C\.S\.|BCE|(?i:immatricul[ée]+e?s?|registre{SP}+du{SP}+commerce|"
    rf"banque-carrefour{SP}+des{SP}+entreprises|num[ée]ro{SP}+d['’]entreprise))"
    rf"[^\n\d]{{0,50}}?(?i:num[ée]ro|n°))(?:{SP}*(?:n°|:|num[ée]ro))?{SP}*"
    # a number said to be wrong between (« un numéro SIRET inexistant, 412 … »)
    rf"(?:(?i:inexistante?|invalide|erron[ée]e?|faux|fausse|fictive?|usurp[ée]e?){SP}*,?{SP}*)?"
    rf"(?P<number>(?<!\d)(?:\d{{3}}[ .\u00a0]?\d{{3}}[ .\u00a0]?\d{{3}}(?:[ .\u00a0]?\d{{5}})?"
    rf"|[01]\d{{3}}[.\u00a0 ]\d{{3}}[.\u00a0 ]\d{{3}}))(?![\d])"  # a Belgian company number: 0712.483.905
)
# A SIRET in its own layout, three digits three times then five (« la société X (823 417 956 00028) »), even
# without its name or with a wrong key: no other number is written so
SIRET_LAYOUT = re.compile(r"(?<![\w.,])\d{3}[ \u00a0]\d{3}[ \u00a0]\d{3}[ \u00a0]\d{5}(?![\w])")
# A personal document or benefit number after its own name (« passeport n° 19CM04417 », « numéro
# d'allocataire 4417728 », « allocataire de la CAF sous le numéro 0917245 », « titre de voyage n° … »,
# « RPPS n° … »).
# letters and digits, at least five digits, a series of letters before (« RC 0938271 ») or one letter
# after, a space or a hyphen apart (« 4417728 B », « 52819374-K », a Spanish identity number's check letter)
DOCUMENT_NUMBER_SHAPE = (
    rf"(?P<number>(?:[A-Z]{{1,3}}{SP}(?=\d))?(?=[A-Z0-9]*\d{{5}})[A-Z0-9]{{5,15}}(?:(?:{SP}|-)[A-Z](?![\w'’-]))?)(?![\w-])"
)
DOCUMENT_NUMBER = re.compile(
    rf"\b(?:(?i:passeport|(?:carte|document|pi[èe]ce){SP}+(?:nationale?{SP}+)?d['’]identit[ée]|titre{SP}+de{SP}+s[ée]jour|autorisation{SP}+(?:provisoire{SP}+)?de{SP}+s[ée]jour|permis{SP}+de{SP}+conduire|"
    rf"allocataire|carte{SP}+de{SP}+r[ée]sident|(?:titre|document){SP}+de{SP}+voyage)[^\n.;]{{0,60}}?(?i:n°|num[ée]ro)"
    # a health professional's number (« RPPS n° … », « numéro ADELI : … »)
    rf"|\b(?:RPPS|ADELI){SP}*(?:(?i:n°|num[ée]ro))?|(?i:num[ée]ro|n°){SP}+(?:RPPS|ADELI)"
    rf"|(?i:num[ée]ro|n°){SP}+(?i:d['’]allocataire|de{SP}+passeport|de{SP}+titre{SP}+de{SP}+s[ée]jour)){SP}*:?{SP}*"
    rf"{DOCUMENT_NUMBER_SHAPE}"
)
# the next numbers of an enumeration (« passeports n° AA0412233 et AA0412234 »)
NEXT_DOCUMENT_NUMBER = re.compile(rf"{SP}*(?:,|et){SP}*(?:n°{SP}*)?{DOCUMENT_NUMBER_SHAPE}")
# A phone number with a foreign or overseas calling code (« +90 532 418 77 06 », « +689 40 48 62 15 »,
# « +351 912 406 318 »): « + », a code of one to three digits, then eight to twelve digits in groups.
# (its area code in brackets: « +1 (514) 555-0172 »)
# (its code in brackets: « (+223) 76 48 21 09 »; a German mobile's seven last figures in one group: « +49 1522 3907416 »)
FOREIGN_CODE_BEFORE = re.compile(r"\+(?!33\b)[1-9]\d{0,2}[ .\u00a0]?$")
FOREIGN_PHONE = re.compile(
    r"(?<![\w+])(?:\+(?!33\b)[1-9]\d{0,2}|\(\+(?!33\))[1-9]\d{0,2}\))(?:[ .\-\u00a0](?:\(\d{1,4}\)|\d{1,7})){2,6}(?![\d/])")
# A pair of decimal GPS coordinates after their cue (« coordonnées relevées par la balise : 48.6291, 2.4397 »,
# « position GPS 43.29514, 5.37458 »): a latitude and a longitude with four decimals at least, an address.
GPS_PAIR = re.compile(
    r"(?<![\w.,])(?P<gps>-?(?P<lat>\d{1,2})\.\d{4,}[ \u00a0]*[,;/][ \u00a0]*-?(?P<lon>\d{1,3})\.\d{4,})(?![\w]|\.\d)")
GPS_CUE_WORDS = (r"coordonn[ée]es|gps|latitude|g[ée]olocalis|balise|position|"
                 r"(?:au|du)[ \u00a0]point(?![ \u00a0]de[ \u00a0](?:vue|d[ée]part))")
# A latitude and a longitude in degrees and minutes (seconds or decimal minutes), each with its cardinal
# point (« 41°20'12" N – 9°15'37" E », « 48°02,4' N, 004°52,7' W »): an address, with no cue.
DEGREE = r"\d{1,3}[ \u00a0]?°[ \u00a0]?\d{1,2}(?:[,.]\d{1,3})?[ \u00a0]?['’′](?:[ \u00a0]?\d{1,2}(?:[,.]\d{1,3})?[ \u00a0]?(?:\"|''|″|”))?"
GPS_DEGREES = re.compile(
    rf"(?<![\w°])(?P<gps>{DEGREE}[ \u00a0]?[NS][ \u00a0]*(?:[–—,/-][ \u00a0]*|et[ \u00a0]+)?{DEGREE}[ \u00a0]?[EOW])(?![\w])"
)
GPS_CUE = re.compile(rf"(?i:{GPS_CUE_WORDS})[^\n]{{0,60}}$")
GPS_CUE_WORD = re.compile(GPS_CUE_WORDS)  # in the lower-cased text
# A crypto-currency wallet (bech32 « bc1q… », Ethereum « 0x » and forty hex digits) anywhere, and a
# base58 address (« 1… », « 3… », « T… ») after « portefeuille », « wallet », « adresse »: a bank account.
CRYPTO_WALLET = re.compile(r"(?<![\w/])(?:(?:bc|tb|ltc)1[02-9ac-hj-np-z]{25,87}|0x[0-9a-fA-F]{40})(?![\w/])")
WALLET_BASE58 = re.compile(
    r"(?i:portefeuilles?|wallets?|adresses?)(?:[ \u00a0]+(?:(?i:bitcoin|crypto\w*|num[ée]rique|[ée]lectronique|n°|"
    r"de|du|d['’]|la|le|en|USDT|BTC|ETH|TRON|TRC-?20)))*[ \u00a0:]+(?P<wallet>[13TLDM][1-9A-HJ-NP-Za-km-z]{25,40})(?![\w/])")
# A messaging handle in quotes after the account's noun and its service (« le compte Telegram « @vif_argent »,
# « le salon Sky ECC « loup44_nuit » », « le pseudonyme « KAISER77 » », « la messagerie Signal « @x_y » », « le canal
# Telegram « z_33 » »): a sensitive web identifier, when it
# holds a digit, an underscore or an « @ » (no common word in quotes).
QUOTED_HANDLE = re.compile(
    rf"\b(?i:comptes?|pseudo(?:nyme)?s?|salons?|alias|profils?|messageries?|canal|canaux|cha[îi]nes?|boucles?|groupes?)(?:{SP}+[A-Z][\w-]*(?:{SP}+[A-Z]{{2,}})?)?{SP}*[:,]?{SP}*"
    # (or words joined by dots: « elise.martin.off »)
    rf"(?:«{SP}*(?P<handle>@?(?=[\w.\-]*[A-Za-z])(?=[\w.\-]*[\d_]|@|\w+\.\w+\.\w)[\w.\-]{{3,32}}){SP}*»"
    # (or bare after an « @ », with a digit or an underscore: « au compte @roi_du_fric_77 »)
    rf"|(?P<bare>@(?=[\w.\-]*[A-Za-z])(?=[\w.\-]*[\d_])[\w.\-]{{2,31}}\w)(?![\w@]))"
)
# A plate of any country right after the word « plaque » (« sous la plaque QLT3B47 », « plaque n° B-AB 1234 »):
# letters and digits, at least one of each.
PLATE_ANY_FORMAT = re.compile(
    rf"\b(?i:plaques?)(?:{SP}+(?:(?i:d['’]immatriculation|min[ée]ralogique)|[a-zéèç]{{3,}}))?(?:{SP}*(?:n°|:))?{SP}*"
    rf"(?P<plate>(?=[A-Z0-9 \-]*\d)(?=[0-9 \-]*[A-Z])[A-Z0-9]{{1,4}}(?:[ \-]?[A-Z0-9]{{1,4}}){{1,3}})(?![\w-])"
)
# A plate of the current French format (« FV-308-KZ ») after any vehicle's noun in its sentence (« la
# camionnette FV-308-KZ de l'entreprise », « un fourgon blanc, FV-308-KZ »), not only « véhicule ».
# an old-format plate (« 6215 SX 73 ») a few words after a vehicle (« tractée par un fourgon 6215 SX 73 »)
PLATE_FNI_SHAPE = re.compile(rf"(?<![\w-])\d{{1,4}}{SP}?[A-Z]{{1,3}}{SP}?(?:\d{{2}}|2[AB]|97\d)(?![\w-])")
PLATE_SIV_SHAPE = re.compile(rf"(?<![\w-]){pii.SIV_SHAPE}(?![\w-])")
VEHICLE_BEFORE = re.compile(
    rf"\b(?i:v[ée]hicules?|voitures?|camionnettes?|fourgon(?:nette)?s?|camions?|motos?|scooters?|utilitaires?|automobiles?|"
    rf"berlines?|remorques?|tracteurs?|quads?|cyclomoteurs?|taxis?|autocars?|minibus|citadines?|4x4|SUV|"
    rf"poids{SP}+lourds?|deux-roues|engins?)\b[^.;\n]{{0,60}}$"
)
# An old-format plate (« 6215 SX 73 ») right after the word « plaque » (« une ancienne plaque … », « plaque
# d'immatriculation n° … »), as after « immatriculé ».
PLATE_AFTER_CUE = re.compile(
    rf"\b(?i:plaques?)(?:{SP}+(?i:d['’]immatriculation|min[ée]ralogique|fran[çc]aise))?(?:{SP}*(?:n°|:))?{SP}*"
    rf"(?P<plate>\d{{1,4}}{SP}?[A-Z]{{1,3}}{SP}?(?:\d{{2}}|2[AB]|97\d))\b"
)
# An overseas phone number of eight digits in pairs (Polynesia, New Caledonia: « 87 71 24 06 ») right
# after a phone cue (« joignable au », « téléphone : », « tél. »)
PHONE_CUE = (
    rf"\b(?i:joignable{SP}+(?:au|sur{SP}+le)|t[ée]l[ée]phone(?:{SP}+(?:portable|mobile|fixe))?(?:{SP}*:|{SP}+(?:au|n°))?|"
    rf"t[ée]l\.?{SP}*:?|portable{SP}*:|mobile{SP}*:){SP}*"
)
PHONE_PAIRS_AFTER_CUE = re.compile(
    rf"{PHONE_CUE}(?P<phone>(?<![\d+])\d{{2}}(?:[ .\u00a0]\d{{2}}){{2,3}})(?![\d]|[ .\u00a0]\d)"
)
# A national number in groups other than pairs after the same cues (« tél. 07700 900 123 », « joignable au 0151
# 2234 5678 »): a leading 0, ten or eleven figures in two to four groups of two to five.
PHONE_GROUPS_AFTER_CUE = re.compile(
    rf"{PHONE_CUE}(?P<phone>(?<![\d+])0\d{{1,4}}(?:[ .\u00a0]\d{{2,5}}){{1,3}})(?![\d]|[ .\u00a0]\d)"
)
# (six digits in pairs too: New Caledonia, Wallis-et-Futuna « 46 27 18 »). Digits in pairs next to an e-mail
# address in a contact line (« 98800 Nouméa, 27 41 86, jean.x@mail.nc »), with no phone cue: a phone number.
PAIRS = r"\d{2}(?:[ .\u00a0]\d{2}){2,4}"
PHONE_BEFORE_EMAIL = re.compile(rf"(?<![\d+.,/])(?P<phone>{PAIRS}){SP}*[,;/]{SP}*$")
PHONE_AFTER_EMAIL = re.compile(rf"{SP}*[,;/]{SP}*(?P<phone>{PAIRS})(?![\d/.,]\d|\d)")
# An old-format or overseas plate (« 6215 SX 73 », « 8104 TR 974 », New Caledonia « 271449 NC » or
# « 305 118 NC ») a few words after « immatriculé(e) », « immatriculation » or « plaque » in the same
# sentence (« l'ancienne immatriculation … », « sa fiche d'immatriculation mentionne un précédent
# numéro, … »).
PLATE_IN_SENTENCE = re.compile(
    rf"\b(?i:immatricul[ée]+e?s?|immatriculations?|plaques?)\b(?P<between>[^.;\n\d]{{0,80}}?)"
    rf"(?P<plate>(?<![\w-])(?:\d{{2,4}}{SP}[A-Z]{{2,3}}{SP}(?:\d{{2}}|2[AB]|97\d)|\d{{3}}[.{SP}]?\d{{3}}{SP}NC)(?![\w-]))"
)
# A plate of any country right after « immatriculé(e) », its country between them or not (« une Passat
# immatriculée en Belgique 1-KTR-482 », « un camion immatriculé 8417 LJM (Espagne) », « le pick-up
# immatriculé 218 457 P », « le thonier immatriculé AD 924187 »): groups of letters and digits, both kinds
# in it, short (a company number after « immatriculée » has no letter, « RCS » is no plate).
# The country's second word has small letters (« en Pologne LZ 7K316 »: « LZ » is the plate's), and a
# vehicle noun may stand between (« il a immatriculé son véhicule VD 482 317 »).
VEHICLE_NOUNS = (
    rf"v[ée]hicules?|voitures?|camionnettes?|fourgon(?:nette)?s?|camions?|motos?|scooters?|utilitaires?|"
    rf"automobiles?|berlines?|(?:semi-)?remorques?|tracteurs?(?:{SP}+routiers?)?|quads?|cyclomoteurs?|"
    rf"autocars?|minibus|citadines?|poids{SP}+lourds?|camping-cars?"
)
# a plate of any country: groups of capitals and figures, no register's acronym (a German district's umlaut
# too: « LÖ-AB 123 »)
PLATE_TOKEN = r"(?P<plate>(?!(?:RCS|RM|SIRE[NT]|TVA|BCE)\b)[A-ZÄÖÜ0-9]{1,7}(?:[ \-][A-Z0-9]{1,7}){0,2})(?![\w-])"
PLATE_AFTER_REGISTERED = re.compile(
    rf"immatricul[ée]+e?s?(?:{SP}+(?:en|au|aux){SP}+{WORD}(?:[ -][{UP}][{LO}][{UP}{LO}'’]*)?(?P<comma>{SP}*,)?)?"
    rf"(?:{SP}+(?:son|sa|ses|leur|le|la|les|un|une){SP}+(?i:{VEHICLE_NOUNS}))?(?:{SP}*(?:n°|:))?{SP}*"
    # (the plates in brackets after the country, a list: « immatriculés en Ukraine (AC 4817 BT, AC 0932 KE) »)
    rf"(?P<bracket>\({SP}*)?"
    rf"{PLATE_TOKEN}"
)
# A Moroccan plate: figures, an Arabic letter, the prefecture's figures (« 31845-ب-6 », « 2207 | د | 33 »)
MOROCCAN_PLATE = re.compile(rf"(?<![\w-])\d{{1,6}}{SP}?[-|/]{SP}?[\u0621-\u064a]{SP}?[-|/]{SP}?\d{{1,2}}(?![\w-])")
# the next plates of a list, in brackets or after the country (« (AC 4817 BT, AC 0932 KE et BX 1204 HA) »)
PLURAL_REGISTERED = re.compile(rf"immatricul[ée]+e?s{SP}")
NEXT_PLATE_OF_LIST = re.compile(rf"{SP}*(?:,|et){SP}*{PLATE_TOKEN}")
# A plate of any country right after a vehicle's noun (« la confiscation du fourgon LZ 7K316 », « sa
# semi-remorque SV 31 KBR »): groups of capitals and digits, both kinds in it (checked as after
# « immatriculé »); a road (« RN 171 ») or a maker and model (« BMW 320 ») is no plate.
PLATE_AFTER_VEHICLE_NOUN = re.compile(
    # (its nationality between: « un camion polonais WGM 41K7 », « une fourgonnette allemande HD-XR 902 »)
    rf"(?i:{VEHICLE_NOUNS}){SP}+(?:(?P<demonym>[a-zéèêëïîôç][a-zéèêëïîôç-]{{3,}}){SP}+)?(?:(?:n°|:){SP}*)?"
    rf"(?P<plate>(?!(?:RN|RD|CD|RCS|SIRE[NT]|TVA|BMW|KTM|MAN|DAF|VW|MG|DS|BYD|GMC|AMG|RAM|GT|GTI|TDI|HDI|CV)\b)"
    rf"[A-Z0-9]{{1,7}}(?:[ \-][A-Z0-9]{{1,7}}){{0,2}})(?![\w-])"
)

# A plate of another country after « plaque » and its nationality, a few words between (« la plaque espagnole
# d'une berline grise, identifiée comme 8312 KRT », « une plaque belge relevée : 1-ABC-234 »): checked as after a
# vehicle's noun (a known demonym, a foreign shape)
PLATE_AFTER_FOREIGN_PLATE = re.compile(
    rf"\b(?i:plaques?){SP}+(?P<demonym>[a-zéèêëïîôç][a-zéèêëïîôç-]{{3,}})(?:{SP}*,?{SP}+[^\W\d][\w'’-]*){{0,6}}?{SP}*[:,]?{SP}+"
    rf"{PLATE_TOKEN}"
)

# An account number shaped like an IBAN (country code, two check digits, groups of four) whose national
# check fails or that belongs to a country the validator does not know: a mistyped or invented IBAN still
# identifies its holder (the shortest national formats too: « NO12 3456 7890 123 », 15 characters). Masked
# with more doubt than a checked one.
IBAN_SHAPE = re.compile(r"(?<![\w-])(?P<iban>[A-Z]{2}\d{2}(?:[ \u00a0]?[0-9A-Z]{4}){2,7}(?:[ \u00a0]?[0-9A-Z]{1,3})?)(?![\w-])")
# (« à la Banque de l'Habitat du Sénégal, sous la référence SN86 S010 … »: a bank or a reference)
IBAN_CUE = re.compile(r"(?i:iban|compte|rib|num[ée]ro|n°|vir[ée]|vers[ée]|banc|banque|bank|r[ée]f[ée]rence)[^\n]{0,60}$")
# An account or card number with no country code, in groups of four figures (a Chinese account « 6217 0032 8800
# 1946 273 », a card « 6259 0411 7302 5586 »): sixteen to nineteen figures, after a bank's cue (IBAN_CUE, or
# « carte ») in the sixty characters before it.
# (a card's number shown with its middle groups hidden too: « 4973 •••• •••• 0187 », « 5132 XXXX XXXX 6603 »)
GROUPED_ACCOUNT = re.compile(r"(?<![\w,.-])\d{4}(?:[ \u00a0](?:\d{4}|[•*X]{4})){3}(?:[ \u00a0]\d{1,3})?(?![\w,-]|\.\w|[ \u00a0]\d)")
ACCOUNT_CUE = re.compile(r"(?i:carte)[^\n]{0,60}$")
# An IP address (v4, or v6 of four groups at least) in the sentence after « IP » (« l'adresse IP 81.2.69.142 »,
# « depuis des adresses IP situées à l'étranger, dont 81.2.69.142 et 2001:db8::7 »), found from « IP » (cheap); or
# anywhere, when its shape leaves no doubt (``_ip_addresses``)
IP_ADDRESS = re.compile(
    r"(?<![\w.:])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}"
    # (a v6 holds a letter or « :: »: « 10:30:15:22 » is a time)
    r"|(?=[0-9:]*[a-fA-F]|[0-9a-fA-F:]*::)[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){3,7})(?![\w:]|\.\d)"
)
IP_WINDOW_END = re.compile(r"[.;!?](?=\s|$)|\n")


def _ip_addresses(text: str) -> Iterator[Entity]:
    pos = text.find("IP")
    found = set()
    while pos >= 0:
        if not (pos and text[pos - 1].isalnum()) and not text[pos + 2 : pos + 3].isalpha() or text[pos + 2 : pos + 4] in ("v4", "v6"):
            stop = IP_WINDOW_END.search(text, pos, pos + 240)
            for m in IP_ADDRESS.finditer(text, pos + 2, stop.start() if stop else min(len(text), pos + 240)):
                found.add(m.start())
                yield Entity(m.start(), m.end(), "numeroIdentifiant", m.group(0), score=0.8, source="rule:ip-address")
        pos = text.find("IP", pos + 2)
    # without « IP » (« depuis l'adresse 185.220.101.47 »): a v6 address, or a dotted quad with two numbers of two
    # figures at least, is written for nothing else in a decision — never after « article », « rubrique », « version »
    if IP_SHAPE_HINT.search(text):
        for m in IP_ADDRESS.finditer(text):
            if (
                m.start() not in found
                and (":" in m.group(0) or sum(len(part) >= 2 for part in m.group(0).split(".")) >= 2)
                and not NOT_IP_BEFORE.search(text, max(0, m.start() - 16), m.start())
            ):
                yield Entity(m.start(), m.end(), "numeroIdentifiant", m.group(0), score=0.7, source="rule:ip-address")


IP_SHAPE_HINT = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|[0-9a-fA-F]:[0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}:")
# (not a heading's or a nomenclature's number: « la rubrique 1.2.1.0 », « au point 2.10.3.1 »)
NOT_IP_BEFORE = re.compile(r"(?i:articles?|art\.|version|v|rubriques?|points?|paragraphes?|§|annexe|section)\s*$")
# An account on a social network or a chat (« @ruoxi.invest », « @nord_gate », « Krakmouth#0413 »; an « @ » before a
# plain word, « @Marie », may be a person's name) and a web address written without « http » or « www »
# (« twitch.tv/x_plays », « imgvault.to/u/y », « t.me/pseudo », « tiktok.com/@z »): a personal site, as Label
# annotates one
HANDLE = re.compile(r"(?<![\w.@/])@(?=[\w.]*[A-Za-z])(?=[\w.]*(?:[\d_]|\.\w))[\w.]{1,29}\w(?![\w@])")
CHAT_TAG = re.compile(r"(?<![\w#])[A-Za-z][\w.]{1,31}#\d{4}(?!\d)")
BARE_URL = re.compile(
    r"(?<![\w@/.:-])(?:[a-z0-9-]+\.)+(?:com|net|org|fr|io|tv|to|gg|me|co|app|xyz|info|be|ch|de|ru|cn|br|ly|link)"
    r"/[\w%./~+=?&@-]*[\w/]"
)


def _accounts_online(text: str) -> Iterator[Entity]:
    if "@" in text:
        for m in HANDLE.finditer(text):
            yield Entity(m.start(), m.end(), "siteWebSensible", m.group(0), score=0.7, source="rule:online-account")
    if "#" in text:
        for m in CHAT_TAG.finditer(text):
            yield Entity(m.start(), m.end(), "siteWebSensible", m.group(0), score=0.7, source="rule:online-account")
    if "/" in text:
        for m in BARE_URL.finditer(text):
            if not pii.PUBLIC_SITES.search(m.group(0)):
                yield Entity(m.start(), m.end(), "siteWebSensible", m.group(0), score=0.6, source="rule:website")
# A personal number after the words that introduce one in a person's file (« affilié à la caisse sous
# le numéro 24 1 0563 887 », « numéro AGDREF 9760104582 », « enregistré sous l'identifiant LVR-338217 »,
# « matricule 40517 », « numéro d'employeur Z41279308 » of a household employer): digits in groups, or letters and digits with a hyphen.
# (« identifié au numéro 003-482-915-7 »)
PERSONAL_NUMBER = re.compile(
    rf"\b(?:(?i:affili[ée]+e?s?|adh[ée]rente?s?|inscrite?s?|enregistr[ée]+e?s?|allocataire)[^\n.;]{{0,50}}?"
    rf"(?i:sous{SP}+(?:le{SP}+num[ée]ro|l['’]identifiant|le{SP}+matricule))|"
    # « affilié à la caisse sous le n° … » (« enregistrée sous le n° » is a court's register number)
    rf"(?i:affili[ée]+e?s?|adh[ée]rente?s?|allocataire)[^\n.;]{{0,50}}?(?i:sous{SP}+le{SP}+n°)|AGDREF|"
    rf"(?i:identifiant|matricule|num[ée]ro{SP}+d['’](?:employeur|adh[ée]rent|affili[ée])|identifi[ée]+e?s?{SP}+au{SP}+num[ée]ro)"
    rf"(?:{SP}+(?i:personnel|unique|client|de{SP}+\w+))?){SP}*(?:n°|:)?{SP}*"
    # (four figures in a row, or four groups at least: « 1 88 05 976 14 042 15 »; « 160603-4572918 »)
    rf"(?P<number>(?=[0-9A-Z -]*\d{{4}}|\d{{1,3}}(?:[ \u00a0-]\d{{1,3}}){{3}})(?:[A-Z]{{1,4}}-?)?\d{{1,12}}(?:[ \u00a0-]\d{{1,7}}){{0,7}}(?:-[A-Z]{{1,2}}(?![\w-]))?)(?![\w/])"
)

# A number registered « sous le n° » on a professional roll or a register of persons or firms (« inscrit au
# tableau de l'ordre sous le n° 75/31842 », « inscrite à l'ordre des architectes sous le n° A12093 »,
# « immatriculée au répertoire des entreprises sous le n° 2019 B 0412 »): digits in groups, with slashes,
# dots or hyphens, or a capital letter in them; not a case's number on a court's roll (« inscrite au rôle
# sous le n° 24/01234 », « répertoire général ») nor a published deed's.
REGISTER_NUMBER = re.compile(
    rf"sous{SP}+le{SP}+(?:n°|nº|num[ée]ro){SP}*:?{SP}*"
    rf"(?P<number>(?=[A-Z0-9]*\d)[A-Z0-9]+(?:[/.\-][A-Z0-9]+|{SP}\d+(?![\w/])|{SP}[A-Z](?={SP}\d))*)(?![\w/]|[.\-]\w)"
)
REGISTER_BEFORE = re.compile(
    r"(?i:inscrit|immatricul|enregistr)\w*(?P<what>[^\n.;]{0,80}?(?i:tableau|ordre|registre|r[ée]pertoire|fichier)"
    r"[^\n.;]{0,80})$"
)
NOT_PERSONAL_REGISTER = re.compile(
    r"(?i:g[ée]n[ée]ral|r[ôo]le|greffe|publicit[ée]|hypoth|enregistrement|d[ée]lib[ée]ration|arr[êe]t[ée]s|\bRG\b|parquet)"
)
COMPANY_REGISTER = re.compile(r"(?i:entreprise|commerce|soci[ée]t[ée]s|m[ée]tiers|RCS|RIDET)")

# A personal number of any country right after the name of its document or register, written as an
# acronym (« CPF n° 528.301.746-07 », « AVS 756.4821.3097.40 », « NIF : 123456789 », « PESEL 85010112345 »,
# « CIN marocaine n° JH482917 », « T.C. kimlik no 46192738482 ») or as a foreign document's own words
# (« codice fiscale … », « cédula de ciudadanía n° … », « tazkira n° … »), or registered « sous le numéro »
# with an organisation written as an acronym (« affiliée à la CAFAT sous le numéro 317452 »): letters
# and digits with dots or hyphens, at least five digits. The numbers of a procedure or a text are no
# person's (« RG n° 23/01234 », « pourvoi n° 21-12.345 », « loi n° 91-647 », « CE n° 412345 »).
PROCEDURE_ACRONYMS = frozenset(
    "RG NRG PV BOP QPC CEDH CJUE CE CAA TA CA TJ TGI TI CC CPH CNDA CNIL JLD JAF JIRS CRPC ECLI NAC NOR JO "
    "JORF IDCC CPP CPC CSS CGI CSP CESEDA CASF UE CEE SA SAS SARL SCI EURL SNC TVA HT TTC EUR USD CEDEX CS BP TSA "
    "RN RD ZA ZI COVID INPI".split()
)
FOREIGN_DOCUMENT = (
    r"codice{SP}+fiscale|code{SP}+num[ée]rique{SP}+personnel|kimlik|tazkira|c[ée]dula(?:{SP}+de{SP}+(?:ciudadan[íi]a|identidad))?|"
    r"(?:documento|carteira|bilhete){SP}+de{SP}+identidade?|personnummer|henkil[öo]tunnus|"
    r"num[ée]ro{SP}+(?:fiscal|d['’]identification(?:{SP}+fiscale)?|d['’]identit[ée]|national|d['’]immatriculation|"
    r"de{SP}+s[ée]curit[ée]{SP}+sociale|d['’]assur[ée]e?|de{SP}+contribuable)"
).replace("{SP}", SP)
# (letter groups joined by hyphens before the figures: « ML-NAN-0048213 »)
NUMBER_TOKEN = (
    # (a country's two letters before the number: « CUI RO 31872405 »)
    r"(?P<number>(?=[A-Z]*(?:-[A-Z]+)*-?\d|[A-Z]{2}[ \u00a0]\d)[0-9A-Z]+(?:[.\-][0-9A-Z]+|[ \u00a0]\d+(?![\w/]))*)"
    r"(?![\w/]|[.\-]\w)"
)
ANY_DOCUMENT_NUMBER = re.compile(  # (the first letters first, for speed)
    rf"(?=[A-Zckltnpdhb])(?<![\w.])(?:(?P<acronym>[A-Z](?:[A-Z]{{1,5}}\b|\.(?:[A-Z]\.){{1,3}}))(?:{SP}+(?P<words>[a-zé]{{3,12}}(?:{SP}+[a-zé]{{3,12}})?))?"
    rf"|(?i:{FOREIGN_DOCUMENT}))"
    # (« tazkiras électroniques, enregistrées sous les numéros … »: the plural, its adjective and participle between)
    rf"(?:{SP}*(?:n°|nº|no|num[ée]ro|:)|[^\n.;]{{0,25}}?{SP}sous{SP}+le{SP}+(?:num[ée]ro|n°)"
    rf"|[^\n.;]{{0,40}}?{SP}sous{SP}+les{SP}+(?:num[ée]ros|n°))?{SP}*:?{SP}*{NUMBER_TOKEN}"
)
# the next numbers of that list (« sous les numéros 1234-56789, 1234-56790 et 1235-01234 »)
NEXT_NUMBER_TOKEN = re.compile(rf"{SP}*(?:,|{SP}et){SP}*(?:n°{SP}*)?{NUMBER_TOKEN}")
# Any number of at least five digits right after a number noun and the words naming it (« numéro
# d'assurance sociale 527 …», « numéro de registre national 81.11.02-245.17 », « numéro TELEPAC est le
# 041 228 917 »), or after a personal document or account noun and « n° » (« permis de pêche n° 3B-2001-0552 »,
# « compte 402-33187-6620415 »): a personal or bank number, unless the words name a procedure or a text.
# (the card's qualifiers up to sixty characters: « carte nationale d'identité biométrique algérienne n° … »)
NUMBERED_NOUN = re.compile(  # (the first letters first, for speed)
    rf"(?=[nNpPcClL])\b(?:(?P<numero>(?i:num[ée]ro){SP}+(?:(?:de|d['’]|du){SP}*)?(?P<words>(?:[^\W\d][\w’'-]*{SP}+){{0,2}}?[^\W\d][\w’'-]*)"
    # the number's acronym in brackets after its words (« numéro personnel (EGN) … », « numéro fiscal (RNOKPP) … »)
    rf"(?:{SP}*\([A-Z]{{2,8}}\))?)"
    rf"|(?P<noun>(?i:permis|carte|licence|certificat|livret|compte))(?P<what>[^\n.;:\d]{{0,60}}?{SP}(?i:n°|nº|num[ée]ro)|"
    rf"(?:{SP}+(?i:bancaire|courant|joint|ch[èe]que|[ée]pargne))?))"
    rf"{SP}*(?:(?i:n°|nº|:|est{SP}+le)(?![\w]){SP}*)?{NUMBER_TOKEN}"
)
NOT_PERSONAL_NUMBER_WORDS = re.compile(
    r"(?i)\b(?:rg|r[ée]pertoire|r[ôo]le|pourvoi|dossier|affaire|minute|parquet|instruction|proc[ée]dure|arr[êe]t|"
    r"jugement|d[ée]cision|ordonnance|loi|d[ée]cret|article|commerce|sire[nt]|rcs|tva|portalis|greffe|audience|"
    r"requ[êe]te|recours|plainte|pv|proc[èe]s|lot|page|pi[èe]ce|facture|parcelle|section|nor|arr[êe]t[ée]|avis|"
    r"d[ée]lib[ée]ration|circulaire|brevet|marque|ecli|rpps|adeli|t[ée]l[ée]phone|fax|portable)\b"
)
# a cadastral parcel (« parcelles cadastrées AI 4127 »: the cadastre rules') or an official text's NOR
# (« NOR INTV2119176J ») before the acronym
NOT_PERSONAL_BEFORE = re.compile(r"(?i:parcelles?|cadastr\w*|section|\bNOR\b)[^.;\n]{0,12}$")
# words that make an acronym's number no personal one (« RG n° … », « NAC 70D »)
NOT_DOCUMENT_WORDS = re.compile(r"^(?:du|de|des|le|la|les|et|en|au|aux)\b")


def identifiers(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    """See :func:`_identifiers`; a rule of last resort fills only the words the others
    left (:data:`FALLBACK_SOURCES`)."""
    yield from _with_fallbacks(list(_identifiers(text, index)))


# the first letters of every noun of VEHICLE_NOUNS, found by ``str.find`` in the lower-cased text (an
# alternation of literals, even anchored, costs more than the rest of the rule)
VEHICLE_STEMS = ("véhic", "vehic", "voitur", "camion", "fourgon", "moto", "scooter", "utilitaire", "automobile",
                 "berline", "remorque", "semi-remorque", "tracteur", "quad", "cyclomoteur", "autocar", "minibus",
                 "citadine", "poids", "camping")


def _vehicle_nouns(folded: str) -> list[int]:
    """Positions of the vehicle stems in ``folded`` (``folded_for_search`` of the text), increasing."""
    starts = []
    for stem in VEHICLE_STEMS:
        i = folded.find(stem)
        while i >= 0:
            starts.append(i)
            i = folded.find(stem, i + 1)
    return sorted(set(starts))


def _degree_starts(text: str) -> list[int]:
    """The starts of the figures (one to three) right before each degree sign, a space between or not."""
    starts = []
    sign = text.find("°")
    while sign >= 0:
        end = sign - 1 if sign and text[sign - 1] in " \u00a0" else sign
        start = end
        while start > 0 and end - start < 3 and text[start - 1].isdigit():
            start -= 1
        if start < end:
            starts.append(start)
        sign = text.find("°", sign + 1)
    return starts


def _foreign_plate(plate: str, min_letters: int = 1) -> bool:
    """``plate`` reads as a plate of another country: letters and figures, short, not French-shaped."""
    letters, digits = sum(ch.isalpha() for ch in plate), sum(ch.isdigit() for ch in plate)
    return (min_letters <= letters <= 5 and digits >= 2 and 4 <= letters + digits <= 10
            and not PLATE_SIV_SHAPE.fullmatch(plate) and not PLATE_FNI_SHAPE.fullmatch(plate))


def _identifiers(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    # a phone number is no part of an account number (« DE24 6839 0000 0724 8135 00 »: its last groups
    # read as a phone's, which would win over the IBAN and leave its first groups in clear)
    iban_shapes = list(IBAN_SHAPE.finditer(text))  # (read once: the accounts here, the shape rule below)
    accounts = [(m.start(), m.end()) for m in iban_shapes]
    index = index or TextStarts(text)  # (the literal starts of the patterns: same matches, sooner)
    folded = index.folded
    for recognizer in IDENTIFIER_RECOGNIZERS:
        for span in recognizer(text):
            if recognizer is pii.phone and (
                any(a <= span.start and span.end <= b for a, b in accounts)
                # the national part of a foreign number (« +225 07 48 11 63 29 »): the international rule's
                or FOREIGN_CODE_BEFORE.search(text, max(0, span.start - 6), span.start)
            ):
                continue
            category, score, source = IDENTIFIER_RULES[span.rule]
            yield Entity(span.start, span.end, category, span.text, score=score, source=source)
    checked = {span.start for span in pii.siren_siret(text)}
    for m in index.finditer(COMPANY_NUMBER):
        if m.start("number") not in checked:
            checked.add(m.start("number"))
            yield _ent(m, "number", "numeroSiretSiren", 0.8, "rule:siren-siret-cue")
    for m in SIRET_LAYOUT.finditer(text):
        if m.start() not in checked:
            yield Entity(m.start(), m.end(), "numeroSiretSiren", m.group(0), score=0.75, source="rule:siret-layout")
    for m in index.finditer(DOCUMENT_NUMBER):
        yield _ent(m, "number", "numeroIdentifiant", 0.85, "rule:document-number")
        while m := NEXT_DOCUMENT_NUMBER.match(text, m.end()):
            yield _ent(m, "number", "numeroIdentifiant", 0.8, "rule:document-number")
    for m in index.finditer(FOREIGN_PHONE):
        digits = sum(ch.isdigit() for ch in m.group(0))
        if 9 <= digits <= 15:
            yield Entity(m.start(), m.end(), "telephoneFax", m.group(0), score=0.9, source="rule:phone-international")
    if "." in text and GPS_CUE_WORD.search(folded):  # (a cheap test first: the pair opens on any digit)
        for m in GPS_PAIR.finditer(text):
            if int(m.group("lat")) <= 90 and int(m.group("lon")) <= 180 and GPS_CUE.search(text, max(0, m.start() - 80), m.start()):
                yield _ent(m, "gps", "adresse", 0.8, "rule:gps-coordinates")
    if "°" in text:  # (tried only at the figures right before a degree sign, not after « n »)
        for m in finditer_at(GPS_DEGREES, text, _degree_starts(text)):
            yield _ent(m, "gps", "adresse", 0.8, "rule:gps-coordinates")
    for m in index.finditer(QUOTED_HANDLE):
        yield _ent(m, "handle" if m.group("handle") else "bare", "siteWebSensible", 0.7, "rule:quoted-handle")
    for m in index.finditer(CRYPTO_WALLET):
        yield Entity(m.start(), m.end(), "compteBancaire", m.group(0), score=0.85, source="rule:crypto-wallet")
    for m in index.finditer(WALLET_BASE58):
        yield _ent(m, "wallet", "compteBancaire", 0.8, "rule:crypto-wallet")
    for m in index.finditer(PLATE_ANY_FORMAT):
        yield _ent(m, "plate", "plaqueImmatriculation", 0.8, "rule:plate-any-format")
    for m in PLATE_SIV_SHAPE.finditer(text):  # the shape first (rare), then the vehicle before it
        if VEHICLE_BEFORE.search(text, max(0, m.start() - 90), m.start()):
            yield Entity(m.start(), m.end(), "plaqueImmatriculation", m.group(0), score=0.8,
                         source="rule:plate-after-vehicle")
    for m in PLATE_FNI_SHAPE.finditer(text):
        if VEHICLE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            yield Entity(m.start(), m.end(), "plaqueImmatriculation", m.group(0), score=0.75,
                         source="rule:plate-after-vehicle")
    for m in index.finditer(PLATE_AFTER_CUE):
        yield _ent(m, "plate", "plaqueImmatriculation", 0.85, "rule:plate-cue")
    for m in index.finditer(PHONE_PAIRS_AFTER_CUE):
        yield _ent(m, "phone", "telephoneFax", 0.85, "rule:phone-pairs-cue")
    for m in index.finditer(PHONE_GROUPS_AFTER_CUE):
        if 10 <= sum(ch.isdigit() for ch in m.group("phone")) <= 11:
            yield _ent(m, "phone", "telephoneFax", 0.8, "rule:phone-groups-cue")
    for email in pii.email(text):
        if m := PHONE_BEFORE_EMAIL.search(text, max(0, email.start - 24), email.start):
            yield _ent(m, "phone", "telephoneFax", 0.75, "rule:phone-by-email")
        if m := PHONE_AFTER_EMAIL.match(text, email.end):
            yield _ent(m, "phone", "telephoneFax", 0.75, "rule:phone-by-email")
    for m in index.finditer(PLATE_IN_SENTENCE):
        yield _ent(m, "plate", "plaqueImmatriculation", 0.8, "rule:plate-in-sentence")
    if re.search("[\u0621-\u064a]", text):  # (a cheap test first)
        for m in MOROCCAN_PLATE.finditer(text):
            yield Entity(m.start(), m.end(), "plaqueImmatriculation", m.group(0), score=0.8, source="rule:plate-moroccan")
    for m in chain(index.finditer(PLATE_AFTER_REGISTERED), finditer_at(PLATE_AFTER_VEHICLE_NOUN, text, _vehicle_nouns(folded)),
                   index.finditer(PLATE_AFTER_FOREIGN_PLATE)):
        if not _word_start(text, m.start()):
            continue
        if (demonym := m.groupdict().get("demonym")) and fold_chars(demonym) not in DEMONYMS:
            continue
        plate = m.group("plate")  # (a French plate is no foreign one: the rules above have it)
        if m.groupdict().get("bracket"):  # (in brackets, two letters at least: « (B 123456) » is a register's)
            while _foreign_plate(plate, 2):
                yield _ent(m, "plate", "plaqueImmatriculation", 0.8, "rule:plate-after-registered")
                if not (m := NEXT_PLATE_OF_LIST.match(text, m.end())):
                    break
                plate = m.group("plate")
            continue
        if _foreign_plate(plate):
            yield _ent(m, "plate", "plaqueImmatriculation", 0.8, "rule:plate-after-registered")
            # the next plates of a list after the country (« immatriculés en Bulgarie, CA 4821 KT et PB 7730 AC »),
            # or right after the plural participle (« deux bateaux immatriculés AB C12345 et AB D67890 »)
            if m.groupdict().get("comma") or PLURAL_REGISTERED.match(m.group(0)):
                while (m := NEXT_PLATE_OF_LIST.match(text, m.end())) and _foreign_plate(m.group("plate"), 2):
                    yield _ent(m, "plate", "plaqueImmatriculation", 0.8, "rule:plate-after-registered")
    ibans = {span.start for span in pii.iban(text)}
    for m in iban_shapes:
        if m.start() in ibans:
            continue  # checked (or with a wrong key only) above
        compact = re.sub(r"\s", "", m.group("iban"))
        if 15 <= len(compact) <= 34 and IBAN_CUE.search(text, max(0, m.start() - 60), m.start()):
            yield _ent(m, "iban", "compteBancaire", 0.6, "rule:iban-shape")
    for m in GROUPED_ACCOUNT.finditer(text):
        lo = max(0, m.start() - 60)
        if any(a <= m.start() < b for a, b in accounts):
            continue  # (the last groups of an IBAN)
        if IBAN_CUE.search(text, lo, m.start()) or ACCOUNT_CUE.search(text, lo, m.start()):
            yield Entity(m.start(), m.end(), "compteBancaire", m.group(0), score=0.65, source="rule:grouped-account")
    yield from _ip_addresses(text)
    yield from _accounts_online(text)
    for m in index.finditer(ANY_DOCUMENT_NUMBER):
        acronym = m.group("acronym")
        if acronym and (acronym.replace(".", "") in PROCEDURE_ACRONYMS
                        or (m.group("words") and NOT_DOCUMENT_WORDS.match(m.group("words")))):
            continue
        number = m.group("number")
        if sum(ch.isdigit() for ch in number) >= 5 and not NOT_PERSONAL_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            yield _ent(m, "number", "numeroIdentifiant", 0.75, "rule:any-document-number")
            if "num" in m.group(0)[-40:].lower():  # (a list only after the word for the numbers)
                while (m := NEXT_NUMBER_TOKEN.match(text, m.end())) and sum(ch.isdigit() for ch in m.group("number")) >= 5:
                    yield _ent(m, "number", "numeroIdentifiant", 0.75, "rule:any-document-number")
    for m in index.finditer(NUMBERED_NOUN):
        if NOT_PERSONAL_NUMBER_WORDS.search(m.group("words") or m.group("what") or ""):
            continue
        if sum(ch.isdigit() for ch in m.group("number")) >= 5:
            account = m.group("noun") and m.group("noun").lower().startswith(("compte", "livret"))
            yield _ent(m, "number", "compteBancaire" if account else "numeroIdentifiant", 0.75, "rule:numbered-noun")
    for m in index.finditer(REGISTER_NUMBER):
        if not _word_start(text, m.start()) or sum(ch.isdigit() for ch in m.group("number")) < 3:
            continue
        before = REGISTER_BEFORE.search(text, max(0, m.start() - 160), m.start())
        if before and not NOT_PERSONAL_REGISTER.search(before.group("what")):
            company = COMPANY_REGISTER.search(before.group("what"))
            yield _ent(m, "number", "numeroSiretSiren" if company else "numeroIdentifiant", 0.75, "rule:register-number")
    for m in index.finditer(PERSONAL_NUMBER):
        number = m.group("number").rstrip(" -")
        if sum(ch.isdigit() for ch in number) >= 5:
            yield Entity(m.start("number"), m.start("number") + len(number), "numeroIdentifiant", number,
                         score=0.8, source="rule:personal-number")


# -------------------------------------------------------------------------- civil-status dates
# (« nés respectivement le … », « la naissance, le … », « date de naissance au 1er janvier » fixed by default)
BIRTH = re.compile(
    # (a birth name between: « née Vasseur le … »)
    rf"\b(?:n[ée]+(?:\(e\))?s?(?:(?:{SP}+(?-i:[{UP}][{UP}{LO}'’-]+)){{1,3}}(?={SP}+le{SP}))?|naissance|na[îi]tre)(?:{SP}*,)?{SP}+(?:respectivement{SP}+)?(?:en{SP}+\d{{4}}{SP}+)?"
    rf"(?:(?P<plural>les{SP}+)|(?:le|au|du){SP}+)?{DATE}", re.I)
# the next dates of a list after « nés les » (« nées les 2 mai 2009, 8 juin 2011 et 1er août 2014 »)
NEXT_LISTED_DATE = re.compile(rf"{SP}*(?:,{SP}*(?:et{SP}+)?|{SP}+et{SP}+)(?:(?i:le){SP}+)?(?i:{DATE})")
# The date of a fatal event, written before the words that make it one in the same paragraph (« victime
# le 6 février 2022, sur l'aire de repos, d'un malaise mortel », « Le 4 mars 2022, il a été heurté … Il
# est décédé le jour même », « Le 3 mai 2021, Mme X a été retrouvée morte ») with no other date between (a street's
# number may stand between: « sur le chantier du 9 rue X, il a chuté … », and a birth date, below): a date of death,
# as Label annotates it.
# (the birth date of the person in apposition may stand between: « Le 3 mai 2021, X, né le 9 juin 1980 à Y, a été … »)
BIRTH_BETWEEN = rf"n[ée]+e?{SP}+le{SP}+(?:(?:1er|\d{{1,2}}){SP}+(?i:{MONTHS}){SP}+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})"
FATAL_DATE = re.compile(
    rf"(?<![\w/])(?i:le|du){SP}+{DATE}(?P<between>(?:{BIRTH_BETWEEN}|(?!\n[ \t]*\n)(?!\d{{4}}|\d{{1,2}}(?:er)?{SP}+(?i:{MONTHS})|\d{{1,2}}/\d)[\s\S]){{0,220}}?)"
    rf"\b(?i:(?:accident|malaise|collision|choc|chute|coup|blessure|agression|incendie|noyade|arr[êe]t{SP}+cardiaque)s?{SP}+mortel(?:le)?s?|(?:trouv|donn)[ée]+e?s?{SP}+la{SP}+mort|retrouv[ée]+e?s?{SP}+morte?s?|"
    # a killing in the passive (« Le 3 mai 2024, X, 24 ans, a été abattu »)
    rf"(?:a|ont|avait|avaient){SP}+[ée]t[ée]{SP}+(?:tu[ée]+|abattu|assassin[ée]+)e?s?|d[ée]c[ée]d[ée]+e?{SP}+(?:le{SP}+jour{SP}+m[êe]me|sur{SP}+place|"
    rf"des{SP}+suites))\b"
)
# the day of a death named right after the date (« le 9 mai 2023, jour du décès de son père »)
DEATH_DAY = re.compile(
    rf"(?<![\w/])(?i:le|du){SP}+{DATE}{SP}*,{SP}*(?i:jour){SP}+(?i:du|de{SP}+(?:son|sa|leur)){SP}+(?i:d[ée]c[eè]s)\b"
)
# the same written date (« 6 février 2022 ») elsewhere in the decision
WRITTEN_DATE = re.compile(rf"(?<![\w/-])(?P<dm>{DAY}{SP}+(?:{MONTHS})){SP}+(?P<year>\d{{4}})\b", re.I)
# (« prédécédé le … »: died before the deceased of a succession; « meurtre commis le … sur la personne
# de X »: a killing, not its attempt, dates the victim's death)
DEATH = re.compile(
    # (« le décès de son concubin, M. Paul Roux, le … »: the relative apposed between commas)
    # (« décédé noyé au saut X le … »: a few words of how or where between, no punctuation nor figure)
    # (the infinitive too: « venait de décéder le … »)
    rf"\b(?:(?:pr[ée])?d[ée]c[ée]d(?:[ée]+|er)(?:\(e\))?s?(?:{SP}+(?!(?i:le|du)\b)[^\W\d][\w'’-]*){{0,5}}|d[ée]c[eè]s(?:{SP}+\w+){{0,3}}(?:{SP}*,[^,;:\n\d]{{1,50}},)?"
    # a death fixed by a court (« le décès de M. X a été fixé au … »)
    rf"|d[ée]c[eè]s[^;:\n\d]{{0,60}}?fix[ée]+e?|accident{SP}+mortel"
    # (« l'accident mortel dont a été victime M. Jean Roux le … »)
    rf"(?:{SP}+\S+){{0,8}}|(?<!tentative{SP}de{SP})(?<!tentatives{SP}de{SP})(?:meurtre|homicide)s?"
    rf"(?:{SP}+(?:volontaire|involontaire|aggrav[ée])s?)?{SP}+commis"
    # a succession opens at the death (« la succession étant ouverte depuis le … »)
    rf"|succession(?:{SP}+[ée]tant)?{SP}+ouverte(?:{SP}+depuis)?"
    # a widowhood dates the spouse's death (« veuve depuis le … »)
    rf"|veu(?:f|ve)s?{SP}+depuis){SP}+(?:le|du|au){SP}+{DATE}",  # (« fixé au … »)
    re.I,
)
MARRIAGE = re.compile(
    rf"\b(?:(?:re)?mari[ée]+s?|contract[ée]+{SP}+mariage|mariage{SP}+c[ée]l[ée]br[ée]|"
    rf"pacs[ée]*s?|pacte{SP}+civil{SP}+de{SP}+solidarit[ée]{SP}+conclu|"
    # a spouse « depuis » the wedding (« son épouse depuis le 6 juin 1987 », « son mari depuis le … », « épouse du
    # défunt depuis le … », « époux de la victime depuis le … »)
    rf"(?:[ée]pouse|[ée]poux|mari)(?:{SP}+(?:du|de{SP}+la|de|d['’]){SP}*[a-zà-ÿ]+)?{SP}+depuis|"
    # a customary union (« se sont unis selon la coutume le … », « union coutumière célébrée le … »)
    rf"(?:(?:se{SP}+sont|s['’](?:est|[ée]taient|[ée]tant|[êe]tre)){SP}+unie?s?|union{SP}+coutumi[èe]re)"
    rf"(?:{SP}+(?!(?:le|du)\b)[^\W\d][\w'’-]*){{0,4}}){SP}+"
    rf"(?:le|du){SP}+{DATE}",
    re.I,
)
# a town's name, its words linked by « sur », « lès », « de »… and, inside a hyphenated name, by the
# links of other languages and overseas names (« Pointe-à-Pitre », « Penta-di-Casinca »,
# « Corneilla-del-Vercol », « Saint-Cyr-l'École », « Lissac-et-Mouret »)
# (« Bagnoles-de-l'Orne »), and the Arabic article of a name (« Deir ez-Zor », « Ras el-Aïn »)
HYPHEN_LINK = (
    r"-(?:(?:à|au|aux|et|di|del|della|dei|lo|las|los|y|sul|am|im|an)-|(?:(?:de|du|des|sur|sous|en|lès)-)?[lLdD]['’])"
    r"|[ \t\u00a0]+(?:ez|el|al|ad|as|ar|ed|es|ul)-|-(?:e|i|ye)[ \t\u00a0]+(?=[A-Z])"  # « Sang-e Masha »
)
# a town's name of one word or hyphenated words, no space inside (« Paimbœuf », « Saint-Brevin-les-Pins »): a
# name whose next words (a child's name after « est né à X ») stay out of it
HYPHENATED_TOWN = rf"{WORD}(?:(?:-(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’])-)*|{HYPHEN_LINK}){WORD})*"
PLACE = (
    rf"(?P<place>{WORD}(?:(?:(?:-|{SP}+)(?:(?:sur|sous|en|lès|les|la|le|de|du|des|da|do|das|dos|del|della|d['’])(?:-|{SP}+))*|{HYPHEN_LINK})"
    rf"{WORD})*(?:{SP}+\d{{1,2}}(?:e|er|ème)\b)?)"  # an arrondissement: « Paris 12e »
)
# The place of a civil-status event, written after its date (« né le 3 mai 1970 à Lyon », « se sont
# mariés le 4 juin 2001 à Vienne ») or before it (« décédé à Lyon le 2 mars 2020 », « mariage célébré
# à Vienne le … »): a locality, like the place of birth. The cue is case-insensitive, the place is not
# (« à la mairie » is no place name).
EVENT_CUES = (
    ("dateNaissance", r"n[ée]+(?:\(e\))?s?|naissance"),
    ("dateMariage", r"(?:re)?mari[ée]+s?|(?:mariage|union)(?:[ \t\u00a0]+[\wé]+){0,3}?[ \t\u00a0]+c[ée]l[ée]br[ée]+e?|pacs[ée]*s?"),
    ("dateDeces", r"d[ée]c[ée]d[ée]+(?:\(e\))?s?"),
)
EVENT = re.compile(r"\b(?i:" + "|".join(f"(?P<{category}>{cue})" for category, cue in EVENT_CUES) + ")")
PLACE_AFTER_DATE = re.compile(
    rf"{SP}+(?i:le{SP}+)?(?i:{DATE}){SP}+(?:\d{{4}}{SP}+)?(?:(?:à|a)|(?P<article>au|aux)){SP}+{PLACE}"
)
PLACE_BEFORE_DATE = re.compile(
    # a department number or a country in brackets after the place (« née à X (Roumanie) le … »)
    rf"{SP}+(?:à|a){SP}+{PLACE}(?:{SP}*\((?:\d{{2,3}}|[{UP}][^()\n\d]{{2,30}})\))?"
    rf"{SP}*,?{SP}+(?i:le|du){SP}+(?i:{DATE})"
)
PLACE_SOURCES = {"dateNaissance": "rule:born-in", "dateMariage": "rule:married-in", "dateDeces": "rule:died-in"}
# A birth date in apposition to the child's name, after a birth cue of the same sentence (« De leur
# union est né Hugo, le 5 juin 2004 », « sont issus deux enfants : Léa, le 3 mars 2005, et Tom (le 4
# avril 2008) »); « Mme X, née Martin, le 3 mai 2015, a assigné » has no such cue.
BIRTH_CUE = re.compile(
    r"\b(?:(?:est|sont|était|étaient|fut|furent)\s+n[ée]e?s?|(?:union|mariage|relation)\b[^.;!?\n]{0,30}?"
    r"\bissue?s?|issue?s?\s+de\s+(?:cette|leur|la)\s+(?:union|relation|mariage)|"
    r"(?:ont|a|avaient|avait)\s+eu\s+(?:[\w-]+\s+){0,2}enfants?|"
    # « leurs enfants mineurs Léo, le 3 mai 2015, et Zoé, le … »
    r"(?:leurs?|ses|des|deux|trois|quatre)\s+enfants(?:\s+mineurs)?)\b"
)
SENTENCE_END = re.compile(r"[.;!?](?:\s|$)|\n[ \t]*\n")
# « à la naissance de Lison, le 9 mai 1995 »: the birth date in apposition to the child's first name,
# or to the child's full name after its kinship (« la naissance de leur fils Malo Dufresne Ortiz, le … »)
BIRTH_OF = re.compile(
    rf"\b(?i:naissance){SP}+(?:de{SP}+|d['’]{SP}*)"
    rf"(?:(?i:(?:(?:leur|son|sa|un|une|la|le){SP}+)?(?:fille|fils|enfant|b[ée]b[ée]|petite?-(?:fille|fils)|fillette|gar[çc]on)){SP}+)?"
    # (the date after a comma, a bracket or « le » alone: « la naissance de sa fille Ysé le 3 mars 2025 »)
    rf"(?:{WORD}(?:-{WORD})?{SP}*){{1,4}}(?:[,(]{SP}*(?:le{SP}+)?|(?<=\s)le{SP}+)(?i:{DATE})"
)
# A person's line giving a full date then a town (« — Léa MARTIN, 4 avril 2011, à Lens ; »): a birth
NAME_DATE_TOWN = re.compile(
    rf"[{UP}][{UP}{LO}'’-]+{SP}*,{SP}*(?P<date>(?P<dm>(?<![\w-]){DAY}{SP}+(?i:{MONTHS})){SP}+\d{{4}}){SP}*,?{SP}+à{SP}+[{UP}]"
)
APPOSED_DATE = re.compile(rf"[{UP}][{UP}{LO}'’-]+{SP}*[,(]{SP}*(?:le{SP}+)?(?i:{DATE})")


# « le décès de M. X survenu le 6 février 2022 », « son époux, M. Y, survenu le … » : the date a
# death « survenu » after the word « décès » in the same sentence
# a character of the same sentence: no « . ; » nor line break, but the dot of an abbreviation or an
# initial (« M. », « Mme J. ») does not end it
IN_SENTENCE = r"(?:[^.;\n]|(?<=\b[A-Z])\.|(?<=\bMme)\.|(?<=\bMM)\.)"
DEATH_LATER = re.compile(
    rf"\bd[ée]c[eè]s\b{IN_SENTENCE}{{0,80}}?\bsurvenue?s?{SP}+(?:le{SP}+)?{DATE}", re.I
)
# A birth told after its date (« Le 15 février 2021 est né à Nantes Léo X, fils de … »): the date just before
# « est né à », and the town after it, one word or hyphenated ones (the child's name follows it). (Found from
# « né » to its left, never by a scan of every « le ».)
BORN_AT_AFTER_DATE = re.compile(
    rf"(?:est|sont|était|étaient|fut){SP}+n[ée]+e?s?{SP}+(?:à|a){SP}+"
    rf"(?P<place>(?:(?:Le|La|Les){SP}+)?{HYPHENATED_TOWN})"
)
DATE_BEFORE_BORN = re.compile(rf"(?<![\w/])(?i:le){SP}+{DATE}{SP}*,?{SP}*$")
# A mother giving birth and its date in the same sentence, after (« a donné naissance à Léo, le 4 mai
# 2015 », « a accouché d'une fille le … », « a mis au monde des jumeaux le … ») or before (« Le 4 mai 2015,
# Mme X a donné naissance à Léo »), no other date between: the child's birth date.
GAVE_BIRTH = rf"(?:donn\w*{SP}+naissance|accouch[ée]+e?|mise?{SP}+au{SP}+monde)\b"
GAVE_BIRTH_THEN_DATE = re.compile(
    rf"{GAVE_BIRTH}(?:(?!\d){IN_SENTENCE}){{0,60}}?{SP}(?i:le){SP}+(?i:{DATE})"
)
GAVE_BIRTH_CUE = re.compile(GAVE_BIRTH)
DATE_BEFORE_GAVE_BIRTH = re.compile(rf"(?<![\w/])(?i:le){SP}+(?i:{DATE})(?:(?!\d){IN_SENTENCE}){{0,80}}?$")
# A child's first name after the noun of its kinship, then a date and the town (« leur fils Hugo, le 3 juin
# 2024 à Lens », « sa demi-sœur cadette Inès (le 2 mai 2019, à Metz) »): the child's birth.
KIN_BEFORE = re.compile(
    rf"(?<![\w-])(?i:fils|filles?|fr[èe]res?|s[œo]eurs?|demi-fr[èe]res?|demi-s[œo]eurs?|enfants?|cadet(?:te)?s?|"
    rf"a[îi]n[ée]e?s?|benjamin(?:e)?s?|neveux?|ni[èe]ces?|petit-fils|petite-fille|b[ée]b[ée]s?)"
    rf"(?:{SP}+(?i:cadet(?:te)?|a[îi]n[ée]e?|benjamine?|mineure?|unique))?{SP}+"
    rf"[{UP}][{LO}'’-]+(?:(?:{SP}|-)[{UP}][{LO}'’-]+)?{SP}*$"
)
# (the date and town first, rare, then the kin and the name before them)
DATE_TOWN_AFTER_NAME = re.compile(
    rf"[,(]{SP}*(?:(?i:le|n[ée]e?{SP}+le){SP}+)?(?i:{DATE}){SP}*,?{SP}+(?:à|au|aux){SP}+[{UP}]"
)


# The spouse's birth may come between the cue and the marriage date, in an incise (« a épousé M. X, né le
# 3 mai 1980 à Y (Z), le 4 juin 2010 à W »).
SPOUSE_BIRTH_INCISE = (
    rf",{SP}*n[ée]e?{SP}+le{SP}+(?:1er|\d{{1,2}}){SP}+(?:{MONTHS}){SP}+\d{{4}}"
    rf"(?:{SP}+(?:à|au|aux){SP}+[^,;.\n\d]{{1,60}}?)?,"
)
# « a épousé Mme X le 16 avril 2016 à … », « s'était marié en secondes noces avec Mme X le 9 mai 2009 à
# … » : the marriage date a few words after the cue (no other date nor sentence end between), and its
# place
MARRIAGE_LATER = re.compile(
    rf"\b(?:mari[ée]+e?s?\b(?:(?!\d){IN_SENTENCE}){{1,70}}?|(?:a|ont|avait|avaient|avoir){SP}+[ée]pous[ée]e?s?\b"
    rf"(?:(?!\d){IN_SENTENCE}){{0,70}}?)(?:{SPOUSE_BIRTH_INCISE})?{SP}(?:le|du){SP}+{DATE}"
    rf"(?:{SP}+(?:à|a){SP}+{PLACE})?"
)

# The next dates of a list after a civil-status date (« nés le A, le B et le C à X », « nés respectivement le A
# et le B », « le A à X, et Zoé, dite « Zaza », le B »): each a date of the same event.
NEXT_CIVIL_DATE = re.compile(
    rf"(?:{SP}+(?:à|a|au|aux|en){SP}+{PLACE}(?:{SP}*\([^()\n]{{1,30}}\))?)?{SP}*"
    # (the next person named between, with a comma after or not: « décédé le …, et Mme X, le … », « et Mme X le … »)
    rf"(?:,{SP}*(?:et{SP}+)?|{SP}+(?:et|ou)(?:{SP}+non)?{SP}+)(?:[{UP}][^\d.;:\n]{{0,40}}?,{SP}*|(?:[{UP}][\w'’.-]*{SP}+){{1,4}})?"
    rf"(?i:le){SP}+(?i:{DATE})"
)
# A killing or a marriage a few words before its date in the sentence (« tué par un tir le 3 mai 2020 »,
# « son mariage, célébré le … », « épousée le … »)
EVENT_LATER = re.compile(  # (the first letters first, for speed)
    rf"(?=[tTaAmMcCéÉeE])\b(?:(?P<dateDeces>tu[ée]+e?s?|assassin[ée]+e?s?|abattue?s?|mort(?:e|s|es)?)|(?P<dateMariage>c[ée]l[ée]br[ée]+e?s?|"
    rf"[ée]pous(?:é|ée|és|ées)))\b(?:(?!\d){IN_SENTENCE}){{0,60}}?{SP}(?i:le){SP}+(?i:{DATE})"
)


# A labelled line of a civil-status record, French or foreign (« Date de naissance : cinq novembre 1979 »,
# « Ngày sinh (né le) : 11/05/1979 », « Data do óbito : 14-02-2026 », « Date of birth: 3.4.1981 »,
# « Lieu de naissance : X (Pays) », « Local do óbito : freguesia de X »): the label holds a birth, marriage
# or death word of some language; its value is a date (day and month: in words, in figures with any
# separator, or the month and day of an East Asian date « 平成2年4月8日 ») or a place (its first name in
# capitals after at most three lower-case words, « municipiul X », « comune di X »).
RECORD_CUES = (
    ("dateNaissance", r"naissance|n[ée]e?|birth|born|nacimiento|nascimento|nascita|na[șş]terii?|geburt\w*|sinh|urodzenia"),
    ("dateMariage", r"mariage|marriage|matrimonio|casamento|c[ăa]s[ăa]tori\w*|ehe\w*|h[ôo]n|[śs]lubu"),
    ("dateDeces", r"d[ée]c[eè]s|death|defunci[óo]n|[óo]bito|morte|decesului|tod\w*|m[ấa]t|zgonu"),
)
RECORD_FIELD = (
    r"(?P<label>[^\n:«»/]{0,40}?\b(?i:"
    + "|".join(f"(?P<{category}>{cue})" for category, cue in RECORD_CUES)
    + rf")\b[^\n:«»/]{{0,25}}?){SP}*:{SP}*"
)
RECORD_LABEL = re.compile(rf"(?m)^(?=[^\n:]{{0,72}}:)[ \t\u00a0«\-–]*{RECORD_FIELD}")  # (a colon first, for speed)
# the next fields of a record written on one line (« Nom : X / Date du décès : … / Lieu du décès : … »)
RECORD_NEXT_FIELD = re.compile(rf"{SP}/{SP}+{RECORD_FIELD}")
RECORD_DATE = re.compile(
    rf"(?:«{SP}*)?(?:(?i:le){SP}+)?(?P<date>(?P<dm>{DAY}{SP}+(?i:{MONTHS}))|\d{{1,2}}[/.\-]\d{{1,2}}(?=[/.\-]\d{{2,4}}\b)"
    rf"|(?:[^\s\d]{{1,4}}\d{{1,2}}年)?(?P<cjk>\d{{1,2}}月\d{{1,2}}日))",
    re.I,
)
RECORD_DATE_IN_WORDS = re.compile(rf"(?:{SP}+(?i:mil|\d{{4}})[^\n(]{{0,60}}?)?{SP}*\({SP}*(?P<dm>{DAY}{SP}+(?i:{MONTHS}))\b")
RECORD_PLACE_LABEL = re.compile(r"(?i:lieu|local|locul|lugar|luogo|place|ort|n[ơo]i|miejsce)\b")
RECORD_PLACE = re.compile(rf"(?:[a-zà-ÿăâîșțşţ]+{SP}+){{0,3}}?(?:(?:de|d['’]|di|do|da|du){SP}*)?{PLACE}")


def _record_lines(text: str) -> Iterator[Entity]:
    for rule in (RECORD_LABEL, RECORD_NEXT_FIELD):
        for m in rule.finditer(text):
            yield from _record_value(text, m)


def _record_value(text: str, m: re.Match) -> Iterator[Entity]:
    category = next(c for c, _ in RECORD_CUES if m.group(c))
    label = m.group("label")
    if RECORD_PLACE_LABEL.match(label.strip(" \t-–/«")):
        p = RECORD_PLACE.match(text, m.end())
        if p and fold_chars(p.group("place")) not in COUNTRIES:
            yield _ent(p, "place", "localite", 0.85, PLACE_SOURCES[category])
        return
    d = RECORD_DATE.match(text, m.end())
    if d:
        group = "dm" if d.group("dm") else "cjk" if d.group("cjk") else "date"
        yield _ent(d, group, category, 0.85, "rule:record-date")
        # the same date written in French in brackets after it (« 平成2年4月8日 (8 avril de l'an 2 …) »)
        end = d.end("date")
        if d.group("cjk") is None and not d.group("dm"):
            end = d.end("date") + len(re.match(r"[/.\-]\d{2,4}", text[d.end("date"):]).group(0))
        if b := RECORD_DATE_IN_WORDS.match(text, end):
            yield _ent(b, "dm", category, 0.8, "rule:record-date")


def civil_dates(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    """See :func:`_civil_dates_again`; a rule of last resort fills only the words the others left
    (:data:`FALLBACK_SOURCES`). A date two rules find (« décédé à X le … ») is given once."""
    seen: set[tuple[int, int, str]] = set()
    unique = [e for e in _civil_dates_again(text, index)
              if (e.start, e.end, e.category) not in seen and not seen.add((e.start, e.end, e.category))]
    yield from _with_fallbacks(unique)


def _civil_dates_again(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    """Dates of birth, marriage and death (day and month) and their places; a written date found once
    as a civil-status date is masked in all its other mentions (« l'accident du 6 février 2022 »)."""
    found = list(_civil_dates(text, index))
    yield from found
    known: dict[str, str] = {}
    days: dict[tuple[int, int, int], str] = {}  # the same dates by day, month and year, in any form
    for e in found:
        if e.category.startswith("date"):
            full = WRITTEN_DATE.match(text, e.start)
            if full and full.end("dm") == e.end:
                known.setdefault(fold_chars(re.sub(r"\s+", " ", full.group(0))), e.category)
            day = _day_of(full) if full and full.end("dm") == e.end else None
            if day is None and (figures := NUMERIC_DATE.match(text, e.start)):
                day = _day_of(figures)
            if day:
                days.setdefault(day, e.category)
    if not days and not known:
        return
    starts = {e.start for e in found}
    if known:
        for m in WRITTEN_DATE.finditer(text):
            category = known.get(fold_chars(re.sub(r"\s+", " ", m.group(0))))
            if category and m.start() not in starts:
                yield _ent(m, "dm", category, 0.8, "rule:civil-date-again")
    if days:  # a birth date written in words, then in figures (« né le 14 août 1990 … (« 14/08/1990 ») »)
        for m in NUMERIC_DATE.finditer(text):
            category = days.get(_day_of(m))
            if category and m.start() not in starts and _word_start(text, m.start(), "/."):
                yield Entity(m.start(), m.end(), category, m.group(0), score=0.8, source="rule:civil-date-again")


# a full date in figures (« 14/08/1990 », « 14.08.1990 »), whose day and month can be read
NUMERIC_DATE = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})(?![\w/])")
MONTH_NUMBERS = {fold_chars(name): 1 + i // 2 for i, name in enumerate(
    "janvier janvier février fevrier mars mars avril avril mai mai juin juin juillet juillet août aout septembre "
    "septembre octobre octobre novembre novembre décembre decembre".split())}


def _day_of(m: re.Match | None) -> tuple[int, int, int] | None:
    """(day, month, year) of a full date matched by :data:`WRITTEN_DATE` (its day in figures) or
    :data:`NUMERIC_DATE`; None when it cannot be read."""
    if m is None:
        return None
    if "month" in m.re.groupindex:
        day, month = int(m.group("day")), int(m.group("month"))
    else:
        words = m.group("dm").split()
        day = 1 if words[0].lower() == "1er" else int(words[0]) if words[0].isdigit() else 0
        month = MONTH_NUMBERS.get(fold_chars(words[-1]).lower(), 0)
    return (day, month, int(m.group("year"))) if 1 <= day <= 31 and 1 <= month <= 12 else None


# A date written the East-Asian way (Korean « 2016. 6. 3. », Japanese « 平成27年6月3日 », Chinese
# « 2016年6月3日 »): in a French decision, the copy of a foreign civil-status record (its birth date).
# (month and day masked, the year stays, as for a date written in words; the Korean one is found from its
# first « . » then its year read before it: a pattern opening on a figure is tried everywhere)
KOREAN_DATE = re.compile(rf"\.{SP}(?P<md>\d{{1,2}}\.{SP}\d{{1,2}})\.?(?!\d)")
KANJI_DATE = re.compile(r"(?<!\d)\d{1,4}年(?P<md>\d{1,2}月\d{1,2}日)")
# its French gloss right after it, in brackets (« née le 1990年3月8日 (soit le 8 mars 1990) »): the same date
DATE_GLOSS = re.compile(rf"{SP}*\({SP}*(?:(?i:soit|c['’]est-à-dire){SP}+)?(?:(?i:le){SP}+)?(?i:{DATE})")


def _east_asian_dates(text: str) -> Iterator[Entity]:
    for m in KOREAN_DATE.finditer(text):
        year = text[max(0, m.start() - 5) : m.start()]
        if len(year) >= 4 and year[-4:].isdigit() and not (len(year) == 5 and (year[0].isdigit() or year[0] == ".")):
            yield _ent(m, "md", "dateNaissance", 0.6, "rule:east-asian-date")
    if "年" in text:
        for m in KANJI_DATE.finditer(text):
            yield _ent(m, "md", "dateNaissance", 0.6, "rule:east-asian-date")
            if (gloss := DATE_GLOSS.match(text, m.end())) and gloss.group("dm"):
                yield _ent(gloss, "dm", "dateNaissance", 0.6, "rule:east-asian-date")


# A civil date in another calendar (Persian, Bengali, Hijri, Hebrew…) glossed by its Gregorian date
# (« née le 14 bahman 1368 du calendrier persan (3 février 1990) », « épousée le 5 falgun 1421, soit le
# 17 février 2015 »): the foreign day and month, then the Gregorian day and month (the years stay).
FOREIGN_CALENDAR_DATE = re.compile(
    rf"\b(?:(?P<dateNaissance>n[ée]+e?s?)|(?P<dateMariage>(?:[ée]pous[ée]+e?s?|mari[ée]+e?s?))|"
    rf"(?P<dateDeces>d[ée]c[ée]d[ée]+e?s?)){SP}+le{SP}+(?P<foreign>\d{{1,2}}(?:er)?{SP}+(?!(?:{MONTHS})\b)[a-zà-ÿ'’-]{{2,16}}"
    rf"(?:{SP}+[a-zà-ÿ'’-]{{2,10}}){{0,3}}){SP}+\d{{3,4}}(?:{SP}+(?:de{SP}+l['’]h[ée]gire|du{SP}+calendrier{SP}+[a-zà-ÿ]+))?"
    rf"{SP}*(?:\(|,{SP}*(?:soit|c['’]est-à-dire){SP}+(?:le{SP}+)?){SP}*{DATE}",
    re.I,
)


def _civil_dates(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    index = index or TextStarts(text)  # (the literal starts of the patterns: same matches, sooner)
    for m in FOREIGN_CALENDAR_DATE.finditer(text):
        category = next(c for c in ("dateNaissance", "dateMariage", "dateDeces") if m.group(c))
        yield _ent(m, "foreign", category, 0.85, "rule:foreign-calendar-date")
        yield _date_entity(m, category, 0.85, "rule:foreign-calendar-date")
    yield from _record_lines(text)
    yield from _east_asian_dates(text)
    for m in index.finditer(FATAL_DATE):
        yield _date_entity(m, "dateDeces", 0.75, "rule:fatal-event-date")
    for m in index.finditer(DEATH_DAY):
        yield _date_entity(m, "dateDeces", 0.75, "rule:fatal-event-date")
    for m in index.finditer(DEATH_LATER):
        yield _date_entity(m, "dateDeces", 0.8, "rule:death-date-later")
    for m in MARRIAGE_LATER.finditer(text):
        yield _date_entity(m, "dateMariage", 0.8, "rule:marriage-date-later")
        if m.group("place") and fold_chars(m.group("place")) not in COUNTRIES:
            yield _ent(m, "place", "localite", 0.8, "rule:married-in")
    for m in BIRTH.finditer(text):
        yield _date_entity(m, "dateNaissance", 0.97, "rule:born-on")
        yield from _next_civil_dates(text, m, "dateNaissance")
        if m.group("plural"):
            while (m := NEXT_LISTED_DATE.match(text, m.end())) is not None:
                yield _date_entity(m, "dateNaissance", 0.9, "rule:civil-date-list")
    for m in index.finditer(BORN_AT_AFTER_DATE):
        date = DATE_BEFORE_BORN.search(text, max(0, m.start() - 40), m.start()) if _word_start(text, m.start()) else None
        if date:
            yield _date_entity(date, "dateNaissance", 0.85, "rule:born-on")
            if fold_chars(m.group("place")) not in COUNTRIES:
                yield _ent(m, "place", "localite", 0.85, "rule:born-in")
    for m in index.finditer(BIRTH_OF):
        yield _date_entity(m, "dateNaissance", 0.85, "rule:birth-of")
    for m in index.finditer(DEATH):
        yield _date_entity(m, "dateDeces", 0.85, "rule:death-date")
        yield from _next_civil_dates(text, m, "dateDeces")
    for m in index.finditer(MARRIAGE):
        yield _date_entity(m, "dateMariage", 0.9, "rule:marriage-date")
        yield from _next_civil_dates(text, m, "dateMariage")
    for m in index.finditer(EVENT_LATER):
        category = "dateDeces" if m.group("dateDeces") else "dateMariage"
        yield _date_entity(m, category, 0.8, "rule:event-date-later")
    for cue in index.finditer(EVENT):
        category = next(c for c, _ in EVENT_CUES if cue.group(c))
        m = PLACE_AFTER_DATE.match(text, cue.end())
        # « au Havre », « aux Abymes », but not « au Maroc » nor « au Centre hospitalier »
        if m and not (m.group("article") and not _town_ok(text, m)):
            yield _ent(m, "place", "localite", 0.9, PLACE_SOURCES[category])
        m = PLACE_BEFORE_DATE.match(text, cue.end())
        if m:
            yield _ent(m, "place", "localite", 0.9, PLACE_SOURCES[category])
            yield _date_entity(m, category, 0.9, "rule:civil-date-after-place")
    done = 0  # end of the last sentence read: two cues in one sentence give its dates once
    for cue in BIRTH_CUE.finditer(text):
        if cue.start() < done:
            continue
        end = SENTENCE_END.search(text, cue.end())
        done = end.start() if end else len(text)
        for m in APPOSED_DATE.finditer(text, cue.end(), done):
            yield _date_entity(m, "dateNaissance", 0.85, "rule:born-apposition")
            yield from _next_civil_dates(text, m, "dateNaissance")
    for m in NAME_DATE_TOWN.finditer(text):
        yield _date_entity(m, "dateNaissance", 0.8, "rule:name-date-town")
    for cue in index.finditer(GAVE_BIRTH_CUE):  # the date after the cue, or before it (« Le …, Mme X a donné naissance »)
        if m := GAVE_BIRTH_THEN_DATE.match(text, cue.start()):
            yield _date_entity(m, "dateNaissance", 0.85, "rule:gave-birth")
        window = max(0, cue.start() - 140)
        for m in DATE_BEFORE_GAVE_BIRTH.finditer(text, window, cue.start()):
            yield _date_entity(m, "dateNaissance", 0.85, "rule:gave-birth")
    for m in DATE_TOWN_AFTER_NAME.finditer(text):
        if KIN_BEFORE.search(text, max(0, m.start() - 70), m.start()):
            yield _date_entity(m, "dateNaissance", 0.8, "rule:kin-date-town")


def _next_civil_dates(text: str, m: re.Match, category: str) -> Iterator[Entity]:
    while (m := NEXT_CIVIL_DATE.match(text, m.end())) is not None:
        yield _date_entity(m, category, 0.85, "rule:civil-date-list")


# ------------------------------------------------------------------------ addresses, localities
STREET = (
    r"rue|avenue|av\.|boulevard|bd|chemin|allée|allee|impasse|route|quai|square|passage|"
    r"ruelle|sentier|faubourg|montée|rond-point|esplanade|parvis|promenade|lieu-dit|lieudit|lieux-dits|lieudits|"
    r"résidence|lotissement|hameau|chaussée|cours|place|voie|cité|villa|domaine|clos|mail|"
    r"château|chateau|mas|ferme|manoir|moulin|bastide|venelle|sente|traverse|courée|corniche|village|"
    r"hent|straed|"  # Breton road and street (« 12, hent Lannig »)
    # a hamlet of the Antilles (« demeurant section Dothémare, 97139 Les Abymes »)
    r"section"
)
# without a street number, these words make an address only after a domicile cue (« demeurant Mas
# des Oliviers à Arles », « domiciliée Résidence Les Pins ») or before a postcode (below)
NEEDS_NUMBER = {
    "section",
    "venelle",
    "sente",
    "traverse",
    "courée",
    "corniche",
    "château",
    "chateau",
    "mas",
    "ferme",
    "manoir",
    "moulin",
    "bastide",
    "cours",
    "place",
    "voie",
    "cité",
    "villa",
    "domaine",
    "clos",
    "mail",
    "route",
    "passage",
    "square",
    "hameau",
    "résidence",
    "village",
}
# (a range of numbers: « 21-23, rue X », « 4 à 12, avenue Y »)
NUMBER = rf"(?:\d{{1,4}}(?:-|{SP}+à{SP}+)(?=\d))?\d{{1,4}}(?:{SP}?(?:bis|ter|quater|[A-D])\b)?{SP}*,?{SP}*"
ADDRESS = re.compile(
    # (not the number of a parcel with a numeric section before a place name: « section 14 n° 77, lieu-dit … »)
    rf"(?P<num>(?<![\d,./])(?<!\d{SP}n°{SP})(?<!\d{SP}n°){NUMBER})?(?<![\w-])"
    # (a hamlet's « section » before its name, not a parcel's « section ZA n° 12 » or a court's « section B »)
    rf"(?P<type>(?!section\b(?!{SP}+(?-i:[{UP}][{LO}]{{2}})))(?:{STREET}))\b{SP}+"  # not « rez-de-chaussée »
    rf"(?P<name>(?:(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]|la|le|les){SP}*)?"
    rf"[{UP}0-9][^\n,;()«»:]{{0,60}}?)(?={SP}*(?:\n|,|;|\)|\(|$|\.(?:\s|$)|{SP}\d{{5}}\b|{SP}(?:à|a){SP}|{SP}-{SP}))",
    re.I,
)
# where an ADDRESS match may start (see ``finditer_at``): at its street type (a word of STREET, in the
# lower-cased text), or at most 20 characters before the spaces and comma that precede it, on a digit
# (NUMBER: four digits, a space, « quater », or a range « 1204 à 1210 »)
STREET_WORDS = tuple(STREET.replace("\\.", ".").split("|"))
# a parcel's section and « n° » right before a number (« ZC n° 97, lieux-dits … »): no street number
PARCEL_BEFORE_NUMBER = re.compile(rf"(?<![\w-])[A-Z]{{1,2}}{SP}*n°{SP}*$")


def _address_starts(text: str, folded: str) -> Iterator[int]:
    last = -1
    for street in word_starts(text, folded, STREET_WORDS, "_-"):
        lo = street
        while lo and text[lo - 1] in " \t\u00a0,":
            lo -= 1
        for start in range(max(0, lo - 20, last + 1), lo):
            if text[start].isdecimal():  # ``\d``
                yield start
        yield street
        last = street


POSTCODE_CITY = re.compile(
    rf"(?<![\d,.€/])\b(?P<cp>\d{{5}}|\d{{2}}{SP}\d{{3}}){SP}+(?P<city>{WORD}(?:(?:(?:-|{SP}+)"
    # (a German or Dutch link of a town abroad: « 79540 Weil am Rhein », « 1234 AB Alphen aan den Rijn »)
    rf"(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’]|am|an|im|bei|der|aan|den)(?:-|{SP}+))*|{HYPHEN_LINK})(?!(?:CEDEX|Cedex)\b){WORD})*\d?"
    rf"(?:{SP}+(?:CEDEX|Cedex)(?:{SP}+\d+)?)?)"
)
# where a POSTCODE_CITY match may start (see ``finditer_at``): the first digit of a run of digits (a
# single character class first: the engine skips to it quickly)
DIGITS = re.compile(r"\d\d*")


def _postcode_cities(text: str) -> list[re.Match]:
    return list(finditer_at(POSTCODE_CITY, text, (m.start() for m in DIGITS.finditer(text))))


# The seat of a company's trade registry (« immatriculée au RCS de LYON »), as Label annotates it: it
# locates a party. A court's seat is not occulted, in the heading or in the body (« TRIBUNAL
# JUDICIAIRE DE BOBIGNY », « le tribunal judiciaire de Lyon a… »): courts are public institutions.
SEAT = re.compile(
    rf"\b(?:RCS|R\.C\.S\.)\s+(?:de|d['’]|DE|D['’])\s*(?P<place>{WORD}(?:-{WORD})*)"
)
CONTINUATION = re.compile(
    rf"\n(?P<line>{WORD}(?:(?:-|{SP}+)(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’])(?:-|{SP}+))*"
    rf"{WORD}){{0,3}})[ \t]*(?=\n)"
)
NOT_CONTINUATION = re.compile(
    r"^(?:représenté|représentée|non|comparant|ayant|assisté|assistée|défendeur|"
    r"demandeur|intimé|appelant|partie|pris|prise|et|ou|absent|absente|dont|chez)",
    re.I,
)
NOT_CITY = re.compile(r"^(?:euros?|eur|francs?|habitants?|personnes?|€|Mois|Ans|Jours)\b", re.I)
# the article that may open a place's name (« cité des Tilleuls », « domaine de la Brède »)
PLACE_ARTICLE = rf"(?:(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]|la|le|les){SP}*)"
# A street named in the account of the facts, without a number (« une patrouille contrôlait rue Émile-Zola un
# fourgon », « dans le square Jean-Moulin, il … », « un bar de la Grande Rue à Millau »): the type, then
# capitalised words only, closed by a lower-case word or a punctuation mark
STREET_IN_PROSE = re.compile(
    # (« sur le cours de l'Intendance », « le cours Mirabeau », « a heurté, route de Kervel, la cycliste »:
    # « cours » after « sur le » or before a capital, not « au cours de », « le cours de Droit »; « route »
    # not in « feuille de route », « code de la route »)
    # (after « l' » or « d' » too: « au carrefour de la rue X et de l'avenue de la Y »)
    # (a housing estate by its name only: « le point de vente de la cité des Lauriers, dans … »)
    rf"(?<![\w-])(?<!\w\w['’])(?P<addr>(?:(?i:cit[ée])(?={SP}+{PLACE_ARTICLE}?[{UP}]){SP}+{PLACE_ARTICLE}?|"
    rf"(?:(?i:rue|avenue|boulevard|all[ée]e|impasse|quai|square)|"
    rf"(?<!de{SP})(?<!code{SP}de{SP}la{SP})(?i:route)(?={SP}+d)|(?<=sur{SP}le{SP})cours(?={SP}+d)|"
    rf"(?:(?<=[lL]e{SP})|(?<=[dD]u{SP}))cours(?={SP}+[{UP}])){SP}+"
    rf"(?:(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]){SP}*)?|Grande{SP}+Rue(?={SP}*[,;.]|{SP}+(?:à|de|du)\b))"
    rf"(?:{WORD}(?:(?:-|{SP}+(?:(?:de|du|des|la|le|les|d['’]|l['’]){SP}*)*){WORD})*)?)"
    rf"(?={SP}+[a-zà-ÿ]|{SP}*[,.;)]|{SP}*\n)"
)
# Words that introduce where someone lives or something is (« demeurant », « domiciliée », « sis »…).
DOMICILE_CUE = r"demeurant|domicili[ée]+e?s?|r[ée]sidant|habitant|sis|sise|situ[ée]+e?s?"
DOMICILE_AT = re.compile(
    rf"\b(?:(?i:{DOMICILE_CUE}|"
    rf"rendue?|fait(?:{SP}+et{SP}+jug[ée]+)?){SP}+(?:à|a){SP}|(?i:mairie|ville|communes?(?:{SP}+(?:voisine|limitrophe|natale)s?)?){SP}+(?:de{SP}|d['’]))"
    rf"{SP}*(?!(?:M|MM|Mme|Me)\b){PLACE}"
)
# the next towns of a list after the plural (« sur les communes de X, de Y et de Z », « des communes de X et Y »)
COMMUNES_NEXT = re.compile(
    rf"(?:{SP}*,{SP}*|{SP}+et{SP}+)(?:de{SP}+|d['’]{SP}*)?(?!(?:M|MM|Mme|Me)\b)(?P<place>[{UP}][\w'’]*(?:-[\w'’]+)*)"
)

# An address line without a street number or type, followed by a postcode and a town: a named
# property (« Château de la Brède, 33650 Saint-Morillon », « Domaine des Pins⏎13200 Arles ») or any
# capitalised place after a domicile cue (« demeurant Les Hauts de Vence, 06140 Vence »).
POSTCODE_AFTER = rf"{SP}*(?:,{SP}*|\n[ \t]*)$"  # the text before a postcode ends with its address line
PROPERTY = (
    r"Ch[âa]teau|Domaine|Mas|Ferme|Manoir|Moulin|Bastide|Villa|R[ée]sidence|Hameau|Lieu-?dit|Lotissement|"
    r"Clos|Cit[ée]|Quartier|Maison|Prieur[ée]|Abbaye|Ch[âa]let|Bergerie|Grange|Logis|Manade|M[ée]tairie"
)
NAMED_PLACE = rf"[{UP}0-9][^\n,;()«»:]{{0,60}}?"
NOT_PLACE = r"(?!(?:M|MM|Mme|Mmes|Me|Monsieur|Madame|Ma[îi]tre|Mademoiselle)\b)"
# a named property, its kind in lower case only before a capital (« maison Etxeberria », not « la résidence 88, rue
# … »), or an estate before its article (« cité des Tilleuls »; not « hameau de X », whose name alone is the address)
PROPERTY_ADDRESS = re.compile(
    rf"(?<![\w'’-])(?P<addr>(?:(?:Le|La|Les){SP}+|L['’]{SP}*)?(?:{PROPERTY}|(?i:{PROPERTY})(?={SP}+[{UP}])|(?i:cit[ée])(?={SP}+{PLACE_ARTICLE}[{UP}])){SP}+{PLACE_ARTICLE}?"
    rf"{NOT_PLACE}{NAMED_PLACE}(?:,{SP}*[^\n,;()«»:]{{2,60}}?)?){POSTCODE_AFTER}"
)
DOMICILE_BEFORE = re.compile(
    rf"\b(?i:{DOMICILE_CUE})(?:{SP}+(?:au|à|a))?{SP}+$"
)
# a road after the named place of a domicile (« situé lieu-dit Les Acacias, route de Saint-Paul »)
DOMICILE_PLACE_BEFORE = re.compile(
    rf"\b(?i:{DOMICILE_CUE})(?:{SP}+(?:au|à|a))?{SP}+(?i:lieu-?dit|hameau|village|quartier){SP}+[^\n,;]{{1,40}},{SP}*$"
)
DOMICILE_ADDRESS = re.compile(
    rf"\b(?i:demeurant|domicili[ée]+e?s?|r[ée]sidant|sis|sise|situ[ée]+e?s?|si[èe]ge(?:{SP}+social)?{SP}+est)"
    rf"{SP}+(?P<addr>(?!(?:M|MM|Mme|Me)\b)[{UP}][^\n,;()«»:0-9]{{0,60}}?){POSTCODE_AFTER}"
)

# The whole address line between a domicile cue and its postcode, as Label annotates it: a named
# residence, a building, a floor, an apartment, a post-office box (BP, CS) and the street, one span
# (« demeurant Résidence Les Tamaris, bâtiment B2, appartement 45, 34080 Montpellier », « dont le
# siège est 8, rue d'Antibes, BP 1207, 06407 Cannes Cedex »).
SEAT_CUE = rf"si[èe]ge(?:{SP}+social)?{SP}+(?:est|[ée]tait|se{SP}+trouv(?:e|ait)|situ[ée])"
DOMICILE_LINE = re.compile(
    rf"\b(?i:{DOMICILE_CUE}|{SEAT_CUE}|domicile{SP}+d[ée]clar[ée])"
    rf"(?:{SP}+(?i:ensemble|au|à|a))?{SP}*,?{SP}+"
    rf"(?P<addr>(?!(?:M|MM|Mme|Me)\b)(?:[{UP}0-9]|(?:{STREET}|quartier|zone|parc|case){SP})[^\n;:«»()]{{2,160}}?)"
    rf"{SP}*,?{SP}*(?<!\d)(?=(?:\d{{5}}|\d{{2}}{SP}\d{{3}}){SP}+[{UP}])"  # (a postcode, not the end of « 900178 »)
)
# a person named in the line (« chez Mme X ») is no part of the address
LINE_WITH_PERSON = re.compile(r"(?<!\w)(?:M\.|MM\.|Mmes?|Mlle|Monsieur|Madame|Me|Ma[îi]tre|chez|c/o)(?!\w)", re.I)
# Parts of an address line that are no street: building, staircase, floor, door, apartment, a
# post-office box or a « CS » sorting code (« bâtiment C, appartement 21 », « BP 1640 », « CS 60218 »),
# before a street, another part or a postcode.
ADDRESS_PART = re.compile(
    rf"(?<![\w'’])(?:(?i:b[âa]timent|b[âa]t\.|appartement|appt\.?|escalier|esc\.|porte|entr[ée]e|lot|"
    # (a letter and a number apart: « appartement C 12 »)
    rf"bo[îi]te{SP}+postale|case{SP}+postale){SP}+(?:[{UP}]{SP}\d{{1,4}}\b|[{UP}0-9][\w-]{{0,5}})|"
    # a named tower of an estate (« …, tour Cèdre, 4e étage »), after a numbered part of the line only
    rf"(?P<tower>tour{SP}+[{UP}][{LO}-]+(?:{SP}+\d{{1,2}})?)|\d{{1,2}}(?:e|er|ème|è){SP}+[ée]tage|"
    rf"(?:BP|B\.P\.|CS|TSA){SP}*\d{{2,6}}|"
    # a Belgian letter box after the numbered street (« rue X 9, boîte 3 ⏎ 5000 Namur »)
    rf"(?<=\d,[ ])(?P<box>(?i:bo[îi]te){SP}+\d{{1,4}}))"
    rf"(?={SP}*,{SP}*\w|{SP}*\n?{SP}*\d{{4,5}}{SP}+[{UP}]|(?P<town>{SP}+à{SP}+[{UP}]))"
)

# A building of a housing estate, without a street (« au pied du bâtiment B4 de la cité des Lilas », « l'immeuble
# C de la résidence Les Ormes »): an address
ESTATE_BUILDING = re.compile(
    rf"(?<![\w'’])(?i:b[âa]timent|b[âa]t\.|immeuble|tour|bloc){SP}+[{UP}0-9][\w-]{{0,4}}{SP}+(?i:de{SP}+la|du){SP}+"
    rf"(?i:cit[ée]|r[ée]sidence|quartier|lotissement){SP}+(?:(?:des|du|de{SP}+la|de|d['’]|les|le|la){SP}*)?"
    rf"[{UP}][\w'’-]+(?:{SP}+[{UP}][\w'’-]+){{0,2}}"
)

# Where a dated fact happened: « le 8 septembre 2024 à Champigny-sur-Marne », « le 9 juillet 2025
# vers 23 heures à Lunel », « à Autun, le 30 juin 2024 » — a locality, like a civil-status event's.
# A person is never a place (« le 3 mai 2024 à Monsieur X »).
EVENT_PLACE_AFTER = re.compile(
    rf"(?<![\w/])(?i:{DATE})(?:{SP}+(?:vers{SP}+)?\d{{1,2}}{SP}*(?:h|heures?)(?:{SP}*\d{{2}})?)?{SP}*,?{SP}+"
    rf"(?:à|a){SP}+{NOT_PLACE}{PLACE}"
)
EVENT_PLACE_BEFORE = re.compile(
    rf"(?<![\w'’])(?:à|a){SP}+{NOT_PLACE}{PLACE}{SP}*,{SP}*(?i:le|dans{SP}+la{SP}+nuit{SP}+du){SP}+(?i:{DATE}|\d{{1,2}}{SP})"
)
# The town where a public officer has their office (« notaire à Vic-Fezensac », « commissaire de
# justice à Haguenau »): Label masks it, it locates the parties' dealings.
OFFICER_SEAT = re.compile(
    rf"\b(?i:notaires?|commissaires?{SP}+de{SP}+justice|huissiers?{SP}+de{SP}+justice|commissaires?-priseurs?)"
    rf"(?:{SP}+(?i:associ[ée]e?s?))?{SP}*,?{SP}+(?:à|a){SP}+{NOT_PLACE}{PLACE}"
)

# A town found by the words around it only (a dated fact, a street, an officer's seat) could be a
# person's name (« une lettre remise le 3 mai 2024 à Jean Roux ») : these places do not keep the
# person rules from reading their words, and yield to a person found there (lower score than any).
SOFT_PLACE_SCORE = 0.55
# where a court sits or signs (« Prononcée publiquement à Metz, le … », « Fait à Meaux, le … »): public
COURT_SEAT_BEFORE = re.compile(
    # (a whole word: « détenu à », « obtenu à », « satisfait à » are no court's)
    r"(?<!\w)(?i:prononc[ée]+e?s?|rendue?s?|fait|jug[ée]+e?s?|d[ée]lib[ée]r[ée]+e?s?|si[ée]geant|publiquement|tenue?s?)\s*(?:à|a)\s*$"
)
SOFT_PLACES = frozenset({"rule:event-place", "rule:street-town", "rule:officer-seat", "rule:town-at",
                         "rule:place-noun-town", "rule:gazetteer"})
# The town written after a street (« 8, rue du Jeu-des-Enfants à Strasbourg », « chemin de la Roubine,
# à Marsillargues »).
TOWN_AFTER_STREET = re.compile(rf"{SP}*,?{SP}+(?:à|a){SP}+{NOT_PLACE}{PLACE}")


# A business zone or district heading an address line before its numbered street (« ZA des Platières, 140 rue
# des Tisserands », « Parc d'activités de la Lys, 2 rue du Bois-Blanc »): one address span, as Label has it.
ZONE_ACRONYM = r"Z\.?A\.?|Z\.?I\.?|ZAE|ZAC|ZAL|ZIL"  # zone d'activités, industrielle, d'aménagement concerté…
# (after a party's name and its comma too: « SAS X, Zone Y, 9, rue Z »)
ZONE_BEFORE = re.compile(
    rf"(?:^|(?<=[\n:,]))[ \t]*(?P<zone>(?:{ZONE_ACRONYM}|(?i:zone|parc|quartier|p[ôo]le|centre{SP}+commercial|"
    rf"technop[ôo]le|cit[ée]))\b[^\n,;()«»:]{{2,60}}?){SP}*,{SP}*$"
)
ZONE_AFTER_CUE = re.compile(
    rf"\b(?i:{DOMICILE_CUE}|{SEAT_CUE}){SP}+(?P<zone>(?:{ZONE_ACRONYM}|(?i:zone|parc|quartier)\b)"
    rf"[^\n,;()«»:]{{2,60}}?){SP}*,{SP}*$"
)
# A foreign address after a domicile cue, closed by its town and country (« domicilié 3, Kilkenny Road,
# Waterford (Irlande) », « domicilié strada Fagului 9, Cluj-Napoca (Roumanie) »): the street part, with
# a number, is an address, the town a locality.
# The town may carry its foreign postcode, before it (« Rue de la Gare 41, 4430 Ans (Belgique) »,
# « Rua do Sol, 12, 4580-211 Paredes (Portugal) », « Dorpsstraat 3, 8861 AD Harlingen ») or after it
# (« 9 Mill Road, Leeds LS6 2QT (Royaume-Uni) »): the locality is the town with its postcode.
# Other countries write the postcode after the town (« Osaka 542-0081 », « Tel-Aviv 6380413 »), or a US state
# and ZIP code after it (« Houston, TX 77005 »); Poland and Romania before it (« 40-851 Katowice », « 420058 Cluj »).
FOREIGN_LOCALITY = (
    rf"(?P<locality>(?:(?:(?P<nl>\d{{4}}{SP}[A-Z]{{2}})|(?P<pc>\d{{3}}{SP}\d{{2}}|\d{{2,6}}(?:-\d{{3,4}})?)){SP}+)?{PLACE}"
    rf"(?:{SP}+(?P<pc2>[A-Z]{{1,2}}\d[A-Z\d]?{SP}\d[A-Z]{{2}})|{SP}+(?P<pc3>\d{{3}}-\d{{4}}|\d{{5,7}})"
    rf"|,{SP}*(?P<pc4>[A-Z]{{2}}{SP}+\d{{5}}(?:-\d{{4}})?)|{SP}+(?P<pc5>(?:NSW|VIC|QLD|WA|SA|TAS|NT|ACT){SP}\d{{4}}))?)"
)
# (a flat or a suite after the street is the address's: « 12 Elm Street, Apt. 4, Dayton, OH 45402 »)
UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor)"
NOT_UNIT = rf"(?!{UNIT}\b)"
FOREIGN_ADDRESS = re.compile(
    rf"\b(?i:{DOMICILE_CUE}|{SEAT_CUE}|r[ée]sid(?:e|ait|aient|ent)|[ée]tablie?s?)(?:{SP}+(?i:situ[ée]e?))?{SP}+"
    rf"(?P<addr>(?!(?:M|MM|Mme|Me|le|la|les|par|pour|en|au|depuis)\b)[^\n;:«»()]{{3,80}}?){SP}*,{SP}*{NOT_UNIT}{FOREIGN_LOCALITY}"
    rf"(?:{SP}*\((?P<country>[^()\n]{{3,30}})\)|(?=[,.;]|\n|$))"
)
# the rest of a foreign address line up to its town, a postcode after it, and the country in brackets
# (« …, Apt. 12-3, Daegu 42011 (Corée du Sud) », « …, Smouha, Louxor (Égypte) »)
FOREIGN_TAIL = re.compile(
    rf"(?P<rest>[^\n;:«»()]{{0,80}}?){SP}*,{SP}*(?P<town>{PLACE}(?:{SP}+\d{{4,7}})?){SP}*\((?P<country>[^()\n]{{3,30}})\)"
)
# The domicile clause of a person abroad, whatever the country's way of writing an address (« déclarant
# demeurer Rua X, 412, bairro Y, 68980-000 Oiapoque – AP (Brésil) », « demeurant … Mah., … Cad. No: 118
# D: 5, 34710 Kadıköy/İstanbul (Turquie) », « demeurant 2301 X Boulevard, Apt 4B⏎Austin, TX 78703
# (États-Unis) », « résident en Éthiopie, Woreda 03, Kebele 14, maison n° 512, quartier de X »): from the
# cue, the parts separated by commas or a line break, each short and with a capital or a digit, up to the
# country in brackets or the first part that is prose again (« n'établit pas », « de nationalité »,
# « représenté par »). The clause needs a digit (a number or a postcode); each part is an address span,
# so that a better span found by another rule keeps its place.
CLAUSE_CUE = re.compile(  # (the first letters first, for speed)
    # (« déclarant résider … », « qui réside désormais … », « dernière adresse déclarée : … »)
    # (a company's seat abroad: « dont le siège est X Straat 12, Y, Z, Aruba »)
    rf"(?=[dDrRhHvVaAsSlLmMnN])\b(?i:demeurant|d[ée]clarant{SP}+(?:demeurer|r[ée]sider)|demeur(?:e|ent|ait|aient)|domicili[ée]+e?s?|r[ée]sidant|"
    rf"r[ée]sid(?:e|ent|ait|aient)|habitant|vivant|"
    # (« qui vit en Indonésie, Jalan X n° 27, … »: with the country only)
    rf"vi(?:t|vent|vait|vaient)(?={SP}+(?:en|au|aux){SP}+[{UP}])|adresse(?:{SP}+d[ée]clar[ée]e)?{SP}*:|{SEAT_CUE}|"
    # (« ayant conservé une adresse en Ukraine, X »: the country and its comma follow)
    rf"adresse(?={SP}+(?:en|au|aux){SP}+[{UP}][^,\n]{{0,30}},)|"
    # (« dernier domicile déclaré X », « leur appartement, X, Y, Z »)
    rf"(?:dernier{SP}+)?domicile{SP}+(?:d[ée]clar[ée]|connu)(?:{SP}*:)?|"
    rf"(?:leur|son|sa|mon|notre){SP}+(?:appartement|maison|logement){SP}*,)"
    rf"(?:{SP}+(?i:d[ée]sormais|actuellement|aujourd['’]hui|toujours|encore|tous{SP}+deux|toutes{SP}+deux|ensemble))?"
    rf"(?:{SP}+(?:en|au|aux){SP}+(?P<country>{WORD}(?:[ -]{WORD}){{0,2}}){SP}*,)?{SP}+"
    # (« ils résident au village de X, … »: the village opens the address)
    rf"(?:(?:au|dans{SP}+le){SP}+(?=(?i:village|hameau|quartier|douar|barrio|barangay){SP}))?"
)
CLAUSE_PART = re.compile(r"[^,;()\n«»]{1,60}")
# (a word of four letters at least before the dot: not « P.O. X », « vul. X », « str. X », « nr. X »)
CLAUSE_SENTENCE_END = re.compile(rf"(?<=\w{{4}})\.(?=\s+[{UP}])")
CLAUSE_SEPARATOR = re.compile(rf"{SP}*(?:,|{SP}[–-]{SP}|\n(?!{SP}*\n)){SP}*")
# (at the part's start, or after its street: « 15 quai X 54800 Y ⏎ Représentée par … »)
FRENCH_POSTCODE_TOWN = re.compile(rf"(?:^|(?<=[{LO}]){SP}+)\d{{5}}{SP}+[{UP}]")
CLAUSE_COUNTRY = re.compile(rf"{SP}*\((?P<country>[^()\n]{{3,30}})\)")
# a first word of prose, not of an address (« n'établit », « de nationalité », « représenté »)
CLAUSE_PROSE = re.compile(
    r"^(?:[a-zà-ÿ]+['’]|(?:n[ée]e?s?|de|des|du|et|ou|qui|que|où|il|elle|ils|elles|a|ont|est|sont|était|"
    r"représentée?s?|assistée?s?|comparant|comparante|titulaire|joignable|passeport|placée?s?|sous|avec|"
    r"depuis|pendant|chez|selon|dont|pour|par|sans|sur|dans|le|la|les|un|une|ce|cette|son|sa|ses|leur|leurs|"
    r"ensemble|actuellement|alors|seule?|mais|puis|après|avant|lors|même|père|mère|avocat|avocate|"
    r"célibataire|mariée?|divorcée?|veuve?|sans|"
    # a company's name (« demeurant SARL X & Associés, … »): the company is no address
    r"SARL|SAS|SASU|SA|SCI|EURL|SELARL|SELAS|SCP|SNC|société|cabinet|étude|c/o)\b)"
)
CLAUSE_FIRST = re.compile(rf"^(?:#?[{UP}0-9]|[a-zà-ÿ]{{1,6}}\.|(?i:{STREET}|rua|via|calle|carrera|avenida|strada|ulica|bairro|barrio|"
                          rf"colonia|case|villa|lot|maison|quartier|douar|woreda|kebele|cit[ée]|r[ée]sidence|hent|straat|"
                          rf"odos|od[óo]s|leoforos|avinguda|carrer|rruga|immeuble|"
                          # (Ukraine, Russia, Belarus: « vulytsia X 34 », « prospekt Y 14 »; Italy: « piazza Z »)
                          rf"vulytsia|vulitsa|ulitsa|ulitsya|prospekt|prospect|provulok|pereulok|shosse|naberezhna|"
                          rf"naberezhnaya|ploshcha|bulvar|piazza|viale|vicolo|corso|largo)\b)")


def _domicile_clause(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    index = index or TextStarts(text)  # (the literal starts of the patterns: same matches, sooner)
    for cue in index.finditer(CLAUSE_CUE):
        pos, parts = cue.end(), []
        foreign = bool(cue.group("country") and _is_country(cue.group("country")))
        while len(parts) < 8:
            part = CLAUSE_PART.match(text, pos)
            if not part:
                break
            words_ = part.group(0).strip()
            if not words_ or (not parts and not CLAUSE_FIRST.match(words_)) or CLAUSE_PROSE.match(words_) \
                    or LINE_WITH_PERSON.search(words_) or len(words_.split()) > 7 \
                    or not re.search(rf"[{UP}0-9]", words_) \
                    or _is_country(re.sub(r"^(?:au|aux|en)\s+", "", words_)):  # (« …, au Canada, »: no address)
                # a country closing the clause without brackets (« …, Willemstad, Curaçao, »): abroad
                foreign = foreign or bool(parts) and _is_country(words_)
                break
            if stop := CLAUSE_SENTENCE_END.search(text, part.start(), part.end()):  # (« …, à X. Sa sœur … »)
                parts.append((part.start(), stop.end()))
                break
            parts.append((part.start(), part.start() + len(part.group(0).rstrip())))
            country = CLAUSE_COUNTRY.match(text, part.end())
            if country:
                foreign = foreign or _is_country(country.group("country"))
                break
            sep = CLAUSE_SEPARATOR.match(text, part.end())
            if not sep or text[part.end():sep.end()].count("\n") and not foreign and len(parts) > 3:
                break
            pos = sep.end()
        if not parts or not any(re.search(r"\d", text[a:b]) for a, b in parts):
            continue
        if not foreign:  # a French postcode and its town close the address (« …, 29870 Landéda, Durand, »)
            french = next((i for i, (a, b) in enumerate(parts) if FRENCH_POSTCODE_TOWN.search(text[a:b])), None)
            if french is not None:
                parts = parts[: french + 1]
        if not foreign and len(parts) < 2:
            continue
        for a, b in parts:
            if text[a:b].lower().startswith(("à ", "a ")):
                a += 2
            if text[b - 1] == "." and re.search(r"\w{4}$", text[a:b - 1]):  # the sentence's end
                b -= 1
            yield Entity(a, b, "adresse", text[a:b], score=0.6, source="rule:domicile-clause")


# A named place after the noun of its kind, the place a person lives or a fact happened (« la tribu de
# Wagap », « douar Aït X », « au hameau de Chez Brunet », « la crique X », « au barrage routier de X », « au
# pied du bâtiment Les Iris », « la ferme de La Haute Borde », « le quartier de X »): an address. The name is
# capitalised; its words may be linked by the particles of other languages (« Deir ez-Zor », « Dasht-e X »).
PLACE_KIND = (
    r"tribu|douar|hameau|crique|barrage(?:[ \t\u00a0]+routier)?|b[âa]timent|ferme|quartier|lieu-?dit|mechta|"
    r"campement|kampong|fokontany|[îi]let|morne|ravine|village|faubourg|mangrove|"
    # a motorway's service area, a land-register zone abroad (« l'aire de service de X », « la zone foncière de Y »)
    r"aire[ \t\u00a0]+de[ \t\u00a0]+(?:service|repos)|zone[ \t\u00a0]+fonci[èe]re|"
    # where caravans stay (« l'aire d'accueil de X, emplacement n° 14 », « le terrain de la X »)
    r"aire[ \t\u00a0]+d['’]accueil(?:[ \t\u00a0]+des[ \t\u00a0]+gens[ \t\u00a0]+du[ \t\u00a0]+voyage)?|"
    r"terrain(?=[ \t\u00a0]+(?:de[ \t\u00a0]+la|du|des)[ \t\u00a0])|"  # (not « le terrain de Football »)
    # places of the account of the facts (« au pardon de la chapelle de X », « le manoir familial de X », « au
    # kampu X » of Guiana, « noyé au saut X », « près du chenal de la X », « la zone portuaire de X »)
    r"chapelle|manoir(?:[ \t\u00a0]+familial)?|kampu|saut|chenal|zone[ \t\u00a0]+(?:portuaire|industrielle|artisanale)|"
    # (« la zone d'activités de X », « l'anse de Y » of a coast)
    r"zone[ \t\u00a0]+d['’]activit[ée]s?|anse|"
    # a place of the mountain or the coast where the facts happened (« la descente du canyon du X », « au large de la
    # pointe de Y », « le couloir de Z »)
    # (in lower case: « les Éditions du Vallon Clair », « la SARL Pépinière du Col X » name companies)
    r"(?-i:couloir|canyon|pointe|gorges|vallon|combe|cirque|torrent|cascade|calanque|glacier|col)"
)  # a domain, a manor, a residence… : the property rules' (PROPERTY)
PARTICLE = r"(?:de|du|des|la|le|les|e|ez|el|al|ar|an|di|da|do|dos|van|von|ben|bin|d['’]|l['’])"
NAMED_AFTER_KIND = (
    # (a hyphenated link of French names too: « la Grève-à-Duret », « Pont-sur-Elle »)
    rf"(?P<name>(?:(?:Le|La|Les|Chez){SP}+|L['’])?{WORD}(?:(?:-(?:à|au|aux|sur|sous|en|lès)-|(?:-|{SP}+)(?:{PARTICLE}(?:-|{SP}+))*){WORD}){{0,3}})"
)
# The same named place in quotes, « dit » between or not (« aux lieux-dits « les X » et « la Y de la Z », « le
# campement dit « Le W » »): each name, a lower-case article left out (the name only, as for a lieu-dit)
QUOTED_PLACE_NAME = rf"«{SP}*(?:(?:le|la|les){SP}+|l['’]{SP}*)?(?P<name>[{UP}][^»\n]{{0,50}}?){SP}*»"
QUOTED_PLACE_OF_KIND = re.compile(
    rf"(?<![\w-])(?:(?i:lieux-?dits|(?:{PLACE_KIND})s?)(?:{SP}+dite?s?)?"
    # a property « dite » by its name (« la maison dite « Villa X » », « le mas dit « Y » »)
    rf"|(?i:{PROPERTY}){SP}+(?i:dite?)){SP}*:?{SP}*{QUOTED_PLACE_NAME}"
)
NEXT_QUOTED_PLACE = re.compile(rf"{SP}*(?:,|et|ou){SP}*{QUOTED_PLACE_NAME}")
PLACE_OF_KIND = re.compile(  # (the first letters first: the case-insensitive alternation is slow)
    rf"(?=[tdhcbfqlmkîirvazsgpTDHCBFQLMKÎIRVAZSGP])(?<![\w-])(?<!\w\w['’])(?P<kind>(?i:{PLACE_KIND})){SP}+(?:(?:de{SP}+la|de|du|des|d['’]){SP}*)?{NOT_PLACE}"
    rf"(?!(?:Cour|Tribunal|Conseil|Dieu|Notre)\b){NAMED_AFTER_KIND}"
)
# The numbered parts of a shelter in a camp (« secteur 4, bloc 9, abri n° 212 », « zone B, tente 31 »):
# two parts at least, one of them a shelter's.
CAMP_PART = r"(?:secteur|zone|bloc|block|abri|tente|conteneur|container|shelter|rang[ée]e|ligne)"
CAMP_PLOT = re.compile(
    rf"(?<![\w'’])(?i:{CAMP_PART}){SP}+(?:n°{SP}*)?[\w-]{{1,5}}(?![\w'’])"
    rf"(?:{SP}*,{SP}*(?i:{CAMP_PART}){SP}+(?:n°{SP}*)?[\w-]{{1,5}}(?![\w'’])){{1,4}}"
)
CAMP_SHELTER = re.compile(r"(?i:bloc|block|abri|tente|conteneur|container|shelter)\b")
# A lodging named in quotes before its street or its room (« au centre d'hébergement « Les Tilleuls »,
# chambre 12, 8 rue … », « foyer de jeunes travailleurs « X », 4 allée … »): the lodging, an address line.
LODGING_KIND = (
    rf"(?i:centre{SP}+(?:d['’]{SP}*(?:h[ée]bergement|accueil)|provisoire{SP}+d['’]h[ée]bergement)|foyer|"
    rf"r[ée]sidence{SP}+sociale|h[ôo]tel|pension{SP}+de{SP}+famille|maison{SP}+relais|CADA|HUDA|CHRS)"
)
LODGING_ROOM = rf"(?i:chambre|appartement|studio|logement|b[âa]timent|module){SP}+(?:n°{SP}*)?[\w-]{{1,8}}{SP}*,{SP}*"
LODGING_STREET = rf"\d{{1,4}}(?:{SP}*(?:bis|ter))?,?{SP}+(?i:{STREET})\b"
LODGING_NAMED = re.compile(
    rf"(?<![\w'’]){LODGING_KIND}[^«»\n.;:]{{0,60}}?«[^»\n]{{1,60}}»(?={SP}*,{SP}*(?:{LODGING_ROOM})?{LODGING_STREET})"
)
PITCH_AFTER = re.compile(rf"{SP}*,{SP}*(?i:emplacement){SP}+(?:n°{SP}*)?\d{{1,4}}\b")
# kinds of place whose name is the next word only when it is no common word in capitals (« le bâtiment
# B », « quartier Nord »)
NOT_PLACE_NAME = re.compile(r"^(?:Nord|Sud|Est|Ouest|Centre|Haut|Bas|Principal|Ancien|Nouveau)$")


# An address of the English-speaking countries: number, name and street type in English (« 9 Mill Road »,
# « 14 Saint Anne's Close »), then its town with a British postcode (« Leeds LS6 2QT ») or an Irish
# Eircode (« …, Cobh, P24 TX81 »)
ENGLISH_STREET_TYPE = (r"(?:Road|Street|Lane|Avenue|Close|Drive|Way|Place|Court|Gardens|Terrace|Crescent|Row|Hill|Square|"
                       r"Grove|Mews|Walk|Parade|Circle|Boulevard|Parkway|Trail)\b")
# (a cheap test first: the pattern opens on any number)
ENGLISH_STREET_ANCHOR = re.compile(ENGLISH_STREET_TYPE)
ENGLISH_ADDRESS = re.compile(
    rf"(?<![\w-])(?P<addr>\d{{1,4}}[A-Z]?,?{SP}+(?:[{UP}][\w'’-]+{SP}+){{1,3}}{ENGLISH_STREET_TYPE}"
    # its flat or suite (« 88 Pine Street, Apt. 4B », « 1200 Main Street, Suite 310 »)
    # (or in French: « 5532 Maple Street, appartement 7 »)
    rf"(?:,?{SP}*(?:{UNIT}|(?i:appartement|appt))\.?{SP}*(?:#|n°)?{SP}*\d[\dA-Z-]{{0,5}}(?![\w-]))?)"
    # its town alone on the next line, its country in brackets (« ⏎Halifax (Nouvelle-Écosse, Canada) »)
    rf"(?:{SP}*\n{SP}*(?P<town_line>{WORD}(?:[ -]{WORD}){{0,2}}){SP}*\((?P<country>[^()\n]{{3,40}})\)"
    rf"|,{SP}*{NOT_UNIT}(?P<town>{WORD}(?:[ -]{WORD}){{0,2}}?)(?:{SP}+(?P<pc>[A-Z]{{1,2}}\d[A-Z\d]?{SP}\d[A-Z]{{2}})"
    # a US state and ZIP code after the town (« Dayton, OH 45402 »): the locality's
    rf"|,{SP}*(?P<zip>[A-Z]{{2}}{SP}+\d{{5}}(?:-\d{{4}})?)(?![\w-]))?"
    rf"(?:,{SP}*(?P<eircode>[A-Z]\d{{2}}{SP}?[A-Z0-9]{{4}})\b)?)?"
)
# A southern European street, its number after its name, right before a postcode and its town (« via Garibaldi 42
# 20121 Milano », « calle Mayor 12, 28013 Madrid », « rua das Flores 8, 4050-262 Porto »): an address.
LATIN_STREET = re.compile(
    rf"(?<![\w-])(?i:via|viale|piazza|piazzale|corso|vicolo|largo|calle|avenida|carrer|avinguda|plaza|pla[çc]a|paseo|"
    rf"rua|travessa){SP}+(?:(?:de|del|della|delle|dei|degli|di|da|das|do|dos|la|las|los|el|d['’]){SP}*)*"
    rf"{WORD}(?:{SP}+(?:(?:de|del|della|delle|dei|degli|di|da|das|do|dos|la|las|los|el|d['’]){SP}*)*{WORD}){{0,3}}"
    rf",?{SP}+\d{{1,4}}[a-zA-Z]?(?=,?{SP}+\d{{4,5}}(?:-\d{{3}})?{SP}+[{UP}])"
)
# A Romanian address line: the street or village, « nr. » and its number, then its block, staircase, floor
# and flat (« strada Plopilor nr. 12, bl. A3, sc. 2, et. 4, ap. 31 », « sat Valea Mare, nr. 140 »).
ROMANIAN_ADDRESS = re.compile(
    rf"(?<![\w-])(?:(?i:strada|str\.|bulevardul|b-dul|calea|[șs]oseaua|aleea|intrarea|pia[țt]a|splaiul|satul|sat))"
    rf"{SP}+{WORD}(?:[ -](?:(?:de|lui){SP})?{WORD}){{0,3}},?{SP}+nr\.{SP}*\d{{1,4}}[A-Z]?"
    rf"(?:,{SP}*(?:bl|sc|et|ap)\.{SP}*[0-9A-Z]{{1,4}}(?![\w-]))*"
)
# A German, Austrian or Swiss street, one word ending in its type (« 7 Hafenstraße », « Goethestrasse 27 »,
# « Lindengasse 4 »), its number before or after it: an address.
GERMAN_STREET = re.compile(
    rf"(?<![\w-])(?:\d{{1,4}}[a-z]?{SP}+)?[{UP}][{LO}]+(?:stra(?:ß|ss)e|gasse|weg|platz|allee|damm)"
    rf"(?:{SP}+\d{{1,4}}[a-z]?)?(?![\w-])"
    # its floor (« Ahornweg 7, 3. OG », « …, 2. Stock »)
    rf"(?:,?{SP}*\d{{1,2}}\.{SP}*(?:OG|UG|DG|EG|Stock|Etage)\b)?"
)
# (not « …ring », « …ufer »: « Spring 2024 » is no street)
GERMAN_STREET_ANCHOR = re.compile(rf"[{LO}](?:stra(?:ß|ss)e|gasse|weg\b|platz|allee|damm\b)")  # glued to its name, as below
# A Canadian address: the town, its province in brackets, then the postcode (« …, app. 3, Laval (Québec)
# H7N 2K4 »): town and postcode are localities, the line before them an address.
CANADIAN_POSTCODE = re.compile(rf"[A-Z]\d[A-Z]{SP}\d[A-Z]\d")  # (a cheap test first: the pattern opens on any word)
CANADIAN_LOCALITY = re.compile(
    rf"(?P<place>[{UP}](?<![\w'’-].)[{UP}{LO}'’]*(?:-{WORD})*){SP}*(?:\((?P<province>[{UP}][^()\n]{{2,30}})\){SP}*)?"
    rf"(?P<pc>{CANADIAN_POSTCODE.pattern})(?![\w-])"
)
# The town of a fact or a person's situation after « à » (« interpellé à Joinville-le-Pont », « restaurateur à
# Lormont », « un logement à Petite-Île », « de contrôler, à Lunel, un véhicule »): a locality, unless a
# court sits there, or it is a country, a person (civility) or an institution.
# The first town of a road between two (« la route départementale reliant Collioure à Banyuls », « la ligne
# reliant Cahors et Figeac »): a locality as the second, after « à ».
TOWN_LINKED = re.compile(rf"(?<![\w'’])(?i:reliant|relie){SP}+{NOT_PLACE}{PLACE}(?={SP}+(?:à|et|au){SP}+\S)")
TOWN_AT = re.compile(rf"(?<![\w'’])à{SP}+{NOT_PLACE}{PLACE}")
NOT_TOWN = {  # first words of institutions, titles, and of regions or islands (« vit à Mayotte »)
    "mayotte", "guadeloupe", "martinique", "guyane", "reunion", "corse", "polynesie", "nouvelle-caledonie",
    "bretagne", "normandie", "provence", "alsace", "lorraine", "savoie", "outre-mer", "metropole", "la", "le", "les",
    "pole", "france", "etat", "europe", "union", "office", "caisse", "banque", "tresor", "urssaf", "prefet",
    "prefecture", "ministere", "ministre", "conseil", "cour", "tribunal", "monsieur", "madame", "maitre",
    "compter", "titre", "defaut", "raison", "article", "hauteur", "date", "cet", "cette", "ce", "tort",
    "messieurs", "mesdames", "chaque", "tous", "toutes", "tout", "nouveau", "nouvelle",
    # what a house or a station is of (« la maison de Justice », « la station d'Épuration »)
    "justice", "epuration", "sante", "retraite", "famille", "culture", "jeunesse", "enfance", "vacances",
}
# The town after a noun of a place where something happened or someone stays (« l'aire de repos de
# Saint-Laurent-Blangy », « devant un immeuble de Villeurbanne », « le centre pénitentiaire de Borgo », « le
# centre hospitalier d'Armentières », « le collège Rameau de Versailles »).
# the words between a place noun and its town: the kind of school, or a proper name (« l'école maternelle
# Les Lilas de Brive », « le collège Jean-Macé d'Orthez »)
PLACE_NOUN_ADJECTIVE = (
    r"(?i:[ée]l[ée]mentaire|maternelle|primaire|priv[ée]e?|publique?|municipale?|professionnel(?:le)?|agricole|"
    r"technique|g[ée]n[ée]ral|polyvalent|r[ée]gional|d[ée]partemental|intercommunal(?:e)?|universitaire|"
    r"m[ée]t[ée]orologique|baln[ée]aire|thermale|portuaire|maritime|routi[èe]re|ferroviaire)"
)
PLACE_NOUN_TOWN = re.compile(
    rf"\b(?i:aire(?:{SP}+de{SP}+(?:repos|service|jeux))?|immeuble|d[ée]ch[eè]tterie|plan{SP}+d['’]eau|parking|"
    rf"centre{SP}+p[ée]nitentiaire|maison{SP}+d['’]arr[êe]t|centre{SP}+de{SP}+d[ée]tention|centre{SP}+hospitalier|h[ôo]pital|"
    rf"CHU|CHR|CHRU|clinique|"
    rf"centre{SP}+de{SP}+r[ée]tention(?:{SP}+administrative)?|coll[èe]ge|lyc[ée]e|[ée]cole|gare|commissariat|gendarmerie|"
    rf"plage|port|a[ée]roport|march[ée]|cimeti[èe]re|stade|piscine|camping|foyer|centre{SP}+[ée]ducatif(?:{SP}+ferm[ée])?|"
    # a medical and psychological centre, and where people come from (« originaires de X »)
    rf"centre{SP}+m[ée]dico-(?:psychologique|social|psycho-p[ée]dagogique)|originaires?|"
    # the seat of a notary's or a bailiff's office (« notaire à la résidence de X »)
    rf"(?<=à la )r[ée]sidence|"
    # « à son domicile de X », « le camp de réfugiés de X », « la commune associée de X », « au large de
    # l'île de X », « à hauteur de X »
    rf"domicile|camp(?:{SP}+de{SP}+r[ée]fugi[ée]s)?|commune{SP}+(?:associ[ée]e|d[ée]l[ée]gu[ée]e|rurale|urbaine)|"
    # (« la crèche Les X de Y », « le centre d'accueil X de Y »)
    rf"cr[èe]che|centre{SP}+d['’]accueil|[îi]le|(?<=à{SP})hauteur|"
    # (« l'EHPAD Les X de Y », « la maison de retraite X de Y »)
    rf"EHPAD|maison{SP}+de{SP}+retraite|"
    # « sa maison de X », « le centre médical de X », « l'école de ski de X »
    # « le site de X », « l'usine de X »: the town where a person works, a locality as the writers annotate it
    rf"site|usine|district|province|wilaya|"
    # (« le terminal de X », « le wharf de X », « la station météorologique de X »)
    # (« la salle des fêtes de X », « le poste-frontière de X »)
    rf"salle{SP}+(?:des{SP}+(?:f[êe]tes|sports)|polyvalente)|poste(?:-|{SP}+)fronti[èe]re|"
    rf"terminal|wharf|station|(?:(?<=\bsa{SP})|(?<=\bleur{SP}))maison|centre{SP}+m[ée]dical|[ée]cole{SP}+de{SP}+(?:ski|voile|surf|musique|danse))"
    rf"(?:{SP}+(?:{WORD}(?:-{WORD})*|{PLACE_NOUN_ADJECTIVE})){{0,3}}"
    # the establishment's own name with its article (« le collège de l'Alisier de Y »)
    rf"(?:{SP}+(?:de{SP}+l['’]|de{SP}+la{SP}+|du{SP}+){WORD}(?:-{WORD})*)?"
    rf"{SP}+(?:de{SP}+|d['’]|du{SP}+)(?=[{UP}]){NOT_PLACE}{PLACE}"
)
# A town whose name opens with « Les », after a commune's noun (« la commune des Hauts-Bois », « élections
# municipales des Monts-Verts »)
COMMUNE_DES = re.compile(rf"\b(?i:communes?|municipales?){SP}+des{SP}+(?=[{UP}]){NOT_PLACE}{PLACE}")
# The town of a marriage registrar (« devant l'officier de l'état civil de Brantôme »)
# or of a civil-status centre (« le registre du centre principal d'état civil de X », « l'officier de l'état
# civil du centre de X », « … de l'assemblée populaire communale de X »)
CIVIL_REGISTRAR_TOWN = re.compile(
    rf"\b(?:(?i:officier){SP}+(?i:de){SP}+(?i:l['’]{SP}*[ée]tat[- ]civil)|(?i:centre|bureau)(?:{SP}+(?i:principal|secondaire))?"
    rf"{SP}+(?i:d['’]{SP}*[ée]tat[- ]civil))"
    rf"(?:{SP}+(?:du{SP}+|de{SP}+la{SP}+|de{SP}+l['’])(?i:centre|commune|mairie|cercle|assembl[ée]e)(?:{SP}+[a-zéèêàç]+){{0,2}})?"
    rf"{SP}+(?:de{SP}+|d['’]|du{SP}+)(?=[{UP}])"
    rf"{NOT_PLACE}{PLACE}"
)
# A foreign postcode with its country letters, then the town (« L-4123 Esch », « CH-1205 Genève »), on an
# address line; an Andorran one, its letters glued to three figures (« AD400 La Massana », « AD500 Andorra
# la Vella »)
# (a cheap test first: the end of the country letters and the postcode's first four figures)
FOREIGN_POSTCODE_START = re.compile(r"[A-Z]-\d{4}|AD\d{3}")
FOREIGN_POSTCODE_TOWN = re.compile(
    rf"(?<![\w-])(?P<place>(?:[A-Z]{{1,2}}-\d{{4,5}}|AD\d{{3}}){SP}+[{UP}][\w'’-]*"
    rf"(?:{SP}(?:(?:la|de|del|les){SP})?[{UP}][\w'’-]*){{0,2}})"
)


# A four-digit postcode and its town opening an address line, with a canton or a country after it on the
# line (« 1092 Belmont-sur-Lausanne (VD) - SUISSE », « 8010 Graz, Autriche »): Switzerland, Belgium, Austria,
# Denmark… both are a locality.
FOUR_DIGIT_POSTCODE_TOWN = re.compile(
    rf"(?m)^{SP}*(?P<pc>\d{{4}}){SP}+{PLACE}(?P<rest>{SP}*(?:\([A-Z]{{2}}\)|[,–-]?{SP}*\(?(?P<country>[{UP}][{UP}{LO}-]+)\)?)"
    rf"{SP}*(?:[,–-]{SP}*(?P<country2>[{UP}][{UP}{LO}-]+))?)?{SP}*$"
)


# A foreign postcode and its town after a comma of an address line, the country (after a region or
# not) in brackets (« Chaussée de X 212, 7780 Comines-Warneton (Belgique) », « odos X 14, 730 08 Vamos
# (Chania, Grèce) », « ul. X 5, 31-042 Kraków (Pologne) »): one locality.
POSTCODE_TOWN_ABROAD = re.compile(
    rf",{SP}*(?P<locality>(?:\d{{4}}|\d{{3}}{SP}\d{{2}}|\d{{2}}-\d{{3}}){SP}+{PLACE})"
    rf"{SP}*\((?:[^()\n,]{{1,30}},{SP}*)?(?P<country>[^()\n,]{{3,30}})\)"
)
# A named building on an address line (« demeure Immeuble Nahas, 4e étage, rue X », « l'immeuble Villa Y,
# 9, boulevard Z »): the building and its name, before the next part of the line.
NAMED_BUILDING = re.compile(
    rf"[iI]mmeuble{SP}+{NOT_PLACE}(?P<name>(?:(?:Le|La|Les){SP}+|L['’])?{WORD}(?:(?:-|{SP}+){WORD}){{0,2}})"
    rf"(?={SP}*,{SP}*(?:\d|{SP}*(?i:\d{{1,2}}(?:e|er|ème){SP}+[ée]tage|b[âa]timent|escalier|appartement|rue|avenue|boulevard)))"
)
# A named land of French Polynesia, its lands bearing a name (« la terre Faremanu », « la terre dite
# Tiamao »), and a roadside place by its kilometre point, on the sea or mountain side (« PK 37,2 côté mer »,
# « PK 12 côté montagne, 98712 Papara »): an address.
NAMED_LAND = re.compile(
    # (a lower-case letter after the capital: « la terre L’absence … », a sentence without its stop, is no land)
    rf"terres?{SP}+(?:dites?{SP}+)?(?P<name>[{UP}][{LO}][{LO}'’-]+(?:(?:-|{SP}+)[{UP}][{LO}][{LO}'’-]+)?)"
)
# a numbered street (« 9 rue X », « 14 bis, allée Y »), and a tower after it (« 9 rue X, tour Y »)
NUMBERED_STREET = rf"\d{{1,4}}(?:{SP}?(?:bis|ter))?,?{SP}+(?i:{STREET})\b"
TOWER_AFTER_STREET = re.compile(rf"{NUMBERED_STREET}[^\n;,]*,{SP}*$")
# The same lodging named without guillemets (« hébergé à l'hôtel Les Pins, chambre 12, 14 avenue X », « au
# centre d'hébergement Le Phare, chambre 3, 22 rue Y », « au centre d'accueil de demandeurs d'asile Les Y, 4 rue
# Z »): its name, when a numbered street follows, a room between them or not (not « l'hôtel de Ville »);
# a residence's too, before its building and apartment (« résidence Les Ifs, bâtiment C, appartement 9, 3 rue Z »).
LODGING_UNQUOTED = re.compile(
    rf"(?<!\w)(?:{LODGING_KIND}|(?i:r[ée]sidence))(?:{SP}+[a-zéèêàç'’-]+){{0,5}}?{SP}+"
    rf"(?!Ville\b)(?P<name>(?:(?:Le|La|Les){SP}+|L['’])?{WORD}(?:(?:-|{SP}+(?:(?:de{SP}+la|de|du|des|d['’]|l['’]){SP}*)?){WORD}){{0,4}})"
    rf"(?={SP}*,{SP}*(?:{LODGING_ROOM}){{0,3}}{LODGING_STREET})"
)
# A named property before its numbered street, no postcode after (« le Domaine de Lartigue, 4 route des Graves, à
# Margaux », « au Château Bellerive, 12 chemin X »): the property, an address line with its street, as Label has it
PROPERTY_BEFORE_STREET = re.compile(
    rf"(?<![\w'’-])(?P<name>(?:{PROPERTY}){SP}+(?:(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]){SP}*)?{NOT_PLACE}"
    rf"[{UP}][\w'’-]+(?:{SP}+[{UP}][\w'’-]+){{0,2}})(?={SP}*,{SP}*{NUMBERED_STREET})"
)
KILOMETRE_POINT = re.compile(
    rf"PK{SP}*\d{{1,3}}(?:[,.]\d{{1,3}})?(?:{SP}+c[ôo]t[ée]{SP}+(?:mer|montagne|lagon)\b|(?={SP}*,{SP}*\d{{5}}{SP}))"
)


# A town written with its country in brackets (« une banque de Hondarribia (Espagne) », « né à Figueres
# (Espagne) »): a locality.
# (« au Locle (Suisse) », the last town of a list: « à X, Y et Z (Luxembourg) »)
TOWN_COUNTRY = re.compile(rf"(?<![\w'’])(?:à|de|d['’]|du|au|et){SP}*{NOT_PLACE}{PLACE}{SP}*\((?P<country>[^()\n]{{3,30}})\)")


# The parts of a complex address line before its postcode, read backwards segment by segment (« ZAC
# des Tilleuls, 4 allée du Frêne, 60230 X », « Marina du Y, quai n° 3, local 8, 97190 X », « foyer Le Z,
# chambre 9, 2 chemin des W, 63500 X », « Résidence Les V, bâtiment C, appartement 12, 5 rue U ⏎ 31770
# X »): a street (with or without its number), a part of a building, a named site heading the line,
# or a lone street number after its street; the whole line is one address, as Label has it.
LINE_STREET = re.compile(rf"(?:\d{{1,4}}(?:{SP}?(?:bis|ter|[A-D])\b)?,?{SP}*)?(?i:{STREET})\b{SP}+\S.{{0,60}}")
LINE_PART = re.compile(
    rf"(?i:b[âa]timent|b[âa]t\.|appartement|app\.|appt\.?|escalier|esc\.|porte|chambre|local|hangar|lot|bureau|tour|"
    rf"quai|case|bo[îi]te{SP}+postale)(?:{SP}*n°)?{SP}*[\w-]{{1,6}}|(?:BP|B\.P\.|CS|TSA){SP}*\d{{2,6}}|"
    rf"\d{{1,2}}(?:e|er|ème|è){SP}+[ée]tage|\d{{1,4}}"
)
# the capitalised name of a district or a village of the commune, between the street and the postcode
LINE_DISTRICT = re.compile(rf"[{UP}][\w'’-]+(?:{SP}+(?:(?:des|de|du|la|le|les){SP}+|d['’])?[{UP}][\w'’-]+){{0,3}}")
LINE_SITE = re.compile(
    rf"(?<![\w'’-])(?:{ZONE_ACRONYM}|(?i:zone|parc|marina|port|immeuble|r[ée]sidence|foyer|centre{SP}+commercial|"
    rf"section|quartier|lotissement|domaine|hameau|lieu-?dit|cit[ée]|les{SP}+jardins))\b"
    rf"(?:{SP}+[a-zà-ÿ'’]+){{0,3}}{SP}*(?:l['’])?[{UP}][^,]{{0,70}}$"  # its name: « foyer de jeunes travailleurs Les X »
)


def _line_before_postcode(text: str, postcode: int) -> tuple[int, int] | None:
    """Bounds of a complex address line ending just before a postcode, or None."""
    end = postcode
    before = text[max(0, postcode - 3) : postcode]
    if re.search(rf"\n{SP}*$", before):  # the postcode and town on the next line
        end = text.rfind("\n", 0, postcode)
    elif not re.search(rf",{SP}*$", before):
        return None
    line_start = max(text.rfind("\n", 0, end) + 1, end - 220)
    commas = [line_start + m.start() for m in re.finditer(",", text[line_start:end])]
    start, kinds = None, []
    for seg_start, seg_end in reversed(list(zip([line_start] + [c + 1 for c in commas], commas + [end], strict=True))):
        seg = text[seg_start:seg_end]
        body = seg.strip()
        if not body:
            continue
        offset = seg_start + seg.find(body)
        if not kinds and LINE_DISTRICT.fullmatch(body):
            kinds.append("district")  # a district or a village right before the postcode (« …, Hell-Bourg, 97433 »)
        elif LINE_PART.fullmatch(body):
            kinds.append("part")
        elif LINE_STREET.fullmatch(body):
            kinds.append("street")
        else:
            site = LINE_SITE.search(body)
            number = re.search(r"(?<![\w,.])\d{1,4}$", body)
            if site:
                kinds.append("site")
                start = offset + site.start()
            elif number and kinds and kinds[-1] == "street":  # « dont le siège est 1, rue … »
                start = offset + number.start()
            break
        start = offset
    if start is None or len([k for k in kinds if k != "district"]) < 2 and "district" not in kinds \
            or not {"street", "site"} & set(kinds):
        return None
    if LINE_WITH_PERSON.search(text, start, end):
        return None
    return start, len(text[:end].rstrip(", \t\u00a0"))


def _zone_start(text: str, start: int) -> int:
    """Start of the address line when a business zone or a district heads its numbered street."""
    line = max(text.rfind("\n", 0, start) + 1, start - 90)
    m = ZONE_BEFORE.search(text, line, start) or ZONE_AFTER_CUE.search(text, max(0, start - 140), start)
    return m.start("zone") if m else start


# A square or a road without number is a place of the facts when its town follows (« place de la
# Halle à X », « sur le parking de la place du Y, à X »); a numbered departmental or national road
# likewise (« sur la route départementale 5 à X », « la RD 12 à X »).
NUMBERED_ROAD = re.compile(
    rf"(?<![\w'’-])(?:(?i:route){SP}+(?i:d[ée]partementale|nationale|territoriale|communale)|RD|RN){SP}*(?:n°{SP}*)?\d{{1,4}}\b"
)

# its kilometre marker after it (« route départementale 775, au point repère 18+250 », « la RD 12 au PR 4+300 »): a
# place as exact as a street number, in the address
ROAD_MARKER = re.compile(
    rf"{SP}*,?{SP}*(?:(?i:au){SP}+)?(?:(?i:point{SP}+(?:de{SP}+)?rep[èe]re)|PR){SP}*(?:n°{SP}*)?\d{{1,3}}{SP}*\+{SP}*\d{{1,4}}\b"
)

# the town it leads to (« sur la route départementale 1113 en direction de Langon »): where the facts happened
ROAD_TOWARD = re.compile(
    rf"{SP}*,?{SP}+en{SP}+direction{SP}+(?:de{SP}+|d['’]{SP}*)"
    rf"(?P<place>{HYPHENATED_TOWN})"
)


def _town_after(text: str, end: int) -> bool:
    town = TOWN_AFTER_STREET.match(text, end)
    return bool(town) and fold_chars(town.group("place")) not in COUNTRIES and _town_ok(text, town)


NAMED_BUSINESS_BEFORE = re.compile(
    rf"\b(?i:soci[ée]t[ée]|SARL|SAS|SASU|EURL|SCI|SNC|enseigne|magasin|boutique|restaurant|bar|h[ôo]tel|commerce)"
    rf"{SP}+(?:[{UP}][\w'’-]*{SP}+){{1,3}}$"
)


IN_COUNTRY = re.compile(rf"{SP}+en{SP}+({WORD}(?:[ -]{WORD})*)$")


# After « de » (« d' », « du »), an institution, an office or a title before the town (« la cour d'appel de Lyon », « le tribunal de
# commerce de Nanterre », « le barreau de Nantes », « le préfet du Rhône », « l'université de Lille »,
# « le comte de Paris »), up to four lower-case words between: the town names the institution, not
# where a person lives or a fact happened. A street (« la route de Grenoble ») is the address rules'. A
# company's « site de X » is no institution: the town where a person works locates them.
INSTITUTION_BEFORE = re.compile(
    rf"(?<![\w'’-])(?i:cours?|tribunal|tribunaux|conseil|barreau|b[âa]tonni(?:er|[èe]re)|ordre|parquet|procureure?|"
    rf"pr[ée]f(?:et|[èe]te|ecture)|sous-pr[ée]f(?:et|ecture)|juges?|juridiction|chambre|greffe|greffi(?:er|[èe]re)|"
    rf"universit[ée]|facult[ée]|acad[ée]mie|rectorat|recteur|caisse|minist[èe]re|ministre|direction|agence|office|"
    rf"administration|d[ée]partement|r[ée]gion|m[ée]tropole|salle|audience|val|dioc[èe]se|[ée]v[êe]que|[ée]v[êe]ch[ée]|archev[êe](?:que|ch[ée])|maire|"
    rf"club|association|syndicat|f[ée]d[ée]ration|duc|duchesse|comte|comtesse|vicomte|"
    rf"marquis|marquise|baron|baronne|prince|princesse|seigneur|rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|"
    rf"route|quai|square|passage|faubourg|rond-point|esplanade|promenade|cours|place|voie|porte|pont)"
    rf"(?:{SP}+(?:d['’])?[a-zà-ÿ'’-]+){{0,4}}{SP}*$"
)
# a capitalised word right before « de », « d' », « du »: a person's particle (« M. Jean de Vienne »,
# « Me Paul de Metz »), a company or an institution's name (« Olympique de Marseille »)
CAPITAL_BEFORE_PARTICLE = re.compile(rf"(?<![\w-])[{UP}][\w'’.-]*{SP}+$")


TWO_LETTER_WORDS = frozenset("Me Mr St Dr Ma Sa Se Ce Un En Au Du De Le La Il On Ne Ni Et Ou Si Ta Te Tu Nu Ça Là Où".split())


def town_context_ok(
    text: str, cue_start: int, start: int, end: int, *, particle: bool = False, known: bool = False
) -> bool:
    """Whether the town ``text[start:end]``, after a cue starting at ``cue_start`` (« à », « de »…), is a
    person's place or a fact's: not a country, an institution, a court's seat, a company, a title,
    nor, after « de », an institution's or a street's town or a person's particle (``particle``: the cue
    is « de », « d' » or « du »). A town
    ``known`` to the gazetteer may open with an article (« La Rochelle », « Le Havre ») or be a city-state
    after « à » (« à Monaco »)."""
    place = text[start:end]
    first = fold_chars(re.split(r"[\s-]", place)[0])
    return (
        # (a town of two letters after « à »: « à Wé », « à Eu »)
        (len(place) > 2 or len(place) == 2 and place[1].islower() and place not in TWO_LETTER_WORDS
         and fold_chars(text[cue_start:start]).strip() == "a")
        and not re.match(r"\.?[ \u00a0]?\d", text[end : end + 3])  # « articles L.740-1 à L.744-17 »
        and (fold_chars(place) not in COUNTRIES or (known and fold_chars(text[cue_start:start]).strip() == "a"))
        and (first not in NOT_TOWN or (known and first in ("la", "le", "les")))
        # an acronym or a company in capitals (« à URSSAF », « à KPMG Avocats »)
        and not (len(place.split()[0]) > 1 and place.split()[0].isupper())
        # a shop or a company named with « à » (« la société Le Grenier à Pain »)
        and not NAMED_BUSINESS_BEFORE.search(text, max(0, cue_start - 50), cue_start)
        and not COURT_SEAT_BEFORE.search(text, max(0, cue_start - 40), cue_start + 2)
        and not (particle and INSTITUTION_BEFORE.search(text, max(0, cue_start - 70), cue_start))
        and not (particle and CAPITAL_BEFORE_PARTICLE.search(text, max(0, cue_start - 40), cue_start))
    )


def _town_ok(text: str, m: re.Match) -> bool:
    return town_context_ok(text, m.start(), m.start("place"), m.end("place"))


# A place named in quotes after the noun of its kind (« le terrain familial dit « Les Trois Cocotiers » »,
# « la parcelle appelée « Champ Pourri » », « l'EHPAD « Les Glycines » »): its name is an address; after a
# domicile cue, the kind too (« demeurant Maison de retraite « Les Tilleuls », 4 rue … »).
QUOTED_PLACE_KIND = re.compile(
    rf"(?P<kind>(?i:terrains?|terres?|parcelles?|propri[ée]t[ée]|champ|verger|pr[ée]|bois|jardin|enclos|case|villa|"
    rf"domaine|maison{SP}+de{SP}+retraite|ehpad|foyer(?:-logement)?|r[ée]sidence|maison{SP}+d['’]accueil))"
    rf"(?:{SP}+[a-zéèêàç]+)?(?:{SP}+(?i:dite?|appel[ée]e?|nomm[ée]e?|d[ée]nomm[ée]e?))?{SP}*$"
)
QUOTED_NAME = re.compile(rf"«{SP}*(?P<name>[{UP}][^«»\n]{{1,40}}?){SP}*»")
DOMICILE_BEFORE_KIND = re.compile(rf"(?i:{DOMICILE_CUE}|h[ée]berg[ée]+e?s?){SP}+(?:(?:à|au|en){SP}+)?(?:(?:la|le|l['’]){SP}*)?$")
# a road's reference point after the road (« sur la route nationale 4, point repère 12+350 », « RD 920, PR 7+200 »):
# the road and its point, an address
PR_ADDRESS = re.compile(
    rf"(?<![\w.])(?:(?:(?i:route{SP}+(?:nationale|d[ée]partementale)|autoroute)|R[NDT]|A)\b{SP}*(?:n°{SP}*)?\d{{1,4}}"
    rf"{SP}*,?{SP}*)?(?:PR|P\.R\.|(?i:point{SP}+(?:de{SP}+)?rep[èe]re)){SP}*(?:n°{SP}*)?\d{{1,3}}{SP}?\+{SP}?\d{{1,3}}(?![\d])"
)
# a road's kilometre point as its number (« PK 12,5 route de X », « P.K. 3 de la RN 1 »): an address
PK_ADDRESS = re.compile(
    rf"(?<![\w.])(?:PK|P\.K\.){SP}*\d{{1,3}}(?:[,.]\d{{1,3}})?(?:{SP}+(?:de{SP}+la|du|de{SP}+l['’]))?{SP}+"
    rf"(?:(?i:route|piste|chemin)|R[NDT]|CD)\b[^\n,;()«»]{{1,40}}?(?={SP}*(?:[,;(\n]|$|\.\s))"
)
# a post-office box abroad (« P.O. Box 2211 », « Postfach 40 12 », « Apartado 318 »)
POST_BOX = re.compile(
    rf"(?<![\w.])(?:(?:P\.{SP}?O\.?|PO\.?){SP}*Box|Postfach|Apartado(?:{SP}+(?:de{SP}+)?[Cc]orreos)?|"
    rf"Casilla(?:{SP}+de{SP}+[Cc]orreos?)?|Caixa{SP}+Postal){SP}*(?:n°|No\.?|#)?{SP}*\d{{1,6}}(?:{SP}\d{{2,4}})?(?![\w/])"
)


def _quoted_places(text: str) -> Iterator[Entity]:
    for q in QUOTED_NAME.finditer(text):
        name = q.group("name")
        if len(name.split()) > 5:
            continue
        kind = QUOTED_PLACE_KIND.search(text, max(0, q.start() - 50), q.start())
        if not kind or not _word_start(text, kind.start()):
            continue
        start = q.start("name")
        if DOMICILE_BEFORE_KIND.search(text, max(0, kind.start() - 40), kind.start()):
            start = kind.start()
            yield Entity(start, q.end(), "adresse", text[start:q.end()], score=0.7, source="rule:quoted-place")
        else:
            yield _ent(q, "name", "adresse", 0.7, "rule:quoted-place")


def addresses(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    """See :func:`_addresses`; a rule of last resort fills only the words the others
    left (:data:`FALLBACK_SOURCES`)."""
    yield from _with_fallbacks(list(_addresses(text, index)))


def _addresses(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    index = index or TextStarts(text)  # (the literal starts of the patterns: same matches, sooner)
    folded = index.folded
    if "«" in text:
        yield from _quoted_places(text)
    for m in index.finditer(PK_ADDRESS):
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.75, source="rule:pk-address")
    for m in PR_ADDRESS.finditer(text) if "+" in text else ():  # (a cheap test first)
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.75, source="rule:pk-address")
    for m in index.finditer(POST_BOX):
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.75, source="rule:post-box")
    for m in index.finditer(TOWN_LINKED):
        if _town_ok(text, m) and not _is_country(m.group("place")):
            yield _ent(m, "place", "localite", 0.7, "rule:town-at")
    for m in index.finditer(TOWN_AT):
        if _town_ok(text, m):
            place = m.group("place")
            country = IN_COUNTRY.search(place)  # « à Gallet-la-Forêt en Arménie » : the town only
            if country and fold_chars(country.group(1)) in COUNTRIES:
                place = place[: country.start()]
            yield Entity(m.start("place"), m.start("place") + len(place), "localite", place, score=0.5,
                         source="rule:town-at")
    for m in index.finditer(PLACE_NOUN_TOWN):
        if _town_ok(text, m):
            yield _ent(m, "place", "localite", 0.5, "rule:place-noun-town")
    for m in index.finditer(COMMUNE_DES):
        if _town_ok(text, m):
            yield _ent(m, "place", "localite", 0.6, "rule:place-noun-town")
    for m in index.finditer(CIVIL_REGISTRAR_TOWN):
        if _town_ok(text, m):
            yield _ent(m, "place", "localite", 0.8, "rule:married-in")
    for m in FOREIGN_POSTCODE_TOWN.finditer(text) if FOREIGN_POSTCODE_START.search(text) else ():
        # on an address line, or after « de » / « à » (« une entreprise de CH-4410 Liestal »)
        if re.search(rf"(?:(?:^|\n|,){SP}?|(?<![\w'’])(?:de|à){SP})$", text[max(0, m.start() - 4) : m.start()]):
            yield _ent(m, "place", "localite", 0.8, "rule:foreign-postcode")
    for m in FOUR_DIGIT_POSTCODE_TOWN.finditer(text):
        countries = [c for c in (m.group("country"), m.group("country2")) if c]
        if re.match(r"\s*\([A-Z]{2}\)", m.group("rest") or "") or any(_is_country(c) for c in countries):
            yield _ent(m, "pc", "localite", 0.8, "rule:foreign-postcode")
            yield _ent(m, "place", "localite", 0.8, "rule:foreign-postcode")
    for m in POSTCODE_TOWN_ABROAD.finditer(text):
        if _is_country(m.group("country")):
            yield _ent(m, "locality", "localite", 0.8, "rule:foreign-postcode")
    for m in index.finditer(NAMED_BUILDING):
        if _word_start(text, m.start()) and not _is_country(m.group("name")):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.8, source="rule:named-building")
    for m in NAMED_LAND.finditer(text):
        if _word_start(text, m.start(), "'’") and not _is_country(m.group("name")) and not NOT_PLACE_NAME.match(m.group("name")):
            yield _ent(m, "name", "adresse", 0.7, "rule:named-land")
    for m in KILOMETRE_POINT.finditer(text):
        if _word_start(text, m.start()):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.8, source="rule:kilometre-point")
    for m in TOWN_COUNTRY.finditer(text):
        if fold_chars(m.group("country")) in COUNTRIES and _town_ok(text, m):
            yield _ent(m, "place", "localite", 0.7, "rule:town-country")
    for m in index.finditer(FOREIGN_ADDRESS):
        country = m.group("country")
        foreign = bool(
            (country and _is_country(country)) or m.group("nl") or m.group("pc2") or m.group("pc4") or m.group("pc5")
        )
        if not foreign:
            # a district between the street and the town (« 4 rue X, Smouha, Louxor (Égypte) »): the line up
            # to the last part before the country is the address, that part the town
            tail = FOREIGN_TAIL.match(text, m.end("locality"))
            if tail and _is_country(tail.group("country")) and re.search(r"\d", m.group("addr")):
                end = tail.end("rest")
                yield Entity(m.start("addr"), end, "adresse", text[m.start("addr") : end], score=0.96,
                             source="rule:foreign-address")
                yield _ent(tail, "town", "localite", 0.85, "rule:foreign-address")
            continue
        if re.search(r"\d", m.group("addr")):
            yield _ent(m, "addr", "adresse", 0.85, "rule:foreign-address")
            yield _ent(m, "locality", "localite", 0.85, "rule:foreign-address")
    yield from _domicile_clause(text, index)
    for m in index.finditer(PLACE_OF_KIND):
        if not NOT_PLACE_NAME.match(m.group("name")) and not _is_country(m.group("name")) \
                and not m.group("kind").isupper():  # a company's name in capitals (« SARL X BATIMENT Y »)
            # a building is named with its kind (« bâtiment Les Iris »), as an estate's building
            # and so is a place whose kind opens its name (« Ravine des Cabris », « Morne Rouge »)
            kind = m.group("kind")
            start = m.start("kind") if kind.lower().startswith(("bâtiment", "batiment")) or kind[0].isupper() \
                else m.start("name")
            end = m.end("name")
            if pitch := PITCH_AFTER.match(text, end):  # the caravan's pitch (« …, emplacement n° 14 »)
                end = pitch.end()
                start = m.start("kind")  # (an address line, its kind with it: « aire d'accueil de X, … »)
            yield Entity(start, end, "adresse", text[start:end], score=0.6, source="rule:place-of-kind")
    for m in index.finditer(QUOTED_PLACE_OF_KIND):
        while m:
            yield _ent(m, "name", "adresse", 0.6, "rule:place-of-kind")
            m = NEXT_QUOTED_PLACE.match(text, m.end())
    for m in index.finditer(CAMP_PLOT):
        if CAMP_SHELTER.search(m.group(0)):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.75, source="rule:camp-shelter")
    for m in index.finditer(LODGING_NAMED):
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.75, source="rule:named-lodging")
    for m in index.finditer(LODGING_UNQUOTED):
        yield _ent(m, "name", "adresse", 0.75, "rule:named-lodging")
    for m in index.finditer(PROPERTY_BEFORE_STREET):
        yield _ent(m, "name", "adresse", 0.75, "rule:property-before-street")
    for m in CANADIAN_LOCALITY.finditer(text) if CANADIAN_POSTCODE.search(text) else ():  # the town, its province in brackets and the postcode
        yield _ent(m, "place", "localite", 0.85, "rule:foreign-postcode")
        if m.group("province"):
            yield _ent(m, "province", "localite", 0.85, "rule:foreign-postcode")
        yield _ent(m, "pc", "localite", 0.85, "rule:foreign-postcode")
        line = _line_before_postcode(text, m.start())
        if line:
            yield Entity(*line, "adresse", text[line[0] : line[1]], score=0.955, source="rule:address-line")
    for m in index.finditer(LATIN_STREET):
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.8, source="rule:latin-street")
    for m in ROMANIAN_ADDRESS.finditer(text) if "nr." in text else ():  # (a cheap test first)
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.85, source="rule:romanian-address")
    if GERMAN_STREET_ANCHOR.search(folded):  # (a cheap test first: the pattern opens on any capital)
        for m in GERMAN_STREET.finditer(text):
            if any(ch.isdigit() for ch in m.group(0)):  # with its number only (« Herring » is a name)
                yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.8, source="rule:german-street")
    for m in ENGLISH_ADDRESS.finditer(text) if ENGLISH_STREET_ANCHOR.search(text) else ():
        yield _ent(m, "addr", "adresse", 0.85, "rule:foreign-address")
        if m.group("town_line") and _is_country(m.group("country").split(",")[-1].strip()):
            yield _ent(m, "town_line", "localite", 0.85, "rule:foreign-address")
        if m.group("town"):
            end = m.end("pc") if m.group("pc") else m.end("zip") if m.group("zip") else m.end("town")
            yield Entity(m.start("town"), end, "localite", text[m.start("town"):end], score=0.85,
                         source="rule:foreign-address")
        if m.group("eircode"):
            yield _ent(m, "eircode", "adresse", 0.85, "rule:foreign-address")
    for rule, source in ((EVENT_PLACE_AFTER, "rule:event-place"), (EVENT_PLACE_BEFORE, "rule:event-place"),
                         (OFFICER_SEAT, "rule:officer-seat")):
        for m in index.finditer(rule):
            if fold_chars(m.group("place")) not in COUNTRIES and not COURT_SEAT_BEFORE.search(
                text, max(0, m.start() - 40), m.start() + 2
            ):
                yield _ent(m, "place", "localite", SOFT_PLACE_SCORE, source)
    lines: list[tuple[int, int]] = []
    for m in index.finditer(DOMICILE_LINE):
        # a line of several parts, or with a number (a lone named place is found by the rules below)
        addr = m.group("addr")
        if (re.search(r"\d", addr) or "," in addr) and not LINE_WITH_PERSON.search(addr):
            lines.append(m.span("addr"))
            yield _ent(m, "addr", "adresse", 0.96, "rule:address-line")
    for m in index.finditer(ESTATE_BUILDING):
        yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.9, source="rule:estate-building")
    for m in ADDRESS_PART.finditer(text):
        if m.group(0).split()[0].isupper() and len(m.group(0).split()[0]) > 3:
            continue  # « SARL X BATIMENT TSB » : a word of a company's name in capitals
        if m.group("town") and not re.search(rf"\d[^\n;]*,{SP}*$", text[max(0, m.start() - 80) : m.start()]):
            continue  # « …, appartement 4 à Tours » ends a numbered address, nothing else
        if m.group("box") and not re.search(rf"\b(?i:{STREET})\b[^\n,;]*\d,[ ]$", text[max(0, m.start() - 80) : m.start()]):
            continue  # a letter box after its street only (not « le scellé n° 4, boîte 3 »)
        if m.group("tower") and not TOWER_AFTER_STREET.search(text, max(0, m.start() - 80), m.start()):
            continue  # a tower right after a numbered street (« 9 rue X, tour Y »)
        if not any(s <= m.start() and m.end() <= e for s, e in lines):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.85, source="rule:address-part")
    streets: list[tuple[int, int]] = []
    for m in index.finditer(NUMBERED_ROAD):
        town = TOWN_AFTER_STREET.match(text, m.end())
        if (toward := ROAD_TOWARD.match(text, m.end())) and fold_chars(toward.group("place")) not in COUNTRIES:
            yield _ent(toward, "place", "localite", 0.8, "rule:road-toward")
        if marker := ROAD_MARKER.match(text, m.end()):
            yield Entity(m.start(), marker.end(), "adresse", text[m.start() : marker.end()], 0.85, "rule:address")
        elif town and _town_ok(text, town):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.85, source="rule:address")
    for m in index.finditer(STREET_IN_PROSE):
        # not an address line (a number before it, a postcode after it): the address rule's
        if (
            re.search(rf"[{UP}]", m.group("addr")[1:])
            and not re.search(r"\d", text[max(0, m.start() - 6) : m.start()])
            and not re.match(r"\s*,?\s*\d", text[m.end() : m.end() + 6])
        ):
            # (« route », « cours »: below a longer address line that opens on them)
            score = 0.84 if m.group("addr")[:1] in "rRcC" and m.group("addr")[:3].lower() != "rue" else 0.86
            yield _ent(m, "addr", "adresse", score, "rule:street-in-prose")
    for m in finditer_at(ADDRESS, text, _address_starts(text, folded)):
        kind = m.group("type").lower()
        name = m.group("name").rstrip(" .\t")
        if (
            kind in NEEDS_NUMBER
            and (not m.group("num") or kind == "section")  # (« du 14 septembre 2023, section Agriculture »)
            and not DOMICILE_BEFORE.search(text, max(0, m.start() - 30), m.start())
            and not DOMICILE_PLACE_BEFORE.search(text, max(0, m.start() - 90), m.start())
            and not _town_after(text, m.start("name") + len(name))
        ):
            continue
        if not name or not re.search(rf"[{UP}]", name[:12]):
            continue
        start = m.start("type")
        # a street's number, not a parcel's (« section ZA n° 13 et ZC n° 97, lieux-dits … ») nor a year before a
        # hamlet's « section »
        num = m.start("num")
        if m.group("num") and kind != "section" and not PARCEL_BEFORE_NUMBER.search(text, max(0, num - 12), num):
            start = _zone_start(text, num)
        end = m.start("name") + len(name)
        if not m.group("num") and start > 0 and text[start - 1] not in "\n ":
            continue
        score = 0.95 if m.group("num") else 0.85
        streets.append((start, end))
        yield Entity(start, end, "adresse", text[start:end], score=score, source="rule:address")
        town = TOWN_AFTER_STREET.match(text, end)
        if town and fold_chars(town.group("place")) not in COUNTRIES:
            yield _ent(town, "place", "localite", SOFT_PLACE_SCORE, "rule:street-town")
    cities = _postcode_cities(text)  # (read twice below)
    for m in cities:
        city = m.group("city")
        if NOT_CITY.match(city):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:n°|N°|article|art\.|RG|pourvoi|minute)\s*$", before, re.I):
            continue
        yield Entity(
            m.start(),
            m.end("city"),
            "localite",
            text[m.start() : m.end("city")],
            score=0.92,
            source="rule:postcode-city",
        )
        line = _line_before_postcode(text, m.start())
        if line:
            # below the line after a domicile cue (0.96), which may start further left
            yield Entity(*line, "adresse", text[line[0] : line[1]], score=0.955, source="rule:address-line")
        # the address line before it, when it has no street type (a named property, a place after
        # « demeurant »)
        window = max(0, m.start() - 110)
        prop = PROPERTY_ADDRESS.search(text, window, m.start())
        line = prop or DOMICILE_ADDRESS.search(text, window, m.start())
        if not line:
            continue
        inside = [(s, e) for s, e in streets if s < line.end("addr") and line.start("addr") < e]
        if not inside:
            yield _ent(line, "addr", "adresse", 0.8, "rule:address-no-street")
        elif (
            prop
            and "," in line.group("addr")
            and all(line.start("addr") <= s and e <= line.end("addr") for s, e in inside)
        ):
            # « Mas de la Garrigue, chemin des Pins » : the property and its street, one span
            yield _ent(line, "addr", "adresse", 0.97, "rule:address-no-street")
    for m in index.finditer(DOMICILE_AT):
        yield _ent(m, "place", "localite", 0.75, "rule:domicile-place")
        if re.match(r"(?i:communes)", m.group(0)):
            end = m.end("place")
            while (nxt := COMMUNES_NEXT.match(text, end)) is not None and not _is_country(nxt.group("place")):
                yield _ent(nxt, "place", "localite", 0.7, "rule:domicile-place")
                end = nxt.end("place")
    for m in index.finditer(SEAT):
        if m.group("place")[:1].isupper() and m.group("place").lower() not in ("la", "le", "l"):
            yield _ent(m, "place", "localite", 0.6, "rule:trade-registry-seat")
    for city in cities:
        nxt = CONTINUATION.match(text, city.end("city"))
        if (
            nxt
            and not NOT_CONTINUATION.match(nxt.group("line"))
            and not nxt.group("line").isupper()
            and fold_chars(nxt.group("line")) not in COUNTRIES
        ):
            yield _ent(nxt, "line", "adresse", 0.7, "rule:address-continuation")


# ----------------------------------------------------------------------------------- cadastre
CADASTRE = re.compile(
    # (an adjective after the noun: « les parcelles voisines AH n° 12 »)
    rf"\b(?:parcelles?(?:{SP}+[a-zéèêëïîôûç]{{3,}}(?={SP}+[A-Z]))?|cadastr[ée]+e?s?|section)(?:{SP}+(?:cadastr[ée]+e?s?|section|n°|sous))*"
    # (the three digits of a city's quarter before the section: « 827 H n° 45 » in Marseille; a range « ZB n° 3
    # à ZB n° 7 »)
    rf"(?P<refs>(?:{SP}*(?:,|et|à)?{SP}*(?:\d{{3}}{SP}+)?[A-Z]{{1,2}}{SP}*(?:n°{SP}*)?\d{{1,5}}\b)+)"
)
CADASTRE_REF = re.compile(rf"(?:\d{{3}}{SP}+)?[A-Z]{{1,2}}{SP}*(?:n°{SP}*)?\d{{1,5}}\b")


# A parcel with a numeric section (« cadastrée section 47 n° 213 ») or named by its number alone
# (« la parcelle 213 », « parcelles n° 214 et 215 »), not an area or a price after it
SECTION_NUMBER = re.compile(rf"\bsection{SP}+(?P<ref>\d{{1,3}}{SP}+n°{SP}*\d{{1,5}}(?:/\d{{1,4}})?)\b")
# the next parcels of the list, with their section or their number alone (« section 47 n° 213 et 47 n° 214,
# n° 215 »)
SECTION_NEXT = re.compile(
    rf"(?:{SP}*,{SP}*|{SP}+et{SP}+)(?:section{SP}+)?(?P<ref>(?:\d{{1,3}}{SP}+)?n°{SP}*\d{{1,5}})\b"
)
NOT_AN_AREA = rf"(?!{SP}*(?:m\b|m²|m2|ha\b|hectares?|ares?\b|euros?|€|%|,\d))"
# (a parcel split « 87/12 »; a land-register sheet « feuillet n° 1409 »)
PARCEL_NUMBER = re.compile(rf"\b(?:parcelles?|feuillets?){SP}+(?:n°{SP}*)?(?P<ref>\d{{1,5}}(?:/\d{{1,4}})?)\b{NOT_AN_AREA}")
# the next numbers of a list of parcels (« les parcelles 58, 59 et 61 »)
PARCEL_NEXT = re.compile(rf"(?:{SP}*,{SP}*|{SP}+et{SP}+)(?:n°{SP}*)?(?P<ref>\d{{1,5}}(?:/\d{{1,4}})?)\b{NOT_AN_AREA}")


# A parcel's code in a foreign land register (the Greek « KAEK 500161803005 », « sous le code cadastral
# n° … », « numéros cadastraux 123456789 et 123456790 »): a long number after its name, and the next ones of
# the list.
CADASTRE_CODE = re.compile(
    rf"(?:KAEK|cadastra(?:l|ux|les?))"
    rf"(?:{SP}*(?:n°|:))?{SP}*(?P<ref>\d{{6,15}})\b"
)
CADASTRE_CODE_NOUN = re.compile(rf"(?i:codes?|num[ée]ros?|identifiants?|r[ée]f[ée]rences?){SP}+$")
CADASTRE_CODE_NEXT = re.compile(rf"(?:{SP}*,{SP}*|{SP}+et{SP}+)(?:KAEK{SP}*)?(?P<ref>\d{{6,15}})\b")
# A parcel's reference of letters and digits in a foreign land register, after « référence » in a sentence
# on the cadastre (the Spanish « référence cadastrale 9872023VH5797S0001WX », « inscrite au cadastre
# espagnol sous la référence … »): fourteen to twenty capitals and digits, six digits at least.
CADASTRE_REFERENCE = re.compile(
    rf"\b(?:(?i:cadastr\w*)[^.;\n]{{0,40}}?\b(?i:r[ée]f[ée]rences?)|(?i:r[ée]f[ée]rences?{SP}+cadastrales?))(?:{SP}*(?:n°|:))?{SP}*"
    rf"(?P<ref>(?=(?:[A-Z]*\d){{6}})(?=\d*[A-Z])[0-9A-Z]{{14,20}})(?![\w-])"
)
# a list of parcels by their number alone after a plural noun (« sous les numéros de parcelle 412 et 413 »)
PLURAL_PARCEL_NOUN = re.compile(rf"(?i:num[ée]ros|n°s|nos){SP}+(?:de{SP}+|des{SP}+)?$")


def cadastre(text: str, index: TextStarts | None = None) -> Iterator[Entity]:
    index = index or TextStarts(text)  # (the literal starts of the patterns: same matches, sooner)
    for m in index.finditer(CADASTRE_CODE):
        if not _word_start(text, m.start()) or (
                m.group(0)[0] == "c" and not CADASTRE_CODE_NOUN.search(text, max(0, m.start() - 20), m.start())):
            continue
        yield _ent(m, "ref", "cadastre", 0.85, "rule:cadastre-code")
        while (m := CADASTRE_CODE_NEXT.match(text, m.end("ref"))) is not None:
            yield _ent(m, "ref", "cadastre", 0.85, "rule:cadastre-code")
    for m in index.finditer(CADASTRE_REFERENCE):
        yield _ent(m, "ref", "cadastre", 0.85, "rule:cadastre-code")
    for rule in (SECTION_NUMBER, PARCEL_NUMBER):
        for m in index.finditer(rule):
            yield _ent(m, "ref", "cadastre", 0.8, "rule:cadastre-number")
            following = SECTION_NEXT if rule is SECTION_NUMBER else PARCEL_NEXT
            if rule is SECTION_NUMBER or text[m.start() : m.start() + 9].lower() in ("parcelles", "feuillets") \
                    or PLURAL_PARCEL_NOUN.search(text, max(0, m.start() - 16), m.start()):
                end = m.end("ref")
                while (nxt := following.match(text, end)) is not None:
                    yield _ent(nxt, "ref", "cadastre", 0.8, "rule:cadastre-number")
                    end = nxt.end("ref")
    for m in index.finditer(CADASTRE):
        base = m.start("refs")
        for ref in CADASTRE_REF.finditer(m.group("refs")):
            yield Entity(
                base + ref.start(),
                base + ref.end(),
                "cadastre",
                ref.group(0),
                score=0.9,
                source="rule:cadastre",
            )
        # the next parcels of the same section by their number alone (« section ZH n° 17, 18 et 52 »)
        end = m.end("refs")
        while (nxt := PARCEL_NEXT.match(text, end)) is not None:
            yield _ent(nxt, "ref", "cadastre", 0.8, "rule:cadastre-number")
            end = nxt.end("ref")


# The proper name of a named place (« Manoir de Kerlann », « lieu-dit Hopfenfeld »), after its type word
PLACE_NAME = re.compile(
    rf"^(?i:{PROPERTY}|lieu-?dit)(?:{SP}+(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]|la|le|les))?{SP}*(?P<name>[{UP}][{LO}{UP}'’-]{{3,}})$"
)


def named_places_again(text: str, found: list[Entity]) -> Iterator[Entity]:
    """Other mentions of the proper name of a named place found in an address (« demeurant Manoir de
    Kerlann, … » then « la jouissance du manoir de Kerlann », « au lieu-dit Hopfenfeld » then « le secteur
    du Hopfenfeld »): an address, as Label annotates it. Capitalised mentions only."""
    names = set()
    for e in found:
        if e.source == "rule:quoted-place" and not re.search(r"\d", e.text):  # (« le terrain dit « X » »)
            quoted = QUOTED_NAME.search(e.text)
            names.add(quoted.group("name") if quoted else e.text)
            continue
        if e.category == "adresse" and not re.search(r"\d", e.text):
            m = PLACE_NAME.match(e.text.split(",")[0].strip())
            if m and fold_chars(m.group("name")) not in COUNTRIES:
                names.add(m.group("name"))
    if not names:
        return
    taken = [(e.start, e.end) for e in found]
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![\w'’-])")
    # (tried only where a name opens a word: the matches of ``pattern.finditer(text)``, sooner)
    for m in finditer_at(pattern, text, word_starts(text, text, tuple(ordered), "'’-")):
        if not any(s < m.end() and m.start() < t for s, t in taken):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.7, source="rule:named-place-again")


def all_rules(text: str, index: TextStarts | None = None) -> list[Entity]:
    """Every rule's entities in ``text``; ``index``: the text's literal starts, shared with the other
    detectors of the text (built here when not given)."""
    out: list[Entity] = []
    from .places import gazetteer_towns  # the gazetteer's module reads this one's rules

    index = index or TextStarts(text)
    for detector in (identifiers, civil_dates, addresses, cadastre):
        out.extend(detector(text, index))
    out.extend(gazetteer_towns(text))
    out = _with_fallbacks(out)
    out.extend(named_places_again(text, out))
    return out


# The general rules of last resort (any country's document number, a domicile clause abroad, a place after
# the noun of its kind, a plate by its shape, a civil-status date of a list): they only fill the words no
# more specific rule found, so that the specific rules keep their spans, categories and scores.
FALLBACK_SOURCES = frozenset({
    "rule:any-document-number", "rule:plate-after-vehicle", "rule:plate-any-format", "rule:domicile-clause",
    "rule:place-of-kind", "rule:civil-date-list", "rule:event-date-later", "rule:name-date-town",
    "rule:numbered-noun", "rule:record-date",
})


def _with_fallbacks(found: list[Entity]) -> list[Entity]:
    specific = [e for e in found if e.source not in FALLBACK_SOURCES]
    taken = sorted((e.start, e.end) for e in specific)
    out = list(specific)
    for e in sorted((e for e in found if e.source in FALLBACK_SOURCES), key=lambda e: (e.start, -e.end)):
        overlaps = sorted((s, t) for s, t in taken if s < e.end and e.start < t)
        if not overlaps:
            out.append(e)
            taken.append((e.start, e.end))
        elif e.source == "rule:domicile-clause":  # the words of the part no other span holds
            pos = e.start
            for s, t in [*overlaps, (e.end, e.end)]:
                piece = e.text[pos - e.start : max(pos, s) - e.start]
                lead = len(piece) - len(piece.lstrip(" ,-–"))
                piece = piece.strip(" ,-–")
                if re.search(r"\w\w|\d", piece):
                    out.append(Entity(pos + lead, pos + lead + len(piece), e.category, piece, score=e.score,
                                      source=e.source))
                pos = max(pos, t)
    return out
