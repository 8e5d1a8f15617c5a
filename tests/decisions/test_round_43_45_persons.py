"""Classes of rounds 43 to 45 (issue 18), professionals: a law firm after its counsel's bar; a « cheffe » of
chamber signing; a company's seat whose domicile clause ran into the next line, its law firm. Invented
sentences only (never copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # the firm of the counsel just named, her bar between them
    ("firm-after-bar", "Les requérants, représentés par Me Solène Vauquelin, avocate au barreau de Caen, de la SCP "
     "Vauquelin, Lemarchand et Hue, sollicitent l'adoption.", LAWYER, {"Vauquelin, Lemarchand et Hue"}, set()),
    ("firm-after-bar", "Les requérants, représentés par Me Solène Vauquelin, avocate au barreau de Caen, de la SCP "
     "Vauquelin, Lemarchand et Hue, sollicitent l'adoption.", PERSON, set(), {"Lemarchand", "Hue"}),
    # the head of a chamber or of the registry in the feminine, signing under the president
    ("cheffe-signing", "Lu en audience publique le 3 mars 2026.\n\nLa présidente :\nMme Roussel\n\nLa cheffe de "
     "greffe :\nMme Lemaire", MAGISTRATE, {"Roussel", "Lemaire"}, set()),
    ("cheffe-signing", "Lu en audience publique le 3 mars 2026.\n\nLa présidente :\nMme Roussel\n\nLa cheffe de "
     "chambre :\nMme Lemaire", PERSON, set(), {"Lemaire"}),
    # a domicile clause closed by its postcode and town, not running into the next line's counsel
    ("seat-clause-stop", "La société ASSURANCES DU VAL, dont le siège est 8 quai des Tanneurs 57000 Metz\nReprésentée "
     "par la SELARL Vogt, Brenner & Associés, avocats au barreau de Metz\n\nLa SARL X", LAWYER,
     {"Vogt, Brenner & Associés"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_43_45_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found


def test_round_43_45_seat_clause_masks_no_counsel(rules_only):
    text = ("La société ASSURANCES DU VAL, dont le siège est 8 quai des Tanneurs 57000 Metz\nReprésentée par la SELARL "
            "Vogt, Brenner & Associés, avocats au barreau de Metz\n\nLa SARL X")
    masked = " ".join(_by_category(rules_only, text, None))
    assert "Vogt" not in masked and "Brenner" not in masked and "Représentée" not in masked

