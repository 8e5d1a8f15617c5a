"""Classes of rounds 52 to 54 (issue 18), persons and professionals: a board's members closing a composition's
item (« Dr X, Dr Y et Dr Z, membres ; ») or listed under « Membres présents : »; the member named after « délibéré
par »; a company's president under the heading of its representatives; a first name and an initial in apposition
after a noun with an indefinite article; the first names after a word for children and its adjective of age.
Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # a disciplinary board's members closing the composition's item
    ("board-members", "Composition de la chambre : M. Hervé Lunel, président ; Dr Ilse Brosse, Dr Tomas Vergne et "
     "Dr Anaïs Godet, membres ; assistés de Mme Lina Porte, greffière.", MAGISTRATE,
     {"Ilse", "Brosse", "Tomas", "Vergne", "Anaïs", "Godet"}, set()),
    ("board-members", "M. Paul Godet et Mme Ilse Brosse, membres de l'association, ont témoigné. Le tribunal retient "
     "que M. Tomas Vergne, membre, a voté.", PERSON, {"Paul", "Godet", "Ilse", "Tomas"}, set()),
    # a sports committee's members listed under « Membres présents : »
    ("members-present", "Membres présents : M. Hervé Lunel (président de séance), Mme Ilse Brosse, M. Tomas Vergne, "
     "M. Paul Godet.\nSecrétaire de séance : Mme Lina Porte.\n", MAGISTRATE,
     {"Ilse", "Brosse", "Tomas", "Vergne", "Paul", "Godet"}, set()),
    # « délibéré par » names the board's members
    ("deliberated-by", "Ainsi fait et délibéré par Mme Ilse Brosse, première conseillère du corps des tribunaux "
     "administratifs, présidente, Mmes Lina Porte et Ana Vergne, assesseures.", MAGISTRATE, {"Ilse", "Brosse"}, set()),
    # a company's president under the heading of its representatives, after the board's hearing
    ("company-representatives", "Après avoir entendu, lors de la séance de la formation restreinte du 3 mars 2025 :\n"
     "En qualité de représentants de la société TRANSPORTS DU LAC :\n- M. Idris Malouf-Berthe, président ;\n"
     "- Me Clara Voisin, avocate au barreau de Lyon ;\n", PERSON, {"Idris"}, set()),
    ("company-representatives", "Pour la société TRANSPORTS DU LAC, en qualité de représentants :\n"
     "- M. Idris Malouf-Berthe, président ;\n", PERSON, {"Idris"}, set()),
    ("company-representatives", "COMPOSITION DE LA JURIDICTION :\n- M. Idris Malouf, président ;\n", MAGISTRATE,
     {"Idris", "Malouf"}, set()),
    # a first name and an initial in apposition after a noun with an indefinite article, and their repetition
    ("first-initial-apposition", "Au stade, une collégienne de cinquième, Maëlle T., a fait un malaise. Le "
     "témoignage de Maëlle T. est constant.", PERSON, {"Maëlle", "T."}, set()),
    ("first-initial-apposition", "Un autre surveillant, Enzo D., a confirmé les faits.", PERSON, {"Enzo", "D."}, set()),
    ("first-initial-apposition", "Il a consulté un avocat du barreau, Hugo P., le lendemain.", PERSON, set(),
     {"Hugo", "P."}),
    # first names after a word for children and its adjective of age
    ("children-adjective", "L'expulsion priverait ses trois fils mineurs, Ilyan et Sacha, de leur école.", PERSON,
     {"Ilyan", "Sacha"}, set()),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_52_54_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
