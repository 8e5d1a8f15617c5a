"""JSON API of the assistant (mounted at /api/assistant/): public, anonymous, rate-limited per IP.

No session and no CSRF token: these routes never read the session, so a forged cross-site call
gains nothing a direct call would not. Cross-origin use (the embeddable widget) is allowed for the
origins of ``AMORCE_ASSISTANT_CORS_ORIGINS`` only, without credentials (:mod:`amorce.assistant.cors`).
"""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from amorce.web.audit import client_ip
from amorce.web.ratelimit import api_limited

from .documents import AssistantError
from .models import Exchange

router = Router(tags=["assistant"])


class AskIn(Schema):
    question: str
    kb: str | None = None
    audience: str | None = None


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


class ErrorOut(Schema):
    detail: str


class InfoOut(Schema):
    notice: str
    notice_reference: str
    ready: bool


@router.get("/info", response=InfoOut, auth=None, summary="Information sur l'assistant (avertissement, état)")
def info(request):
    from .privacy import AI_ACT_NOTICE, AI_ACT_REFERENCE
    from .views import load_kb

    try:
        ready = load_kb() is not None
    except AssistantError:
        ready = False
    return {"notice": AI_ACT_NOTICE, "notice_reference": AI_ACT_REFERENCE, "ready": ready}


@router.post("/ask", response={200: AskOut, 429: ErrorOut}, auth=None,
             summary="Poser une question à l'assistant (public, limité)")
def ask_question(request, response: HttpResponse, payload: AskIn):
    """Réponse extraite des fiches officielles (ou générée et vérifiée si un modèle de langage est
    configuré), avec ses sources ; `refused` vaut vrai quand l'assistant ne sait pas répondre.
    Les questions sont conservées masquées (données personnelles retirées)."""
    from .views import answer_question, load_kb, rate_limit

    if (limited := api_limited(response, f"assistant-api:{client_ip(request)}", rate_limit())) is not None:
        return limited
    question = (payload.question or "").strip()
    if not question:
        raise HttpError(400, "La question est vide.")
    if len(question) > 1000:
        raise HttpError(400, "La question est trop longue (1 000 caractères au plus).")
    try:
        kb = load_kb(payload.kb)
        if kb is None:
            raise HttpError(503, "Aucune base de connaissances indexée pour l'assistant"
                                 + (f" (« {payload.kb} »)" if payload.kb else "") + ".")
        turn = answer_question(question, kb, audience=payload.audience or None, via=Exchange.Via.API,
                               clarify=False)
    except AssistantError as exc:
        raise HttpError(400, exc.message) from None
    return turn.reply.to_dict()
