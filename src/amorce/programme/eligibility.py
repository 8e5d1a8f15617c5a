"""Automatic eligibility rules of a call (a proposal that an instructeur confirms or overrides).

Each rule returns a :class:`RuleCheck` with a French reason, so the instructeur sees why a dossier
is proposed eligible or not: SIRET/SIREN checksums (python-stdnum), kind of structure, budget,
dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from amorce.core import formats as fr

# Kinds of structure (codes are stable identifiers; labels are French).
STRUCTURE_KINDS: dict[str, str] = {
    "administration_centrale": "Administration centrale de l'État (ministère, direction, service)",
    "service_deconcentre": "Service déconcentré de l'État",
    "service_competence_nationale": "Service à compétence nationale",
    "autorite_independante": "Autorité administrative ou publique indépendante",
    "operateur_national": "Opérateur de l'État / établissement public national",
    "collectivite_territoriale": "Collectivité territoriale (commune, département, région…)",
    "etablissement_public_local": "Établissement public local (intercommunalité, CCAS, EPLE…)",
    "entreprise": "Entreprise",
    "association": "Association",
}

# The 2018 call was open to State administrations and national operators.
ELIGIBLE_2018: frozenset[str] = frozenset({
    "administration_centrale", "service_deconcentre", "service_competence_nationale",
    "autorite_independante", "operateur_national",
})


def kind_from_legal_category(code: str) -> str | None:
    """Structure kind from the INSEE legal category (catégorie juridique, 4 digits), if recognisable."""
    code = (code or "").strip()
    if len(code) != 4 or not code.isdigit():
        return None
    if code in ("7111", "7112", "7113", "7120", "7150", "7190"):
        return "administration_centrale"
    if code == "7160":
        return "service_competence_nationale"
    if code in ("7171", "7172", "7179"):
        return "service_deconcentre"
    if code in ("7210", "7220", "7225", "7229", "7230"):
        return "collectivite_territoriale"
    if code.startswith("72") or code[:3] in ("731", "732", "734", "735", "736", "737") or code in ("4120", "4140"):
        return "etablissement_public_local"
    if code in ("7381", "7382", "7383", "7384", "7385", "7389", "4110", "4160"):
        return "operateur_national"
    if code in ("7346", "7347", "7348"):
        return "autorite_independante"
    if code.startswith("9"):
        return "association"
    if code[0] in "123456":
        return "entreprise"
    return None


@dataclass(frozen=True)
class EligibilityRules:
    """Configurable rules of one call."""

    eligible_kinds: frozenset[str] = ELIGIBLE_2018
    opens: date | None = None
    closes: date | None = None
    min_budget: float = 0.0
    max_budget: float | None = None
    max_duration_months: int | None = None
    require_siret: bool = True


@dataclass
class RuleCheck:
    code: str
    label: str
    passed: bool | None  # None: cannot be checked yet (an unknown deposit date is not a non-compliance)
    reason: str


@dataclass
class EligibilityResult:
    checks: list[RuleCheck] = field(default_factory=list)

    @property
    def eligible(self) -> bool | None:
        """False when a rule fails, None when none fails but one cannot be checked yet, else True."""
        if any(c.passed is False for c in self.checks):
            return False
        return None if any(c.passed is None for c in self.checks) else True

    @property
    def reasons(self) -> list[str]:
        """French reasons of the failed rules (empty when eligible)."""
        return [c.reason for c in self.checks if c.passed is False]

    def to_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible,
                "checks": [{"code": c.code, "label": c.label, "passed": c.passed, "reason": c.reason}
                           for c in self.checks]}


def check_siret(value: str) -> RuleCheck:
    compact = stdnum_siret.compact(value or "")
    try:
        stdnum_siret.validate(compact)
    except StdnumError as exc:
        detail = {"InvalidLength": "il doit comporter 14 chiffres", "InvalidFormat": "il ne doit contenir que des chiffres",
                  "InvalidChecksum": "la clé de contrôle est fausse"}.get(type(exc).__name__, "format invalide")
        return RuleCheck("siret", "SIRET valide", False, f"Le SIRET « {value} » est invalide : {detail}.")
    return RuleCheck("siret", "SIRET valide", True,
                     f"SIRET {stdnum_siret.format(compact)} valide (SIREN {compact[:9]}).")


def check_siren(value: str) -> RuleCheck:
    compact = stdnum_siren.compact(value or "")
    try:
        stdnum_siren.validate(compact)
    except StdnumError:
        return RuleCheck("siren", "SIREN valide", False,
                         f"Le SIREN « {value} » est invalide : 9 chiffres avec une clé de contrôle correcte attendus.")
    return RuleCheck("siren", "SIREN valide", True, f"SIREN {stdnum_siren.format(compact)} valide.")


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _months_between(start: date, end: date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 30.0


def check_eligibility(application: Mapping[str, Any], rules: EligibilityRules) -> EligibilityResult:
    """Apply every rule to an application dict.

    Keys read: ``siret``, ``structure_kind`` (or ``legal_category``), ``budget``,
    ``budget_breakdown`` (list of ``{"amount": …}``), ``submitted_on``, ``start``, ``end``.
    """
    result = EligibilityResult()
    if rules.require_siret or application.get("siret"):
        result.checks.append(check_siret(str(application.get("siret") or "")))

    kind = application.get("structure_kind") or kind_from_legal_category(str(application.get("legal_category") or ""))
    label = STRUCTURE_KINDS.get(kind or "", kind or "non renseignée")
    if not kind:
        result.checks.append(RuleCheck("structure", "Type de structure éligible", False,
                                       "Le type de structure n'est pas renseigné."))
    elif kind in rules.eligible_kinds:
        result.checks.append(RuleCheck("structure", "Type de structure éligible", True,
                                       f"Structure éligible : {label}."))
    else:
        allowed = ", ".join(STRUCTURE_KINDS.get(k, k) for k in sorted(rules.eligible_kinds))
        result.checks.append(RuleCheck("structure", "Type de structure éligible", False,
                                       f"Ce type de structure n'est pas éligible à cet appel ({label}). "
                                       f"Sont éligibles : {allowed}."))

    budget = application.get("budget")
    try:
        amount = float(budget)
    except (TypeError, ValueError):
        amount = None
    if amount is None:
        result.checks.append(RuleCheck("budget", "Budget demandé", False, "Le budget demandé n'est pas renseigné."))
    elif amount <= rules.min_budget:
        result.checks.append(RuleCheck("budget", "Budget demandé", False,
                                       f"Le budget demandé ({fr.amount(amount)}) doit être supérieur à "
                                       f"{fr.amount(rules.min_budget)}."))
    elif rules.max_budget is not None and amount > rules.max_budget:
        result.checks.append(RuleCheck("budget", "Budget demandé", False,
                                       f"Le budget demandé ({fr.amount(amount)}) dépasse le plafond de "
                                       f"{fr.amount(rules.max_budget)} par projet."))
    else:
        result.checks.append(RuleCheck("budget", "Budget demandé", True,
                                       f"Budget demandé de {fr.amount(amount)} conforme."))
    breakdown = application.get("budget_breakdown")
    if breakdown and amount is not None:
        total = sum(float(item.get("amount", 0)) for item in breakdown)
        ok = abs(total - amount) < 0.01
        result.checks.append(RuleCheck("budget_detail", "Détail du budget cohérent", ok,
                                       "Le détail du budget est cohérent avec le total." if ok else
                                       f"Le détail du budget totalise {fr.amount(total)} au lieu de "
                                       f"{fr.amount(amount)}."))

    dates: dict[str, date | None] = {}
    for key, name in (("submitted_on", "de dépôt"), ("start", "de début"), ("end", "de fin")):
        try:
            dates[key] = _as_date(application.get(key))
        except ValueError:
            dates[key] = None
            result.checks.append(RuleCheck("dates", "Dates lisibles", False,
                                           f"La date {name} « {application.get(key)} » est illisible "
                                           f"(format attendu AAAA-MM-JJ)."))
    submitted = dates["submitted_on"]
    if rules.opens or rules.closes:
        if submitted is None:
            window = f" (appel ouvert jusqu'au {fr.date_fr(rules.closes)})" if rules.closes else ""
            result.checks.append(RuleCheck("depot", "Dépôt dans les délais", None,
                                           f"Date de dépôt pas encore connue : c'est celle du dépôt{window}."))
        elif rules.opens and submitted < rules.opens:
            result.checks.append(RuleCheck("depot", "Dépôt dans les délais", False,
                                           f"Dossier déposé le {fr.date_fr(submitted)}, avant l'ouverture de l'appel "
                                           f"({fr.date_fr(rules.opens)})."))
        elif rules.closes and submitted > rules.closes:
            result.checks.append(RuleCheck("depot", "Dépôt dans les délais", False,
                                           f"Dossier déposé le {fr.date_fr(submitted)}, après la clôture de l'appel "
                                           f"({fr.date_fr(rules.closes)})."))
        else:
            result.checks.append(RuleCheck("depot", "Dépôt dans les délais", True,
                                           f"Dossier déposé le {fr.date_fr(submitted)}, dans les délais."))
    start, end = dates["start"], dates["end"]
    if start and end:
        if end <= start:
            result.checks.append(RuleCheck("calendrier", "Calendrier du projet", False,
                                           "La date de fin du projet précède sa date de début."))
        elif rules.max_duration_months and _months_between(start, end) > rules.max_duration_months + 1e-9:
            result.checks.append(RuleCheck("calendrier", "Calendrier du projet", False,
                                           f"Le projet dure plus de {rules.max_duration_months} mois "
                                           f"({fr.date_fr(start)} → {fr.date_fr(end)})."))
        else:
            result.checks.append(RuleCheck("calendrier", "Calendrier du projet", True,
                                           f"Calendrier conforme ({fr.date_fr(start)} → {fr.date_fr(end)})."))
    return result
