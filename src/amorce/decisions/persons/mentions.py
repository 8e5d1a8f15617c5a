"""Mention sources: civilities (« Mme Louise MARTIN »), law firms, first name + surname in capitals,
party headings of a decision's header, and spaCy's person spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from amorce.core.text import COUNTRIES

from ..rules import LO, MONTHS, SP, UP, TextStarts, finditer_at, word_starts
from ..schema import fold_chars
from ..taxonomy import LAWYER, MAGISTRATE, PERSON
from .context import OFFICER_AFTER_ADDRESS, context_category, lawyer_span
from .given_names import is_foreign_word, is_given_name, may_be_first_name
from .patterns import (
    ACRONYM,
    BORN_NEXT,
    BRAND_OR_PLACE_BEFORE,
    CIV_RE,
    CIVILITY,
    COUNSEL_NAMED_BEFORE,
    FIRM,
    FIRM_COUNSEL_BEFORE,
    FIRM_OTHER_PROFESSION,
    FIRST_LAST,
    FIRST_NAME,
    FIRST_NAMES,
    HONORIFIC,
    INFINITIVE_CLAUSE,
    KINSHIP,
    LIST_SPLIT,
    NAME_SEQ,
    NAME_WORD,
    NOT_PERSON_CONTEXT,
    PARTICLE,
    PARTY_HEADING,
    RANK,
    ROLE_ACRONYM,
    SAINT,
    TITLE_AFTER_CIVILITY,
    UNIT,
    UNIT_RE,
    is_name_word,
    split_units,
)


@dataclass
class Mention:
    start: int
    end: int
    units: list[tuple[int, int]]
    category: str | None = None
    score: float = 0.9
    source: str = ""
    evidence: bool = False
    whole: tuple[int, int] | None = None  # the lawyer's span (name plus firm)


def _mention(text: str, start: int, end: int, civ: str, source: str, score: float) -> Mention | None:
    category, evidence = context_category(text, start, end, civ)
    if category == LAWYER:
        whole = lawyer_span(text, start, end)
        return Mention(start, end, [whole], LAWYER, score, source, evidence, whole)
    units = split_units(text, start, end, split_hyphens=category in (PERSON, None))
    if not units:
        return None
    return Mention(start, end, units, category, score, source, evidence)


# words that never are a first name after a civility (titles, roles, articles, months)
NOT_FIRST_NAME = re.compile(
    r"(?:Le|La|Les|L|De|Du|Des|Un|Une|Et|Ou|En|Sur|Pour|Par|Vu|Dit|Que|Qui|Saint|Sainte|N[ée]e?|"
    r"Pr[ée]sidente?|Procureure?|Pr[ée]f[eè]te?|B[âa]tonnier|Directeur|Directrice|Ministre|Juge|Maire|"
    r"Conseill[eè]re?|Avocate?|Greffi[eè]re?|Rapporteur|Premier|Premi[eè]re|G[ée]n[ée]ral|Substitut|"
    r"Commissaire|Notaire|Mandataire|Ma[îi]tre|Docteur|Professeur|Magistrate?|D[ée]l[ée]gu[ée]e?|Vice|"
    r"Janvier|F[ée]vrier|Mars|Mai|Juin|Juillet|Ao[ûu]t|Septembre|Octobre|Novembre|D[ée]cembre)$"
)


COURT_FOR_MINORS = re.compile(
    r"\b(?:tribunal|tribunaux|juges?|chambre|cour)\s+(?:pour|des|de\s+la\s+protection\s+des)\s*$", re.I
)


QUOTED_NICKNAME_OPEN = re.compile(rf"\b(?:dite?s?|surnomm[ée]+e?s?|alias){SP}+«{SP}*$")


def civility_mentions(text: str) -> list[Mention]:
    out = []
    for m in CIV_RE.finditer(text):
        group = "pname" if m.group("pciv") else "name"
        civ = m.group("pciv") or m.group("civ")
        if COURT_FOR_MINORS.search(text, max(0, m.start() - 30), m.start()):
            continue  # « le tribunal pour enfants de Saint-Pierre », « le juge des enfants de Pau »
        if QUOTED_NICKNAME_OPEN.search(text, max(0, m.start() - 20), m.start()):
            continue  # « dit « Monsieur Hoa » » : a nickname, one span with its civility (``NICKNAME``)
        name_start = m.start(group)
        chunk = m.group(group)
        parts: list[tuple[int, int, str]] = []
        if m.group("pciv"):
            pos = 0
            for sep in LIST_SPLIT.finditer(chunk):
                parts.append((name_start + pos, name_start + sep.start(), civ))
                sub_civ = re.search(rf"({CIVILITY}){SP}*$", sep.group(0))
                civ = sub_civ.group(1) if sub_civ else civ
                pos = sep.end()
            parts.append((name_start + pos, name_start + len(chunk), civ))
        else:
            # « M. Émile, Laure, Gérard ÉLÉONORE » then « né le » : every first name of the civil status
            names = FIRST_NAMES.match(text, m.end(group))
            if names and BORN_NEXT.match(text, names.end()):
                chunk = text[name_start : names.end()]
            parts = [(name_start, name_start + len(chunk), civ)]
        # a plural list takes the role written after it (« Mmes A, B, M. C, conseillers »)
        list_role = (
            context_category(text, name_start, name_start + len(chunk), "")
            if m.group("pciv")
            else (None, False)
        )
        for start, end, civ_part in parts:
            lead = re.match(rf"(?:de|d['’]){SP}*", text[start:end])
            if lead and fold_chars(civ_part) in KINSHIP:
                start += lead.end()
            if TITLE_AFTER_CIVILITY.match(text, start):
                # « Mme la Chancelière », « M. le Directeur régional » : a title, not a name; an
                # honorific title is followed by the name (« M. le Professeur Jean X »)
                honorific = HONORIFIC.match(text, start)
                if honorific is None or honorific.end() >= end:
                    continue
                start = honorific.end()
            words = text[start:end].split()
            if not words:
                continue
            first = UNIT_RE.match(text, start)
            if first is None:
                continue
            common_first = None  # « Madame France Delorme » : a first name that is also a common word
            if not is_name_word(first.group("word")):
                second = re.match(rf"{SP}+({NAME_WORD})", text[first.end() : end])
                if not (
                    second
                    and first.group("word").istitle()
                    and not first.group("particles")
                    and not NOT_FIRST_NAME.match(first.group("word"))
                    and is_name_word(second.group(1))
                ):
                    continue
                common_first = first.span()
            mention = _mention(text, start, end, civ_part, f"title:{fold_chars(civ_part).rstrip('.')}", 0.97)
            if mention and common_first and mention.category in (PERSON, None):
                mention.units.insert(0, common_first)
            if mention and list_role[1] and list_role[0] == MAGISTRATE and not mention.evidence:
                mention = Mention(
                    start,
                    end,
                    split_units(text, start, end, split_hyphens=False),
                    MAGISTRATE,
                    0.95,
                    mention.source,
                    True,
                )
            if mention:
                out.append(mention)
    return out


# a firm whose own name says it is one of lawyers (« la SELARL Castaing Avocats, prise en la personne de Me … »)
FIRM_NAMED_COUNSEL = re.compile(r"(?<![\w'’-])(?i:avocats?)$")


# « représentés par la SELARL A & B, prise en la personne de Me C » : a firm « prise en la personne »
# of a member after a counsel cue is counsel, unless a public officer's or judicial representative's
# title follows in the same line (« …de Me C, mandataire judiciaire »)
FIRM_IN_PERSON = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*(?:pris(?:e)?[ \t\u00a0]+)?en[ \t\u00a0]+la[ \t\u00a0]+personne", re.I)
OFFICER_TITLE_AFTER = re.compile(
    r"\b(?:notaires?|huissiers?|commissaires?|mandataires?|liquidat|administrat(?:eur|rice)s?|"
    r"[èe]s[ -]?qualit[ée]s?|en\s+qualit[ée]\s+de\s+(?:liquidat|mandataire|administrat))", re.I
)


def _officer_after(text: str, pos: int) -> bool:
    end = text.find("\n", pos)
    return bool(OFFICER_TITLE_AFTER.search(text, pos, min(pos + 160, end if end >= 0 else len(text))))


def _counsel_firm(text: str, m: re.Match) -> bool:
    """A firm of ``FIRM`` that acts as counsel: « avocat » after its names, or a professional
    partnership after a counsel cue of its sentence, no other profession after its names."""
    if m.group("counsel") or FIRM_NAMED_COUNSEL.search(m.group("names")):
        return True
    if not m.group("partnership"):
        return False
    other = FIRM_OTHER_PROFESSION.match(text, m.end("names"))
    if other and not (FIRM_IN_PERSON.fullmatch(other.group(0)) and not _officer_after(text, other.end())):
        return False
    opening = max(text.rfind("\n", 0, m.start()), text.rfind(". ", 0, m.start()), m.start() - 200)
    return bool(FIRM_COUNSEL_BEFORE.search(text[opening + 1 : m.start()]))


# « commissaire de justice associée de la SCP A & B », « notaire au sein de la SELARL A » : a firm of
# public officers or judicial representatives, whose partners' names are persons' (as Label has them)
OFFICER_FIRM_BEFORE = re.compile(
    r"\b(?:notaires?|huissiers?(?:\s+de\s+justice)?|commissaires?\s+de\s+justice|commissaires?-priseurs?|mandataires?"
    r"(?:\s+judiciaires?)?|liquidat(?:eur|rice)s?|administrat(?:eur|rice)s?\s+judiciaires?)(?:\s+associ[ée]e?s?)?"
    r"\s*,?\s*(?:au\s+sein\s+|membres?\s+)?(?:de|d['’])\s*(?:la|l['’])?\s*$",
    re.I,
)


def _officer_firm(text: str, m: re.Match) -> bool:
    """A professional partnership of public officers or judicial representatives: another profession
    (or « prise en la personne de ») after its names, or an officer's title just before it."""
    if not m.group("partnership") or m.group("counsel"):
        return False
    return bool(
        FIRM_OTHER_PROFESSION.match(text, m.end("names"))
        or OFFICER_FIRM_BEFORE.search(text, max(0, m.start() - 70), m.start())
        or OFFICER_AFTER_ADDRESS.match(text, m.end("names"), m.end("names") + 200)
    )


def firm_mentions(text: str, index: TextStarts | None = None) -> list[Mention]:
    """Law firms named after their partners; a firm's name seen once as counsel is counsel in all
    its mentions (« La SCP Delvolvé et Trichet soutient que … »). The partners' names of a firm of
    public officers or judicial representatives are persons."""
    matches = [m for m in (index or TextStarts(text)).finditer(FIRM) if len(re.sub(r"\W", "", m.group("names"))) > 1]
    counsel = {fold_chars(m.group("names")) for m in matches if _counsel_firm(text, m)}
    out = []
    for m in matches:
        if fold_chars(m.group("names")) not in counsel:
            if (
                m.group("partnership")
                and COUNSEL_NAMED_BEFORE.search(text, max(0, m.start() - 160), m.start())
                # not a judicial representative's firm (« Me X, de la SELARL X & Y, désignée liquidateur »)
                and not _officer_firm(text, m)
                and not _officer_after(text, m.end("names"))
            ):
                start, end = m.span("names")
                out.append(Mention(start, end, [(start, end)], LAWYER, 0.9, "rule:law-firm-cue", True, (start, end)))
                continue
            if _officer_firm(text, m):
                start, end = m.span("names")
                # the role's acronym before the partners' names is no name (« la SELARL MJ Dupont », « AJ »)
                units = [u for u in split_units(text, start, end, split_hyphens=True)
                         if not ROLE_ACRONYM.fullmatch(text, *u)]
                if units:
                    out.append(Mention(start, end, units, PERSON, 0.85, "rule:officer-firm", True))
            continue
        start, end = m.span("names")
        # a firm known from « avocat » after its names tells the role of its partners' names elsewhere
        # in the decision; one known from a cue or another mention does not (« la SCP MICHEL … » next
        # to a party « Mme Dorothée Michel »)
        source = "rule:law-firm" if m.group("counsel") else "rule:law-firm-cue"
        out.append(Mention(start, end, [(start, end)], LAWYER, 0.95, source, True, (start, end)))
    return out


