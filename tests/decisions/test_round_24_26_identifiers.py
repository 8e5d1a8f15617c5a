"""Classes of identifiers left in clear on the development rounds 24 to 26 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask
from .test_round_17_19_identifiers import _covered  # every word inside a masked span


# ------------------------------------------------------------- a plate of any shape after its country
@pytest.mark.parametrize("sentence, plate", [
    ("Une Seat Ibiza immatriculée en Pologne KR 5T218 a été vue sur le parking.", "KR 5T218"),
    ("le camion immatriculé en Lettonie KTP 802 a été contrôlé à la frontière.", "KTP 802"),
    ("une Ford Focus immatriculée en Bulgarie CA 7731 PK stationnait devant chez lui.", "CA 7731 PK"),
    ("la camionnette immatriculée en Roumanie CJ 08 TVM, conduite par son frère.", "CJ 08 TVM"),
    ("il a fait immatriculer puis a immatriculé sa voiture GE 318 204 à Genève.", "GE 318 204"),
])
def test_a_plate_of_any_shape_after_its_country(rules_only, sentence, plate):
    assert _covered(_masked(rules_only, sentence), plate)


# ------------------------------------------------------------- a plate of any shape after a vehicle noun
@pytest.mark.parametrize("sentence, plate", [
    ("ORDONNE la restitution de la camionnette KR 5T218 à son propriétaire.", "KR 5T218"),
    ("le tracteur et sa remorque TM 44 BZX ont été immobilisés.", "TM 44 BZX"),
    ("la saisie du poids lourd WE 73021 a été ordonnée.", "WE 73021"),
])
def test_a_plate_of_any_shape_after_a_vehicle_noun(rules_only, sentence, plate):
    assert _covered(_masked(rules_only, sentence), plate)


@pytest.mark.parametrize("sentence, kept", [
    ("Le camion RN 113 a été dévié par la gendarmerie.", "RN 113"),
    ("Il conduisait une voiture BMW 320 de location.", "BMW 320"),
    ("La voiture A 4 places a été vendue.", "A 4"),
])
def test_no_plate_after_a_vehicle_noun_without_one(rules_only, sentence, kept):
    assert not _covered(_masked(rules_only, sentence), kept)


# ------------------------------------------------------------- an account with letters in its bank code
def test_an_account_shaped_like_an_iban_after_a_bank(rules_only):
    sentence = "Elle détient des avoirs à la Banque Atlantique, sous la référence CI93 A018 0123 4567 8901 2345 6789."
    assert _covered(_masked(rules_only, sentence), "CI93 A018 0123 4567 8901 2345 6789")


# ------------------------------------------------------------- a country's two letters before a number
def test_a_country_prefix_before_a_company_number(rules_only):
    masked = _masked(rules_only, "la société roumaine SC Carpat Logistic SRL (CUI RO 40217736) a été condamnée.")
    assert _covered(masked, "RO 40217736")


# ------------------------------------------------------------- a personal number in small groups
@pytest.mark.parametrize("sentence, number", [
    ("inscrite à la caisse de sécurité sociale sous le numéro 2 91 07 974 11 215 63, sans emploi.",
     "2 91 07 974 11 215 63"),
    ("enregistrée au registre de la famille sous le numéro 871124-2038417, la mère a comparu.",
     "871124-2038417"),
])
def test_a_personal_number_in_small_or_long_groups(rules_only, sentence, number):
    assert _covered(_masked(rules_only, sentence), number)


def test_an_overseas_social_security_number_split_after_its_department():
    from amorce.core import pii

    text = "NIR : 2 91 07 974 11 215 63"
    assert [s.text for s in pii.nir(text)] == ["2 91 07 974 11 215 63"]


# ------------------------------------------------------------- an ISO date of civil status
def test_an_iso_birth_date(rules_only):
    masked = _masked(rules_only, "Mme Odile Ferrand, née le 1981-11-04 selon son passeport, a comparu.")
    assert _covered(masked, "1981-11-04")


# ------------------------------------------------------------- a death date after a relative apposed
def test_a_death_date_after_the_relative_apposed(rules_only):
    masked = _masked(rules_only, "Elle vit seule depuis le décès de son époux, M. Gaston Vidalenc, le 14 mars 2019, à l'hôpital.")
    assert _covered(masked, "14 mars")


# ------------------------------------------------------------- a street of the facts: « cours », « route »
@pytest.mark.parametrize("sentence, street", [
    ("Les vols ont été commis sur le cours de la Libération, à la sortie du marché.", "cours de la Libération"),
    ("La camionnette a percuté, route de Kervalan, un piéton qui rentrait chez lui.", "route de Kervalan"),
    ("Il attendait sur le cours Belsunce quand la patrouille est arrivée.", "cours Belsunce"),
])
def test_a_cours_or_a_route_of_the_facts(rules_only, sentence, street):
    assert _covered(_masked(rules_only, sentence), street)


@pytest.mark.parametrize("sentence, kept", [
    ("Au cours de l'Audience, le prévenu a gardé le silence.", "Audience"),
    ("Il suivait le cours de Droit pénal à la faculté.", "Droit"),
    ("Selon sa feuille de route de la Direction, il devait partir.", "Direction"),
    ("Le code de la route de France s'applique.", "France"),
])
def test_no_street_in_cours_or_route_idioms(rules_only, sentence, kept):
    assert not _covered(_masked(rules_only, sentence), kept)


# ------------------------------------------------------------- a town with a Portuguese or Italian link
@pytest.mark.parametrize("sentence, town", [
    ("Elle est repartie vivre à Vila Franca do Campo, chez ses parents.", "Vila Franca do Campo"),
    ("Il s'est installé à Castel del Piano, où il travaille.", "Castel del Piano"),
])
def test_a_foreign_town_with_a_lower_case_link(rules_only, sentence, town):
    assert _covered(_masked(rules_only, sentence), town)


# ------------------------------------------------------------- an East-Asian date of a foreign record
@pytest.mark.parametrize("sentence, date", [
    ("l'extrait du registre mentionne (« 2011. 9. 24. ») comme date de naissance.", "9. 24"),
    ("l'acte japonais porte la date « 令和2年4月17日 ».", "4月17日"),
])
def test_an_east_asian_date(rules_only, sentence, date):
    assert _covered(_masked(rules_only, sentence), date)


# ------------------------------------------------------------- a named place after the noun of its kind
@pytest.mark.parametrize("sentence, name", [
    ("à la sortie de la messe de la chapelle de Kerdévot, il a pris le volant.", "Kerdévot"),
    ("elle a grandi au manoir familial de Lesquiffiou, près du bourg.", "Lesquiffiou"),
    ("l'enfant est né au kampu Tabiki-Olo, sur le fleuve.", "Tabiki-Olo"),
    ("le corps a été retrouvé en aval du saut Maripa par les gendarmes.", "Maripa"),
    ("le camion stationnait dans la zone portuaire de Kerbriant-Izella depuis la veille.", "Kerbriant-Izella"),
])
def test_a_named_place_after_its_kind(rules_only, sentence, name):
    assert _covered(_masked(rules_only, sentence), name)


def test_no_place_after_a_kind_before_a_person_or_a_court(rules_only):
    masked = _masked(rules_only, "La chapelle de la Cour d'appel et le manoir de M. Ferrand ont été visités.")
    assert not _covered(masked, "Cour")


# ------------------------------------------------------------- a town at a journey's end
@pytest.mark.parametrize("sentence, town", [
    ("Le camion attendait le ferry, au moment de l'embarquement pour Southampton. Le chauffeur a fui.", "Southampton"),
    ("le piéton, qui regagnait Quimperlé à pied, a été renversé.", "Quimperlé"),
])
def test_a_town_at_a_journeys_end(rules_only, sentence, town):
    assert _covered(_masked(rules_only, sentence), town)


# ------------------------------------------------------------- a compound town the gazetteer lacks, in an enumeration
def test_a_compound_town_closing_an_enumeration(rules_only):
    masked = _masked(rules_only, "Les cambriolages ont eu lieu à Quimperlé, Bannalec et Mellac-Kerbrat, la même nuit.")
    assert _covered(masked, "Mellac-Kerbrat")


def test_a_first_name_and_surname_after_a_town_stay_a_person(rules_only):
    masked = _masked(rules_only, "Il habitait à Quimperlé et Jean-Marc Le Gall, gérant, a porté plainte.")
    assert not any("Quimperlé et" in m for m in masked)


# ------------------------------------------------------------- more cues of a domicile clause abroad
@pytest.mark.parametrize("sentence, words", [
    ("M. Tamar Beridze, qui réside désormais Rustaveli Ave. 12, apt. 4, 0108 Tbilisi, a écrit au greffe.",
     ["Rustaveli Ave. 12", "apt. 4"]),
    ("sans domicile en France, dernière adresse déclarée : Rruga Myslym Shyri 8, Ap. 3, 1001 Tirana, comparant.",
     ["Rruga Myslym Shyri 8", "Ap. 3"]),
    ("déclarant résider Lagjja Kodra, Pallati 7, Ap. 2, 9401 Fier, comparant.", ["Lagjja Kodra", "Pallati 7"]),
    ("M. et Mme Roux, domiciliés tous deux Les Granges du Mollard, 4 route du Col, 38700 Sarcenas, intimés.",
     ["Les Granges du Mollard"]),
])
def test_more_cues_of_a_domicile_clause(rules_only, sentence, words):
    assert _covered(_masked(rules_only, sentence), *words)


def test_a_country_closes_a_domicile_clause(rules_only):
    masked = _masked(rules_only, "qui réside désormais 77 Queen Street, unit 2, Hamilton, au Canada, et travaille.")
    assert not _covered(masked, "Canada")


# ------------------------------------------------------------- a death date a few words after « décédé »
def test_a_death_date_a_few_words_after_deceased(rules_only):
    masked = _masked(rules_only, "son père, orpailleur, décédé écrasé sous un éboulement le douze mars deux mille un, n'a pas reconnu l'enfant.")
    assert _covered(masked, "douze mars")


def test_no_death_date_after_deceased_and_another_fact(rules_only):
    masked = _masked(rules_only, "Il est décédé depuis et le tribunal a statué le 3 mai 2020.")
    assert not _covered(masked, "3 mai")


# ------------------------------------------------------------- a caravan's pitch
@pytest.mark.parametrize("sentence, words", [
    ("vivant en caravane sur l'aire d'accueil de Penn-Ar-Hoat, emplacement n° 9, 29200 Brest, sans emploi.",
     ["Penn-Ar-Hoat", "emplacement n° 9"]),
    ("installée sur le terrain de la Briqueterie, rue des Forges, 33130 Bègles, elle a comparu.", ["Briqueterie"]),
])
def test_a_caravans_pitch(rules_only, sentence, words):
    assert _covered(_masked(rules_only, sentence), *words)


def test_a_sports_ground_is_no_pitch(rules_only):
    assert not _covered(_masked(rules_only, "Le terrain de Football du collège est fermé le dimanche."), "Football")


def test_the_vehicle_stems_find_every_vehicle_noun():
    """The plate rule after a vehicle noun is tried where a stem of VEHICLE_STEMS is (speed): the same
    matches as a plain scan, for every noun of VEHICLE_NOUNS."""
    from amorce.decisions import rules

    for noun in ("Véhicule", "vehicules", "voitures", "camionnette", "fourgonnette", "motos", "scooter", "utilitaire",
                 "automobile", "berline", "semi-remorque", "remorques", "tracteur routier", "quad", "cyclomoteur",
                 "autocar", "minibus", "citadine", "poids lourd", "camping-car"):
        text = f"la saisie de la {noun} KR 5T218 est ordonnée"
        plain = [m.span() for m in rules.PLATE_AFTER_VEHICLE_NOUN.finditer(text)]
        assert plain and plain == [m.span() for m in rules.finditer_at(
            rules.PLATE_AFTER_VEHICLE_NOUN, text, rules._vehicle_nouns(rules.folded_for_search(text)))], noun


# ------------------------------------------------------------- « -et- » inside a town's name
def test_a_town_linked_by_et_after_its_postcode(rules_only):
    masked = _masked(rules_only, "demeurant ensemble La Borie Haute, 12260 Ols-et-Rinhodes, représentés par Me Paul Vidal.")
    assert "12260 Ols-et-Rinhodes" in masked
