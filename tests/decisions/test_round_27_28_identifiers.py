"""Classes of identifiers left in clear on the development rounds 27 and 28 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask
from .test_round_17_19_identifiers import _covered  # every word inside a masked span


# ------------------------------------------------------------- a parcel of a numeric section before a place name
def test_a_numbered_parcel_before_a_named_place(rules_only):
    masked = _masked(rules_only, "les parcelles suivantes : - section 8 n° 412, lieu-dit Les Grands Prés, 4 ares ; "
                                 "- section 9 n° 63, lieu-dit Sous la Roche, 12 ares.")
    assert _covered(masked, "412", "63", "Prés", "Roche")
    assert "9 n° 63" in masked


# ------------------------------------------------------------- no phone number inside an account number
@pytest.mark.parametrize("sentence, iban", [
    ("versée sur son compte autrichien AT61 1904 3002 3457 3201 ; il en justifiera.", "AT61 1904 3002 3457 3201"),
    ("virement sur le compte DE71 5002 0300 0612 4488 99 ouvert à Francfort.", "DE71 5002 0300 0612 4488 99"),
])
def test_no_phone_inside_an_account_number(rules_only, sentence, iban):
    assert iban in _masked(rules_only, sentence)


# ------------------------------------------------------------- a social security number with its key after a dash
@pytest.mark.parametrize("sentence, number", [
    ("immatriculé à la sécurité sociale sous le n° 2 71 03 13 055 412 - 28 et domicilié", "2 71 03 13 055 412 - 28"),
    ("NIR : 1 58 11 69 123 088-41, sans emploi.", "1 58 11 69 123 088-41"),
])
def test_a_social_security_number_with_its_key_after_a_dash(rules_only, sentence, number):
    assert number in _masked(rules_only, sentence)


# ------------------------------------------------------------- a number on a professional roll or register
@pytest.mark.parametrize("sentence, number", [
    ("Mme Ortiz, infirmière, inscrite au tableau de l'ordre sous le n° 13/48210, exerçant à Aix.", "13/48210"),
    ("M. Ferrand, géomètre-expert inscrit à l'ordre des géomètres sous le numéro G4471, a dressé le plan.", "G4471"),
    ("masseur-kinésithérapeute inscrit au tableau de la section B sous le n° 214 883, demeurant", "214 883"),
    ("la SARL Ponant, immatriculée au répertoire des métiers sous le n° 2021 A 0388, représentée", "2021 A 0388"),
])
def test_a_number_on_a_professional_roll_or_register(rules_only, sentence, number):
    assert number in _masked(rules_only, sentence)


@pytest.mark.parametrize("sentence, kept", [
    ("l'affaire a été inscrite au répertoire général sous le n° 24/01872. Le tribunal", "24/01872"),
    ("la requête, enregistrée au greffe sous le n° 2304471, tend à", "2304471"),
    ("l'acte a été enregistré au service de la publicité foncière sous le n° 2019 P 4521.", "2019 P 4521"),
])
def test_no_register_number_for_a_case_or_a_deed(rules_only, sentence, kept):
    assert not _covered(_masked(rules_only, sentence), kept)


# ------------------------------------------------------------- a company number of an overseas register
def test_a_company_number_after_an_acronym_beginning_like_nor(rules_only):
    masked = _masked(rules_only, "La SAS PÊCHERIES DU NORD, RIDET n° 0 987 654.002, dont le siège est à Koné.")
    assert _covered(masked, "987", "654.002")


# ------------------------------------------------------------- overseas phone numbers in pairs
@pytest.mark.parametrize("sentence, phone", [
    ("demeurant village de Vaitupu, 98610 Alo, téléphone 72 09 55, comparant en personne", "72 09 55"),
    ("domiciliée lot n° 4, 98860 Koné, 47 22 81, tiare.w@mail.nc, représentée par", "47 22 81"),
    ("joignable à l'adresse h.kalo@web.nc, 25 18 93 47, après 17 heures", "25 18 93 47"),
])
def test_overseas_phone_numbers_in_pairs(rules_only, sentence, phone):
    assert phone in _masked(rules_only, sentence)


def test_no_phone_for_a_date_before_an_email(rules_only):
    assert not _covered(_masked(rules_only, "courrier du 04 11 2023, greffe@justice.fr"), "2023")


# ------------------------------------------------------------- civil dates: customary union, death fixed, birth name
@pytest.mark.parametrize("sentence, day", [
    ("M. Wanakam et Mme Ihage se sont unis coutumièrement le 14 août 2009 à Tiendanite.", "14 août"),
    ("les époux s'étaient unis selon la coutume kanak le 2 février 1998 ;", "2 février"),
    ("leur union coutumière a été célébrée le 30 juin 2011 à la tribu de Saint-Louis.", "30 juin"),
    ("le décès de M. Ledru a été fixé au 9 janvier 2021 par le jugement déclaratif.", "9 janvier"),
    ("Mme Solène Ravel, née Guérin le 11 avril 1958 à Vannes, veuve", "11 avril"),
])
def test_civil_dates_of_union_death_fixed_and_after_a_birth_name(rules_only, sentence, day):
    assert day in _masked(rules_only, sentence)


def test_no_marriage_date_after_a_country_name(rules_only):
    assert "3 mai" not in _masked(rules_only, "Le traité signé par les États-Unis le 3 mai 2020 est invoqué.")


# ------------------------------------------------------------- a foreign plate after a vehicle noun and its nationality
@pytest.mark.parametrize("sentence, plate", [
    ("les cartons ont été chargés dans un camion polonais WGM 41K7 stationné rue du Port.", "WGM 41K7"),
    ("la police a suivi une camionnette belge 1-VKT-448 jusqu'à la frontière.", "1-VKT-448"),
    ("le prévenu conduisait une voiture italienne GF 512 TR lors du contrôle.", "GF 512 TR"),
])
def test_a_foreign_plate_after_a_vehicle_noun_and_its_nationality(rules_only, sentence, plate):
    assert plate in _masked(rules_only, sentence)


def test_no_plate_after_a_vehicle_noun_and_another_adjective(rules_only):
    assert not _covered(_masked(rules_only, "il a acheté une voiture électrique ZOE 50 d'occasion."), "ZOE")


# ------------------------------------------------------------- a foreign address line, number after the street
@pytest.mark.parametrize("sentence, words", [
    ("demeurant ensemble chemin des Vignes 42, CH-1260 Nyon (Vaud), représentés par", ["Vignes", "42", "Nyon"]),
    ("dont le siège est Kaya Grandi 7, Otrobanda, Willemstad, Curaçao, représentée par", ["Grandi", "7", "Otrobanda"]),
    ("demeurant #27 Front Street, Philipsburg, Sint Maarten (Caraïbe néerlandaise), appelant", ["27", "Front"]),
    ("demeurant Am Markt 3, 77694 Kehl am Rhein (Allemagne) ; intimé", ["Markt", "Kehl", "am", "Rhein"]),
])
def test_a_foreign_address_line_with_the_number_after_the_street(rules_only, sentence, words):
    assert _covered(_masked(rules_only, sentence), *words)


@pytest.mark.parametrize("sentence, box", [
    ("adresse postale P.O. Box 5512, téléphone", "P.O. Box 5512"),
    ("boîte aux lettres Postfach 1180, 78001 Villingen", "Postfach 1180"),
])
def test_a_post_office_box_abroad(rules_only, sentence, box):
    assert box in _masked(rules_only, sentence)


# ------------------------------------------------------------- a place named in quotes after its kind
def test_a_place_named_in_quotes_after_its_kind_and_again(rules_only):
    masked = _masked(rules_only, "il a bâti sur la parcelle familiale dite « Mata Utu Lalo », reçue de son oncle. "
                                 "L'expert a visité la maison édifiée sur « Mata Utu Lalo » en mars.")
    assert masked.count("Mata Utu Lalo") == 2


def test_a_named_home_after_a_domicile_cue(rules_only):
    masked = _masked(rules_only, "Mme Kuntz, demeurant EHPAD « Les Mésanges », 4 rue du Lac, 67000 Strasbourg")
    assert _covered(masked, "EHPAD", "Mésanges")
    assert not _covered(_masked(rules_only, "le terrain « constructible » au sens du PLU"), "constructible")


# ------------------------------------------------------------- towns after weak cues
@pytest.mark.parametrize("sentence, town", [
    ("il exploite des vignes en fermage sur Pommard et Volnay depuis 2012.", "Volnay"),
    ("le navire a sombré à deux milles du Diamant, selon le rapport.", "Diamant"),
    ("sa fille est scolarisée à Eu depuis septembre.", "Eu"),
    ("les faits commis à Thionville et à Esch et Mondercange (Luxembourg) ont été", "Mondercange"),
    ("il réside au Noirmont (Suisse) depuis dix ans.", "Noirmont"),
    ("la marchandise a été déchargée au terminal de Jarry, puis", "Jarry"),
    ("les relevés de la station météorologique de Tiéti montrent", "Tiéti"),
    ("il pêche au départ du wharf de Tadine.", "Tadine"),
    ("Élections municipales des Hauts-Bois-sur-Loue", "Hauts-Bois-sur-Loue"),
])
def test_towns_after_weak_cues(rules_only, sentence, town):
    assert _covered(_masked(rules_only, sentence), town)


@pytest.mark.parametrize("sentence, kept", [
    ("la Maison de Justice et du Droit a reçu la plainte.", "Justice"),
    ("il a rencontré Me Durand à Me Lyon", "Me"),
])
def test_no_town_after_weak_cues_for_common_nouns(rules_only, sentence, kept):
    assert not _covered(_masked(rules_only, sentence), kept)


# ------------------------------------------------------------- a road's kilometre point as its number
def test_a_kilometre_point_as_a_street_number(rules_only):
    masked = _masked(rules_only, "demeurant lieu-dit Bellevue, PK 12,5 route de Saül, 97317 Apatou, comparant")
    assert _covered(masked, "PK 12,5 route de Saül")
