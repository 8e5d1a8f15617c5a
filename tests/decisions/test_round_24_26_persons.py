"""Classes of person names left in clear (and one prosecution officer masked) on the development rounds 24
to 26 (issue 18): the prosecution's officer at a police court « était représenté par », a company officer
with a birth date on a role line, a party's initial alone as a preposition's object, a first name and an
initial after an elided « d' », the initials of a party named in full elsewhere. Invented sentences only
(never copied from the rounds)."""

from __future__ import annotations

from .test_round_8_10_classes import _masked


def test_the_prosecution_officer_at_a_police_court_whatever_the_tense(rules_only):
    text = ("Le tribunal de police était tenu par Mme Odile Ferrand, juge, assistée de M. Yann Caradec, greffier ; "
            "le ministère public était représenté par M. Aurèle Vandamme-Rist, commissaire de police.")
    assert not {"Aurèle", "Vandamme-Rist"} & set(_masked(rules_only, text))
    text = "Le ministère public a été occupé par Mme Inès Gourvil, commissaire de police, officier du ministère public."
    assert "Gourvil" not in _masked(rules_only, text)


def test_a_company_officer_with_a_birth_date_on_a_role_line(rules_only):
    text = ("DÉBITEUR :\nSARL JADE NEGOCE\nPrésident : M. LIU Haoran, né le 2 mars 1980 à Wenzhou (Chine)\n"
            "Gérante : Mme TAN Mei, née en 1975\n\nPrésident : M. Paul Ravier\nGreffier : Mme Ida Lenoir\n")
    masked = _masked(rules_only, text)
    assert {"LIU", "Haoran", "TAN", "Mei"} <= set(masked)
    assert not {"Ravier", "Lenoir"} & set(masked)  # the bench's role lines stay


def test_a_party_s_initial_alone_after_a_preposition_or_an_elision(rules_only):
    text = ("MINEURS CONCERNÉS :\nR. K., né le 4 mars 2012 à Tirana ;\n\nMe Anne Roux, avocate de R., a plaidé. "
            "Le collège relève l'absentéisme d'R. (quarante jours) ; la santé d'R. est en danger et l'oncle "
            "propose d'accueillir R. chez lui.\n\nPAR CES MOTIFS\nConfions R. K. au service de l'aide sociale à "
            "l'enfance. Vu l'article R. 12 du code.")
    masked = _masked(rules_only, text)
    assert masked.count("R.") == 6 and masked.count("K.") == 2
    assert "Confions" not in masked


def test_a_first_name_and_an_initial_after_an_elided_d(rules_only):
    text = ("MINEURS POURSUIVIS :\nSorina V., née le 3 mai 2010 à Iași (Roumanie).\n\nDéclare Sorina V. coupable ; "
            "prononce à l'égard d'Sorina V. une mesure éducative.")
    masked = _masked(rules_only, text)
    assert masked.count("Sorina") == 3 and masked.count("V.") == 3


def test_the_initials_of_a_party_named_in_full(rules_only):
    text = ("M. Thibaut Yvert, serveur, a été engagé par la SAS Ardoise. Le registre porte, à côté du nom de "
            "« T. Y. », la mention « congé ». Vu l'article L. 3171-4 du code du travail.")
    masked = _masked(rules_only, text)
    assert masked.count("T.") == 1 and masked.count("Y.") == 1 and "L." not in masked