CODE_AFTER = re.compile(rf"{SP}*\d")
ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")  # a ship's or a ruler's number, not a surname


def first_last_mentions(text: str, ner_spans: list[tuple[int, int]]) -> list[Mention]:
    """« Marie LE BRAS » without civility: kept when the context gives the role, spaCy agrees or the
    first word is a given name borne in France (:mod:`.given_names`)."""
    out = []
    for m in FIRST_LAST.finditer(text):
        start, end = m.start(), m.end()
        if not is_name_word(m.group("first")) or not is_name_word(m.group("last").split()[-1]):
            continue
        category, evidence = context_category(text, start, end, "")
        if NOT_PERSON_CONTEXT.search(text[max(0, start - 25) : start]) and not (
            evidence and category == MAGISTRATE
        ):
            continue  # « la société Marie DUPONT », but « COMPOSITION DU TRIBUNAL⏎Marie DUPONT, juge »
        if not evidence and BRAND_OR_PLACE_BEFORE.search(text[max(0, start - 60) : start]):
            continue
        in_ner = any(s < end and start < e for s, e in ner_spans)
        if not evidence and not in_ner and not (
            (is_given_name(m.group("first")) or _foreign_first(text, start, m.group("first"), m.group("last")))
            and not CODE_AFTER.match(text, end)
            and not ROMAN.fullmatch(m.group("last"))
        ):
            continue  # « Nor INTV 2119176J » (a decree's NOR code), the boat « Santa Maria II » are no « Stela CEBAN »
        mention = _mention(text, start, end, "", "motif:prenom-NOM", 0.9 if evidence else 0.8)
        if mention:
            out.append(mention)
    return out


def _foreign_first(text: str, start: int, first: str, last: str) -> bool:
    """« l'expert Nanuq CARDAGE »: a first word that is no French word (:func:`.given_names.is_foreign_word`),
    before a surname of four capitals or more (« Sky ECC », « Dossier JAP » end with an acronym), and with no
    determiner before it (« la Soclété LOCAM », a misspelt company)."""
    words = re.findall(r"[\w'’]+", text[max(0, start - 20) : start])
    if words and fold_chars(words[-1]).rstrip("'’") in DETERMINERS:
        return False
    return len(last.split()[-1]) >= 4 and is_foreign_word(first)


DETERMINERS = {
    "le",
    "la",
    "les",
    "l",
    "du",
    "des",
    "au",
    "aux",
    "un",
    "une",
    "ce",
    "cette",
    "sa",
    "son",
    "ses",
    "leur",
    "leurs",
    "notre",
    "votre",
}


HEADER_LINE = re.compile(rf"^[ \t]*(?P<name>{NAME_SEQ})[ \t,]*$", re.M)
# « – Laure, née le … » : a first name alone in a list, followed by a birth date (children)
LIST_BORN = re.compile(
    rf"^[ \t]*[-–•*][ \t]*(?P<name>{NAME_SEQ})[ \t]*,?[ \t]+n[ée]+(?:\(e\))?s?[ \t]+le\b", re.M
)
# a nickname between the name and the birth (« contre : Tudual AR MENN, dit « Pesk », né le … »)
NICKNAME_BEFORE_BIRTH = rf"(?:(?:dite?|surnomm[ée]e?|alias){SP}+«[^»\n]{{1,40}}»{SP}*,{SP}*)?"
# « Tiago Ferreira, né le 2 mai 2013 à Vannes, » opening its line (the persons listed under a heading such
# as « Concernant les mineurs : »): a first name and a surname, then the birth date
# (or the subject of a birth or a death: « Antoine Lucciardi di Vico est décédé le 3 mai 2019 »)
LINE_BORN = re.compile(
    rf"^[ \t]*(?P<name>{NAME_SEQ})(?:[ \t]*,[ \t]*{NICKNAME_BEFORE_BIRTH}n[ée]+(?:\(e\))?s?[ \t]+le|"
    rf"[ \t]+(?:est|[ée]tait)[ \t]+(?:n[ée]e?|d[ée]c[ée]d[ée]e?)[ \t]+(?:le|à|en)\b)\b",
    re.M,
)
# « Un enfant est issu de cette union, Lina Martin, née le … » : a name in an incise, then its birth
# date. A single word needs a family cue before it in the sentence (« enfant », « fille », « issu », and
# custody: « a fixé la résidence de Lina, née le … »).
BORN_INCISE = re.compile(
    rf"(?:[,:;(]|(?<![\w'’])(?:et|dont|de)){SP}+(?P<name>{NAME_SEQ}){SP}*,?{SP}*"
    rf"{NICKNAME_BEFORE_BIRTH}"
    # a birth of uncertain date (« Mme X, Anaïse ADJAKOU, se disant née vers 1998 »)
    rf"(?:n[ée]+(?:\(e\))?{SP}+le|(?:se{SP}+disant{SP}+)?n[ée]+(?:\(e\))?{SP}+vers)\b"
)
# the other parent of a filiation, after « et de » (« née … de Maria Lopes, demeurant …, et de Kofi Mensah, dit
# « Papa », pêcheur ») : in a sentence of birth or filiation where a capitalised name already follows « de »
PARENT_AND_OF = re.compile(
    rf"(?<![\w'’])et{SP}+(?:de{SP}+|d['’]{SP}*)(?P<name>{NAME_SEQ})"
    rf"(?={SP}*[,(]|{SP}+(?:dite?|n[ée]e?|d[ée]c[ée]d[ée]e?|son|sa|ses)\b|(?P<loose>{SP}+[{LO}]|{SP}*\n))"
)
FILIATION_CUE = re.compile(r"\b(?:n[ée]e?s?|fils|filles?|enfants?|issue?s?|filiation)\b", re.I)
FIRST_PARENT = re.compile(
    rf"(?<![\w'’])(?:de{SP}+|d['’])(?P<name>{NAME_SEQ}){SP}*,{SP}*(?!et\b|ou\b)[{LO}]"
)
BIRTH_LINE = re.compile(r"\bn[ée]e?\s+le\b")
# the first parent named bare right before « et de » (« né le … à X (Y) de Goran Lukić et de … »): two words at least
FIRST_PARENT_BARE = re.compile(rf"(?<![\w'’])(?:de{SP}+|d['’])(?P<name>{NAME_WORD}(?:{SP}+{NAME_WORD}){{1,3}}){SP}*$")
OF_NAME_BEFORE = re.compile(rf"(?<![\w'’])(?:de{SP}+|d['’])(?:(?:M\.|Mme|Monsieur|Madame){SP}+)?[{UP}][{LO}]")
FAMILY_CUE = re.compile(
    r"\b(?:enfants?|fils|filles?|mineure?s?|petite?s?-(?:fils|filles?|enfants?)|fr[èe]res?|s(?:œ|oe)urs?|"
    r"issue?s?|naissance|n[ée]e?s?\s+de|r[ée]sidence|garde|h[ée]bergement|parents)\b",
    re.I,
)
COMPANY = re.compile(
    r"\b(?:SAS|SASU|SARL|EURL|SA|SCI|SCP|SNC|SELARL|SELAS|GIE|S\.A\.S?\.?|S\.A\.R\.L\.?|(?:[A-Z]\.){3,}|SOCI[ÉE]T[ÉE]|"
    r"COMPAGNIE|BANQUE|CAISSE|ASSOCIATION|SYNDICAT|MUTUELLE|GROUPE|URSSAF|CPAM|CAF|PR[ÉE]FET|"
    r"MINIST[ÈE]RE|COMMUNE|D[ÉE]PARTEMENT|R[ÉE]GION|[ÉE]TAT|TR[ÉE]SOR|CENTRE|H[ÔO]PITAL|OFFICE|"
    r"CARSAT|MSA|CNAV|CIPAV|OPAC|OPH|AGS|CGEA|UNEDIC|FGTI|FGAO|ONIAM|P[ÔO]LE\s+EMPLOI|FRANCE\s+TRAVAIL)\b",
    re.I,
)


INITIAL_LINE = re.compile(rf"^[ \t]*[{UP}]\.[ ]?(?P<name>{NAME_WORD})[ \t]*$", re.M)
CASE_VERSUS = re.compile(r"^[ \t]*C/[ \t]*$", re.M)


def header_mentions(text: str) -> list[Mention]:
    """A name alone on its line in a party block: under « APPELANT : »/« DEMANDERESSE »… or just
    above « né(e) le … »."""
    out = []
    for m in HEADER_LINE.finditer(text):
        name = m.group("name")
        if COMPANY.search(name) or len(name.split()) > 5:
            continue
        words = re.findall(NAME_WORD, name)
        if len(words) < 2 or not all(is_name_word(w) for w in words):
            continue
        following = text[m.end() : m.end() + 80].lstrip()
        previous_lines = [ln for ln in text[max(0, m.start() - 200) : m.start()].split("\n") if ln.strip()]
        born = re.match(r"n[ée]+(?:\(e\))?s?\s+le\b", following, re.I)
        heading = bool(previous_lines) and PARTY_HEADING.search(previous_lines[-1].strip())
        if not (born or heading):
            continue
        mention = _mention(
            text, m.start("name"), m.end("name"), "", "motif:ligne-partie", 0.93 if born else 0.85
        )
        if mention:
            if mention.category is None:
                mention.category = PERSON
            out.append(mention)
    for m in LIST_BORN.finditer(text):
        if all(is_name_word(w) for w in re.findall(NAME_WORD, m.group("name"))):
            units = split_units(text, m.start("name"), m.end("name"), split_hyphens=True)
            if units:
                out.append(
                    Mention(m.start("name"), m.end("name"), units, PERSON, 0.93, "motif:enfant-ne-le", True)
                )
    for m in LINE_BORN.finditer(text):
        words = re.findall(NAME_WORD, m.group("name"))
        if len(words) >= 2 and all(is_name_word(w) for w in words) and not COMPANY.search(m.group("name")):
            units = split_units(text, m.start("name"), m.end("name"), split_hyphens=True)
            if units:
                out.append(Mention(m.start("name"), m.end("name"), units, PERSON, 0.93, "motif:ligne-ne-le", True))
    for m in BORN_INCISE.finditer(text):
        name = m.group("name")
        words = re.findall(NAME_WORD, name)
        if COMPANY.search(name) or not words or not all(is_name_word(w) for w in words):
            continue
        if len(words) == 1:
            sentence = re.split(r"[.!?]\s|\n\s*\n", text[max(0, m.start() - 160) : m.start()])[-1]
            if not FAMILY_CUE.search(sentence):
                continue
        start = m.start("name")
        lead = re.match(rf"(?:de|d['’]){SP}*", name)  # « et de Lina, née le … »
        if lead:
            start += lead.end()
        units = split_units(text, start, m.end("name"), split_hyphens=True)
        if units:
            out.append(Mention(start, m.end("name"), units, PERSON, 0.9, "motif:incise-ne-le", True))
    for m in finditer_at(PARENT_AND_OF, text, word_starts(text, text, ("et d",), "_'’-")):
        words = re.findall(NAME_WORD, m.group("name"))
        if len(words) < 2 or COMPANY.search(m.group("name")) or not all(is_name_word(w) for w in words):
            continue
        lines = re.split(r"[.!?;]\s|\n", text[max(0, m.start() - 300) : m.start()])
        sentence = lines[-1]
        # (or the parents' line under the birth's line: « né le … à X ⏎ de A B et de C D ⏎ chauffeur »)
        under_birth = len(lines) > 1 and FIRST_PARENT_BARE.fullmatch(sentence) and BIRTH_LINE.search(lines[-2])
        if not (FILIATION_CUE.search(sentence) and OF_NAME_BEFORE.search(sentence)) and not under_birth:
            continue
        # (a name followed by a lower-case word, « et de Vesna Ilić chauffeur », only after a first parent named bare)
        if m.group("loose") is not None and not FIRST_PARENT_BARE.search(sentence):
            continue
        units = split_units(text, m.start("name"), m.end("name"), split_hyphens=True)
        if units:
            out.append(Mention(m.start("name"), m.end("name"), units, PERSON, 0.85, "motif:filiation", True))
        # the first parent, named after « de » and described (« de Maria Lopes, ménagère, … et de … »)
        base = m.start() - len(sentence)
        first = next(reversed(list(FIRST_PARENT.finditer(sentence))), None) or FIRST_PARENT_BARE.search(sentence)
        if first and all(is_name_word(w) for w in re.findall(NAME_WORD, first.group("name"))):
            start, end = base + first.start("name"), base + first.end("name")
            units = split_units(text, start, end, split_hyphens=True)
            if len(units) >= 2:
                out.append(Mention(start, end, units, PERSON, 0.8, "motif:filiation", True))
    # « A.MICHEL » alone on its line in a case heading « X C/ Y »: an initial and a party's surname
    for m in INITIAL_LINE.finditer(text):
        if is_name_word(m.group("name")) and CASE_VERSUS.search(
            text[max(0, m.start() - 250) : m.end() + 250]
        ):
            start, end = m.span("name")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:initiale-nom", True))
    return out


