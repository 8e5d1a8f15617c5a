"""Classes of rounds 31 to 33 (issue 18): magistrates named by a role label inside a sentence of the
composition (« … premier conseiller. Rapporteur public : M. X »), a judge of instruction in a « Vu » clause,
signatures in single lines at the end of a decision (« Le greffier associé, P. X ⏎ Le président, A. Y »).
Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.persons import context_category
from amorce.decisions.taxonomy import MAGISTRATE


def _category(text: str, name: str, civ: str = "") -> tuple[str | None, bool]:
    start = text.index(name)
    return context_category(text, start, start + len(name), civ)


def test_role_label_inside_a_sentence_of_the_composition():
    text = ("Composition : Mme Ségolène Marivaux, présidente ; M. Ange Pelloutier, premier conseiller. "
            "Rapporteur public : M. Aurélien Castagnède. Greffier d'audience : M. Omer Villebois.\n\nVu la requête.")
    assert _category(text, "Aurélien Castagnède", "M.") == (MAGISTRATE, True)
    assert _category(text, "Omer Villebois", "M.") == (MAGISTRATE, True)
    # a label that is no court's role, or a company officer's civil status, is not the court's
    text = "La société Bâtiflex est immatriculée. Gérant : M. Aurélien Castagnède."
    assert _category(text, "Aurélien Castagnède", "M.")[0] != MAGISTRATE
    text = "La société Bâtiflex est immatriculée. Président : M. Aurélien Castagnède, né le 3 mai 1970 à Dole."
    assert _category(text, "Aurélien Castagnède", "M.")[0] != MAGISTRATE


def test_judge_of_instruction_named_after_his_role():
    text = "Vu les réquisitions du parquet ;\nVu l'ordonnance de saisine du juge d'instruction, Mme Rigaudière ;\n"
    assert _category(text, "Rigaudière", "Mme") == (MAGISTRATE, True)
    # the judge who heard a party, the party named further
    text = "Le juge d'instruction a entendu M. Rigaudière le 3 mars."
    assert _category(text, "Rigaudière", "M.")[0] != MAGISTRATE


def test_signature_in_single_lines_at_the_end():
    text = ("DIT que les dépens seront employés en frais privilégiés de procédure.\n\n"
            "Le greffier associé, P. Lasserre-Dubosc\nLe président, A. Morvan")
    assert _category(text, "Lasserre-Dubosc") == (MAGISTRATE, True)
    assert _category(text, "Morvan") == (MAGISTRATE, True)
    text = ("Rendu public par mise à disposition au greffe le 3 mars 2026.\n\n"
            "La rapporteure,\nO. Bellecombe-Raynal\nLe président,\nJ. Tisserand\nLa greffière,\nM. Vauquelin")
    assert _category(text, "Bellecombe-Raynal") == (MAGISTRATE, True)
    assert _category(text, "Tisserand") == (MAGISTRATE, True)
    # a line ending with a name in the middle of the decision, no signature next to it
    text = "Le gérant, M. Lasserre-Dubosc\na présenté les comptes de la société.\n" + "Les faits. " * 40
    assert _category(text, "Lasserre-Dubosc", "M.")[0] != MAGISTRATE
    text = "Le rapporteur, P. Lasserre-Dubosc\n" + "Les faits sont anciens. " * 20
    assert _category(text, "Lasserre-Dubosc")[0] != MAGISTRATE
