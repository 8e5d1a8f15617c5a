"""Classes of rounds 37 to 39 (issue 18), persons and professionals: a sentence whose subject is a role,
closed by a colon, is no composition line; the chair and the secretary « de séance » of a disciplinary
board. Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.taxonomy import PERSON

from .test_round_8_10_classes import _by_category, _masked  # the texts found in a category, or masked


def test_role_as_subject_of_a_sentence_closed_by_a_colon(rules_only):
    text = ("Le ministère public en sollicite la rectification : l'acte est irrégulier, et Mme Oriane Pélissard "
            "résidait alors à Lisbonne.")
    persons = _by_category(rules_only, text, PERSON)
    assert "Oriane" in persons and "Pélissard" in persons
    text = ("Le procureur de la République soutient l'appel : le bail est simulé et M. Théobald Quéméner n'a "
            "jamais résidé en France.")
    assert "Quéméner" in _by_category(rules_only, text, PERSON)
    # a composition line opened by a role and a colon stays in clear
    text = "Juge aux affaires familiales : Mme Oriane Pélissard\nGreffière : M. Théobald Quéméner"
    persons = _by_category(rules_only, text, PERSON)
    assert "Pélissard" not in persons and "Quéméner" not in persons


def test_chair_and_secretary_of_the_sitting_in_a_composition(rules_only):
    text = ("La chambre de discipline, composée de M. Aurèle Dambrine, président, et de Mme Sixtine Coatanéa, "
            "assesseure, assistée de M. Ewen Tréguier, secrétaire de séance ;")
    masked = " ".join(_masked(rules_only, text))
    assert "Tréguier" not in masked and "Dambrine" not in masked
    text = "Membres de la commission présents : Mme Sixtine Coatanéa, présidente de séance ; M. Ewen Tréguier, rapporteur."
    assert "Coatanéa" not in " ".join(_masked(rules_only, text))
    # an owners' meeting's secretary or chair is a person
    text = "L'assemblée générale des copropriétaires a désigné M. Ewen Tréguier, secrétaire de séance, puis voté les travaux."
    assert "Tréguier" in _by_category(rules_only, text, PERSON)
    text = "Mme Sixtine Coatanéa, présidente de séance, a ouvert l'assemblée générale du syndicat."
    assert "Coatanéa" in _by_category(rules_only, text, PERSON)


def test_name_quoted_right_after_the_word_for_it(rules_only):
    text = "Elle demande que soit supprimée toute mention du nom « Tranh ». Le nom « Tranh » est remplacé par celui de sa mère."
    assert _by_category(rules_only, text, PERSON).count("Tranh") == 2
    text = "Il a choisi le nom d'usage « Garnier-Lotte » ; l'enfant portera les prénoms « Anouk Maëlle »."
    persons = " ".join(_by_category(rules_only, text, PERSON))
    assert "Garnier-Lotte" in persons and "Anouk" in persons
    # a shop's or a trade's name
    text = "La société exploite un fonds sous le nom « Le Fournil de Paul » depuis 2019."
    assert _by_category(rules_only, text, PERSON) == []


def test_nicknames_chained_to_a_first_one(rules_only):
    text = "GUÉGUEN Ronan, alias « Ragnar », alias « Big Ro », né le 4 mai 1990 à Quimper, est prévenu."
    assert "Big Ro" in _by_category(rules_only, text, PERSON)
    text = "M. Ronan GUÉGUEN, surnommé « Ragnar » ou « le Doyen », né le 4 mai 1990, est prévenu."
    assert "le Doyen" in _by_category(rules_only, text, PERSON)
    # a quote after a comma and « et » is no nickname
    text = "M. Ronan GUÉGUEN, dit « Ragnar », et « la Poste » de Brest a été cambriolée."
    assert "la Poste" not in _by_category(rules_only, text, PERSON)
