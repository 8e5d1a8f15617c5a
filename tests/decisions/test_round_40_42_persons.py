"""Classes of rounds 40 to 42 (issue 18), persons and professionals: a nickname between a party's name opening
its line and the birth; a role with an indefinite article; a first name quoted after « prénommé »; a married
name that is a month, in capitals; the partners of a judicial representative's firm « en la personne de ».
Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    ("nickname-before-birth", "PRÉVENU :\nKERVRAN Loïc, alias « Bouée », né le 2 avril 1996 à Lorient, détenu.",
     PERSON, {"KERVRAN", "Loïc", "Bouée"}, set()),
    ("nickname-before-birth", "Parties civiles :\nAnselme Viguerie, dit « Tonton », né le 8 mai 1961 à Rodez.",
     PERSON, {"Anselme", "Viguerie"}, set()),
    ("indefinite-role", "Aucun témoin ne confirme l'altercation. Une déléguée, Mme Soizic Prigent, affirme qu'il est "
     "resté calme.", PERSON, {"Soizic", "Prigent"}, set()),
    ("indefinite-role", "Un conseiller, M. Ruben Audoin, l'a reçu à l'agence de Morlaix.", PERSON, {"Audoin"}, set()),
    # the court's delegate, with the definite article, stays in clear
    ("indefinite-role", "Composition : le délégué, M. Ruben Audoin, assisté de Mme Soizic Prigent, greffière.",
     MAGISTRATE, {"Audoin", "Prigent"}, set()),
    ("quoted-after-prenomme", "Il a reconnu un passeur prénommé « Baran », qui l'a conduit jusqu'à la plage.",
     PERSON, {"Baran"}, set()),
    ("quoted-after-prenomme", "Une jeune femme, prénommée selon lui « Nesrîn », tenait la caisse.",
     PERSON, {"Nesrîn"}, set()),
    ("month-married-name", "Mme Gwenaëlle TANGUY épouse AVRIL est prévenue de recel.", PERSON, {"AVRIL"}, set()),
    ("month-married-name", "2) LOUARN Maëlys, épouse JUIN, née le 3 octobre 1988 à Brest, comparante.",
     PERSON, {"JUIN"}, set()),
    # a date in capitals stays
    ("month-married-name", "ARRÊT DU 14 JUIN 2025", PERSON, set(), {"JUIN"}),
    ("representatives-firm", "Le jugement a désigné la SELARL Quillévéré & Oberlé, en la personne de Me Tanguy "
     "Quillévéré, en qualité de mandataire judiciaire.", PERSON, {"Quillévéré", "Oberlé"}, set()),
    # a law firm « en la personne de » its counsel stays counsel
    ("representatives-firm", "La société Armor Pêche, représentée par la SELARL Quillévéré & Oberlé, en la personne "
     "de Me Tanguy Quillévéré, avocat au barreau de Quimper.", LAWYER, {"Quillévéré & Oberlé"}, set()),
    ("representatives-firm", "La société Armor Pêche, représentée par la SELARL Quillévéré & Oberlé, en la personne "
     "de Me Tanguy Quillévéré, avocat au barreau de Quimper.", PERSON, set(), {"Oberlé", "Quillévéré"}),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_40_42_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
