"""Classes of rounds 73 to 75 (persons, professionals, identifiers), one general rule each, on invented sentences
(never copied from the rounds): a relative of a role's holder (« le fils du président, M. X ») and a function given
to someone (« M. X comme président et Mme Y comme trésorière ») are no members of the court; the police officer who
holds the prosecution at a police court is; an item of the composition on the next line after a semicolon keeps the
line's role; Breton road words (« hent »); a town after « la commune voisine de »."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import MAGISTRATE, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    ("relative-of-role", "Les photographies prises par le fils du président, M. Gorka Etchart, montrent la barrière.",
     PERSON, {"Gorka", "Etchart"}, set()),
    ("function-given", "le conseil a désigné M. Esbrat comme président et Mme Gülay Nozières comme trésorière.",
     PERSON, {"Gülay", "Nozières"}, set()),
    ("prosecution-officer", "Audience tenue par Mme Alix Morel, juge, assistée de M. Paul Vire, greffier, en présence "
     "de M. Eneko Sarde, commissaire de police, officier du ministère public.", MAGISTRATE, {"Eneko", "Sarde"}, set()),
    ("composition-next-line", "PRÉSIDENT : Mme Jeanne Lorit, magistrat honoraire\nAssesseurs : Mme Kham FONTAN, "
     "représentant les travailleurs salariés ;\nM. Dragan VERS, représentant les employeurs\nGreffier : M. Luis CORTE",
     MAGISTRATE, {"Kham", "FONTAN", "Dragan", "VERS"}, set()),
    ("composition-next-line", "Composition : Mme A. Morel ;\nM. Paul Vire, né le 3 mai 1970 à Lyon", MAGISTRATE,
     set(), {"Paul", "Vire"}),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_73_75_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found


@pytest.mark.parametrize(
    ("text", "category", "found"),
    [
        ("Demeurant : 12, hent Lannig, 29500 Ergué-Gabéric", "adresse", ["12, hent Lannig"]),
        ("les bêtes sont à l'alpage sur la commune voisine de Villard-Reculas en juillet", "localite",
         ["Villard-Reculas"]),
    ],
    ids=["breton-road", "neighbouring-commune"],
)
def test_round_73_75_identifier_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found
