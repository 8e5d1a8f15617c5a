"""Classes of rounds 55 to 57 (issue 18), persons and professionals: a party with a birth date under the
public prosecutor's heading line; a judicial representative's title after the address of its firm; the
partners' names of that firm, never the role's acronym (« AJ », « MJ »); a judicial representative's title or
« ès qualités » right after a name, with or without a civility; the surname in capitals after a first name
named by « le prénom de sa … ». Invented sentences only (never copied from
the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # a birth after a name: a party, even under the public prosecutor's heading line
    ("born-after-name", "INTIMÉS :\nLE PROCUREUR GÉNÉRAL près la cour d'appel de Caen\nMadame Ilona KERVADEC\n"
     "née le 12 mars 1990 à Abidjan (Côte d'Ivoire)\nN'ayant pas constitué avocat\n", PERSON,
     {"Ilona", "KERVADEC"}, set()),
    # a judicial representative's title after its firm's address
    ("officer-after-address", "DEMANDEURS :\nMe Oskar Vrabel, membre de la SELARL AJ Nováková, 7, quai des Brumes, "
     "44000 Nantes, administrateur judiciaire de la SAS BOIS DU NORD,\nMe Vrabel expose que la période a échoué.",
     PERSON, {"Oskar", "Vrabel", "Nováková"}, {"AJ"}),
    ("officer-after-address", "Représentée par Me Ilan Voss, de la SELARL Voss, 3 rue Haute, 69003 Lyon, avocat, et "
     "par Me Carl Roux, 2 rue Basse, 69002 Lyon, mandataire judiciaire.", LAWYER, {"Ilan Voss"}, set()),
    ("officer-firm-acronym", "Désigne la SELARL MJ Fabre, mandataire judiciaire, en qualité de liquidateur.", PERSON,
     {"Fabre"}, {"MJ"}),
    # a judicial representative's title or « ès qualités » right after a name
    ("judicial-representative-after", "Aitor GOIKOETXEA-BÁNKI, mandataire judiciaire, 5, rue du Port, 33000 "
     "Bordeaux, partie civile.\nCondamne M. Lev Hora à payer à Me Goikoetxea-Bánki, ès qualités, 900 euros.", PERSON,
     {"Aitor", "GOIKOETXEA-BÁNKI", "Goikoetxea", "Bánki"}, set()),
    # the surname in capitals after a first name named by « le prénom de sa … , »
    ("surname-after-first-name", "Elle tient ce prénom de sa tante, Oana MIRCESCU, morte en 1990 à Iasi.", PERSON,
     {"Oana", "MIRCESCU"}, set()),
    ("surname-after-first-name", "Il a choisi le prénom Ornella SA du catalogue.", PERSON, {"Ornella"}, {"SA"}),
    ("judicial-representative-after", "Représenté par Me Ada Brun, avocate au barreau de Pau, ès qualités d'avocat "
     "de la partie civile.", LAWYER, {"Ada Brun"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_55_57_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
