"""Human review of camera-trap events: one answer per (event, reviewer), the scientific lead's final
answer, and the append-only history of every change. Imported by ``models`` (Django finds them there).

The logic (validation, history, consensus, exports) is in :mod:`amorce.biodiversite.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from amorce.web.errors import AppendOnlyError

REVIEW_TYPES = [("animal", "Animal"), ("human", "Personne"), ("vehicle", "Véhicule"), ("blank", "Vide"),
                ("unknown", "Indéterminé")]


class Review(models.Model):
    """A reviewer's answer on an event; ``final`` marks the scientific lead's settling answer (one per
    event), kept apart from the lead's own review."""

    event = models.ForeignKey("biodiversite.Event", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="reviews", verbose_name="événement")
    # a review whose media are all gone after a re-analysis is archived, never dropped: no event, its
    # season and former event id kept here (services.replace_events; services.reattach_review puts it back)
    archived_season = models.ForeignKey("biodiversite.Season", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="archived_reviews", verbose_name="saison (relecture archivée)")
    archived_event_id = models.CharField("ancien événement (relecture archivée)", max_length=40, blank=True)
    # where and when the former event was, to propose the events near it when the lead puts it back
    archived_deployment = models.CharField("déploiement de l'ancien événement", max_length=300, blank=True)
    archived_start = models.DateTimeField("début de l'ancien événement", null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="relecteur")
    reviewer_name = models.CharField("relecteur (nom)", max_length=200)
    final = models.BooleanField("réponse finale (arbitrage)", default=False)
    observation_type = models.CharField("type", max_length=20, choices=REVIEW_TYPES)
    scientific_name = models.CharField("nom scientifique", max_length=200, blank=True)
    vernacular_name = models.CharField("nom français", max_length=200, blank=True)
    cd_nom = models.CharField("cd_nom TAXREF", max_length=20, blank=True)
    count = models.PositiveIntegerField("nombre d'individus (MaxN)", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    class Meta:
        ordering = ["event", "created_at"]
        verbose_name = "relecture"
        constraints = [
            models.UniqueConstraint(fields=["event", "reviewer"], condition=Q(final=False), name="bio_review_one_per_reviewer"),
            models.UniqueConstraint(fields=["event"], condition=Q(final=True), name="bio_review_one_final"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} : {self.get_observation_type_display()} ({self.reviewer_name})"


class ReviewChangeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("L'historique des relectures est en ajout seul.")

    def move_to(self, event) -> int:
        """Re-attach these rows to ``event`` (``None``: archived with their review) when a re-analysis
        replaces the events or an archived review is put back; their content never changes (the move
        is recorded in a new row)."""
        return super().update(event=event)

    def delete(self):
        raise AppendOnlyError("L'historique des relectures est en ajout seul.")


class ReviewChange(models.Model):
    """One change of a review: who, when, which action, ``changes`` = {field: [old, new]}. Append-only."""

    ACTIONS = [("creation", "Relecture"), ("modification", "Modification"), ("vide_en_masse", "Confirmé vide (en masse)"),
               ("arbitrage", "Arbitrage"), ("reanalyse", "Nouvelle analyse de la saison"),
               ("rattachement", "Relecture archivée rattachée")]

    event = models.ForeignKey("biodiversite.Event", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="review_changes")
    review = models.ForeignKey(Review, null=True, on_delete=models.SET_NULL, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    user_name = models.CharField("auteur", max_length=200)
    at = models.DateTimeField("date", default=timezone.now)
    action = models.CharField("action", max_length=20, choices=ACTIONS)
    changes = models.JSONField("changements", default=dict)

    objects = ReviewChangeQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "modification de relecture"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("L'historique des relectures est en ajout seul.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("L'historique des relectures est en ajout seul.")
