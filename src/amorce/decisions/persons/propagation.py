"""From mentions to entities: names seen in a decision by category, disambiguation, and propagation
of every detected name to its other mentions in the decision."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from amorce.core.text import COUNTRIES

from ..rules import SP, UP, TextStarts, finditer_at, word_starts
from ..schema import Entity, fold_chars
from ..taxonomy import LAWYER, MAGISTRATE, PERSON
from .context import lawyer_span
from .given_names import may_be_first_name
from .mentions import (
    COMPANY_INITIALS,
    OTHER_SCRIPT,
    Mention,
    alias_mentions,
    civility_mentions,
    firm_mentions,
    first_initial_mentions,
    first_last_mentions,
    header_mentions,
    ner_mentions,
)
from .patterns import FIRST_NAME, NAME_SEQ, NAME_WORD, ROLE_ACRONYM, STOP, UNIT_RE, split_units


@dataclass
class PersonContext:
    """Names seen in a decision, by category, for propagation and disambiguation."""

    tokens: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, key: str, category: str, weight: int = 1) -> None:
        self.tokens[key][category] += weight

    def category(self, key: str) -> str | None:
        counts = self.tokens.get(key)
        if not counts:
            return None
        return counts.most_common(1)[0][0]

    def categories(self, key: str) -> set[str]:
        return set(self.tokens.get(key, ()))


def _mention_keys(text: str, mention: Mention) -> list[str]:
    """The full name and the surname (last unit) of a mention, folded."""
    units = [fold_chars(text[s:e]) for s, e in mention.units]
    if not units:
        return []
    return list(dict.fromkeys([" ".join(units), units[-1]]))


def _overlaps(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in intervals)


class _TakenSpans:
    """The spans kept so far, as a mask of their characters: a span overlaps one of them when one of its
    characters is marked (one scan of the span, not one comparison per kept span); the tests with an
    empty span, which holds no character, compare spans as ``_overlaps`` does."""

    def __init__(self, spans: list[tuple[int, int]]):
        self._mask = bytearray()
        self._spans: list[tuple[int, int]] = []  # (all of them, for an empty span)
        self._empty: list[tuple[int, int]] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self._spans.append((start, end))
        if start >= end:
            self._empty.append((start, end))
            return
        if end > len(self._mask):
            self._mask.extend(bytes(end - len(self._mask)))
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        if start >= end:
            return _overlaps(self._spans, start, end)
        return self._mask.find(1, start, end) >= 0 or _overlaps(self._empty, start, end)


def detect_people(
    text: str, ner_spans: list[tuple[int, int]], occupied: list[tuple[int, int]], index: TextStarts | None = None
) -> list[Entity]:
    """All person entities (parties, magistrates and clerks, lawyers) of one decision; ``index``: the
    text's literal starts, shared with the rules (built here when not given)."""
    index = index or TextStarts(text)
    candidates = (
        first_initial_mentions(text)
        + civility_mentions(text)
        + firm_mentions(text, index)
        + header_mentions(text)
        + alias_mentions(text, index)
        + first_last_mentions(text, ner_spans)
        + ner_mentions(text, ner_spans)
    )
    taken = _TakenSpans(occupied)
    mentions: list[Mention] = []
    for mention in candidates:
        spans = [mention.whole] if mention.whole else mention.units
        if any(taken.overlaps(s, e) for s, e in spans):
            continue
        mentions.append(mention)
        for s, e in spans:
            taken.add(s, e)
    # registry of names whose role the context told: the full name and the surname (last unit)
    context = PersonContext()
    for mention in mentions:
        if mention.evidence and mention.category in (MAGISTRATE, PERSON):
            for key in _mention_keys(text, mention):
                context.add(key, mention.category, 2 if mention.category == MAGISTRATE else 1)
        if mention.category == LAWYER and mention.whole and mention.evidence and mention.source != "rule:law-firm-cue":
            for w in re.findall(NAME_WORD, text[mention.start : mention.end]):
                if w.isupper() or mention.source == "rule:law-firm":
                    context.add(fold_chars(w), LAWYER, 2)
    # surnames of parties named with a civility (« Mme Michel »), for lawyers known only as « Maître X »
    party_names = {
        fold_chars(text[m.units[-1][0] : m.units[-1][1]])
        for m in mentions
        if m.category == PERSON
        and m.units
        and not m.source.startswith(("spacy", "title:ma", "title:me"))
    }
    entities: list[Entity] = []
    for mention in mentions:
        category = mention.category
        score = mention.score
        if category == LAWYER and not mention.evidence:
            # « Maître MICHEL » alone: a party's name when that name is a party and never counsel
            units = split_units(text, mention.start, mention.end, split_hyphens=True)
            keys = [fold_chars(text[s:e]) for s, e in units[-1:]]
            if (
                units
                and keys
                and all(
                    (context.category(k) == PERSON or k in party_names)
                    and LAWYER not in context.categories(k)
                    for k in keys
                )
            ):
                mention = Mention(mention.start, mention.end, units, PERSON, 0.8, mention.source, False)
                category = PERSON
                score = 0.8
        elif not mention.evidence:
            known = [context.category(k) for k in _mention_keys(text, mention)]
            pro = [k for k in known if k in (MAGISTRATE, LAWYER)]
            if pro:
                category = MAGISTRATE if MAGISTRATE in pro else LAWYER
                score = min(score, 0.9)
            elif category is None:
                category = PERSON
        if category == LAWYER and not mention.whole:
            whole = lawyer_span(text, mention.start, mention.end)
            entities.append(
                Entity(whole[0], whole[1], LAWYER, text[whole[0] : whole[1]], score, mention.source)
            )
            continue
        if category == LAWYER:
            s, e = mention.whole
            entities.append(Entity(s, e, LAWYER, text[s:e], score, mention.source))
            continue
        for s, e in mention.units:
            entities.append(Entity(s, e, category, text[s:e], score, mention.source))
        if category == PERSON:
            for s, e in mention.units:
                context.add(fold_chars(text[s:e]), PERSON, 1)
    entities = _drop_company_words(text, entities, ner_spans)
    entities.extend(_names_in_company_names(text, ner_spans, entities, occupied))
    entities.extend(_coordinated_first_names(text, entities, occupied))
    entities.extend(propagate(text, entities, context, occupied))
    entities.extend(_initials_before_names(text, entities, occupied))
    entities.extend(_initials_of_parties(text, entities, occupied))
    entities.extend(_glued_variants(text, entities, occupied))
    return entities


