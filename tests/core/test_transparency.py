from __future__ import annotations

from amorce.core.transparency import CrpaExplanation, DataSource, ModelCard, Parameter, mention_explicite


def explanation() -> CrpaExplanation:
    return CrpaExplanation(
        subject="Sélection des lauréats",
        administration="DINUM",
        contribution_degree="Aide à la décision : le classement est proposé au comité, qui décide.",
        contribution_mode="Optimisation exacte sous contrainte de budget.",
        data_sources=[DataSource("Notes du jury", "5 critères notés de 0 à 5", "Jury", "2018")],
        parameters=[Parameter("Bénéfices attendus", 4.5, weight=0.3, contribution=1.35),
                    Parameter("Données <disponibles>", 3.0, weight=0.2, contribution=0.6)],
        operations=["Moyenne des notes par critère", "Somme pondérée", "Sélection sous budget"],
        result="Dossier retenu",
        contact="programme@example.gouv.fr",
    )


def test_crpa_markdown_has_the_four_items_of_r311_3_1_2():
    md = explanation().to_markdown()
    for title in ("1. Degré et mode de contribution", "2. Données traitées et leurs sources",
                  "3. Paramètres et pondérations appliqués", "4. Opérations effectuées"):
        assert title in md
    assert "| Bénéfices attendus | 4,5 | 0,3 | 1,35 |" in md
    assert "R311-3-1-2" in md


def test_crpa_html_escapes_values():
    html = explanation().to_html()
    assert "&lt;disponibles&gt;" in html and "<disponibles>" not in html
    assert html.count("<h3>") >= 4 and "<caption>" in html


def test_mention_explicite_cites_the_law():
    text = mention_explicite("classement des candidatures", "programme@example.gouv.fr")
    assert "L311-3-1" in text and "traitement algorithmique" in text and "programme@example.gouv.fr" in text


def test_model_card_round_trip(tmp_path):
    card = ModelCard(name="ciblage-restaurants", version="2026.11", intended_use="Prioriser les contrôles",
                     training_data=[DataSource("Alim'confiance", period="2017-2019")],
                     metrics={"roc_auc": 0.71}, limits=["Ne voit pas les établissements jamais contrôlés"])
    path = tmp_path / "card.json"
    card.save(path)
    loaded = ModelCard.from_dict(__import__("json").loads(path.read_text()))
    assert loaded == card
    assert "| roc_auc | 0,71 |" in card.to_markdown()
    assert "Alim&#x27;confiance" in card.to_html()
