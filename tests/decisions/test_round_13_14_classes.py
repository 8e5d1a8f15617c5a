"""Classes of errors left on the development rounds 13 and 14 (issue 18), one rule each, on invented
sentences (never copied from the rounds): general rules, checked on names and places of our own."""

from __future__ import annotations

import pytest

from amorce.decisions import Pseudonymiser

from .test_round_8_10_classes import _masked  # the texts the rules mask


@pytest.fixture(scope="module")
def rules_only():
    return Pseudonymiser(use_ner=False)


# ------------------------------------------------------------------------------------------ persons
def test_first_name_and_surname_initial_given_a_civil_status_are_a_person_everywhere(rules_only):
    text = ("APPELANTS :\nLenny V., né le 4 mars 2011, demeurant chez ses parents, et Noam B.-K., né le 28/05/2011,\n"
            "agissant pour leur fils Yanis P., né le 3 mai 2011 à Oran.\n"
            "Le tribunal a déclaré Lenny V. et Noam B.-K. coupables. Ordonne à l'égard de Lenny V. un stage ; "
            "Yanis P. est relaxé.")
    masked = _masked(rules_only, text)
    assert masked.count("V.") == 3 and masked.count("Lenny") == 3
    assert masked.count("P.") == 2 and masked.count("B.") == 2 and masked.count("K.") == 2
    # a first name and an initial with no civil status stay (a company, an abbreviation)
    assert "S." not in _masked(rules_only, "La société Martin S. a livré le 3 mai 2011 à Oran.")


def test_a_name_opening_its_line_before_a_birth_date_is_a_person_and_its_first_name_propagates(rules_only):
    text = ("Concernant les mineurs :\nTiago Ferreira, né le 2 mai 2013 à Vannes,\nLuana Ferreira, née le 4 juin 2016.\n\n"
            "Vu le jugement ayant confié Tiago et Luana au service. Il ressort des rapports que Tiago, onze ans, "
            "va bien. Un séjour de Tiago chez son père est autorisé.")
    masked = _masked(rules_only, text)
    assert masked.count("Tiago") == 4 and masked.count("Luana") == 2 and masked.count("Ferreira") == 2
    # a company or a common word at the start of the line is no person
    assert not {"Société", "Nouvelle"} & set(_masked(rules_only, "Société Nouvelle, née le 2 mai 2013 de la fusion."))


def test_the_police_officer_holding_the_prosecution_is_the_bench(rules_only):
    text = ("Tribunal de police, audience tenue par Mme Gwenola Tréguer, juge, assistée de Mme Rozenn Kervella, "
            "greffière, le ministère public étant occupé par M. Erwan Le Dantec, commissaire de police. "
            "Le prévenu, M. Yvon Quéméner, est présent.")
    masked = _masked(rules_only, text)
    assert not {"Erwan", "Le Dantec", "Dantec", "Gwenola", "Tréguer"} & set(masked)
    assert {"Yvon", "Quéméner"} <= set(masked)
