"""Classes of identifiers left in clear on the development rounds 40 to 42 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

import pytest

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    # a residence named before its building and apartment, as a hotel or a hostel is
    ("residence-building", "Il a été interpellé dans un logement (résidence Les Ifs, bâtiment C, appartement 9, 3 rue "
     "des Saules) loué.", "adresse", ["Les Ifs", "bâtiment C", "appartement 9", "3 rue des Saules"]),
    ("residence-building", "Elle a été retrouvée chez elle, résidence Le Grand Large, bâtiment Misaine, 14 boulevard "
     "des Voiliers, à Sète.", "adresse", ["Le Grand Large", "bâtiment Misaine", "14 boulevard des Voiliers"]),
    # a foreign plate after « plaque » and its nationality, a few words between
    ("foreign-plate", "Un témoin a relevé la plaque espagnole d'une berline grise, identifiée comme 8312 KRT, louée "
     "à Figueres.", "plaqueImmatriculation", ["8312 KRT"]),
    ("foreign-plate", "La plaque belge relevée : 1-ABC-234.", "plaqueImmatriculation", ["1-ABC-234"]),
    ("foreign-plate", "Les plaques allemandes de 2019 sont conformes.", "plaqueImmatriculation", []),
    # a handle quoted after a messaging service; a group's name with no digit nor « _ » is none
    ("messaging-handle", "La drogue était commandée sur la messagerie Telegram « @nuit_blanche31 » puis livrée.",
     "siteWebSensible", ["@nuit_blanche31"]),
    ("messaging-handle", "Les annonces passaient par le canal Signal « poudre_express ».", "siteWebSensible",
     ["poudre_express"]),
    ("messaging-handle", "le groupe « Les Amis du Port » a été dissous.", "siteWebSensible", []),
    # the date of a fatal event: a street's number between, not another date
    ("fatal-date", "Le 4 mars 2021, alors qu'il réparait le toit du 12 rue des Forges à Firminy, il a chuté. Il est "
     "décédé le jour même.", "dateDeces", ["4 mars"]),
    ("fatal-date", "Le 4 mars 2021, il a signé le bail ; le 9 juin 2022, il a fait une chute mortelle.", "dateDeces",
     ["9 juin"]),
    ("fatal-date", "Le 7 octobre 2020, Mme Inès Roux a été retrouvée morte à son domicile de Saintes.", "dateDeces",
     ["7 octobre"]),
    # the birth date of the person in apposition is no other date
    ("fatal-date", "Le 2 février 2019, Lucien Marty, né le 5 avril 1950 à Agen, a été retrouvé mort sur la berge.",
     "dateDeces", ["2 février"]),
    ("fatal-date", "DIT que l'accident mortel dont a été victime M. Jean-Paul Roux le 4 mars 2021 est dû à la faute "
     "de l'employeur.", "dateDeces", ["4 mars"]),
    # a named property before its numbered street (no postcode after), a farm's kind (« Métairie »)
    ("property-before-street", "Il laisse une propriété viticole, le Domaine de Lartigue, 4 route des Graves, à "
     "Margaux.", "adresse", ["Domaine de Lartigue", "4 route des Graves"]),
    ("property-before-street", "La Maison de Justice et du Droit, 4 rue Gambetta, est fermée le lundi.", "adresse",
     ["4 rue Gambetta"]),
    ("property-kind", "Les époux, demeurant ensemble à la Métairie des Ormes, 79100 Thouars, ont conclu.", "adresse",
     ["Métairie des Ormes"]),
    # the town after a named retirement home
    ("retirement-home-town", "Elle rendait visite à sa mère à l'EHPAD Les Tilleuls de Vouvray chaque semaine.",
     "localite", ["Vouvray"]),
    ("retirement-home-town", "la maison de retraite Saint-Joseph de Vitré l'a accueillie en 2020.", "localite",
     ["Vitré"]),
    # a named place in quotes after its kind (« lieux-dits », « campement dit »), without a lower-case article
    ("quoted-place-of-kind", "Les terres de Saint-Loup, aux lieux-dits « les Grandes Versennes » et « la Pièce du "
     "Moulin », sont louées.", "adresse", ["Grandes Versennes", "Pièce du Moulin"]),
    ("quoted-place-of-kind", "Il a été interpellé au campement dit « le Vieux Chêne », près de la rocade.", "adresse",
     ["Vieux Chêne"]),
    ("quoted-place-of-kind", "Le quartier « sensible » de la ville a été bouclé.", "adresse", []),
    # a street without a number in the account of the facts, after « l' » or « d' » too
    ("street-after-elision", "Le choc a eu lieu au croisement du boulevard Vauban et de l'avenue des Tanneurs, à "
     "Gien.", "adresse", ["boulevard Vauban", "avenue des Tanneurs"]),
]


@pytest.mark.parametrize(("text", "category", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_40_42_identifier_classes(rules_only, text, category, expected):
    assert _by_category(rules_only, text, category) == expected