def ner_mentions(text: str, ner_spans: list[tuple[int, int]]) -> list[Mention]:
    """spaCy PER spans, filtered: no determiner before a person's name, no company or place context,
    no single capitalised word opening a line (« Statuant », « Ordonner »)."""
    out = []
    for start, end in ner_spans:
        span = text[start:end]
        if any(ch.isdigit() for ch in span) or "\n" in span.strip() or len(span.split()) > 5:
            continue
        if not span[:1].isupper() or re.match(PARTICLE, span):
            continue
        country = re.search(rf"(?:^|{SP}+)({NAME_WORD})$", span)
        if country and fold_chars(country.group(1)) in COUNTRIES:
            # « Maroc » alone is a country; « Leoni Maroc » is a company's subsidiary
            end = start + country.start()
            span = text[start:end]
            if not span:
                continue
        civility = re.match(rf"(?:{CIVILITY}){SP}*", span)
        if civility and TITLE_AFTER_CIVILITY.match(span, civility.end()):
            continue  # « Mme la Chancelière allemande … »
        if (
            NOT_PERSON_CONTEXT.search(text[max(0, start - 25) : start])
            or SAINT.match(span)
            or BRAND_OR_PLACE_BEFORE.search(text[max(0, start - 60) : start])
            or ACRONYM.search(span)
        ):
            continue
        previous = re.findall(r"[\w'’]+", text[max(0, start - 20) : start])
        if previous and fold_chars(previous[-1]).rstrip("'’") in DETERMINERS:
            continue
        if previous and previous[-1] == "à" and len(span.split()) == 1:
            continue  # « un déplacement à Sanchezboeuf », « sis … à Baudry » : a place
        line_start = text.rfind("\n", 0, start) + 1
        if len(span.split()) == 1 and INFINITIVE_CLAUSE.match(text, start):
            continue  # « Juger que … », « Rejeter la demande » in a list of claims
        if len(span.split()) == 1 and (
            not text[line_start:start].strip() or re.search(r"[.:;°]\s*$", text[line_start:start])
        ):
            continue  # a capitalised word opening a line or a sentence (« Infirmant le jugement »)
        words = [w for w in re.findall(NAME_WORD, span) if is_name_word(w)]
        if not words:
            continue
        mention = _mention(text, start, end, "", "spacy:PER", 0.7)
        if mention:
            out.append(mention)
    return out


# « Serkan X, dit « Kobra » », « surnommée « La Rouquine » », « alias Dédé » : a nickname after a
# name is the person's too (Label masks it). A capitalised name word must come right before the cue
# (« un prêt dit « PPI » », « DIT que » are no nicknames), outside a company's name.
NICKNAME = re.compile(
    rf"(?P<before>[{UP}](?<![\w'’-].)[{UP}{LO}'’-]*)(?P<dot>\.)?{SP}*,?{SP}*(?:(?:dite?s?|surnomm[ée]+e?s?|alias){SP}+"
    rf"«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»|alias{SP}+(?P<bare>{NAME_SEQ}))"
)
# more nicknames chained to the first one (« dit « Kiki » ou « le Rouquin » », « alias « Tito », alias « Big
# T » »): another quote after « ou », « et » (no comma before them) or the cue again, with a capital letter
NEXT_NICKNAME = re.compile(
    rf"(?:{SP}+(?:ou|et)|{SP}*,?{SP}*(?:alias|dite?s?|surnomm[ée]+e?s?))(?:{SP}+(?:encore|aussi|alias))?{SP}+"
    rf"«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»"
)
# « la fille de M. Roussel, Clémence, alors en vacances »: a relative's first name in apposition after the
# relative named with a civility or by a word
RELATIVE_FIRST_NAME = re.compile(
    rf"\b(?:fils|fille|[ée]pouse|[ée]poux|mari|femme|fr[èe]re|s(?:œ|oe)ur|m[èe]re|p[èe]re|compagne|compagnon|"
    rf"concubine?|neveu|ni[èe]ce|petite?-(?:fils|fille)){SP}+(?:(?:de{SP}+|d['’])(?:{CIVILITY}){SP}*{NAME_SEQ}|"
    # or a relative of a person named by a word (« le fils du gérant, Patryk, », « la fille de la victime, Léa, »)
    rf"(?:du|des|de{SP}+la|de{SP}+l['’]|d['’]une?|de{SP}+(?:son|sa|leur|notre)){SP}*[{LO}][{LO}-]+(?:{SP}+[{LO}][{LO}-]+)?)"
    rf"{SP}*,{SP}*"
    rf"(?P<first>{FIRST_NAME}){SP}*,"
)
# a first name after a term of affection (« ma chérie Inès », « mon cœur, Anaïs », « mon petit Louis »), as
# messages quoted in a decision write it
AFFECTION_FIRST_NAME = re.compile(
    rf"\b(?:[Mm]a|[Mm]on|[Mm]es|[Nn]otre)(?:{SP}+(?:petite?|grande?|ch[èe]re?|pauvre|belle|beau))?{SP}+"
    rf"(?:ch[ée]rie?s?|c(?:œ|oe)ur|amour|puce|poussin|ange|b[ée]b[ée]|tr[ée]sor|biche|chou|doudou|loulou|"
    rf"ch[èe]re?|petite?|grande?){SP}*,?{SP}*(?!(?:Maman|Papa|Mamie|Mamy|Papi|Papy|Tonton|Tata)\b)(?P<first>{FIRST_NAME})(?![\w'’-])"
)
SURNAME_AFTER_NICKNAME = re.compile(rf"{SP}+(?P<name>{NAME_SEQ})(?={SP}*,|{SP}+[{LO}])")
# « prénommé Jordan », « Nom : FERREIRA⏎Prénoms : Rui, Manuel » (an identity written as a form)
FIRST_NAME_CUE = re.compile(
    rf"(?:\bpr[ée]nomm[ée]+e?s?{SP}+|^[ \t]*(?i:pr[ée]noms?|noms?(?:{SP}+de{SP}+naissance|{SP}+d['’]usage)?){SP}*:{SP}*"
    # the first names further on a « Nom : » line (« Nom : KOWALCZYK Prénoms : Radoslaw, Tadeusz »)
    rf"|(?<=[ \t])(?-i:Pr[ée]noms?){SP}*:{SP}*)"
    rf"(?P<names>{NAME_WORD}(?:{SP}*,{SP}*(?!Pr[ée]noms?\b){NAME_WORD}|{SP}+(?!Pr[ée]noms?\b){NAME_WORD}){{0,4}})",
    re.M,
)
# A civil-status record written as a form or transcribed (« Père : NOM Prénom », « Cha (Père) : ĐOÀN Văn »,
# « – Mère : X Y », « « Nom : SHIMAZAKI (島崎) »): the names after a field's label, a label possibly in
# brackets after the same word in another language; a name repeated in another script in brackets is the
# person's too.
OTHER_SCRIPT = r"[^\x00-\u024F\u1E00-\u1EFF\s()\[\]\d,.;:«»\"“”'’/–—-]+"
FIELD_LABEL = (
    r"(?i:p[èe]re|m[èe]re|noms?(?:\s+(?:de\s+naissance|d['’]usage|de\s+famille|patronymique|et\s+pr[ée]noms?))?|"
    r"pr[ée]noms?|[ée]poux|[ée]pouse|conjointe?|mari|[ée]pou(?:x|se)|enfant|fils|fille|titulaire)"
)
CIVIL_STATUS_FIELD = re.compile(
    rf"(?:^[ \t]*[«\"“]?[ \t]*|[–—;][ \t]*|(?<=[ \t]))"
    rf"(?:[^\W\d_][^\n:()]{{0,20}}?{SP}*\({SP}*{FIELD_LABEL}{SP}*\)|(?<![\w'’-]){FIELD_LABEL})"
    rf"{SP}*:{SP}*(?P<names>{NAME_WORD}(?:{SP}*\({OTHER_SCRIPT}\))?"
    rf"(?:(?:{SP}*,{SP}*|{SP}+)(?!(?i:pr[ée]noms?|noms?|p[èe]re|m[èe]re)\b){NAME_WORD}(?:{SP}*\({OTHER_SCRIPT}\))?){{0,4}})",
    re.M,
)
# a field's label and its colon, found first (cheap), the line then read with ``CIVIL_STATUS_FIELD``
FIELD_HIT = re.compile(rf"(?<![\w'’-]){FIELD_LABEL}{SP}*\)?{SP}*$")
NAME_OR_SCRIPT = re.compile(rf"{UNIT_RE.pattern}|(?<=\(){OTHER_SCRIPT}(?=\))")
# « fils de Jan Nowak et de Ewa Lis », « née de M. X et de Mme Y » : both parents
PARENTS = re.compile(
    rf"\b(?:fils|filles?|enfants?|n[ée]e?s?|issue?s?|"
    # or after the birth's date and place (« né le 3 mars 1981 à X (Roumanie), de Vasile et de Florica Y »)
    rf"n[ée]e?s?{SP}+(?:le|en|à|au|vers)\b[^;:\n«»]{{1,80}}?,)"
    rf"{SP}+(?:de|d['’]){SP}*(?:(?:{CIVILITY}){SP}*)?(?P<first>{NAME_SEQ})"
    rf"{SP}+et{SP}+(?:de|d['’]){SP}*(?:(?:{CIVILITY}){SP}*)?(?P<second>{NAME_SEQ})"
)
# another name a person goes by, or will bear: « se disant aussi X Y », « connu sous le nom de X »,
# « sous l'identité de X », « portera le nom de van X », « se faisant appeler X »
ALIAS_CUE = re.compile(
    rf"\b(?:se{SP}+disant(?:{SP}+(?:aussi|[ée]galement|encore))?|se{SP}+faisant{SP}+(?:appeler|passer{SP}+pour)|"
    # (« sous l'identité déclarée de « X Y » », quotes or not)
    rf"sous{SP}+(?:les?{SP}+(?:noms?|patronymes?|alias|pseudonymes?|identit[ée]s?)|l['’]identit[ée]|l['’]alias)"
    rf"(?:{SP}+(?:d[ée]clar[ée]e|fictive|suppos[ée]e|usurp[ée]e|d['’]emprunt))?{SP}+(?:de{SP}+|d['’])|"
    rf"(?:porte|prend|reprend|conserve|garde|substitue)[a-z]*{SP}+(?:le|son){SP}+nom"
    rf"(?:{SP}+(?:de{SP}+famille|d['’]usage|patronymique))?{SP}+(?:de{SP}+|d['’]))"
    rf"{SP}*(?P<quote>«{SP}*)?(?P<name>{NAME_SEQ})"
)
# another spelling, an alias or a nickname given in quotes, the cue and the quotes a few words apart
# (« dont le nom est aussi écrit « X » », « le prénom est également orthographié « Y » et le nom « Z » »,
# « sous l'alias « el Z » », « surnommé dans le quartier « de W » », « une femme prénommée « Y » »)
QUOTED_VARIANT = re.compile(
    rf"\b(?:sous{SP}+(?:l['’]alias|le{SP}+(?:surnom|pseudonyme|sobriquet))|(?:sur|pr[ée])nomm[ée]+e?s?|"
    # a label of a civil status (« Nom : X Prénoms : Y Surnom : « Z » »)
    rf"(?:[Ss]urnom|SURNOM|[Aa]lias|ALIAS|[Ss]obriquet|[Pp]seudonyme)s?{SP}*:(?={SP}*«)|"
    # a name quoted right after the word for it, with its determiner (« toute mention du nom « X » », « le
    # nom « X » est remplacé par », « déclaré aux prénoms « Y Z » »), as in a rectification of civil status
    # (not « sous le nom « X » », a shop's or a trade's name as often as a person's)
    rf"(?<![\w'’-])(?<!sous )(?<!sous\u00a0)(?:[Ll]es?|[Dd]u|[Dd]es|[Aa]ux?|[Ss]on|[Ss]es|[Ll]eurs?|[Cc]es?){SP}+(?:nom|pr[ée]nom|patronyme)s?"
    rf"(?:{SP}+(?:de{SP}+famille|de{SP}+naissance|d['’]usage|patronymique))?(?={SP}*«)|"
    rf"(?:nom|pr[ée]nom|patronyme)s?{SP}+(?:est|sont|[ée]tait|[ée]tant|figure){SP}+"
    rf"(?:aussi|[ée]galement|parfois|encore|souvent|ailleurs){SP}+(?:[ée]crit|orthographi[ée]|transcrit|[ée]pel[ée])e?s?|"
    # a spelling or a transliteration of the name, without « nom » (« parfois orthographiée « X » », « écrit
    # aussi « Y » dans le signalement », « sous les graphies « Z » », « les variations de translittération
    # du nom (« X », « Y ») »); « écrit » only with its adverb (« il a écrit « Je pars » » is a quote)
    rf"(?:(?:aussi|[ée]galement|parfois|encore|souvent|ailleurs){SP}+)?(?:orthographi[ée]|translitt[ée]r[ée]|transcrit)e?s?|"
    rf"[ée]crite?s?{SP}+(?:aussi|[ée]galement|parfois|encore|souvent|ailleurs)|"
    rf"(?i:graphies?|orthographes?|translitt[ée]rations?)|"
    # the spelling a document gives, after the word for a name (« transcrit le nom de l'épouse sous la forme
    # « X » », « le prénom figure sous la forme de « Y » »), or after a pronoun, a document designating a person
    # (« le passeport le désigne sous le nom de « X Y » »)
    rf"(?:nom|pr[ée]nom|patronyme)s?\b[^«»\n.;]{{0,40}}?sous{SP}+(?:la{SP}+forme|la{SP}+graphie|l['’]orthographe)(?:{SP}+de)?|"
    rf"(?<![\w'’-])(?:[Ll]e|[Ll]a|[Ll]es|[Ll]['’]){SP}*(?:d[ée]sign|identifi)\w*{SP}+sous{SP}+le{SP}+(?:nom|pr[ée]nom)s?{SP}+de)"
    rf"(?:{SP}+[^«»\n.;]{{1,30}}?)?{SP}*«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»"
    rf"(?:{SP}+et{SP}+(?:le|son){SP}+(?:nom|pr[ée]nom){SP}+«{SP}*(?P<second>[^»\n]{{1,40}}?){SP}*»)?"
)
# the next spellings of the list (« « X » ou « Y » », « « X », « Y » », « « X » dans le signalement et « Y » dans
# le mandat »)
NEXT_VARIANT = re.compile(
    rf"(?:{SP}+[^«»\n.;:()]{{1,40}}?)?(?:{SP}*,|{SP}+(?:ou|et))(?!{SP}+(?:le|son){SP}+(?:nom|pr[ée]nom)){SP}*"
    rf"«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»"
)
# a name transliterated in capitals after the word, and the next spelling (« ĐORĐEVIĆ Miloš (translittéré X Y
# dans la notice et Z W sur son titre de séjour) »)
TRANSLITERATED = re.compile(
    rf"\btranslitt[ée]r[ée]e?s?{SP}+(?:en{SP}+)?(?P<name>[{UP}]{{2,}}[{UP}'’-]*(?:{SP}+{NAME_WORD}){{0,2}})"
    rf"(?:{SP}+[^«»\n.;:(),]{{1,40}}?{SP}+(?:ou|et){SP}+(?P<second>[{UP}]{{2,}}[{UP}'’-]*(?:{SP}+{NAME_WORD}){{0,2}}))?"
)
# children listed after any wording introducing them, each first name in apposition with its birth date
# (« Deux enfants sont nés de cette union : Elvira, le 5 juin 2015 à X, et Matei, le … »)
CHILDREN_INTRO = re.compile(
    r"\b(?:enfants?|fils|filles?|jumeaux|jumelles|n[ée]e?s|naquirent|naissances?)\b[^.:;\n«»]{0,60}?:\s*(?=[A-ZÀ-Þ])"
)
DATED_CHILD = re.compile(
    rf"(?:^|(?<=[:,;]){SP}*|(?<=\bet){SP}+)(?P<name>{FIRST_NAME})"
    rf"(?={SP}*,?{SP}*(?:le{SP}+(?:\d|1er|premier)|n[ée]e?{SP}+le|\({SP}*n[ée]e?|âg[ée]e?{SP}+de))"
)
# a person's name given in quotes after a verb of calling (« appelle l'enfant « Mimi » »)


