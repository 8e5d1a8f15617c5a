"""Services of the targeting pages and API (Django allowed, no HTTP): what a page and its API
endpoint both need, computed once, in one place; and every state change (dataset import, job
launches, plans, outcomes) with its transaction and audit event, so views only parse, check roles
and render."""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import get_valid_filename

from amorce.core.formats import date_fr
from amorce.core.transparency import CrpaExplanation
from amorce.web import jobs
from amorce.web.audit import record
from amorce.web.uploads import checked_copies

from .models import Dataset, Plan, ScoreList, TrainedModel


@dataclass
class ScoreExplanation:
    """Everything the explanation page and its API endpoint show for one establishment's score."""

    establishment_id: str
    row: dict  # the establishment's row of the ranked list (strings)
    score: float
    rank: int
    total: int
    contributions: list[dict]  # :func:`amorce.ciblage.explain.shown_contributions`, strongest first
    base_value: float
    planning_contribution: float  # sum of the planning variables' contributions (never shown as reasons)
    sheet: CrpaExplanation


def explain_score(scores: ScoreList, establishment_id: str) -> ScoreExplanation | None:
    """The exact Shapley contributions and the CRPA sheet of one establishment of a ranked list
    (``None`` when it is not in the list). The contributions are computed once and feed both the
    shown list and the sheet."""
    from . import explain

    frame = scores.frame()
    row = frame[frame["establishment_id"] == establishment_id]
    if not len(row):
        return None
    model = scores.model.load()
    x_row, contrib = explain.explain_establishment(model, scores.model.dataset.load(), establishment_id,
                                                   scores.as_of)
    score, rank = float(row["score"].iloc[0]), int(row["rank"].iloc[0])
    contributions = explain.shown_contributions(x_row, contrib)
    sheet = explain.crpa_explanation(model, x_row, contrib, establishment_id=establishment_id, score=score,
                                     rank=rank, total=len(frame), as_of=scores.as_of.isoformat(),
                                     contributions=contributions)
    return ScoreExplanation(establishment_id=establishment_id, row=row.iloc[0].to_dict(), score=score, rank=rank,
                            total=len(frame), contributions=contributions, base_value=float(contrib[-1]),
                            planning_contribution=explain.planning_contribution(x_row, contrib), sheet=sheet)


# --------------------------------------------------------------------------- state changes (audited)
def import_dataset(data: dict, *, user, request=None) -> Dataset:
    """Validate the files with the pure importer in a temporary folder; keep them only if they parse."""
    from .importers import load_history
    from .schema import json_safe
    from .tasks import dataset_summary

    with checked_copies(data["files"], default_name="fichier.csv") as paths:
        history = load_history(data["format"], paths)
        folder = f"ciblage/{secrets.token_hex(8)}"
        target = Path(settings.MEDIA_ROOT) / folder
        try:
            target.mkdir(parents=True)
            names: list[str] = []
            for rank, path in enumerate(paths, start=1):
                name = get_valid_filename(path.name) or f"fichier-{rank}.csv"
                names.append(name if name not in names else f"{rank}-{name}")
                shutil.copyfile(path, target / names[-1])
            with transaction.atomic():
                dataset = Dataset.objects.create(name=data["name"], format=data["format"], folder=folder,
                                                 files=names, summary=json_safe(dataset_summary(history)),
                                                 created_by=user)
                record("ciblage_donnees_importees", request=request, user=user, obj=dataset, files=dataset.files,
                       format=dataset.format)
                return dataset
        except Exception:
            shutil.rmtree(target, ignore_errors=True)
            raise


def launch_training(dataset: Dataset, data: dict, *, user, request=None):
    """Queue the training and backtest of a dataset (``data``: the training form's cleaned values)."""
    params = {"dataset_id": dataset.pk, "user_id": user.pk,
              "test_start": data["test_start"].isoformat() if data.get("test_start") else None,
              "test_end": data["test_end"].isoformat() if data.get("test_end") else None,
              "ensemble": data.get("ensemble") or 1}
    with transaction.atomic():
        job = jobs.enqueue("ciblage.train", params, user=user, label=f"Ciblage : entraînement — {dataset.name}")
        record("ciblage_entrainement_lance", request=request, user=user, obj=job, dataset=dataset.pk)
    return job


def launch_scoring(trained: TrainedModel, as_of: date, *, user, request=None):
    """Queue the ranked list of a model at a date."""
    with transaction.atomic():
        job = jobs.enqueue("ciblage.score", {"model_id": trained.pk, "as_of": as_of.isoformat(), "user_id": user.pk},
                           user=user, label=f"Ciblage : classement au {date_fr(as_of)}")
        record("ciblage_classement_lance", request=request, user=user, obj=job, model=trained.pk)
    return job


def launch_retraining(plan: Plan, *, user, request=None):
    """Queue a retraining on the dataset's history plus every outcome recorded in its plans."""
    dataset = plan.score_list.model.dataset
    with transaction.atomic():
        job = jobs.enqueue("ciblage.train", {"dataset_id": dataset.pk, "user_id": user.pk}, user=user,
                           label=f"Ciblage : réentraînement avec les résultats saisis — {dataset.name}")
        record("ciblage_reentrainement_lance", request=request, user=user, obj=job, dataset=dataset.pk, plan=plan.pk,
               outcomes=len(plan.outcomes))
    return job


def create_plan(scores: ScoreList, data: dict, *, user, request=None) -> Plan:
    """Compute and save an inspection plan from a ranked list (``data``: the plan form's cleaned values:
    capacity, weeks, start, exploration in %, seed); :class:`AmorceError` (French) when it cannot be made."""
    from .plan import make_plan

    frame = scores.frame()
    ranked = frame[["establishment_id", "score", "rank", "reasons"]].astype({"score": float, "rank": int})
    est = frame.set_index("establishment_id").drop(columns=["score", "rank", "reasons"])
    plan = make_plan(ranked, est, data["capacity"], weeks=data["weeks"], start=data["start"],
                     exploration=data["exploration"] / 100, seed=data["seed"])
    rows = plan.astype(object).where(plan.notna(), None).to_dict("records")
    start = date.fromisoformat(plan["planned_date"].min()) if len(plan) else data["start"]
    with transaction.atomic():
        saved = Plan.objects.create(score_list=scores, capacity=data["capacity"], weeks=data["weeks"],
                                    exploration=data["exploration"] / 100, seed=data["seed"], start=start,
                                    rows=[{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                                          for r in rows], created_by=user)
        record("ciblage_plan_cree", request=request, user=user, obj=saved, inspections=len(rows))
    return saved


def record_plan_outcomes(plan: Plan, rows: list[dict], *, user, request=None) -> Plan:
    """Merge checked outcome rows (establishment_id, date, outcome) into the plan and recompute the
    model share against the random share."""
    import pandas as pd

    from .feedback import hit_rates, record_outcomes
    from .schema import json_safe

    merged = {r["establishment_id"]: r for r in plan.outcomes}
    merged.update({r["establishment_id"]: r for r in rows})
    outcomes = list(merged.values())
    recorded = record_outcomes(plan.frame(), pd.DataFrame(outcomes, columns=["establishment_id", "date", "outcome"]))
    with transaction.atomic():
        plan.outcomes = outcomes
        plan.feedback = json_safe(hit_rates(recorded))
        plan.save(update_fields=["outcomes", "feedback"])
        record("ciblage_resultats_saisis", request=request, user=user, obj=plan, outcomes=len(rows))
    return plan