# a first name alone coordinated with another first name alone (« notamment Mirela et Tadeusz »)
COORDINATED_AFTER = re.compile(rf"{SP}+et{SP}+(?P<name>{FIRST_NAME})(?![\w'’-])")
COORDINATED_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{FIRST_NAME}){SP}+et{SP}+$")
FIRST_NAME_ALONE = re.compile(rf"{FIRST_NAME}")
NAME_BEFORE = re.compile(rf"(?:[{UP}][\w'’-]*|\b(?:de|du|des|d['’]|le|la|i|y|van|von|ten|ter|di|da)){SP}+$")
NAME_AFTER = re.compile(rf"{SP}+[{UP}]")
PLACE_BEFORE = re.compile(r"\b(?:entre|à|de|du|des|vers|sur|depuis)\s+$", re.I)


def _alone(text: str, start: int, end: int) -> bool:
    """A word with no name word next to it: not part of a full name (« Amandin Caumes », « Saint Adrien »)."""
    return not NAME_BEFORE.search(text, max(0, start - 30), start) and not NAME_AFTER.match(text, end)


def _coordinated_first_names(text: str, entities: list[Entity], occupied: list[tuple[int, int]]) -> list[Entity]:
    """« notamment Mirela et Tadeusz », « même Lieven et Jorrit » : a party known by a first name alone, and the
    word coordinated with it by « et », alone too, that is a given name or no French word (not a town, a country, a
    function word): another party named the same way. Never a pair after a word of place (« entre X et Y »)."""
    taken = [(e.start, e.end) for e in entities] + list(occupied)
    out: list[Entity] = []
    for e in entities:
        if e.category != PERSON or not FIRST_NAME_ALONE.fullmatch(e.text) or not _alone(text, e.start, e.end):
            continue
        after = COORDINATED_AFTER.match(text, e.end)
        before = COORDINATED_BEFORE.search(text, max(0, e.start - 40), e.start)
        pairs = []
        if after:
            pairs.append((after.start("name"), after.end("name"), e.start))
        if before:
            pairs.append((before.start("name"), before.end("name"), before.start("name")))
        for start, end, first in pairs:
            word = text[start:end]
            if (
                _alone(text, start, end)
                and not PLACE_BEFORE.search(text, max(0, first - 12), first)
                and may_be_first_name(word)
                and not _overlaps(taken, start, end)
            ):
                out.append(Entity(start, end, PERSON, word, 0.8, "propagation:coordination"))
                taken.append((start, end))
    return out


