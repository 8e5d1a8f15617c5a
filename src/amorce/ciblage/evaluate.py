"""Ranking metrics and the temporal backtest (train before a period, rank its inspections).

Chicago's two metrics follow the City's own evaluation code (``simulated_date_diff_mean`` and
``simulated_bin_summary`` of Chicago/food-inspections-evaluation): inspections of the period are
re-assigned to the same calendar slots in score order (as many inspections per day as actually
done); *days earlier* is the mean, over inspections with the event, of actual date minus simulated
date; the *first-half share* is the share of events found on the days whose cumulative count of
inspections stays strictly below half of the period's inspections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from amorce.core.progress import Progress

from .errors import CiblageError
from .features import build_features
from .learner import BASELINES, TargetingModel, baseline_scores, train
from .schema import History

DEFAULT_FRACTIONS = (0.05, 0.1, 0.2, 0.3, 0.5)
MODEL_RANKING = "model"  # the model's key among the rankings of a backtest (the others: BASELINES)


def _order(score: np.ndarray) -> np.ndarray:
    return np.argsort(-np.asarray(score, dtype=float), kind="stable")


def precision_at_k(y, score, k: int) -> float:
    y = np.asarray(y)
    k = max(1, min(int(k), len(y)))
    return float(y[_order(score)[:k]].mean())


def recall_at_k(y, score, k: int) -> float:
    y = np.asarray(y)
    total = y.sum()
    if total == 0:
        return float("nan")
    k = max(0, min(int(k), len(y)))
    return float(y[_order(score)[:k]].sum() / total)


def roc_auc(y, score) -> float:
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y)
    if y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, score))


def lift_curve(y, score, points: int = 20) -> list[dict]:
    """Share of events found when inspecting the top fraction; lift = found share / inspected share."""
    y = np.asarray(y, dtype=float)
    found = np.cumsum(y[_order(score)])
    total = max(found[-1], 1e-12) if len(found) else 1.0
    curve = []
    for i in range(1, points + 1):
        fraction = i / points
        k = max(1, int(round(fraction * len(y))))
        share = float(found[k - 1] / total)
        curve.append({"inspected_fraction": round(fraction, 4), "found_share": share,
                      "lift": share / fraction})
    return curve


def simulated_dates(dates, score) -> np.ndarray:
    """Original dates in sequential order matched to inspections in score order (City's method)."""
    dates = np.asarray(pd.to_datetime(dates), dtype="datetime64[ns]")
    simulated = np.empty_like(dates)
    simulated[_order(score)] = np.sort(dates, kind="stable")
    return simulated


def days_earlier(dates, score, y) -> float:
    """Mean number of days earlier that events are found when inspections follow ``score``."""
    dates = np.asarray(pd.to_datetime(dates), dtype="datetime64[ns]")
    y = np.asarray(y).astype(bool)
    if not y.any():
        return float("nan")
    diff = (dates - simulated_dates(dates, score)) / np.timedelta64(1, "D")
    return float(diff[y].mean())


def first_half_share(dates, score, y) -> tuple[float, float]:
    """(actual, simulated) share of events found in the first half of the period."""
    dates = np.asarray(pd.to_datetime(dates), dtype="datetime64[ns]")
    y = np.asarray(y, dtype=float)
    total = y.sum()
    if total == 0:
        return float("nan"), float("nan")
    sim = simulated_dates(dates, score)
    days, counts = np.unique(dates, return_counts=True)
    cumulative = np.cumsum(counts)
    first_days = days[cumulative < cumulative[-1] / 2]
    actual = y[np.isin(dates, first_days)].sum() / total
    simulated = y[np.isin(sim, first_days)].sum() / total
    return float(actual), float(simulated)


def ranking_metrics(y, score, dates=None, *, fractions=DEFAULT_FRACTIONS, ks=()) -> dict:
    y = np.asarray(y)
    out: dict = {"auc": roc_auc(y, score)}
    for f in fractions:
        k = max(1, int(round(f * len(y))))
        out[f"precision@{int(f * 100)}%"] = precision_at_k(y, score, k)
        out[f"recall@{int(f * 100)}%"] = recall_at_k(y, score, k)
    for k in ks:
        out[f"precision@{k}"] = precision_at_k(y, score, k)
        out[f"recall@{k}"] = recall_at_k(y, score, k)
    out["lift_curve"] = lift_curve(y, score)
    if dates is not None:
        out["days_earlier"] = days_earlier(dates, score, y)
        actual, simulated = first_half_share(dates, score, y)
        out["first_half_share"] = simulated
        out["first_half_share_actual_order"] = actual
    return out


@dataclass
class BacktestResult:
    period: tuple[str, str]
    n_inspections: int
    n_events: int
    metrics: dict[str, dict]
    model: TargetingModel | None = None
    scores: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"period": {"start": self.period[0], "end": self.period[1]},
                "inspections": self.n_inspections, "events": self.n_events,
                "event_rate": self.n_events / self.n_inspections if self.n_inspections else None,
                "rankings": self.metrics, "model_metrics": self.model.metrics if self.model else None,
                "notes": self.notes}