# « sont nés deux enfants : Elouan, le …, et Nolwenn », « ses deux enfants, Awa et Moussa », « ses fils mineurs,
# Ilan et Noé », « sont nés
# Ophélie, le …, et Timéo, le … » : the first names listed after a word for children (or right after
# « sont nés »), in that sentence, each after « : », « , » or « et ».
# whose children they are, between the word and the list (« les deux filles de celle-ci, », « un fils d'une
# précédente union, », « sont nés de cette union, »)
CHILDREN_OF = (
    r"(?:\s+(?:de\s+(?:celle|celui|ceux)-ci|d['’]une?\s+(?:pr[ée]c[ée]dente?|premi[eè]re?|autre)\s+(?:union|lit|mariage|relation)"
    r"|de\s+(?:cette|leur|l['’])\s*union|du\s+(?:couple|mariage|premier\s+lit)))?"
)
CHILDREN_CUE = re.compile(
    r"\b(?:(?:enfants?|fils|filles?|jumeaux|jumelles|a[îi]n[ée]e?s?|cadet(?:te)?s?|benjamine?s?|issue?s?\s+(?:de\s+(?:leur|cette|l['’])\s*union|du\s+mariage)"
    # the other kin listed by their first names (« leurs quatre autres frères et sœurs, Kelya, Soanne et Jismi »)
    r"|(?:demi-)?fr[èe]res|(?:demi-)?s(?:œ|oe)urs|petits?-enfants|neveux|ni[èe]ces|cousine?s)"
    # an adjective of age after the word (« ses deux filles mineures, Awa et Lina »)
    r"(?:\s+(?:mineure?s?|majeure?s?|jeunes|a[îi]n[ée]e?s?|cadet(?:te)?s?))?"
    # and its age (« père d'un enfant de deux ans, Ruihan, »)
    r"(?:\s+(?:âg[ée]e?s?\s+)?de\s+(?:\d{1,2}|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|dix-sept)\s+ans)?"
    rf"{CHILDREN_OF}\s*[:,]|sont\s+n[ée]e?s{CHILDREN_OF}\s*,?"
    # a counted list of one's children without a comma (« ses deux filles Awa et Lina »)
    r"|(?<![\w'’])(?:ses|leurs|[Ss]es|[Ll]eurs)\s+(?:deux|trois|quatre|cinq|six)\s+(?:enfants|fils|filles)(?=\s+[A-ZÀ-Þ][a-zß-ÿ]+\s+et\s))"
    r"\s*(?=[A-ZÀ-Þ])"
)
# people of a group named by their first names right after the word for them (« deux ouvriers de l'équipe,
# Dersim et Rojhat », « ses collègues permanents Rolando et Jovelyn », « ses amis : Ilan, Noé et Sacha »): two
# names at least, the last after « et », each a given name or no French word
GROUP_CUE = re.compile(
    # (without a comma, after a possessive or a number only: « ses collègues X et Y », not « les salariés Renault et
    # Peugeot »)
    r"(?P<owner>\b(?:[Ss]es|[Ll]eurs?|[Nn]os|deux|trois|quatre|cinq)\s+)?"
    r"\b(?:coll[èe]gues|ouvri[eè]re?s|salari[ée]e?s|apprentie?s|camarades|amie?s|co[ée]quipi[eè]re?s|voisine?s|"
    r"int[ée]rimaires|stagiaires)"
    r"(?:\s+(?:de\s+l['’]\s*[ée]quipe|d['’]\s*(?:[ée]quipe|atelier)|de\s+(?:travail|chantier|classe|promotion|service)|"
    r"permanente?s|habituel(?:le)?s|int[ée]rimaires))?"
    rf"(?P<sep>{SP}*[:,])?{SP}*(?:(?:notamment|dont|à\s+savoir){SP}+)?"
    rf"(?P<names>{FIRST_NAME}(?:{SP}*,{SP}*{FIRST_NAME})*"
    rf"{SP}+et{SP}+{FIRST_NAME})(?![\w'’-])(?!{SP}+[{UP}])"
)
# a rank before a name, after a determiner or a preposition (« le brigadier-chef Ilan Varo », « au gardien de la
# paix Varo », « par l'adjudant Varo », « « le lieutenant Varo de la police judiciaire » »)
RANK_NAME = re.compile(
    rf"(?<![\w'’-])(?:[Ll]e|[Ll]a|[Ll]['’]|[Dd]u|[Aa]u|[Dd]es|[Aa]ux|[Ll]es|[Dd]e{SP}+la|[Àà]{SP}+la){SP}*"
    rf"{RANK}{SP}+(?P<name>{NAME_SEQ})"
)
# each first name of the list, with a surname in capitals (« Tiavina RAKOTO, né en 2013 ») and its birth year
# (« Ana en 2004 et Iker en 2008 »)
CHILD_ITEM = re.compile(
    rf"(?:^|(?<=[:,]){SP}*|(?<=\bet){SP}+)(?P<name>{FIRST_NAME})"
    rf"(?:{SP}+(?P<surname>[{UP}]{{2,}}[{UP}'’-]*)(?={SP}*,))?"
    rf"(?={SP}*(?:,|\.|;|\(|$|{SP}+et{SP}|{SP}+le{SP}|{SP}+n[ée]e?s?{SP}|{SP}+en{SP}+\d{{4}}\b))"
)


