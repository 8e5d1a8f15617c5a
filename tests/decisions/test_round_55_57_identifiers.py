"""Classes of identifiers left in clear on the development rounds 55 to 57 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # a birth told after its date (« Le … est né à X Y Z, fils de … »), and « naître le … »
    ("born-after-date", "Le 9 avril 2020 est née à Pornic Ysé MOREAU, fille de Mme Ilse Moreau.", "dateNaissance",
     ["9 avril"]),
    ("born-after-date", "Le 9 avril 2020 est née à Pornic Ysé MOREAU, fille de Mme Ilse Moreau.", "localite",
     ["Pornic"]),
    ("born-after-date", "Le 9 avril 2020 est née à Pornic Ysé MOREAU, fille de Mme Ilse Moreau.", PERSON,
     ["Ysé", "MOREAU", "Ilse", "Moreau"]),
    ("born-after-date", "L'acte la fait naître le 2 juin 1975 à Tunis.", "dateNaissance", ["2 juin"]),
    # a numbered road and its kilometre marker
    ("road-marker", "Le camion circulait sur la route départementale 412, au point repère 7+120, au lieu-dit Kerbras.",
     "adresse", ["route départementale 412, au point repère 7+120", "lieu-dit Kerbras"]),
    ("road-marker", "Sur la RD 18 au PR 3+450, il a freiné. L'article 12, au point 3+4 du barème.", "adresse",
     ["RD 18 au PR 3+450"]),
    # the town a numbered road leads to
    ("road-toward", "Le cycliste roulait sur la route départementale 936 en direction de Sainte-Foy-la-Grande, puis "
     "sur la RN 10 en direction de l'Espagne.", "localite", ["Sainte-Foy-la-Grande"]),
    # a spouse « du défunt » since the wedding
    ("spouse-since", "Mme Ona Decq, épouse du défunt depuis le 4 août 1999, a chiffré son préjudice.", "dateMariage",
     ["4 août"]),
]


@pytest.mark.parametrize(("text", "category", "found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_55_57_identifier_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found
