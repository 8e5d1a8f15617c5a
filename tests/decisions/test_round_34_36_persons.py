"""Classes of rounds 34 to 36 (issue 18), persons and professionals: « composé(e) de » outside a court's
composition, the clerk « tenant la plume », Catalan and Spanish surnames joined by « i » / « y », a relative
named before his relation to a party. Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.taxonomy import PERSON

from .test_round_8_10_classes import _by_category, _masked  # the texts found in a category, or masked


def test_composed_of_outside_a_court_is_no_composition(rules_only):
    text = ("Une équipe de la brigade nautique composée de M. Gwenaël Tassart et de Mme Ilona Verdier, "
            "gendarmes, a contrôlé le bateau.")
    masked = _masked(rules_only, text)
    assert "Gwenaël" in masked and "Tassart" in masked
    text = "La SCEA des Trois Chênes, composée de M. Ferréol Bastide et de son fils Anselme Bastide, exploite le domaine."
    masked = _masked(rules_only, text)
    assert "Ferréol" in masked and "Anselme" in masked
    # the court's composition stays in clear
    text = "Le tribunal, composé de M. Ferréol Bastide, président, et de Mme Ilona Verdier, juge, a délibéré."
    masked = " ".join(_masked(rules_only, text))
    assert "Bastide" not in masked and "Verdier" not in masked
    text = "COMPOSITION\nComposée de M. Ferréol Bastide, président, assisté de Mme Ilona Verdier, greffière."
    assert "Bastide" not in " ".join(_masked(rules_only, text))


def test_clerk_holding_the_pen(rules_only):
    text = ("Le ministère public était représenté par M. Bertil Caradec, procureur adjoint, M. Corentin MAZURIER "
            "tenant la plume en qualité de greffier.")
    assert "MAZURIER" not in " ".join(_masked(rules_only, text))
    text = "Jugement prononcé le 2 juin 2026.\nMme Prune QUESNOT tenant la plume."
    assert "QUESNOT" not in " ".join(_masked(rules_only, text))
    # a party employed « en qualité de » something stays a person
    text = "Mme Prune Quesnot, engagée en qualité de secrétaire, conteste son licenciement."
    assert "Quesnot" in _masked(rules_only, text)


def test_catalan_or_spanish_surname_joined_by_i_or_y(rules_only):
    text = ("PRÉVENU\nNom : SERRADELL I FONTCUBERTA\nPrénoms : Pau\nNé le 2 mars 1979 à Gérone\n\n"
            "Le tribunal déclare Pau Serradell i Fontcuberta coupable.")
    masked = _masked(rules_only, text)
    assert "I FONTCUBERTA" in masked and "i Fontcuberta" in masked
    text = "M. Ignacio ALCÁNTARA Y BERMEJO conteste. Le tribunal relaxe Ignacio Alcántara y Bermejo."
    masked = _masked(rules_only, text)
    assert "Y BERMEJO" in masked and "y Bermejo" in masked
    # a French article before a capitalised word is no name by itself
    text = "M. Aubin de la Garrigue réside à Nîmes. Il longe le chemin de la Garrigue."
    assert _masked(rules_only, text).count("de la Garrigue") == 1


def test_relative_named_before_his_relation_to_a_party(rules_only):
    text = "Le terrain aurait été confié en 1974 à Wenceslas Kavéré, oncle du requérant, pour ses cultures."
    masked = _by_category(rules_only, text, PERSON)
    assert "Wenceslas" in masked and "Kavéré" in masked
    text = "Elle a vécu chez Pétronille Aubazac, sœur de Mme Ninon Aubazac, jusqu'en 2019."
    assert "Pétronille" in _by_category(rules_only, text, PERSON)
    # a parent company is no relative, nor a name opening its sentence
    text = "Elle a cédé ses parts à la société Orbis Holding, mère du groupe, en 2019."
    assert "Orbis" not in " ".join(_by_category(rules_only, text, PERSON))
    text = "Il a été entendu. Ensuite Zénobe Farjas, père de Mme Ninon Farjas, a témoigné."
    assert "Ensuite" not in _by_category(rules_only, text, PERSON)
