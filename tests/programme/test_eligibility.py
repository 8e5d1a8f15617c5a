"""Eligibility rules: SIRET/SIREN, kind of structure (configurable), budget, dates."""

from __future__ import annotations

from datetime import date

from amorce.programme.eligibility import (
    ELIGIBLE_2018,
    EligibilityRules,
    check_eligibility,
    check_siren,
    check_siret,
    kind_from_legal_category,
)

RULES = EligibilityRules(opens=date(2018, 6, 14), closes=date(2018, 9, 14), max_budget=500_000,
                         max_duration_months=10)
GOOD = {"siret": "732 829 320 00074", "structure_kind": "operateur_national", "budget": 200_000,
        "budget_breakdown": [{"amount": 150_000}, {"amount": 50_000}], "submitted_on": "2018-09-14",
        "start": "2018-11-05", "end": "2019-08-31"}


def test_siret_and_siren_checksums():
    assert check_siret("73282932000074").passed
    bad = check_siret("73282932000075")
    assert not bad.passed and "clé de contrôle" in bad.reason
    assert "14 chiffres" in check_siret("7328293200007").reason
    assert check_siren("732 829 320").passed and not check_siren("732829321").passed


def test_eligible_application_passes_every_rule():
    result = check_eligibility(GOOD, RULES)
    assert result.eligible, result.reasons
    assert [c.code for c in result.checks] == ["siret", "structure", "budget", "budget_detail", "depot",
                                               "calendrier"]


def test_every_failure_has_a_french_reason():
    bad = dict(GOOD, siret="123", structure_kind="collectivite_territoriale", budget=600_000,
               submitted_on="2018-09-15", end="2019-12-31")
    result = check_eligibility(bad, RULES)
    assert not result.eligible
    reasons = " ".join(result.reasons)
    assert "SIRET « 123 » est invalide" in reasons
    assert "n'est pas éligible" in reasons and "Collectivité territoriale" in reasons
    assert "dépasse le plafond" in reasons
    assert "après la clôture" in reasons
    assert "plus de 10 mois" in reasons
    assert "Le détail du budget totalise" in reasons


def test_kinds_are_configurable():
    local = dict(GOOD, structure_kind="collectivite_territoriale")
    assert not check_eligibility(local, RULES).eligible
    open_rules = EligibilityRules(eligible_kinds=ELIGIBLE_2018 | {"collectivite_territoriale"})
    assert check_eligibility(local, open_rules).eligible


def test_legal_category_and_unreadable_dates():
    assert kind_from_legal_category("7120") == "administration_centrale"
    assert kind_from_legal_category("7389") == "operateur_national"
    assert kind_from_legal_category("7210") == "collectivite_territoriale"
    assert kind_from_legal_category("abc") is None
    app = dict(GOOD, structure_kind=None, legal_category="7172", submitted_on="14/09/2018")
    result = check_eligibility(app, RULES)
    assert any("illisible" in r for r in result.reasons)
    assert next(c for c in result.checks if c.code == "structure").passed
