"""Court decisions: import (JSONL, Judilibre, Label, plain text), pseudonymisation with Label's
taxonomy and replacement patterns, evaluation against annotated decisions, NER fine-tuning
(``amorce.decisions.train``), similar-decision search (``amorce.decisions.search``) and
objectivation of amounts (``amorce.decisions.objectivation``).

    from amorce.decisions import Pseudonymiser, load_decisions
    for result in Pseudonymiser().pseudonymise(load_decisions("decisions.jsonl")):
        print(result.id, result.text_pseudonymised)
"""

from .errors import DecisionsError
from .evaluate import apply_overlay, disagreements, evaluate, load_overlay, select_split, split_of
from .importers import (
    detect_format,
    iter_jsonl,
    load_annotations,
    load_decisions,
    to_judilibre,
    validate_jsonl,
)
from .objectivation import Amount, Facts, comparable, describe, distribution, extract_facts
from .pipeline import (
    Pseudonymiser,
    Result,
    assign_replacements,
    load_ner,
    pseudonymise_partition,
    resolve_overlaps,
    spacy_baseline,
)
from .schema import Decision, Entity, entity_key, fold_chars
from .taxonomy import CATEGORIES, DEFAULT_KEEP, Category, Policy

__all__ = [
    "Amount", "Facts", "comparable", "describe", "distribution", "extract_facts",
    "CATEGORIES", "DEFAULT_KEEP", "Category", "Decision", "DecisionsError", "Entity", "Policy", "Pseudonymiser",
    "Result", "apply_overlay", "assign_replacements", "detect_format", "disagreements", "entity_key", "evaluate",
    "fold_chars", "iter_jsonl", "load_annotations", "load_decisions", "load_ner", "load_overlay",
    "pseudonymise_partition", "resolve_overlaps", "select_split", "spacy_baseline", "split_of", "to_judilibre",
    "validate_jsonl",
]