# « un ami de la famille surnommé « Le Grand Jo » », « un individu dit « Le Gitan » » : a nickname after a
# word for a person (or after « surnommé » or « un nommé », which only name people)
NICKNAME_AFTER_NOUN = re.compile(
    rf"(?:\b(?:ami|amie|individu|homme|femme|voisine?|camarade|comparse|complice|jeune|gar[çc]on|fille|fr[èe]re|"
    rf"s(?:œ|oe)ur|cousine?|oncle|tante|client|cliente|fournisseur|dealer|guetteur|personne|coll[èe]gues?|"
    rf"inconnue?|passag[eè]re?|t[ée]moin|mineure?|enfant|adolescente?|partenaire|compagne|compagnon|"
    rf"interlocut(?:eur|rice)|correspondante?|coll[èe]gue|employ[ée]e?|ouvri[eè]re?|auteure?|agresseur)s?\b[^.;\n«»]{{0,40}}?"
    # « dit », « alias », or any naming verb (« désigné comme », « connu sous le nom de », « qu'il nommait »)
    # (« un interlocuteur enregistré sous le nom de « X » » : a contact in a phone)
    rf"\b(?:dite?|alias|(?:d[ée]sign|connu|pr[ée]sent|enregistr)\w*{SP}+(?:comme|sous{SP}+le{SP}+(?:nom|pr[ée]nom|surnom){SP}+de)|"
    rf"nomm(?:ait|aient|ant|er|e|ent|[ée]e?)|appel(?:ait|aient|ant|[ée]e?))|\bsurnomm[ée]+e?s?|\bune?{SP}+nomm[ée]e?){SP}+«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»"
)
# a nickname in quotes, then the word for it and the person it names (« « Le Rat » — surnom de Tom X, toujours en
# fuite — », « « Bibi », surnom du prévenu ») : the nickname, and the name after « de » (first name and surname)
NICKNAME_THEN_WORD = re.compile(
    rf"«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»{SP}*[,—–-]?{SP}*(?:(?:le|son){SP}+)?(?:surnom|sobriquet)s?\b"
    rf"(?:{SP}+(?:de{SP}+|d['’]{SP}*)(?P<name>{NAME_SEQ}))?"
)
# a first name and a surname in capitals before a married name (« ; Ilka VORNE épouse DALL, sœur de … »): the
# person's own names (the married name follows a civility, ``CIV_RE``)
NAME_BEFORE_MARRIED = re.compile(
    rf"(?P<first>[{UP}](?<![\w'’.-].)[{LO}]+(?:-[{UP}][{LO}]+)?){SP}+(?P<last>[{UP}]{{2,}}(?:[-'’][{UP}]{{2,}})*)"
    rf"{SP}+(?:[ée]pouse|[ée]poux|veuve){SP}+[{UP}]{{2}}"
)
# a determiner before a quoted nickname (« Le « Renard », qu'il a reconnu »): the noun of a nickname given with
# its article elsewhere (« dit « le Renard » »), outside the quotes here
ARTICLED_NOUN = re.compile(rf"(?:[Ll]e|[Ll]a|[Ll]['’]){SP}*(?P<noun>{FIRST_NAME})")
DETERMINER_BEFORE_QUOTE = rf"(?<![\w'’-])(?:[Ll]e|[Ll]a|[Ll]['’]|[Dd]u|[Aa]u){SP}*«{SP}*"
# « un certain « El Gordo » », « une dénommée « Nana » », « le nommé « Kiki » » : a name in quotes after words that
# only introduce a person not otherwise named
CERTAIN_QUOTED = re.compile(
    rf"\b(?:[Uu]ne?{SP}+certaine?|(?:[Uu]ne?|[Ll]e|[Ll]a|[Ll]['’]){SP}*(?:d[ée]nomm[ée]e?|nomm[ée]e?)){SP}+«{SP}*(?P<quoted>[^»\n]{{1,40}}?){SP}*»"
)
# a person's age in apposition (« Inès, 12 ans, », « son ami Noé, âgé de 9 ans », « une fillette, R., âgée de six
# ans ») : the first name (or initial) before it is a person's; found from the comma and the age (cheap)
AGE_AFTER = re.compile(
    rf",{SP}*(?:âg[ée]e?{SP}+de{SP}+)?(?:\d{{1,2}}|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    rf"quatorze|quinze|seize|dix-sept){SP}+ans\b(?!{SP}+(?:plus|apr[èe]s|avant|auparavant|durant|pendant|de{SP}+))"
)
NAME_BEFORE_AGE = re.compile(
    rf"(?:(?<![\w.’'-])|(?<=\b[dD]['’])|(?<=qu['’]))(?P<first>{FIRST_NAME}(?:{SP}+[{UP}][{UP}{LO}]+(?:-[{UP}][{UP}{LO}]+)?){{0,3}}|"
    rf"[{UP}]\.){SP}*$"
)
# a Polynesian name of filiation, « X a Y » (X son or daughter of Y: « la part de Tehei a Moana, décédé »), found
# from the « a » between two capitalised words, before a punctuation or a word of civil status, in a decision of
# French Polynesia
POLYNESIAN_OF = re.compile(
    rf" a{SP}+(?P<parent>[{UP}][{LO}]+)(?![\w'’-])(?={SP}*[,;.)]|{SP}+(?:dite?|et|n[ée]e?|d[ée]c[ée]d[ée]e?|cit[ée]e?)\b)"
)
CHILD_BEFORE_OF = re.compile(rf"(?<![\w'’.-])(?P<child>[{UP}][{LO}]+)$")
# only in a decision of French Polynesia (« a » is also a verb, and « à » written without its accent)
POLYNESIA = re.compile(
    r"\b(?:tomite|Polyn[ée]sie|Tahiti|Papeete|Moorea|Raiatea|Huahine|Marquises|Tuamotu|Australes|Taravao|Faa'?a|"
    r"Punaauia|Papara|Paea|Mataiea|Teva\s+I\s+Uta)\b"
)
# « Nikolaos dit Nikos Stavrou, né … », « Giovanni dit Gianni Russo (…) » : a first name, « dit » and the usual
# first name before the surname, then a comma or a bracket
FIRST_DIT_FIRST = re.compile(
    rf"(?P<first>[{UP}](?<![\w'’-].)[{LO}]+(?:-[{UP}][{LO}]+)?){SP}+dite?{SP}+"
    rf"(?P<usual>{FIRST_NAME}){SP}+(?P<last>{NAME_SEQ})(?={SP}*[,(])"
)
# a nickname made of an article and a capitalised noun in words quoted from the parties (« « la Princesse peut
# rester chez elle » », « « demande au Boss » ») : the nouns people are called by, not followed by a name
QUOTED_NICKNAME = re.compile(
    rf"\b(?P<nick>(?:[Ll]e|[Ll]a|[Ll]['’]|au|du){SP}*(?:Princesse|Prince|Reine|Roi|Boss|Cheffe?|Patronne?|Parrain|Marraine|"
    rf"Vieux|Vieille|Gamin|Gamine|Petit|Petite|Grand|Grande|Doc|Toubib|Baron|Baronne|Duchesse|Comtesse|Marquise|"
    rf"Taulier|Tauli[èe]re|Blond|Blonde|Rouquin|Rouquine|Gitan|Gitane|Minot|Môme|Mioche|Poupée|Frangin|Frangine))"
    rf"(?![\w'’-])(?!{SP}*[{UP}0-9])"
)
# first names followed by the relation of the persons to the party, in apposition (« vouloir rester « avec Aure et
# Capucette », ses amies de classe », « Malo, Inès et Sacha, ses camarades ») : found from the relation word
COMPANIONS_AFTER = re.compile(
    rf"[,»]{SP}*,?{SP}*(?:ses|son|sa|leurs?){SP}+(?:meilleure?s?{SP}+|deux{SP}+|trois{SP}+)?(?:amie?s?|camarades?|copains?|copines?|"
    rf"voisine?s?|cousine?s?|fr[èe]res?|s(?:œ|oe)urs?|demi-(?:fr[èe]res?|s(?:œ|oe)urs?)|enfants?|fils|filles?|"
    rf"petite?s?-(?:enfants?|fils|filles?)|neveux|nièces?|coll[èe]gues)\b"
)
FIRST_NAME = rf"[{UP}][{LO}]+(?:-[{UP}{LO}][{LO}]+)?"
# the same relation written first (« avec ses amies Perrine et Eulalie », « leurs cousins Malo, Inès et Sacha »)
COMPANIONS_BEFORE = re.compile(
    rf"\b(?:[Ss]es|[Ll]eurs){SP}+(?:meilleure?s{SP}+|deux{SP}+|trois{SP}+)?(?:amie?s|camarades|copains|copines|"
    rf"voisine?s|cousine?s|fr[èe]res|s(?:œ|oe)urs|demi-(?:fr[èe]res|s(?:œ|oe)urs)|coll[èe]gues){SP}*,?{SP}*"
    rf"(?P<names>{FIRST_NAME}(?:{SP}*,{SP}*{FIRST_NAME}){{0,4}}{SP}+et{SP}+{FIRST_NAME})(?![\w'’-])"
)
FIRST_NAMES_BEFORE = re.compile(
    rf"(?<![\w'’.-])(?P<names>{FIRST_NAME}(?:{SP}*,{SP}*{FIRST_NAME}){{0,4}}{SP}+et{SP}+{FIRST_NAME}){SP}*»?{SP}*,?$"
)


# a nickname of an article and a capitalised noun as the whole quotation, where the words around make it a person's
# name: « le »/« les » kept after « de » or « à » (« l'ADN de « le Balafré » », not « du »), or after a verb of
# naming or insulting (« la traitait de « la Normande » », « surnommé « le Frisé » »)
QUOTED_ARTICLE_NAME = re.compile(
    rf"«{SP}*(?P<nick>(?P<article>[Ll]e|[Ll]a|[Ll]es|[Ll]['’]){SP}*{FIRST_NAME}){SP}*»"
)


def _quoted_noun(m: re.Match) -> str:
    """The noun of a ``QUOTED_ARTICLE_NAME`` match, spaces normalised: its mentions compare on it."""
    return re.sub(r"\s+", " ", m.group("nick")[len(m.group("article")) :].strip())


UNCONTRACTED_BEFORE = re.compile(rf"(?<![\w'’])(?:de|à){SP}*$")
NAMING_VERB_BEFORE = re.compile(
    r"\b(?:trait(?:er|ait|aient|é|ée|és|ées|ant|e|ent)|qualifi\w*|surnomm\w*|baptis\w*|insult\w*|"
    r"appel(?:er|ait|aient|é|ée|és|ées|ant|le|lent))\b[^.;:!?«»\n]{0,40}$"
)


# a word that only names a person, then the name (« sous le seul prénom de « Volkan » », « connu sous le surnom
# de Rouquin », « son pseudonyme « Kaïra » », « le prénom de sa voisine, Ornella »), or a verb of calling with
# the name in quotes (« l'un appelait l'autre « Toto » », « un homme se faisant appeler « Zizou » »)
NAMING_CUE = re.compile(
    rf"(?:\b(?:pr[ée]noms?|surnoms?|sobriquets?|pseudonymes?|diminutifs?)(?:{SP}+(?:de|d['’]))?{SP}*"
    # the person named by a possessive first (« le prénom de sa colocataire, Ornella »)
    rf"(?:(?:son|sa|ses|leurs?|cette|ce)(?:{SP}+[{LO}][{LO}'’-]+){{1,2}}{SP}*,{SP}*)?"
    rf"|\b(?:appel(?:er|ait|aient|ant|[ée]e?s?|le|lent)|se{SP}+fai(?:sant|sait|t){SP}+appeler)"
    rf"(?:{SP}+(?:l['’]\w+|les?(?:{SP}+[{LO}]+)?|la(?:{SP}+[{LO}]+)?|lui|leurs?{SP}+\w+|son{SP}+\w+|sa{SP}+\w+|"
    rf"ses{SP}+\w+|cet{SP}+\w+|cette{SP}+\w+|ce{SP}+\w+))?{SP}*(?=«))"
    rf"(?:«{SP}*(?P<quoted>[^»\n]{{1,30}}?){SP}*»|(?P<bare>{FIRST_NAME})(?![\w'’-]))"
)
UPPER_SURNAME_AFTER = re.compile(rf"{SP}+(?P<name>[{UP}]{{2,}}(?:[-'’][{UP}]{{2,}})*)(?=[ \t\u00a0]*[,;.)]|{SP}+[{LO}])")
# initials after a civility (« Monsieur D. K. », « Mme L. »), each a unit as Label annotates them
INITIALS = re.compile(
    rf"(?<![\w.])(?P<civ>M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle){SP}+(?P<initials>[{UP}]\.(?:{SP}?-?[{UP}]\.){{0,3}})"
    rf"(?!{SP}?[{UP}][{LO}{UP}])"
)


