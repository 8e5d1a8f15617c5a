"""Stored conversations of the citizen assistant: only masked text is ever saved.

The question as typed is used in memory to answer; what reaches the database (exchanges, handover
transcripts, the session) goes through :func:`amorce.assistant.privacy.mask_personal_data` first.
Rows older than the retention period (``AMORCE_ASSISTANT_RETENTION_DAYS``, 90 days by default) are
deleted by :func:`amorce.assistant.tasks.purge_expired` (job ``assistant.purge``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from amorce.web.models import Authored


class Conversation(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kb = models.CharField("base de connaissances", max_length=100)
    created_at = models.DateTimeField("début", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("dernier échange", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "conversation"
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Conversation {str(self.key)[:8]}"

    def transcript(self) -> str:
        """The masked transcript (what a handover ticket carries)."""
        lines = []
        for ex in self.exchanges.order_by("created_at", "pk"):
            lines.append(f"Usager : {ex.question}")
            lines.append(f"Assistant : {ex.answer}")
            if ex.sources:
                lines.append("Sources : " + " ; ".join(f"{s.get('id')} {s.get('title')}" for s in ex.sources))
        return "\n".join(lines)


class Exchange(models.Model):
    class Feedback(models.TextChoices):
        NONE = "", "sans avis"
        USEFUL = "utile", "utile"
        NOT_USEFUL = "pas_utile", "pas utile"

    class Via(models.TextChoices):
        WEB = "web", "page de discussion"
        API = "api", "API"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="exchanges",
                                     null=True, blank=True)
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    via = models.CharField(max_length=3, choices=Via.choices, default=Via.WEB)
    question = models.TextField("question (masquée)")
    search_query = models.TextField("question recherchée (masquée, avec le contexte)", blank=True)
    follow_up = models.BooleanField("question de suivi", default=False)
    answer = models.TextField("réponse")
    sources = models.JSONField("sources", default=list, blank=True)
    confidence = models.FloatField("confiance", default=0.0)
    refused = models.BooleanField("sans réponse", default=False, db_index=True)
    top_fiche_id = models.CharField("fiche principale", max_length=60, blank=True, db_index=True)
    top_fiche_title = models.CharField("titre de la fiche principale", max_length=500, blank=True)
    masked = models.JSONField("données masquées (nombre par type)", default=dict, blank=True)
    feedback = models.CharField("avis", max_length=10, choices=Feedback.choices, blank=True, default="",
                                db_index=True)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "échange"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.question[:80]


class HandoverTicket(models.Model):
    """A citizen's request to talk to a person, with how to contact them.

    The contact (e-mail address or phone number) is the one personal datum kept in clear, because the
    agent needs it to answer; it is shown masked everywhere else (logs, audit, lists: :attr:`masked_contact`)
    and deleted with the ticket (:func:`amorce.assistant.tasks.purge_expired`).
    """

    class Status(models.TextChoices):
        NEW = "nouveau", "Nouveau"
        IN_PROGRESS = "en_cours", "En cours"
        CLOSED = "clos", "Clos"

    class Channel(models.TextChoices):
        EMAIL = "courriel", "par courriel"
        PHONE = "telephone", "par téléphone"

    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="tickets")
    created_at = models.DateTimeField("date de la demande", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    message = models.TextField("message de l'usager (masqué)", blank=True)
    transcript = models.TextField("transcription (masquée)", blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="assistant_tickets", verbose_name="agent")
    agent_note = models.TextField("note de l'agent", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField("être contacté", max_length=10, choices=Channel.choices, blank=True)
    contact = models.CharField("coordonnées (adresse électronique ou téléphone)", max_length=254, blank=True)

    class Meta:
        verbose_name = "demande transmise à un agent"
        verbose_name_plural = "demandes transmises à un agent"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Demande n° {self.pk}"

    @property
    def masked_contact(self) -> str:
        from .services import mask_contact

        return mask_contact(self.contact)


class TicketReply(Authored):
    """An agent's answer to a handover ticket: sent by e-mail, or given by phone and noted."""

    ticket = models.ForeignKey(HandoverTicket, on_delete=models.CASCADE, related_name="replies")
    channel = models.CharField("canal", max_length=10, choices=HandoverTicket.Channel.choices)
    body = models.TextField("réponse")
    sent = models.BooleanField("courriel envoyé", default=False)

    class Meta:
        verbose_name = "réponse à une demande"
        verbose_name_plural = "réponses aux demandes"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Réponse à la demande n° {self.ticket_id}"


class VerifiedQuestion(models.Model):
    """A citizen's question checked by an agent: the fiche that answers it, or none (out of scope).

    Verified questions are the base's own evaluation and calibration set (``amorce assistant
    questions-verifiees``, then ``amorce assistant evaluate --calibrate --questions``): they are kept
    when the conversations are purged, with the masked text the agent validated.
    """

    kb = models.CharField("base de connaissances", max_length=100)
    question = models.TextField("question (masquée, relue par l'agent)")
    fiche_id = models.CharField("fiche qui répond", max_length=60, blank=True,
                                help_text="Vide : aucune fiche de la base ne répond (hors périmètre).")
    fiche_title = models.CharField("titre de la fiche", max_length=500, blank=True)
    exchange = models.ForeignKey(Exchange, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="verifications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="assistant_verifications", verbose_name="agent")
    created_at = models.DateTimeField("date", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "question vérifiée"
        verbose_name_plural = "questions vérifiées"
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["kb", "question"], name="assistant_verified_unique")]

    def __str__(self) -> str:
        return self.question[:80]
