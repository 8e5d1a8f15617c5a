"""Classes of errors left on the development rounds 17 to 19 (issue 18): the court-role decision for
persons and professionals, on invented sentences (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.persons import context_category
from amorce.decisions.taxonomy import MAGISTRATE

from .test_round_8_10_classes import _masked  # the texts the rules mask


def _category(text: str, name: str, before: str = "") -> str | None:
    start = text.index(name)
    return context_category(text, start, start + len(name), before)[0]



# ------------------------------------------------------------------------------------ professionals
def test_a_judge_in_charge_of_a_court_function_is_the_bench_whatever_the_function():
    text = "Nous, Honorine Lapalud-Mercier, vice-présidente chargée de l'application des peines, statuant."
    assert _category(text, "Honorine Lapalud-Mercier") == MAGISTRATE
    text = ("Audience du 3 mars 2025, tenue par M. Gaspard Ferriol-Baste, vice-président chargé des affaires "
            "familiales, assisté de Mme Lise Orsat, greffière.")
    assert _category(text, "Gaspard Ferriol-Baste", "M.") == MAGISTRATE
    text = "Ordonnance rendue par Mme Aude Sarrazin, vice-présidente chargée du contentieux de la protection."
    assert _category(text, "Aude Sarrazin", "Mme") == MAGISTRATE
    # a company's vice-president in charge of its sales stays a person
    text = "La société a licencié M. Yannick Morel, vice-président chargé des ventes, le 3 mai."
    assert _category(text, "Yannick Morel", "M.") != MAGISTRATE


def test_a_first_president_is_the_court_whatever_follows():
    text = "Ordonnance rendue par Mme Sidonie Paturel, première présidente, en audience publique."
    assert _category(text, "Sidonie Paturel", "Mme") == MAGISTRATE


def test_a_labour_court_composition_with_two_role_words_and_a_college():
    text = ("Lors des débats et du délibéré :\nMme Clotilde Vernay, Présidente Conseiller (E)\n"
            "M. Anatole Briquet, Assesseur Conseiller (S)\nAssistés de Mme Odile Pras, greffière.")
    assert _category(text, "Clotilde Vernay", "Mme") == MAGISTRATE
    assert _category(text, "Anatole Briquet", "M.") == MAGISTRATE


def test_members_of_a_disciplinary_board_in_its_composition(rules_only):
    text = ("Composition : M. Léon Tardy, conseiller d'Etat, président ; les Drs Ménard, Inès Coudray et "
            "Paul Vigneau, membres titulaires.")
    assert _category(text, "Inès Coudray") == MAGISTRATE
    assert _category(text, "Paul Vigneau") == MAGISTRATE
    assert "Ménard" not in _masked(rules_only, text)
    # a member of a company's staff committee is a person
    text = "Il a consulté M. Joël Brisse, membre titulaire du comité social et économique."
    assert _category(text, "Joël Brisse", "M.") != MAGISTRATE


def test_the_report_of_a_board_member_heard_at_the_hearing(rules_only):
    text = "Après avoir entendu :\n– le rapport du Dr Séverin Malbosc ;\n– les observations de Me Dupin."
    assert "Malbosc" not in _masked(rules_only, text)


def test_a_signature_with_signe_alone_between_the_role_and_the_name():
    text = "Fait à Lyon.\n\nLe greffier,\nSigné\nRoland Bastide-Ferrat"
    assert _category(text, "Roland Bastide-Ferrat") == MAGISTRATE
    text = "Fait à Lyon.\n\nLA PRÉSIDENTE :\n(signé)\nNadège Fourcroy"
    assert _category(text, "Nadège Fourcroy") == MAGISTRATE


# ------------------------------------------------------------------------------------------ persons
def test_a_calendar_word_as_a_surname_after_a_first_name(rules_only):
    text = "Attestations de M. Gilles Samedi et de sa voisine, Mme Rose Février, puis de M. Aimé JEUDI."
    masked = _masked(rules_only, text)
    assert {"Samedi", "Février", "JEUDI"} <= set(masked)
    # a day opening a sentence stays
    assert "Mardi" not in _masked(rules_only, "M. Jean Dupont est venu. Mardi 4 mai, il est reparti.")


def test_a_nickname_after_an_initial_or_a_naming_verb(rules_only):
    text = ("Il était avec Théo R., dit « Le Gros », et un collègue désigné comme « Pacha », et un homme "
            "connu sous le nom de « Grisou ».")
    masked = _masked(rules_only, text)
    assert {"Le Gros", "Pacha", "Grisou"} <= set(masked)
    # a scheme or a contract so designated is no person
    text = "Le contrat dit « Avenir » a été signé ; le dispositif désigné comme « Plan Bleu » s'applique."
    assert not _masked(rules_only, text)


def test_the_surname_after_a_nickname_introduced_by_a_word_for_a_person(rules_only):
    text = "Sa voisine, Mme Rosalie dite « Lili » Kerbrat, atteste l'avoir vue tomber."
    assert {"Lili", "Kerbrat"} <= set(_masked(rules_only, text))


def test_an_experts_report_discussed_in_a_list_stays_a_person(rules_only):
    text = "La société soutient que :\n- le rapport du docteur Fabien Marsal n'est pas définitif ;"
    assert "Marsal" in _masked(rules_only, text)
