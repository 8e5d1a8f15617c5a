"""Citizen assistant: answers with sources from official content, refuses when it does not know.

    from amorce.assistant import index_source, KnowledgeBase, ask, mask_personal_data
    index_source("fiches.jsonl", "service-public")
    kb = KnowledgeBase.open("service-public")
    reply = ask("mon proprio peut-il garder un double des clés ?", kb)
    reply.to_dict()  # {"answer", "sources": [{"id", "title", "url", "score"}], "confidence", "refused"}

Pure Python (no Django): the web layer (views, API, tasks) calls these functions.
"""

from .answer import REFUSAL_TEXT, Answer, LLMConfig, ask, extract_figures, unsupported_figures
from .documents import AUDIENCES, AssistantError, Chunk, Document, Section, chunk_document
from .kb import DEFAULT_KB, Embedder, IndexReport, index_documents, index_source, kb_path
from .loaders import load_documents
from .privacy import AI_ACT_NOTICE, AI_ACT_REFERENCE, MaskResult, mask, mask_personal_data
from .retrieval import Hit, KnowledgeBase, SearchResult

__all__ = [
    "AI_ACT_NOTICE", "AI_ACT_REFERENCE", "AUDIENCES", "Answer", "AssistantError", "Chunk", "DEFAULT_KB",
    "Document", "Embedder", "Hit", "IndexReport", "KnowledgeBase", "LLMConfig", "MaskResult", "REFUSAL_TEXT",
    "SearchResult", "Section", "ask", "chunk_document", "extract_figures", "index_documents", "index_source",
    "kb_path", "load_documents", "mask", "mask_personal_data", "unsupported_figures",
]
