"""Classes of errors left on the development rounds 13 and 14 (issue 18), one rule each, on invented
sentences (never copied from the rounds): general rules, checked on names and places of our own."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category, _masked  # the texts the rules mask


# ------------------------------------------------------------------------------------------ persons
def test_first_name_and_surname_initial_given_a_civil_status_are_a_person_everywhere(rules_only):
    text = ("APPELANTS :\nLenny V., né le 4 mars 2011, demeurant chez ses parents, et Noam B.-K., né le 28/05/2011,\n"
            "agissant pour leur fils Yanis P., né le 3 mai 2011 à Oran.\n"
            "Le tribunal a déclaré Lenny V. et Noam B.-K. coupables. Ordonne à l'égard de Lenny V. un stage ; "
            "Yanis P. est relaxé.")
    masked = _masked(rules_only, text)
    assert masked.count("V.") == 3 and masked.count("Lenny") == 3
    assert masked.count("P.") == 2 and masked.count("B.") == 2 and masked.count("K.") == 2
    # a first name and an initial with no civil status stay (a company, an abbreviation)
    assert "S." not in _masked(rules_only, "La société Martin S. a livré le 3 mai 2011 à Oran.")


def test_a_name_opening_its_line_before_a_birth_date_is_a_person_and_its_first_name_propagates(rules_only):
    text = ("Concernant les mineurs :\nTiago Ferreira, né le 2 mai 2013 à Vannes,\nLuana Ferreira, née le 4 juin 2016.\n\n"
            "Vu le jugement ayant confié Tiago et Luana au service. Il ressort des rapports que Tiago, onze ans, "
            "va bien. Un séjour de Tiago chez son père est autorisé.")
    masked = _masked(rules_only, text)
    assert masked.count("Tiago") == 4 and masked.count("Luana") == 2 and masked.count("Ferreira") == 2
    # a company or a common word at the start of the line is no person
    assert not {"Société", "Nouvelle"} & set(_masked(rules_only, "Société Nouvelle, née le 2 mai 2013 de la fusion."))


def test_the_police_officer_holding_the_prosecution_is_the_bench(rules_only):
    text = ("Tribunal de police, audience tenue par Mme Gwenola Tréguer, juge, assistée de Mme Rozenn Kervella, "
            "greffière, le ministère public étant occupé par M. Erwan Le Dantec, commissaire de police. "
            "Le prévenu, M. Yvon Quéméner, est présent.")
    masked = _masked(rules_only, text)
    assert not {"Erwan", "Le Dantec", "Dantec", "Gwenola", "Tréguer"} & set(masked)
    assert {"Yvon", "Quéméner"} <= set(masked)


# -------------------------------------------------------------------------------------- identifiers
@pytest.mark.parametrize("line, address, town", [
    ("demeurant Husova 214/7, 612 00 Brno (République tchèque), détenu", "Husova 214/7", "612 00 Brno"),
    ("demeurant Gwangan-ro 88, Apt. 1105-302, Daegu 42011 (Corée du Sud), joignable",
     "Gwangan-ro 88, Apt. 1105-302", "Daegu 42011"),
    ("demeurant Flat 3C, Lotus Heights Apartments, Hill Road, Nagpur 440010 (Inde), courriel",
     "Flat 3C, Lotus Heights Apartments, Hill Road", "Nagpur 440010"),
    ("demeurant 14 Hobart Street, Darwin NT 0800 (Australie), absent", "14 Hobart Street", "Darwin NT 0800"),
    ("demeurant 9 rue Port Said, Smouha, Louxor (Égypte), présente", "9 rue Port Said, Smouha", "Louxor"),
])
def test_foreign_addresses_up_to_the_town_before_the_country(rules_only, line, address, town):
    masked = _masked(rules_only, f"M. Karel Vondráček, chauffeur, {line}.")
    assert address in masked and town in masked


def test_a_line_without_a_country_or_number_is_no_foreign_address(rules_only):
    masked = _masked(rules_only, "Il travaille chez Dupuis, Martin, Lefèvre (Associés), à la satisfaction de tous.")
    assert not {"Dupuis", "Martin", "Lefèvre"} & set(masked)


def test_a_killing_or_a_predeceased_spouse_dates_a_death(rules_only):
    text = ("Mariée le 2 mai 1960 avec M. Lucien Perrot, prédécédé le 14 avril 2001. Son fils est accusé du chef "
            "de meurtre commis le 3 juin 2023 sur la personne de M. Alain Vidal.")
    masked = _by_category(rules_only, text, "dateDeces")
    assert {"14 avril", "3 juin"} <= set(masked)
    # an attempt kills no one: its date stays
    attempt = "Il est accusé de tentative de meurtre commis le 3 juin 2023 sur la personne de M. Alain Vidal."
    assert "3 juin" not in _masked(rules_only, attempt)


def test_a_street_named_in_the_account_of_the_facts_without_a_number(rules_only):
    text = ("Vers 3 h, une patrouille contrôlait rue de la Croix-Rousse un fourgon. Le 9 mai 2026, dans le square "
            "Émile-Zola, il a été frappé. Il sortait d'un bar de la Grande Rue à Millau. Interdiction de paraître "
            "dans le secteur de la Grande Rue ;")
    masked = _masked(rules_only, text)
    assert {"rue de la Croix-Rousse", "square Émile-Zola", "Grande Rue"} <= set(masked)
    assert not any("fourgon" in m for m in masked)
    # the street of a numbered address keeps its number; a street word in prose is no address
    assert "12 rue Victor Hugo" in _masked(rules_only, "M. Paul Roux, demeurant 12 rue Victor Hugo, 75001 Paris.")
    assert not _masked(rules_only, "La rue est étroite et le chemin parcouru par la victime était long.")


def test_the_town_of_a_home_a_medical_centre_or_a_ski_school(rules_only):
    text = ("Il séjournait chaque été dans sa maison de Collioure. Il a été conduit au centre médical de Prades. "
            "Elle travaille à l'école de ski de Font-Romeu.")
    assert {"Collioure", "Prades", "Font-Romeu"} <= set(_masked(rules_only, text))
    # someone's house is no town
    assert "Marie" not in _masked(rules_only, "La maison de Marie est grande ; le centre médical est fermé.")


def test_an_account_of_the_shortest_iban_format_with_a_wrong_key(rules_only):
    text = "Les fonds seront versés à Mme Ingrid Solberg sur le compte NO12 3456 7890 123 qu'elle a désigné."
    assert "NO12 3456 7890 123" in _masked(rules_only, text)
    # a short code without an account cue stays
    assert "AB12 3456 7890 123" not in _masked(rules_only, "La pièce AB12 3456 7890 123 a été remplacée.")


def test_the_surname_written_after_a_nickname(rules_only):
    text = "Le trésorier, M. Gaston dit « Tatane » Le Goff-Morvan, a signé ; Mme Alice dit « Lili » Perrin était là."
    masked = _masked(rules_only, text)
    assert {"Tatane", "Lili", "Perrin"} <= set(masked) and any("Goff" in m for m in masked)
    # a lower-case word after the nickname is no surname
    assert set(_masked(rules_only, "Un individu dit « Le Gitan » a fui.")) == {"Le Gitan"}


def test_a_relatives_first_name_in_apposition(rules_only):
    text = "L'avis de réception a été signé par la fille de M. Roussel, Clémence, alors en vacances."
    assert "Clémence" in _masked(rules_only, text)
    # a town in apposition is no first name
    assert "Paris" not in _masked(rules_only, "Le fils de Mme Durand, Paris, est venu.")
