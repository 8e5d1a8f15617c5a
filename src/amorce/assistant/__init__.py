"""Citizen assistant: answers with sources from official content, refuses when it does not know.

    from amorce.assistant import index_source, KnowledgeBase, ask, mask_personal_data
    index_source("fiches.jsonl", "service-public")
    kb = KnowledgeBase.open("service-public")
    reply = ask("mon proprio peut-il garder un double des clés ?", kb)
    reply.to_dict()  # {"answer", "sources": [{"id", "title", "url", "score"}], "confidence", "refused"}

Pure Python (no Django): the web layer (views, API, tasks) calls these functions.
"""

from amorce.core.lazy import lazy_exports

# Imported on first use: `amorce --help` and Django's start-up must not load the models.
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "AI_ACT_NOTICE": "privacy",
    "AI_ACT_REFERENCE": "privacy",
    "AUDIENCES": "documents",
    "Answer": "answer",
    "AssistantError": "documents",
    "Chunk": "documents",
    "DEFAULT_KB": "kb",
    "Document": "documents",
    "sentence_encoder": "kb",
    "Hit": "retrieval",
    "IndexReport": "kb",
    "KnowledgeBase": "retrieval",
    "LLMConfig": "answer",
    "MaskResult": "privacy",
    "REFUSAL_TEXT": "answer",
    "SearchResult": "retrieval",
    "Section": "documents",
    "ask": "answer",
    "chunk_document": "documents",
    "extract_figures": "answer",
    "index_documents": "kb",
    "index_source": "kb",
    "kb_path": "kb",
    "load_documents": "loaders",
    "mask": "privacy",
    "mask_personal_data": "privacy",
    "unsupported_figures": "answer",
})
