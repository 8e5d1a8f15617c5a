"""Pages of the citizen assistant: the public chat, and the back-office of front-desk agents.

The chat works as a plain form (POST, then redirect to the page); with JavaScript, htmx posts the
same form and appends the answer to the conversation without reloading (``static/assistant/chat.js``
moves the focus to it). The conversation lives in the session (its key and the ids of its
exchanges); the database keeps only masked text (:mod:`amorce.assistant.privacy`).

Follow-up questions: the knowledge-base module answers one question at a time, so a question that
looks like a follow-up (it starts with « et », « mais », « dans ce cas »…, refers back with « ça »,
« cela », « le même »…, or has at most four words) is searched together with the previous question
of the conversation (:func:`contextual_query`). A very short first question (one or two words), and a
question on which the search hesitates between neighbouring fiches (``KnowledgeBase.hesitates``), get
a clarifying question with the closest fiche titles as suggestions; picking one searches that title.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from amorce.web.audit import client_ip, record
from amorce.web.ratelimit import hit, parse_rate
from amorce.web.roles import Role, has_role, role_required

from .answer import HESITATION_TEXT, REFUSAL_TEXT, Answer, LLMConfig, ask
from .documents import AUDIENCES, AssistantError
from .forms import (
    OTHER_FICHE_CHOICE,
    OUT_OF_SCOPE_CHOICE,
    FeedbackForm,
    HandoverForm,
    QuestionForm,
    TicketForm,
    VerifyForm,
)
from .kb import DEFAULT_KB, current_version, kb_path
from .models import Conversation, Exchange, HandoverTicket, VerifiedQuestion
from .privacy import AI_ACT_NOTICE, AI_ACT_REFERENCE, mask_personal_data
from .retrieval import KnowledgeBase
from .tasks import schedule_purge

log = logging.getLogger("amorce.assistant")
SECTION = {"current_section": "assistant"}
SESSION_KEY = "assistant"
HISTORY_SHOWN = 20
AGENTS = (Role.AGENT_ACCUEIL,)
CLARIFY_TEXT = ("Votre question est très courte : pouvez-vous la préciser ? Vous pouvez aussi choisir l'un "
                "de ces sujets, tirés des fiches officielles :")
CONTEXT_TEXT = ("Votre question semble faire suite à une autre, mais cette conversation commence : pouvez-vous "
                "la poser en entier ? Vous pouvez aussi choisir l'un de ces sujets, tirés des fiches officielles :")
CLARIFYING_TEXTS = (CLARIFY_TEXT, CONTEXT_TEXT, HESITATION_TEXT)

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
    return getattr(settings, "AMORCE_ASSISTANT_KB", None) or DEFAULT_KB


def load_kb(name: str | None = None) -> KnowledgeBase | None:
    """The live version of knowledge base ``name`` under ``AMORCE_DATA_DIR``, or None if not indexed.

    Loaded once per process and reloaded when a re-index switched the version. Raises
    :class:`AssistantError` for an invalid name.
    """
    path = kb_path(name or default_kb_name(), Path(settings.AMORCE_DATA_DIR))
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
        kb = load_kb()
        if kb is None:
            return
        kb.search("renouveler sa carte d'identité", k=3)
    except Exception:  # noqa: BLE001 - a failed warm-up only delays the first answer
        log.exception("Préchargement de l'assistant impossible (la base sera chargée à la première question).")
        return
    log.info("Assistant préchargé : base « %s » (%d passages) en %.1f s.", kb.name, kb.n_chunks,
             time.perf_counter() - start)


def ask_back() -> bool:
    """``AMORCE_ASSISTANT_ASK_BACK`` (setting, else environment; default on): ``0`` turns off the « which
    of these fiches ? » question when the search hesitates, the chat then answers from the first fiche."""
    value = getattr(settings, "AMORCE_ASSISTANT_ASK_BACK", None)
    if value is None:
        value = os.environ.get("AMORCE_ASSISTANT_ASK_BACK", "1")
    return str(value).strip() != "0"


def llm_config() -> LLMConfig | None:
    base_url = getattr(settings, "LLM_BASE_URL", "") or ""
    model = getattr(settings, "LLM_MODEL", "") or ""
    if not base_url or not model:
        return None
    return LLMConfig(base_url=base_url, model=model, api_key=getattr(settings, "LLM_API_KEY", "") or "sans-cle")


# ------------------------------------------------------------------------------ conversation logic

# Openings that only make sense after a previous question (« et s'il veut visiter ? »): asked first in
# a conversation, such a question gets the clarifying question rather than a guess. « et » covers
# « et si », « et pour », « et combien »…
_CONTEXT_ONLY = r"et|pareil|idem|dans ce cas|si oui|si non"
_NEEDS_CONTEXT = re.compile(rf"^\s*(?:{_CONTEXT_ONLY})\b", re.I)
# Openings of a follow-up: those, and connectives that may also open a full question (« mais comment… »).
_CONNECTIVE = re.compile(rf"^\s*(?:{_CONTEXT_ONLY}|mais|alors|donc|sinon|aussi)\b", re.I)
_ANAPHORA = re.compile(r"\b(?:ça|ca|cela|ceci|celui-ci|celle-ci|ceux-ci|celles-ci|celui-là|celle-là|le même|"
                       r"la même|les mêmes|cette démarche|ce document|cette aide|ce cas)\b", re.I)
FOLLOW_UP_MAX_WORDS = 4
CONTEXT_MAX_WORDS = 40


def looks_like_follow_up(question: str) -> bool:
    return bool(_CONNECTIVE.search(question) or _ANAPHORA.search(question)
                or len(question.split()) <= FOLLOW_UP_MAX_WORDS)


def contextual_query(question: str, previous: Exchange | None) -> tuple[str, bool]:
    """The text to search for ``question`` given the previous exchange: (query, is_follow_up).

    A follow-up is searched as « previous question + question » (the previous search text when it
    was itself a follow-up, capped to its last 40 words so chains do not grow without end).
    """
    if previous is None or not looks_like_follow_up(question):
        return question, False
    context = (previous.search_query or previous.question).split()[-CONTEXT_MAX_WORDS:]
    return " ".join(context) + " " + question, True


@dataclass
class Turn:
    exchange: Exchange
    reply: Answer | None = None
    suggestions: list[dict] = field(default_factory=list)


def answer_question(question: str, kb: KnowledgeBase, *, audience: str | None = None,
                    conversation: Conversation | None = None, via: str = Exchange.Via.WEB,
                    clarify: bool = True) -> Turn:
    """Answer ``question`` (with the conversation's context) and store the masked exchange."""
    question = question.strip()
    masked = mask_personal_data(question)
    previous = conversation.exchanges.order_by("-created_at", "-pk").first() if conversation else None
    # A fiche title picked among the suggestions of the previous clarifying question is searched alone.
    picked = (previous is not None and previous.answer in CLARIFYING_TEXTS
              and question in {s.get("title") for s in previous.sources})
    # The context is taken from the stored (masked) previous question.
    query, follow_up = (question, False) if picked else contextual_query(question, previous)
    suggestions: list[dict] = []
    clarification = None
    if clarify and not follow_up and not picked:
        if len(question.split()) <= 2:
            clarification = CLARIFY_TEXT
        elif previous is None and _NEEDS_CONTEXT.search(question):
            clarification = CONTEXT_TEXT
    if clarification:
        result = kb.search(question, k=3, audience=audience)
        suggestions = [h.source() for h in result.hits]
    if suggestions:
        reply = None
        text, sources, refused, confidence = clarification, suggestions, False, 0.0
    else:
        reply = ask(query, kb, audience=audience, llm=llm_config(), ask_back=clarify and not picked and ask_back())
        text, sources, refused, confidence = reply.answer, reply.sources, reply.refused, reply.confidence
        if reply.mode == "clarification":  # the search hesitates between neighbouring fiches
            suggestions = sources
    masked_query = mask_personal_data(query).text
    top = sources[0] if sources and not refused and not suggestions else {}
    exchange = Exchange.objects.create(
        conversation=conversation, via=via, question=masked.text, search_query=masked_query,
        follow_up=follow_up, answer=_stored_answer(text, reply), sources=sources, confidence=confidence,
        refused=refused, top_fiche_id=top.get("id", ""), top_fiche_title=top.get("title", "")[:500],
        masked=masked.counts)
    if conversation is not None:
        conversation.save(update_fields=["updated_at"])
    schedule_purge()
    return Turn(exchange, reply, suggestions)


def _stored_answer(text: str, reply: Answer | None) -> str:
    """Extractive answers and refusals quote the fiches only (official phone numbers stay readable);
    a generated answer may echo what the user typed, so it is masked too."""
    if reply is not None and reply.mode == "generated":
        return mask_personal_data(text).text
    return text


def answer_blocks(text: str) -> list[dict]:
    """Paragraphs and bullet lists of an answer, for rendering (« - » lines become list items)."""
    blocks: list[dict] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        current: dict | None = None
        for line in paragraph.split("\n"):
            line = line.rstrip()
            if not line:
                continue
            kind = "ul" if line.lstrip().startswith(("- ", "• ")) else "p"
            if kind == "p" and blocks and line.endswith(" :") and len(line) < 120:
                kind = "h"  # a section heading of the fiche (« Procédure › Demande : »)
            content = line.lstrip()[2:] if kind == "ul" else line
            if current is None or current["kind"] != kind or kind != "ul":
                current = {"kind": kind, "lines": []}
                blocks.append(current)
            current["lines"].append(content)
    return blocks


def _decorate(exchange: Exchange) -> Exchange:
    exchange.blocks = answer_blocks(exchange.answer)
    exchange.clarification = exchange.answer in CLARIFYING_TEXTS
    return exchange


# ------------------------------------------------------------------------------ session helpers


def _state(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _conversation(request, kb_name: str, *, create: bool) -> Conversation | None:
    state = _state(request)
    conversation = None
    if state.get("conversation"):
        conversation = Conversation.objects.filter(key=state["conversation"]).first()
    if conversation is None and create:
        conversation = Conversation.objects.create(kb=kb_name)
        request.session[SESSION_KEY] = {"conversation": str(conversation.key), "audience": state.get("audience", "")}
    return conversation


def _history(conversation: Conversation | None) -> list[Exchange]:
    if conversation is None:
        return []
    recent = list(conversation.exchanges.order_by("-created_at", "-pk")[:HISTORY_SHOWN])
    return [_decorate(e) for e in reversed(recent)]


def _own_exchange(request, pk: int) -> Exchange:
    state = _state(request)
    exchange = get_object_or_404(Exchange.objects.select_related("conversation"), pk=pk)
    if exchange.conversation is None or str(exchange.conversation.key) != state.get("conversation"):
        raise Http404("Échange introuvable dans votre conversation.")
    return exchange


def _chat_context(request, conversation, form, kb, kb_error: str = "") -> dict:
    return {**SECTION, "title": "Assistant aux usagers", "form": form, "history": _history(conversation),
            "kb": kb, "kb_error": kb_error, "kb_name": default_kb_name(), "notice": AI_ACT_NOTICE,
            "notice_reference": AI_ACT_REFERENCE, "handover_form": HandoverForm(),
            "has_conversation": conversation is not None and conversation.exchanges.exists(),
            "is_agent": has_role(request.user, *AGENTS)}


def rate_limit() -> str:
    """Per-IP limit of the public chat and API: the ``AMORCE_ASSISTANT_RATE_LIMIT`` setting, else the
    environment variable, else ``AMORCE_API_RATE_LIMIT`` (``N/s``, ``N/m``, ``N/h``, ``N/d``)."""
    rate = (getattr(settings, "AMORCE_ASSISTANT_RATE_LIMIT", None) or os.environ.get("AMORCE_ASSISTANT_RATE_LIMIT")
            or settings.AMORCE_API_RATE_LIMIT)
    try:
        count, period = parse_rate(rate)
    except (ValueError, KeyError, IndexError):
        count = period = 0
    if count <= 0 or period <= 0:
        raise ImproperlyConfigured(f"AMORCE_ASSISTANT_RATE_LIMIT : « {rate} » n'est pas une limite valide "
                                   "(attendu : un nombre de requêtes par unité, par exemple 60/m, 10/s ou 1000/h).")
    return rate


def _rate_limited(request) -> bool:
    allowed, _ = hit(f"assistant-chat:{client_ip(request)}", rate_limit())
    return not allowed


# ------------------------------------------------------------------------------ public chat


@login_not_required
def chat(request):
    kb_error = ""
    try:
        kb = load_kb()
    except AssistantError as exc:
        kb, kb_error = None, exc.message
    state = _state(request)
    conversation = _conversation(request, default_kb_name(), create=False)
    if request.method != "POST":
        form = QuestionForm(initial={"public": state.get("audience", "")})
        return render(request, "assistant/chat.html", _chat_context(request, conversation, form, kb, kb_error))

    form = QuestionForm(request.POST)
    status = 200
    if _rate_limited(request):
        form.add_error(None, "Trop de questions en peu de temps : merci de patienter une minute avant de réessayer.")
        status = 429
    elif kb is None:
        form.add_error(None, "L'assistant n'a encore aucun contenu indexé : il ne peut pas répondre pour l'instant.")
        status = 503
    elif form.is_valid():
        audience = form.cleaned_data["public"] or None
        conversation = _conversation(request, kb.name, create=True)
        turn = answer_question(form.cleaned_data["question"], kb, audience=audience, conversation=conversation)
        request.session[SESSION_KEY] = {**_state(request), "audience": audience or ""}
        if request.htmx:
            return render(request, "assistant/_exchange.html", {"ex": _decorate(turn.exchange), "fresh": True,
                                                                "htmx_swap": True})
        return redirect(reverse("assistant:chat") + f"#echange-{turn.exchange.pk}")
    else:
        status = 400
    if request.htmx:
        # htmx swaps only 2xx responses: the error is appended to the conversation (role="log")
        return render(request, "assistant/_form_errors.html", {"form": form})
    return render(request, "assistant/chat.html", _chat_context(request, conversation, form, kb, kb_error),
                  status=status)


@login_not_required
@require_POST
def feedback(request, pk: int):
    exchange = _own_exchange(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        exchange.feedback = form.cleaned_data["avis"]
        exchange.feedback_at = timezone.now()
        exchange.save(update_fields=["feedback", "feedback_at"])
        if request.htmx:
            return render(request, "assistant/_feedback.html", {"ex": exchange})
        messages.success(request, "Merci pour votre avis : il aide à améliorer les contenus.")
    else:
        messages.error(request, "Avis non reconnu : choisissez « utile » ou « pas utile ».")
    return redirect(reverse("assistant:chat") + f"#echange-{exchange.pk}")


@login_not_required
@require_POST
def handover(request):
    """« Parler à un agent »: a ticket with the masked transcript of the conversation."""
    form = HandoverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Le message est trop long (2 000 caractères au plus).")
        return redirect("assistant:chat")
    conversation = _conversation(request, default_kb_name(), create=True)
    ticket = HandoverTicket.objects.create(
        conversation=conversation, message=mask_personal_data(form.cleaned_data["message"]).text,
        transcript=conversation.transcript())
    record("assistant_transfert_agent", request=request, obj=ticket)
    messages.success(request, f"Votre demande n° {ticket.pk} a été transmise à un agent, avec l'historique de "
                              "la conversation (sans vos données personnelles). Un agent vous répondra.")
    return redirect("assistant:chat")


@login_not_required
@require_POST
def reset(request):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "Nouvelle conversation : l'assistant ne tient plus compte des questions précédentes.")
    return redirect("assistant:chat")


@login_not_required
def widget(request):
    """How to embed the widget (``static/assistant/widget.js``), with a live preview."""
    from .cors import configured_origins

    return render(request, "assistant/widget.html", {
        **SECTION, "title": "Intégrer l'assistant", "origin": f"{request.scheme}://{request.get_host()}",
        "origins": sorted(configured_origins()), "show_origins": has_role(request.user, Role.ADMINISTRATEUR)})


# ------------------------------------------------------------------------------ agents' back-office


@role_required(*AGENTS)
def backoffice(request):
    schedule_purge()
    exchanges = Exchange.objects.all()
    feedback = exchanges.aggregate(
        total=Count("pk"), refused=Count("pk", filter=Q(refused=True)),
        useful=Count("pk", filter=Q(feedback=Exchange.Feedback.USEFUL)),
        not_useful=Count("pk", filter=Q(feedback=Exchange.Feedback.NOT_USEFUL)))
    rated = feedback["useful"] + feedback["not_useful"]
    feedback["useful_share"] = round(100 * feedback["useful"] / rated) if rated else None
    topics = (exchanges.filter(refused=False).exclude(top_fiche_id="")
              .values("top_fiche_id", "top_fiche_title")
              .annotate(n=Count("pk"), useful=Count("pk", filter=Q(feedback=Exchange.Feedback.USEFUL)),
                        not_useful=Count("pk", filter=Q(feedback=Exchange.Feedback.NOT_USEFUL)))
              .order_by("-n", "top_fiche_id")[:20])
    urls = {}
    for ex in exchanges.filter(top_fiche_id__in=[t["top_fiche_id"] for t in topics]).only("sources", "top_fiche_id"):
        if ex.sources:
            urls.setdefault(ex.top_fiche_id, ex.sources[0].get("url", ""))
    topics = [{**t, "url": urls.get(t["top_fiche_id"], "")} for t in topics]
    unanswered = exchanges.filter(refused=True)[:50]
    disliked = exchanges.filter(feedback=Exchange.Feedback.NOT_USEFUL)[:30]
    tickets = HandoverTicket.objects.values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in tickets}
    verified = VerifiedQuestion.objects.aggregate(total=Count("pk"), out=Count("pk", filter=Q(fiche_id="")))
    return render(request, "assistant/backoffice.html", {
        **SECTION, "title": "Suivi de l'assistant", "stats": feedback, "topics": topics, "unanswered": unanswered,
        "disliked": disliked, "verified": verified, "recent_verified": VerifiedQuestion.objects.all()[:20],
        "ticket_counts": [(s.label, counts.get(s.value, 0), s.value) for s in HandoverTicket.Status]})


@role_required(*AGENTS)
def verify(request, pk: int):
    """An agent tells which fiche answers a citizen's question, or that none does: the verified
    questions become the base's own evaluation and calibration set (``questions-verifiees``)."""
    exchange = get_object_or_404(Exchange.objects.select_related("conversation"), pk=pk)
    kb_name = exchange.conversation.kb if exchange.conversation else default_kb_name()
    kb = load_kb(kb_name)
    if kb is None:
        messages.error(request, f"La base de connaissances « {kb_name} » n'est pas disponible : impossible de "
                                "vérifier la fiche.")
        return redirect("assistant:backoffice")
    titles = {doc["id"]: doc["title"] for doc in kb.docs}
    # Agents find the right fiche by words (the search of the base) rather than by its number.
    search = request.GET.get("recherche", "").strip()[:200]
    found = [h.source() for h in kb.search(search, k=8).hits] if search else []
    choices = list({s["id"]: s for s in [*exchange.sources, *found] if s.get("id")}.values())
    existing = VerifiedQuestion.objects.filter(exchange=exchange).first()
    initial = {"question": existing.question if existing else exchange.question}
    if existing:
        offered = any(s["id"] == existing.fiche_id for s in choices)
        initial["verdict"] = ((existing.fiche_id if offered else OTHER_FICHE_CHOICE) if existing.fiche_id
                              else OUT_OF_SCOPE_CHOICE)
        initial["autre_fiche"] = "" if offered else existing.fiche_id
    form = VerifyForm(request.POST or None, initial=initial, sources=choices, titles=titles)
    if request.method == "POST" and form.is_valid():
        question = mask_personal_data(form.cleaned_data["question"]).text
        fiche_id = form.cleaned_data["fiche_id"]
        with transaction.atomic():
            if existing:
                existing.delete()
            item, _ = VerifiedQuestion.objects.update_or_create(
                kb=kb_name, question=question,
                defaults={"fiche_id": fiche_id, "fiche_title": titles.get(fiche_id, ""), "exchange": exchange,
                          "created_by": request.user})
            record("assistant_question_verifiee", request=request, obj=item, fiche=fiche_id or "hors périmètre")
        messages.success(request, "Question vérifiée : " + (f"fiche {fiche_id}." if fiche_id
                                                              else "aucune fiche ne répond (hors périmètre)."))
        return redirect("assistant:backoffice")
    return render(request, "assistant/verify.html", {
        **SECTION, "title": "Vérifier une question", "exchange": _decorate(exchange), "form": form,
        "existing": existing, "kb_name": kb_name, "search": search, "found": found},
        status=400 if request.method == "POST" else 200)


@role_required(*AGENTS)
def ticket_list(request):
    status = request.GET.get("etat", "")
    tickets = HandoverTicket.objects.select_related("assigned_to")
    if status in HandoverTicket.Status.values:
        tickets = tickets.filter(status=status)
    else:
        status = ""
    return render(request, "assistant/tickets.html", {
        **SECTION, "title": "Demandes transmises à un agent", "tickets": tickets[:200], "status": status,
        "statuses": HandoverTicket.Status.choices})


@role_required(*AGENTS)
def ticket_detail(request, pk: int):
    ticket = get_object_or_404(HandoverTicket.objects.select_related("assigned_to", "conversation"), pk=pk)
    form = TicketForm(request.POST or None, instance=ticket)
    if request.method == "POST" and form.is_valid():
        ticket = form.save(commit=False)
        if ticket.status == HandoverTicket.Status.CLOSED and ticket.closed_at is None:
            ticket.closed_at = timezone.now()
        elif ticket.status != HandoverTicket.Status.CLOSED:
            ticket.closed_at = None
        if ticket.assigned_to is None and ticket.status != HandoverTicket.Status.NEW:
            ticket.assigned_to = request.user
        ticket.save()
        record("assistant_demande_modifiee", request=request, obj=ticket, status=ticket.status)
        messages.success(request, "Demande mise à jour.")
        return redirect("assistant:ticket_detail", pk=ticket.pk)
    exchanges = [_decorate(e) for e in ticket.conversation.exchanges.order_by("created_at", "pk")] \
        if ticket.conversation else []
    return render(request, "assistant/ticket_detail.html", {
        **SECTION, "title": f"Demande n° {ticket.pk}", "ticket": ticket, "form": form, "exchanges": exchanges},
        status=400 if request.method == "POST" else 200)


__all__ = ["AUDIENCES", "REFUSAL_TEXT", "answer_question", "contextual_query", "load_kb"]
