"""French legal heuristics for people, one at a time, on invented sentences. spaCy's PER spans are
given by hand (``detect(text, ner_spans)``) so that each test depends on the rule it checks only."""

from __future__ import annotations

from amorce.decisions.rules import addresses


def _spans(text: str, *words: str) -> list[tuple[int, int]]:
    out = []
    for word in words:
        start = text.index(word)
        out.append((start, start + len(word)))
    return out


def _by_category(entities, category: str) -> list[str]:
    return [e.text for e in entities if e.category == category]


def test_married_name_before_a_claim_in_capitals_is_a_party(rules_only):
    """« veuve Castagnet,⏎JUGER que … » : « JUGER » opens a claim, it is not the title « juge »."""
    text = (
        "Elle demande au tribunal de :\n- déclarer recevable l'action de madame Odette veuve Castagnet,\n"
        "JUGER que la vente est nulle ;\n"
    )
    entities = rules_only.detect(text, [])
    assert "Castagnet" in _by_category(entities, "personnePhysique")
    assert not _by_category(entities, "professionnelMagistratGreffier")


def test_a_title_after_a_civility_is_not_a_name(rules_only):
    """« Mme la Chancelière » is a title; « M. le Professeur Jean Morvan » is followed by a name."""
    text = (
        "Il a annulé un déplacement lié à la venue de Mme la Chancelière allemande Weber. "
        "L'expertise a été confiée à M. le Professeur Jean Morvan."
    )
    entities = rules_only.detect(text, _spans(text, "Mme la Chancelière allemande Weber"))
    persons = _by_category(entities, "personnePhysique")
    assert not [p for p in persons if "Chancelière" in p]
    assert {"Jean", "Morvan"} <= set(persons)


def test_child_named_in_an_incise_before_its_birth_date(rules_only):
    """« Un enfant est issu de cette union, Lina Castagnet, née le … » and « leurs enfants : Lina, née
    le …, et de Hugo, né le … » ; a place before « née le » without a family word stays a place."""
    text = (
        "M. Paul Castagnet et Mme Odile Vernet se sont mariés le 3 mai 2001. Un enfant est issu de "
        "cette union, Lina Castagnet, née le 3 juin 2012.\n"
        "Ils rappellent la naissance de leurs enfants : Lina, née le 3 juin 2012, et de Hugo, né le "
        "5 mai 2014.\n"
        "Mme Vernet, domiciliée rue des Lilas, Montbrison, née le 2 mai 1975, est infirmière.\n"
    )
    persons = _by_category(rules_only.detect(text, []), "personnePhysique")
    assert persons.count("Lina") == 2 and "Hugo" in persons
    assert "de Hugo" not in persons and "Montbrison" not in persons


def test_partnership_named_after_its_members_masks_every_member_name(rules_only):
    """« la SELARL Vidal-Ferrand prise en la personne de Maître Louis Vidal » : Vidal is a party
    (judicial representative), so Ferrand in the firm's name is a person's name too; a brand or a
    group named like a person is left alone."""
    text = (
        "Le tribunal a désigné la SELARL Vidal-Ferrand prise en la personne de Maître Louis Vidal, "
        "mandataire liquidateur. La SELARL Vidal-Ferrand n'a pas comparu. "
        "La société Groupe Lucie Vidal vend des meubles."
    )
    entities = rules_only.detect(text, _spans(text, "Lucie Vidal"))
    persons = _by_category(entities, "personnePhysique")
    assert persons.count("Ferrand") == 2
    assert "Lucie" not in persons
    # spaCy's span in the firm's name, words separated by a space
    text = "AFFAIRE : Mme Anne Roux C/ S.E.L.A.R.L. Marc Nathalie, prise en la personne de Maître Paul Marc, "
    text += "mandataire judiciaire de la société Atlas"
    entities = rules_only.detect(text, _spans(text, "S.E.L.A.R.L. Marc Nathalie"))
    assert "Nathalie" in _by_category(entities, "personnePhysique")