def _glued_variants(text: str, entities: list[Entity], occupied: list[tuple[int, int]]) -> list[Entity]:
    """A surname of two words in capitals written glued in another act (« MOGNE DAHO », then « MOGNEDAHO » in
    the civil-status act to rectify, « LE GALL » and « LEGALL ») : the same name."""
    parties = sorted(
        (e for e in entities if e.category == PERSON and e.text.isupper() and len(e.text) >= 2), key=lambda e: e.start
    )
    keys = set()
    for a, b in zip(parties, parties[1:], strict=False):
        if a.end < b.start <= a.end + 1 and text[a.end] in " -":
            keys.add(a.text + b.text)
    for e in parties:  # « AR MENN » one unit, « ARMENN » glued
        if " " in e.text:
            keys.add(e.text.replace(" ", ""))
    keys = {k for k in keys if len(k) >= 6}
    if not keys:
        return []
    taken = [(e.start, e.end) for e in entities] + list(occupied)
    pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(k) for k in sorted(keys)) + r")(?![\w'’-])", re.I)
    out: list[Entity] = []
    for m in pattern.finditer(text):  # the glued form written as the name was (« MOGNEDAHO »)
        if text[m.start()].isupper() and not _overlaps(taken, *m.span()):
            out.append(Entity(m.start(), m.end(), PERSON, text[m.start() : m.end()], 0.8, "propagation"))
    return out


def _initials_of_parties(text: str, entities: list[Entity], occupied: list[tuple[int, int]]) -> list[Entity]:
    """The initials of a party named in full elsewhere (« M. Thibaut Yvert » then « le nom de « T. Y. » au
    registre », « les initiales T. Y. ») : the first letters of a first name and a surname written next to
    each other as a party's, two initials with a stop each."""
    parties = sorted((e for e in entities if e.category == PERSON and e.text[:1].isupper()), key=lambda e: e.start)
    keys = set()
    for a, b in zip(parties, parties[1:], strict=False):
        if a.end < b.start <= a.end + 2 and not text[a.end : b.start].strip() and b.text[:1].isalpha():
            keys.add((a.text[0], b.text[0]))
    keys = {k for k in keys if not COMPANY_INITIALS.fullmatch(k[0] + k[1])}  # « S.A. », « S.C. » : a company's form
    if not keys:
        return []
    taken = [(e.start, e.end) for e in entities] + list(occupied)
    # the letters first (a set of first characters the engine looks for), the character before checked after
    pattern = re.compile(
        "(?:" + "|".join(rf"{re.escape(f)}\.{SP}?{re.escape(last)}\." for f, last in sorted(keys)) + ")"
        + rf"(?!{SP}?-?[A-ZÀ-Þ][\wÀ-ÿ]|[a-zà-ÿ0-9])"
    )
    out: list[Entity] = []
    for m in pattern.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_.'’-"):
            continue
        if _overlaps(taken, *m.span()) or re.search(r"\b(?:art(?:icles?|\.)?)\s*$", text[max(0, m.start() - 12) : m.start()], re.I):
            continue
        for i in re.finditer(r"[A-ZÀ-Þ]\.", m.group(0)):
            s, e = m.start() + i.start(), m.start() + i.end()
            out.append(Entity(s, e, PERSON, text[s:e], 0.75, "motif:initiales-partie"))
    return out


