"""Classes of rounds 70 to 72, persons and professionals: people of a group named by their first names after the
word for them (« deux ouvriers de l'équipe, A et B », « ses collègues permanents A et B »); a first name alone
coordinated with a party's first name alone (« notamment A et B »); the officer of a firm of commissaires de
justice, notaries or bailiffs « en la personne de Me X » is a party, not counsel; a firm of lawyers after a party in
a plural civility list (« M. et Mme X, de la SCP A, B et C, avocat ») stays a firm. Invented sentences only (never
copied from the rounds)."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it that must be there, those that must not)
CASES = [
    ("group", "l'échafaudage avait été monté par deux ouvriers de l'équipe, Dersim et Rojhat, sans garde-corps.",
     PERSON, {"Dersim", "Rojhat"}, set()),
    ("group", "ainsi que les attestations de ses collègues permanents Rolando et Jovelyn, qui confirment les faits.",
     PERSON, {"Rolando", "Jovelyn"}, set()),
    ("group", "les salariés Renault et Peugeot ont été sollicités", PERSON, set(), {"Renault", "Peugeot"}),
    ("officer-firm", "ENTRE :\nSELARL Brume & Tarin, commissaires de justice associés, 3, place du Lavoir, 72200 La "
     "Flèche, prise en la personne de Me Ottavio Brume représentée par Me Anne Vial, avocate au barreau du Mans",
     PERSON, {"Ottavio", "Brume"}, set()),
    ("firm-after-party", "les observations de la SCP Brassac et Guérande, avocat de M. et Mme Tanaka, de la SCP "
     "Montcalm, Noailles et Jond, avocat de la société Azur,", LAWYER, {"Montcalm, Noailles et Jond"}, set()),
    ("firm-after-party", "les observations de la SCP Brassac et Guérande, avocat de M. et Mme Tanaka, de la SCP "
     "Montcalm, Noailles et Jond, avocat de la société Azur,", PERSON, {"Tanaka"}, {"Noailles", "Jond"}),
]


@pytest.mark.parametrize(("text", "category", "found", "not_found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_70_72_person_classes(rules_only, text, category, found, not_found):
    texts = set(_by_category(rules_only, text, category))
    assert found <= texts
    assert not texts & not_found


def test_a_first_name_coordinated_with_a_partys_first_name(pseudonymiser):
    # (spaCy finds « Mirela » alone; « Tadeusz » follows it by « et »)
    text = "Elle affirme que ses collègues, surtout Mirela et Tadeusz, évitaient de la laisser seule le soir."
    found = {e.text for r in pseudonymiser.pseudonymise([_decision(text)]) for e in r.entities if e.category == PERSON}
    assert {"Mirela", "Tadeusz"} <= found


@pytest.mark.parametrize(
    "text",
    [
        "sur la route nationale entre Tsingoni et Kawéni, M. G. V. regagnait son domicile.",
        "il exerce sur les sites de Saint Adrien et Lecoq depuis 2015.",
    ],
)
def test_no_coordination_after_a_word_of_place_or_within_a_full_name(pseudonymiser, text):
    found = {e for r in pseudonymiser.pseudonymise([_decision(text)]) for e in r.entities
             if e.category == PERSON and e.source == "propagation:coordination"}
    assert not found


def _decision(text):
    from amorce.decisions.schema import Decision

    return Decision(id="t", text=text)
