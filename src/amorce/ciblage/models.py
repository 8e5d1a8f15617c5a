"""Database records of the targeting web UI: uploaded datasets, trained models, score lists, plans.

The computing is done by the pure modules (importers, model, evaluate, scoring, plan); these records
only point at the files they read and write and keep the metrics to display.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import models

from amorce.core.formats import date_fr, number
from amorce.web.models import Authored

from .schema import FORMAT_LABELS


def media_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "ciblage"


def data_dir() -> Path:
    return Path(settings.AMORCE_DATA_DIR) / "ciblage"


class Dataset(Authored):
    """CSV files of inspection history, validated at upload (stored under MEDIA_ROOT/ciblage/);
    ``created_by`` is who uploaded them."""

    class Format(models.TextChoices):
        CANONICAL = "canonical", FORMAT_LABELS["canonical"]
        ALIMCONFIANCE = "alimconfiance", FORMAT_LABELS["alimconfiance"]
        CHICAGO = "chicago", FORMAT_LABELS["chicago"]

    name = models.CharField("nom", max_length=200)
    format = models.CharField("format", max_length=20, choices=Format.choices)
    folder = models.CharField("dossier (relatif à MEDIA_ROOT)", max_length=300)
    files = models.JSONField("fichiers", default=list)
    summary = models.JSONField("résumé", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"

    def __str__(self) -> str:
        return self.name

    def paths(self) -> list[Path]:
        base = Path(settings.MEDIA_ROOT) / self.folder
        return [base / name for name in self.files]

    def load(self, *, with_outcomes: bool = True):
        """The parsed history, plus (``with_outcomes``) the outcomes recorded in the plans made from
        its models (:func:`amorce.ciblage.feedback.merge_outcomes`). Cached per process while the
        files and the recorded outcomes are unchanged: do not modify it."""
        import hashlib

        from .cache import cache
        from .feedback import merge_outcomes
        from .importers import load_history

        base = cache.get(f"history:{self.format}", self.paths(), lambda: load_history(self.format, self.paths()))
        rows = self.recorded_inspections() if with_outcomes else None
        if rows is None or not len(rows):
            return base
        digest = hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
        return cache.get(f"history+outcomes:{self.format}:{digest}", self.paths(), lambda: merge_outcomes(base, rows)[0])

    def recorded_inspections(self):
        """Outcomes recorded in the plans of this dataset's models, as canonical inspection rows."""
        import pandas as pd

        from .feedback import record_outcomes, to_canonical_inspections

        frames = [to_canonical_inspections(record_outcomes(plan.frame(), pd.DataFrame(plan.outcomes)),
                                           prefix=f"plan{plan.pk}")
                  for plan in Plan.objects.filter(score_list__model__dataset=self).order_by("pk") if plan.outcomes]
        return pd.concat(frames, ignore_index=True) if frames else None


class TrainedModel(Authored):
    """A LightGBM model trained on a dataset (files under AMORCE_DATA_DIR/ciblage/models/)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="models")
    as_of = models.DateField("entraîné sur les données antérieures au")
    directory = models.CharField("dossier du modèle", max_length=500)
    version = models.CharField(max_length=40, blank=True)
    card = models.JSONField("fiche modèle", default=dict)
    metrics = models.JSONField("métriques", default=dict)
    backtest = models.JSONField("backtest", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "modèle entraîné"
        verbose_name_plural = "modèles entraînés"

    def __str__(self) -> str:
        return f"{self.display_name} ({self.dataset}, avant le {date_fr(self.as_of)})"

    @cached_property
    def number(self) -> int:
        """Its rank among the models of its dataset, from 1 (the order they were trained in); counted
        once per instance (the page shows it in its title, breadcrumb and heading)."""
        return TrainedModel.objects.filter(dataset_id=self.dataset_id, pk__lte=self.pk).count()

    @property
    def retrained(self) -> bool:
        """Whether its training data holds outcomes recorded in inspection plans."""
        from .feedback import RECORDED_SOURCE

        return RECORDED_SOURCE in str((self.card or {}).get("training_data", ""))

    @property
    def display_name(self) -> str:
        """« Modèle du 3 décembre 2026 (v3, réentraîné avec les résultats saisis) »: distinct for every
        model of a dataset, even when retraining gives the same fingerprint (``version``)."""
        made = date_fr(self.created_at.date()) if self.created_at else date_fr(self.as_of)
        return f"Modèle du {made} (v{self.number}" + (", réentraîné avec les résultats saisis)" if self.retrained
                                                        else ")")

    def load(self):
        """The model (cached per process while its files are unchanged)."""
        from .cache import cache
        from .learner import TargetingModel

        files = [Path(self.directory) / "model.txt", Path(self.directory) / "meta.json"]
        return cache.get("model", files, lambda: TargetingModel.load(self.directory))


class ScoreList(Authored):
    """Establishments ranked by a model at a date, with reasons (a CSV file)."""

    model = models.ForeignKey(TrainedModel, on_delete=models.CASCADE, related_name="score_lists")
    as_of = models.DateField("date du score")
    path = models.CharField("fichier CSV", max_length=500)
    count = models.PositiveIntegerField("établissements", default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "classement"
        verbose_name_plural = "classements"

    def __str__(self) -> str:
        return f"Classement au {date_fr(self.as_of)} ({number(self.count)} établissements)"

    def frame(self):
        """The ranked list as strings (cached per process while the file is unchanged; do not modify)."""
        import pandas as pd

        from .cache import cache

        return cache.get("scores", [self.path], lambda: pd.read_csv(self.path, dtype=str, keep_default_na=False))


class Plan(Authored):
    """An inspection plan made from a score list (rows stored as JSON)."""

    score_list = models.ForeignKey(ScoreList, on_delete=models.CASCADE, related_name="plans")
    capacity = models.JSONField("capacité par semaine")
    weeks = models.PositiveSmallIntegerField("semaines")
    exploration = models.FloatField("part d'exploration")
    seed = models.IntegerField("graine", default=0)
    start = models.DateField("première semaine")
    rows = models.JSONField("lignes du plan", default=list)
    outcomes = models.JSONField("résultats saisis", default=list, blank=True)
    feedback = models.JSONField("suivi (part du modèle contre part aléatoire)", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "plan de contrôle"
        verbose_name_plural = "plans de contrôle"

    def __str__(self) -> str:
        return f"Plan de {self.weeks} semaine(s) à partir du {date_fr(self.start)}"

    def frame(self):
        import pandas as pd

        from .plan import PLAN_COLUMNS

        return pd.DataFrame(self.rows, columns=PLAN_COLUMNS)
