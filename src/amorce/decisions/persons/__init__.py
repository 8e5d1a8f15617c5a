"""French legal heuristics for people: civilities, names in capitals, compound names and
particles, the role of each person (party, magistrate or clerk, lawyer), and propagation of
every detected name to its other mentions in the decision.

A *mention* is a run of name words (« Marie-Claire de LA FONTAINE »). Parties and court staff are
split into *units* the way Label annotates them (first name and surname are separate spans, a
particle stays with its surname; a party's hyphenated name is split at the hyphen); a lawyer's
name is one span.

The package follows the steps: :mod:`.patterns` (name words, civilities, units), :mod:`.context`
(the words around a name that give its role), :mod:`.mentions` (where mentions come from) and
:mod:`.propagation` (from mentions to entities, and every name to its other mentions).
"""

from __future__ import annotations

from .context import context_category, lawyer_span
from .mentions import (
    Mention,
    civility_mentions,
    firm_mentions,
    first_last_mentions,
    header_mentions,
    ner_mentions,
)
from .patterns import NAME_SEQ, NAME_WORD, is_name_word, split_units
from .propagation import PersonContext, detect_people, propagate

__all__ = [
    "NAME_SEQ", "NAME_WORD", "Mention", "PersonContext", "civility_mentions", "context_category", "detect_people",
    "firm_mentions", "first_last_mentions", "header_mentions", "is_name_word", "lawyer_span", "ner_mentions",
    "propagate", "split_units",
]
