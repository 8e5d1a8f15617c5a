"""Classes of identifiers left in clear on the development rounds 67 to 69, one general rule each, on invented
sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # parcels after an adjective, a range of parcels, a parcel's number before a place's kind
    ("parcel-adjective", "Le voisin exploite les parcelles voisines AK n° 301 et AK n° 307, issues de la division.",
     "cadastre", ["AK n° 301", "AK n° 307"]),
    ("parcel-range", "la parcelle cadastrée section ZB n° 12 à ZB n° 19, et a accordé l'autorisation", "cadastre",
     ["ZB n° 12", "ZB n° 19"]),
    ("parcel-before-place", "des coteaux à Lézat, cadastrés section ZA n° 41, ZA n° 42 et ZC n° 97, lieux-dits Le "
     "Pech et Le Bosc.", "cadastre", ["ZA n° 41", "ZA n° 42", "ZC n° 97"]),
    ("parcel-before-place", "des coteaux à Lézat, cadastrés section ZA n° 41, ZA n° 42 et ZC n° 97, lieux-dits Le "
     "Pech et Le Bosc.", "adresse", ["lieux-dits Le Pech et Le Bosc"]),
    # a hamlet of the Antilles, not a parcel's or a labour court's section
    ("hamlet-section", "Mme Lise Ramin, demeurant section Boisvin, 97129 Lamentin, présente ;", "adresse",
     ["section Boisvin"]),
    ("hamlet-section", "jugement du conseil de prud'hommes de Beaune du 14 septembre 2023, section Agriculture",
     "adresse", []),
    ("hamlet-section", "le terrain cadastré section ZA n° 12 a été vendu", "adresse", []),
    # a SIRET in its own layout, without its name and with a wrong key
    ("siret-layout", "il travaille pour la société Bâti-Nord (512 409 731 00046) depuis 2021.", "numeroSiretSiren",
     ["512 409 731 00046"]),
    # the next towns of a list after « communes de »
    ("communes-list", "un troupeau qui pâture sur les communes de Vrécourt, de Bazoilles et de Lignéville.",
     "localite", ["Vrécourt", "Bazoilles", "Lignéville"]),
]


@pytest.mark.parametrize(("text", "category", "found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_67_69_identifier_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found
