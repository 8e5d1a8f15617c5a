"""The assistant's service layer: what the web chat, the API and the jobs do, without HTTP objects.

Django is allowed here (the ORM, settings through :mod:`amorce.assistant.config`), requests and
responses are not: :mod:`amorce.assistant.views` and :mod:`amorce.assistant.api` parse, check roles
and render; they call these functions.

* the knowledge base of the process (:func:`load_kb`, loaded once, reloaded after a re-index) and
  its warm-up;
* the per-IP rate limit of the public chat and API (:func:`rate_limited`);
* :func:`answer_question`: one turn of a conversation (:func:`amorce.assistant.conversation.respond`),
  stored masked;
* the handover to an agent: :func:`create_handover` (a ticket with the masked transcript and how to
  contact the citizen), :func:`reply_to_ticket` (the agent's answer, by e-mail through Django's mail
  backend or noted after a phone call, recorded in the ticket and the audit log), :func:`update_ticket`.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from amorce.web.audit import record
from amorce.web.ratelimit import hit

from . import config
from .conversation import Reply, respond
from .documents import AssistantError
from .kb import current_version, kb_path
from .models import Conversation, Exchange, HandoverTicket, TicketReply
from .privacy import mask_personal_data
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


@dataclass(frozen=True)
class Indexing:
    """A background indexing of the base in progress: ``done`` fiches published of ``total``."""

    done: int
    total: int


def indexing_status(kb: KnowledgeBase | None, name: str | None = None) -> Indexing | None:
    """The indexing job of base ``name`` queued or running (the demo's), or None."""
    from amorce.web.models import Job

    from .tasks import DEMO_JOB

    name = name or config.get().kb
    for job in Job.objects.filter(kind=DEMO_JOB, status__in=Job.ACTIVE).order_by("-created_at"):
        if job.params.get("kb") == name:
            total = int(job.params.get("fiches") or 0)
            return Indexing(min(len(kb.docs) if kb is not None else 0, total), total)
    return None


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


def record_feedback(exchange: Exchange, value: str) -> Exchange:
    """The citizen's « utile / pas utile » on one answer (the last one given counts)."""
    if value not in Exchange.Feedback.values:
        raise ValidationError("Avis non reconnu : choisissez « utile » ou « pas utile ».")
    exchange.feedback = value
    exchange.feedback_at = timezone.now()
    exchange.save(update_fields=["feedback", "feedback_at"])
    return exchange


# ------------------------------------------------------------------------------ handover to an agent


def mask_contact(contact: str) -> str:
    """An e-mail address or phone number as logs and lists show it: « c•••@exemple.fr », « 06 •• •• •• 78 »."""
    contact = (contact or "").strip()
    if not contact:
        return ""
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return f"{local[:1]}•••@{domain}"
    digits = re.sub(r"\D", "", contact)
    return f"{digits[:2]} •• •• •• {digits[-2:]}" if len(digits) >= 6 else "••••"


def create_handover(conversation: Conversation, *, message: str, channel: str, contact: str,
                    request=None) -> HandoverTicket:
    """A ticket for an agent: the masked message and transcript, and how to contact the citizen.

    The contact is stored in clear on the ticket only (the agent needs it) and logged masked.
    """
    with transaction.atomic():
        ticket = HandoverTicket.objects.create(
            conversation=conversation, message=mask_personal_data(message).text,
            transcript=conversation.transcript(), channel=channel, contact=contact.strip())
        record("assistant_transfert_agent", request=request, obj=ticket, canal=ticket.get_channel_display(),
               contact=mask_contact(ticket.contact))
    log.info("Demande n° %d transmise à un agent (contact %s %s).", ticket.pk, ticket.get_channel_display(),
             mask_contact(ticket.contact))
    return ticket


class TicketReplyError(AssistantError):
    """The agent's answer could not be sent (the ticket is left unchanged)."""


def reply_to_ticket(ticket: HandoverTicket, agent, body: str, *, close: bool, request=None) -> TicketReply:
    """The agent's answer: e-mailed to the citizen (``channel`` e-mail) or noted after a phone call.

    Recorded in the ticket (:class:`TicketReply`) and the audit log; ``close`` closes the ticket.
    Raises :class:`TicketReplyError` (in French) when the e-mail cannot be sent: nothing is recorded.
    """
    body = body.strip()
    if not body:
        raise TicketReplyError("La réponse est vide.")
    if not ticket.contact:
        raise TicketReplyError("Cette demande ne donne aucun moyen de contacter l'usager.")
    email = ticket.channel == HandoverTicket.Channel.EMAIL
    if email:
        try:
            send_mail(f"Votre demande n° {ticket.pk} à l'assistant aux usagers", body, None, [ticket.contact])
        except (OSError, ValueError) as exc:  # SMTP refused or unreachable, malformed header
            log.warning("Réponse à la demande n° %d non envoyée à %s : %s", ticket.pk,
                        mask_contact(ticket.contact), type(exc).__name__)
            raise TicketReplyError("Le courriel n'a pas pu être envoyé (serveur de messagerie injoignable ou "
                                   "refusé) : la réponse n'est pas enregistrée, réessayez plus tard.") from None
    with transaction.atomic():
        reply = TicketReply.objects.create(ticket=ticket, created_by=agent, channel=ticket.channel, body=body,
                                           sent=email)
        ticket.assigned_to = ticket.assigned_to or agent
        ticket.status = HandoverTicket.Status.CLOSED if close else HandoverTicket.Status.IN_PROGRESS
        ticket.closed_at = timezone.now() if close else None
        ticket.save()
        record("assistant_reponse_agent", request=request, user=agent, obj=ticket,
               canal=ticket.get_channel_display(), contact=mask_contact(ticket.contact), close=close)
    log.info("Réponse à la demande n° %d %s (%s).", ticket.pk, "envoyée" if email else "notée",
             mask_contact(ticket.contact))
    return reply


def update_ticket(ticket: HandoverTicket, agent, *, request=None) -> HandoverTicket:
    """Save the status and note an agent set (the closing date follows the status)."""
    if ticket.status == HandoverTicket.Status.CLOSED and ticket.closed_at is None:
        ticket.closed_at = timezone.now()
    elif ticket.status != HandoverTicket.Status.CLOSED:
        ticket.closed_at = None
    if ticket.assigned_to is None and ticket.status != HandoverTicket.Status.NEW:
        ticket.assigned_to = agent
    with transaction.atomic():
        ticket.save()
        record("assistant_demande_modifiee", request=request, obj=ticket, status=ticket.status)
    return ticket


# ------------------------------------------------------------------------------ agents' back-office


def backoffice_summary() -> dict:
    """What the agents' back-office shows: answer and feedback counts, the most answered fiches with
    their feedback, refused and disliked answers to look at, handover tickets by status, verified
    questions."""
    from django.db.models import Count, Q

    from .models import VerifiedQuestion

    exchanges = Exchange.objects.all()
    useful = Count("pk", filter=Q(feedback=Exchange.Feedback.USEFUL))
    not_useful = Count("pk", filter=Q(feedback=Exchange.Feedback.NOT_USEFUL))
    stats = exchanges.aggregate(total=Count("pk"), refused=Count("pk", filter=Q(refused=True)), useful=useful,
                                not_useful=not_useful)
    rated = stats["useful"] + stats["not_useful"]
    stats["useful_share"] = round(100 * stats["useful"] / rated) if rated else None
    topics = list(exchanges.filter(refused=False).exclude(top_fiche_id="")
                  .values("top_fiche_id", "top_fiche_title")
                  .annotate(n=Count("pk"), useful=useful, not_useful=not_useful)
                  .order_by("-n", "top_fiche_id")[:20])
    urls: dict[str, str] = {}
    for ex in exchanges.filter(top_fiche_id__in=[t["top_fiche_id"] for t in topics]).only("sources", "top_fiche_id"):
        if ex.sources:
            urls.setdefault(ex.top_fiche_id, ex.sources[0].get("url", ""))
    counts = {row["status"]: row["n"] for row in HandoverTicket.objects.values("status").annotate(n=Count("pk"))}
    return {
        "stats": stats,
        "topics": [{**t, "url": urls.get(t["top_fiche_id"], "")} for t in topics],
        "unanswered": exchanges.filter(refused=True)[:50],
        "disliked": exchanges.filter(feedback=Exchange.Feedback.NOT_USEFUL)[:30],
        "verified": VerifiedQuestion.objects.aggregate(total=Count("pk"), out=Count("pk", filter=Q(fiche_id=""))),
        "recent_verified": VerifiedQuestion.objects.all()[:20],
        "ticket_counts": [(s.label, counts.get(s.value, 0), s.value) for s in HandoverTicket.Status],
    }


def verify_question(exchange: Exchange, kb_name: str, question: str, fiche_id: str, fiche_title: str, agent, *,
                    replaces=None, request=None):
    """Record an agent's verdict on a citizen's question: the fiche that answers it, or none (``""``,
    out of scope). The question is stored masked; a previous verdict on the same exchange is replaced.
    Audited."""
    from .models import VerifiedQuestion

    question = mask_personal_data(question).text
    with transaction.atomic():
        if replaces is not None:
            replaces.delete()
        item, _ = VerifiedQuestion.objects.update_or_create(
            kb=kb_name, question=question,
            defaults={"fiche_id": fiche_id, "fiche_title": fiche_title, "exchange": exchange, "created_by": agent})
        record("assistant_question_verifiee", request=request, obj=item, fiche=fiche_id or "hors périmètre")
    return item