# initials without civility, where the sentence says a person is meant (« désigné sous les initiales
# K. T. », « deux mineurs, F. G. et Ilan »): two or three initials, each a unit
BARE_INITIALS = re.compile(
    rf"(?P<initials>[{UP}](?<![\w.’'-].)\.(?:{SP}?-?[{UP}]\.){{1,2}})(?!{SP}?-?[{UP}][{UP}{LO}]|[{LO}0-9])"
)
INITIALS_CUE = re.compile(
    r"\b(?:initiales|mineure?s?|enfants?|victimes?|t[ée]moins?|patiente?s?|pensionnaires?|r[ée]sidente?s?|"
    r"d[ée]sign[ée]+e?s?|d[ée]nomm[ée]+e?s?|nomm[ée]+e?s?|fils|filles?|complices?|co-?auteurs?|"
    # a signature in initials (« une lettre signée « P. D. » », « paraphée M. T. »)
    r"sign[ée]+e?s?|paraph[ée]+e?s?)\b[^.;\n]{0,30}$",
    re.I,
)
# a lower-case noun with its determiner right before the initials (« les déclarations du coopérant J. R. S. »,
# « l'attestation de sa voisine M. T. »): a person designated by a role, not a court's member, nor a legal
# reference or a company
NOUN_BEFORE_INITIALS = re.compile(
    rf"\b(?:le|la|les|l['’]|du|des|au|aux|un|une|son|sa|ses|leur|leurs){SP}*"
    r"(?!(?:pr[ée]sid|conseill|juge|greff|magistrat|avocat|rapporteu|procureu|substitut|assesseu|d[ée]l[ée]gu|"
    r"ma[îi]tre|article|alin|loi|code|d[ée]cret|arr[êe]t|annexe|page|point|pi[èe]ce|chapitre|titre|livre|section|"
    r"paragraphe|num[ée]ro|lettre|sigle|mention|initiale|soci[ée]t|entreprise|marque|groupe|cabinet|banque|enseigne|"
    r"association|[ée]tablissement|compagnie|agence|commissaire|huissier|notaire|mandataire|liquidat|administrat|"
    r"ordonnance|jugement|requ[êe]te|r[èe]glement|circulaire|directive|b[âa]tonni|confr[èe]re|premi|vice|doyen|"
    r"parquet|minist[èe]re|secr[ée]taire|auditeu|commis))"
    rf"[a-zàâçéèêëîïôûùüÿœ]{{4,}}{SP}+$"
)
# initials standing for a party, given their civil status (« A. M., né le … », « S. B., dite « Lulu » »,
# as minors and other persons not named are written): the initials are a person, so is the nickname, and so
# is every other occurrence of the same initials in the decision (« Déclare A. M. coupable »)
INITIALS_PARTY_AFTER = re.compile(
    rf"{SP}*,{SP}*(?:dite?{SP}+«{SP}*(?P<nick>[^»\n]{{1,40}}?){SP}*»{SP}*,{SP}*)?"
    rf"(?:n[ée]e?(?:\(e\))?{SP}+le\b|dite?{SP}+«|demeurant\b|domicili[ée]+e?\b)"
)


def _initials_pattern(initials: str) -> re.Pattern:
    letters = re.findall(rf"[{UP}]", initials)
    body = rf"{SP}?-?".join(re.escape(letter) + r"\." for letter in letters)
    return re.compile(rf"(?<![\w.’'-]){body}(?!{SP}?-?[{UP}][{UP}{LO}.]|[{LO}0-9])")


# a first name and the initial of the surname (« Lenny V., né le … », « leur fils Noam B.-K., né le »), as
# minors are written: given a civil status right after, the pair is a person, and so is every other
# occurrence of the same first name and initial in the decision (« Déclare Lenny V. coupable »)
FIRST_INITIAL = re.compile(
    rf"(?P<first>[{UP}](?<![\w.’'-].)[{LO}]+(?:-[{UP}][{LO}]+)?){SP}(?P<initial>[{UP}]\.(?:-[{UP}]\.)?)"
    # not a capitalised word before initials (« Confions E. D. au service » : the initials are the name)
    rf"(?!{SP}?-?[{UP}][{UP}{LO}]|[{LO}0-9]|{SP}[{UP}]\.)"
)


# a lower-case apposition after the pair (« Noor B., camarade de classe », « Elio P., âgé de quinze ans »),
# not a word that goes on the sentence (« Selon B., les faits … »)
APPOSITION = re.compile(
    rf"{SP}*,{SP}*(?!(?:le|la|les|l|un|une|des|du|de|et|ou|qui|que|qu|dont|il|elle|ils|elles|on|a|est|sont|en|au|aux|"
    rf"ce|cette|se|sa|son|ses|leur|puis|mais|donc|si|alors)\b)(?:[{LO}]|\d{{1,2}}{SP}+ans\b)"
)
# the pair in apposition between commas after a noun with an indefinite article (« un élève de quatrième, Noor
# B., a », « une autre interne, Lya P., ») : someone introduced by what he is
INDEFINITE_NOUN_BEFORE = re.compile(
    rf"\b(?:[uU]n|[uU]ne)(?:{SP}+autre)?{SP}+"
    r"(?!soci[ée]t|entreprise|marque|enseigne|association|agence|banque|compagnie|cabinet|groupe|[ée]tablissement|"
    r"magasin|boutique|boulangerie|commerce|structure|sarl|sas|avocat|magistrat|juge|greff|conseill|pr[ée]sident|"
    r"huissier|notaire|commissaire|assesseu|rapporteu)"
    rf"[a-zàâçéèêëîïôûùüÿœ]{{3,}}\b[^,;:.\n()«»]{{0,40}},{SP}*$"
)
# a heading of parties in capitals on the line above (« MINEUR POURSUIVI : », « PRÉVENUE : », « APPELANTS : »)
CAPS_HEADING = re.compile(rf"[ \t]*[{UP}][{UP} '’()/-]{{3,60}}:?[ \t]*\n[ \t]*$")


def _designates_person(text: str, start: int, end: int) -> bool:
    """Initials (« A. M. ») or a first name and an initial (« Noor B. ») stand for a person: a civil status
    after them, a word for a person before them (« le mineur », « la victime », « témoin »), a party
    heading above them, or a lower-case apposition after them that is no court's or counsel's role."""
    if INITIALS_PARTY_AFTER.match(text, end) or INITIALS_CUE.search(text, max(0, start - 60), start):
        return True
    if NOUN_BEFORE_INITIALS.search(text, max(0, start - 40), start) and not re.match(rf"{SP}*\d", text[end : end + 3]):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        previous = text[max(0, line_start - 120) : line_start]
        previous = previous[: len(previous.rstrip())] + "\n"
        if CAPS_HEADING.search(previous) or PARTY_HEADING.search(previous.strip()):
            return True
    if re.match(rf"{SP}*,", text[end : end + 3]) and INDEFINITE_NOUN_BEFORE.search(text, max(0, start - 80), start):
        return True
    if APPOSITION.match(text, end):
        category, evidence = context_category(text, start, end, "")
        return not (evidence and category in (MAGISTRATE, LAWYER))
    return False


def first_initial_mentions(text: str) -> list[Mention]:
    """A first name and a surname initial standing for a person (``_designates_person``), and their other
    occurrences (before the other sources: the pair is one person, whatever title precedes it)."""
    out = []
    seen = set()
    for m in FIRST_INITIAL.finditer(text):
        if not is_name_word(m.group("first")) or NOT_FIRST_NAME.match(m.group("first")):
            continue
        if not _designates_person(text, m.start(), m.end()):
            continue
        first, initial = m.group("first"), m.group("initial")
        if (first, initial) in seen:
            continue
        seen.add((first, initial))
        pair = re.compile(
            rf"(?:(?<![\w.’'-])|(?<=\b[dDlL]['’])|(?<=\bqu['’])){re.escape(first)}{SP}(?P<initial>{re.escape(initial)})"
            rf"(?!{SP}?-?[{UP}][{UP}{LO}]|[{LO}0-9])"
        )
        for occ in pair.finditer(text):
            start, end = occ.span()
            units = [(start, start + len(first))]
            units += [(occ.start("initial") + i.start(), occ.start("initial") + i.end())
                      for i in re.finditer(rf"[{UP}]\.", initial)]
            out.append(Mention(start, end, units, PERSON, 0.9, "motif:prenom-initiale", True))
    return out


# a company's form written with stops (« S.A.S. », « S.A.R.L. », « S.C.I. »), not a person's initials
COMPANY_INITIALS = re.compile(r"SA|SAS|SASU|SAR|SARL|SC|SCI|SCP|SNC|SEL|SELARL|SELAS|EURL|EUR|GIE|SCEA|GAEC|SCM")


def _party_initials(text: str, found: list[str] = ()) -> list[Mention]:
    """Initials that stand for a person (``_designates_person``, or ``found`` after a civility: « Mme R. G. »),
    in every occurrence in the decision (« Déclare A. M. coupable »). A single initial is not propagated
    (« L. » opens an article of a code)."""
    out = []
    seen = set()
    seeds = list(found)
    for m in BARE_INITIALS.finditer(text):
        after = INITIALS_PARTY_AFTER.match(text, m.end())
        if after and after.group("nick") and re.search(rf"[{UP}]", after.group("nick")):
            start, end = after.span("nick")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:surnom", True))
        if after or _designates_person(text, m.start(), m.end()):
            seeds.append(m.group("initials"))
    for initials in seeds:
        key = "".join(re.findall(rf"[{UP}]", initials))
        if key in seen or len(key) < 2 or COMPANY_INITIALS.fullmatch(key):
            continue
        seen.add(key)
        for occ in _initials_pattern(initials).finditer(text):
            start, end = occ.span()
            units = [(start + i.start(), start + i.end()) for i in re.finditer(rf"[{UP}]\.", occ.group(0))]
            out.append(Mention(start, end, units, PERSON, 0.8, "motif:initiales-partie", True))
        # the first initial alone, the party's short name further on (« Y. T., né le … » then « déclare Y.
        # coupable », « Y. a repris ») : before a lower-case word, never after « article » or a letter
        first = re.escape(key[0]) + r"\."
        for occ in re.finditer(rf"(?:(?<![\w.’'-])|(?<=\b[dD]['’])|(?<=\bqu['’])){first}(?={SP}+[{LO}]|{SP}*[,;)(])", text):
            start, end = occ.span()
            if text[end:end + 1] != " " and not (
                text[start - 1] in "'’" or PREPOSITION_BEFORE.search(text, max(0, start - 12), start)
            ):
                continue  # before a punctuation, only as a preposition's object (« avocate de E., désignée »)
            if not ARTICLE_BEFORE.search(text, max(0, start - 12), start):
                out.append(Mention(start, end, [(start, end)], PERSON, 0.75, "motif:initiale-partie", True))
    return out


# the short name as a preposition's object, closed by a punctuation (« l'avocate de E., », « pour E. ; »)
PREPOSITION_BEFORE = re.compile(r"\b(?:de|à|pour|avec|par|chez|sur|contre|envers|concernant)[ \t\u00a0]+$")
ARTICLE_BEFORE = re.compile(r"(?i:\bart(?:icles?|\.)?|\b[a-z]{1,3}\.)[ \t\u00a0]*$|[A-Z]\.[ \t\u00a0]*$")


# Surname first in capitals (an Irish « Ó » with it), then the first names (commas or not between them), then
# civil status (« MARCHAL Enzo, Jordan, né le … », « MARCHAL Enzo Jordan, dit « Jojo » », « DUVAL Inès, dite « Nana » »)
LAST_FIRST = re.compile(
    rf"(?<![\w'’-])(?P<name>(?:Ó{SP}+)?[{UP}]{{2,}}(?:[-'’ ][{UP}]{{2,}}){{0,2}}{SP}+{FIRST_NAME}"
    rf"(?:(?:{SP}*,{SP}*|{SP}+){FIRST_NAME}){{0,3}})(?![{LO}-]){SP}*,?{SP}*"
    r"(?=(?:dite?s?|n[ée]+(?:\(e\))?|demeurant|domicili[ée]+e?s?)\b)"
)
# a surname that is also a month (« née Juillet », « Mme Inès Avril épouse Roux »): only in the place of a
# birth or married name, never before a year; in capitals too (« CORMORAN Kimberley, épouse SEPTEMBRE »)
MONTH_WORD = re.compile(r"\b(?:" + "|".join(f"{w.capitalize()}|{w.upper()}" for w in MONTHS.split("|")) + r")\b")
MARRIED_NAME_BEFORE = re.compile(rf"\b(?:n[ée]e|[ée]pouse|veuve){SP}$")
MARRIED_NAME_AFTER = re.compile(rf"{SP}+(?:[ée]pouse|veuve|n[ée]e){SP}+[{UP}]")


# a nickname in quotes between the first name and the surname, with no « dit » (« M. Anselme « Tito » KERGALL »,
# « Mme Rose « Lili » Kerbrat »): found from the opening quote; a civility before the first name, or a surname in
# capitals, tells a person from a place or a shop (« Hôtel « Le Lagon » Bleu »)
FIRST_BEFORE_QUOTE = re.compile(
    rf"(?:(?<![\w.])(?P<civ>{CIVILITY}){SP}+)?(?<![\w'’-])(?P<first>{FIRST_NAME}){SP}+$"
)
QUOTE_THEN_SURNAME = re.compile(
    rf"«{SP}*(?P<quoted>[{UP}][^»\n]{{0,30}}?){SP}*»{SP}+(?P<last>{NAME_SEQ})(?={SP}*[,;.()]|{SP}+[{LO}])"
)


