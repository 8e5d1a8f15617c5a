"""Pages of the citizen assistant: the public chat, and the back-office of front-desk agents.

The chat works as a plain form (POST, then redirect to the page); with JavaScript, htmx posts the
same form and appends the answer to the conversation without reloading (``static/assistant/chat.js``
moves the focus to it). The conversation lives in the session (its key and the ids of its
exchanges); the database keeps only masked text (:mod:`amorce.assistant.privacy`).

These views parse, check roles and render; the answers, follow-ups and clarifying questions come from
:mod:`amorce.assistant.services` (the same for the API and the command line).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from amorce.web.audit import client_ip
from amorce.web.roles import Role, has_role, role_required

from . import config, services
from .conversation import CLARIFYING_TEXTS, HANDOVER_TEXT
from .documents import AssistantError
from .forms import (
    OTHER_FICHE_CHOICE,
    OUT_OF_SCOPE_CHOICE,
    FeedbackForm,
    HandoverForm,
    QuestionForm,
    TicketForm,
    TicketReplyForm,
    VerifyForm,
)
from .models import Conversation, Exchange, HandoverTicket, VerifiedQuestion
from .privacy import AI_ACT_NOTICE, AI_ACT_REFERENCE
from .tasks import schedule_purge

SECTION = {"current_section": "assistant"}
SESSION_KEY = "assistant"
HISTORY_SHOWN = 20
AGENTS = (Role.AGENT_ACCUEIL,)


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
    exchange.handover = exchange.answer == HANDOVER_TEXT
    return exchange


# ------------------------------------------------------------------------------ session helpers


def _state(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _conversation(request, kb_name: str, *, create: bool) -> Conversation | None:
    state = _state(request)
    conversation = services.find_conversation(state.get("conversation"))
    if conversation is None and create:
        conversation = services.start_conversation(kb_name)
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


def _chat_context(request, conversation, form, kb, kb_error: str = "", handover_form=None) -> dict:
    return {**SECTION, "title": "Assistant aux usagers", "form": form, "history": _history(conversation),
            "kb": kb, "kb_error": kb_error, "kb_name": services.default_kb_name(), "notice": AI_ACT_NOTICE,
            "notice_reference": AI_ACT_REFERENCE, "handover_form": handover_form or HandoverForm(),
            "ticket_number": _state(request).get("ticket"), "indexing": services.indexing_status(kb),
            "has_conversation": conversation is not None and conversation.exchanges.exists(),
            "is_agent": has_role(request.user, *AGENTS)}


def _rate_limited(request) -> bool:
    return services.rate_limited(client_ip(request))[0]


# ------------------------------------------------------------------------------ public chat


@login_not_required
def chat(request):
    kb_error = ""
    try:
        kb = services.load_kb()
    except AssistantError as exc:
        kb, kb_error = None, exc.message
    state = _state(request)
    conversation = _conversation(request, services.default_kb_name(), create=False)
    if request.method != "POST":
        form = QuestionForm(initial={"public": state.get("audience", "")})
        return render(request, "assistant/chat.html", _chat_context(request, conversation, form, kb, kb_error))

    form = QuestionForm(request.POST)
    status = 200
    if _rate_limited(request):
        form.add_error(None, "Trop de questions en peu de temps : merci de patienter une minute avant de réessayer.")
        status = 429
    elif kb is None:
        indexing = services.indexing_status(None)
        form.add_error(None, "L'assistant ne peut pas encore répondre : la base est en cours d'indexation, "
                             "revenez dans quelques minutes." if indexing else
                             "L'assistant n'a encore aucun contenu indexé : il ne peut pas répondre pour l'instant.")
        status = 503
    elif form.is_valid():
        audience = form.cleaned_data["public"] or None
        conversation = _conversation(request, kb.name, create=True)
        turn = services.answer_question(form.cleaned_data["question"], kb, audience=audience, conversation=conversation)
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
        services.record_feedback(exchange, form.cleaned_data["avis"])
        if request.htmx:
            return render(request, "assistant/_feedback.html", {"ex": exchange})
        messages.success(request, "Merci pour votre avis : il aide à améliorer les contenus.")
    else:
        messages.error(request, "Avis non reconnu : choisissez « utile » ou « pas utile ».")
    return redirect(reverse("assistant:chat") + f"#echange-{exchange.pk}")


@login_not_required
@require_POST
def handover(request):
    """« Parler à un agent »: a ticket with the masked transcript and how to contact the citizen."""
    form = HandoverForm(request.POST)
    if not form.is_valid():
        kb_error = ""
        try:
            kb = services.load_kb()
        except AssistantError as exc:
            kb, kb_error = None, exc.message
        conversation = _conversation(request, services.default_kb_name(), create=False)
        question = QuestionForm(initial={"public": _state(request).get("audience", "")})
        return render(request, "assistant/chat.html",
                      _chat_context(request, conversation, question, kb, kb_error, handover_form=form), status=400)
    conversation = _conversation(request, services.default_kb_name(), create=True)
    ticket = services.create_handover(conversation, message=form.cleaned_data["message"],
                                      channel=form.cleaned_data["canal"], contact=form.cleaned_data["contact"],
                                      request=request)
    request.session[SESSION_KEY] = {**_state(request), "ticket": ticket.pk}
    messages.success(request, f"Votre demande n° {ticket.pk} a été transmise à un agent, avec l'historique de "
                              "la conversation (sans vos données personnelles). Un agent vous recontactera "
                              f"{ticket.get_channel_display()}. Notez ce numéro pour toute relance.")
    return redirect(reverse("assistant:chat") + "#demande-agent")


@login_not_required
@require_POST
def reset(request):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "Nouvelle conversation : l'assistant ne tient plus compte des questions précédentes.")
    return redirect("assistant:chat")


@login_not_required
def widget(request):
    """How to embed the widget (``static/assistant/widget.js``), with a live preview."""
    return render(request, "assistant/widget.html", {
        **SECTION, "title": "Intégrer l'assistant", "origin": f"{request.scheme}://{request.get_host()}",
        "origins": sorted(config.get().cors_origins), "show_origins": has_role(request.user, Role.ADMINISTRATEUR)})


# ------------------------------------------------------------------------------ agents' back-office


@role_required(*AGENTS)
def backoffice(request):
    schedule_purge()
    return render(request, "assistant/backoffice.html", {
        **SECTION, "title": "Suivi de l'assistant", **services.backoffice_summary()})


@role_required(*AGENTS)
def verify(request, pk: int):
    """An agent tells which fiche answers a citizen's question, or that none does: the verified
    questions become the base's own evaluation and calibration set (``questions-verifiees``)."""
    exchange = get_object_or_404(Exchange.objects.select_related("conversation"), pk=pk)
    kb_name = exchange.conversation.kb if exchange.conversation else services.default_kb_name()
    kb = services.load_kb(kb_name)
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
        fiche_id = form.cleaned_data["fiche_id"]
        services.verify_question(exchange, kb_name, form.cleaned_data["question"], fiche_id,
                                 titles.get(fiche_id, ""), request.user, replaces=existing, request=request)
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
    """A handover ticket: the citizen's message and transcript, the agent's answer (e-mail or phone
    note) and closing, and the status and note."""
    ticket = get_object_or_404(HandoverTicket.objects.select_related("assigned_to", "conversation"), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = TicketForm(request.POST if action == "etat" else None, instance=ticket)
    reply_form = TicketReplyForm(request.POST if action == "repondre" else None)
    if action == "etat" and form.is_valid():
        services.update_ticket(form.save(commit=False), request.user, request=request)
        messages.success(request, "Demande mise à jour.")
        return redirect("assistant:ticket_detail", pk=ticket.pk)
    if action == "repondre" and reply_form.is_valid():
        try:
            services.reply_to_ticket(ticket, request.user, reply_form.cleaned_data["reponse"],
                                     close=reply_form.cleaned_data["clore"], request=request)
        except services.TicketReplyError as exc:
            reply_form.add_error(None, exc.message)
        else:
            done = "envoyée par courriel" if ticket.channel == HandoverTicket.Channel.EMAIL else "enregistrée"
            messages.success(request, f"Réponse {done}" + (" ; demande close." if ticket.closed_at else "."))
            return redirect("assistant:ticket_detail", pk=ticket.pk)
    exchanges = [_decorate(e) for e in ticket.conversation.exchanges.order_by("created_at", "pk")] \
        if ticket.conversation else []
    return render(request, "assistant/ticket_detail.html", {
        **SECTION, "title": f"Demande n° {ticket.pk}", "ticket": ticket, "form": form, "reply_form": reply_form,
        "replies": ticket.replies.select_related("created_by"), "exchanges": exchanges},
        status=400 if request.method == "POST" else 200)
