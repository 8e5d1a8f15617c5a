"""Classes of identifiers left in clear on the development rounds 29 and 30 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask


# ------------------------------------------------------------- a crypto-currency wallet, a handle, a long phone group
@pytest.mark.parametrize("sentence, value", [
    ("il a viré les fonds vers l'adresse bc1qz7xw9t3k5m2p8v6n4r0c7d9h2j5q3s8f6g4l2a ouverte sur une plateforme.",
     "bc1qz7xw9t3k5m2p8v6n4r0c7d9h2j5q3s8f6g4l2a"),
    ("versés sur le wallet 0x8Ba1f109551bD432803012645Ac136ddd64DBA72 de son associé.",
     "0x8Ba1f109551bD432803012645Ac136ddd64DBA72"),
    ("remis en USDT sur le portefeuille TRC20 TQn8mZ2kV4xR7pL9sW3cY6bF1hD5gJ8eKa le même jour.",
     "TQn8mZ2kV4xR7pL9sW3cY6bF1hD5gJ8eKa"),
    ("joint sur la messagerie (compte t.me/rafik_change_77) pour fixer le rendez-vous.", "t.me/rafik_change_77"),
    ("il lui écrivait sur wa.me/212661458203 chaque semaine.", "wa.me/212661458203"),
    ("associé au numéro +977 9841-552716 selon l'opérateur.", "+977 9841-552716"),
])
def test_a_wallet_a_handle_and_a_phone_with_a_long_group(rules_only, sentence, value):
    assert value in _masked(rules_only, sentence)


# ------------------------------------------------------------- a civil date in another calendar and its gloss
@pytest.mark.parametrize("sentence, values", [
    ("Mme Rostami, née le 21 tir 1365 du calendrier persan (12 juillet 1986) à Tabriz, a déclaré",
     ["21 tir", "12 juillet"]),
    ("avec sa fille Nasrin, née le 3 aban 1399 (24 octobre 2020), a quitté le pays", ["3 aban", "24 octobre"]),
    ("la femme qu'il a épousée le 9 baishakh 1425 du calendrier bengali, soit le 22 avril 2018, à Dacca",
     ["9 baishakh", "22 avril"]),
])
def test_a_civil_date_in_another_calendar_and_its_gregorian_gloss(rules_only, sentence, values):
    masked = _masked(rules_only, sentence)
    for value in values:
        assert value in masked


# ------------------------------------------------------------- a birth date apposed to a child's full name
def test_a_birth_date_apposed_to_a_child_full_name_after_its_kinship(rules_only):
    masked = _masked(rules_only, "son emploi stable et la naissance de leur fils Malo Dufresne Ortiz, le 2 mars 2024 "
                                 "à Lyon, ne suffisent pas.")
    assert "2 mars" in masked


# ------------------------------------------------------------- a national identity document of any wording
@pytest.mark.parametrize("sentence, number", [
    ("titulaire du document national d'identité bolivien (CI) n° 58120447, demeurant", "58120447"),
    ("muni d'une pièce d'identité équatorienne numéro 1712049935 et d'un billet", "1712049935"),
])
def test_a_national_identity_document_of_any_wording(rules_only, sentence, number):
    assert number in _masked(rules_only, sentence)


# ------------------------------------------------------------- a handle's path kept whole, a full address left to the URL rule
@pytest.mark.parametrize("sentence, value", [
    ("publiée sur le compte instagram.com/lina.ride/reels ; elle y apparaît.", "instagram.com/lina.ride/reels"),
    ("sur son profil www.tiktok.com/@kenzo.drift74 ; la vidéo", "www.tiktok.com/@kenzo.drift74"),
])
def test_a_handle_path_is_kept_whole(rules_only, sentence, value):
    assert value in _masked(rules_only, sentence)


# ------------------------------------------------------------- a named lodging, a caravan pitch, a camp shelter
@pytest.mark.parametrize("sentence, values", [
    ("M. Ilan Dorvé, demeurant au centre d'hébergement « Les Tilleuls », chambre 12, 8 rue des Prés, 69003 Lyon ;",
     ["centre d'hébergement « Les Tilleuls »", "8 rue des Prés"]),
    ("hébergée au centre d'accueil pour demandeurs d'asile « Les Acacias », 14 rue Carnot, 75011 Paris, d'où",
     ["centre d'accueil pour demandeurs d'asile « Les Acacias »", "14 rue Carnot"]),
    ("ferrailleur, domicilié aire d'accueil des Peupliers, emplacement 7, 59000 Lille, téléphone",
     ["aire d'accueil des Peupliers, emplacement 7"]),
    ("a vécu trois ans au camp de Kakuma, secteur 4, bloc 9, abri n° 212, sous la protection du HCR",
     ["secteur 4, bloc 9, abri n° 212"]),
])
def test_a_named_lodging_a_caravan_pitch_and_a_camp_shelter(rules_only, sentence, values):
    masked = " | ".join(_masked(rules_only, sentence))
    for value in values:
        assert value in masked


def test_numbered_zones_of_a_plan_stay(rules_only):
    assert not any("zone" in m for m in _masked(rules_only, "la zone 3, secteur 2 du plan local d'urbanisme"))


# ------------------------------------------------------------- a town after « détenu à », « obtenu à », a hospital's acronym
@pytest.mark.parametrize("sentence, town", [
    ("elle a appris que son frère est toujours détenu à Tabouka. Il résulte", "Tabouka"),
    ("titulaire d'un diplôme obtenu à Mbanlou, il ne justifie d'aucune expérience", "Mbanlou"),
    ("la victime, transportée au CHU de Vernazelle, a conservé une gêne", "Vernazelle"),
])
def test_a_town_after_a_word_ending_like_a_court_cue_or_a_hospital_acronym(rules_only, sentence, town):
    assert town in _masked(rules_only, sentence)


def test_a_court_seat_stays(rules_only):
    assert "Metz" not in _masked(rules_only, "Prononcé publiquement à Metz, le 3 mai 2024.")


# ------------------------------------------------------------- an address line abroad after more domicile cues
@pytest.mark.parametrize("sentence, values", [
    ("non comparant, dernier domicile déclaré Calle 45 # 12-30, interior 2, barrio El Prado, Medellín, mandat",
     ["Calle 45 # 12-30", "interior 2", "El Prado", "Medellín"]),
    ("Ils résident au village de Rampur, P.O. Kalia, Upazila Sadar, Khulna-9100.",
     ["Rampur", "P.O. Kalia", "Upazila Sadar", "Khulna-9100"]),
    ("lors d'une réunion dans leur appartement, Khiaban-e Azadi, Kuche-ye Bahar, Pelak 7, Vahed 2, à Ispahan.",
     ["Khiaban-e Azadi", "Kuche-ye Bahar", "Pelak 7", "Vahed 2", "Ispahan"]),
])
def test_an_address_line_abroad_after_more_domicile_cues(rules_only, sentence, values):
    masked = " | ".join(_masked(rules_only, sentence))
    for value in values:
        assert value in masked


def test_a_domicile_clause_stops_at_the_sentence_end(rules_only):
    masked = " | ".join(_masked(rules_only, "M. Roux, demeurant Calle 9 # 3-12, barrio Sur, à Cali. Sa sœur est venue."))
    assert "Calle 9" in masked and "sœur" not in masked


def test_an_abbreviated_street_type_is_no_sentence_end(rules_only):
    masked = " | ".join(_masked(rules_only, "Mme Irina Bodnar, domiciliée vul. Shevchenka, 14, kv. 7, Lviv, 79000 (Ukraine), a formé"))
    assert "Shevchenka" in masked and "kv. 7" in masked
