"""Classes of identifiers left in clear on the development rounds 58 to 60, one general rule each, on invented
sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # the next death of a list, its person named without a comma before « le »
    ("death-list", "M. Aymar Lesc est décédé le 2 mars 2011 et Mme Ines Lesc le 14 octobre 2018, tous deux à Tarbes.",
     "dateDeces", ["2 mars", "14 octobre"]),
    ("death-list", "M. Aymar Lesc est décédé le 2 mars 2011 et Mme Ines Lesc a été entendue le 4 mai 2012.",
     "dateDeces", ["2 mars"]),
    # a killing told in the passive after its date
    ("fatal-passive", "Le 9 janvier 2024, Dario Pinto, 27 ans, a été abattu sur un parking.", "dateDeces",
     ["9 janvier"]),
    # a housing estate named in lower case with its article (after a building, or in the facts)
    ("estate", "Mme Lina Oukaci, demeurant bâtiment F, cité des Acacias, 13015 Marseille, détenue.", "adresse",
     ["bâtiment F", "cité des Acacias"]),
    ("estate", "Le trafic de la cité des Mimosas, près du stade, était approvisionné chaque jour.", "adresse",
     ["cité des Mimosas"]),
    # a business zone after the party's name, before its numbered street
    ("zone-after-party", "Défenderesse : SAS FROIMAX, Zone Orion, 14, rue des Frênes 94150 Rungis ; représentée par "
     "Me Léa Vire.", "adresse", ["Zone Orion, 14, rue des Frênes"]),
]


@pytest.mark.parametrize(("text", "category", "found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_58_60_identifier_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found
