"""Classes of identifiers left in clear on the development rounds 61 to 63, one general rule each, on invented
sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # birth dates listed after « nés les », each with its year
    ("born-list", "Leurs enfants, nés les 3 mai 2009, 8 juin 2011 et 1er août 2014, vivent à Lyon.", "dateNaissance",
     ["3 mai", "8 juin", "1er août"]),
    ("born-list", "Ses fils, nés les 4 avril 2011 et 19 juin 2014, ont été entendus le 2 mars 2023.", "dateNaissance",
     ["4 avril", "19 juin"]),
    # a foreign document's numbers in the plural, after its participle, and the next ones of the list
    ("foreign-document-list", "Les tazkiras du couple, inscrites sous les numéros 2201-0331-55812, 2201-0331-55813 "
     "et 2202-0714-09921, ont été écartées.", "numeroIdentifiant",
     ["2201-0331-55812", "2201-0331-55813", "2202-0714-09921"]),
    # an identity number with its check letter after a hyphen
    ("check-letter", "Il est titulaire du document national d'identité portugais n° 17293846-Z, délivré à Braga.",
     "numeroIdentifiant", ["17293846-Z"]),
    # a widowhood dates the spouse's death
    ("widowed", "Mme Adèle Roumi, veuve depuis le 9 février 2019, vit seule.", "dateDeces", ["9 février"]),
    # a company number said to be wrong before it
    ("wrong-siret", "Les factures portaient un numéro SIRET erroné, 412 538 776 00021, et un faux logo.",
     "numeroSiretSiren", ["412 538 776 00021"]),
]


@pytest.mark.parametrize(("text", "category", "found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_61_63_identifier_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found
