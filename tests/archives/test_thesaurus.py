"""Importing the institution's thesaurus: SKOS (RDF/XML, Turtle) and CSV, French errors with the line."""

from __future__ import annotations

import pytest

from amorce.archives.errors import SourceError
from amorce.archives.thesaurus import read_thesaurus

BASE = "http://vocab.exemple.gouv.fr/architecture/"

SKOS_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         xmlns:dcterms="http://purl.org/dc/terms/">
  <skos:ConceptScheme rdf:about="{BASE}">
    <dcterms:title xml:lang="fr">Éléments d'architecture</dcterms:title>
  </skos:ConceptScheme>
  <skos:Concept rdf:about="{BASE}edifice-religieux">
    <skos:prefLabel xml:lang="en">Religious building</skos:prefLabel>
    <skos:prefLabel xml:lang="fr">Édifice religieux</skos:prefLabel>
    <skos:narrower rdf:resource="{BASE}autel"/>
  </skos:Concept>
  <skos:Concept rdf:about="{BASE}autel">
    <skos:prefLabel xml:lang="fr">Autel</skos:prefLabel>
    <skos:altLabel xml:lang="fr">Maître-autel</skos:altLabel>
  </skos:Concept>
  <rdf:Description rdf:about="{BASE}vitrail">
    <rdf:type rdf:resource="http://www.w3.org/2004/02/skos/core#Concept"/>
    <skos:prefLabel>Vitrail</skos:prefLabel>
    <skos:broader rdf:resource="{BASE}edifice-religieux"/>
  </rdf:Description>
</rdf:RDF>
"""

SKOS_TTL = f"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{BASE}gargouille> a skos:Concept ; skos:prefLabel "Gargouille"@fr ; skos:altLabel "Gargouilles"@fr .
<{BASE}coupole> a skos:Concept ; skos:prefLabel "Coupole"@fr, "Dome"@en ;
    skos:broader <http://autre.exemple.org/toiture> .
"""


def test_skos_rdf_xml_french_labels_alt_labels_and_broader_both_ways(tmp_path):
    path = tmp_path / "architecture.rdf"
    path.write_text(SKOS_XML, encoding="utf-8")
    thesaurus = read_thesaurus(path)
    assert thesaurus.title == "Éléments d'architecture"
    terms = thesaurus.by_uri()
    assert sorted(t.label for t in terms.values()) == ["Autel", "Vitrail", "Édifice religieux"]
    assert terms[BASE + "autel"].alt_labels == ("Maître-autel",)
    assert terms[BASE + "autel"].broader == (BASE + "edifice-religieux",)  # from skos:narrower
    assert terms[BASE + "vitrail"].broader == (BASE + "edifice-religieux",)


def test_skos_turtle_keeps_a_broader_term_of_another_scheme(tmp_path):
    path = tmp_path / "toits.ttl"
    path.write_text(SKOS_TTL, encoding="utf-8")
    terms = read_thesaurus(path).by_uri()
    assert terms[BASE + "coupole"].label == "Coupole"
    assert terms[BASE + "coupole"].broader == ("http://autre.exemple.org/toiture",)
    assert read_thesaurus(path).title == "toits"


def test_broken_skos_gives_the_line(tmp_path):
    path = tmp_path / "casse.rdf"
    path.write_text(SKOS_XML.replace("</skos:prefLabel>\n    <skos:altLabel", "\n    <skos:altLabel", 1),
                    encoding="utf-8")
    with pytest.raises(SourceError, match=r"casse\.rdf, ligne \d+ : fichier SKOS illisible"):
        read_thesaurus(path)
    turtle = tmp_path / "casse.ttl"
    turtle.write_text(SKOS_TTL.replace('"Coupole"@fr,', '"Coupole"@fr "', 1), encoding="utf-8")
    with pytest.raises(SourceError, match=r"casse\.ttl, ligne 3 : fichier SKOS illisible"):
        read_thesaurus(turtle)
    empty = tmp_path / "vide.ttl"
    empty.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n", encoding="utf-8")
    with pytest.raises(SourceError, match="aucun concept SKOS"):
        read_thesaurus(empty)
    nolabel = tmp_path / "sanslibelle.ttl"
    nolabel.write_text(f"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<{BASE}x> a skos:Concept .\n",
                       encoding="utf-8")
    with pytest.raises(SourceError, match=f"concept {BASE}x : skos:prefLabel absent"):
        read_thesaurus(nolabel)


def test_csv_thesaurus_and_every_problem_with_its_line(tmp_path):
    good = tmp_path / "termes.csv"
    good.write_text(f"uri;prefLabel;altLabel;broader\n{BASE}edifice;Édifice;;\n"
                    f"{BASE}autel;Autel;Maître-autel|Autel majeur;{BASE}edifice\n", encoding="utf-8")
    terms = read_thesaurus(good).by_uri()
    assert terms[BASE + "autel"].alt_labels == ("Maître-autel", "Autel majeur")
    assert terms[BASE + "autel"].broader == (BASE + "edifice",)
    bad = tmp_path / "casse.csv"
    bad.write_text(f"uri,label,broader\n{BASE}a,A,\npas une uri,B,\n{BASE}a,A bis,\n{BASE}c,,\n"
                   f"{BASE}d,D,{BASE}inconnu\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_thesaurus(bad)
    message = caught.value.message
    assert message.startswith("casse.csv : ligne 3 : « pas une uri » n'est pas une URI")
    assert f"ligne 4 : {BASE}a déjà défini ligne 2" in message
    assert f"ligne 5 : libellé (prefLabel) vide pour {BASE}c" in message
    assert f"ligne 6 : terme générique (broader) inconnu : {BASE}inconnu" in message
    columns = tmp_path / "colonnes.csv"
    columns.write_text("code,nom\n1,Autel\n", encoding="utf-8")
    with pytest.raises(SourceError, match="colonnes.csv, ligne 1 : colonnes attendues « uri » et « prefLabel »"):
        read_thesaurus(columns)
    with pytest.raises(SourceError, match="format de thésaurus non reconnu"):
        read_thesaurus(good, name="termes.docx")
    with pytest.raises(SourceError, match="format de thésaurus non reconnu"):  # a remote @context: never read
        read_thesaurus(good, name="termes.jsonld")
    with pytest.raises(SourceError, match="introuvable"):
        read_thesaurus(tmp_path / "absent.ttl")
