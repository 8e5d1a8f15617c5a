"""Classes of rounds 58 to 60, persons and professionals: a quoted nickname followed by « — surnom de » and the
person it names; the noun of a nickname given with its article (« dit « le X » ») quoted after a determiner
elsewhere (« Le « X », qu'il … »); a first name and a surname in capitals before « épouse », never a lawyer.
Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # a quoted nickname, then « surnom de » and the full name it stands for
    ("nickname-then-word", "Son voisin a dit que « Le Bigle » — surnom de Teodor Varga, toujours en fuite — passait "
     "chaque soir.", PERSON, {"Le Bigle", "Teodor", "Varga"}, set()),
    ("nickname-then-word", "La témoin savait qu'« Ourson », surnom du prévenu au collège, dormait chez elle.", PERSON,
     {"Ourson"}, set()),
    # the noun of a nickname given with its article, quoted after a determiner elsewhere
    ("articled-nickname", "Contre : KESKIN Baran, dit « le Faucon », né le 2 mai 1991 à Lyon.\nLe « Faucon », "
     "qu'elle a reconnu sur photographie, l'a frappée.", PERSON, {"le Faucon", "Faucon"}, set()),
    # a first name and a surname in capitals before a married name, after « ; »
    ("name-before-married", "Ont été entendus : M. Ivo Pranjic, voisin ; Sanja KOLAR épouse BRKIC, tante de la "
     "victime, demeurant 3 rue Neuve, 69001 Lyon.", PERSON, {"Sanja", "KOLAR", "BRKIC"}, set()),
    ("name-before-married", "Représenté par Me Sanja KOLAR épouse BRKIC, avocate au barreau de Lyon.", PERSON, set(),
     {"Sanja", "KOLAR", "BRKIC"}),
    ("name-before-married", "Représenté par Me Sanja KOLAR épouse BRKIC, avocate au barreau de Lyon.", LAWYER,
     {"Sanja KOLAR"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_58_60_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
