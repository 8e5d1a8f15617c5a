"""Classes of errors left on the development rounds 15 and 16 (issue 18), one rule each, on invented
sentences (never copied from the rounds): general rules, checked on names and places of our own."""

from __future__ import annotations

from amorce.decisions.persons import context_category
from amorce.decisions.taxonomy import MAGISTRATE

from .test_round_8_10_classes import _masked  # the texts the rules mask


def _category(text: str, name: str, before: str = "") -> str | None:
    start = text.index(name)
    return context_category(text, start, start + len(name), before)[0]


# ------------------------------------------------------------------------------------ professionals
def test_a_signature_block_in_columns_with_compound_initials_names_the_bench():
    text = ("Ainsi jugé à Mâcon.\n\nLa greffière,                    Le juge-commissaire,\n"
            "M. Ferrandou                    P.-Y. Lestrade\n")
    assert _category(text, "Ferrandou", "M.") == MAGISTRATE
    assert _category(text, "Lestrade", "P.-Y.") == MAGISTRATE


def test_a_role_heading_with_a_comma_then_a_signed_name_is_the_bench():
    text = "Ainsi jugé à Mâcon.\n\nLe greffier,\nSigné : Ludovic Marsaud-Tessier"
    assert _category(text, "Ludovic Marsaud-Tessier") == MAGISTRATE
    # a party named on the line after « la greffière, » in running text stays a person
    text = "La requête a été remise à la greffière,\nMme Odile Varenne l'ayant signée le 3 mai.\n"
    assert _category(text, "Odile Varenne", "Mme") != MAGISTRATE
    text = "Elle a écrit à la présidente,\nSignalant que Mme Odile Varenne était absente.\n"
    assert _category(text, "Odile Varenne", "Mme") != MAGISTRATE


# ------------------------------------------------------------------------------------------ persons

def test_children_introduced_by_sont_nes_are_persons(rules_only):
    text = ("De l'union de M. Berthoud et de Mme Lagrive sont nés Ophélie, le 3 juin 2012, et Timéo, le "
            "9 avril 2016. La mère s'oppose à ce que Timéo voie son père.")
    masked = _masked(rules_only, text)
    assert masked.count("Ophélie") == 1 and masked.count("Timéo") == 2
    # a place after « sont nés » is no child (« sont nés à Nantes » is lower-case anyway)
    assert "Les" not in _masked(rules_only, "Ils sont nés Les Sables-d'Olonne selon l'acte.")


def test_every_first_name_of_a_name_record_on_one_line(rules_only):
    text = "PRÉVENU :\nNom : KOWALCZYK Prénoms : Radoslaw, Tadeusz\nNé le 04/05/1988 à Lublin\n"
    masked = _masked(rules_only, text)
    assert "Radoslaw" in masked and "Tadeusz" in masked and "Prénoms" not in masked


def test_an_accomplice_known_only_as_un_nomme_in_quotes(rules_only):
    text = "Le véhicule était conduit par un comparse, un nommé « Gédéon », jamais retrouvé."
    assert "Gédéon" in _masked(rules_only, text)


# -------------------------------------------------------------------------------------- identifiers
def test_a_remarriage_dates_and_places_a_marriage(rules_only):
    text = "Il s'est remarié le 1er mars 2019 à Carpentras avec Mme Odile Fresnay."
    masked = _masked(rules_only, text)
    assert "1er mars" in " ".join(masked) or ("1er" in masked and "mars" in masked)
    assert "Carpentras" in masked


def test_the_opening_of_a_succession_dates_a_death(rules_only):
    text = "La succession étant ouverte depuis le 14 mai 2020, l'action est recevable."
    assert "14 mai" in " ".join(_masked(rules_only, text))


def test_a_health_professional_number_after_its_name(rules_only):
    text = "M. Ilan Vasseur, masseur-kinésithérapeute, RPPS n° 10105566778, exerçant à Vierzon, a été entendu."
    assert "10105566778" in _masked(rules_only, text)
    assert "189912345" in _masked(rules_only, "Mme Lise Caron, infirmière (numéro ADELI : 189912345).")
