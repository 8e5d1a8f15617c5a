"""Classes of identifiers left in clear on the development rounds 31 to 33 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask


# ------------------------------------------------------------- a civil date with a Portuguese, Spanish or Italian month
@pytest.mark.parametrize("sentence, value", [
    ("M. Duarte Lameiras, né le 9 de fevereiro de 1968 à Braga (Portugal), ouvrier.", "9 de fevereiro"),
    ("Mme Inés Carrasco, née le 27 de noviembre de 1990 à Cáceres (Espagne), sans emploi.", "27 de noviembre"),
    ("M. Piero Tanzi, né le 4 settembre 1959 à Cuneo (Italie), retraité.", "4 settembre"),
    ("les époux, mariés le 11 de julho de 2001 à Viseu, vivent séparés.", "11 de julho"),
])
def test_a_civil_date_with_a_foreign_month(rules_only, sentence, value):
    assert value in _masked(rules_only, sentence)


def test_a_foreign_month_outside_a_civil_date_stays(rules_only):
    assert not any("marzo" in v for v in _masked(rules_only, "La réunion du 3 de marzo de 2024 a été annulée."))


# ------------------------------------------------------------- a date of another calendar written in several words
def test_a_foreign_calendar_date_of_several_words_and_its_gloss(rules_only):
    masked = _masked(rules_only, "M. Issoufa, né le 2 du mois de chawwal 1402 de l'hégire (23 juillet 1982) à Moroni.")
    assert {"2 du mois de chawwal", "23 juillet"} <= set(masked)


# ------------------------------------------------------------- an account or card number in groups of four, no country code
@pytest.mark.parametrize("sentence, value", [
    ("des virements sur le compte de sa sœur (6011 2390 4471 0568 21) tous les mois.", "6011 2390 4471 0568 21"),
    ("versés sur une carte bancaire chinoise 6259 0411 7302 5586 ouverte à Wenzhou.", "6259 0411 7302 5586"),
])
def test_an_account_number_in_groups_of_four(rules_only, sentence, value):
    assert value in _masked(rules_only, sentence)


def test_groups_of_four_without_a_bank_cue_stay(rules_only):
    assert not _masked(rules_only, "Les frais s'élèvent à 1200 1300 1400 1500 selon les années.")


# ------------------------------------------------------------- a national phone number not written in pairs
@pytest.mark.parametrize("sentence, value", [
    ("demeurant 12 Ivy Lane, Bristol BS3 1AA (Royaume-Uni), tél. 07911 123 456, intimée.", "07911 123 456"),
    ("joignable au 0151 223 4567 depuis Hambourg.", "0151 223 4567"),
])
def test_a_phone_number_in_groups_other_than_pairs(rules_only, sentence, value):
    assert value in _masked(rules_only, sentence)


# ------------------------------------------------------------- a street of Eastern Europe or Italy, a German street
@pytest.mark.parametrize("sentence, value", [
    ("la société TOV Dnipro Agro, dont le siège est vulytsia Shevchenka 18, ofis 4, 49000 Dnipro, a cessé.",
     "vulytsia Shevchenka 18"),
    ("il a gardé une adresse en Ukraine, prospekt Peremohy 52, kvartyra 17, 03680 Kyiv, où vit sa mère.",
     "prospekt Peremohy 52"),
    ("et son établissement secondaire 14 Lindenstraße, 79576 Weil am Rhein (Allemagne) ; gérant : M. Roth.",
     "14 Lindenstraße"),
    ("domicilié Goethestrasse 27, 8001 Zurich (Suisse), il a relevé appel.", "Goethestrasse 27"),
])
def test_a_foreign_street_type(rules_only, sentence, value):
    assert any(value in v for v in _masked(rules_only, sentence))


# ------------------------------------------------------------- the town after a village hall or a border post
@pytest.mark.parametrize("sentence, value", [
    ("la rixe a éclaté devant la salle des fêtes de Montbrison, après le bal.", "Montbrison"),
    ("le camion a été retenu deux jours au poste-frontière de Medyka.", "Medyka"),
])
def test_the_town_of_a_village_hall_or_a_border_post(rules_only, sentence, value):
    assert value in _masked(rules_only, sentence)


# ------------------------------------------------------------- foreign plates listed in brackets after « immatriculés en X »
def test_foreign_plates_listed_in_brackets(rules_only):
    masked = _masked(rules_only, "deux camions immatriculés en Moldavie (KR 3391 TB et CH 5027 AX) ont été saisis.")
    assert {"KR 3391 TB", "CH 5027 AX"} <= set(masked)
    # a company's register number in brackets is no plate
    assert "B 123456" not in _masked(rules_only, "la société, immatriculée au Luxembourg (B 123456), a cessé.")


# ------------------------------------------------------------- the French gloss of an East-Asian birth date
def test_the_gloss_of_a_kanji_birth_date(rules_only):
    masked = _masked(rules_only, "M. Chen Bo, né le 1979年11月2日 (soit le 2 novembre 1979) à Wenzhou, gérant.")
    assert {"11月2日", "2 novembre"} <= set(masked)


# ------------------------------------------------------------- the town a person left
def test_the_town_a_person_left(rules_only):
    assert "Chenôve" in _masked(rules_only, "la victime a quitté Chenôve l'an dernier pour s'éloigner de lui.")


def test_an_english_word_with_a_year_is_no_german_street(rules_only):
    assert not any("Spring" in v for v in _masked(rules_only, "Le salon Tech Spring 2024 a réuni les exposants."))
