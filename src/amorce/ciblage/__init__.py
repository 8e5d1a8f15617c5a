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


# The library API is imported lazily (PEP 562): Django imports this package at start-up for its app,
# and every web process would otherwise load pandas, LightGBM and Numba (~300 MiB) it may never use.
_EXPORTS = {
    "BacktestResult": "evaluate",
    "backtest": "evaluate",
    "days_earlier": "evaluate",
    "first_half_share": "evaluate",
    "lift_curve": "evaluate",
    "precision_at_k": "evaluate",
    "ranking_metrics": "evaluate",
    "recall_at_k": "evaluate",
    "roc_auc": "evaluate",
    "crpa_explanation": "explain",
    "format_value": "explain",
    "top_reasons": "explain",
    "FairnessReport": "fairness",
    "audit": "fairness",
    "FeatureSpec": "features",
    "build_features": "features",
    "scoring_queries": "features",
    "training_queries": "features",
    "drift_report": "feedback",
    "hit_rates": "feedback",
    "psi": "feedback",
    "record_outcomes": "feedback",
    "to_canonical_inspections": "feedback",
    "FORMATS": "importers",
    "load_alimconfiance": "importers",
    "load_canonical": "importers",
    "load_chicago": "importers",
    "load_history": "importers",
    "assign_establishment_ids": "matching",
    "BASELINES": "learner",
    "Calibrator": "learner",
    "TargetingModel": "learner",
    "baseline_scores": "learner",
    "train": "learner",
    "make_plan": "plan",
    "plan_to_ics": "plan",
    "write_plan_csv": "plan",
    "write_plan_ics": "plan",
    "OUTCOMES": "schema",
    "CiblageError": "errors",
    "History": "schema",
    "outcome_severity": "schema",
    "rank_scores": "scoring",
    "score_history": "scoring",
    "score_partitioned": "scoring",
    "write_scores": "scoring",
    "generate_history": "synthetic",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'amorce.ciblage' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = sorted(_EXPORTS)
