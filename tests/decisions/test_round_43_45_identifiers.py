"""Classes of identifiers left in clear on the development rounds 43 to 45 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # an English street with a French apartment, its town alone on the next line, the country in brackets
    ("english-street-town-line", "APPELANTE :\nMadame Inga BERGSDÓTTIR\n1204 Maple Avenue, appartement 12\nMoncton "
     "(Nouveau-Brunswick, Canada)\nReprésentée par Me Paul Roux", "adresse", ["1204 Maple Avenue, appartement 12"]),
    ("english-street-town-line", "APPELANTE :\nMadame Inga BERGSDÓTTIR\n1204 Maple Avenue, appartement 12\nMoncton "
     "(Nouveau-Brunswick, Canada)\nReprésentée par Me Paul Roux", "localite", ["Moncton"]),
    # a Belgian letter box after its numbered street, a four-digit postcode next
    ("belgian-box", "Monsieur Luc Dumont\nAvenue des Tilleuls 14, boîte 2\n4000 Liège (Belgique)", "adresse",
     ["Avenue des Tilleuls 14", "boîte 2"]),
    ("belgian-box", "Le scellé n° 4, boîte 3, contenait un couteau.", "adresse", []),
    # « vit en/au <pays>, » opens a domicile clause abroad, as « vivant » does
    ("lives-abroad-clause", "Son frère, M. Tanguy Le Roux, qui vit au Vietnam, Duong Nguyen Trai so 14, 70000 Ho Chi "
     "Minh-Ville, a écrit au juge.", "adresse", ["Duong Nguyen Trai so 14"]),
    ("lives-abroad-clause", "Elle vit en couple depuis 2019, a deux enfants.", "adresse", []),
    # an old-format plate right after « véhicule »
    ("old-plate-after-vehicle", "Les voisins ont vu le véhicule 4417 RK 29 garé devant l'école de Quimper.",
     "plaqueImmatriculation", ["4417 RK 29"]),
    # a cove, a business park: kinds of named place
    ("place-kinds", "La parcelle domine l'anse de Figuiera et jouxte la zone d'activités de Tragone.", "adresse",
     ["Figuiera", "Tragone"]),
    # a property « dite » by its name in quotes
    ("quoted-property", "Sur le terrain est édifiée la maison dite « Villa Stella », louée l'été.", "adresse",
     ["Villa Stella"]),
    # a named reception centre before its numbered street, no room between (not a town hall)
    ("lodging-before-street", "M. Ali Rahimi, hébergé au centre d'accueil de demandeurs d'asile Le Mistral, 12 impasse "
     "des Cigales, 13300 Salon, est présent.", "adresse", ["Le Mistral", "12 impasse des Cigales"]),
    ("lodging-before-street", "La réunion s'est tenue à l'Hôtel de Ville, 3 place de la Mairie, 29000 Quimper.",
     "adresse", ["3 place de la Mairie"]),
    # a southern European street, its number after its name, right before its postcode and town (not « via X »
    # in prose)
    ("latin-street", "Le paiement est passé via Paypal 3 fois.", "adresse", []),
    ("latin-street", "- la Banca Agricola Lombarda, via Garibaldi 42 20121 Milano (Italie), non comparante ;",
     "adresse", ["via Garibaldi 42"]),
    ("latin-street", "- la société Beta, calle Mayor 12, 28013 Madrid (Espagne), non comparante ;", "adresse",
     ["calle Mayor 12"]),
    # a spouse « depuis » the wedding's date
    ("spouse-since", "- M. Jonas Keller, né le 3 mars 1958 à Bâle (Suisse), son époux depuis le 14 août 1982, "
     "demeurant ensemble.", "dateMariage", ["14 août"]),
]


@pytest.mark.parametrize(("text", "category", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_43_45_identifier_classes(rules_only, text, category, expected):
    assert _by_category(rules_only, text, category) == expected
