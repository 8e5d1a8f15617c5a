"""``amorce assistant index / ask / evaluate`` command lines."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from amorce.assistant import AssistantError
from amorce.cli import app

from .conftest import KB_NAME

runner = CliRunner()


def test_ask_json_contract(kb_root: Path, monkeypatch) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(kb_root))
    monkeypatch.delenv("LLM_BASE_URL", raising=False)
    result = runner.invoke(app, ["assistant", "ask", "je suis étudiant, je dois payer la taxe d'habitation ?",
                                 "--kb", KB_NAME, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"answer", "sources", "confidence", "refused", "mode", "follow_up"}
    assert payload["refused"] is False and 0 <= payload["confidence"] <= 1
    assert payload["sources"][0]["id"] == "F274"
    assert set(payload["sources"][0]) == {"id", "title", "url", "score"}


def test_index_and_ask_in_french(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path / "data"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "piscine.md").write_text("# Horaires de la piscine municipale\n\n## Été\n\nOuverte de 10 h à 19 h.\n",
                                     encoding="utf-8")
    result = runner.invoke(app, ["assistant", "index", "--source", str(docs), "--kb", "ville"])
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output or "1 document" in result.output
    result = runner.invoke(app, ["assistant", "ask", "horaires de la piscine municipale en été", "--kb", "ville"])
    assert result.exit_code == 0, result.output
    assert "Horaires de la piscine municipale" in result.output


def test_missing_knowledge_base_is_a_clear_french_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["assistant", "ask", "question", "--kb", "absente", "--json"])
    assert isinstance(result.exception, AssistantError)
    assert "amorce assistant index --source" in result.exception.message


def test_help_is_in_french() -> None:
    result = runner.invoke(app, ["assistant", "--help"])
    assert result.exit_code == 0 and "Assistant citoyen" in result.output
    assert "Indexer" in runner.invoke(app, ["assistant", "index", "--help"]).output


TOWN_PAGES = {
    "piscine": ("Horaires et tarifs de la piscine municipale",
                "La piscine est ouverte du mardi au dimanche, de 10 h à 19 h. L'entrée coûte 3,50 € pour les "
                "adultes et 2 € pour les enfants."),
    "mediatheque": ("S'inscrire à la médiathèque",
                    "L'inscription à la médiathèque est gratuite pour les habitants. Vous pouvez emprunter "
                    "10 livres et 5 DVD pour 3 semaines."),
    "cantine": ("Inscription à la cantine scolaire",
                "L'inscription à la restauration scolaire se fait en mairie avant le 15 août. Le prix du repas "
                "dépend du quotient familial."),
    "encombrants": ("Collecte des encombrants",
                    "Les meubles, matelas et appareils ménagers sont collectés sur rendez-vous une fois par mois."),
    "salle": ("Louer la salle des fêtes",
              "Les habitants peuvent louer la salle des fêtes pour une réception, au moins 2 mois à l'avance."),
    "stationnement": ("Carte de stationnement résidentiel",
                      "Les résidents du centre-ville obtiennent une carte de stationnement pour 15 € par mois."),
}
TOWN_QUESTIONS = [
    ("la piscine ouvre à quelle heure ?", "piscine"), ("c'est combien l'entrée piscine pour un gamin", "piscine"),
    ("comment je m'inscris à la médiathèque", "mediatheque"), ("on peut emprunter combien de livres", "mediatheque"),
    ("inscrire mon fils à la cantine", "cantine"), ("prix du repas à la cantine de l'école", "cantine"),
    ("se débarrasser d'un vieux matelas", "encombrants"), ("ramassage des meubles quand ?", "encombrants"),
    ("louer la salle des fêtes pour un mariage", "salle"), ("réserver la salle combien de temps avant", "salle"),
    ("carte pour se garer devant chez moi", "stationnement"), ("stationnement résidents prix", "stationnement"),
    ("horaires du cimetière", "cimetiere"),  # a page this base does not have
]
TOWN_OUT = ["recette de la tarte tatin", "qui a gagné la coupe du monde 2018", "distance de la Terre à la Lune",
            "meilleur film de l'année", "comment réparer un vélo", "quelle heure est-il à Tokyo",
            "capitale de l'Australie", "traduire bonjour en japonais"]


def test_evaluate_and_calibrate_another_base_with_its_own_questions(tmp_path: Path, monkeypatch) -> None:
    """A town hall calibrates its own base with its own questions (--questions): the service-public
    questions, about documents this base does not hold, are left out instead of counting as misses."""
    monkeypatch.setenv("AMORCE_DATA_DIR", str(tmp_path / "data"))
    docs, questions = tmp_path / "docs", tmp_path / "questions"
    docs.mkdir()
    questions.mkdir()
    for slug, (title, text) in TOWN_PAGES.items():
        (docs / f"{slug}.md").write_text(f"---\nid: {slug}\ntitle: {title}\n---\n\n# {title}\n\n{text}\n",
                                         encoding="utf-8")
    assert runner.invoke(app, ["assistant", "index", "--source", str(docs), "--kb", "ville"]).exit_code == 0
    (questions / "colloquial_questions.jsonl").write_text("".join(
        json.dumps({"question": q, "fiche_id": doc, "split": "dev"}, ensure_ascii=False) + "\n"
        for q, doc in TOWN_QUESTIONS), encoding="utf-8")
    (questions / "out_of_scope_questions.jsonl").write_text("".join(
        json.dumps({"question": q, "split": "dev"}, ensure_ascii=False) + "\n" for q in TOWN_OUT), encoding="utf-8")

    result = runner.invoke(app, ["assistant", "evaluate", "--kb", "ville", "--calibrate", "--questions",
                                 str(questions), "--sans-travail", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    calibration = json.loads((tmp_path / "data" / "assistant" / "ville" / "calibration.json").read_text())
    assert "12 dev" in calibration["fitted_on"] and "8 hors périmètre" in calibration["fitted_on"]
    assert set(report["retrieval"]) == {"familier_dev"}  # no service-public question applies here
    assert report["retrieval"]["familier_dev"]["hybrid"]["n"] == 12
    assert report["ignored"]["familier_dev"] == 1
    assert report["retrieval"]["familier_dev"]["hybrid"]["top3"] >= 0.9
    assert report["refusal"]["dev"]["in_scope_n"] == 12 and report["refusal"]["dev"]["out_of_scope_n"] == 8


def test_evaluate_questions_folder_must_hold_both_files(tmp_path: Path, monkeypatch, kb_root: Path) -> None:
    monkeypatch.setenv("AMORCE_DATA_DIR", str(kb_root))
    (tmp_path / "colloquial_questions.jsonl").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["assistant", "evaluate", "--kb", KB_NAME, "--questions", str(tmp_path)])
    assert isinstance(result.exception, AssistantError)
    assert "out_of_scope_questions.jsonl" in result.exception.message
