"""Classes of rounds 31 to 33 (issue 18): magistrates named by a role label inside a sentence of the
composition (« … premier conseiller. Rapporteur public : M. X »), a judge of instruction in a « Vu » clause,
signatures in single lines at the end of a decision (« Le greffier associé, P. X ⏎ Le président, A. Y »).
Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.taxonomy import MAGISTRATE

from .test_round_8_10_classes import _masked  # the texts the rules mask
from .test_round_29_30_persons import _category  # the category a name's context gives


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


# ------------------------------------------------------------------------------------ persons
def test_administrative_assistant_of_another_employer_is_a_person(rules_only):
    text = ("Par une requête enregistrée le 2 mai 2025, Mme Lorea Etcheverry, adjointe administrative principale "
            "de la commune de Biarritz, demande au tribunal d'annuler la décision.")
    assert "Etcheverry" in _masked(rules_only, text)
    text = "M. Paol Kerhervé, adjoint administratif territorial, conteste son évaluation."
    assert "Kerhervé" in _masked(rules_only, text)
    # the court's own assistant acting as clerk stays unmasked
    for text in ("en présence de Mme Lorea Etcheverry, adjointe administrative faisant fonction de greffière d'audience.",
                 "assisté de M. Sabin Urrutia, adjoint administratif principal de 2e classe, greffier."):
        assert "Etcheverry" not in _masked(rules_only, text) and "Urrutia" not in _masked(rules_only, text)


def test_notary_named_after_his_seat(rules_only):
    text = "Elle produit une attestation du notaire de Porto-Vecchio, Me Aurèle Santoni, relatant l'échec de la vente."
    assert "Santoni" in " ".join(_masked(rules_only, text))
    # counsel stays unmasked
    text = "Elle est représentée par Me Aurèle Santoni, avocat au barreau d'Ajaccio."
    assert "Santoni" not in " ".join(_masked(rules_only, text))


def test_nickname_after_a_label_or_a_contact_name(rules_only):
    text = "PRÉVENU\nNom : MARQUES TAVARES\nPrénoms : Nelson\nSurnom : « Pitbull »\nNé le : 03/02/1990 à Praia"
    assert "Pitbull" in _masked(rules_only, text)
    text = ("Les enquêteurs ont relevé des appels avec un correspondant comorien enregistré sous le nom de "
            "« Baba Ousseni », joignable au 06 12 34 56 78.")
    assert "Baba Ousseni" in " ".join(_masked(rules_only, text))
    # a company registered under a name is no person
    text = "La société est enregistrée sous le nom de « Riviera Transports » depuis 2015."
    assert "Riviera Transports" not in " ".join(_masked(rules_only, text))


def test_first_name_after_an_elided_qu(rules_only):
    # a child's first name, known from a civil status, again after « qu' »
    text = ("De leur union est née Ysaline, le 4 mars 2016 à Quimper. Le père soutient qu'Ysaline est "
            "scolarisée à Brest.")
    assert _masked(rules_only, text).count("Ysaline") == 2
    # a first name before an age, after « qu' »
    text = "La directrice signalait qu'Oriane, âgée de douze ans, ne venait plus en classe."
    assert "Oriane" in _masked(rules_only, text)


def test_children_listed_after_eldest_or_youngest(rules_only):
    text = "Ses deux aînés, Timéo et Loeiza, vivent chez leur tante à Morlaix."
    masked = _masked(rules_only, text)
    assert "Timéo" in masked and "Loeiza" in masked


def test_name_opening_its_line_subject_of_a_death_or_a_birth(rules_only):
    text = "EXPOSÉ DU LITIGE\n\nDumè Santucci di Venaco est décédé le 4 avril 2020 à Corte, laissant deux fils."
    masked = " ".join(_masked(rules_only, text))
    assert "Dumè" in masked and "Santucci" in masked
    text = "Faits\nLa Cour de cassation est née en 1790 à Paris."
    assert "Cour" not in " ".join(_masked(rules_only, text))
