"""Classes of rounds 64 to 66, persons: the first names of a family's other members listed after the word for
them (« leurs autres frères et sœurs, », « ses petits-enfants : », « ses neveux, »), as children's first names
already are. Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Il soutient que ses trois autres frères et sœurs, Maëlinn, Tiago et Orsane, n'ont rien reçu.",
         {"Maëlinn", "Tiago", "Orsane"}),
        ("La défunte laisse pour lui succéder ses petits-enfants : Ysolde, Ambroisine et Kilian.",
         {"Ysolde", "Ambroisine", "Kilian"}),
        ("Le majeur protégé reçoit régulièrement ses neveux, Aurèle et Ewenn, qui l'accompagnent.",
         {"Aurèle", "Ewenn"}),
    ],
)
def test_kin_listed_by_their_first_names(rules_only, text, found):
    assert found <= set(_by_category(rules_only, text, PERSON))


def test_a_list_after_a_kin_word_that_holds_no_names_is_left_alone(rules_only):
    text = "Les frères et sœurs, Madame la juge, ne se parlent plus depuis 2019."
    assert not {"Madame", "Les"} & set(_by_category(rules_only, text, PERSON))
