"""Classes of identifiers left in clear on the development rounds 70 to 72, one general rule each, on invented
sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # a named place of the mountain or the coast, its kind in lower case
    ("natural-place", "le guide encadrait la descente du canyon du Marcadau, sur la commune de Cauterets.", "adresse",
     ["Marcadau"]),
    ("natural-place", "une plongée au large de la pointe de Revellata, sous l'encadrement du moniteur", "adresse",
     ["Revellata"]),
    ("natural-place", "la SARL Pépinière du Col de Vence et les Éditions du Vallon Clair", "adresse", []),
    # a postcode of six digits abroad is no French postcode ending on its last five
    ("six-digit-postcode", "tous deux domiciliés Strada Mării 14, bloc C2, apartament 5, 900512 Mangalia (Roumanie), "
     "ont formé le pourvoi", "adresse", ["Strada Mării 14, bloc C2, apartament 5"]),
    ("six-digit-postcode", "tous deux domiciliés Strada Mării 14, bloc C2, apartament 5, 900512 Mangalia (Roumanie), "
     "ont formé le pourvoi", "localite", ["900512 Mangalia"]),
]


@pytest.mark.parametrize(("text", "category", "found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_70_72_identifier_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found
