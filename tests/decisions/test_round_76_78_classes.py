"""Classes of rounds 76 to 79, one general rule each, on invented sentences (never copied from the rounds): the
national part of a foreign phone number is no French number (the whole number is masked); an IP address without
« IP » before it (never a nomenclature's or an article's number); an account on a social network or a chat
(« @pseudo », « pseudo#1234 ») and a web address written without « http » or « www »; a name quoted after « sous
l'identité déclarée de »; a child named after its age (« un enfant de deux ans, X »); the members of a board
listed a line apiece under « dans la composition suivante : »."""

from __future__ import annotations

import pytest

from amorce.decisions.taxonomy import PERSON

from .test_round_8_10_classes import _by_category  # the texts found in a category

# (class, text, a category, the texts found in it, in order: an empty list where none must be)
CASES = [
    ("foreign-phone", "un certain « Le Boss », joint au +225 05 61 27 84 33, à qui il rendait compte", "telephoneFax",
     ["+225 05 61 27 84 33"]),
    ("ip-without-cue", "les connexions venaient de l'adresse 91.208.17.44 puis de 2a02:8e0:41::7b.", "numeroIdentifiant",
     ["91.208.17.44", "2a02:8e0:41::7b"]),
    ("ip-without-cue", "au-dessus du seuil de la rubrique 2.1.5.0 de la nomenclature ; voir l'article 1.2.3.4",
     "numeroIdentifiant", []),
    ("online-account", "le compte « @lina.trade_pro » et le serveur tenu par « Vortax#2871 » ; la chaîne "
     "kick.tv/lina_live ; la page legifrance.gouv.fr/loda/id/X", "siteWebSensible",
     ["@lina.trade_pro", "Vortax#2871", "kick.tv/lina_live"]),
    ("online-account", "écrire à marc.tissot@exemple.fr", "siteWebSensible", []),
    ("identity-quoted", "engagé en 2004 sous l'identité déclarée de « Anselme Garrigou », il a", PERSON,
     ["Anselme", "Garrigou"]),
    ("identity-quoted", "le gîte exploité sous le nom de « Domaine des Trois Chênes » depuis 2015", PERSON, []),
    ("child-age", "la situation de l'intéressé, père d'un enfant de trois ans, Yelan, est prise en compte", PERSON,
     ["Yelan"]),
]


@pytest.mark.parametrize(("text", "category", "found"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_76_78_classes(rules_only, text, category, found):
    assert _by_category(rules_only, text, category) == found


# round 79: members listed a line apiece under a composition's cue (a university's disciplinary section)
BOARD = (
    "La section disciplinaire, réunie le 3 mars 2026, dans la composition suivante :\n"
    "M. Aarne Dufresnoy, professeur des universités, président ;\n"
    "Mme Léna Cabrol, professeure des universités ;\n"
    "M. Ilan Parrot, maître de conférences ;\n"
    "assistée de Mme Rose Nadal, secrétaire de séance ;\n\n"
    "Vu le code de l'éducation ;\n"
    "M. Samir Vayre, étudiant, né le 2 mai 2003, ne s'est pas présenté ;"
)


def test_members_listed_a_line_apiece_under_a_composition_cue(rules_only):
    from amorce.decisions.taxonomy import MAGISTRATE

    assert {"Aarne", "Dufresnoy", "Léna", "Cabrol", "Ilan", "Parrot"} <= set(_by_category(rules_only, BOARD, MAGISTRATE))
    assert {"Samir", "Vayre"} <= set(_by_category(rules_only, BOARD, PERSON))