# the initial of a first name right before a party's surname (« L'interprète : Z. Mejri », « signé : A. Roux »)
# an initial before a person's name (« J. Dupont »), or a first name written in its usual abbreviation
# (« Md. » or « Mohd. » for Mohammad, « Muhd. », « Mhd. »: « Md. Rahim Uddin KHAN »)
INITIAL_BEFORE = re.compile(
    rf"(?<![\w.'’-])(?P<initial>[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)?|(?-i:Md|Mohd|Muhd|Mhd)\.){SP}?$"
)


# the same name in another script in brackets, the language possibly named first (« Orlov (Дмитрий Орлов) »,
# « Papadakis (en grec Κώστας Παπαδάκης) », « (arabe : …) »)
OTHER_SCRIPT_AFTER = re.compile(rf"{SP}*\((?:(?:en{SP}+)?[a-zé]{{3,12}}{SP}*:?{SP}*)?(?P<script>{OTHER_SCRIPT}(?:{SP}+{OTHER_SCRIPT}){{0,3}})\)")


def _initials_before_names(text: str, entities: list[Entity], occupied: list[tuple[int, int]]) -> list[Entity]:
    taken = [(e.start, e.end) for e in entities] + list(occupied)
    out: list[Entity] = []
    for ent in entities:
        if ent.category != PERSON or not text[ent.start : ent.start + 1].isupper():
            continue
        script = OTHER_SCRIPT_AFTER.match(text, ent.end)
        if script and not _overlaps(taken, *script.span("script")):
            # « SHIMAZAKI (島崎) », « Orlov (Дмитрий Орлов) » : the name written in another script
            for w in re.finditer(r"\S+", script.group("script")):
                s, e = script.start("script") + w.start(), script.start("script") + w.end()
                out.append(Entity(s, e, PERSON, text[s:e], 0.8, "motif:autre-ecriture"))
                taken.append((s, e))
        if ent.source == "motif:initiale-nom":
            continue  # « P.Dupont » heading a case, decided by its own rule (the first judge's, often)
        m = INITIAL_BEFORE.search(text, max(0, ent.start - 7), ent.start)
        if not m or m.group("initial") == "M.":
            continue  # « M. Dupont » : a civility
        for i in re.finditer(r"[A-ZÀ-Þ][a-z]*\.", m.group("initial")):
            s, e = m.start("initial") + i.start(), m.start("initial") + i.end()
            if not _overlaps(taken, s, e):
                out.append(Entity(s, e, PERSON, text[s:e], 0.75, "motif:initiale-avant-nom"))
                taken.append((s, e))
    return out


COMPANY_BEFORE = re.compile(
    r"(?:soci[ée]t[ée]|SCI|SAS|SASU|SARL|EURL|SNC|SELARL|SELAS|SELEURL|SCP|cabinet|groupe|marque|enseigne|"
    r"(?<![\w.])(?:[A-Z]\.){2,}[A-Z]?\.?)\s*$",
    re.I,
)


def _drop_company_words(text: str, entities: list[Entity], ner_spans: list[tuple[int, int]]) -> list[Entity]:
    """A single word that spaCy alone took for a person, and that mostly follows « société »,
    « SELARL », « cabinet »… in the decision, is a company's name (« la société Akheos »): it is
    not propagated. A company named after a person (« la société Céline Auguste ») keeps its
    first name and surname masked, as Label does."""
    # spaCy's spans with a single name word: « Leoni », and « Leoni Maroc » (a country is no name)
    single = set()
    for s, t in ner_spans:
        inside = [e for e in entities if e.source == "spacy:PER" and s <= e.start and e.end <= t]
        units = [
            u
            for u in split_units(text, s, t, split_hyphens=False)
            if fold_chars(text[u[0] : u[1]]) not in COUNTRIES
        ]
        if len(inside) == 1 and len(units) == 1:
            single.add(fold_chars(inside[0].text))
    sure = {fold_chars(e.text) for e in entities if e.source != "spacy:PER"}
    if not single - sure:
        return list(entities)
    folded = fold_chars(text)
    drop = set()
    for key in single - sure:
        starts = [
            m.start()
            for m in re.finditer(rf"(?<![\w'’]){re.escape(key)}(?!\w)", folded)
            if text[m.start()].isupper()
        ]
        company = sum(1 for st in starts if COMPANY_BEFORE.search(text[max(0, st - 30) : st]))
        if starts and company * 2 >= len(starts):
            drop.add(key)
    return [e for e in entities if not (e.source == "spacy:PER" and fold_chars(e.text) in drop)]


