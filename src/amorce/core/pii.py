"""Personal-data recognizers shared by the use cases (log masking, pseudonymisation).

Each recognizer is a small function ``text -> Iterator[Span]``: it finds one kind of personal data
and says which rule matched. Identifiers that carry a check digit are checked with python-stdnum
(IBAN, NIR, SIREN/SIRET); numbers that look like many other things (SIREN/SIRET, licence plates,
a NIR without its key) need a context word before them. A use case composes the recognizers it
needs, maps the kinds to its own labels, and resolves overlaps with :func:`find`:

    spans = find(text, (email, iban, nir, phone))
    masked = replace(text, spans, lambda span: f"[{span.kind}]")

``kind`` and ``rule`` are machine-readable keys (English); what a user reads is the caller's label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from stdnum import iban as std_iban
from stdnum.fr import nir as std_nir
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret


@dataclass(frozen=True)
class Span:
    """Personal data found in a text: ``text[start:end]``, its ``kind`` and the ``rule`` that found it."""

    start: int
    end: int
    kind: str
    rule: str
    text: str


Recognizer = Callable[[str], Iterable[Span]]


def _span(m: re.Match, kind: str, rule: str, group: int | str = 0) -> Span:
    start, end = m.span(group)
    return Span(start, end, kind, rule, m.string[start:end])


def _before(text: str, start: int, width: int) -> str:
    return text[max(0, start - width) : start]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# ------------------------------------------------------------------------------------ patterns
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
# French numbers: 0X or +33/0033 (with an optional « (0) »), then four pairs of digits, separated by
# spaces, dots or hyphens; not inside a longer number, a date or a reference (« 12/0612345678 »).
PHONE = re.compile(
    r"(?<![\w/.+])(?:(?:\+|00)33[ .\-]?(?:\(0\))?[ .\-]?|0)[1-9](?:[ .\-]?\d{2}){4}(?![\d/])"
)
# (the boundary checked after the first letter, « \b » as « (?<!\w) »: the engine then scans quickly for a capital)
IBAN = re.compile(r"[A-Z](?<!\w.)[A-Z]\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,4})?\b")
# NIR: sex (1/2, 3/7/8 for temporary numbers), year, month (01-12, 20-99 for special cases),
# department (2A/2B for Corsica; overseas, three figures: « 976 14 »), commune, order number, optional key; spaces or dots between groups.
NIR = re.compile(
    r"(?<!\d)[12378][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:(?:\d{2}|2[ABab])[ .]?\d{3}|97\d[ .]?\d{2})"
    r"[ .]?\d{3}(?:(?:[ .]?|[ \u00a0]?[-–/][ \u00a0]?)\d{2})?(?!\d)"  # (the key after a dash: « … 031 - 63 »)
)
NIR_CONTEXT = re.compile(r"(?:s[ée]curit[ée] sociale|NIR|INSEE)[^\n]{0,40}$", re.I)
CARD = re.compile(r"\b(?:\d{4}[ \-]?){3}\d{4}\b")
# (the lookbehind after the first figure: the engine then scans quickly for a figure)
SIREN_SIRET = re.compile(r"\d(?<!\d\d)\d{2}[ .]?\d{3}[ .]?\d{3}(?:[ .]?\d{5})?(?!\d)")
SIREN_CONTEXT = re.compile(
    r"(?:siren|siret|r\.?c\.?s\.?|immatricul[ée]+e?s?|registre du commerce)[^\n]{0,40}$", re.I
)
# the current French format (AB-123-CD: no I, O nor U), its boundaries left to each user
SIV_SHAPE = r"[A-HJ-NP-TV-Z]{2}[- ]?\d{3}[- ]?[A-HJ-NP-TV-Z]{2}"
PLATE_SIV = re.compile(rf"\b{SIV_SHAPE}\b")
PLATE_FNI = re.compile(r"\b\d{1,4}[ -]?[A-Z]{1,3}[ -]?(?:\d{2}|2[AB]|97\d)\b")
PLATE_CONTEXT = re.compile(r"immatricul|plaque|véhicule|vehicule", re.I)
PLATE_FNI_CONTEXT = re.compile(r"immatricul[ée]*e?s?\s*(?:n°\s*)?:?\s*$", re.I)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>«»\"]+[^\s<>«»\".,;:)]")
PUBLIC_SITES = re.compile(
    r"legifrance|courdecassation|judilibre|gouv\.fr|service-public|europa\.eu|conseil-etat", re.I
)
CIVILITIES = r"M\.|Mme|Mlle|Mr|Me|Dr|Monsieur|Madame|Mademoiselle|Maître|Docteur"
SELF_INTRODUCTIONS = r"je m['’]appelle|mon nom est|mon nom c['’]est|je suis m(?:onsieur|adame)"
_NAME = r"[A-ZÉÈÀÂÊÎÔÛÇ][a-zA-Zéèêëàâäîïôöûüç'’\-]+"
CIVILITY_NAME = re.compile(
    rf"\b(?:{CIVILITIES})[ \u00a0]+(?P<name>(?:{_NAME}[ \u00a0]+)?{_NAME}(?:[ \u00a0\-]+[A-ZÉÈ]{{2,}}\b)?)"
)
SELF_INTRODUCTION = re.compile(rf"(?i:{SELF_INTRODUCTIONS})[ \u00a0]+(?P<name>{_NAME}(?:[ \u00a0]+{_NAME})?)")


# --------------------------------------------------------------------------------- recognizers
def email(text: str) -> Iterator[Span]:
    for m in EMAIL.finditer(text) if "@" in text else ():  # (a cheap test first: the pattern opens on any word)
        yield _span(m, "email", "email")


def phone(text: str) -> Iterator[Span]:
    for m in PHONE.finditer(text):
        yield _span(m, "phone", "phone")


def iban(text: str) -> Iterator[Span]:
    """IBANs whose check digits are right (python-stdnum), and IBANs whose only fault is their check
    digits (rule ``iban_bad_key``: a mistyped account number still identifies its holder; callers
    give it more doubt)."""
    for m in IBAN.finditer(text):
        value = m.group(0).replace("\u00a0", " ")
        if std_iban.is_valid(value):
            yield _span(m, "iban", "iban")
        elif _iban_with_right_key_is_valid(value):
            yield _span(m, "iban", "iban_bad_key")


def _iban_with_right_key_is_valid(value: str) -> bool:
    """True when the IBAN, its check digits recomputed, is valid (country, length, account format)."""
    compact = std_iban.compact(value)
    try:
        return len(compact) > 4 and std_iban.is_valid(compact[:2] + std_iban.calc_check_digits(compact) + compact[4:])
    except Exception:  # noqa: BLE001 — any character stdnum cannot compute on: not an IBAN
        return False


def nir(text: str) -> Iterator[Span]:
    """French social security numbers: with a right key (python-stdnum); with a wrong key but a valid
    number otherwise (rule ``nir_bad_key``, more doubt); or without their key after « sécurité
    sociale », « NIR » or « INSEE » (rule ``nir_without_key``)."""
    for m in NIR.finditer(text):
        compact = re.sub(r"[ .]", "", m.group(0)).upper()
        size = len(_digits(compact.replace("2A", "19").replace("2B", "18")))
        if size == 15 and std_nir.is_valid(compact):
            yield _span(m, "nir", "nir")
        elif size == 15 and std_nir.is_valid(compact[:13] + std_nir.calc_check_digits(compact[:13])):
            yield _span(m, "nir", "nir_bad_key")
        elif size == 13 and NIR_CONTEXT.search(_before(text, m.start(), 60)):
            yield _span(m, "nir", "nir_without_key")


def card(text: str) -> Iterator[Span]:
    """Sixteen digits in groups of four (payment cards)."""
    for m in CARD.finditer(text):
        yield _span(m, "card", "card")


def siren_siret(text: str) -> Iterator[Span]:
    """SIREN/SIRET numbers with a right key, after « SIREN », « SIRET », « RCS », « immatriculée »…"""
    for m in SIREN_SIRET.finditer(text):
        number = _digits(m.group(0))
        valid = std_siret.is_valid(number) if len(number) == 14 else std_siren.is_valid(number)
        if valid and SIREN_CONTEXT.search(_before(text, m.start(), 60)):
            yield _span(m, "company_id", "siren_siret")


def plate(text: str) -> Iterator[Span]:
    """Licence plates after a vehicle word: current format (AB-123-CD, rule ``plate``) and the former
    one (1234 AB 69, rule ``plate_fni``, right after « immatriculé »)."""
    for m in PLATE_SIV.finditer(text):
        if PLATE_CONTEXT.search(_before(text, m.start(), 80)):
            yield _span(m, "plate", "plate")
    for m in PLATE_FNI.finditer(text):
        if PLATE_FNI_CONTEXT.search(_before(text, m.start(), 40)):
            yield _span(m, "plate", "plate_fni")


def private_url(text: str) -> Iterator[Span]:
    """Web addresses, except public-service sites (Légifrance, service-public.fr, gouv.fr…)."""
    for m in URL.finditer(text):
        if not PUBLIC_SITES.search(m.group(0)):
            yield _span(m, "url", "url")


def civility_name(text: str) -> Iterator[Span]:
    """A person's name after a civility (« Mme Martin », « M. Paul LEROY »); the civility is left out."""
    for m in CIVILITY_NAME.finditer(text):
        yield _span(m, "person", "civility_name", "name")


def self_introduction(text: str) -> Iterator[Span]:
    """The name after « je m'appelle », « mon nom est »…; the introduction is left out."""
    for m in SELF_INTRODUCTION.finditer(text):
        yield _span(m, "person", "self_introduction", "name")


# --------------------------------------------------------------------------------- composition
def find(text: str, recognizers: Iterable[Recognizer]) -> list[Span]:
    """Spans of every recognizer, without overlaps: a recognizer listed earlier wins over a later one,
    and within one recognizer the earlier span wins. Sorted by position."""
    kept: list[Span] = []
    for recognizer in recognizers:
        for span in recognizer(text):
            if all(span.end <= k.start or k.end <= span.start for k in kept):
                kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def replace(text: str, spans: Iterable[Span], label: Callable[[Span], str]) -> str:
    """``text`` with each (non-overlapping) span replaced by ``label(span)``."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        out += [text[last : span.start], label(span)]
        last = span.end
    out.append(text[last:])
    return "".join(out)
