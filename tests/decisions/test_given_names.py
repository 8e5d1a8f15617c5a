"""A first name + surname in capitals without civility, role words or spaCy is a person when the first name is
a given name borne in France (INSEE's list, ``persons.given_names``) or a word that is no French word (the base
model's lemmatizer lexicon); never a function word (« The LEGO »), a town, a decree's code (« Nor INTV
2119176J »), a boat's number (« Santa Maria II »), a French word before an acronym (« Dossier JAP »), a
misspelt word after a determiner (« la Soclété LOCAM ») or a foreign word before an acronym (« Sky ECC »).
Invented sentences only."""

from __future__ import annotations

import pytest

from amorce.decisions.persons.given_names import given_names, is_foreign_word, is_given_name
from amorce.decisions.taxonomy import PERSON

from .test_round_8_10_classes import _by_category


def test_a_foreign_word_is_no_french_word_town_or_function_word():
    for word in ("Ixquiel", "Théobrand", "Xqvbrt"):
        assert is_foreign_word(word), word
    for word in ("Commerce", "Dossier", "Limousin", "Relaxe", "Paris", "Lyon", "The", "Nor", "Jo"):
        assert not is_foreign_word(word), word


def test_the_list_holds_given_names_of_every_origin_and_no_function_word():
    assert len(given_names()) > 20_000
    for name in ("Marie", "Jean-Baptiste", "Ilinca", "Hatice", "Dragana", "Affoué", "Nenad"):
        assert is_given_name(name), name
    for word in ("le", "De", "The", "nor", "Vu", "Paris", "France", "Xqvbrt"):
        assert not is_given_name(word), word


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("demeurant 4 impasse des Genêts, 13100 Aix ; Ilinca VORNICU épouse TARASCO, tante de la victime, partie "
         "civile ;", {"Ilinca", "VORNICU"}),
        ("Les parents, Hatice OZDEMIRCI et son mari, sont restés à Bursa.", {"Hatice", "OZDEMIRCI"}),
        # no given name of INSEE's list, but no French word either
        ("l'étude a été confiée au géomètre Ixquiel VAUDRANGE ; son rapport est clair.", {"Ixquiel", "VAUDRANGE"}),
        ("Elle a épousé en 1961, à Dole, Théobrand SAUVEPLANE, mort depuis.", {"Théobrand", "SAUVEPLANE"}),
    ],
)
def test_a_given_name_makes_a_person_of_a_name_in_capitals(rules_only, text, found):
    assert found <= set(_by_category(rules_only, text, PERSON))


@pytest.mark.parametrize(
    "text",
    [
        "To whom it may concern: The LEGO Store project was commissioned in 2019.",
        "vu l'instruction Nor INTV 2119176J du 11 février 2022 du ministre de l'intérieur,",
        "Rendu en chambre du conseil\n\nDossier JAP n° 2025/00417 – Parquet n° 25218",
        "- Déboute la Soclété VELCORAM du surplus de ses demandes ;",
        "les échanges de la messagerie chiffrée Zorbix ECC ont été saisis.",
        "Le patron du Santa Lucrezia II, immatriculé AJ 123456, connaît la zone.",
    ],
)
def test_no_person_without_a_given_name(rules_only, text):
    assert not _by_category(rules_only, text, PERSON)