# a professional partnership, named after its members (« SELARL Marc-Nathalie », « SCP Durand »),
# unlike a brand or a group (« la société Groupe Alexandria Mathilde »)
PRO_FIRM = r"(?:SCP|SELARL|SELARLU|SELAS|SELAFA|SELEURL|S\.E\.L\.A\.R\.L\.|S\.C\.P\.|S\.E\.L\.A\.S\.)"
PRO_FIRM_BEFORE = re.compile(rf"(?:^|(?<![\w.])){PRO_FIRM}(?:\s*$|\s+(?=\S))")
PRO_FIRM_NAMES = re.compile(rf"(?<![\w.]){PRO_FIRM}{SP}+(?P<names>{NAME_SEQ})")


def _names_in_company_names(
    text: str, ner_spans: list[tuple[int, int]], entities: list[Entity], occupied: list[tuple[int, int]]
) -> list[Entity]:
    """« la SELARL Marc-Nathalie prise en la personne de Maître Thibault Marc » : a professional
    partnership named after its members. ``ner_mentions`` drops spaCy's span there (company
    context); when one of the words of the firm's name (spaCy's span or the capitalised words after
    « SELARL », « SCP »…) is a party's name found by a civility or a rule, and none is a
    professional's (counsel, magistrate), its other words are a person's name too, and Label masks
    them all."""
    party = {fold_chars(e.text) for e in entities if e.category == PERSON and not e.source.startswith("spacy")}
    pro = {
        fold_chars(w) for e in entities if e.category in (LAWYER, MAGISTRATE) for w in re.findall(NAME_WORD, e.text)
    }
    taken = [(e.start, e.end) for e in entities] + list(occupied)
    out: list[Entity] = []
    firm_names = [m.span("names") for m in PRO_FIRM_NAMES.finditer(text)]
    for start, end in list(ner_spans) + firm_names:
        span = text[start:end]
        if "\n" in span.strip() or any(ch.isdigit() for ch in span) or len(span.split()) > 5:
            continue
        if not (PRO_FIRM_BEFORE.search(text[max(0, start - 30) : start]) or PRO_FIRM_BEFORE.match(span)):
            continue
        units = split_units(text, start, end, split_hyphens=True)
        keys = [fold_chars(text[s:e]) for s, e in units]
        if len(units) < 2 or not any(k in party for k in keys) or any(k in pro for k in keys):
            continue
        for s, e in units:
            if not _overlaps(taken, s, e) and not ROLE_ACRONYM.fullmatch(text, s, e):
                out.append(Entity(s, e, PERSON, text[s:e], 0.75, "motif:raison-sociale"))
                taken.append((s, e))
    return out


