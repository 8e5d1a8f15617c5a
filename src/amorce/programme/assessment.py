"""Ethical-risk questionnaire modelled on Canada's Algorithmic Impact Assessment (AIA).

Scoring follows the AIA tool of the Government of Canada (Directive on Automated Decision-Making):

* every *risk* answer carries points; the **raw impact score** is their sum, the maximum is the sum
  of each question's highest answer (checkbox questions: sum of all options);
* every *mitigation* answer carries points; if the mitigation score reaches **80 %** of its
  maximum, the **current score** is the raw impact score reduced by **15 %** (rounded), else it is
  the raw score;
* the **impact level** compares the current score to the maximum raw score: ≤ 25 % → I,
  ≤ 50 % → II, ≤ 75 % → III, above → IV;
* each level implies duties (peer review, notice, human intervention, explanation, training,
  contingency, approval), summarised in French from Appendix C of the Directive.

Sources are given in docs/programme.md. The questions are a shorter French adaptation for a call
for AI prototypes; they are data (:data:`QUESTIONS_FR`), so a call can ship its own list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from amorce.core.errors import ValidationReport

MITIGATION_RATIO = 0.80
MITIGATION_DEDUCTION = 0.15
LEVEL_THRESHOLDS = (0.25, 0.50, 0.75)  # upper bounds (inclusive) of levels I, II, III
LEVELS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    points: int


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    kind: str  # "risk" or "mitigation"
    area: str
    choices: tuple[Choice, ...]
    multiple: bool = False  # checkbox: several choices, points add up

    @property
    def max_points(self) -> int:
        if self.multiple:
            return sum(max(c.points, 0) for c in self.choices)
        return max(c.points for c in self.choices)

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)


def _yes_no(code: str, text: str, kind: str, area: str, yes: int, no: int = 0) -> Question:
    return Question(code, text, kind, area, (Choice("oui", "Oui", yes), Choice("non", "Non", no)))


def _scale(code: str, text: str, kind: str, area: str, *options: tuple[str, str, int]) -> Question:
    return Question(code, text, kind, area, tuple(Choice(*o) for o in options))


QUESTIONS_FR: tuple[Question, ...] = (
    # --- risk: project and decision
    _scale("R1", "Quel est le rôle du système dans la décision ?", "risk", "Projet",
           ("information", "Il informe ou aide l'agent, sans proposer de décision", 0),
           ("recommandation", "Il propose une décision que l'agent valide", 2),
           ("automatique", "Il prend des décisions sans intervention humaine", 4)),
    _yes_no("R2", "Le système concerne-t-il un domaine sensible (santé, justice, sécurité, prestations "
                  "sociales, contrôle, immigration) ?", "risk", "Projet", 3),
    _scale("R3", "Les décisions appuyées par le système sont-elles réversibles ?", "risk", "Décision",
           ("reversible", "Facilement réversibles", 0),
           ("difficile", "Réversibles avec difficulté", 2),
           ("irreversible", "Irréversibles", 4)),
    _scale("R4", "Quelle est la durée des effets d'une décision sur la personne ?", "risk", "Impact",
           ("breve", "Brève", 0), ("moyenne", "Quelques mois", 2), ("longue", "Durable ou permanente", 4)),
    Question("R5", "Sur quoi la décision peut-elle avoir un effet ?", "risk", "Impact", (
        Choice("droits", "Droits et libertés des personnes", 2),
        Choice("sante", "Santé et bien-être", 2),
        Choice("economie", "Intérêts économiques des personnes", 2),
        Choice("environnement", "Environnement", 1),
    ), multiple=True),
    _yes_no("R6", "Le système s'adresse-t-il à des publics vulnérables ?", "risk", "Impact", 3),
    _scale("R7", "Combien de personnes sont concernées par an ?", "risk", "Impact",
           ("moins_1000", "Moins de 1 000", 0), ("moins_100000", "De 1 000 à 100 000", 1),
           ("plus_100000", "Plus de 100 000", 2)),
    # --- risk: data and algorithm
    _yes_no("R8", "Le système traite-t-il des données à caractère personnel ?", "risk", "Données", 2),
    _yes_no("R9", "Traite-t-il des données sensibles (article 9 du RGPD) ou relatives aux infractions ?",
            "risk", "Données", 3),
    _yes_no("R10", "Les données proviennent-elles de sources extérieures à l'administration ?", "risk",
            "Données", 1),
    _yes_no("R11", "Le modèle est-il difficile à expliquer (apprentissage profond, boîte noire) ?", "risk",
            "Algorithme", 2),
    _yes_no("R12", "Le modèle continue-t-il d'apprendre en production sans validation humaine ?", "risk",
            "Algorithme", 3),
    # --- mitigation
    _yes_no("M1", "Les utilisateurs internes et les personnes concernées ont-ils été consultés ?",
            "mitigation", "Consultation", 2),
    _yes_no("M2", "Le délégué à la protection des données a-t-il été associé (AIPD si nécessaire) ?",
            "mitigation", "Consultation", 2),
    _yes_no("M3", "La qualité et la représentativité des données ont-elles été évaluées ?",
            "mitigation", "Qualité des données", 2),
    _yes_no("M4", "Des biais ont-ils été recherchés et mesurés sur des sous-populations ?",
            "mitigation", "Qualité des données", 2),
    _yes_no("M5", "Un agent peut-il toujours modifier ou écarter la proposition du système ?",
            "mitigation", "Équité procédurale", 2),
    _yes_no("M6", "Une voie de recours et une explication de la décision sont-elles prévues ?",
            "mitigation", "Équité procédurale", 2),
    _yes_no("M7", "Les performances seront-elles suivies et le modèle réévalué régulièrement ?",
            "mitigation", "Équité procédurale", 2),
    _yes_no("M8", "Les données sont-elles minimisées, pseudonymisées et leur accès journalisé ?",
            "mitigation", "Protection des données", 2),
)

# Duties per impact level, summarised in French from Appendix C of Canada's Directive on
# Automated Decision-Making (requirements by impact level).
DUTIES_FR: dict[str, list[tuple[str, str]]] = {
    "I": [
        ("Examen par les pairs", "Aucun examen externe requis."),
        ("Avis au public", "Aucun avis particulier requis au-delà de la mention explicite légale."),
        ("Intervention humaine", "La décision peut être rendue sans intervention humaine directe."),
        ("Explication", "Fournir une explication compréhensible de la décision aux personnes concernées."),
        ("Formation", "Aucune formation particulière requise."),
        ("Plan de continuité", "Aucun plan de continuité requis."),
        ("Approbation", "Aucune approbation particulière requise."),
    ],
    "II": [
        ("Examen par les pairs", "Au moins un examen par un expert qualifié (interne ou externe)."),
        ("Avis au public", "Publier en langage clair une description du système et de son usage."),
        ("Intervention humaine", "La décision peut être rendue sans intervention humaine directe."),
        ("Explication", "Fournir une explication compréhensible de la décision aux personnes concernées."),
        ("Formation", "Documenter la conception et le fonctionnement du système."),
        ("Plan de continuité", "Aucun plan de continuité requis."),
        ("Approbation", "Aucune approbation particulière requise."),
    ],
    "III": [
        ("Examen par les pairs", "Au moins deux examens par des experts qualifiés, dont un externe."),
        ("Avis au public", "Publier une description en langage clair et l'avis sur les sites de l'administration."),
        ("Intervention humaine", "La décision ne peut pas être prise sans intervention humaine à des étapes "
                                 "identifiées."),
        ("Explication", "Explication détaillée et individuelle de la décision, sur demande."),
        ("Formation", "Documentation et formation des agents qui utilisent le système."),
        ("Plan de continuité", "Plan de continuité en cas d'indisponibilité du système."),
        ("Approbation", "Approbation par le dirigeant de l'administration."),
    ],
    "IV": [
        ("Examen par les pairs", "Au moins deux examens externes qualifiés, publiés."),
        ("Avis au public", "Publier une description en langage clair et l'avis sur les sites de l'administration."),
        ("Intervention humaine", "La décision finale est prise par un agent."),
        ("Explication", "Explication détaillée et individuelle de la décision, sur demande."),
        ("Formation", "Formation récurrente des agents, documentation complète, vérification des compétences."),
        ("Plan de continuité", "Plan de continuité et procédure de repli testés."),
        ("Approbation", "Approbation au plus haut niveau (ministre ou instance de gouvernance désignée)."),
    ],
}


@dataclass
class AssessmentResult:
    raw_impact: int
    max_impact: int
    mitigation: int
    max_mitigation: int
    current: int
    level: str
    mitigation_applied: bool
    duties: list[tuple[str, str]] = field(default_factory=list)

    @property
    def percentage(self) -> float:
        return 100.0 * self.current / self.max_impact if self.max_impact else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"raw_impact": self.raw_impact, "max_impact": self.max_impact, "mitigation": self.mitigation,
                "max_mitigation": self.max_mitigation, "current": self.current, "level": self.level,
                "percentage": round(self.percentage, 1), "mitigation_applied": self.mitigation_applied,
                "duties": [{"theme": t, "duty": d} for t, d in self.duties]}

    def to_markdown(self) -> str:
        lines = [f"**Niveau d'impact {self.level}** ({self.percentage:.0f} % du score d'impact maximal)", "",
                 f"- Score d'impact brut : {self.raw_impact} / {self.max_impact}",
                 f"- Score d'atténuation : {self.mitigation} / {self.max_mitigation}"
                 + (" (≥ 80 % : score d'impact réduit de 15 %)" if self.mitigation_applied else ""),
                 f"- Score actuel : {self.current}", "", "| Exigence | Ce que le niveau implique |", "|---|---|"]
        lines += [f"| {t} | {d} |" for t, d in self.duties]
        return "\n".join(lines) + "\n"


def impact_level(current: float, max_impact: float) -> str:
    """Level I–IV from the current score, as in the AIA (thresholds inclusive)."""
    for level, threshold in zip(LEVELS, LEVEL_THRESHOLDS, strict=False):
        if current <= max_impact * threshold:
            return level
    return LEVELS[-1]


def validate_answers(answers: Mapping[str, Any], questions: Sequence[Question] = QUESTIONS_FR) -> ValidationReport:
    """Every question answered with a known choice (lists for multiple-choice questions)."""
    report = ValidationReport()
    known = {q.code: q for q in questions}
    for q in questions:
        value = answers.get(q.code)
        if value is None:
            report.add("question sans réponse", column=q.code, expected=q.text)
            continue
        values = value if isinstance(value, list | tuple) else [value]
        if not q.multiple and len(values) != 1:
            report.add("une seule réponse attendue", column=q.code, value=value)
        for v in values:
            if q.choice(str(v)) is None:
                report.add("réponse inconnue", column=q.code, value=v,
                           expected=" / ".join(c.code for c in q.choices))
    for code in sorted(set(answers) - set(known)):
        report.add("question inconnue", column=code)
    return report


def assess(answers: Mapping[str, Any], questions: Sequence[Question] = QUESTIONS_FR) -> AssessmentResult:
    """Score a completed questionnaire; raises a French validation error if answers are incomplete."""
    validate_answers(answers, questions).raise_if_any("Questionnaire d'impact incomplet ou invalide")
    raw = max_raw = mitigation = max_mitigation = 0
    for q in questions:
        value = answers[q.code]
        values = value if isinstance(value, list | tuple) else [value]
        points = sum(q.choice(str(v)).points for v in values)
        if q.kind == "risk":
            raw += points
            max_raw += q.max_points
        else:
            mitigation += points
            max_mitigation += q.max_points
    applied = max_mitigation > 0 and mitigation >= MITIGATION_RATIO * max_mitigation
    # JavaScript's Math.round in the AIA tool rounds halves up
    current = int((1 - MITIGATION_DEDUCTION) * raw + 0.5) if applied else raw
    level = impact_level(current, max_raw)
    return AssessmentResult(raw, max_raw, mitigation, max_mitigation, current, level, applied, DUTIES_FR[level])
