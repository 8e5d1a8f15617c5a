"""Reading DILA XML/JSON fiches, JSONL, Markdown, HTML, PDF, and reporting every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amorce.assistant import chunk_document, load_documents
from amorce.assistant.documents import SUMMARY_HEADING, sections_from_plain_text
from amorce.core.errors import DataValidationError


@pytest.fixture(scope="module")
def dila(shared_data: Path) -> Path:
    return shared_data / "formats" / "dila_service_public_xml"


def test_dila_xml_and_json_mirror_give_the_same_documents(dila: Path) -> None:
    xml_docs = {d.key: d for d in load_documents(dila / "xml_regenerated_from_json")}
    json_docs = {d.key: d for d in load_documents(dila / "json")}
    assert len(xml_docs) == 16
    assert xml_docs.keys() == json_docs.keys()
    for key, doc in xml_docs.items():
        assert doc.content_hash() == json_docs[key].content_hash(), key


def test_dila_fiche_structure(dila: Path) -> None:
    docs = {d.id: d for d in load_documents(dila / "xml_regenerated_from_json")}
    ptz = docs["F113"]
    assert ptz.title.startswith("A t-on droit plusieurs fois au prêt à taux zéro")
    assert ptz.audience == "particuliers" and ptz.date == "2020-03-26"
    # no spUrl in this file: the URL is rebuilt from audience and id
    assert ptz.url == "https://www.service-public.fr/particuliers/vosdroits/F113"
    assert [s.title for s in ptz.sections][:2] == ["Cas général", "Handicap ou invalidité"]
    assert any(line.startswith("- Vous-même") for line in ptz.sections[1].text.split("\n"))
    assert ptz.breadcrumb[1:3] == ["Argent", "Crédit immobilier"]
    # tables become « cell | cell » rows, sub-chapters keep their parent heading
    inaptitude = docs["F34670"]
    assert "Inférieure à 6 mois | 4 jours" in "\n".join(s.text for s in inaptitude.sections)
    assert any(s.title == "Procédure › Demande de reclassement par l'agent" for s in inaptitude.sections)
    # « 1<Exposant>er</Exposant> janvier » stays readable
    assert "1er janvier 2019" in docs["F3122"].description or "1^er" in docs["F3122"].description


def test_chunks_carry_header_summary_and_sections(dila: Path) -> None:
    doc = next(d for d in load_documents(dila / "json") if d.id == "F34670")
    chunks = chunk_document(doc)
    assert chunks[0].ordinal == 0 and chunks[1].heading == SUMMARY_HEADING
    assert {c.heading for c in chunks[2:]} >= {"Qui est concerné ?", "Constatation de l'inaptitude physique"}
    assert all(len(c.text) <= 1000 for c in chunks)


def test_service_public_jsonl(fiches_path: Path, tmp_path: Path) -> None:
    lines = fiches_path.read_text(encoding="utf-8").splitlines()[:3]
    sample = tmp_path / "f.jsonl"
    sample.write_text("\n".join(lines), encoding="utf-8")
    docs = load_documents(sample)
    first = json.loads(lines[0])
    assert docs[0].id == first["id"] == "F100"
    assert docs[0].url == first["url"] and docs[0].date == "2020-04-14"
    titles = [s.title for s in docs[0].sections]
    assert "Entreprises de 11 à 49 salariés › Budget" in titles
    assert "Entreprises de plus de 50 salariés › Local" in titles
    budget = "\n".join(s.text for s in docs[0].sections)
    assert "- 0,20% de la masse salariale brute dans les entreprises de 50 à 1999 salariés," in budget


def test_plain_text_lists_and_headings() -> None:
    sections = sections_from_plain_text(
        "Résumé.\nDémarche\nVous devez fournir :\nune pièce d'identité,\nun justificatif de domicile.\nFin du texte.")
    assert sections[0].title == "" and sections[1].title == "Démarche"
    assert sections[1].text.split("\n") == ["Vous devez fournir :", "- une pièce d'identité,",
                                            "- un justificatif de domicile.", "Fin du texte."]


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "F1", "title": "Titre", "text": "ok"}\n{"id": "F2"}\nnot json\n'
                   '{"id": "F3", "title": "T", "text": "x", "audience": "touristes"}\n', encoding="utf-8")
    (tmp_path / "broken.xml").write_text("<Publication ID='F9'><dc:title>oops</Publication>", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_documents(tmp_path)
    problems = info.value.problems
    where = {(Path(p.file).name, p.line) for p in problems}
    assert ("bad.jsonl", 2) in where and ("bad.jsonl", 3) in where and ("bad.jsonl", 4) in where
    assert any(Path(p.file).name == "broken.xml" for p in problems)
    assert "ligne 2" in info.value.message and "title" in info.value.message


def test_a_document_read_twice_is_reported_not_dropped(tmp_path: Path) -> None:
    row = '{{"id": "F1", "title": "{}", "text": "Texte.", "audience": "{}"}}\n'
    # the same fiche for two audiences is two documents; the same key twice is a problem
    (tmp_path / "a.jsonl").write_text(row.format("Carte grise", "particuliers") + row.format("Carte grise", "professionnels")
                                      + row.format("Passeport", "particuliers"), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(row.format("Permis", "professionnels"), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_documents(tmp_path)
    found = {(Path(p.file).name, p.line, p.message) for p in info.value.problems}
    assert found == {("a.jsonl", 3, "document « F1 » en double (déjà à la ligne 1)"),
                     ("b.jsonl", None, f"document « F1 » en double : déjà lu dans {tmp_path / 'a.jsonl'}")}


def test_markdown_html_pdf_and_text(tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text(
        "---\ntitle: Guide de l'accueil\nurl: https://exemple.gouv.fr/guide\naudience: professionnels\n"
        "date: 2024-05-02\n---\n# Ignored H1\n\nIntro.\n\n## Étapes\n\n1. Prendre rendez-vous\n2. Venir avec "
        "[ses papiers](https://x)\n", encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Page</title><link rel='canonical' href='https://ex.fr/p'></head><body>"
        "<nav>menu</nav><h1>Horaires de la mairie</h1><p>Ouverte le lundi.</p><h2>Pièces</h2>"
        "<ul><li>Carte d'identité</li><li>Justificatif</li></ul><script>x()</script></body></html>",
        encoding="utf-8")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Règlement intérieur de la médiathèque")
    pdf.output(str(tmp_path / "reglement.pdf"))
    (tmp_path / "note.txt").write_text("Note de service\nLe guichet ferme à 17 h.\n", encoding="utf-8")
    docs = {d.kind: d for d in load_documents(tmp_path)}
    md = docs["markdown"]
    assert (md.title, md.url, md.audience, md.date) == ("Guide de l'accueil", "https://exemple.gouv.fr/guide",
                                                        "professionnels", "2024-05-02")
    assert md.sections[-1].title == "Étapes"
    assert md.sections[-1].text.split("\n") == ["- Prendre rendez-vous", "- Venir avec ses papiers"]
    html = docs["html"]
    assert html.title == "Horaires de la mairie" and html.url == "https://ex.fr/p"
    assert "menu" not in str(html.sections) and "x()" not in str(html.sections)
    assert html.sections[-1].title == "Pièces" and "- Carte d'identité" in html.sections[-1].text
    assert "médiathèque" in docs["pdf"].sections[0].text
    assert docs["text"].title == "Note de service"


def test_markdown_code_blocks_tables_and_links(tmp_path: Path) -> None:
    (tmp_path / "script.md").write_text(
        "# Sauvegarder ses fichiers\n\nLancez la commande :\n\n```sh\n# une ligne de commentaire\n"
        "tar czf sauvegarde.tgz ~/\n```\n\n    # bloc indenté\n\n## Tarifs\n\n| Formule | Prix |\n|---|---|\n"
        "| Base | 2 € |\n\nVoir [la page officielle](https://exemple.fr) et *le guide*.\n", encoding="utf-8")
    (doc,) = load_documents(tmp_path / "script.md")
    assert doc.title == "Sauvegarder ses fichiers"
    assert [s.title for s in doc.sections] == ["", "Tarifs"]  # « # une ligne… » is code, not a heading
    assert doc.sections[0].text.split("\n") == ["Lancez la commande :", "# une ligne de commentaire",
                                                 "tar czf sauvegarde.tgz ~/", "# bloc indenté"]
    assert doc.sections[1].text.split("\n") == ["Formule | Prix", "Base | 2 €",
                                                 "Voir la page officielle et le guide."]
