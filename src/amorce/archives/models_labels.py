"""Persistence of the institution's vocabulary: a collection's thesaurus, its terms, the terms given to
photos (proposed by a model or a cataloguer, accepted or rejected by a person) and the training runs.

Imported at the end of ``models.py`` (Django finds the models there). A ``PhotoTerm`` row is the
provenance of a term on a photo: who or which model proposed it, with what confidence and when;
who accepted or rejected it and when. Nothing is ``accepte`` without a person (``validated_by``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from amorce.web.models import Authored, Created

# Collection and Photo are named by string: models.py imports this module (no import cycle).


class Thesaurus(Authored):
    collection = models.OneToOneField("archives.Collection", on_delete=models.CASCADE, related_name="thesaurus")
    title = models.CharField("titre", max_length=300)
    source_name = models.CharField("fichier importé", max_length=300)

    class Meta:
        verbose_name = "thésaurus"
        verbose_name_plural = "thésaurus"

    def __str__(self) -> str:
        return self.title


class Term(models.Model):
    thesaurus = models.ForeignKey(Thesaurus, on_delete=models.CASCADE, related_name="terms")
    uri = models.CharField("URI", max_length=1000)
    label = models.CharField("libellé", max_length=500)
    alt_labels = models.JSONField("autres libellés", default=list, blank=True)
    broader = models.JSONField("termes génériques (URI)", default=list, blank=True)

    class Meta:
        ordering = ["thesaurus", "label"]
        constraints = [models.UniqueConstraint(fields=["thesaurus", "uri"], name="archives_term_unique_uri")]

    def __str__(self) -> str:
        return self.label


class TrainingRun(Authored):
    """One « Entraîner et proposer » run: the model it trained and the images it asks to label next."""

    collection = models.ForeignKey("archives.Collection", on_delete=models.CASCADE, related_name="training_runs")
    version = models.PositiveIntegerField("version")
    model_name = models.CharField("modèle", max_length=200)
    summary = models.JSONField("résumé", default=dict, blank=True)
    to_label = models.JSONField("à étiqueter ensuite (par terme : identifiants de photos)", default=dict,
                                blank=True)

    class Meta:
        ordering = ["collection", "-version"]
        constraints = [models.UniqueConstraint(fields=["collection", "version"], name="archives_run_unique")]

    def __str__(self) -> str:
        return f"{self.model_name} v{self.version}"


class PhotoTerm(Created):
    class Status(models.TextChoices):
        PROPOSED = "propose", "Proposé"
        ACCEPTED = "accepte", "Accepté"
        REJECTED = "rejete", "Rejeté"

    class Source(models.TextChoices):
        CATALOGUER = "catalogueur", "Catalogueur"
        MODEL = "modele", "Modèle"

    photo = models.ForeignKey("archives.Photo", on_delete=models.CASCADE, related_name="terms")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="photo_terms")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField("proposé par", max_length=12, choices=Source.choices)
    confidence = models.FloatField("confiance", null=True, blank=True)
    run = models.ForeignKey(TrainingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    model_name = models.CharField("modèle", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="proposé par (personne)")
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="validé par")
    validated_at = models.DateTimeField("validé le", null=True, blank=True)

    class Meta:
        ordering = ["photo", "term"]
        constraints = [models.UniqueConstraint(fields=["photo", "term"], name="archives_phototerm_unique")]
        indexes = [models.Index(fields=["term", "status"], name="archives_pt_term_status")]

    def __str__(self) -> str:
        return f"{self.photo} : {self.term} ({self.get_status_display()})"
