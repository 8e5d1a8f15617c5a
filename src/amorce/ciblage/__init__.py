"""Ciblage : prioriser les établissements à inspecter à partir des inspections passées.

Library API (pure Python, no Django)::

    from amorce.ciblage import load_history, train, score_history, backtest
    history = load_history("alimconfiance", ["export_2021.csv", "export_2022.csv"])
    model = train(history, end="2022-01-01")
    scores = score_history(model, history, as_of="2022-01-01")
"""

import os

# LightGBM's OpenMP threads busy-wait by default: on a shared machine (other jobs, worker pools) this
# slows training 10-20× (measured: 83 s instead of 5 s). Passive waiting costs nothing when idle.
# Must be set before the OpenMP runtime starts, i.e. before lightgbm is first imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .evaluate import (  # noqa: E402
    BacktestResult,
    backtest,
    days_earlier,
    first_half_share,
    lift_curve,
    precision_at_k,
    ranking_metrics,
    recall_at_k,
    roc_auc,
)
from .explain import crpa_explanation, format_value, top_reasons
from .fairness import FairnessReport, audit
from .features import FeatureSpec, build_features, scoring_queries, training_queries
from .feedback import drift_report, hit_rates, psi, record_outcomes, to_canonical_inspections
from .importers import FORMATS, load_alimconfiance, load_canonical, load_chicago, load_history
from .matching import assign_establishment_ids
from .model import BASELINES, Calibrator, TargetingModel, baseline_scores, train
from .plan import make_plan, plan_to_ics, write_plan_csv, write_plan_ics
from .schema import OUTCOMES, CiblageError, History, outcome_severity
from .scoring import rank_scores, score_history, score_partitioned, write_scores
from .synthetic import generate_history

__all__ = [
    "BASELINES", "FORMATS", "OUTCOMES", "BacktestResult", "Calibrator", "CiblageError", "FairnessReport",
    "FeatureSpec", "History", "TargetingModel", "assign_establishment_ids", "audit", "backtest",
    "baseline_scores", "build_features", "crpa_explanation", "days_earlier", "drift_report",
    "first_half_share", "format_value", "generate_history", "hit_rates", "lift_curve", "load_alimconfiance",
    "load_canonical", "load_chicago", "load_history", "make_plan", "outcome_severity", "plan_to_ics",
    "precision_at_k", "psi", "rank_scores", "ranking_metrics", "recall_at_k", "record_outcomes", "roc_auc",
    "score_history", "score_partitioned", "scoring_queries", "to_canonical_inspections", "top_reasons",
    "train", "training_queries", "write_plan_csv", "write_plan_ics", "write_scores",
]
