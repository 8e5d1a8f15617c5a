"""Classes of rounds 29 and 30 (issue 18): judges named by the words of a hearing or of a signature
(« devant X, vice-présidente statuant à juge unique », « Le chef de chambre : X », « Fait à …, le … ⏎
Signé : X »). Invented sentences only (never copied from the rounds)."""

from __future__ import annotations

from amorce.decisions.persons import context_category
from amorce.decisions.taxonomy import MAGISTRATE, PERSON


def _category(text: str, name: str, civ: str = "") -> tuple[str | None, bool]:
    start = text.index(name)
    return context_category(text, start, start + len(name), civ)


def test_judge_named_after_devant_in_the_hearing_sentence():
    text = ("Débats à l'audience publique du 3 mars 2025, devant Ombeline Carassou-Vidal, vice-présidente "
            "statuant à juge unique, assistée de Mme Lise Arnal, greffière.")
    assert _category(text, "Ombeline Carassou-Vidal") == (MAGISTRATE, True)
    text = "Audience du 2 juin 2024, devant Basilide Ormancey, assisté de Mme Lise Arnal."
    assert _category(text, "Basilide Ormancey") == (MAGISTRATE, True)
    text = "Mme Nadège Colin, vice-présidente statuant en référé, a entendu les parties."
    assert _category(text, "Nadège Colin", "Mme") == (MAGISTRATE, True)
    # « devant » outside a hearing is no court's
    assert _category("Il a déclaré devant Ombeline Carassou-Vidal, sa voisine, qu'il partait.",
                     "Ombeline Carassou-Vidal")[0] != MAGISTRATE


def test_head_of_chamber_signing():
    text = "Lu en audience publique le 4 mai 2026.\n\nLa présidente : F. Gramont\nLe chef de chambre : Aubert Mérindol"
    assert _category(text, "Aubert Mérindol") == (MAGISTRATE, True)
    text = "Ainsi jugé.\n\nLa cheffe de greffe : Irène Duvallon\n"
    assert _category(text, "Irène Duvallon")[0] != PERSON


def test_signed_line_closing_an_order():
    text = ("Article 2 : La présente ordonnance sera notifiée à M. Paul Dufresne.\n\n"
            "Fait à Lyon, le 3 avril 2026\nSigné : Clémentine Auvray-Dessaix")
    assert _category(text, "Clémentine Auvray-Dessaix") == (MAGISTRATE, True)
    # an attestation quoted in the middle of the facts is a witness's
    text = ("Fait à Lyon, le 3 avril 2026\nSigné : Clémentine Auvray-Dessaix\n" + "Les faits sont anciens. " * 20)
    assert _category(text, "Clémentine Auvray-Dessaix")[0] != MAGISTRATE


# ------------------------------------------------------------------------------------ persons
def _masked(rules_only, text: str) -> list[str]:
    return [e.text for e in rules_only.detect(text, []) if rules_only.policy.is_masked(e.category)]


def test_head_of_a_company_named_after_dont_le_president():
    text = "Elle travaillait pour la société Tissages Alpha, dont le président, M. Lenoir, réside à Gand."
    assert _category(text, "Lenoir", "M.")[0] == PERSON
    # a chamber's president stays the court's
    assert _category("La chambre, dont le président, M. Lenoir, a fait le rapport.", "Lenoir", "M.")[0] == MAGISTRATE


def test_interpreter_named_in_the_composition():
    text = ("Audience publique, en présence de Mme Lise Arnal, greffière, et de M. Farid Benali, interprète en "
            "langue arabe, le rapporteur a lu son rapport.")
    assert _category(text, "Farid Benali", "M.") == (PERSON, True)
    assert _category(text, "Lise Arnal", "Mme") == (MAGISTRATE, True)


def test_abbreviated_first_name_before_a_name(rules_only):
    text = "Le prévenu, M. Rahim Uddin KHAN, né le 3/4/1980. Déclare Md. Rahim Uddin KHAN coupable."
    assert "Md." in _masked(rules_only, text)


def test_spelling_variants_alias_and_nickname_in_quotes(rules_only):
    masked = _masked(rules_only, "M. Karimi — dont le nom est aussi écrit « Kerimi » sur son passeport — réside à Caen.")
    assert "Kerimi" in masked
    masked = _masked(rules_only, "M. Sami Rasul, dont le prénom est également orthographié « Samy » et le nom "
                                 "« Rassoul » sur son titre, réside ici.")
    assert {"Samy", "Rassoul"} <= set(masked)
    assert "el Flaco" in _masked(rules_only, "Les faits établissent que Moreno, sous l'alias « el Flaco », a organisé "
                                             "le trafic.")
    assert "de Chef" in _masked(rules_only, "un contremaître, M. Pieter Smet, surnommé sur le chantier « de Chef ».")
    assert "Bail" not in _masked(rules_only, "Le contrat est aussi écrit « Bail » en tête.")


def test_initials_in_a_signature_or_after_a_role_noun(rules_only):
    assert {"P.", "D."} <= set(_masked(rules_only, "Il verse un reçu manuscrit signé « P. D. ». Le tribunal statue."))
    assert {"K.", "L.", "M."} <= set(_masked(rules_only, "selon les déclarations du coopérant K. L. M. ; elle produit"))
    # a legal reference or a judge's initials are no person's
    assert not _masked(rules_only, "en application de l'article L. R. du code, le président J. M. a statué")
