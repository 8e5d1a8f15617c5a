"""Stored decisions, their entities (detected or added by an agent) and the history of corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from amorce.web.models import Authored, Created

from .taxonomy import CATEGORIES

CATEGORY_CHOICES = [(c.name, c.label_fr) for c in sorted(CATEGORIES.values(), key=lambda c: c.order)]


class Decision(Created):
    """A stored decision; ``created_at`` is when it was imported."""

    class Status(models.TextChoices):
        TO_REVIEW = "to_review", "À relire"
        VALIDATED = "validated", "Validée"
        PUBLISHED = "published", "Publiée"

    external_id = models.CharField("identifiant", max_length=200, unique=True)
    source = models.CharField("source", max_length=100, blank=True)
    jurisdiction = models.CharField("juridiction", max_length=200, blank=True)
    chamber = models.CharField("chambre", max_length=200, blank=True)
    date = models.DateField("date", null=True, blank=True)
    solution = models.CharField("solution", max_length=200, blank=True)
    text = models.TextField("texte intégral")
    metadata = models.JSONField("métadonnées", default=dict, blank=True)
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.TO_REVIEW,
                              db_index=True)
    max_doubt = models.FloatField("doute maximal", default=0.0, db_index=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="validée par")

    class Meta:
        verbose_name = "décision"
        ordering = ["-max_doubt", "external_id"]

    def __str__(self) -> str:
        return self.external_id

    def refresh_max_doubt(self) -> None:
        self.max_doubt = max(self.entities.values_list("doubt", flat=True), default=0.0)
        self.save(update_fields=["max_doubt"])


class Entity(models.Model):
    class Source(models.TextChoices):
        AUTO = "auto", "Détection automatique"
        AGENT = "agent", "Ajout par un agent"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="entities")
    start = models.PositiveIntegerField("début")
    end = models.PositiveIntegerField("fin")
    category = models.CharField("catégorie", max_length=40, choices=CATEGORY_CHOICES)
    text = models.CharField("texte", max_length=1000)
    replacement = models.CharField("remplacement", max_length=100, null=True, blank=True)
    doubt = models.FloatField("doute", default=0.0)
    source = models.CharField("origine", max_length=10, choices=Source.choices, default=Source.AUTO)
    detector = models.CharField("règle ou modèle", max_length=100, blank=True)

    class Meta:
        verbose_name = "entité"
        ordering = ["start", "end"]

    def __str__(self) -> str:
        return f"{self.category} {self.start}-{self.end}"

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "category": self.category, "text": self.text}


class Correction(Authored):
    """One change made by an agent (``created_by``, ``created_at``; append-only history: rows are never
    updated)."""

    class Action(models.TextChoices):
        ADD = "add", "Ajout"
        REMOVE = "remove", "Suppression"
        RECATEGORISE = "recategorise", "Changement de catégorie"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="corrections")
    action = models.CharField("action", max_length=20, choices=Action.choices)
    before = models.JSONField("avant", null=True, blank=True)
    after = models.JSONField("après", null=True, blank=True)

    class Meta:
        verbose_name = "correction"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.decision_id})"
