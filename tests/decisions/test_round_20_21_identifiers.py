"""Classes of identifiers left in clear on the development rounds 20 and 21 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask
from .test_round_17_19_identifiers import _covered  # every word inside a masked span


# ------------------------------------------------------------- labelled lines of a civil-status record
@pytest.mark.parametrize("record, words", [
    ("« Nom : PHAM\nDate de naissance : sept mars mil neuf cent quatre-vingt\nLieu de naissance : Can Tho (Viêt Nam) »",
     ["sept mars", "Can Tho"]),
    ("Ho (Nom) : TRAN\nNgày sinh (né le) : 12/06/1981\n", ["12/06"]),
    ("Numele : POP\nData nașterii : 21.03.1990\nLocul nașterii : orașul Brașov, județul Brașov", ["21.03", "Brașov"]),
    ("« Nom : MARTIN / Prénom : Paul / Date du décès : 03/12/2011 / Lieu du décès : Vitrolles (Bouches-du-Rhône) »",
     ["03/12", "Vitrolles"]),
    ("Nome : Rui Lopes\nData do óbito : 27-09-2020\nLocal do óbito : freguesia de Ranhados, concelho de Viseu",
     ["27-09", "Ranhados"]),
    ("Date de naissance : 昭和58年3月14日 (14 mars 1983)", ["3月14日"]),
    ("– la copie de l'acte de naissance n° 4471 : « Le douze mai mil neuf cent soixante », et", ["douze mai"]),
])
def test_a_labelled_line_of_a_civil_status_record(rules_only, record, words):
    assert _covered(_masked(rules_only, record), *words)


def test_a_labelled_line_with_no_civil_status_word_stays(rules_only):
    masked = _masked(rules_only, "Date de l'audience : 12/05/2023\nLieu : Paris\nDate du jugement : 3/04/2022")
    assert not _covered(masked, "12/05") and not _covered(masked, "3/04")


def test_a_civil_date_contrasted_with_another(rules_only):
    masked = _masked(rules_only, "Il soutient être né le trois juin et non le neuf juillet, comme l'indique l'acte.")
    assert _covered(masked, "trois juin", "neuf juillet")


# ------------------------------------------------------------- a number after its number or document noun
@pytest.mark.parametrize("sentence, number", [
    ("Son numéro TELEPAC est le 041 228 917.", "041 228 917"),
    ("Titulaire du permis de pêche n° 3B-2001-0552, il conteste.", "3B-2001-0552"),
    ("Le numéro d'assurance sociale 612 450 877 figure au dossier.", "612 450 877"),
    ("Les fonds versés sur le compte 402-33187-6620415 ouvert à son nom.", "402-33187-6620415"),
    ("M. Ruben Claes, numéro de registre national 81.11.02-245.17, demeurant", "81.11.02-245.17"),
    ("société de droit espagnol, CIF A-39418822, dont le siège", "A-39418822"),
])
def test_a_number_after_its_noun(rules_only, sentence, number):
    assert number in _masked(rules_only, sentence)


def test_a_procedure_number_stays(rules_only):
    masked = _masked(rules_only, "Vu le pourvoi n° 21-12.345, le numéro de répertoire général 23/01234 et "
                                 "le numéro de pourvoi 2112345.")
    assert not _covered(masked, "21-12.345") and not _covered(masked, "23/01234") and not _covered(masked, "2112345")


# ------------------------------------------------------------- parcels by their number alone
def test_parcels_by_number_alone(rules_only):
    masked = _masked(rules_only, "les terres cadastrées section AB n° 21, 36 et 40 ; inscrites au livre foncier, "
                                 "feuillet n° 2208 : section 9 n° 45/3. Il dit que la parcelle 45/7 est cultivée.")
    assert {"36", "40", "2208", "45/7"} <= set(masked) and _covered(masked, "45/3")
    assert not _covered(_masked(rules_only, "les parcelles 12 et 14 d'une surface de 1 200 m²"), "1 200")


# ------------------------------------------------------------- a Canadian town with its province
def test_a_canadian_town_its_province_and_postcode(rules_only):
    masked = _masked(rules_only, "demeurant 88, rue Principale, Sherbrooke (Québec) J1H 4A7, Canada")
    assert _covered(masked, "Sherbrooke", "Québec", "J1H 4A7")


def test_a_record_date_and_its_french_writing_in_brackets(rules_only):
    masked = _masked(rules_only, "Date de naissance : 昭和58年3月14日 (14 mars de l'an 58, soit 1983)\n")
    assert _covered(masked, "3月14日", "14 mars")


# ------------------------------------------------------------- a four-digit postcode, its town and country
@pytest.mark.parametrize("lines, words", [
    ("demeurant route de Berne 14\n1610 Oron-la-Ville (VD) - SUISSE\nreprésenté par", ["1610", "Oron-la-Ville"]),
    ("Kirchgasse 7\n6850 Dornbirn, Autriche\nreprésenté par", ["6850", "Dornbirn"]),
])
def test_a_four_digit_postcode_and_its_town(rules_only, lines, words):
    assert _covered(_masked(rules_only, lines), *words)


def test_a_year_opening_a_line_is_no_postcode(rules_only):
    assert not _covered(_masked(rules_only, "Vu les pièces :\n2024 Bilan comptable\n"), "2024")


# ------------------------------------------------------------- an old-format plate after its vehicle
def test_an_old_plate_after_its_vehicle(rules_only):
    assert "4412 KT 29" in _masked(rules_only, "une remorque attelée à une camionnette 4412 KT 29, appartenant à")
    assert not _covered(_masked(rules_only, "la voiture de 2012 a parcouru 120 000 km en 12 ans"), "2012")


def test_a_split_parcel_before_a_lieu_dit(rules_only):
    masked = _masked(rules_only, "feuillet n° 3310 :\n- section 7 n° 112/4, lieu-dit Rebberg, 52 a ;")
    assert "7 n° 112/4" in masked


# ------------------------------------------------------------- a named house in lower case before the postcode
@pytest.mark.parametrize("clause, span", [
    ("demeurant ensemble maison Etxeberria\n64220 Ispoure\n", "maison Etxeberria"),
    ("demeurant chez sa mère, maison Larrondoa, chemin de Laxia, 64120 Lantabat, représentée",
     "maison Larrondoa, chemin de Laxia"),
])
def test_a_named_house_in_lower_case(rules_only, clause, span):
    assert span in _masked(rules_only, clause)


def test_a_lawyers_house_is_no_address(rules_only):
    masked = _masked(rules_only, "élisant domicile en la maison de Me Arrieta, 12 rue Pannecau\n64100 Bayonne")
    assert not _covered(masked, "Arrieta")
