"""Classes of errors left on the development rounds 11 and 12 (issue 18), one rule each, on invented
sentences (never copied from the rounds): general rules, checked on names and places of our own."""

from __future__ import annotations

from .test_round_8_10_classes import _masked  # the texts the rules mask


# ------------------------------------------------------------------------------------------ persons
def test_initials_given_a_civil_status_are_a_person_everywhere_in_the_decision(rules_only):
    text = ("PRÉVENUS :\n\nK. T., dit « Fennec », né le 3 mars 2008 à Lunel,\n\nR. D., née le 9 mai 2009 à Sète,\n\n"
            "Les gendarmes ont interpellé K. T. devant le collège. Le tribunal entend R. D. puis M. Vidalenc.\n\n"
            "Déclare K. T. et R. D. coupables ; condamne K. T. à un stage de citoyenneté.")
    masked = _masked(rules_only, text)
    assert masked.count("K.") == 4 and masked.count("T.") == 4
    assert masked.count("R.") == 3 and masked.count("D.") == 3
    assert "Fennec" in masked
    # initials with no civil status stay (an abbreviation, a company)
    assert not {"K.", "T."} & set(_masked(rules_only, "La société K. T. Logistique a livré le 3 mars 2008."))


def test_counsellors_and_delegates_of_services_that_are_no_court_are_persons(rules_only):
    text = ("Le rapport du service pénitentiaire d'insertion et de probation, rédigé par Mme Clémentine Arbogast, "
            "conseillère, souligne les efforts du condamné. Son retour au travail a été suivi par M. Yannick "
            "Quérouil, conseiller France Travail. Le requérant est assisté de Mme Odile Parmentier, déléguée d'une "
            "association d'aide aux victimes.")
    masked = _masked(rules_only, text)
    assert {"Clémentine", "Arbogast", "Yannick", "Quérouil", "Odile", "Parmentier"} <= set(masked)
    # the bench stays in clear
    bench = ("Composition de la cour : Mme Solène Barthélemy, présidente, M. Loïc Fauchard, conseiller, "
             "Mme Perrine Vasseur, conseillère, M. Hugo Delcambre, conseiller Rapporteur.")
    assert not _masked(rules_only, bench)


def test_the_head_of_a_company_named_far_before_is_a_person(rules_only):
    text = ("Que la société Menuiseries du Causse, SAS immatriculée sous le numéro 512 334 876, dont le siège est "
            "14, avenue des Tilleuls, 46000 Cahors, présidée par M. Anselme Rigaudie, emploie douze salariés ;")
    assert {"Anselme", "Rigaudie"} <= set(_masked(rules_only, text))
    hearing = ("Dans l'instance opposant la société Menuiseries du Causse, dont le siège est à Cahors, à M. Roux, "
               "l'audience présidée par Mme Estelle Garrigou, présidente, s'est tenue le 3 mai 2026.")
    assert not {"Estelle", "Garrigou"} & set(_masked(rules_only, hearing))


def test_the_reporting_judge_heard_at_the_hearing_stays_in_clear(rules_only):
    text = ("Ont été entendus au cours de l'audience publique :\n- le rapport de M. Barnabé Lemonnier-Dutertre,\n"
            "- les conclusions de Mme Cunégonde Vautrin, rapporteure publique.\n\n"
            "Vu la procédure suivante, jugée à l'audience du 4 mai 2026, après rapport oral de l'affaire par "
            "Sidonie Quellec-Hameau.")
    assert not _masked(rules_only, text)


