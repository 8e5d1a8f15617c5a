"""JSON API of the assistant (mounted at /api/assistant/): public, anonymous, rate-limited per IP.

No session and no CSRF token: these routes never read the session, so a forged cross-site call
gains nothing a direct call would not. Cross-origin use (the embeddable widget) is allowed for the
origins of ``AMORCE_ASSISTANT_CORS_ORIGINS`` only, without credentials (django-cors-headers, see
:func:`amorce.assistant.apps.cors_allowed`).

A question sent alone is answered alone (no clarifying question), as before. A client that sends
``conversation`` (``"new"``, then the key returned) gets the web chat's behaviour on that conversation:
follow-ups searched with the previous question, clarifying questions (``mode: "clarification"``, the
suggested fiches in ``sources``). The endpoints parse and render; :mod:`amorce.assistant.services`
answers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from amorce.web.apischema import ErrorOut, text
from amorce.web.audit import client_ip
from amorce.web.ratelimit import api_limited

from . import services
from .documents import AUDIENCES, AssistantError
from .models import Exchange
from .privacy import AI_ACT_NOTICE, AI_ACT_REFERENCE

NEW_CONVERSATION = "new"

router = Router(tags=["assistant"])


class AskIn(Schema):
    question: text(1000)
    kb: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^./\\][^/\\]*$")] | None = None
    audience: Literal[AUDIENCES] | None = None
    conversation: str | None = None  # "new", or the key of a conversation returned by a previous answer


class SourceOut(Schema):
    id: str
    title: str
    url: str
    score: float


class AskOut(Schema):
    answer: str
    sources: list[SourceOut]
    confidence: float
    refused: bool
    mode: str  # extractive | generated | refused | clarification | handover
    follow_up: bool
    conversation: str | None = None


class InfoOut(Schema):
    notice: str
    notice_reference: str
    ready: bool


@router.get("/info", response=InfoOut, auth=None, summary="Information sur l'assistant (avertissement, état)")
def info(request):
    try:
        ready = services.load_kb() is not None
    except AssistantError:
        ready = False
    return {"notice": AI_ACT_NOTICE, "notice_reference": AI_ACT_REFERENCE, "ready": ready}


@router.post("/ask", response={200: AskOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut, 503: ErrorOut}, auth=None,
             summary="Poser une question à l'assistant (public, limité)")
def ask_question(request, response: HttpResponse, payload: AskIn):
    """Réponse extraite des fiches officielles (ou générée et vérifiée si un modèle de langage est
    configuré), avec ses sources ; `refused` vaut vrai quand l'assistant ne sait pas répondre.
    Avec `conversation` (`"new"` puis la clé renvoyée), les questions suivantes tiennent compte des
    précédentes et l'assistant peut poser une question en retour (`mode` : `clarification`, sujets
    proposés dans `sources`), comme sur la page de discussion.
    Les questions sont conservées masquées (données personnelles retirées)."""
    if (limited := api_limited(response, f"assistant-api:{client_ip(request)}", services.rate_limit())) is not None:
        return limited
    question = (payload.question or "").strip()
    if not question:
        raise HttpError(400, "La question est vide.")
    if len(question) > 1000:
        raise HttpError(400, "La question est trop longue (1 000 caractères au plus).")
    try:
        kb = services.load_kb(payload.kb)
        if kb is None:  # an unknown base asked for (404), or the default one not indexed yet (503)
            raise HttpError(404 if payload.kb else 503, "Aucune base de connaissances indexée pour l'assistant"
                            + (f" (« {payload.kb} »)" if payload.kb else "") + ".")
        conversation = None
        if payload.conversation:
            conversation = (None if payload.conversation == NEW_CONVERSATION
                            else services.find_conversation(payload.conversation))
            if conversation is None and payload.conversation != NEW_CONVERSATION:
                raise HttpError(404, "Conversation inconnue ou expirée : envoyez « new » pour en commencer une.")
            conversation = conversation or services.start_conversation(kb.name)
        turn = services.answer_question(question, kb, audience=payload.audience or None, via=Exchange.Via.API,
                                        conversation=conversation, clarify=conversation is not None)
    except AssistantError as exc:
        raise HttpError(400, exc.message) from None
    return {**turn.reply.to_dict(), "conversation": str(conversation.key) if conversation else None}
