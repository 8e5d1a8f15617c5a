"""Classes of rounds 67 to 69, persons: a company's officer named with a compound title after a possessive
(« son administrateur délégué, M. X », « sa directrice générale déléguée, Mme Y ») is no member of the court; a
Dutch or German particle in lower case (« ten », « ter », « vom », « zur ») belongs to the surname. Invented
sentences only (never copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    ("officer-title", "La société Brabo NV, prise en la personne de son administrateur délégué, M. Joris Vandamme, "
     "représentée par Me Anne Pieters.", PERSON, {"Joris", "Vandamme"}, set()),
    ("officer-title", "La SAS Orvane, prise en la personne de sa directrice générale déléguée, Mme Ilse Peeters, a "
     "signé le bail.", MAGISTRATE, set(), {"Ilse", "Peeters"}),
    ("officer-title", "La SAS Orvane, prise en la personne de sa directrice générale déléguée, Mme Ilse Peeters, a "
     "signé le bail.", PERSON, {"Ilse", "Peeters"}, set()),
    # the court's own officers are still the court's
    ("court-kept", "Composition de la juridiction lors des débats et du délibéré :\nMme Odile Sarrat, présidente\n"
     "M. Luc Tavel, conseiller délégué", MAGISTRATE, {"Odile", "Sarrat", "Luc", "Tavel"}, set()),
    ("particle", "ENTRE : Madame Femke ten Hove, née le 29.06.1957 à Hengelo, et M. Ruud ter Laak, son voisin.",
     PERSON, {"ten Hove", "ter Laak"}, set()),
    ("particle", "la consignation que Mme ten Hove et M. Anselm vom Bruch devront verser", PERSON,
     {"ten Hove", "vom Bruch"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_67_69_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
