"""Label taxonomy and replacement patterns; rule detectors with python-stdnum checks."""

from __future__ import annotations

import pytest

from amorce.decisions import CATEGORIES, DecisionsError, Policy
from amorce.decisions.rules import addresses, all_rules, civil_dates, identifiers
from amorce.decisions.taxonomy import letters, render


def test_label_taxonomy_has_18_categories_with_label_patterns():
    assert len(CATEGORIES) == 18
    assert CATEGORIES["personnePhysique"].pattern == "[%c]"
    assert CATEGORIES["telephoneFax"].pattern == "[XXXXXXXX0%d]"
    assert render("[%c]", 0) == "[A]" and render("[%c]", 26) == "[AA]"
    assert render("[Adresse %d]", 2) == "[Adresse 3]"
    assert [letters(i) for i in (0, 25, 27)] == ["A", "Z", "AB"]


def test_policy_default_keeps_professionals_and_is_configurable():
    policy = Policy()
    assert policy.is_masked("personnePhysique")
    assert not policy.is_masked("professionnelMagistratGreffier")
    assert not policy.is_masked("professionnelAvocat")
    everything = Policy.from_option("")
    assert everything.is_masked("professionnelMagistratGreffier")
    assert not everything.is_masked("professionnelAvocat")  # Label: never anonymised
    with pytest.raises(DecisionsError, match="inconnue"):
        Policy.from_option("personnePhysique,nomInconnu")


def _found(entities, category):
    return [e.text for e in entities if e.category == category]


def test_identifiers_are_checked_with_stdnum():
    text = ("NIR 1 85 05 78 006 084 91 ; faux NIR 1 85 05 78 006 084 92 ; IBAN FR76 3000 6000 0112 3456 7890 189 ;"
            " IBAN faux FR76 3000 6000 0112 3456 7890 188 ; RCS de Lyon n° 732 829 320 ; "
            "montant 732 829 321 euros ; tél. 04.78.12.34.56 ; mail a.b@exemple.fr")
    ents = list(identifiers(text))
    assert _found(ents, "numeroIdentifiant") == ["1 85 05 78 006 084 91", "1 85 05 78 006 084 92"]
    assert _found(ents, "compteBancaire") == ["FR76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 188"]
    # a wrong check key is masked with more doubt, for the reviewer
    assert sorted((e.source, e.doubt) for e in ents if e.category == "compteBancaire") == [
        ("rule:iban", 0.01), ("rule:iban-bad-key", 0.3)]
    assert _found(ents, "numeroSiretSiren") == ["732 829 320"]
    assert _found(ents, "telephoneFax") == ["04.78.12.34.56"]
    assert _found(ents, "email") == ["a.b@exemple.fr"]


def test_plates_need_a_vehicle_context():
    assert _found(identifiers("véhicule immatriculé AB-123-CD"), "plaqueImmatriculation") == ["AB-123-CD"]
    assert _found(identifiers("référence AB-123-CD du dossier"), "plaqueImmatriculation") == []


def test_civil_status_dates_follow_label_keep_the_year():
    ents = list(civil_dates("né le 28 Septembre 1965 à Saint-Denis ; née le 11/07/1999 à Pons ; "
                            "se sont mariés le 4 juin 2001 ; décédé le 2 mai 2019"))
    assert _found(ents, "dateNaissance") == ["28 Septembre", "11/07/1999"]
    assert _found(ents, "dateMariage") == ["4 juin"]
    assert _found(ents, "dateDeces") == ["2 mai"]
    assert _found(ents, "localite") == ["Saint-Denis", "Pons"]


def test_addresses_and_postcode_localities():
    text = "domiciliée 7, boulevard Huet\n78197 Duval, et rue Jeannine Lemoine\n37702 Guillaume ; 10000 euros"
    ents = list(addresses(text))
    assert _found(ents, "adresse") == ["7, boulevard Huet", "rue Jeannine Lemoine"]
    assert _found(ents, "localite") == ["78197 Duval", "37702 Guillaume"]


def test_rules_offsets_point_into_the_text():
    text = "Parcelle cadastrée section AY n° 4 et AY 63, contact : x@y.fr"
    for ent in all_rules(text):
        assert text[ent.start:ent.end] == ent.text


def test_a_courts_seat_is_public_a_companys_registry_is_not():
    text = ("TRIBUNAL JUDICIAIRE\nDE BORDEAUX\nLa société X, immatriculée au RCS de NANTERRE, a saisi le TJ de "
            "Lyon puis le tribunal judiciaire de Saint-Etienne. Pole social du TJ de VILLEFRANCHE.")
    assert _found(list(addresses(text)), "localite") == ["NANTERRE"]


def test_every_rule_the_pipeline_emits_has_a_french_label():
    """The review pages name rules in French, never by their id (« rule:married-in »)."""
    import re
    from pathlib import Path

    import amorce.decisions
    from amorce.decisions.views import RULE_LABELS

    package = Path(amorce.decisions.__file__).parent
    emitted = {name for path in package.rglob("*.py") if "migrations" not in path.parts
               for name in re.findall(r'"rule:([a-z-]+)"', path.read_text(encoding="utf-8"))}
    assert len(emitted) > 20 and not emitted - set(RULE_LABELS), sorted(emitted - set(RULE_LABELS))