def propagate(
    text: str, entities: list[Entity], context: PersonContext, occupied: list[tuple[int, int]]
) -> list[Entity]:
    """Every other capitalised mention of a detected party's or magistrate's name, whatever its case
    or accents (« DUPONT », « Dupont », « Dupônt »)."""
    names: dict[str, str] = {}
    for ent in entities:
        if ent.category in (PERSON, MAGISTRATE):
            key = fold_chars(ent.text)
            if len(key.replace(" ", "")) < 3 or key in STOP:
                continue
            if ent.category == PERSON or key not in names:
                names[key] = ent.category
    if not names:
        return []
    for key in [k for k, c in names.items() if c == PERSON and " " not in k and len(k) >= 6]:
        for alt in _greek_forms(key):
            names.setdefault(alt, PERSON)
    folded = fold_chars(text)
    taken = sorted([(e.start, e.end) for e in entities] + list(occupied))
    out: list[Entity] = []
    keys = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        # after an elided « d' » or « qu' » too (« la succession d'Emmanouil Markakis », « il souligne qu'Inès »)
        r"(?:(?<![\w'’])|(?<=\bd['’])|(?<=qu['’]))(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w])"
    )
    # (tried only where a name opens a word: the matches of ``pattern.finditer(folded)``, sooner)
    for m in finditer_at(pattern, folded, word_starts(folded, folded, tuple(keys), "")):
        start, end = m.span()
        if (not text[start].isupper() and not _particle_form(text, start, end, entities)) or _overlaps(
            taken, start, end
        ):
            continue
        if (
            m.end() < len(text)
            and text[m.end()] in "-'’"
            and m.end() + 1 < len(text)
            and text[m.end() + 1].isalpha()
        ):
            if not text[m.end() + 1].isupper():
                continue
        if re.search(r"\b(?:saint|sainte|st|ste)[\s-]*$", folded[max(0, start - 8) : start]):
            continue
        if COURT_TOWN_BEFORE.search(folded, max(0, start - 50), start):
            continue  # a town that is also a party's surname (« avocat au barreau de Laval »)
        key = m.group(0)
        category = names[key]
        cats = context.categories(key)
        if category == PERSON and MAGISTRATE in cats:
            neighbours = _neighbour_keys(folded, start, end)
            category = MAGISTRATE if any(context.category(n) == MAGISTRATE for n in neighbours) else PERSON
        exact = any(e.text == text[start:end] for e in entities)
        score = 0.9 if exact else 0.82
        if category == PERSON and (MAGISTRATE in cats or LAWYER in cats):
            score = 0.6
        out.append(Entity(start, end, category, text[start:end], score, "propagation"))
        taken.append((start, end))
    return out


FRENCH_PARTICLE = re.compile(r"(?:d['’]|(?:de|du|des|le|la)\b)")


def _particle_form(text: str, start: int, end: int, entities: list[Entity]) -> bool:
    """A surname led by a particle in lower case (« Armengol i Vilardell », « Ortega y Gasset »): the same
    name, its particle a foreign one, or that very form already found (« de Bellecombe »); a French article
    before a capitalised word is no name by itself (« la Fontaine »)."""
    unit = UNIT_RE.match(text, start, end)
    if not unit or unit.end() != end or not unit.group("particles"):
        return False
    if not FRENCH_PARTICLE.match(unit.group("particles")):
        return True
    return any(e.start != start and e.text == text[start:end] for e in entities)


# a Greek surname's masculine and feminine forms (« M. Nikos Papadakis » and his sister « Papadaki », « Mme Eleni
# Papadopoulou » and her father « Papadopoulos ») are the same family's name
GREEK_GENDER = (("akis", "aki"), ("idis", "idi"), ("adis", "adi"), ("oulis", "ouli"), ("opoulos", "opoulou"),
                ("akos", "akou"), ("atos", "atou"), ("ianos", "ianou"), ("iotis", "ioti"))


def _greek_forms(key: str) -> list[str]:
    out = []
    for masculine, feminine in GREEK_GENDER:
        if key.endswith(masculine):
            out.append(key[: -len(masculine)] + feminine)
        elif key.endswith(feminine):
            out.append(key[: -len(feminine)] + masculine)
    return out


# the seat of a court or a bar: a town there, even if it is a party's surname too
COURT_TOWN_BEFORE = re.compile(
    r"\b(?:barreaux?|si[eé]geant|cour\s+d['’]appel|cour\s+d['’]assises(?:\s+(?:de\s+la|du|des|de))?|"
    r"tribunal(?:\s+(?:judiciaire|administratif|de\s+commerce|correctionnel|de\s+police|d['’]instance|"
    r"de\s+grande\s+instance|pour\s+enfants|des\s+affaires\s+de\s+s[eé]curit[eé]\s+sociale))?|"
    r"conseil\s+de\s+prud['’]\s*hommes|greffe)\s+(?:de|du|d['’]|a|à)\s*$"
)


def _neighbour_keys(folded: str, start: int, end: int) -> list[str]:
    before = re.findall(r"[\w'’-]+", folded[max(0, start - 40) : start])
    after = re.findall(r"[\w'’-]+", folded[end : end + 40])
    return before[-1:] + after[:1]
