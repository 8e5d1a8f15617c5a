"""Classes of rounds 61 to 63, persons and professionals: a police, gendarmerie or military rank used like a
civility before a name; children's first names listed after a kinship phrase (« les filles de celle-ci, », « un
fils d'une précédente union, », « sont nés de cette union, ») or without a comma after a counted word (« ses deux
fils X et Y »), with their birth years or a surname in capitals; a name quoted as the spelling a document gives
(« sous la forme « X » », « le désigne sous le nom de « X » »). Invented sentences only (never copied from the
rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # a rank before a first name and a surname, then before the surname alone
    ("rank", "Le prévenu a bousculé le gardien de la paix Oriane Tessel, puis le brigadier-chef Milo Vantal est "
     "intervenu.", PERSON, {"Oriane", "Tessel", "Milo", "Vantal"}, set()),
    ("rank", "Selon le rapport de l'adjudant-chef Quessoy et du maréchal des logis Brenel, la porte était ouverte.",
     PERSON, {"Quessoy", "Brenel"}, set()),
    ("rank", "Un homme se disant « le capitaine Roubelle de la brigade financière » a appelé la victime.", PERSON,
     {"Roubelle"}, set()),
    ("rank", "Condamne le prévenu à payer 200 euros au sous-lieutenant Jordane Pellac.", PERSON,
     {"Jordane", "Pellac"}, set()),
    # a hyphenated surname stays whole after a rank
    ("rank", "Entendue par la brigadière Ana Roux-Vidal, elle a reconnu les faits.", PERSON, {"Ana", "Roux-Vidal"},
     {"Roux", "Vidal"}),
    # a rank never makes a street a person, nor a magistrate or a lawyer a party
    ("rank", "Il demeure 4 avenue du Général Tessel à Lyon.", PERSON, set(), {"Tessel"}),
    ("rank", "Composition : Mme Oriane Tessel, présidente ; le gardien de la paix Milo Vantal a été entendu.", PERSON, {"Milo", "Vantal"},
     {"Oriane", "Tessel"}),
    ("rank", "Le lieutenant Milo Vantal était assisté de Me Oriane Tessel, avocate au barreau de Nîmes.", LAWYER,
     {"Oriane Tessel"}, set()),
    # children listed after whose they are
    ("children-of", "Il vivait avec Mme Lise Carrat et les deux fils de celle-ci, Tobiah et Ewen.", PERSON,
     {"Tobiah", "Ewen"}, set()),
    ("children-of", "Elle a une fille d'une précédente union, Tsiory RAVELONA, née en 2011, qui vit à Agen.", PERSON,
     {"Tsiory", "RAVELONA"}, set()),
    ("children-of", "Trois enfants sont nés de cette union, Anouchka en 2003, Bérangère en 2006 et Tiphaine en "
     "2010.", PERSON, {"Anouchka", "Bérangère", "Tiphaine"}, set()),
    ("children-of", "Elle loue, avec ses deux fils Tobiah et Ewen, une maison de ville.", PERSON,
     {"Tobiah", "Ewen"}, set()),
    # a name quoted as the spelling a document gives
    ("spelling", "Le livret de famille transcrit le nom de famille du requérant sous la forme « Varanthesh », le jugement sous "
     "celle de « Waranthesh ».", PERSON, {"Varanthesh"}, set()),
    ("spelling", "Sa carte consulaire le désigne sous le nom de « KORVADI Ousseni », reprise partout.", PERSON,
     {"KORVADI", "Ousseni"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_61_63_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
