"""Classes of identifiers left in clear on the development rounds 49 to 51 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # a handle in quotes after the account's service and a comma; a handle of words joined by dots
    ("handle-after-comma", "Il a ouvert un compte Instagram, « lina.morel.photos », puis une chaîne Telegram, "
     "« @pizza_nuit92 ».", "siteWebSensible", ["lina.morel.photos", "@pizza_nuit92"]),
    ("handle-after-comma", "Il a ouvert un compte, « Voir plus », sur le site.", "siteWebSensible", []),
    # a land named in quotes after « terre » (Polynesia, New Caledonia)
    ("quoted-land", "La terre « Vaitapu », en bord de mer, et la terre voisine « Teavaroa » sont indivises.",
     "adresse", ["Vaitapu", "Teavaroa"]),
    # a German plate whose district holds an umlaut, after « immatriculés en <pays> »
    ("plate-umlaut", "Deux remorques immatriculées en Allemagne MÜ-KR 318 et TÜ-AB 52 ont été saisies.",
     "plaqueImmatriculation", ["MÜ-KR 318", "TÜ-AB 52"]),
    # a postcode with its country's letters and its town, after « de » or « à »
    ("prefixed-postcode", "Le camion a été vendu à une société de CH-4410 Liestal, puis livré à A-6020 Innsbruck.",
     "localite", ["CH-4410 Liestal", "A-6020 Innsbruck"]),
    # a death's date after the infinitive
    ("death-infinitive", "Il est parti à Hiva Oa, où son père venait de décéder le 3 février 2024.", "dateDeces",
     ["3 février"]),
]


@pytest.mark.parametrize(("text", "category", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_49_51_identifier_classes(rules_only, text, category, expected):
    assert _by_category(rules_only, text, category) == expected
