"""Classes of rounds 37 to 39 (issue 18), persons and professionals: a sentence whose subject is a role,
closed by a colon, is no composition line. Invented sentences only (never copied from the rounds)."""

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

