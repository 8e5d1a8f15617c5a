"""Classes of identifiers left in clear on the development rounds 46 to 48 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # a latitude and a longitude in degrees and minutes, each with its cardinal point
    ("gps-degrees", "Le navire était mouillé à 42°31'08\" N – 8°44'52\" E puis à 47°15,6' N – 002°41,3' W.", "adresse",
     ["42°31'08\" N – 8°44'52\" E", "47°15,6' N – 002°41,3' W"]),
    ("gps-degrees", "L'eau était à 14 °C, l'angle de 35° et le point 3 de l'arrêté.", "adresse", []),
    # decimal coordinates after « point », at the end of the sentence
    ("gps-point", "Les agents l'ont vu relever ses filets près du point 46.1234, -1.2345. Il a fui.", "adresse",
     ["46.1234, -1.2345"]),
    # a number's acronym in brackets after the number's words
    ("number-acronym", "Il a présenté son numéro personnel (EGN) 7503214567 et son numéro fiscal (RNOKPP) "
     "2987416530.", "numeroIdentifiant", ["7503214567", "2987416530"]),
    # a provisional residence permit's number
    ("residence-authorisation", "Elle est titulaire d'une autorisation provisoire de séjour n° 5512093847.",
     "numeroIdentifiant", ["5512093847"]),
    # the next plates after the plural participle
    ("plural-registered", "Deux semi-rigides immatriculés CC H41827 et CC K20915 y étaient amarrés.",
     "plaqueImmatriculation", ["CC H41827", "CC K20915"]),
]


@pytest.mark.parametrize(("text", "category", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_46_48_identifier_classes(rules_only, text, category, expected):
    assert _by_category(rules_only, text, category) == expected
