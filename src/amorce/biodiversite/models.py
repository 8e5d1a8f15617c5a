"""Database records of the camera-trap web UI: deployments, analysed seasons and their events.

The work is done by the pure modules (ingest, filtering, pipeline, formats); these records keep what
the pages show. Media stay where the field team copied them (a folder under the sources root).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

from amorce.web.models import Authored, Created


def data_dir() -> Path:
    return Path(settings.AMORCE_DATA_DIR) / "biodiversite"


def sources_root() -> Path:
    """Where seasons' media folders are put on the server (one sub-folder per season)."""
    return data_dir() / "sources"


class Deployment(Created):
    """One camera at one place for one period (Camtrap DP deployment), declared by CSV."""

    deployment_id = models.CharField("identifiant", max_length=100, unique=True)
    location_name = models.CharField("lieu", max_length=200, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    start = models.DateTimeField("début", null=True, blank=True)
    end = models.DateTimeField("fin", null=True, blank=True)
    camera_model = models.CharField("modèle d'appareil", max_length=100, blank=True)
    folder = models.CharField("dossier des médias", max_length=300, blank=True)
    clock_offset = models.FloatField("décalage d'horloge (s)", default=0)
    event_gap = models.FloatField("écart entre événements (s)", default=60)
    # [[start, end], …] ISO times on the camera's clock: removed from the effort of the inventory
    malfunctions = models.JSONField("pannes", default=list, blank=True)

    class Meta:
        ordering = ["deployment_id"]
        verbose_name = "déploiement"

    def __str__(self) -> str:
        return self.deployment_id


class Season(Authored):
    """One analysis of a folder of media (a season of SD cards)."""

    name = models.CharField("nom", max_length=200)
    source = models.CharField("dossier source", max_length=500)
    detector = models.CharField("détecteur", max_length=300, default="motion")
    output_dir = models.CharField("dossier de sortie", max_length=500, blank=True)
    job_id = models.CharField("tâche", max_length=64, blank=True)
    summary = models.JSONField("résumé", default=dict, blank=True)
    report = models.JSONField("fichiers signalés", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "saison analysée"

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """One event (sequence) of a season with the machine's decision."""

    TYPES = [("animal", "Animal"), ("human", "Personne"), ("vehicle", "Véhicule"), ("blank", "Vide"),
             ("unknown", "Mouvement non identifié"), ("unclassified", "Non analysé")]
    SENSITIVE = ("human", "vehicle")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=40)
    deployment_id = models.CharField("déploiement", max_length=300)
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    observation_type = models.CharField("type", max_length=20, choices=TYPES)
    media = models.JSONField("médias", default=list)  # [{media_id, path, kind, timestamp, motion, detections}]
    # the species classifier's proposal (pipeline.classify_events): label, rank, score, cd_nom, nom_francais,
    # scientific_name, top, count, model; {} without a classifier or without an animal box
    species = models.JSONField("proposition d'espèce", default=dict, blank=True)

    class Meta:
        ordering = ["deployment_id", "start"]
        unique_together = [("season", "event_id")]
        verbose_name = "événement"

    def __str__(self) -> str:
        return self.event_id

    @property
    def sensitive(self) -> bool:
        return self.observation_type in self.SENSITIVE


from .models_review import Review, ReviewChange  # noqa: E402,F401  (human review: its own module)
