"""Classes of identifiers left in clear on the development rounds 17 to 19 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _masked  # the texts the rules mask


def _covered(masked: list[str], *words: str) -> bool:
    """Every word is inside a masked span."""
    return all(any(w in m for m in masked) for w in words)


# -------------------------------------------------------------------- a domicile clause, any country
@pytest.mark.parametrize("clause, words", [
    # Chile: street, number, district, town and region
    ("déclarant demeurer Pasaje Los Aromos, 1187, villa Esperanza, 8320000 Ñuñoa – RM (Chili), titulaire",
     ["Aromos", "1187", "Esperanza", "8320000", "Ñuñoa"]),
    # Greece: abbreviations with colons and a slash between district and city
    ("demeurant Odos Ermou Ar.: 54 D: 3, 10563 Monastiraki/Athína (Grèce), gérant",
     ["Ermou", "54", "10563", "Monastiraki"]),
    # Canada-like, the town on the next line of a heading
    ("demeurant 77 Maple Creek Drive, Unit 12\nHalifax, NS B3H 1A1 (Canada)\nreprésenté par",
     ["Maple", "Unit", "12", "Halifax"]),
    # Russia: lower-case abbreviations of the street and the flat
    ("Mme Olga Lebedeva, domiciliée ul. Bolshaya Sadovaya, 18, kv. 7, Rostov, 344002 (Russie), a saisi",
     ["Sadovaya", "18", "kv", "344002"]),
    # Peru, no country in brackets: the clause ends where the prose goes on
    ("à Lima, où il demeurait Jirón Huallaga 312, urbanización Santa Beatriz, ne démontre pas",
     ["Huallaga", "312", "Beatriz"]),
    # a country then the parts of the address (« résident en X, … »)
    ("et leurs parents résident au Kenya, Estate 5, Block 22, house n° 318, quartier de Kibera, à Nairobi.",
     ["Estate", "Block", "318", "Kibera"]),
])
def test_a_domicile_clause_abroad_is_masked_part_by_part(rules_only, clause, words):
    masked = _masked(rules_only, clause)
    assert _covered(masked, *words), masked


def test_a_domicile_clause_stops_at_the_prose(rules_only):
    masked = _masked(rules_only, "M. Arnaud Delpech, demeurant 3 Calle Mayor, Oviedo (Espagne), de nationalité "
                                 "espagnole, représenté par Me Sylvie Carrel.")
    assert not any("nationalité" in m or "représenté" in m for m in masked)
    # a French address keeps its own spans
    masked = _masked(rules_only, "demeurant 12, rue des Tanneurs, 59000 Lille, célibataire")
    assert "12, rue des Tanneurs" in masked and "célibataire" not in " ".join(masked)


# ------------------------------------------------------------ civil-status dates of lists and appositions
def test_the_dates_of_a_list_after_a_birth_cue(rules_only):
    masked = _masked(rules_only, "leurs enfants, nés le 4 avril 2010, le 17 mai 2013 et le 2 juin 2017 à Gap, "
                                 "vivent avec leur mère.")
    assert {"4 avril", "17 mai", "2 juin"} <= set(masked)
    masked = _masked(rules_only, "Oscar et Lina, nés respectivement le 8 février 2009 et le 11 août 2012, sont "
                                 "scolarisés.")
    assert {"8 février", "11 août"} <= set(masked)


def test_the_dates_of_children_in_apposition(rules_only):
    text = ("Trois enfants sont nés de cette union : Malo, le 3 avril 2011 à Vannes, et Inès, dite « Nini », le "
            "seize septembre 2014 à Lorient.")
    assert {"3 avril", "seize septembre"} <= set(_masked(rules_only, text))
    text = "au nom de leurs enfants mineurs Soren, le 6 mai 2016, et Yanis, le 14 mars 2019, même adresse"
    assert {"6 mai", "14 mars"} <= set(_masked(rules_only, text))
    text = "Concernant les mineurs :\n- Irène VALDÈS, 21 octobre 2013, à Tarbes ;\n"
    assert "21 octobre" in _masked(rules_only, text)


def test_a_birth_date_after_a_comma_or_fixed_by_default(rules_only):
    masked = _masked(rules_only, "Il invoque la naissance, le 15/03/2024, de son fils.")
    assert any("15/03" in m for m in masked)
    masked = _masked(rules_only, "sa date de naissance au 1er janvier lui a été attribuée par l'administration")
    assert "1er janvier" in masked


def test_a_killing_or_a_marriage_a_few_words_before_its_date(rules_only):
    masked = _masked(rules_only, "Son frère a été abattu par un policier le 19 avril 2020 près du marché.")
    assert "19 avril" in masked
    masked = _masked(rules_only, "leur union, célébrée le vingt-trois juin 2007 à la mosquée de Tunis")
    assert "vingt-trois juin" in masked
    masked = _masked(rules_only, "avec sa femme, Mme Ana Ruiz, épousée le 02/05/2003 à Séville, il a")
    assert any("02/05" in m for m in masked)
    # a date of procedure stays
    masked = _masked(rules_only, "L'affaire, renvoyée le 5 mai 2024, a été jugée le 9 juin 2024.")
    assert "5 mai" not in masked and "9 juin" not in masked


# ------------------------------------------------------------------ personal numbers of any country
@pytest.mark.parametrize("sentence, number", [
    ("titulaire d'un passeport, RUT n° 12.345.678-5, placé", "12.345.678-5"),
    ("affilié à l'assurance sociale sous le numéro AHV 756.1234.5678.97. Il", "756.1234.5678.97"),
    ("né à Turin, codice fiscale RSSMRA80A01L219X, demeurant", "RSSMRA80A01L219X"),
    ("de nationalité polonaise, PESEL 85010112345, gérant", "85010112345"),
    ("la copie de sa carte NIDA n° 2211-8745-33019.", "2211-8745-33019"),
    ("titulaire de la cédula de identidad n° 1.712.445.903, a", "1.712.445.903"),
    ("immatriculée à la CNSS sous le numéro 4 415 207.01, dont", "4 415 207.01"),
])
def test_a_number_after_the_name_of_its_document(rules_only, sentence, number):
    assert number in _masked(rules_only, sentence)


def test_the_numbers_of_a_procedure_or_a_text_stay(rules_only):
    text = ("RG n° 24/01234 ; pourvoi n° 23-14.567 ; CE n° 456789 ; loi n° 91-647 ; décret n° 2020-1234 ; "
            "article L. 1234-5 ; TGI n° 12345.")
    masked = _masked(rules_only, text)
    assert not any(ch.isdigit() for m in masked for ch in m), masked


def test_a_foreign_mobile_number_with_a_hyphen_and_any_plate_after_plaque(rules_only):
    assert "+57 310 44871-2290" in _masked(rules_only, "joignable au +57 310 44871-2290 le soir")
    assert "KTR4C19" in _masked(rules_only, "un scooter portant la plaque KTR4C19 a été vu")
    assert "GH-512-TB" in _masked(rules_only, "livré au moyen du fourgon GH-512-TB de la société")
    # a reference of that shape without a vehicle stays
    assert "GH-512-TB" not in _masked(rules_only, "la référence GH-512-TB du catalogue")


# ------------------------------------------------------------------------ named places after their kind
@pytest.mark.parametrize("sentence, name", [
    ("hébergé par le chef de la tribu de Tiéta, il", "Tiéta"),
    ("Il vivait au douar Ouled Haddou, commune", "Ouled Haddou"),
    ("un chantier clandestin sur la crique Maripa ; il", "Maripa"),
    ("contrôlé au barrage routier de Cacao, il", "Cacao"),
    ("au hameau de Chez Berthier, à deux kilomètres", "Chez Berthier"),
    ("dans la ferme de La Petite Brosse. Son fils", "La Petite Brosse"),
    ("au pied du bâtiment Capucine. Les policiers", "bâtiment Capucine"),
    ("dans le quartier de Karte-e Seh, où", "Karte-e Seh"),
])
def test_a_named_place_after_the_noun_of_its_kind(rules_only, sentence, name):
    assert name in _masked(rules_only, sentence)


# ------------------------------------------------------------------------------------ the gazetteer
def test_towns_whose_name_holds_an_article_or_a_particle(rules_only):
    masked = _masked(rules_only, "Elle tient un commerce aux Abymes et un autre au Lamentin.")
    assert {"Abymes", "Lamentin"} <= set(masked)
    assert "Bagnoles-de-l'Orne" in _masked(rules_only, "de paraître dans la commune de Bagnoles-de-l'Orne.")
    assert "Ras el-Aïn" in _masked(rules_only, "originaires de Ras el-Aïn, ils ont fui")
    masked = _masked(rules_only, "commune d'Aït Ourir, province de Marrakech")
    assert "Aït Ourir" in masked


def test_the_town_of_a_company_site_is_a_locality(rules_only):
    # the writers annotate the town where a person works (a company's site) as a locality
    masked = _masked(rules_only, "les salariés du site de Saint-Priest craignent sa fermeture")
    assert "Saint-Priest" in masked
    assert "Cusset" in _masked(rules_only, "un poste à l'usine de Cusset lui a été proposé")


def test_no_general_rule_reads_a_parcel_a_married_name_nor_a_company_in_capitals(rules_only):
    masked = _masked(rules_only, "les parcelles cadastrales BK 4410987 et BK 12 ; la parcelle AY n° 3310456")
    assert not any("4410987" in m or "3310456" in m for m in masked if m.isdigit())
    text = "l'appel de Mme Line Roussel épouse Farge contre le jugement rendu le 3 mars 2024 par le tribunal"
    assert "3 mars" not in _masked(rules_only, text)
    assert not any("BATIMENT" in m for m in _masked(rules_only, "la SARL DUPRAT BATIMENT RENOV, prise en"))
    # after a French postcode and its town, the clause ends (« …, 75011 Paris, Durand, défendeur »)
    text = "M. Paul Vidal, domicilié 8, rue des Lilas\n75011 Paris, Durand, défendeur à la cassation."
    assert "Durand" not in _masked(rules_only, text)


def test_a_kind_in_capitals_opens_the_place_name(rules_only):
    assert "Morne des Esses" in _masked(rules_only, "il habitait au Morne des Esses, chez un cousin")


def test_a_district_between_the_street_and_the_postcode_belongs_to_the_address_line(rules_only):
    text = "hébergé chez son oncle, M. Ibrahim Saïd, 9 chemin des Letchis, Bois de Nèfles, 97490 Sainte-Clotilde, élève"
    assert "9 chemin des Letchis, Bois de Nèfles" in _masked(rules_only, text)


def test_a_company_in_a_domicile_clause_is_no_address(rules_only):
    text = "M. Loïc Berthaud, demeurant SCP Berthaud & Roux, 4, Hauptstraße, 8001 Zürich (Suisse), expert"
    assert not any("Berthaud & Roux" in m for m in _masked(rules_only, text))


def test_a_street_of_a_regional_language_before_a_french_postcode(rules_only):
    masked = _masked(rules_only, "demeurant 14, straed ar Vilin\n29260 Ploudaniel\n\nReprésentée par")
    assert _covered(masked, "14", "straed", "Vilin")
