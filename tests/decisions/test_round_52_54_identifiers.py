"""Classes of identifiers left in clear on the development rounds 52 to 54 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # IP addresses (v4, v6) in the sentence after « IP », listed after « dont » too
    ("ip-address", "Les retraits ont été faits depuis des adresses IP situées en Lettonie, dont 91.204.17.66 et "
     "5.8.77.120, sans alerte.", "numeroIdentifiant", ["91.204.17.66", "5.8.77.120"]),
    ("ip-address", "Elle s'est connectée depuis l'adresse IPv6 2a02:8428:1d2:5e01:9c1:22ff:fe10:4b2c.",
     "numeroIdentifiant", ["2a02:8428:1d2:5e01:9c1:22ff:fe10:4b2c"]),
    ("ip-address", "Le journal IP montre une connexion à 10:30:15:22 ; la version 1.2.3.4 date de 2020.",
     "numeroIdentifiant", []),
    ("ip-address", "L'IPP est de 12 %, article 1.2.3.4 du barème.", "numeroIdentifiant", []),
    # a range of street numbers before the street
    ("number-range", "Les occupants de l'entrepôt situé 21-23, rue des Tanneurs à Montreuil sont expulsés.", "adresse",
     ["21-23, rue des Tanneurs"]),
    ("number-range", "L'immeuble situé 4 à 12, avenue des Tilleuls, menace ruine.", "adresse",
     ["4 à 12, avenue des Tilleuls"]),
    ("number-range", "Les articles 2 à 5 avenue. Il habite au 14 bis rue Haute.", "adresse", ["14 bis rue Haute"]),
    # a parcel with the three digits of a city's quarter before its section
    ("quarter-parcel", "La maison est édifiée sur la parcelle cadastrée 827 H n° 45, voisine de la parcelle 827 H n° 46.",
     "cadastre", ["827 H n° 45", "827 H n° 46"]),
    # a bare handle after the account's noun, with a digit or an underscore
    ("bare-handle", "Il a transmis ses codes au compte @roi_du_fric_77. Il écrit au compte @Marie.", "siteWebSensible",
     ["@roi_du_fric_77"]),
    # an apartment's letter and number apart, in an address line
    ("apartment-letter-number", "Copie à Mme Lou Bard, appartement C 12, 8 rue des Lilas, 59000 Lille.", "adresse",
     ["appartement C 12", "8 rue des Lilas"]),
    # a death's day named right after the date
    ("death-day", "Il a écrit au bailleur le 14 mai 2022, jour du décès de son fils, puis le 3 juin 2022.", "dateDeces",
     ["14 mai"]),
    ("death-day", "Le 2 mars 2021, il a signé le bail. Il est parti au jour du décès de sa mère.", "dateDeces", []),
    # a card's number with its middle groups hidden, at the sentence's end too
    ("masked-card", "Les achats ont été réglés avec la carte 4513 XXXX XXXX 7720 puis avec la carte n° "
     "5290 •••• •••• 1184.", "compteBancaire", ["4513 XXXX XXXX 7720", "5290 •••• •••• 1184"]),
]


@pytest.mark.parametrize(("text", "category", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_52_54_identifier_classes(rules_only, text, category, expected):
    assert _by_category(rules_only, text, category) == expected
