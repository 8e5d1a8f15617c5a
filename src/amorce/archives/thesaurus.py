"""The institution's vocabulary: a thesaurus read from SKOS (RDF/XML, Turtle, N-Triples) or CSV.

Each term has a URI (its identity in exports), a preferred label (French first), alternative labels
and broader terms (URIs). Every problem of a file is reported at once, with its line (CSV) or the
element concerned (SKOS); nothing is half-read. Pure: no Django (``rdflib`` parses RDF).

CSV columns: ``uri``, ``prefLabel`` (or ``label``, ``libelle``, ``terme``), optional ``altLabel``
(several separated by ``|``) and ``broader`` (the broader term's URI, or several separated by ``|``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError

SKOS = "http://www.w3.org/2004/02/skos/core#"
# No JSON-LD: its remote @context would be fetched over the network while parsing an uploaded file.
RDF_FORMATS = {".rdf": "xml", ".xml": "xml", ".owl": "xml", ".skos": "xml", ".ttl": "turtle", ".nt": "nt"}
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
URI = re.compile(r"^(https?|urn|ark|info):[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
LABEL_COLUMNS = ("preflabel", "label", "libelle", "libellé", "terme", "skos:preflabel")
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Term:
    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


@dataclass
class Thesaurus:
    title: str
    terms: list[Term] = field(default_factory=list)

    def by_uri(self) -> dict[str, Term]:
        return {t.uri: t for t in self.terms}


def _fail(name: str, problems: list[str]) -> None:
    more = f" ; … et {len(problems) - MAX_PROBLEMS} autre(s)" if len(problems) > MAX_PROBLEMS else ""
    raise SourceError(f"{name} : " + " ; ".join(problems[:MAX_PROBLEMS]) + more, source=name, problems=problems)


def read_thesaurus(path: str | Path, *, name: str | None = None) -> Thesaurus:
    """Read a thesaurus file by its suffix (``.csv``, ``.rdf``/``.xml``, ``.ttl``, ``.nt``)."""
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise SourceError(f"Thésaurus introuvable : {path}", source=str(path))
    suffix = Path(name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(path, name=name)
    if suffix in RDF_FORMATS:
        return read_skos(path, RDF_FORMATS[suffix], name=name)
    raise SourceError(f"{name} : format de thésaurus non reconnu (attendu : SKOS en .rdf, .xml, .ttl ou .nt, "
                      f"ou CSV en .csv avec les colonnes uri, prefLabel, altLabel, broader).", source=name)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def read_csv(path: str | Path, *, name: str | None = None) -> Thesaurus:
    from amorce.core.errors import AmorceError
    from amorce.core.files import read_csv_rows

    path = Path(path)
    name = name or path.name
    try:
        rows = read_csv_rows(path)
    except AmorceError as exc:
        raise SourceError(f"{name} : {exc.message}", source=name) from exc
    header = {k.lower(): k for k in (rows[0] if rows else {}) if k != "__line__"}
    if not rows:
        raise SourceError(f"{name} : aucun terme (le fichier n'a pas de ligne après l'en-tête).", source=name)
    uri_col = header.get("uri") or header.get("id") or header.get("concept")
    label_col = next((header[c] for c in LABEL_COLUMNS if c in header), None)
    if uri_col is None or label_col is None:
        raise SourceError(f"{name}, ligne 1 : colonnes attendues « uri » et « prefLabel » (ou « label », "
                          f"« libelle ») ; trouvées : {', '.join(header.values()) or 'aucune'}.", source=name)
    alt_col = header.get("altlabel") or header.get("skos:altlabel") or header.get("synonymes")
    broader_col = header.get("broader") or header.get("skos:broader") or header.get("parent")
    terms, lines, problems = [], {}, []
    for row in rows:
        line = row["__line__"]
        uri, label = row.get(uri_col) or "", row.get(label_col) or ""
        if not uri:
            problems.append(f"ligne {line} : URI vide")
            continue
        if not URI.match(uri):
            problems.append(f"ligne {line} : « {uri} » n'est pas une URI (attendu http://…, https://…, urn:… "
                            "ou ark:…)")
            continue
        if not label:
            problems.append(f"ligne {line} : libellé (prefLabel) vide pour {uri}")
            continue
        if uri in lines:
            problems.append(f"ligne {line} : {uri} déjà défini ligne {lines[uri]}")
            continue
        lines[uri] = line
        terms.append(Term(uri, label, _split(row.get(alt_col, "")) if alt_col else (),
                          _split(row.get(broader_col, "")) if broader_col else ()))
    for term in terms:
        for parent in term.broader:
            if parent not in lines:
                problems.append(f"ligne {lines[term.uri]} : terme générique (broader) inconnu : {parent}")
    if problems:
        _fail(name, problems)
    return Thesaurus(Path(name).stem, terms)


def _parse_error(name: str, exc: Exception) -> SourceError:
    """A French message with the line of an RDF syntax error (XML or Turtle)."""
    line = None
    if hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        line = exc.getLineNumber()
    else:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
    if getattr(exc, "_why", None):  # rdflib's Turtle / N-Triples BadSyntax
        detail = str(exc._why)
    elif hasattr(exc, "getMessage"):
        detail = str(exc.getMessage())
    else:
        detail = str(exc) or type(exc).__name__
    detail = (detail.strip().splitlines() or [type(exc).__name__])[0][:200]
    where = f", ligne {line}" if line else ""
    return SourceError(f"{name}{where} : fichier SKOS illisible (syntaxe RDF incorrecte : {detail}).",
                       source=name, line=line)


def read_skos(path: str | Path, rdf_format: str = "xml", *, name: str | None = None) -> Thesaurus:
    """The ``skos:Concept`` of an RDF file (or every subject with a ``skos:prefLabel``)."""
    import logging

    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    path = Path(path)
    name = name or path.name
    skos = Namespace(SKOS)
    graph = Graph()
    rdflib_logger = logging.getLogger("rdflib")
    level = rdflib_logger.level
    rdflib_logger.setLevel(logging.CRITICAL)
    try:
        graph.parse(path.as_posix(), format=rdf_format)
    except Exception as exc:  # noqa: BLE001 - any parser error becomes a French message with its line
        raise _parse_error(name, exc) from exc
    finally:
        rdflib_logger.setLevel(level)
    concepts = set(graph.subjects(RDF.type, skos.Concept)) | set(graph.subjects(skos.prefLabel, None))

    def best(subject, predicate) -> str:
        labels = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
        for lang in ("fr", None, "en"):
            for label in sorted(labels):
                if label.language == lang or (lang is None and not label.language):
                    return str(label).strip()
        return str(sorted(labels)[0]).strip() if labels else ""

    problems, terms = [], []
    broader: dict[str, set[str]] = {}
    for concept in concepts:
        if not isinstance(concept, URIRef):
            problems.append("un concept sans URI (nœud anonyme) : chaque skos:Concept doit avoir un rdf:about")
            continue
        parents = {str(o) for o in graph.objects(concept, skos.broader) if isinstance(o, URIRef)}
        broader.setdefault(str(concept), set()).update(parents)
        for child in graph.objects(concept, skos.narrower):
            if isinstance(child, URIRef):
                broader.setdefault(str(child), set()).add(str(concept))
    for concept in sorted(c for c in concepts if isinstance(c, URIRef)):
        uri = str(concept)
        label = best(concept, skos.prefLabel)
        if not label:
            problems.append(f"concept {uri} : skos:prefLabel absent")
            continue
        alts = tuple(sorted({str(o).strip() for o in graph.objects(concept, skos.altLabel)
                             if isinstance(o, Literal) and str(o).strip()}))
        terms.append(Term(uri, label, alts, tuple(sorted(broader.get(uri, ())))))
    if problems:  # a broader term outside the file (another scheme) is kept as a URI
        _fail(name, sorted(set(problems)))
    if not terms:
        raise SourceError(f"{name} : aucun concept SKOS (skos:Concept avec skos:prefLabel) trouvé.", source=name)
    title = ""
    for scheme in graph.subjects(RDF.type, skos.ConceptScheme):
        title = best(scheme, DCTERMS.title) or best(scheme, skos.prefLabel)
        if title:
            break
    return Thesaurus(title or Path(name).stem, terms)
