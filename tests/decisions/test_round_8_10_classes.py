"""Classes of errors left on the development rounds 8 to 10 (issue 18), one rule each, on invented
sentences (never copied from the rounds): general rules, checked on names and places of our own."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import LAWYER, MAGISTRATE, PERSON


def _by_category(rules_only, text: str, category: str | None) -> list[str]:
    """The texts found in a category, or masked (``None``)."""
    return [e.text for e in rules_only.detect(text, [])
            if (rules_only.policy.is_masked(e.category) if category is None else e.category == category)]


def _masked(rules_only, text: str) -> list[str]:
    return _by_category(rules_only, text, None)


# ----------------------------------------------------------------------------- civil-status dates
def test_the_day_of_a_civil_status_date_written_in_words(rules_only):
    text = ("Mme Léontine Rabier, née le vingt-deux août 1977 à Figeac, et M. Basile Rabier, né le premier "
            "octobre 1975, mariés le trente et un mai 2003 à Cahors ; sa mère, décédée le dix-huit mars 1999.")
    masked = _masked(rules_only, text)
    assert {"vingt-deux août", "premier octobre", "trente et un mai", "dix-huit mars", "Figeac", "Cahors"} <= set(masked)
    # a date in words that is no civil-status date stays
    assert "quinze avril" not in _masked(rules_only, "L'audience du quinze avril 2024 a été renvoyée.")


# ----------------------------------------------------------------------------------- identifiers
def test_old_format_and_overseas_plates_in_the_sentence_of_their_cue(rules_only):
    text = ("Le fourgon portait à l'origine l'immatriculation 5127 KT 33. La fiche d'immatriculation indique un "
            "précédent numéro, 904 DHR 59, et le quad immatriculé 271449 NC a heurté le camion immatriculé "
            "305 118 NC ; carnet établi sous l'ancienne immatriculation 6612 PL 973.")
    masked = _masked(rules_only, text)
    assert {"5127 KT 33", "904 DHR 59", "271449 NC", "305 118 NC", "6612 PL 973"} <= set(masked)
    assert not _masked(rules_only, "La société immatriculée au registre le 3 mars a payé 1 200 euros en 2024.")


def test_personal_numbers_after_their_name(rules_only):
    text = ("Mme Pua Tehei produit son numéro d'allocataire 5529031 K et le titre de voyage n° TV 1182734 ; "
            "elle est affiliée à la CAFAT sous le n° 0977 4120 ; ses fils ont les passeports ivoiriens n° "
            "18AB22013 et 18AB22014. Elle était rémunérée par chèque emploi service (numéro d'employeur "
            "Y88213405). Joignable au 89 40 12 77.")
    masked = _masked(rules_only, text)
    assert {"5529031 K", "TV 1182734", "0977 4120", "18AB22013", "18AB22014", "Y88213405", "89 40 12 77"} <= set(masked)


def test_a_belgian_company_number(rules_only):
    text = "la société Brasserie du Hainaut, inscrite à la Banque-Carrefour des Entreprises sous le numéro 0845.112.379"
    assert "0845.112.379" in _masked(rules_only, text)


# ----------------------------------------------------------------------------------- persons
def test_the_head_of_a_company_presided_by_someone_is_a_person(rules_only):
    text = "employé par la société Menuiserie Vendéenne, présidée par M. Octave LAMBRECHT, en qualité de menuisier"
    assert {"Octave", "LAMBRECHT"} <= set(_by_category(rules_only, text, PERSON))
    bench = "Audience publique présidée par M. Octave LAMBRECHT, conseiller"
    assert "LAMBRECHT" in _by_category(rules_only, bench, MAGISTRATE)


def test_the_partners_of_a_liquidators_firm_named_before_the_appointment(rules_only):
    text = "Me Clarisse VOUTAZ, de la SELARL Voutaz & Benvenuti, ayant été désignée liquidateur"
    assert {"Voutaz", "Benvenuti"} <= set(_by_category(rules_only, text, PERSON))


# ----------------------------------------------------------------------------------- professionals
def test_an_asylum_courts_lay_members_are_the_bench(rules_only):
    text = ("la formation de jugement, dans laquelle siégeaient :\n- M. Aurèle Vantomme, président ;\n"
            "- Mme Clothilde Aubrac, personnalité nommée par le haut-commissaire des Nations unies pour les "
            "réfugiés ;\n- M. Ignace Pelloquin, personnalité nommée par le vice-président du Conseil d'État ;")
    assert {"Clothilde", "Aubrac", "Ignace", "Pelloquin"} <= set(_by_category(rules_only, text, MAGISTRATE))


def test_judges_enumerated_with_et_de_after_the_president(rules_only):
    text = ("Audience présidée par M. Lucien FRAMBOISE, vice-président, assisté de Mme Irène VALCOURT et de "
            "M. Pascal DUMERLE, juges, et de Mme Agnès PITOU, greffière.")
    assert {"Irène", "VALCOURT", "Pascal", "DUMERLE"} <= set(_by_category(rules_only, text, MAGISTRATE))
    assert not _masked(rules_only, text)


def test_a_lawyers_firm_taken_in_the_person_of_a_member_is_counsel(rules_only):
    text = ("représentés par la SELARL Bontemps & Garrigou, prise en la personne de Me Yann Bontemps, avocat au "
            "barreau de Caen")
    assert not _masked(rules_only, text)
    assert _by_category(rules_only, text, LAWYER)
    liquidator = ("représentée par la SELARL Bontemps & Garrigou, prise en la personne de Me Yann Bontemps, en "
                  "qualité de liquidateur judiciaire")
    assert {"Bontemps", "Garrigou"} <= set(_by_category(rules_only, liquidator, PERSON))


# ----------------------------------------------------------------------------------- addresses
@pytest.mark.parametrize(("text", "address", "locality"), [
    ("son oncle, domicilié Rue de la Gare 41, 5030 Gembloux (Belgique), qui", "Rue de la Gare 41", "5030 Gembloux"),
    ("un marin domicilié Strandgata 7, 730 Reyðarfjörður (Islande), joint", "Strandgata 7", "730 Reyðarfjörður"),
    ("demeurant calle Mayor 22, 2º derecha, 31800 Alsasua (Espagne)", "calle Mayor 22, 2º derecha", "31800 Alsasua"),
    ("dont le siège est Rua do Sol, 12, 4700-123 Braga (Portugal), prise", "Rua do Sol, 12", "4700-123 Braga"),
    ("et résidait Dorpsstraat 3, 9001 KL Grou, percevait", "Dorpsstraat 3", "9001 KL Grou"),
    ("où réside son frère, M. Imran Shah, 9 Mill Road, Leeds LS6 2QT (Royaume-Uni), dont", "9 Mill Road",
     "Leeds LS6 2QT"),
])
def test_foreign_addresses_with_their_postcode(rules_only, text, address, locality):
    masked = _masked(rules_only, text)
    assert address in masked and locality in masked


def test_an_irish_address_and_its_eircode(rules_only):
    masked = _masked(rules_only, "l'adresse retenue, 7 Harbour Road, Cobh, P24 TX81, n'est plus la sienne")
    assert {"7 Harbour Road", "Cobh", "P24 TX81"} <= set(masked)


@pytest.mark.parametrize(("text", "address"), [
    ("SIRET 839 156 726 00028, ZAC des Tilleuls, 4 allée du Frêne, 60230 Noailles", "ZAC des Tilleuls, 4 allée du Frêne"),
    ("(SIRET 413 079 252 00025) Zone portuaire de Blaye, quai Paul-Bert, hangar 3, 33390 Blaye, prise",
     "Zone portuaire de Blaye, quai Paul-Bert, hangar 3"),
    ("Marina du Moule, quai n° 3, local 8, 97160 Le Moule, représentée", "Marina du Moule, quai n° 3, local 8"),
    ("Me Ketty Jalton, immeuble Le Flamboyant, rue Henri-Becquerel, BP 2201, 97122 Baie-Mahault Cedex",
     "immeuble Le Flamboyant, rue Henri-Becquerel, BP 2201"),
    ("domiciliée avec son époux section Bel-Air, chemin des Manguiers, 97170 Petit-Bourg, a",
     "section Bel-Air, chemin des Manguiers"),
    ("demeurant foyer de jeunes travailleurs Les Tilleuls, chambre 9, 2 chemin des Forges, 63000 Clermont-Ferrand",
     "foyer de jeunes travailleurs Les Tilleuls, chambre 9, 2 chemin des Forges"),
    ("né à Aix\nRésidence Les Oliviers, bâtiment C, appartement 12, 5 chemin de la Plaine\n31770 Colomiers",
     "Résidence Les Oliviers, bâtiment C, appartement 12, 5 chemin de la Plaine"),
])
def test_a_complex_address_line_before_its_postcode_is_one_address(rules_only, text, address):
    assert address in _by_category(rules_only, text, "adresse")


def test_a_square_or_a_road_without_number_before_its_town(rules_only):
    text = ("Le 5 mars 2023, vers 2 heures, place du Marché à Givet, M. Yvon Gaudu a été frappé sur le parking de "
            "la place des Tilleuls, à Riom. Sur la route départementale 12 à Vitré, un équipage l'a vu.")
    assert {"place du Marché", "place des Tilleuls", "route départementale 12"} <= set(
        _by_category(rules_only, text, "adresse"))
    assert not _by_category(rules_only, "Il a pris la place de la victime au procès.", "adresse")


# ----------------------------------------------------------------------------------- localities and dates
def test_localities_after_strong_context_words(rules_only):
    text = ("Interpellé à son domicile de Plouzané, il venait du camp de réfugiés de Kakuma ; la terre est dans la "
            "commune associée de Tiarei ; au large de l'île de Groix ; sur la route à hauteur de Pont-Aven.")
    assert {"Plouzané", "Kakuma", "Tiarei", "Groix", "Pont-Aven"} <= set(_masked(rules_only, text))


def test_birth_place_after_au_or_aux_and_other_date_wordings(rules_only):
    text = ("Mme Ginette Laporte, née le 3 mai 1970 au Robert, et M. Joël Laporte, né le 2 juin 1969 aux Abymes "
            "(Guadeloupe). M. Pasang Dorje déclare avoir épousé selon la coutume, le 4 juin 2012 à Lalitpur, Mme "
            "Dolma Sherpa, née en 1988 le 9 octobre à Bhaktapur.")
    masked = _masked(rules_only, text)
    assert {"Robert", "Abymes", "4 juin", "Lalitpur", "9 octobre"} <= set(masked)
    assert "Maroc" not in _masked(rules_only, "Mme Awa Sy, née le 4 juin 1980 au Maroc, a saisi.")


def test_vietnamese_letters_in_names(rules_only):
    text = "un précédent propriétaire, M. Đỗ Quang Vinh, a attesté. L'attestation de M. Đỗ est produite."
    assert _by_category(rules_only, text, PERSON).count("Đỗ") == 2


def test_a_canadian_address(rules_only):
    text = "M. Luc Tremblay, demeurant 1280, boulevard Saint-Martin, app. 12, Laval (Québec) H7N 2K4, Canada ; représenté"
    masked = _masked(rules_only, text)
    assert {"1280, boulevard Saint-Martin, app. 12", "Laval", "H7N 2K4"} <= set(masked)


def test_irish_particles_stay_with_their_surname(rules_only):
    text = ("PERSONNE RECHERCHÉE :\nÓ BRÍAIN Cathal, Pádraig, né le 4 juin 1980 à Cork. La remise de M. Cathal Ó "
            "Bríain est ordonnée ; Mme Áine Ní Fhloinn est témoin.")
    persons = _by_category(rules_only, text, PERSON)
    assert {"Ó BRÍAIN", "Ó Bríain", "Ní Fhloinn"} <= set(persons)


def test_a_first_name_after_a_custody_word_and_before_its_birth_date(rules_only):
    text = "le jugement qui a fixé la résidence de Maialen, née le 3 avril 2013, et de Xabi, né le 5 mai 2015, chez la mère"
    assert {"Maialen", "Xabi"} <= set(_by_category(rules_only, text, PERSON))
