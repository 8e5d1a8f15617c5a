"""Classes of rounds 46 to 48 (issue 18), persons: the other spellings of a name given after a word of
spelling or transliteration; the parents after the birth's date and place; a Bantu connector inside a name;
professionals: a lay assessor named with his trade before the role. Invented sentences only (never copied
from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # other spellings of the name, quoted after a word of spelling, one after the other
    ("quoted-spellings", "M. Tchang Weiming, dont le nom figure aussi sous les graphies « Tchong » et « Zhang Wei-Ming », "
     "est né le 3 mai 1980.", PERSON, {"Tchong", "Zhang Wei-Ming"}, set()),
    ("quoted-spellings", "Mme Haddad (parfois orthographiée « Haddat » ou « Hadad » dans les actes) a signé.", PERSON,
     {"Haddat", "Hadad"}, set()),
    ("quoted-spellings", "M. Petrov (écrit aussi « Petroff » dans le signalement et « Петров » dans le mandat) "
     "comparaît.", PERSON, {"Petroff", "Петров"}, set()),
    ("quoted-spellings", "Les variations de translittération du nom du requérant (« Tchong », « Tsang ») sont sans "
     "effet.", PERSON, {"Tchong", "Tsang"}, set()),
    # a quote after « écrit » without an adverb is what someone wrote, not a spelling
    ("quoted-spellings", "Il lui a écrit « Je pars demain » avant de quitter le domicile.", PERSON, set(),
     {"Je pars demain"}),
    # a name transliterated in capitals, and the next spelling
    ("transliterated", "KOVAČEVIĆ Dragan (translittéré KOVACEVIC Dragan dans la notice et KOVACHEVICH Dragan sur son "
     "passeport) est né le 4 mai 1979.", PERSON, {"KOVACEVIC", "KOVACHEVICH"}, set()),
    # both parents after the birth's date and place, with no « fils de »
    ("parents-after-birth", "Ionel Barbu, né le 3 mars 1981 à Iași (Roumanie), de Vasile et de Florica Barbu, sans "
     "domicile fixe.", PERSON, {"Vasile", "Florica"}, set()),
    ("parents-after-birth", "Mme Lina Okafor, née le 2 mai 1990 à Lagos, de nationalité nigériane et de confession "
     "catholique.", PERSON, set(), {"Lagos"}),
    # a Bantu connector between two words of a name
    ("bantu-connector", "Mme Kalala Mbuyi et M. Ilunga wa Kabeya, tous deux de nationalité congolaise, sollicitent "
     "l'exequatur.", PERSON, {"Ilunga", "wa Kabeya"}, set()),
    # a lay assessor named with his trade, then the role, in the court's composition
    ("assessor-with-trade", "Le tribunal maritime était composé de : - Mme Leroux, présidente ; - M. Garnier, juge au "
     "tribunal judiciaire, assesseur ; - M. Quéméner, administrateur principal des affaires maritimes, assesseur ; "
     "- M. Le Bihan, patron de pêche, assesseur.", MAGISTRATE, {"Quéméner", "Le Bihan"}, set()),
    ("assessor-with-trade", "Le tribunal maritime était composé de : - Mme Leroux, présidente ; - M. Quéméner, "
     "administrateur principal des affaires maritimes, assesseur ; - M. Le Bihan, patron de pêche, assesseur.", PERSON,
     set(), {"Quéméner", "Le Bihan"}),
    # a polling station's assessor stays a person
    ("assessor-with-trade", "Le tribunal relève que M. Fournel, retraité, assesseur du bureau n° 3, a tenu la liste "
     "d'émargement.", PERSON, {"Fournel"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_46_48_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
