"""Objectivation: amounts awarded (dommages-intérêts, article 700…), durations and the solution
of decisions, and their distribution over comparable decisions.

The output is always a distribution (count, minimum, quartiles, median, maximum) with the list of
decisions it comes from and the limits of the sample; never a single « predicted » figure.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from .schema import Decision

AMOUNT = re.compile(
    r"(?P<value>\d{1,3}(?:[ .\u00a0\u202f]\d{3})+(?:,\d{1,2})?|\d+(?:,\d{1,2})?)\s*(?:€|euros?\b|EUR\b)", re.I)
KINDS: list[tuple[str, re.Pattern]] = [
    ("article_700", re.compile(r"article\s+700|frais\s+irr[ée]p[ée]tibles", re.I)),
    ("prestation_compensatoire", re.compile(r"prestation\s+compensatoire", re.I)),
    ("pension_alimentaire", re.compile(r"pension\s+alimentaire|contribution\s+à\s+l['’]entretien", re.I)),
    ("indemnite_licenciement", re.compile(r"indemnit[ée]\s+(?:l[ée]gale\s+|conventionnelle\s+)?de\s+licenciement|"
                                          r"licenciement\s+sans\s+cause", re.I)),
    ("indemnite_preavis", re.compile(r"pr[ée]avis", re.I)),
    ("rappel_salaire", re.compile(r"rappel\s+de\s+salaires?|heures\s+suppl[ée]mentaires", re.I)),
    ("prejudice_moral", re.compile(r"pr[ée]judice\s+moral", re.I)),
    ("dommages_interets", re.compile(r"dommages[- ]et[- ]int[ée]r[êe]ts|dommages[- ]int[ée]r[êe]ts|"
                                     r"r[ée]paration\s+(?:du|de\s+son)\s+pr[ée]judice", re.I)),
    ("amende", re.compile(r"\bamende\b", re.I)),
]
AWARD = re.compile(r"\b(?:condamne|condamnons|alloue|allouons|fixe|fixons|accorde|ordonne|"
                   r"à\s+payer|à\s+verser)", re.I)
REQUEST = re.compile(r"\b(?:demande|sollicite|r[ée]clame|conclut|pr[ée]tend|requiert|condamner)\b", re.I)
DISPOSITIF = re.compile(r"PAR\s+CES\s+MOTIFS", re.I)
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
                "neuf": 9, "dix": 10, "douze": 12, "quinze": 15, "dix-huit": 18, "vingt": 20, "trente": 30}
DURATION = re.compile(
    r"(?P<n>\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s+(?P<unit>jours?|mois|ans?|ann[ée]es?)"
    r"\s+(?P<what>d['’]emprisonnement|de\s+prison|avec\s+sursis|de\s+r[ée]tention|d['’]interdiction[\w\s]{0,30}|"
    r"de\s+suspension|de\s+r[ée]clusion)", re.I)
SOLUTIONS = [
    ("Cassation", re.compile(r"CASSE\s+ET\s+ANNULE", re.I)),
    ("Non-admission", re.compile(r"non[- ]admission|N['’]ADMET\s+PAS|DÉCLARE\s+NON\s+ADMIS", re.I)),
    ("Rejet", re.compile(r"REJETTE\s+le\s+pourvoi", re.I)),
    ("Désistement", re.compile(r"(?:constate|donne\s+acte\s+(?:du|de\s+son))\s+(?:le\s+)?d[ée]sistement", re.I)),
    ("Radiation", re.compile(r"\bradie\b|ordonne\s+la\s+radiation", re.I)),
    ("Infirmation", re.compile(r"\bINFIRME\b", re.I)),
    ("Confirmation", re.compile(r"\bCONFIRME\b", re.I)),
]


@dataclass
class Amount:
    kind: str
    value: float
    start: int
    end: int
    awarded: bool
    context: str


@dataclass
class Facts:
    id: str
    amounts: list[Amount] = field(default_factory=list)
    durations: list[dict[str, Any]] = field(default_factory=list)
    solution: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _value(raw: str) -> float:
    return float(re.sub(r"[ .\u00a0\u202f]", "", raw).replace(",", "."))


SENTENCE_END = re.compile(r"[;\n]|(?<=[a-zà-ÿ0-9)]{2})\.\s")


def _sentence(text: str, start: int, end: int) -> tuple[int, str]:
    """The clause around an amount: from the last « ; », line break or sentence end (not the dot
    of « M. »), to the next one."""
    left = max(start - 300, 0)
    for m in SENTENCE_END.finditer(text, left, start):
        left = m.end()
    nxt = SENTENCE_END.search(text, end)
    right = min(nxt.start() if nxt else len(text), end + 200)
    return left, text[left:right]


def extract_amounts(text: str) -> list[Amount]:
    """Every amount in euros with its kind (by the words of its sentence) and whether it is
    awarded (in the operative part, with a verb of award) or only claimed."""
    ruling = DISPOSITIF.search(text)
    ruling_start = ruling.start() if ruling else len(text)
    out = []
    for m in AMOUNT.finditer(text):
        left, sentence = _sentence(text, m.start(), m.end())
        before = text[left:m.start()]
        kind = next((k for k, pattern in KINDS if pattern.search(sentence)), "autre")
        awarded = m.start() >= ruling_start and bool(AWARD.search(before)) and not REQUEST.search(before[-80:])
        out.append(Amount(kind, _value(m.group("value")), m.start(), m.end(), awarded,
                          " ".join(sentence.split())[:240]))
    return out


def extract_durations(text: str) -> list[dict[str, Any]]:
    out = []
    for m in DURATION.finditer(text):
        n = m.group("n").lower()
        value = int(n) if n.isdigit() else NUMBER_WORDS[n]
        unit = m.group("unit").lower()
        months = value / 30.0 if unit.startswith("jour") else value if unit == "mois" else value * 12
        out.append({"what": " ".join(m.group("what").split()).lower(), "value": value, "unit": unit,
                    "months": round(months, 2), "start": m.start(), "end": m.end()})
    return out


def extract_solution(decision: Decision) -> str | None:
    """The solution from the metadata when given, else from the operative part."""
    if decision.metadata.get("solution"):
        return str(decision.metadata["solution"])
    ruling = DISPOSITIF.search(decision.text)
    part = decision.text[ruling.start():] if ruling else decision.text[-3000:]
    for name, pattern in SOLUTIONS:
        if pattern.search(part):
            return name
    return None


def extract_facts(decision: Decision) -> Facts:
    return Facts(decision.id, extract_amounts(decision.text), extract_durations(decision.text),
                 extract_solution(decision), {k: decision.metadata.get(k) for k in
                                              ("jurisdiction", "chamber_name", "chamber", "nac_code",
                                               "decision_date", "source")})


def describe(values: list[float]) -> dict[str, Any]:
    """Count, minimum, quartiles, median and maximum — never a single figure on its own."""
    values = sorted(values)
    if not values:
        return {"count": 0}
    if len(values) == 1:
        q1 = med = q3 = values[0]
    else:
        q1, med, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"count": len(values), "min": values[0], "q1": round(q1, 2), "median": round(med, 2),
            "q3": round(q3, 2), "max": values[-1]}


def comparable(facts: list[Facts], **filters: Any) -> list[Facts]:
    """Decisions whose metadata (or solution) equal every filter given (``None`` filters ignored)."""
    def keep(f: Facts) -> bool:
        for key, wanted in filters.items():
            if wanted is None:
                continue
            have = f.solution if key == "solution" else f.metadata.get(key)
            if have is None or str(wanted).lower() not in str(have).lower():
                return False
        return True
    return [f for f in facts if keep(f)]


def distribution(facts: list[Facts], kind: str, *, awarded_only: bool = True) -> dict[str, Any]:
    """Distribution of the amounts of ``kind`` over ``facts`` (one value per decision: the sum of
    its amounts of that kind), with the decisions it comes from and the limits of the sample."""
    per_decision = []
    for f in facts:
        values = [a.value for a in f.amounts if a.kind == kind and (a.awarded or not awarded_only)]
        if values:
            per_decision.append((f.id, sum(values)))
    stats = describe([v for _, v in per_decision])
    limits = [f"{len(facts)} décision(s) comparables, dont {len(per_decision)} avec un montant « {kind} »"
              + (" accordé" if awarded_only else "") + "."]
    if len(per_decision) < 10:
        limits.append("Moins de 10 valeurs : la distribution est indicative et ne peut servir de barème.")
    limits.append("Montants extraits automatiquement du texte : à vérifier dans chaque décision citée.")
    return {"kind": kind, "stats": stats, "decisions": [{"id": i, "value": v} for i, v in per_decision],
            "limits": limits}