def backtest(history: History, start, end, *, model: TargetingModel | None = None, use_planned_inspector: bool = True,
             extra_scores: dict[str, np.ndarray] | None = None, fractions=DEFAULT_FRACTIONS, ks=(),
             seed: int = 0, progress: Progress | None = None, train_kwargs: dict | None = None,
             inspection_ids=None) -> BacktestResult:
    """Train on inspections dated before ``start`` and rank the inspections of [start, end).

    Every inspection of the period is scored *as of* ``start``: nothing that happened during the
    period (not even an earlier inspection of the same period) is visible. With
    ``use_planned_inspector`` the inspector assigned to each inspection (known when the plan is
    made) is a feature, as in the City of Chicago's model. ``inspection_ids`` restricts the
    evaluated inspections (e.g. the City's 1,637 test inspections).
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end <= start:
        raise CiblageError("La fin de la période doit être postérieure à son début.")
    insp = history.inspections
    period = insp[(insp["date"] >= start) & (insp["date"] < end)]
    if inspection_ids is not None:
        period = period[period["inspection_id"].isin(pd.Index(inspection_ids).astype(str))]
    if not len(period):
        raise CiblageError(f"Aucune inspection entre le {start.date()} et le {end.date()}.")
    if model is None:
        model = train(history, end=start, seed=seed, progress=progress, **(train_kwargs or {}))
    elif pd.Timestamp(model.trained_until) > start:
        raise CiblageError(f"Le modèle a été entraîné sur des données jusqu'au {model.trained_until}, après le "
                           f"début de la période testée ({start.date()}) : le backtest serait biaisé.")
    queries = pd.DataFrame({"establishment_id": period["establishment_id"].to_numpy(),
                            "as_of": np.full(len(period), start.to_datetime64())})
    if use_planned_inspector:
        queries["inspector"] = period["inspector"].fillna("").to_numpy()
    X = model.features(history, queries)
    pred = model.predict_frame(X)
    y = period["adverse"].to_numpy(dtype=int)
    dates = period["date"].to_numpy()
    rankers = {MODEL_RANKING: pred["margin"].to_numpy()}
    base_X = build_features(history, queries)
    for kind in BASELINES:
        rankers[kind] = baseline_scores(base_X, kind, seed=seed)
    for name, values in (extra_scores or {}).items():
        rankers[name] = np.asarray(values, dtype=float)
    metrics = {name: ranking_metrics(y, s, dates, fractions=fractions, ks=ks) for name, s in rankers.items()}
    scores = pd.DataFrame({"inspection_id": period["inspection_id"].to_numpy(),
                           "establishment_id": period["establishment_id"].to_numpy(), "date": dates,
                           "event": y, "score": pred["score"].to_numpy(), "margin": pred["margin"].to_numpy()})
    return BacktestResult(period=(start.date().isoformat(), end.date().isoformat()), n_inspections=len(y),
                          n_events=int(y.sum()), metrics=metrics, model=model, scores=scores,
                          notes=["Scores calculés au début de la période : aucune donnée de la période n'est visible.",
                                 "Jours gagnés et part en première moitié : méthode de la Ville de Chicago "
                                 "(mêmes créneaux journaliers, réordonnés par score)."])
