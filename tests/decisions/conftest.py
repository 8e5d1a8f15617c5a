"""Fixtures of the decisions tests: one spaCy pipeline per session, the shared annotated data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def pseudonymiser():
    from amorce.decisions import Pseudonymiser

    return Pseudonymiser()


@pytest.fixture(scope="session")
def rules_only():
    """The pipeline without spaCy: the rules alone (most class tests)."""
    from amorce.decisions import Pseudonymiser

    return Pseudonymiser(use_ner=False)


@pytest.fixture(scope="session")
def court(shared_data) -> Path:
    return shared_data / "french_court_decisions"


@pytest.fixture(scope="session")
def tricky() -> list[dict]:
    with (DATA / "tricky_decisions.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