def test_a_label_after_a_list_of_maitre_is_weak_evidence(rules_only):
    """« Maître X⏎⏎⏎Avocats associés de la SELARL » labels a list of associates, who may be the
    parties (a dispute between partners); counsel « représentée par Me Y⏎⏎avocat » stays counsel."""
    text = (
        "Copie à :\n\nMaître Inès Morel\n\nMaître Paul Garnier\n\n\n\nAvocats associés de la SELARL Lexa\n\n"
        "APPELANTS :\n\nla SELARL Lexa, représentée par Me Louis Blanc\n\navocat au barreau de Lyon\n\n"
        "La SELARL Lexa, Mme Morel et M. Garnier ont relevé appel. Me Blanc a plaidé.\n"
    )
    entities = rules_only.detect(text, [])
    persons = _by_category(entities, "personnePhysique")
    assert persons.count("Garnier") == 2 and persons.count("Morel") == 2
    assert "Blanc" not in persons and "Louis Blanc" in _by_category(entities, "professionnelAvocat")


def test_countries_are_neither_people_nor_address_lines(rules_only):
    text = (
        "Il dirigeait les usines situées en Italie, Portugal et Maroc.\n\n"
        "DEMANDEUR\n\nMonsieur Élie Tristan\n392, rue Petit\n70893 Saint-Alphonse\nAlgérie\n"
        "représenté par Me François LAMBERT, avocat au barreau de Paris\n"
    )
    entities = rules_only.detect(text, _spans(text, "Maroc"))
    assert "Maroc" not in _by_category(entities, "personnePhysique")
    assert "Algérie" not in {e.text for e in addresses(text)}
    assert {"Élie", "Tristan"} <= set(_by_category(entities, "personnePhysique"))
    # a surname that is also a country's name, with a civility, is a name
    text = "Mme Anna Monaco a saisi le tribunal ; Mme Monaco demande réparation."
    assert (
        _by_category(rules_only.detect(text, _spans(text, "Monaco")), "personnePhysique").count("Monaco") == 2
    )


def test_a_single_word_after_a_is_a_place_for_spacy_alone(rules_only):
    """« un déplacement à Sanchezboeuf » : spaCy alone is not enough; a party named with a civility
    after « à » is still masked."""
    text = "Il a annulé son déplacement à Sanchezboeuf. La société a écrit à M. Durand."
    entities = rules_only.detect(text, _spans(text, "Sanchezboeuf", "Durand"))
    persons = _by_category(entities, "personnePhysique")
    assert "Sanchezboeuf" not in persons and "Durand" in persons


def test_company_word_with_a_country_is_a_company(rules_only):
    """« Leoni » mostly follows « société » or « groupe »: « le directeur général de Leoni Maroc » is
    the group's subsidiary, not a person."""
    text = (
        "La société Leoni Wiring emploie M. Karim Haddad. Le groupe Leoni l'a promu. La société Leoni "
        "l'a licencié pour avoir contredit le directeur général de Leoni Maroc."
    )
    entities = rules_only.detect(text, _spans(text, "Leoni Maroc", "Karim Haddad"))
    persons = _by_category(entities, "personnePhysique")
    assert not {"Leoni", "Maroc"} & set(persons)
    assert {"Karim", "Haddad"} <= set(persons)


def test_magistrate_under_a_composition_heading(rules_only):
    """« COMPOSITION DU TRIBUNAL⏎⏎Sophie GUILLOT, 1ère Vice-présidente » : the heading is no company
    context, the role after the name says magistrate; « MAGISTRATE DELEGUÉE : » is no name."""
    text = (
        "COMPOSITION DU TRIBUNAL\n\nSophie GUILLOT, 1ère Vice-présidente adjointe\n\n"
        "MAGISTRATE DELEGUÉE : Marie LE BRAS, Président de chambre\n"
    )
    entities = rules_only.detect(text, _spans(text, "Sophie GUILLOT", "DELEGUÉE", "Marie LE BRAS"))
    magistrates = _by_category(entities, "professionnelMagistratGreffier")
    assert {"Sophie", "GUILLOT", "Marie", "LE BRAS"} <= set(magistrates)
    assert not [e for e in entities if "DELEGU" in e.text]
    assert not _by_category(entities, "personnePhysique")