# ------------------------------------------------------------------------------------------ identifiers
def test_foreign_addresses_with_the_postcode_before_or_after_the_town(rules_only):
    cases = [
        ("La société Hokusetsu Kogyo, dont le siège est situé 5-2-18 Kitahama, Naka-ku, Nagoya 460-0002 (Japon), "
         "a livré les pièces.", "5-2-18 Kitahama, Naka-ku", "Nagoya 460-0002"),
        ("La société Stalmet, dont le siège est ul. Ogrodowa 17, 31-155 Kraków (Pologne), a facturé.",
         "ul. Ogrodowa 17", "31-155 Kraków"),
        ("Un sous-traitant, établi strada Morilor 8, 550135 Sibiu (Roumanie), a été payé.",
         "strada Morilor 8", "550135 Sibiu"),
        ("M. Amit Levron, demeurant 14 rehov Herzl, appartement 3, Haïfa 3303114 (Israël), appelant.",
         "14 rehov Herzl, appartement 3", "Haïfa 3303114"),
        ("Mme Nora Pellington, domiciliée 1820 Magnolia Street, Dallas, TX 75201 (États-Unis), intimée.",
         "1820 Magnolia Street", "Dallas, TX 75201"),
    ]
    for text, address, locality in cases:
        masked = _masked(rules_only, text)
        assert address in masked and locality in masked, (text, masked)
    # a date after « établie » is no address
    assert "le 3 mars 2020" not in _masked(rules_only, "Une attestation établie le 3 mars 2020, Rabat (Maroc), est produite.")


def test_a_birth_date_after_the_place_of_birth(rules_only):
    text = "Mme Ilinca Brătescu, née à Craiova (Roumanie) le 14 juillet 1983, sans profession, et M. Oskar Lind, né à Umeå le 2 mai 1980."
    masked = _masked(rules_only, text)
    assert {"14 juillet", "2 mai"} <= set(masked)


def test_a_flat_number_ending_a_numbered_address_before_its_town(rules_only):
    text = "L'expulsion des lieux situés 8, impasse des Mésanges, appartement 12 à Joué-lès-Tours est ordonnée."
    assert "appartement 12" in _masked(rules_only, text)
    # a flat number with no address before it stays
    assert "appartement 12" not in _masked(rules_only, "Il visite l'appartement 12 à Tours avec elle.")


def test_the_town_of_a_medical_centre_and_the_town_people_come_from(rules_only):
    text = ("Le suivi est assuré au centre médico-psychologique de Montfermeil. Les époux, originaires de Wenzhou, "
            "ont ouvert un restaurant.")
    masked = _masked(rules_only, text)
    assert {"Montfermeil", "Wenzhou"} <= set(masked)
    assert "Chine" not in _masked(rules_only, "Les époux, originaires de Chine, ont ouvert un restaurant.")


def test_every_parcel_of_a_list_with_a_numeric_section(rules_only):
    text = "Le bornage des parcelles cadastrées section 31 n° 402, 31 n° 405 et n° 407 est ordonné."
    assert {"31 n° 402", "31 n° 405", "n° 407"} <= set(_masked(rules_only, text))


def test_the_town_of_a_notary_office(rules_only):
    text = "Me Aurélien Castagnet, notaire à la résidence de Sarlat-la-Canéda, a reçu l'acte."
    assert "Sarlat-la-Canéda" in _masked(rules_only, text)


def test_a_marriage_date_after_the_spouse_s_birth(rules_only):
    text = "Elle a épousé M. Tevita Lolohea, né le 11 avril 1987 à Mata-Utu (Wallis-et-Futuna), le 23 juin 2012 à Bras-Panon."
    masked = _masked(rules_only, text)
    assert {"11 avril", "23 juin", "Bras-Panon"} <= set(masked)


def test_rapporteurs_designated_to_carry_out_a_search_are_persons(rules_only):
    text = ("Désignons Mme Philippine Cazaubon, rapporteure, et M. Gatien Lhermitte, rapporteur, pour effectuer les "
            "opérations de visite et de saisie.")
    assert {"Gatien", "Lhermitte", "Philippine", "Cazaubon"} <= set(_masked(rules_only, text))
    # the reporting judge of a court stays in clear
    assert not _masked(rules_only, "Composition : Mme Élodie Rance, présidente, M. Paulin Orsoni, rapporteur.")
