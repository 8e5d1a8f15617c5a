"""Persistence of the archives use case: collections, their photos (light rows; hashes, thumbnails and
features stay in the collection's store folder, see ``index.py``), and duplicate groups under review."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from amorce.web.models import Authored, Created


class Collection(Authored):
    name = models.SlugField("nom", max_length=100, unique=True)
    title = models.CharField("titre", max_length=200, blank=True)
    source = models.CharField("source", max_length=1000)
    store = models.CharField("dossier d'index", max_length=1000)
    indexed_at = models.DateTimeField("indexée le", null=True, blank=True)
    n_images = models.PositiveIntegerField("images", default=0)
    n_errors = models.PositiveIntegerField("images illisibles", default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "collection"

    def __str__(self) -> str:
        return self.title or self.name


class Photo(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="photos")
    key = models.CharField("fichier", max_length=1000)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    phash = models.CharField(max_length=16, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["collection", "key"]
        constraints = [models.UniqueConstraint(fields=["collection", "key"], name="archives_photo_unique_key")]

    def __str__(self) -> str:
        return self.key


class DuplicateGroup(Created):
    class Status(models.TextChoices):
        PROPOSED = "propose", "Proposé"
        CONFIRMED = "confirme", "Confirmé"
        SPLIT = "scinde", "Scindé"

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField("groupe")
    master = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["collection", "number"]

    def __str__(self) -> str:
        return f"Groupe {self.number}"


class GroupMember(models.Model):
    group = models.ForeignKey(DuplicateGroup, on_delete=models.CASCADE, related_name="members")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="memberships")
    excluded = models.BooleanField("retirée du groupe", default=False)

    class Meta:
        ordering = ["group", "pk"]


from .models_explore import PhotoAnalysis  # noqa: E402, F401  (exploration: OCR, rights, search)
from .models_labels import PhotoTerm, Term, Thesaurus, TrainingRun  # noqa: E402, F401  (vocabulary, labels)
