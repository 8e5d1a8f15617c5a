"""Platform models: the audit log, background jobs and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .errors import AppendOnlyError


class Created(models.Model):
    """Abstract base: when a row was created, under one name (``created_at``) in every package."""

    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)

    class Meta:
        abstract = True


class Authored(Created):
    """Abstract base: who created a row (kept as NULL when the account is deleted) and when."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="créé par")

    class Meta:
        abstract = True


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()


class AuditEvent(models.Model):
    """One sensitive action: who, what, when, on which object. Append-only (also enforced by
    database triggers, see migration 0002)."""

    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    # No database constraint: deleting an account must not rewrite history (actor_repr stays).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+", verbose_name="auteur")
    actor_repr = models.CharField("auteur (libellé)", max_length=200, blank=True)
    action = models.CharField("action", max_length=100, db_index=True)
    object_type = models.CharField("type d'objet", max_length=100, blank=True)
    object_id = models.CharField("identifiant d'objet", max_length=100, blank=True)
    object_repr = models.CharField("objet", max_length=300, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()


class Job(models.Model):
    """A background job: what runs, its progress, its log and, if it failed, the French error."""

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        SUCCEEDED = "succeeded", "Terminée"
        FAILED = "failed", "En échec"
        CANCELLED = "cancelled", "Annulée"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("type", max_length=100)
    label = models.CharField("libellé", max_length=300)
    params = models.JSONField("paramètres", default=dict, blank=True)
    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    progress = models.FloatField("avancement", default=0.0)
    progress_message = models.CharField("étape", max_length=300, blank=True)
    log = models.TextField("journal", blank=True)
    error = models.TextField("erreur", blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    cancel_requested = models.BooleanField("annulation demandée", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="jobs", verbose_name="lancée par")
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="retries", verbose_name="relance de")
    task_result_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField("processus", max_length=200, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    started_at = models.DateTimeField("démarrée le", null=True, blank=True)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "tâche"

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return int(round(self.progress * 100))

    @property
    def result_summary(self) -> str:
        """The French sentence the handler gave (``result["summary"]``), if any."""
        summary = (self.result or {}).get("summary")
        return summary if isinstance(summary, str) else ""

    @property
    def result_items(self) -> list:
        """The other keys of the result, labelled in French (see ``jobs.result_items``)."""
        from .jobs import HANDLERS, result_items

        handler = HANDLERS.get(self.kind)
        return result_items(self.result, handler.result_labels if handler else None)


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the clear value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "jeton d'API"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        key = "amo_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:12], key_hash=cls.hash(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str):
        token = (cls.objects.select_related("user")
                 .filter(key_hash=cls.hash(key), revoked_at__isnull=True).first())
        if token is None or not token.user.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user
