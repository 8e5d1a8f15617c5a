"""Court decisions: import (JSONL, Judilibre, Label, plain text), pseudonymisation with Label's
taxonomy and replacement patterns, evaluation against annotated decisions, NER fine-tuning
(``amorce.decisions.train``), similar-decision search (``amorce.decisions.search``) and
objectivation of amounts (``amorce.decisions.objectivation``).

    from amorce.decisions import Pseudonymiser, load_decisions
    for result in Pseudonymiser().pseudonymise(load_decisions("decisions.jsonl")):
        print(result.id, result.text_pseudonymised)
"""

from amorce.core.lazy import lazy_exports

# Imported on first use: `amorce --help` and Django's start-up must not load the models.
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "Amount": "objectivation",
    "CATEGORIES": "taxonomy",
    "Category": "taxonomy",
    "DEFAULT_KEEP": "taxonomy",
    "Decision": "schema",
    "DecisionsError": "errors",
    "Entity": "schema",
    "Facts": "objectivation",
    "Policy": "taxonomy",
    "Pseudonymiser": "pipeline",
    "Result": "pipeline",
    "apply_overlay": "evaluate",
    "assign_replacements": "pipeline",
    "comparable": "objectivation",
    "corrections_by_reason": "evaluate",
    "describe": "objectivation",
    "detect_format": "importers",
    "disagreements": "evaluate",
    "distribution": "objectivation",
    "entity_key": "schema",
    "evaluate": "evaluate",
    "extract_facts": "objectivation",
    "fold_chars": "schema",
    "iter_jsonl": "importers",
    "load_annotations": "importers",
    "load_decisions": "importers",
    "load_ner": "pipeline",
    "load_overlay": "evaluate",
    "pseudonymise_partition": "pipeline",
    "resolve_overlaps": "pipeline",
    "select_split": "evaluate",
    "spacy_baseline": "pipeline",
    "split_of": "evaluate",
    "to_judilibre": "importers",
    "validate_jsonl": "importers",
})
