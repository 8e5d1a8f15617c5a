"""Classes of rounds 27 and 28 (issue 18): lay judges and clerks of courts and boards whose role is
written in a lay judge's college (« assesseurs consulaires », « assesseur (conseiller salarié) »,
« secrétaire greffier »), and person names left in clear. Invented sentences only (never copied from the
rounds)."""

from __future__ import annotations

from amorce.decisions.persons import context_category
from amorce.decisions.taxonomy import MAGISTRATE, PERSON

from .test_round_8_10_classes import _masked  # the texts the rules mask


def _category(text: str, name: str, civ: str = "") -> tuple[str | None, bool]:
    start = text.index(name)
    return context_category(text, start, start + len(name), civ)


# ------------------------------------------------------------------------------------ lay judges
def test_lay_judges_named_before_their_college(rules_only):
    text = ("Le tribunal de commerce mixte, composé de M. Ernest VALADIER, président, de M. Urbain MORLAAS et "
            "Mme Gilberte SOUCHON, assesseurs consulaires, assistés de Mme Nadia FERRAT, greffière.")
    assert _category(text, "Gilberte SOUCHON", "Mme") == (MAGISTRATE, True)
    assert not {"Gilberte", "SOUCHON", "Urbain", "MORLAAS"} & set(_masked(rules_only, text))
    text = "Le tribunal était composé de Mme Léone Wamytan, présidente, et de M. Joël Poadja, assesseur coutumier."
    assert _category(text, "Joël Poadja", "M.") == (MAGISTRATE, True)
    # the college the assessor comes from, in brackets or after « du »
    text = ("Formation : M. Paul Ribeyre, président ; Mme Anaïs Tessandier, assesseure (collège employeurs) ; "
            "M. Yann Dorvalle, assesseur du collège des salariés.")
    assert _category(text, "Anaïs Tessandier", "Mme") == (MAGISTRATE, True)
    assert _category(text, "Yann Dorvalle", "M.") == (MAGISTRATE, True)
    # a rural lease court's assessors
    text = ("Le tribunal paritaire, composé de M. Henri Dutal, président, M. Jean Falcou, assesseur bailleur, et "
            "M. Luc Ponsard, assesseur preneur, assistés de Mme Léa Rouvel, greffière.")
    assert _category(text, "Luc Ponsard", "M.") == (MAGISTRATE, True)
    assert _category("M. Luc Ponsard, preneur, demande la résiliation du bail.", "Luc Ponsard", "M.")[0] == PERSON
    # a labour court's bench, one member a line, the college in brackets after the role
    text = ("Bureau de jugement :\nAlphonse CARRIÈRE, président (conseiller employeur)\n"
            "Ninon BESSAC, assesseur (conseiller salarié)\nassistés de Lucie VERGNE, greffière\n")
    assert _category(text, "Ninon BESSAC") == (MAGISTRATE, True)
    # a polling station's assessor and a town councillor stay persons
    text = "Le bureau de vote était tenu par M. Anselme Bertin, assesseur du bureau n° 2."
    assert _category(text, "Anselme Bertin", "M.")[0] == PERSON
    text = "Mme Odile Marchal, conseillère municipale, a voté pour la liste."
    assert _category(text, "Odile Marchal", "Mme")[0] == PERSON


def test_the_secretary_clerk_of_a_disciplinary_board(rules_only):
    text = ("La chambre de discipline, présidée par M. Roux, et assistée de M. Théodule Marsac-Ibarra, secrétaire "
            "greffier ; Vu la plainte de M. Jacques Perrin.")
    assert _category(text, "Théodule Marsac-Ibarra", "M.") == (MAGISTRATE, True)
    masked = set(_masked(rules_only, text))
    assert not {"Théodule", "Marsac", "Ibarra"} & masked
    assert {"Jacques", "Perrin"} <= masked
    text = "La commission, présidée par M. Roux, assistée de Mme Ombeline Sauvat, secrétaire d'audience, a entendu."
    assert _category(text, "Ombeline Sauvat", "Mme") == (MAGISTRATE, True)
    assert _category("Mme Ombeline Sauvat, secrétaire de direction, a été licenciée.", "Ombeline Sauvat", "Mme")[0] == PERSON


# ------------------------------------------------------------------------------------ persons missed
def test_a_dead_person_named_after_feu(rules_only):
    text = "Le terrain lui vient de son grand-père, feu Tévita MOALA, et de sa tante, feue Losana Vake."
    assert {"Tévita", "MOALA", "Losana", "Vake"} <= set(_masked(rules_only, text))
    assert _masked(rules_only, "Il a brûlé le feu Orange au carrefour.") == []


def test_a_given_name_that_is_a_month_between_surname_and_given_name(rules_only):
    text = "Le registre est tenu par Mme XIONG Mai Yer, sœur du gérant, depuis 2019."
    assert {"XIONG", "Mai", "Yer"} <= set(_masked(rules_only, text))
    assert "Mai" not in _masked(rules_only, "M. Rochard a signé en Mai 2021 le bail.")


def test_a_nickname_in_quotes_between_first_name_and_surname(rules_only):
    text = "Elle verse l'attestation de M. Clovis « Pipo » ARMANGAU, maçon demeurant à Auch."
    assert {"Clovis", "Pipo", "ARMANGAU"} <= set(_masked(rules_only, text))
    text = "Selon Gisèle « Zaza » MORNAY, voisine, les faits sont anciens."
    assert {"Gisèle", "Zaza", "MORNAY"} <= set(_masked(rules_only, text))
    # a place or a shop named in quotes stays
    assert _masked(rules_only, "L'Hôtel « Le Récif » Bleu a fermé ses portes en 2020.") == []


def test_a_nickname_made_of_a_civility_is_one_span(rules_only):
    text = "La SARL était représentée par son gérant, M. PHAM Quang Minh, dit « Monsieur Minh », présent."
    assert "Monsieur Minh" in _masked(rules_only, text)


def test_a_lawyer_prosecuted_with_his_civil_status_is_a_person(rules_only):
    text = ("Poursuites engagées par le bâtonnier à l'encontre de Me Aurèle Mirandol, avocat au barreau de Rodez, "
            "né le 2 juin 1975 à Millau. Me Mirandol a comparu, assisté de Me Lise Cabanel, avocate au barreau de Rodez.")
    masked = set(_masked(rules_only, text))
    assert {"Aurèle", "Mirandol"} <= masked
    assert not {"Lise", "Cabanel"} & masked
    # counsel assisting a party stays counsel
    text = "Mme Inès Vidal, née le 3 mai 1980, assistée de Me Paul Rouvière, avocat au barreau de Nîmes."
    assert not {"Paul", "Rouvière"} & set(_masked(rules_only, text))
