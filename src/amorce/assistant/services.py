"""The assistant's service layer: what the web chat, the API and the jobs do, without HTTP objects.

Django is allowed here (the ORM, settings through :mod:`amorce.assistant.config`), requests and
responses are not: :mod:`amorce.assistant.views` and :mod:`amorce.assistant.api` parse, check roles
and render; they call these functions.

* the knowledge base of the process (:func:`load_kb`, loaded once, reloaded after a re-index) and
  its warm-up;
* the per-IP rate limit of the public chat and API (:func:`rate_limited`);
* :func:`answer_question`: one turn of a conversation (:func:`amorce.assistant.conversation.respond`),
  stored masked.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from amorce.web.ratelimit import hit

from . import config
from .conversation import Reply, respond
from .kb import current_version, kb_path
from .models import Conversation, Exchange
from .retrieval import KnowledgeBase
from .tasks import schedule_purge

log = logging.getLogger("amorce.assistant")

# ------------------------------------------------------------------------------ knowledge base access

_KB_CACHE: dict[Path, KnowledgeBase] = {}
_KB_LOCK = threading.Lock()


def _after_fork_in_child() -> None:
    # With ``gunicorn --preload`` the warm-up thread may hold the lock when the master forks: the
    # child gets a fresh lock (and keeps a knowledge base already loaded, shared copy-on-write).
    global _KB_LOCK
    _KB_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def default_kb_name() -> str:
    return config.get().kb


def load_kb(name: str | None = None) -> KnowledgeBase | None:
    """The live version of knowledge base ``name`` under ``AMORCE_DATA_DIR``, or None if not indexed.

    Loaded once per process and reloaded when a re-index switched the version. Raises
    :class:`~amorce.assistant.documents.AssistantError` for an invalid name.
    """
    settings = config.get()
    path = kb_path(name or settings.kb, settings.data_dir)
    version = current_version(path)
    if version is None:
        return None
    with _KB_LOCK:
        kb = _KB_CACHE.get(path)
        if kb is None or kb.version != version.name:
            start = time.perf_counter()
            kb = KnowledgeBase(path)
            kb.embedder  # noqa: B018 - the sentence model too, once per process, under the lock
            if kb.e5_vectors is not None:
                kb.e5  # noqa: B018 - and the e5 model of the reranker
            _KB_CACHE[path] = kb
            log.info("Base de l'assistant « %s » (version %s, %d passages) chargée en %.1f s (processus %d).",
                     kb.name, kb.version, kb.n_chunks, time.perf_counter() - start, os.getpid())
        return kb


def warm_up() -> None:
    """Load the default knowledge base and the sentence model, and answer one search, so that the
    first citizen's question does not pay for it (called once per web worker at start-up, in the
    background: see :meth:`amorce.assistant.apps.AssistantConfig.warm_up`). Never raises."""
    start = time.perf_counter()
    try:
        if not config.get().warm_up:
            return
        kb = load_kb()
        if kb is None:
            return
        kb.search("renouveler sa carte d'identité", k=3)
    except Exception:  # noqa: BLE001 - a failed warm-up only delays the first answer
        log.exception("Préchargement de l'assistant impossible (la base sera chargée à la première question).")
        return
    log.info("Assistant préchargé : base « %s » (%d passages) en %.1f s.", kb.name, kb.n_chunks,
             time.perf_counter() - start)


# ------------------------------------------------------------------------------ rate limit


def rate_limit() -> str:
    """Per-IP limit of the public chat and API (``AMORCE_ASSISTANT_RATE_LIMIT``, else ``AMORCE_API_RATE_LIMIT``)."""
    return config.get().rate_limit


def rate_limited(ip: str, scope: str = "assistant-chat") -> tuple[bool, int]:
    """Count one question from ``ip``: (limited, seconds until the window resets)."""
    allowed, retry = hit(f"{scope}:{ip}", rate_limit())
    return not allowed, retry


# ------------------------------------------------------------------------------ conversations


@dataclass
class Turn:
    exchange: Exchange
    reply: Reply


def find_conversation(key: str | None) -> Conversation | None:
    """The stored conversation of ``key`` (a UUID string), or None when absent or malformed."""
    if not key:
        return None
    try:
        return Conversation.objects.filter(key=key).first()
    except ValidationError:  # not a UUID
        return None


def start_conversation(kb_name: str) -> Conversation:
    return Conversation.objects.create(kb=kb_name)


def last_exchange(conversation: Conversation | None) -> Exchange | None:
    return conversation.exchanges.order_by("-created_at", "-pk").first() if conversation else None


def answer_question(question: str, kb: KnowledgeBase, *, audience: str | None = None,
                    conversation: Conversation | None = None, via: str = Exchange.Via.WEB,
                    clarify: bool = True) -> Turn:
    """Answer ``question`` (with the conversation's context) and store the masked exchange."""
    settings = config.get()
    reply = respond(question, kb, last_exchange(conversation), audience=audience, llm=settings.llm,
                    clarify=clarify, ask_back=settings.ask_back)
    top = reply.top_fiche
    exchange = Exchange.objects.create(
        conversation=conversation, via=via, question=reply.question, search_query=reply.search_query,
        follow_up=reply.follow_up, answer=reply.stored_answer, sources=reply.sources, confidence=reply.confidence,
        refused=reply.refused, top_fiche_id=top.get("id", ""), top_fiche_title=top.get("title", "")[:500],
        masked=reply.masked)
    if conversation is not None:
        conversation.save(update_fields=["updated_at"])
    schedule_purge()
    return Turn(exchange, reply)
