"""Rule-based detectors: identifiers (the shared recognizers of :mod:`amorce.core.pii`, checked with
python-stdnum), dates of civil status, addresses, localities, cadastral parcels.

Each detector yields :class:`~amorce.decisions.schema.Entity` candidates with a ``score`` (1 −
doubt) and a ``source`` naming the rule. Offsets are into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from amorce.core import pii
from amorce.core.text import COUNTRIES  # a country is not an address line (« Portugal », « Maroc »)

from .schema import Entity, fold_chars

# Letters of names: Latin-1 and the Latin Extended-A/B letters of names written in other European
# and Turkish alphabets (« Demirtaş », « Yılmaz », « Wiśniewska », « Łódź », « Dragoș »).
_EXTENDED = [chr(c) for c in range(0x100, 0x250) if chr(c).isalpha()]
UP = "A-ZÀ-ÖØ-Þ" + "".join(c for c in _EXTENDED if c.isupper())
LO = "a-zß-öø-ÿ" + "".join(c for c in _EXTENDED if c.islower() and not c.isupper())
WORD = rf"[{UP}][{UP}{LO}'’]*"
SP = r"[ \t\u00a0]"

MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)
# A date whose masked part follows Label: day and month for a written date (the year stays),
# the whole token for a numeric one.
DATE = (
    rf"(?P<date>(?:(?P<dm>(?:1er|\d{{1,2}}){SP}+(?:{MONTHS}))(?:{SP}+\d{{4}})?)"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
)


def _ent(m: re.Match, group: int | str, category: str, score: float, source: str) -> Entity:
    start, end = m.span(group)
    return Entity(start, end, category, m.string[start:end], score=score, source=source)


def _date_entity(m: re.Match, category: str, score: float, source: str) -> Entity:
    group = "dm" if m.group("dm") else "date"
    return _ent(m, group, category, score, source)


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
    rf"\b(?:SIRE[NT]|(?i:siren|siret)|(?:RCS|R\.C\.S\.|(?i:immatricul[ée]+e?s?|registre{SP}+du{SP}+commerce))"
    rf"[^\n\d]{{0,50}}?(?i:num[ée]ro|n°))(?:{SP}*(?:n°|:|num[ée]ro))?{SP}*"
    rf"(?P<number>(?<!\d)\d{{3}}[ .\u00a0]?\d{{3}}[ .\u00a0]?\d{{3}}(?:[ .\u00a0]?\d{{5}})?)(?![\d])"
)
# A personal document or benefit number after its own name (« passeport n° 19CM04417 », « numéro
# d'allocataire 4417728 », « allocataire de la CAF sous le numéro 0917245 »): letters and digits,
# at least five digits.
DOCUMENT_NUMBER = re.compile(
    rf"\b(?:(?i:passeport|carte{SP}+(?:nationale{SP}+)?d['’]identit[ée]|titre{SP}+de{SP}+s[ée]jour|permis{SP}+de{SP}+conduire|"
    rf"allocataire|carte{SP}+de{SP}+r[ée]sident)[^\n.;]{{0,60}}?(?i:n°|num[ée]ro)"
    rf"|(?i:num[ée]ro|n°){SP}+(?i:d['’]allocataire|de{SP}+passeport|de{SP}+titre{SP}+de{SP}+s[ée]jour)){SP}*:?{SP}*"
    rf"(?P<number>(?=[A-Z0-9]*\d{{5}})[A-Z0-9]{{5,15}})\b"
)
# A phone number with a foreign or overseas calling code (« +90 532 418 77 06 », « +689 40 48 62 15 »,
# « +351 912 406 318 »): « + », a code of one to three digits, then eight to twelve digits in groups.
FOREIGN_PHONE = re.compile(r"(?<![\w+])\+(?!33\b)[1-9]\d{0,2}(?:[ .\-\u00a0]\d{1,4}){2,6}(?![\d/])")


def identifiers(text: str) -> Iterator[Entity]:
    for recognizer in IDENTIFIER_RECOGNIZERS:
        for span in recognizer(text):
            category, score, source = IDENTIFIER_RULES[span.rule]
            yield Entity(span.start, span.end, category, span.text, score=score, source=source)
    checked = {span.start for span in pii.siren_siret(text)}
    for m in COMPANY_NUMBER.finditer(text):
        if m.start("number") not in checked:
            yield _ent(m, "number", "numeroSiretSiren", 0.8, "rule:siren-siret-cue")
    for m in DOCUMENT_NUMBER.finditer(text):
        yield _ent(m, "number", "numeroIdentifiant", 0.85, "rule:document-number")
    for m in FOREIGN_PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group(0))
        if 9 <= digits <= 15:
            yield Entity(m.start(), m.end(), "telephoneFax", m.group(0), score=0.9, source="rule:phone-international")


# -------------------------------------------------------------------------- civil-status dates
BIRTH = re.compile(rf"\bn[ée]+(?:\(e\))?s?{SP}+(?:le{SP}+)?{DATE}", re.I)
DEATH = re.compile(
    rf"\b(?:d[ée]c[ée]d[ée]+(?:\(e\))?s?|d[ée]c[eè]s(?:{SP}+\w+){{0,3}}|accident{SP}+mortel"
    rf"(?:{SP}+\S+){{0,5}}){SP}+(?:le|du){SP}+{DATE}",
    re.I,
)
MARRIAGE = re.compile(
    rf"\b(?:mari[ée]+s?|contract[ée]+{SP}+mariage|mariage{SP}+c[ée]l[ée]br[ée]|"
    rf"pacs[ée]*s?|pacte{SP}+civil{SP}+de{SP}+solidarit[ée]{SP}+conclu){SP}+"
    rf"(?:le|du){SP}+{DATE}",
    re.I,
)
# a town's name, its words linked by « sur », « lès », « de »… and, inside a hyphenated name, by the
# links of other languages and overseas names (« Pointe-à-Pitre », « Penta-di-Casinca »,
# « Corneilla-del-Vercol », « Saint-Cyr-l'École »)
HYPHEN_LINK = r"-(?:(?:à|au|aux|di|del|della|dei|lo|las|los|y|sul|am|im|an)-|[lLdD]['’])"
PLACE = (
    rf"(?P<place>{WORD}(?:(?:(?:-|{SP}+)(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’])(?:-|{SP}+))*|{HYPHEN_LINK})"
    rf"{WORD})*)"
)
# The place of a civil-status event, written after its date (« né le 3 mai 1970 à Lyon », « se sont
# mariés le 4 juin 2001 à Vienne ») or before it (« décédé à Lyon le 2 mars 2020 », « mariage célébré
# à Vienne le … »): a locality, like the place of birth. The cue is case-insensitive, the place is not
# (« à la mairie » is no place name).
EVENT_CUES = (
    ("dateNaissance", r"n[ée]+(?:\(e\))?s?"),
    ("dateMariage", r"mari[ée]+s?|(?:mariage|union)(?:[ \t\u00a0]+[\wé]+){0,3}?[ \t\u00a0]+c[ée]l[ée]br[ée]+e?|pacs[ée]*s?"),
    ("dateDeces", r"d[ée]c[ée]d[ée]+(?:\(e\))?s?"),
)
EVENT = re.compile(r"\b(?i:" + "|".join(f"(?P<{category}>{cue})" for category, cue in EVENT_CUES) + ")")
PLACE_AFTER_DATE = re.compile(rf"{SP}+(?i:le{SP}+)?(?i:{DATE}){SP}+(?:\d{{4}}{SP}+)?(?:à|a){SP}+{PLACE}")
PLACE_BEFORE_DATE = re.compile(
    rf"{SP}+(?:à|a){SP}+{PLACE}(?:{SP}*\(\d{{2,3}}\))?{SP}*,?{SP}+(?i:le|du){SP}+(?i:{DATE})"
)
PLACE_SOURCES = {"dateNaissance": "rule:born-in", "dateMariage": "rule:married-in", "dateDeces": "rule:died-in"}
# A birth date in apposition to the child's name, after a birth cue of the same sentence (« De leur
# union est né Hugo, le 5 juin 2004 », « sont issus deux enfants : Léa, le 3 mars 2005, et Tom (le 4
# avril 2008) »); « Mme X, née Martin, le 3 mai 2015, a assigné » has no such cue.
BIRTH_CUE = re.compile(
    r"\b(?:(?:est|sont|était|étaient|fut|furent)\s+n[ée]e?s?|(?:union|mariage|relation)\b[^.;!?\n]{0,30}?"
    r"\bissue?s?|issue?s?\s+de\s+(?:cette|leur|la)\s+(?:union|relation|mariage)|"
    r"(?:ont|a|avaient|avait)\s+eu\s+(?:[\w-]+\s+){0,2}enfants?)\b"
)
SENTENCE_END = re.compile(r"[.;!?](?:\s|$)|\n[ \t]*\n")
APPOSED_DATE = re.compile(rf"[{UP}][{UP}{LO}'’-]+{SP}*[,(]{SP}*(?:le{SP}+)?(?i:{DATE})")


# « le décès de M. X survenu le 6 février 2022 », « son époux, M. Y, survenu le … » : the date a
# death « survenu » after the word « décès » in the same sentence
DEATH_LATER = re.compile(
    rf"\bd[ée]c[eè]s\b[^.;\n]{{0,80}}?\bsurvenue?s?{SP}+(?:le{SP}+)?{DATE}", re.I
)
# « a épousé Mme X le 16 avril 2016 à … », « s'était marié en secondes noces avec Mme X le 9 mai 2009 à
# … » : the marriage date a few words after the cue (no other date nor sentence end between), and its
# place
MARRIAGE_LATER = re.compile(
    rf"\b(?:mari[ée]+e?s?|(?:a|ont|avait|avaient){SP}+[ée]pous[ée]e?s?)\b[^.;\n\d]{{1,70}}?{SP}(?:le|du){SP}+{DATE}"
    rf"(?:{SP}+(?:à|a){SP}+{PLACE})?"
)


def civil_dates(text: str) -> Iterator[Entity]:
    for m in DEATH_LATER.finditer(text):
        yield _date_entity(m, "dateDeces", 0.8, "rule:death-date-later")
    for m in MARRIAGE_LATER.finditer(text):
        yield _date_entity(m, "dateMariage", 0.8, "rule:marriage-date-later")
        if m.group("place") and fold_chars(m.group("place")) not in COUNTRIES:
            yield _ent(m, "place", "localite", 0.8, "rule:married-in")
    for m in BIRTH.finditer(text):
        yield _date_entity(m, "dateNaissance", 0.97, "rule:born-on")
    for m in DEATH.finditer(text):
        yield _date_entity(m, "dateDeces", 0.85, "rule:death-date")
    for m in MARRIAGE.finditer(text):
        yield _date_entity(m, "dateMariage", 0.9, "rule:marriage-date")
    for cue in EVENT.finditer(text):
        category = next(c for c, _ in EVENT_CUES if cue.group(c))
        m = PLACE_AFTER_DATE.match(text, cue.end())
        if m:
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


# ------------------------------------------------------------------------ addresses, localities
STREET = (
    r"rue|avenue|av\.|boulevard|bd|chemin|allée|allee|impasse|route|quai|square|passage|"
    r"ruelle|sentier|faubourg|montée|rond-point|esplanade|parvis|promenade|lieu-dit|lieudit|"
    r"résidence|lotissement|hameau|chaussée|cours|place|voie|cité|villa|domaine|clos|mail|"
    r"château|chateau|mas|ferme|manoir|moulin|bastide|venelle|sente|traverse|courée|corniche"
)
# without a street number, these words make an address only after a domicile cue (« demeurant Mas
# des Oliviers à Arles », « domiciliée Résidence Les Pins ») or before a postcode (below)
NEEDS_NUMBER = {
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
}
NUMBER = rf"\d{{1,4}}(?:{SP}?(?:bis|ter|quater|[A-D])\b)?{SP}*,?{SP}*"
ADDRESS = re.compile(
    rf"(?P<num>(?<![\d,.]){NUMBER})?\b(?P<type>{STREET})\b{SP}+"
    rf"(?P<name>(?:(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]|la|le|les){SP}*)?"
    rf"[{UP}0-9][^\n,;()«»:]{{0,60}}?)(?={SP}*(?:\n|,|;|\)|\(|$|{SP}\d{{5}}\b|{SP}(?:à|a){SP}|{SP}-{SP}))",
    re.I,
)
POSTCODE_CITY = re.compile(
    rf"(?<![\d,.€/])\b(?P<cp>\d{{5}}|\d{{2}}{SP}\d{{3}}){SP}+(?P<city>{WORD}(?:(?:(?:-|{SP}+)"
    rf"(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’])(?:-|{SP}+))*|{HYPHEN_LINK}){WORD})*\d?(?:{SP}+(?:CEDEX|Cedex)(?:{SP}+\d+)?)?)"
)
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
# Words that introduce where someone lives or something is (« demeurant », « domiciliée », « sis »…).
DOMICILE_CUE = r"demeurant|domicili[ée]+e?s?|r[ée]sidant|habitant|sis|sise|situ[ée]+e?s?"
DOMICILE_AT = re.compile(
    rf"\b(?:(?i:{DOMICILE_CUE}|"
    rf"rendue?|fait(?:{SP}+et{SP}+jug[ée]+)?){SP}+(?:à|a)|(?i:mairie|ville|commune){SP}+de)"
    rf"{SP}+(?!(?:M|MM|Mme|Me)\b){PLACE}"
)

# An address line without a street number or type, followed by a postcode and a town: a named
# property (« Château de la Brède, 33650 Saint-Morillon », « Domaine des Pins⏎13200 Arles ») or any
# capitalised place after a domicile cue (« demeurant Les Hauts de Vence, 06140 Vence »).
POSTCODE_AFTER = rf"{SP}*(?:,{SP}*|\n[ \t]*)$"  # the text before a postcode ends with its address line
PROPERTY = (
    r"Ch[âa]teau|Domaine|Mas|Ferme|Manoir|Moulin|Bastide|Villa|R[ée]sidence|Hameau|Lieu-?dit|Lotissement|"
    r"Clos|Cit[ée]|Quartier|Maison|Prieur[ée]|Abbaye|Ch[âa]let|Bergerie|Grange|Logis|Manade"
)
NAMED_PLACE = rf"[{UP}0-9][^\n,;()«»:]{{0,60}}?"
PROPERTY_ADDRESS = re.compile(
    rf"(?<![\w'’-])(?P<addr>(?:{PROPERTY}){SP}+(?:(?:de{SP}+la|de{SP}+l['’]|du|des|de|d['’]|la|le|les){SP}*)?"
    rf"{NAMED_PLACE}){POSTCODE_AFTER}"
)
DOMICILE_BEFORE = re.compile(
    rf"\b(?i:{DOMICILE_CUE})(?:{SP}+(?:au|à|a))?{SP}+$"
)
DOMICILE_ADDRESS = re.compile(
    rf"\b(?i:demeurant|domicili[ée]+e?s?|r[ée]sidant|sis|sise|situ[ée]+e?s?|si[èe]ge(?:{SP}+social)?{SP}+est)"
    rf"{SP}+(?P<addr>(?!(?:M|MM|Mme|Me)\b)[{UP}][^\n,;()«»:0-9]{{0,60}}?){POSTCODE_AFTER}"
)

# The whole address line between a domicile cue and its postcode, as Label annotates it: a named
# residence, a building, a floor, an apartment, a post-office box (BP, CS) and the street, one span
# (« demeurant Résidence Les Tamaris, bâtiment B2, appartement 45, 34080 Montpellier », « dont le
# siège est 8, rue d'Antibes, BP 1207, 06407 Cannes Cedex »).
DOMICILE_LINE = re.compile(
    rf"\b(?i:{DOMICILE_CUE}|si[èe]ge(?:{SP}+social)?{SP}+est|domicile{SP}+d[ée]clar[ée])"
    rf"(?:{SP}+(?i:ensemble|au|à|a))?{SP}*,?{SP}+"
    rf"(?P<addr>(?!(?:M|MM|Mme|Me)\b)[{UP}0-9][^\n;:«»()]{{2,160}}?)"
    rf"{SP}*,?{SP}*(?=(?:\d{{5}}|\d{{2}}{SP}\d{{3}}){SP}+[{UP}])"
)
# a person named in the line (« chez Mme X ») is no part of the address
LINE_WITH_PERSON = re.compile(r"(?<!\w)(?:M\.|MM\.|Mmes?|Mlle|Monsieur|Madame|Me|Ma[îi]tre|chez|c/o)(?!\w)", re.I)
# Parts of an address line that are no street: building, staircase, floor, door, apartment, a
# post-office box or a « CS » sorting code (« bâtiment C, appartement 21 », « BP 1640 », « CS 60218 »),
# before a street, another part or a postcode.
ADDRESS_PART = re.compile(
    rf"(?<![\w'’])(?:(?i:b[âa]timent|b[âa]t\.|appartement|appt\.?|escalier|esc\.|porte|entr[ée]e|lot|"
    rf"bo[îi]te{SP}+postale|case{SP}+postale){SP}+[{UP}0-9][\w-]{{0,5}}|\d{{1,2}}(?:e|er|ème|è){SP}+[ée]tage|"
    rf"(?:BP|B\.P\.|CS|TSA){SP}*\d{{2,6}})"
    rf"(?={SP}*,{SP}*\w|{SP}*\n?{SP}*\d{{5}}{SP}+[{UP}])"
)

# Where a dated fact happened: « le 8 septembre 2024 à Champigny-sur-Marne », « le 9 juillet 2025
# vers 23 heures à Lunel », « à Autun, le 30 juin 2024 » — a locality, like a civil-status event's.
# A person is never a place (« le 3 mai 2024 à Monsieur X »).
NOT_PLACE = r"(?!(?:M|MM|Mme|Mmes|Me|Monsieur|Madame|Ma[îi]tre|Mademoiselle)\b)"
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
    r"(?i:prononc[ée]+e?s?|rendue?s?|fait|d[ée]lib[ée]r[ée]+e?s?|si[ée]geant|publiquement|tenue?s?)\s*(?:à|a)\s*$"
)
SOFT_PLACES = frozenset({"rule:event-place", "rule:street-town", "rule:officer-seat"})
# The town written after a street (« 8, rue du Jeu-des-Enfants à Strasbourg », « chemin de la Roubine,
# à Marsillargues »).
TOWN_AFTER_STREET = re.compile(rf"{SP}*,?{SP}+(?:à|a){SP}+{NOT_PLACE}{PLACE}")


def addresses(text: str) -> Iterator[Entity]:
    for rule, source in ((EVENT_PLACE_AFTER, "rule:event-place"), (EVENT_PLACE_BEFORE, "rule:event-place"),
                         (OFFICER_SEAT, "rule:officer-seat")):
        for m in rule.finditer(text):
            if fold_chars(m.group("place")) not in COUNTRIES and not COURT_SEAT_BEFORE.search(
                text, max(0, m.start() - 40), m.start() + 2
            ):
                yield _ent(m, "place", "localite", SOFT_PLACE_SCORE, source)
    lines: list[tuple[int, int]] = []
    for m in DOMICILE_LINE.finditer(text):
        # a line of several parts, or with a number (a lone named place is found by the rules below)
        addr = m.group("addr")
        if (re.search(r"\d", addr) or "," in addr) and not LINE_WITH_PERSON.search(addr):
            lines.append(m.span("addr"))
            yield _ent(m, "addr", "adresse", 0.96, "rule:address-line")
    for m in ADDRESS_PART.finditer(text):
        if m.group(0).split()[0].isupper() and len(m.group(0).split()[0]) > 3:
            continue  # « SARL X BATIMENT TSB » : a word of a company's name in capitals
        if not any(s <= m.start() and m.end() <= e for s, e in lines):
            yield Entity(m.start(), m.end(), "adresse", m.group(0), score=0.85, source="rule:address-part")
    streets: list[tuple[int, int]] = []
    for m in ADDRESS.finditer(text):
        kind = m.group("type").lower()
        if (
            kind in NEEDS_NUMBER
            and not m.group("num")
            and not DOMICILE_BEFORE.search(text, max(0, m.start() - 30), m.start())
        ):
            continue
        name = m.group("name").rstrip(" .\t")
        if not name or not re.search(rf"[{UP}]", name[:12]):
            continue
        start = m.start("num") if m.group("num") else m.start("type")
        end = m.start("name") + len(name)
        if not m.group("num") and start > 0 and text[start - 1] not in "\n ":
            continue
        score = 0.95 if m.group("num") else 0.85
        streets.append((start, end))
        yield Entity(start, end, "adresse", text[start:end], score=score, source="rule:address")
        town = TOWN_AFTER_STREET.match(text, end)
        if town and fold_chars(town.group("place")) not in COUNTRIES:
            yield _ent(town, "place", "localite", SOFT_PLACE_SCORE, "rule:street-town")
    for m in POSTCODE_CITY.finditer(text):
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
        # the address line before it, when it has no street type (a named property, a place after
        # « demeurant »)
        window = max(0, m.start() - 110)
        line = PROPERTY_ADDRESS.search(text, window, m.start()) or DOMICILE_ADDRESS.search(text, window, m.start())
        if line and not any(s < line.end("addr") and line.start("addr") < e for s, e in streets):
            yield _ent(line, "addr", "adresse", 0.8, "rule:address-no-street")
    for m in DOMICILE_AT.finditer(text):
        yield _ent(m, "place", "localite", 0.75, "rule:domicile-place")
    for m in SEAT.finditer(text):
        if m.group("place")[:1].isupper() and m.group("place").lower() not in ("la", "le", "l"):
            yield _ent(m, "place", "localite", 0.6, "rule:trade-registry-seat")
    for city in POSTCODE_CITY.finditer(text):
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
    rf"\b(?:parcelles?|cadastr[ée]+e?s?|section)(?:{SP}+(?:cadastr[ée]+e?s?|section|n°|sous))*"
    rf"(?P<refs>(?:{SP}*(?:,|et)?{SP}*[A-Z]{{1,2}}{SP}*(?:n°{SP}*)?\d{{1,5}}\b)+)"
)
CADASTRE_REF = re.compile(rf"[A-Z]{{1,2}}{SP}*(?:n°{SP}*)?\d{{1,5}}\b")


# A parcel with a numeric section (« cadastrée section 47 n° 213 ») or named by its number alone
# (« la parcelle 213 », « parcelles n° 214 et 215 »), not an area or a price after it
SECTION_NUMBER = re.compile(rf"\bsection{SP}+(?P<ref>\d{{1,3}}{SP}+n°{SP}*\d{{1,5}})\b")
PARCEL_NUMBER = re.compile(
    rf"\bparcelles?{SP}+(?:n°{SP}*)?(?P<ref>\d{{1,5}})\b(?!{SP}*(?:m\b|m²|m2|ha\b|hectares?|ares?\b|euros?|€|%|,\d))"
)


def cadastre(text: str) -> Iterator[Entity]:
    for rule in (SECTION_NUMBER, PARCEL_NUMBER):
        for m in rule.finditer(text):
            yield _ent(m, "ref", "cadastre", 0.8, "rule:cadastre-number")
    for m in CADASTRE.finditer(text):
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


def all_rules(text: str) -> list[Entity]:
    out: list[Entity] = []
    for detector in (identifiers, civil_dates, addresses, cadastre):
        out.extend(detector(text))
    return out
