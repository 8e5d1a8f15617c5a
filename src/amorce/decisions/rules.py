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

UP = "A-ZÀ-ÖØ-ÞŒ"
LO = "a-zß-öø-ÿœ"
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


def identifiers(text: str) -> Iterator[Entity]:
    for recognizer in IDENTIFIER_RECOGNIZERS:
        for span in recognizer(text):
            category, score, source = IDENTIFIER_RULES[span.rule]
            yield Entity(span.start, span.end, category, span.text, score=score, source=source)


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
PLACE = (
    rf"(?P<place>{WORD}(?:(?:-|{SP}+)(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’])(?:-|{SP}+))*{WORD})*)"
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


def civil_dates(text: str) -> Iterator[Entity]:
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
    r"château|chateau|mas|ferme|manoir|moulin|bastide"
)
# without a street number, these words make an address only after a domicile cue (« demeurant Mas
# des Oliviers à Arles », « domiciliée Résidence Les Pins ») or before a postcode (below)
NEEDS_NUMBER = {
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
    rf"(?<![\d,.€/])\b(?P<cp>\d{{5}}|\d{{2}}{SP}\d{{3}}){SP}+(?P<city>{WORD}(?:(?:-|{SP}+)"
    rf"(?:(?:sur|sous|en|lès|les|la|le|de|du|des|d['’])(?:-|{SP}+))*{WORD})*\d?(?:{SP}+(?:CEDEX|Cedex)(?:{SP}+\d+)?)?)"
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

def addresses(text: str) -> Iterator[Entity]:
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


def cadastre(text: str) -> Iterator[Entity]:
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
