"""Classes of rounds 37 to 39 (issue 18), persons and professionals: a sentence whose subject is a role,
closed by a colon, is no composition line; the chair and the secretary « de séance » of a disciplinary
board. Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.taxonomy import PERSON


def _persons(rules_only, text: str) -> list[str]:
    return [e.text for e in rules_only.detect(text, []) if e.category == PERSON]


def test_role_as_subject_of_a_sentence_closed_by_a_colon(rules_only):
    text = ("Le ministère public en sollicite la rectification : l'acte est irrégulier, et Mme Oriane Pélissard "
            "résidait alors à Lisbonne.")
    persons = _persons(rules_only, text)
    assert "Oriane" in persons and "Pélissard" in persons
    text = ("Le procureur de la République soutient l'appel : le bail est simulé et M. Théobald Quéméner n'a "
            "jamais résidé en France.")
    assert "Quéméner" in _persons(rules_only, text)
    # a composition line opened by a role and a colon stays in clear
    text = "Juge aux affaires familiales : Mme Oriane Pélissard\nGreffière : M. Théobald Quéméner"
    persons = _persons(rules_only, text)
    assert "Pélissard" not in persons and "Quéméner" not in persons


def _masked(rules_only, text: str) -> list[str]:
    return [e.text for e in rules_only.detect(text, []) if rules_only.policy.is_masked(e.category)]


def test_chair_and_secretary_of_the_sitting_in_a_composition(rules_only):
    text = ("La chambre de discipline, composée de M. Aurèle Dambrine, président, et de Mme Sixtine Coatanéa, "
            "assesseure, assistée de M. Ewen Tréguier, secrétaire de séance ;")
    masked = " ".join(_masked(rules_only, text))
    assert "Tréguier" not in masked and "Dambrine" not in masked
    text = "Membres de la commission présents : Mme Sixtine Coatanéa, présidente de séance ; M. Ewen Tréguier, rapporteur."
    assert "Coatanéa" not in " ".join(_masked(rules_only, text))
    # an owners' meeting's secretary or chair is a person
    text = "L'assemblée générale des copropriétaires a désigné M. Ewen Tréguier, secrétaire de séance, puis voté les travaux."
    assert "Tréguier" in _persons(rules_only, text)
    text = "Mme Sixtine Coatanéa, présidente de séance, a ouvert l'assemblée générale du syndicat."
    assert "Coatanéa" in _persons(rules_only, text)


def test_name_quoted_right_after_the_word_for_it(rules_only):
    text = "Elle demande que soit supprimée toute mention du nom « Tranh ». Le nom « Tranh » est remplacé par celui de sa mère."
    assert _persons(rules_only, text).count("Tranh") == 2
    text = "Il a choisi le nom d'usage « Garnier-Lotte » ; l'enfant portera les prénoms « Anouk Maëlle »."
    persons = " ".join(_persons(rules_only, text))
    assert "Garnier-Lotte" in persons and "Anouk" in persons
    # a shop's or a trade's name
    text = "La société exploite un fonds sous le nom « Le Fournil de Paul » depuis 2019."
    assert _persons(rules_only, text) == []


def test_nicknames_chained_to_a_first_one(rules_only):
    text = "GUÉGUEN Ronan, alias « Ragnar », alias « Big Ro », né le 4 mai 1990 à Quimper, est prévenu."
    assert "Big Ro" in _persons(rules_only, text)
    text = "M. Ronan GUÉGUEN, surnommé « Ragnar » ou « le Doyen », né le 4 mai 1990, est prévenu."
    assert "le Doyen" in _persons(rules_only, text)
    # a quote after a comma and « et » is no nickname
    text = "M. Ronan GUÉGUEN, dit « Ragnar », et « la Poste » de Brest a été cambriolée."
    assert "la Poste" not in _persons(rules_only, text)
