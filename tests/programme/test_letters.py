"""Decision letters (HTML, PDF) with the CRPA notice, R311-3-1-2 explanation, transparency sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from amorce.core.transparency import mention_explicite
from amorce.programme.demo import generate_demo
from amorce.programme.errors import ProgrammeError
from amorce.programme.letters import (
    PURPOSE,
    DecisionLetter,
    applicant_explanation,
    render_letter_html,
    render_letter_pdf,
    transparency_sheet_html,
    transparency_sheet_markdown,
)
from amorce.programme.scoring import CRITERIA_2018, weighted_score
from amorce.programme.selection import Constraints, explain, select


def letter(**changes) -> DecisionLetter:
    values = dict(call_title="Programme d'amorçage IA", administration="la DINUM", structure="Météo-France",
                  recipient="Mme Élodie Œuvrard", project_title="Prévision <des> crues", dossier_ref="AMI-IA-2018-007",
                  decision="refuse", motivation="Score pondéré inférieur à celui des lauréats.",
                  contact="ia@numerique.gouv.fr", issued_on=date(2018, 11, 2))
    values.update(changes)
    return DecisionLetter(**values)


@pytest.fixture(scope="module")
def explanation():
    marks = {"benefices": 3.3, "pertinence": 4.0, "equipe": 2.7, "donnees": 3.0, "ethique": 4.0}
    return applicant_explanation(call_title="Programme d'amorçage IA", administration="la DINUM",
                                 contact="ia@numerique.gouv.fr", dossier_ref="AMI-IA-2018-007",
                                 criteria=list(CRITERIA_2018), marks=marks, juror_count=3,
                                 constraints=Constraints(1_000_000, 4, 5, {"ministry": 1}))


def test_html_letter_carries_the_mention_explicite_and_escapes(explanation):
    html = render_letter_html(letter(), explanation)
    assert mention_explicite(PURPOSE, "ia@numerique.gouv.fr", administration="la DINUM").replace("'", "&#x27;") in html
    assert "Prévision &lt;des&gt; crues" in html and "<des>" not in html
    assert "décision de refus" in html and "recours contentieux" in html
    assert "Explication de la décision" in html and "Pertinence technique" in html
    accepted = render_letter_html(letter(decision="accepte", motivation="", amount=200_000, coaching_months=10))
    assert "a été retenu" in accepted and "200\u202f000\xa0€" in accepted and "10 mois" in accepted
    assert "recours" not in accepted


def test_refusal_must_be_motivated():
    with pytest.raises(ProgrammeError, match="motivée"):
        letter(motivation="  ")
    with pytest.raises(ProgrammeError, match="inconnue"):
        letter(decision="peut-etre")


def test_explanation_parameters_match_the_weighted_score(explanation):
    params = {p.name: p for p in explanation.parameters}
    assert params["Pertinence technique"].value == 4.0 and params["Pertinence technique"].weight == 0.2
    total = sum(p.contribution for p in explanation.parameters if p.contribution is not None)
    score = weighted_score({"benefices": 3.3, "pertinence": 4.0, "equipe": 2.7, "donnees": 3.0, "ethique": 4.0},
                           CRITERIA_2018)
    assert total == pytest.approx(score, abs=0.03)
    assert params["Score pondéré (sur 20)"].value == round(score, 2)
    assert any("HiGHS" in op or "nombres entiers" in op for op in explanation.operations)
    assert "au plus 1 lauréat par ministère" in explanation.operations[3]


def test_pdf_letter_is_readable_unicode(tmp_path: Path, explanation):
    pypdf = pytest.importorskip("pypdf")
    path = tmp_path / "lettre.pdf"
    data = render_letter_pdf(letter(), path, explanation)
    assert data.startswith(b"%PDF") and path.read_bytes() == data
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 2
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Mme Élodie Œuvrard" in first and "Prévision <des> crues" in first
    assert "L311-3-1" in first and "traitement algorithmique" in first
    second = " ".join(reader.pages[1].extract_text().split())
    assert "R311-3-1-2" in second and "Pertinence technique" in second


def test_transparency_sheet():
    constraints = Constraints(1_000_000, 4, 5, {"ministry": 1})
    markdown = transparency_sheet_markdown("Appel 2018", "la DINUM", list(CRITERIA_2018), constraints)
    assert markdown.startswith("# Fiche de transparence")
    assert "Prise en compte des risques éthiques : poids 20 %" in markdown
    assert "HiGHS" in markdown and "Au plus 1 lauréat par ministère." in markdown
    html = transparency_sheet_html("Appel <2018>", "la DINUM", list(CRITERIA_2018), constraints)
    assert "Appel &lt;2018&gt;" in html and "<h3>Opérations</h3>" in html


def test_letters_for_the_demo_selection():
    programme = generate_demo(count=20, seed=7)
    candidates = programme.candidates()
    constraints = programme.call.constraints
    best = select(candidates, constraints)
    notes = {e.id: e for e in explain(candidates, constraints, best)}
    refused = next(c for c in candidates if c.id not in best.selected)
    app = next(a for a in programme.applications if a.ref == refused.id)
    expl = applicant_explanation(call_title=programme.call.title, administration=programme.call.administration,
                                 contact=programme.call.contact, dossier_ref=app.ref, criteria=programme.call.criteria,
                                 marks=app.marks(), juror_count=len(app.jury_marks), constraints=constraints,
                                 selection_explanation=notes[app.ref], laureate_count=len(best.selected))
    assert "Non retenu" in expl.result and f"Nombre de lauréats proposés : {len(best.selected)}" in expl.result
    assert expl.to_markdown().count("|") > 20
