"""Background jobs of targeting: training + backtest, scoring, and the demo data loader.

The handlers only orchestrate: the pure modules (``importers``, ``learner``, ``evaluate``,
``scoring``) do the work. ``train_dataset`` and ``score_model`` are plain functions, given a
progress reporter (:mod:`amorce.core.progress`) and a log, so that the demo loader runs exactly the
same code as the jobs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model

from amorce.core.files import atomic_write
from amorce.core.progress import Progress, part
from amorce.web.jobs import JobContext, job_handler
from amorce.web.roles import Role

from .models import Dataset, ScoreList, TrainedModel, data_dir, media_dir

if TYPE_CHECKING:
    import pandas as pd

# pandas, LightGBM and the pure modules are imported inside the handlers: this module is imported by
# every web process at start-up (job registry) and must stay light.

# establishment attributes copied into the score list (filters, plan, display)
LIST_ATTRIBUTES = ["name", "address", "postcode", "commune", "department", "activity", "team"]
DEMO_NAME = "Démonstration : historique généré"
DEMO_ESTABLISHMENTS = 2000
DEMO_INSPECTIONS = 12000


def default_test_period(history) -> tuple[date, date]:
    """The last fifth of the history (at least 30 days) is the backtest period."""
    import pandas as pd

    from .errors import CiblageError

    first, last = history.period
    if first is None:
        raise CiblageError("Le jeu de données ne contient aucune inspection.")
    end = (last + pd.Timedelta(days=1)).date()
    span = max(30, (end - first.date()).days // 5)
    return end - timedelta(days=span), end


def _user(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def train_dataset(dataset: Dataset, *, progress: Progress, log: Callable[[str], None],
                  test_start: date | None = None, test_end: date | None = None,
                  user=None, seed: int = 0, ensemble: int = 1) -> TrainedModel:
    """Backtest on [test_start, test_end) then train the kept model on all data before test_end."""
    import pandas as pd

    from .evaluate import MODEL_RANKING, backtest
    from .feedback import RECORDED_SOURCE
    from .learner import train
    from .schema import json_safe

    progress(0.02, 1.0, "Lecture et validation des fichiers")
    history = dataset.load()
    recorded = int((history.inspections["source"] == RECORDED_SOURCE).sum())
    if recorded:
        log(f"{recorded} résultat(s) saisi(s) dans les plans de contrôle ajouté(s) à l'historique.")
    default_start, default_end = default_test_period(history)
    start, end = test_start or default_start, test_end or default_end
    log(f"{len(history.inspections)} inspections de {len(history.establishments)} établissements lues ; "
            f"période de test du {start:%d/%m/%Y} au {end:%d/%m/%Y} (exclu).")
    progress(0.05, 1.0, "Backtest : entraînement sur les données antérieures à la période de test")
    result = backtest(history, pd.Timestamp(start), pd.Timestamp(end), seed=seed, progress=part(progress, 0.05, 0.4),
                      train_kwargs={"ensemble": ensemble})
    log(f"Backtest : {result.n_inspections} inspections, {result.n_events} événements, ROC AUC du modèle "
            f"{result.metrics[MODEL_RANKING]['auc']:.3f}.")
    progress(0.5, 1.0, "Entraînement du modèle conservé (toutes les données antérieures à la fin du test)")
    model = train(history, end=pd.Timestamp(end), seed=seed, ensemble=ensemble, progress=part(progress, 0.5, 0.45))
    progress(0.96, 1.0, "Enregistrement du modèle")
    summary = result.to_dict()
    summary["calibration"] = calibration_table(result.scores)
    record = TrainedModel.objects.create(dataset=dataset, as_of=end, directory="", version=model.card.version,
                                         card=json_safe(model.card.to_dict()), metrics=json_safe(model.metrics),
                                         backtest=json_safe(summary), created_by=user)
    directory = data_dir() / "models" / str(record.pk)
    model.save(directory)
    record.directory = str(directory)
    record.save(update_fields=["directory"])
    log(f"{record.display_name} enregistré (empreinte {model.card.version}, {model.metrics['iterations']} itérations).")
    return record


def calibration_table(scores: pd.DataFrame, bins: int = 10) -> list[dict]:
    """Backtest calibration: mean predicted probability vs observed rate in score deciles."""
    import pandas as pd

    if scores is None or not len(scores):
        return []
    bins = max(1, min(bins, len(scores)))
    group = pd.qcut(scores["score"].rank(method="first"), bins, labels=False)
    table = scores.groupby(group).agg(predicted=("score", "mean"), observed=("event", "mean"), n=("event", "size"))
    return [{"predicted": float(r.predicted), "observed": float(r.observed), "n": int(r.n)} for r in table.itertuples()]


def score_model(trained: TrainedModel, as_of: date, *, progress: Progress, log: Callable[[str], None],
                user=None) -> ScoreList:
    """Score every establishment known at ``as_of``; write the ranked CSV with reasons and attributes."""
    import pandas as pd

    from .scoring import score_history

    progress(0.05, 1.0, "Lecture des fichiers")
    history = trained.dataset.load()
    model = trained.load()
    if pd.Timestamp(model.trained_until) > pd.Timestamp(as_of):
        log(f"Attention : le modèle a vu des inspections jusqu'au {model.trained_until}, après la date du score.")
    progress(0.3, 1.0, "Calcul des variables, des scores et des raisons")
    scores = score_history(model, history, pd.Timestamp(as_of))
    est = history.establishments.reindex(columns=LIST_ATTRIBUTES)
    frame = scores[["establishment_id", "score", "rank", "reasons"]].merge(
        est, left_on="establishment_id", right_index=True, how="left")
    frame["score"] = frame["score"].round(6)
    progress(0.9, 1.0, "Enregistrement du classement")
    record = ScoreList.objects.create(model=trained, as_of=as_of, path="", count=len(frame), created_by=user)
    path = data_dir() / "scores" / f"{record.pk}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as handle:
        frame.to_csv(handle, index=False, lineterminator="\n")
    record.path = str(path)
    record.save(update_fields=["path"])
    log(f"{len(frame)} établissements classés au {as_of:%d/%m/%Y}.")
    return record


@job_handler("ciblage.train", "Ciblage : entraînement et backtest", roles=[Role.RESPONSABLE_INSPECTION])
def train_job(ctx: JobContext, dataset_id: int, test_start: str | None = None, test_end: str | None = None,
              user_id: int | None = None, ensemble: int = 1) -> dict:
    from .errors import CiblageError

    dataset = Dataset.objects.filter(pk=dataset_id).first()
    if dataset is None:
        raise CiblageError("Ce jeu de données n'existe plus.")
    record = train_dataset(dataset, progress=ctx.progress, log=ctx.log, test_start=date.fromisoformat(test_start) if test_start else None,
                           test_end=date.fromisoformat(test_end) if test_end else None, user=_user(user_id),
                           ensemble=int(ensemble))
    return {"model_id": record.pk, "url": f"/ciblage/modeles/{record.pk}/"}


@job_handler("ciblage.score", "Ciblage : classement des établissements", roles=[Role.RESPONSABLE_INSPECTION])
def score_job(ctx: JobContext, model_id: int, as_of: str, user_id: int | None = None) -> dict:
    from .errors import CiblageError

    trained = TrainedModel.objects.select_related("dataset").filter(pk=model_id).first()
    if trained is None:
        raise CiblageError("Ce modèle n'existe plus.")
    record = score_model(trained, date.fromisoformat(as_of), progress=ctx.progress, log=ctx.log, user=_user(user_id))
    return {"score_list_id": record.pk, "url": f"/ciblage/classements/{record.pk}/"}


def write_canonical(history, folder) -> list[str]:
    """Write a :class:`History` as canonical CSV files (inspections, establishments); return names."""
    folder.mkdir(parents=True, exist_ok=True)
    insp = history.inspections[["inspection_id", "establishment_id", "date", "outcome", "inspector"]].copy()
    insp["date"] = insp["date"].dt.strftime("%Y-%m-%d")
    est = history.establishments.reindex(
        columns=["name", "address", "postcode", "commune", "department", "activity", "size", "team"]).reset_index()
    for name, frame in (("inspections.csv", insp), ("etablissements.csv", est)):
        with atomic_write(folder / name) as handle:
            frame.to_csv(handle, index=False, lineterminator="\n")
    return ["inspections.csv", "etablissements.csv"]


def load_demo(ctx, *, establishments: int = DEMO_ESTABLISHMENTS, inspections: int = DEMO_INSPECTIONS) -> dict:
    """A generated history saved as a dataset, a model trained by the job's code, and a ranked list."""
    from .schema import json_safe
    from .synthetic import generate_history

    ctx.log(f"Génération d'un historique de {inspections} inspections de {establishments} établissements.")
    history = generate_history(establishments, inspections, start="2019-01-01", end="2023-12-31", seed=7,
                               with_complaints=False)
    for old in Dataset.objects.filter(name=DEMO_NAME):  # idempotent: replace the previous demo
        for trained in old.models.all():
            for scores in trained.score_lists.all():
                Path(scores.path).unlink(missing_ok=True)
            if trained.directory:
                shutil.rmtree(trained.directory, ignore_errors=True)
        shutil.rmtree(Path(settings.MEDIA_ROOT) / old.folder, ignore_errors=True)
        old.delete()
    folder = media_dir() / "demo"
    files = write_canonical(history, folder)
    dataset = Dataset.objects.create(name=DEMO_NAME, format=Dataset.Format.CANONICAL, folder="ciblage/demo",
                                     files=files, summary=json_safe(dataset_summary(history)))
    ctx.progress(0.1, 1.0, "Entraînement et backtest du modèle de démonstration")
    trained = train_dataset(dataset, progress=part(ctx.progress, 0.1, 0.75), log=ctx.log)
    ctx.progress(0.85, 1.0, "Classement des établissements")
    scores = score_model(trained, trained.as_of, progress=part(ctx.progress, 0.85, 0.15), log=ctx.log)
    return {"dataset": dataset.pk, "model": trained.pk, "score_list": scores.pk, "establishments": scores.count}


def dataset_summary(history) -> dict:
    summary = history.summary()
    summary["departments"] = int(history.establishments["department"].nunique()) \
        if "department" in history.establishments else 0
    return summary

