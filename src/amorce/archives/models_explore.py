"""Persistence of the exploration of a collection: one row per photo with its searchable text, the
text read in it (OCR), the faces and people found, and the ``DIFF`` status a cataloguer confirmed.

Rebuilt from the collection's store (``analyses.py``) by ``services_explore.refresh``; the confirmed status
and who confirmed it are kept across refreshes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PhotoAnalysis(models.Model):
    class Flag(models.TextChoices):
        NONE = "aucun", "Aucun visage ni personne détecté"
        FACE = "visage", "Visage détecté"
        PERSON = "personne", "Personne détectée"

    photo = models.OneToOneField("archives.Photo", on_delete=models.CASCADE, related_name="analysis")
    search_text = models.TextField("texte cherché (replié)", blank=True)
    creator = models.CharField("auteur", max_length=300, blank=True)
    year = models.IntegerField("année", null=True, blank=True)
    ocr_text = models.TextField("texte lu dans l'image", blank=True)
    ocr_confidence = models.FloatField("confiance de la lecture", null=True, blank=True)
    ocr_lines = models.JSONField("lignes lues", default=list, blank=True)
    ocr_done = models.BooleanField("texte lu", default=False)
    rights_flag = models.CharField("signalement", max_length=10, choices=Flag.choices, blank=True)
    rights_boxes = models.JSONField("visages et personnes", default=dict, blank=True)
    rights_suggestion = models.CharField("DIFF proposé", max_length=200, blank=True)
    rights_status = models.CharField("DIFF confirmé", max_length=200, blank=True)
    rights_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    rights_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "analyse d'une photographie"

    def __str__(self) -> str:
        return f"Analyse de {self.photo_id}"
