"""Classes of person names left in clear on the development rounds 20 and 21 (issue 18): civil-status
record lines and transcriptions, parents, aliases, children listed with their birth dates, an initial
before a party's surname, a name in another script, a name given after a verb of calling. Invented
sentences only (never copied from the rounds)."""

from __future__ import annotations

from .test_round_8_10_classes import _masked  # the texts the rules mask


# ------------------------------------------------------------------------------- civil-status lines
def test_the_names_after_a_parent_field_of_a_civil_status_record(rules_only):
    text = ("Extrait d'acte de naissance :\nPère : KOVÁCS Levente\nMère : SZABÓ Enikő Réka\n"
            "Le requérant sollicite la transcription.")
    masked = set(_masked(rules_only, text))
    assert {"KOVÁCS", "Levente", "SZABÓ", "Enikő", "Réka"} <= masked
    # two fields on one line, after a dash
    text = "Filiation : Père : ADEBAYO Tunde – Mère : ADEBAYO Folake, selon l'acte produit."
    assert {"Tunde", "Folake"} <= set(_masked(rules_only, text))


def test_a_field_label_translated_in_brackets(rules_only):
    text = "« Họ tên (Nom) : PHẠM Minh Châu\nBố (Père) : PHẠM Quốc Bảo\nMẹ (Mère) : VÕ Thị Lan »"
    masked = set(_masked(rules_only, text))
    assert {"PHẠM", "Minh", "Châu", "Quốc", "Bảo", "VÕ", "Thị", "Lan"} <= masked


def test_a_name_repeated_in_another_script_in_brackets(rules_only):
    text = "« Nom : NAKAMURA (中村)\nPrénom : Sakura (さくら)\nDate de naissance : 3 mai 1992 »"
    masked = set(_masked(rules_only, text))
    assert {"NAKAMURA", "中村", "Sakura", "さくら"} <= masked
    text = "M. Dmitri Orlov (Дмитрий Орлов) a produit son passeport."
    assert {"Дмитрий", "Орлов"} <= set(_masked(rules_only, text))


def test_both_parents_after_son_of(rules_only):
    text = "né le 2 mars 1990 à Braga (Portugal)\nfils de Joaquim Esteves et de Leonor Pinheiro\nde nationalité portugaise"
    masked = set(_masked(rules_only, text))
    assert {"Joaquim", "Esteves", "Leonor", "Pinheiro"} <= masked
    text = "Mme Irina Balan, née de M. Vasile Balan et de Mme Doina Rusu, demeurant à Metz."
    assert {"Doina", "Rusu"} <= set(_masked(rules_only, text))


# ------------------------------------------------------------------------------------------- aliases
def test_an_alias_after_a_wording_of_another_name(rules_only):
    text = "M. Karim Bensaid, se disant également Kerim Bensayed, né le 3 mai 1995 à Sfax."
    assert {"Kerim", "Bensayed"} <= set(_masked(rules_only, text))
    text = "Il avait été interpellé en 2022 sous l'identité de Walid Ferchichi."
    assert {"Walid", "Ferchichi"} <= set(_masked(rules_only, text))
    text = "Dit que l'enfant prendra le nom de famille de van der Meulen à compter de ce jour."
    assert "van der Meulen" in " ".join(_masked(rules_only, text))
    # a company's trade name stays
    text = "La société exploite son fonds sous le nom de Boulangerie Martin depuis 2010."
    assert "Martin" not in _masked(rules_only, text)


# ------------------------------------------------------------------------------------------ children
def test_children_first_names_in_apposition_with_their_birth_dates(rules_only):
    text = ("De leur mariage sont issus trois enfants, à savoir : Ilinca, le 4 avril 2012 à Colmar, Tudor, le "
            "9 mai 2014 à Sélestat, et Anca, le 1er juillet 2018 à Obernai. Les époux se sont séparés.")
    masked = set(_masked(rules_only, text))
    assert {"Ilinca", "Tudor", "Anca"} <= masked


# ------------------------------------------------------------------------ initials, calling names
def test_the_initial_before_a_party_surname_in_a_signature_line(rules_only):
    text = ("M. Youssef Gharbi, né le 2 juin 1990, assisté de l'interprète.\n"
            "Le retenu : Y. Gharbi     Le greffier : P. Lenoir\nM. Gharbi a refusé de signer.")
    masked = _masked(rules_only, text)
    assert "Y." in masked
    assert "M." not in masked  # a civility, not an initial


def test_a_name_given_after_a_verb_of_calling_and_a_noun(rules_only):
    text = "Dans ses messages, le père appelle l’aînée « Loulou-chan » et lui promet une visite."
    assert "Loulou-chan" in _masked(rules_only, text)


# ------------------------------------------------------------------------------------- professionals
def test_counsel_arguing_about_another_person_civil_status_stays_counsel(rules_only):
    text = ("assisté de Me Ondine Ravelet, avocate au barreau de Nîmes.\n\nMe Ravelet fait valoir que Mme Zoé Castan, "
            "née le 4 mai 1980 à Alès, demeurant à Uzès, est sa cliente.")
    masked = _masked(rules_only, text)
    assert "Ravelet" not in masked and "Castan" in masked
    # a party named with « Maître » and her own civil status stays a party
    text = "Maître Berthe Ollier, née le 2 mars 1950 à Sète, demeurant à Agde, demanderesse."
    assert "Ollier" in _masked(rules_only, text)
