"""Classes of rounds 49 to 51 (issue 18), persons: the first parent named bare after the birth's date and place;
a party under a heading that is a role, with a birth's date; a probation counsellor; a name after « le premier
juge »; a relative named after the relation, in apposition. Invented sentences only (never copied from the
rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    # both parents named bare after the birth's place, the second followed by a trade without a comma
    ("first-parent-bare", "M. Dario Vukić, né le 2 mars 1988 à Dreux (Eure-et-Loir) de Goran Vukić et de Vesna Ilić "
     "ouvrier agricole, est prévenu.", PERSON, {"Goran", "Vesna", "Ilić"}, set()),
    ("first-parent-bare", "PRÉVENU\nVUKIĆ Dario\nné le 02/03/1988 à Dreux (Eure-et-Loir)\nde Goran Vukić et de Vesna Ilić\n"
     "ouvrier agricole, demeurant à Dreux\n", PERSON, {"Goran", "Vesna", "Ilić"}, set()),
    ("first-parent-bare", "Elle est née le 4 juin 1975 à Lille de parents inconnus et de nationalité française.",
     PERSON, set(), {"Lille"}),
    # a party listed under a role's heading (« Le ministère public » alone on its line), with a birth's date
    ("party-under-role-heading", "INTIMÉS\nLe ministère public\nMme Ida PELLERIN épouse ROUSSEL, née le 3 juin 1990 à "
     "Bayeux (Calvados), partie civile\n", PERSON, {"Ida", "PELLERIN"}, set()),
    ("party-under-role-heading", "Le greffier :\nMme Ida PELLERIN\n", MAGISTRATE, {"Ida", "PELLERIN"}, set()),
    # a probation counsellor named before her title, after « le rapport de »
    ("probation-counsellor", "Vu le rapport de M. Lucien Abadie, conseiller pénitentiaire d'insertion et de "
     "probation, du 2 mai 2025 ;", PERSON, {"Lucien", "Abadie"}, set()),
    ("probation-counsellor", "Sur le rapport de M. Lucien Abadie, conseiller, et après en avoir délibéré.",
     MAGISTRATE, {"Lucien", "Abadie"}, set()),
    # « le premier juge » is the court below: the name after it is a witness's, not the judge's
    ("first-judge", "Le témoin entendu par le premier juge, M. Ismaël ABDALLAH, ancien maire du village, a confirmé "
     "l'usage.", PERSON, {"Ismaël", "ABDALLAH"}, set()),
    # a relative named after the relation and its qualifier, in apposition between commas
    ("kin-before-name", "L'enfant a été confiée à sa tante paternelle, Maeva TEHEIURA, décédée en 2012.", PERSON,
     {"Maeva", "TEHEIURA"}, set()),
    ("kin-before-name", "Il est hébergé par son frère aîné, Karim Benali, depuis sa sortie.", PERSON,
     {"Karim", "Benali"}, set()),
    ("kin-before-name", "Il vit chez sa mère, Le Havre, depuis 2020.", PERSON, set(), {"Le Havre", "Le", "Havre"}),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_49_51_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found
