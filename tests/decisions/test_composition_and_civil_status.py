"""Issue 18's classes of error, on invented sentences: professionals named by the wordings of a
court's composition or as partners of a law firm are not parties; civil-status dates and places given
in apposition, and addresses without a street type, are identifiers. spaCy's PER spans are given by
hand so that each test depends on the rule it checks only."""

from __future__ import annotations

from amorce.decisions.rules import addresses, civil_dates

from .test_persons_heuristics import _by_category as _texts
from .test_persons_heuristics import _spans

PERSON = "personnePhysique"
MAGISTRATE = "professionnelMagistratGreffier"
LAWYER = "professionnelAvocat"



def test_a_judge_named_after_a_presiding_wording_is_a_magistrate(rules_only):
    text = (
        "L'audience était présidée par Mme Claire Dubreuil, qui a entendu les parties.\n"
        "Sous la présidence de M. Henri Lacombe, le tribunal a délibéré.\n"
        "Le conseil, présidé par Hélène MERCIER, a rendu sa décision.\n"
        "M. Paul Castagnet, présent à l'audience, a été entendu.\n"
    )
    entities = rules_only.detect(text, [])
    assert {"Claire", "Dubreuil", "Henri", "Lacombe", "Hélène", "MERCIER"} <= set(_texts(entities, MAGISTRATE))
    assert _texts(entities, PERSON) == ["Paul", "Castagnet"]


def test_every_name_of_a_composition_enumeration_is_a_magistrate(rules_only):
    """The cue heads the whole enumeration (« Composition de la cour : A, B et C »), not its first
    name only; the party block after it keeps its parties."""
    text = (
        "Composition de la cour : M. Pierre Vial, Mme Lise Arnaud et M. Jean Cros.\n"
        "Le tribunal était composé de Mme Anne Roux, M. Louis Brun, Mme Eva Noir.\n\n"
        "APPELANT : M. Marc Leduc, demeurant 3, rue des Lilas, 42600 Montbrison.\n"
    )
    entities = rules_only.detect(text, [])
    magistrates = set(_texts(entities, MAGISTRATE))
    assert {"Vial", "Arnaud", "Cros", "Roux", "Brun", "Noir"} <= magistrates
    assert _texts(entities, PERSON) == ["Marc", "Leduc"]


def test_partners_of_a_law_firm_are_lawyers(rules_only):
    """« la SCP A et B », « la société civile professionnelle A, B et C » introduced as counsel, with or
    without « avocat » right after the names; a notaries' partnership is not counsel."""
    text = (
        "M. Bernard Petit, représenté par la SCP Delvolvé et Trichet, a formé un pourvoi.\n"
        "Avocats : la SCP Lyon-Caen et Thiriez, la SCP Célice, Texidor, Périer.\n"
        "La société civile professionnelle Matuchansky, Poupot, Valdelièvre et Rameix, avocat de Mme "
        "Lise Durand.\n"
        "L'acte a été reçu par la SCP Lamy et Pons, notaires associés.\n"
    )
    ner = _spans(text, "Trichet", "Thiriez", "Célice", "Matuchansky", "Lamy et Pons")
    entities = rules_only.detect(text, ner)
    persons = _texts(entities, PERSON)
    assert persons == ["Bernard", "Petit", "Lise", "Durand", "Lamy", "Pons"]
    lawyers = " ".join(_texts(entities, LAWYER))
    for name in ("Delvolvé et Trichet", "Thiriez", "Texidor", "Matuchansky", "Rameix"):
        assert name in lawyers


def test_birth_date_in_apposition_to_the_childs_name():
    ents = list(
        civil_dates(
            "De leur union est né Hugo, le 5 juin 2004. De cette union sont issus deux enfants : Léa, "
            "le 3 mars 2005, et Tom (le 4 avril 2008). Mme Dupont, née Martin, le 3 mai 2015, a assigné."
        )
    )
    assert _texts(ents, "dateNaissance") == ["5 juin", "3 mars", "4 avril"]


def test_places_of_marriage_birth_and_death_are_localities():
    ents = sorted(
        civil_dates(
            "Ils se sont mariés le 3 mai 2001 à Montbrison. Leur mariage a été célébré à Vienne le 4 juin "
            "1999. M. Henri Dupuis est décédé à Saint-Chamond le 2 mars 2020. Il est né à Lyon le 1er mai "
            "1950. Ils se sont mariés le 9 mai 2002 à la mairie."
        ),
        key=lambda e: e.start,
    )
    assert _texts(ents, "localite") == ["Montbrison", "Vienne", "Saint-Chamond", "Lyon"]
    assert _texts(ents, "dateMariage") == ["3 mai", "4 juin", "9 mai"]
    assert _texts(ents, "dateDeces") == ["2 mars"]
    assert _texts(ents, "dateNaissance") == ["1er mai"]


def test_an_address_without_street_type_before_a_postcode_is_an_address():
    """A named property (château, domaine, mas, lieu-dit…) or any place after a domicile cue, followed
    by a postcode and a town, is an address line, and so is a named property after a domicile cue
    without a postcode; a monument named in a sentence is not."""
    text = (
        "Mme Odile Vernet, demeurant Château de la Brède, 33650 Saint-Morillon.\n"
        "M. Paul Martin\nDomaine des Pins\n13200 Arles\n"
        "Mme Lise Roux, domiciliée lieu-dit Les Granges, 42600 Montbrison.\n"
        "M. Louis Brun, demeurant Les Hauts de Vence, 06140 Vence.\n"
        "Mme Eva Noir, domiciliée Mas des Oliviers à Arles, et M. Noir, demeurant Ferme du Bois.\n"
        "Ils ont visité le Château de Versailles. Mme Roux, demeurant à Lyon, est venue.\n"
    )
    found = _texts(sorted(addresses(text), key=lambda e: e.start), "adresse")
    assert found == [
        "Château de la Brède", "Domaine des Pins", "lieu-dit Les Granges", "Les Hauts de Vence",
        "Mas des Oliviers", "Ferme du Bois",
    ]
