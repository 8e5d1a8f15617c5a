"""Plain data structures: a decision and an entity span (offsets into the original text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amorce.core.text import fold_chars


@dataclass
class Decision:
    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, **self.metadata}


@dataclass
class Entity:
    start: int
    end: int
    category: str
    text: str
    score: float = 1.0
    source: str = ""
    entity_id: str = ""
    replacement: str | None = None

    @property
    def doubt(self) -> float:
        return round(1.0 - self.score, 3)

    def to_dict(self, *, with_doubt: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "category": self.category,
                               "text": self.text, "replacement": self.replacement}
        if with_doubt:
            out["doubt"] = self.doubt
            out["source"] = self.source
        return out


def entity_key(category: str, text: str) -> str:
    """Label's ``entityId``: category plus the folded text (same text → same replacement)."""
    return f"{category}_{' '.join(fold_chars(text).split())}"
