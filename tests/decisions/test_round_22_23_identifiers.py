"""Classes of identifiers left in clear on the development rounds 22 and 23 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask
from .test_round_17_19_identifiers import _covered  # every word inside a masked span


# ------------------------------------------------------------- a plate of any country after « immatriculé »
@pytest.mark.parametrize("sentence, plate", [
    ("Une Opel Corsa immatriculée en Belgique 2-HPW-317 a été retrouvée calcinée.", "2-HPW-317"),
    ("le semi-remorque immatriculé 5523 KRT (Espagne) stationnait sur l'aire.", "5523 KRT"),
    ("Le scooter immatriculé 104 822 T appartient à sa compagne.", "104 822 T"),
    ("le chalutier « Ar Vro » (immatriculé GV 771306) rentrait au port.", "GV 771306"),
    ("une camionnette immatriculée en Allemagne : M-KX 4127, conduite par lui.", "M-KX 4127"),
])
def test_a_plate_of_any_country_after_registered(rules_only, sentence, plate):
    assert _covered(_masked(rules_only, sentence), plate)


@pytest.mark.parametrize("sentence", [
    "La société, immatriculée au RCS de Lyon sous le numéro 512 448 113, a son siège à Bron.",
    "Le véhicule immatriculé en 2019 a été vendu en 2023.",
    "une société immatriculée 512 448 113 RCS Lyon",
])
def test_no_plate_after_registered_without_one(rules_only, sentence):
    masked = _masked(rules_only, sentence)
    assert not any("RCS" in m or "2019" in m or "2023" in m for m in masked)


# ------------------------------------------------------------- a foreign postcode and its town abroad
@pytest.mark.parametrize("sentence, town", [
    ("demeurant chez sa sœur, rue des Chasseurs 41, 6690 Vielsalm (Belgique), depuis mars.", "6690 Vielsalm"),
    ("domicilié Leoforos Ethnikis 88, 740 52 Plakias (Rethymno, Grèce), ingénieur.", "740 52 Plakias"),
    ("hébergé Plac Wolności 3, 38-480 Rymanów (Pologne), qui ne comparaît pas.", "38-480 Rymanów"),
])
def test_a_foreign_postcode_and_town_before_the_country(rules_only, sentence, town):
    assert _covered(_masked(rules_only, sentence), town)


def test_a_sum_before_a_bracket_is_no_postcode(rules_only):
    masked = _masked(rules_only, "Il réclame les loyers, 1200 Euros (mensuels), et les charges.")
    assert not _covered(masked, "1200")


# ------------------------------------------------------------- a foreign street word opening a domicile
def test_a_greek_street_word_opens_a_domicile(rules_only):
    masked = _masked(rules_only, "M. Nikos Papadakis, demeurant odos Ermou 27, 740 52 Plakias (Grèce), commerçant.")
    assert _covered(masked, "odos Ermou 27", "740 52 Plakias")


# ------------------------------------------------------------- a named building on an address line
@pytest.mark.parametrize("sentence, building", [
    ("il a acheté un appartement situé Immeuble Khoury, 2e étage, rue Gouraud, Gemmayzé, en 2019.", "Immeuble Khoury"),
    ("les lots n° 3 et 8 de l'immeuble Les Agaves, 14, avenue de la Mer, 83990 Saint-Tropez.",
     "immeuble Les Agaves"),
])
def test_a_named_building_on_an_address_line(rules_only, sentence, building):
    assert _covered(_masked(rules_only, sentence), building)


def test_a_building_in_prose_stays(rules_only):
    masked = _masked(rules_only, "L'immeuble Haussmannien du centre-ville a été ravalé.")
    assert not _covered(masked, "Haussmannien")


# ------------------------------------------------------------- a Polynesian land and a kilometre point
@pytest.mark.parametrize("sentence, words", [
    ("les consorts demeurent sur la terre Vaiotaha, PK 14,5 côté montagne, 98725 Tiarei.",
     ["Vaiotaha", "PK 14,5 côté montagne"]),
    ("La terre dite Tuporo, cadastrée section AH n° 12, revient aux héritiers.", ["Tuporo"]),
    ("elle habite PK 8 côté mer, à Punaauia.", ["PK 8 côté mer"]),
])
def test_a_named_land_and_a_kilometre_point(rules_only, sentence, words):
    assert _covered(_masked(rules_only, sentence), *words)


def test_an_elided_word_after_terre_is_no_land(rules_only):
    # (a sentence without its full stop, in a real decision: « … avec la terre L’absence d’une zone … »)
    masked = _masked(rules_only, "les poteaux sont en contact direct avec la terre L’absence de drainage aggrave l'usure.")
    assert not _covered(masked, "L’absence")


def test_a_kilometre_point_of_a_motorway_stays(rules_only):
    masked = _masked(rules_only, "L'accident s'est produit au PK 112 de l'autoroute A7.")
    assert not _covered(masked, "PK 112")


# ------------------------------------------------------------- a foreign land-register code
def test_a_foreign_land_register_code_and_the_next_ones(rules_only):
    masked = _masked(rules_only, "les oliveraies (KAEK 270431207019, 270431207020 et 270431207044) sont indivises.")
    assert _covered(masked, "270431207019", "270431207020", "270431207044")
    masked = _masked(rules_only, "la maison portant le code cadastral 40512890331 à Chypre")
    assert _covered(masked, "40512890331")


# ------------------------------------------------------------- a birth given, its date before or after
@pytest.mark.parametrize("sentence, date", [
    ("Le 12 octobre 2017, Mme Ferreira a donné naissance à Inès, que M. Vidal a reconnue.", "12 octobre"),
    ("Mme Lopes a accouché d'un garçon, Noah, le 2 avril 2019 à la maternité.", "2 avril"),
    ("elle a donné naissance à des jumelles le 30 juin 2021.", "30 juin"),
])
def test_the_date_of_a_birth_given(rules_only, sentence, date):
    assert _covered(_masked(rules_only, sentence), date)


def test_a_date_far_from_a_birth_given_stays(rules_only):
    masked = _masked(rules_only, "Le 12 octobre 2017, le juge a statué. Elle avait donné naissance à Inès en Italie.")
    assert not _covered(masked, "12 octobre")


# ------------------------------------------------------------- a child's first name, a date and a town
@pytest.mark.parametrize("sentence, date", [
    ("il s'occupe de sa sœur cadette Aïcha, le 9 janvier 2012 à Hayange, scolarisée en CE2.", "9 janvier"),
    ("Elle vit avec leur fille Maëlys, le 14 mai 2020 à Lorient, et son compagnon.", "14 mai"),
    ("son neveu Ilyes (le 3 août 2008, à Creil) l'héberge.", "3 août"),
])
def test_a_relative_s_first_name_with_a_date_and_town(rules_only, sentence, date):
    assert _covered(_masked(rules_only, sentence), date)


def test_a_date_after_a_relative_without_town_stays(rules_only):
    masked = _masked(rules_only, "Son fils Paul, le 3 mars 2024, a saisi le juge.")
    assert not _covered(masked, "3 mars")


# ------------------------------------------------------------- a killing before its words
def test_the_date_of_a_killing_written_before(rules_only):
    masked = _masked(rules_only, "coupable d'avoir, le 4 juillet 2024, à Sainte-Luce, volontairement donné la mort à X.")
    assert _covered(masked, "4 juillet")


# ------------------------------------------------------------- a personal number with its letter key
def test_a_personal_number_with_a_letter_key(rules_only):
    masked = _masked(rules_only, "agent inscrit sous le matricule 0071294-K, il est affecté au service.")
    assert _covered(masked, "0071294-K")


# ------------------------------------------------------------- an overseas commune GeoNames lacks
@pytest.mark.parametrize("sentence, town", [
    ("Il s'est réfugié chez sa tante, au Carbet, pendant deux semaines.", "Carbet"),
    ("Il a fui vers Macouba puis au Prêcheur.", "Prêcheur"),
    ("il est parti de Goyave en voiture.", "Goyave"),
])
def test_an_overseas_commune_missing_from_geonames(rules_only, sentence, town):
    assert _covered(_masked(rules_only, sentence), town)


# ------------------------------------------------------------- more kinds of named places
@pytest.mark.parametrize("sentence, name", [
    ("le corps a été découvert dans la mangrove de Fond-Zombi, au petit matin.", "Fond-Zombi"),
    ("les gendarmes l'ont interpellé sur l'aire de service des Cigales, vers minuit.", "Cigales"),
    ("le lot n° 12/4 de la zone foncière de Mazraat Yachouh.", "Mazraat Yachouh"),
])
def test_more_kinds_of_named_places(rules_only, sentence, name):
    assert _covered(_masked(rules_only, sentence), name)


def test_a_rest_area_of_a_motorway_in_lower_case_stays(rules_only):
    assert _masked(rules_only, "Il s'est arrêté sur l'aire de repos de l'autoroute, puis à l'aire de jeux.") == []


# ------------------------------------------------------------- a civil-status date again, in another form
def test_a_birth_date_again_in_figures(rules_only):
    masked = _masked(rules_only, "M. Diallo, né le 22 septembre 1988 à Kayes (Mali), selon son passeport (« 22/09/1988 »), "
                                 "son permis (22.09.1988) et sa carte de séjour.")
    assert _covered(masked, "22/09/1988", "22.09.1988")


def test_another_date_in_figures_stays(rules_only):
    masked = _masked(rules_only, "M. Diallo, né le 22 septembre 1988 à Kayes, a signé le 23/09/2020.")
    assert not _covered(masked, "23/09/2020")