def _quoted_between_names(text: str) -> list[Mention]:
    out = []
    pos = text.find("«")
    while pos >= 0:
        m = QUOTE_THEN_SURNAME.match(text, pos)
        before = FIRST_BEFORE_QUOTE.search(text, max(0, pos - 40), pos) if m else None
        if (
            m
            and before
            and len(m.group("quoted").split()) <= 3
            and is_name_word(before.group("first"))
            and not NOT_FIRST_NAME.match(before.group("first"))
            and (before.group("civ") or re.search(rf"[{UP}]{{2}}", m.group("last")))
            and is_name_word(re.findall(NAME_WORD, m.group("last"))[-1])
            and not COMPANY.search(text[max(0, before.start() - 40) : before.start()])
        ):
            start, end = before.span("first")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:prenom-surnom", True))
            start, end = m.span("quoted")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:surnom", True))
            start, end = m.span("last")
            units = split_units(text, start, end, split_hyphens=True)
            if units:
                out.append(Mention(start, end, units, PERSON, 0.85, "motif:nom-apres-surnom", True))
        pos = text.find("«", pos + 1)
    return out


# a relative named by a first name and a surname, his relation to a party in apposition (« prêtée à Anatole
# Kéré, père du défendeur », « chez Lisette Ogier, sœur de Mme X ») : found from the relation (cheap), the name
# read backwards, inside a sentence (after a lower-case word, a comma or an elided « d' »)
KIN_NOUN = (
    r"(?:(?:arri[èe]re-)?grand-|demi-|beau-|belle-)?"
    r"(?:p[èe]re|m[èe]re|fr[èe]re|s(?:œ|oe)ur|fils|fille|oncle|tante|cousine?|neveu|ni[èe]ce|veuve|veuf|[ée]poux|"
    r"[ée]pouse|concubine?|compagne|compagnon|grand-m[èe]re|grand-p[èe]re)"
)
KIN_APPOSITION = re.compile(
    rf",{SP}*(?:(?:son|sa|leur){SP}+)?{KIN_NOUN}{SP}+"
    rf"(?:de{SP}+l['’]{SP}*|de{SP}+la{SP}+|du{SP}+|des{SP}+|de{SP}+|d['’]{SP}*)"
    rf"(?:(?:d[ée]fendeu|demandeu|requ[ée]ran|appelan|intim[ée]|pr[ée]venu|victime|d[ée]funt|mineur|enfant|"
    rf"partie|int[ée]ress[ée]|de{SP}+cujus)|(?:{CIVILITY}){SP}|[{UP}])"
)
KIN_NAME_BEFORE = re.compile(
    rf"(?:(?<=[{LO}]{SP})|(?<=,{SP})|(?<=\b[dD]['’]))(?P<name>{FIRST_NAME}(?:{SP}+{UNIT}){{1,3}})$"
)

BORN_AT_BEFORE = re.compile(rf"\bn[ée]+e?s?{SP}+(?:à|a){SP}+$")
PLACE_WORD = re.compile(rf"{FIRST_NAME}{SP}+")


def _kin_apposition_mentions(text: str) -> list[Mention]:
    out = []
    for m in KIN_APPOSITION.finditer(text):
        head = text[max(0, m.start() - 80) : m.start()]
        name = KIN_NAME_BEFORE.search(head)
        if not name or NOT_PERSON_CONTEXT.search(head[: name.start()]):
            continue
        start = m.start() - len(head) + name.start("name")
        if BORN_AT_BEFORE.search(head, 0, name.start()):
            # the town of birth before the child's name (« est né à Paimpol Léo X, fils de Mme Y »)
            start += PLACE_WORD.match(text, start).end() - start
        if relative := _relative(text, start, m.start()):
            out.append(relative)
    return out


def _relative(text: str, start: int, end: int) -> Mention | None:
    """A relative named in apposition: two name units at least, none a country."""
    units = split_units(text, start, end, split_hyphens=True)
    if len(units) >= 2 and all(fold_chars(text[s:e]) not in COUNTRIES for s, e in units):
        return Mention(start, end, units, PERSON, 0.85, "motif:parent-apposition", True)
    return None


# a relative named after the relation, in apposition (« confiée à sa grand-mère maternelle, Tiare HAPAIRAI,
# décédée … », « son frère aîné, Karim Benali, ») : the name closed by a comma, two words at least
KIN_BEFORE_NAME = re.compile(
    rf"(?:[sS]on|[sS]a|[lL]eur){SP}+{KIN_NOUN}(?:{SP}+(?:maternel(?:le)?|paternel(?:le)?|a[îi]n[ée]e?|cadet(?:te)?))?"
    rf"{SP}*,{SP}*(?P<name>{NAME_WORD}(?:{SP}+{NAME_WORD}){{1,3}}){SP}*,"
)


def _kin_before_name_mentions(text: str) -> list[Mention]:
    out = []
    starts = word_starts(text, text, ("son ", "sa ", "leur ", "Son ", "Sa ", "Leur "), "'’-")
    for m in finditer_at(KIN_BEFORE_NAME, text, starts):
        start, end = m.span("name")
        if all(is_name_word(w) for w in re.findall(NAME_WORD, m.group("name"))) and (relative := _relative(text, start, end)):
            out.append(relative)
    return out


def _quoted_name(m: re.Match) -> Mention | None:
    """A short quoted name with a capital (« Le Rat », « El Gordo »): one span, like Label's nicknames."""
    quoted = m.group("quoted")
    if not re.search(rf"[{UP}]", quoted) or len(quoted.split()) > 4:
        return None
    start, end = m.span("quoted")
    return Mention(start, end, [(start, end)], PERSON, 0.85, "motif:surnom", True)


def _name_after_nickname(text: str, start: int, end: int) -> Mention | None:
    """The name a nickname points to (the surname after « dit « X » », the name after « surnom de »), cut
    like any name, when its last word is a name word."""
    if not is_name_word(re.findall(NAME_WORD, text[start:end])[-1]):
        return None
    units = split_units(text, start, end, split_hyphens=True)
    return Mention(start, end, units, PERSON, 0.85, "motif:nom-apres-surnom", True) if units else None


