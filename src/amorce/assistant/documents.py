"""Documents of a knowledge base and their cutting into retrievable chunks (one per section)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from amorce.core.errors import AmorceError

AUDIENCES = ("particuliers", "professionnels", "associations")
SERVICE_PUBLIC_URL = "https://www.service-public.fr/{audience}/vosdroits/{id}"

# Chunk sizes (characters). Sections longer than MAX_CHUNK_CHARS are cut on line boundaries.
MAX_CHUNK_CHARS = 900
EMBED_CHARS = 420
SUMMARY_HEADING = "En bref"
# Part of every content hash: changing how documents are cut or embedded re-embeds everything.
CHUNKING_VERSION = "2"


class AssistantError(AmorceError):
    """Error of the citizen assistant (knowledge base, retrieval, answers)."""


@dataclass
class Section:
    """A titled part of a document; list items are lines starting with ``- ``."""

    title: str
    text: str


@dataclass
class Document:
    id: str
    title: str
    url: str = ""
    audience: str = ""
    date: str = ""
    description: str = ""
    breadcrumb: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    kind: str = "document"
    source: str = ""

    @property
    def key(self) -> str:
        """Unique key in a knowledge base (the same fiche exists for several audiences)."""
        return f"{self.audience or '-'}/{self.id}"

    def content_hash(self) -> str:
        payload = asdict(self)
        payload.pop("source")
        payload["chunking"] = CHUNKING_VERSION
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:32]

    def meta(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url, "audience": self.audience,
                "date": self.date, "description": self.description, "breadcrumb": self.breadcrumb,
                "kind": self.kind, "source": self.source}


@dataclass
class Chunk:
    doc_key: str
    ordinal: int
    heading: str
    text: str

    def lexical_text(self, meta: dict) -> str:
        if self.ordinal == 0:
            return " ".join([meta["title"], self.text, " ".join(meta.get("breadcrumb", [])[1:-1])])
        return f"{meta['title']} {self.heading} {self.text}"

    def embedding_text(self, meta: dict) -> str:
        if self.ordinal == 0:  # the title alone: citizens' questions are worded like fiche titles
            return meta["title"][:EMBED_CHARS]
        head = f"{meta['title']} — {self.heading}" if self.heading else meta["title"]
        return f"{head}. {self.text}"[:EMBED_CHARS]


_SPACES = re.compile(r"[ \t\u00a0\u202f]+")


def clean(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def chunk_document(doc: Document, max_chars: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Header chunk (title; lexical text adds the summary and theme path), the summary, then one chunk
    per section, long sections cut on lines."""
    chunks = [Chunk(doc.key, 0, "", clean(doc.description) or clean(doc.title))]
    if clean(doc.description):
        chunks.append(Chunk(doc.key, 1, SUMMARY_HEADING, clean(doc.description)))
    for section in doc.sections:
        lines = [clean(line) for line in section.text.split("\n")]
        lines = [line for line in lines if line]
        buf: list[str] = []
        size = 0
        for line in lines:
            if buf and size + len(line) > max_chars:
                chunks.append(Chunk(doc.key, len(chunks), section.title, "\n".join(buf)))
                buf, size = [], 0
            buf.append(line)
            size += len(line) + 1
        if buf:
            chunks.append(Chunk(doc.key, len(chunks), section.title, "\n".join(buf)))
    return chunks


def iso_date(raw: str | None) -> str:
    """« modified 2020-04-14 », « 2020-04-14T00:00:00 » → « 2020-04-14 » ('' if none)."""
    match = re.search(r"(\d{4}-\d{2}-\d{2})", raw or "")
    return match.group(1) if match else ""


def normalize_audience(raw: str | None) -> str:
    value = (raw or "").strip().lower()
    for audience in AUDIENCES:
        if value.startswith(audience[:5]):
            return audience
    return ""


_HEADING_END = re.compile(r"[.:;,!?)»\"]$")


def sections_from_plain_text(text: str, *, skip_first: str = "") -> list[Section]:
    """Split service-public plain text into sections.

    The text has one block per line; headings are short lines without final punctuation that are
    followed by a longer line. Lines that follow a line ending with « : » up to a line ending with
    « . » are list items.
    """
    lines = [clean(line) for line in (text or "").split("\n")]
    lines = [line for line in lines if line]
    if lines and skip_first and clean(skip_first) == lines[0]:
        lines = lines[1:]
    sections: list[Section] = []
    title, parent, raw_title, body = "", "", "", []
    in_list = previous_heading = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        is_heading = (len(line) <= 90 and not _HEADING_END.search(line) and nxt and not in_list
                      and not line[0].islower())
        if is_heading:
            if body:
                sections.append(Section(title, "\n".join(body)))
            if previous_heading:  # two headings in a row: the first one is a situation / chapter
                parent = raw_title
            title, raw_title, body = (f"{parent} › {line}" if parent else line), line, []
            previous_heading = True
            continue
        previous_heading = False
        if in_list:
            body.append("- " + line)
            if line.endswith(".") or not line.endswith((",", ";")) and len(line) > 200:
                in_list = False
        else:
            body.append(line)
            in_list = line.endswith(":")
    if body:
        sections.append(Section(title, "\n".join(body)))
    return sections
