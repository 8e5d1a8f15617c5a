"""Classes of identifiers left in clear on the development rounds 34 to 36 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category, _masked  # the texts the rules mask


# ------------------------------------------------------------- foreign plates listed after the country and a comma
def test_foreign_plates_listed_after_the_country(rules_only):
    masked = _masked(rules_only, "Il possède deux camions immatriculés en Bulgarie, CA 4821 KT et PB 7730 AC, saisis.")
    assert {"CA 4821 KT", "PB 7730 AC"} <= set(masked)
    # a date or a sum after the list is no plate
    assert not any("2024" in v for v in _masked(
        rules_only, "des voitures immatriculées en Pologne, WGM 41K7 et le 12 mars 2024 vendues."))


def test_a_caledonian_plate_with_a_dot(rules_only):
    assert "218.417 NC" in _masked(rules_only, "Le camion immatriculé 218.417 NC roulait sans assurance.")


# ------------------------------------------------------------- a foreign phone number with its area code in brackets
def test_a_phone_number_with_its_area_code_in_brackets(rules_only):
    assert "+1 (512) 555-0198" in _masked(rules_only, "joignable au +1 (512) 555-0198 depuis le Texas.")


# ------------------------------------------------------------- a Romanian personal numeric code
def test_a_romanian_personal_numeric_code(rules_only):
    masked = _by_category(rules_only, "M. Ilie, code numérique personnel 2750611124578, demeure à Iasi.", "numeroIdentifiant")
    assert masked == ["2750611124578"]


# ------------------------------------------------------------- parcels listed after « les numéros de parcelle »
def test_parcels_listed_after_a_plural_number_noun(rules_only):
    masked = _by_category(rules_only, "un terrain inscrit sous les numéros de parcelle 2217 et 2218, ainsi qu'un chalet.",
                          "cadastre")
    assert masked == ["2217", "2218"]
    # one parcel, then a sum: the sum stays
    assert _by_category(rules_only, "la parcelle 312 et 4 000 euros de frais.", "cadastre") == ["312"]


# ------------------------------------------------------------- a foreign cadastral reference of letters and digits
@pytest.mark.parametrize("sentence", [
    "une maison inscrite au cadastre espagnol sous la référence 4417302YJ2741N0003KL et un terrain.",
    "le bien (référence cadastrale 4417302YJ2741N0003KL) a été vendu.",
])
def test_a_foreign_cadastral_reference(rules_only, sentence):
    assert _by_category(rules_only, sentence, "cadastre") == ["4417302YJ2741N0003KL"]


def test_a_reference_outside_the_cadastre_stays(rules_only):
    assert not _by_category(rules_only, "le virement sous la référence 4417302YJ2741N0003KL a été reçu.", "cadastre")


# ------------------------------------------------------------- an English address with its flat, a US state and ZIP
def test_an_english_address_with_its_flat_and_a_us_locality(rules_only):
    text = ("Mme Ada Pike, demeurant 42 Harbor View Road, Apt. 208, Austin, TX 78701 (États-Unis d'Amérique), "
            "et propriétaire d'un studio situé 310 Ocean Circle, Suite 12 à Tampa.")
    assert set(_by_category(rules_only, text, "adresse")) >= {"42 Harbor View Road, Apt. 208", "310 Ocean Circle, Suite 12"}
    localities = _by_category(rules_only, text, "localite")
    assert "Austin, TX 78701" in localities and "Apt" not in localities


# ------------------------------------------------------------- a German street with its floor
def test_a_german_street_with_its_floor(rules_only):
    masked = _by_category(rules_only, "Frau Berger, Ahornweg 12, 3. OG, 80331 München (Allemagne), intimée.", "adresse")
    assert "Ahornweg 12, 3. OG" in masked


# ------------------------------------------------------------- a Romanian address line with « nr. », block and flat
@pytest.mark.parametrize("sentence, value", [
    ("M. Dobre, déclarant pour adresse en Roumanie strada Florilor nr. 17, bl. C4, sc. 1, et. 2, ap. 9, "
     "300011 Timișoara, intimé.", "strada Florilor nr. 17, bl. C4, sc. 1, et. 2, ap. 9"),
    ("M. Dobre, anciennement domicilié sat Poiana, nr. 88, comuna Vânători (Roumanie), appelant.", "sat Poiana, nr. 88"),
])
def test_a_romanian_address_line(rules_only, sentence, value):
    assert value in _by_category(rules_only, sentence, "adresse")


# ------------------------------------------------------------- an Andorran postcode glued to its letters
def test_an_andorran_postcode_and_its_town(rules_only):
    masked = _by_category(rules_only, "Demeurant : Carrer Major, 22, AD400 La Massana (Principauté d'Andorre)", "localite")
    assert "AD400 La Massana" in masked


# ------------------------------------------------------------- a Moroccan plate with its Arabic letter
def test_a_moroccan_plate(rules_only):
    assert "71420-أ-6" in _masked(rules_only, "la voiture immatriculée au Maroc 71420-أ-6 a percuté le mur.")


# ------------------------------------------------------------- the birth of a child, its date after « le » alone
def test_the_birth_of_a_child_dated_after_le(rules_only):
    masked = _by_category(rules_only, "elle invoque la naissance de son fils Noé le 3 mars 2025 et ses charges.",
                          "dateNaissance")
    assert masked == ["3 mars"]
    assert not _by_category(rules_only, "la naissance de la procédure le 3 mars 2025 est discutée.", "dateNaissance")


# ------------------------------------------------------------- a named tower after a numbered street
def test_a_named_tower_after_a_numbered_street(rules_only):
    text = "M. Ravi Kumar, demeurant en dernier lieu 9 rue des Forgerons, tour Bleue, 5e étage, 93200 Saint-Denis."
    assert "tour Bleue" in _by_category(rules_only, text, "adresse")
    assert not _masked(rules_only, "Le 12 mars, tour Montparnasse, il a vu 3 personnes, tour Verte, rien.")


# ------------------------------------------------------------- a lodging named without guillemets, before its room
@pytest.mark.parametrize("sentence, value", [
    ("actuellement hébergé à l'hôtel Les Pins, chambre 12, 14 avenue du Moulin, 94000 Créteil.", "Les Pins"),
    ("hébergée au centre d'hébergement et de réinsertion sociale La Halte du Port, chambre 3, 22 rue des Mouettes, "
     "76600 Le Havre.", "La Halte du Port"),
])
def test_a_lodging_named_without_guillemets(rules_only, sentence, value):
    assert value in _by_category(rules_only, sentence, "adresse")


def test_a_lodging_without_a_room_and_street_stays(rules_only):
    assert "Les Pins" not in _masked(rules_only, "Le directeur de l'hôtel Les Pins a témoigné à l'audience.")


# ------------------------------------------------------------- a road and its reference point
@pytest.mark.parametrize("sentence, value", [
    ("d'avoir, le 3 mai 2026, sur la route nationale 4, point repère 12+350, circulé à 170 km/h.",
     "route nationale 4, point repère 12+350"),
    ("contrôlé sur la RD 920, PR 7+200, dans le sens est-ouest.", "RD 920, PR 7+200"),
])
def test_a_road_and_its_reference_point(rules_only, sentence, value):
    assert value in _by_category(rules_only, sentence, "adresse")
    assert not _masked(rules_only, "Il a obtenu la note de 12+3 points au contrôle.")


# ------------------------------------------------------------- the first town of a road between two
def test_the_first_town_of_a_road_between_two(rules_only):
    masked = _by_category(rules_only, "sur la route départementale reliant Collioure à Banyuls, au lieu-dit.", "localite")
    assert "Collioure" in masked
    assert not _by_category(rules_only, "le pont reliant la France à l'Espagne est fermé.", "localite")


# ------------------------------------------------------------- a known town after a numbered street, no postcode
def test_a_known_town_after_a_numbered_street(rules_only):
    text = "le pavillon, 19 allée des Hérons, Villejuif, cadastré section AB n° 3, a été vendu."
    assert "Villejuif" in _by_category(rules_only, text, "localite")