def alias_mentions(text: str, index: TextStarts | None = None) -> list[Mention]:
    """Nicknames (« dit « X » »), first names after « prénommé » or « Prénoms : », and the first names
    listed after a word for children."""
    index = index or TextStarts(text)  # (the literal starts of the patterns: same matches, sooner)
    out = _quoted_between_names(text) if "«" in text else []
    nickname_matches = list(NICKNAME.finditer(text))  # (read twice: once more for the nouns below)
    for m in nickname_matches:
        group = "quoted" if m.group("quoted") else "bare"
        start, end = m.span(group)
        if (
            not re.search(rf"[{UP}]", m.group(group))
            # the name before may be an initial (« Théo R., dit « Le Gros » »)
            or not (is_name_word(m.group("before")) or len(m.group("before")) == 1 and m.group("dot"))
            or COMPANY.search(text[max(0, m.start() - 40) : m.start()])
        ):
            continue
        # a quoted nickname is one span (« Le Renard »); a name after « alias » is cut like any name
        units = [(start, end)] if group == "quoted" else split_units(text, start, end, split_hyphens=True)
        if units:
            out.append(Mention(start, end, units, PERSON, 0.9, "motif:surnom", True))
        nxt = NEXT_NICKNAME.match(text, m.end()) if group == "quoted" else None
        for _ in range(3):
            if nxt is None or not re.search(rf"[{UP}]", nxt.group("quoted")):
                break
            s_, e_ = nxt.span("quoted")
            out.append(Mention(s_, e_, [(s_, e_)], PERSON, 0.9, "motif:surnom", True))
            nxt = NEXT_NICKNAME.match(text, nxt.end())
        # a nickname between a first name and the surname (« M. Gaston dit « Tatane » Le Goff-Morvan, a … »):
        # the name after the nickname, before a comma or a lower-case word, is the surname
        after = SURNAME_AFTER_NICKNAME.match(text, m.end()) if group == "quoted" else None
        if after and (named := _name_after_nickname(text, *after.span("name"))):
            out.append(named)
    # (before ``NAMING_CUE``, which takes the first name alone after « surnom de »)
    for m in NICKNAME_THEN_WORD.finditer(text) if "«" in text and ("surnom" in text or "sobriquet" in text) else ():
        if nickname := _quoted_name(m):
            out.append(nickname)
        if m.group("name") and (named := _name_after_nickname(text, *m.span("name"))):
            out.append(named)
    for m in index.finditer(NAMING_CUE):
        group = "quoted" if m.group("quoted") else "bare"
        name = m.group(group)
        if len(name.split()) > 3 or not re.search(rf"[{UP}]", name) or (group == "bare" and not is_name_word(name)):
            continue
        start, end = m.span(group)
        out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:prenom-surnom", True))
        # the surname in capitals after the bare first name (« le prénom de sa grand-mère, Stela CEBAN, … »)
        if group == "bare" and (last := UPPER_SURNAME_AFTER.match(text, end)):
            s, e = last.span("name")
            if units := split_units(text, s, e, split_hyphens=True):
                out.append(Mention(s, e, units, PERSON, 0.85, "motif:nom-apres-prenom", True))
    for m in index.finditer(NICKNAME_AFTER_NOUN):
        if re.search(rf"[{UP}]", m.group("quoted")):
            start, end = m.span("quoted")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:surnom", True))
            # the surname written after the nickname (« Sa voisine, Mme Rosa dite « Lili » Kerbrat, … »)
            after = SURNAME_AFTER_NICKNAME.match(text, m.end())
            if after and (named := _name_after_nickname(text, *after.span("name"))):
                out.append(named)
    # the noun of a nickname given with its article (« dit « le Renard » »), quoted after a determiner elsewhere
    articled = {
        a.group("noun")
        for m in nickname_matches if m.group("quoted")
        for a in [ARTICLED_NOUN.fullmatch(m.group("quoted"))] if a
    } if "«" in text else set()
    for noun in articled:
        for m in re.finditer(rf"{DETERMINER_BEFORE_QUOTE}(?P<noun>{re.escape(noun)}){SP}*»", text):
            start, end = m.span("noun")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.8, "motif:surnom-cite", True))
    for m in NAME_BEFORE_MARRIED.finditer(text) if "pou" in text or "veuve" in text else ():
        if not is_name_word(m.group("first")) or NOT_FIRST_NAME.match(m.group("first")):
            continue
        start, end = m.span()[0], m.end("last")
        category, evidence = context_category(text, start, end, "")
        units = [m.span("first")] + split_units(text, m.start("last"), end, split_hyphens=True)
        out.append(Mention(start, end, units, category if evidence else PERSON, 0.85, "motif:nom-avant-epouse", True))
    for m in index.finditer(CERTAIN_QUOTED) if "«" in text and ("certain" in text or "nomm" in text) else ():
        if nickname := _quoted_name(m):
            out.append(nickname)
    for m in POLYNESIAN_OF.finditer(text) if " a " in text and POLYNESIA.search(text) else ():
        before = CHILD_BEFORE_OF.search(text, max(0, m.start() - 30), m.start())
        words = [before.group("child"), m.group("parent")] if before else []
        if words and all(is_name_word(w) and not NOT_FIRST_NAME.match(w) for w in words):
            units = [before.span("child"), m.span("parent")]
            out.append(Mention(units[0][0], units[1][1], units, PERSON, 0.8, "motif:nom-polynesien", True))
    for m in FIRST_DIT_FIRST.finditer(text) if " dit" in text else ():
        if not all(is_name_word(m.group(g)) and not NOT_FIRST_NAME.match(m.group(g)) for g in ("first", "usual")):
            continue
        start, end = m.span("last")
        units = [m.span("first"), m.span("usual")] + split_units(text, start, end, split_hyphens=True)
        out.append(Mention(m.start(), end, units, PERSON, 0.85, "motif:prenom-dit", True))
    for m in index.finditer(QUOTED_NICKNAME) if "«" in text else ():
        start, end = m.span("nick")
        opening = text.rfind("«", max(0, start - 120), start)
        if opening < 0 or text.rfind("»", opening, start) >= 0 or "\n" in text[opening:start]:
            continue  # outside a quotation
        start += len(m.group("nick")) - len(m.group("nick").lstrip())
        if m.group("nick").startswith(("au", "du")):
            start = m.end("nick") - len(re.split(r"\s+", m.group("nick"))[-1])  # « au Boss » : the noun
        out.append(Mention(start, end, [(start, end)], PERSON, 0.8, "motif:surnom-cite", True))
    companions = [FIRST_NAMES_BEFORE.search(text, max(0, m.start() - 80), m.start()) for m in COMPANIONS_AFTER.finditer(text)]
    for names in companions + list(finditer_at(COMPANIONS_BEFORE, text, word_starts(text, text, ("ses ", "Ses ", "leurs ", "Leurs "), "_'’-"))):
        if not names:
            continue
        base = names.start("names")
        for w in re.finditer(rf"[{UP}][{LO}]+(?:-[{UP}{LO}][{LO}]+)?", names.group("names")):
            if (
                is_name_word(w.group(0))
                and not NOT_FIRST_NAME.match(w.group(0))
                and fold_chars(w.group(0)) not in COUNTRIES
            ):
                start, end = base + w.start(), base + w.end()
                out.append(Mention(start, end, [(start, end)], PERSON, 0.8, "motif:prenom-proche", True))
    quoted = list(QUOTED_ARTICLE_NAME.finditer(text)) if "«" in text else []
    nicknames = set()
    for m in quoted:
        before = text[max(0, m.start() - 60) : m.start()]
        if NAMING_VERB_BEFORE.search(before) or (
            m.group("article").lower() in ("le", "les") and UNCONTRACTED_BEFORE.search(before)
        ):
            nicknames.add(_quoted_noun(m))
    for m in quoted:  # the nickname's every quoted mention (« « le Balafré » a été vu », « selon « le Balafré » »)
        if _quoted_noun(m) in nicknames:
            start, end = m.span("nick")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.8, "motif:surnom-cite", True))
    for m in AGE_AFTER.finditer(text):
        before = NAME_BEFORE_AGE.search(text, max(0, m.start() - 40), m.start())
        if not before:
            continue
        start = before.start("first")
        if len(before.group("first")) == 2:
            if not re.search(r",[ \t\u00a0]*$", text[max(0, start - 3) : start]):
                continue  # an initial in apposition only (« une fillette, R., âgée de six ans »)
            units = [before.span("first")]
        else:  # the name before the age, each word a unit (« Berkay Aydın, âgé de 15 ans »)
            units = [
                (start + w.start(), start + w.end())
                for w in re.finditer(r"\S+", before.group("first"))
                if is_name_word(w.group(0)) and not NOT_FIRST_NAME.match(w.group(0))
                and fold_chars(w.group(0)) not in COUNTRIES
            ]
        if units:
            out.append(Mention(units[0][0], units[-1][1], units, PERSON, 0.85, "motif:prenom-age", True))
    person_initials = []
    for m in index.finditer(INITIALS):
        start, end = m.span("initials")
        category, evidence = context_category(text, start, end, m.group("civ"))
        units = [(start + i.start(), start + i.end()) for i in re.finditer(rf"[{UP}]\.", m.group("initials"))]
        out.append(Mention(start, end, units, category if evidence else PERSON, 0.8, "motif:initiales", True))
        if not evidence or category == PERSON:
            person_initials.append(m.group("initials"))
    for m in BARE_INITIALS.finditer(text):
        if INITIALS_CUE.search(text, max(0, m.start() - 60), m.start()):
            start, end = m.span("initials")
            units = [(start + i.start(), start + i.end()) for i in re.finditer(rf"[{UP}]\.", m.group("initials"))]
            out.append(Mention(start, end, units, PERSON, 0.8, "motif:initiales", True))
    out.extend(_party_initials(text, person_initials))
    for m in LAST_FIRST.finditer(text):
        start, end = m.span("name")
        if NOT_PERSON_CONTEXT.search(text[max(0, start - 25) : start]) or COMPANY.search(m.group("name")):
            continue
        units = split_units(text, start, end, split_hyphens=True)
        if len(units) >= 2:
            out.append(Mention(start, end, units, PERSON, 0.85, "motif:NOM-prenom", True))
    for m in index.finditer(MONTH_WORD):
        start, end = m.span()
        if (
            MARRIED_NAME_BEFORE.search(text, max(0, start - 8), start)
            and not re.match(rf"{SP}*\d", text[end : end + 3])
        ) or (re.search(rf"[{LO}]{SP}$", text[max(0, start - 2) : start]) and MARRIED_NAME_AFTER.match(text, end)):
            out.append(Mention(start, end, [(start, end)], PERSON, 0.8, "motif:nom-mois", True))
    for m in index.finditer(RELATIVE_FIRST_NAME):
        word = m.group("first")
        if is_name_word(word) and fold_chars(word) not in COUNTRIES:
            start, end = m.span("first")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:prenom-parent", True))
    for m in index.finditer(AFFECTION_FIRST_NAME):
        word = m.group("first")
        if is_name_word(word) and not NOT_FIRST_NAME.match(word) and fold_chars(word) not in COUNTRIES:
            start, end = m.span("first")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:prenom-affectueux", True))
    for m in FIRST_NAME_CUE.finditer(text):
        # a particle stays with its word (« Nom : PUIG I CADAFALCH », « Nom : LE GALL »)
        units = [
            (m.start("names") + w.start(), m.start("names") + w.end())
            for w in UNIT_RE.finditer(m.group("names"))
            if is_name_word(w.group("word"))
        ]
        if units:
            out.append(Mention(m.start("names"), m.end("names"), units, PERSON, 0.9, "motif:prenomme", True))
    for cue in index.finditer(CHILDREN_CUE):
        end = re.search(r"[.;!?](?:\s|$)|\n", text[cue.end() : cue.end() + 200])
        stop = cue.end() + (end.start() if end else min(200, len(text) - cue.end()))
        chunk = text[cue.end() : stop]
        for item in CHILD_ITEM.finditer(chunk):
            word = item.group("name")
            if not is_name_word(word) or fold_chars(word) in COUNTRIES:
                continue
            start, end_ = cue.end() + item.start("name"), cue.end() + item.end("name")
            units = [(start, end_)]
            if item.group("surname") and is_name_word(item.group("surname")):
                units.append((cue.end() + item.start("surname"), cue.end() + item.end("surname")))
                end_ = units[-1][1]
            out.append(Mention(start, end_, units, PERSON, 0.85, "motif:enfants-prenoms", True))
    for cue in index.finditer(GROUP_CUE):
        words = list(re.finditer(rf"{FIRST_NAME}", cue.group("names")))
        if (cue.group("sep") or cue.group("owner")) and all(may_be_first_name(w.group()) for w in words):
            for w in words:
                start, end_ = cue.start("names") + w.start(), cue.start("names") + w.end()
                out.append(Mention(start, end_, [(start, end_)], PERSON, 0.85, "motif:groupe-prenoms", True))
    for cue in index.finditer(CHILDREN_INTRO):
        end = re.search(r"[.;!?](?:\s|$)|\n", text[cue.end() : cue.end() + 240])
        stop = cue.end() + (end.start() if end else min(240, len(text) - cue.end()))
        chunk = text[cue.end() : stop]
        for item in DATED_CHILD.finditer(chunk):
            word = item.group("name")
            if not is_name_word(word) or fold_chars(word) in COUNTRIES:
                continue
            start, end_ = cue.end() + item.start("name"), cue.end() + item.end("name")
            out.append(Mention(start, end_, [(start, end_)], PERSON, 0.85, "motif:enfants-prenoms", True))
    lines = []
    colon = text.find(":")
    while colon >= 0:
        if FIELD_HIT.search(text[max(0, colon - 40) : colon]):
            line = (text.rfind("\n", 0, colon) + 1, (text.find("\n", colon) + 1 or len(text) + 1) - 1)
            if not lines or lines[-1] != line:
                lines.append(line)
        colon = text.find(":", colon + 1)
    for m in (m for start, end in lines for m in CIVIL_STATUS_FIELD.finditer(text, start, end)):
        names = m.group("names")
        if COMPANY.search(names):
            continue
        base = m.start("names")
        units = [
            (base + w.start(), base + w.end())
            for w in NAME_OR_SCRIPT.finditer(names)
            if w.group("word") is None or is_name_word(w.group("word"))
        ]
        if units:
            out.append(Mention(units[0][0], units[-1][1], units, PERSON, 0.9, "motif:etat-civil", True))
    for m in index.finditer(PARENTS):
        for group in ("first", "second"):
            name = m.group(group)
            words = re.findall(NAME_WORD, name)
            if COMPANY.search(name) or not words or any(fold_chars(w) in COUNTRIES for w in words):
                continue
            start, end_ = m.span(group)
            units = split_units(text, start, end_, split_hyphens=True)
            if units:
                out.append(Mention(start, end_, units, PERSON, 0.88, "motif:parents", True))
    for m in index.finditer(ALIAS_CUE):
        name = m.group("name")
        words = re.findall(NAME_WORD, name)
        if (
            # a quoted name is a person's after « identité » only (« sous le nom de « Domaine X » » is a trade's)
            (m.group("quote") and "identit" not in m.group(0))
            or COMPANY.search(name)
            or COMPANY.search(text[max(0, m.start() - 60) : m.start()])
            or not words
            or any(fold_chars(w) in COUNTRIES for w in words)
        ):
            continue
        start, end_ = m.span("name")
        units = split_units(text, start, end_, split_hyphens=True)
        if units:
            out.append(Mention(start, end_, units, PERSON, 0.88, "motif:alias", True))
    if "«" in text:
        for m in index.finditer(QUOTED_VARIANT):
            # a document's spelling of a civil name (« sous la forme « X Y » », « sous le nom de « X Y » ») is
            # a name word by word; a nickname or an alias stays whole
            cue = text[m.start() : m.start("quoted")]
            civil = re.search(r"\bsous\b", cue) and not re.search(r"(?i:surnom|alias|pseudonyme|sobriquet)", cue)
            for group in ("quoted", "second"):
                name = m.group(group)
                if name and re.search(rf"[{UP}]", name) and len(name.split()) <= 4 and not COMPANY.search(name):
                    start, end_ = m.span(group)
                    units = (split_units(text, start, end_, split_hyphens=True) if civil else None) or [(start, end_)]
                    out.append(Mention(start, end_, units, PERSON, 0.88, "motif:variante-citee", True))
            end = m.end()
            while (nxt := NEXT_VARIANT.match(text, end)) is not None:
                name = nxt.group("quoted")
                # (a name in another script: « Петров »)
                if not name[0].isupper() or len(name.split()) > 4 or COMPANY.search(name):
                    break
                start, end = nxt.span("quoted")
                out.append(Mention(start, end, [(start, end)], PERSON, 0.88, "motif:variante-citee", True))
                end = nxt.end()
    if "translitt" in text:
        for m in TRANSLITERATED.finditer(text):
            for group in ("name", "second"):
                if m.group(group) and not COMPANY.search(m.group(group)):
                    start, end_ = m.span(group)
                    units = split_units(text, start, end_, split_hyphens=True)
                    if units:
                        out.append(Mention(start, end_, units, PERSON, 0.88, "motif:variante-citee", True))
    for m in RANK_NAME.finditer(text):
        start, end_ = m.span("name")
        first = UNIT_RE.match(text, start)
        if first is None or not is_name_word(first.group("word")) or COMPANY.search(m.group("name")):
            continue
        # (a hyphenated surname stays whole: « la brigadière Ana Roux-Vidal »)
        units = split_units(text, start, end_, split_hyphens=False)
        if units:
            out.append(Mention(start, end_, units, PERSON, 0.9, "motif:grade", True))
    out.extend(_kin_apposition_mentions(text))
    out.extend(_kin_before_name_mentions(text))
    return out
