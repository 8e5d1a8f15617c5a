"""Score establishments at a date: probability, rank and plain-French reasons.

``score_history`` works in memory; ``score_partitioned`` sends feature blocks to the batch engine
(process pool or Ray) — same results, for very large registers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from amorce.core.files import atomic_write

from .explain import top_reasons
from .features import scoring_queries
from .model import TargetingModel
from .schema import CiblageError, History

SCORE_COLUMNS = ["establishment_id", "score", "rank", "reasons"]


def rank_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by raw margin (the calibrated score is a non-decreasing function of it; isotonic steps
    create ties in the score, not in the margin), ties in input order; add ``rank`` from 1."""
    order = np.lexsort((-frame["score"].to_numpy(), -frame["margin"].to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame


def score_features(model: TargetingModel, X: pd.DataFrame, *, reasons: bool = True, k: int = 3,
                   explain: str = "auto") -> pd.DataFrame:
    out = model.predict_frame(X)
    if reasons:
        out["reasons"] = top_reasons(X, model.contributions(X, explain), k=k).to_numpy()
    return out


def score_history(model: TargetingModel, history: History, as_of, *, establishments=None,
                  reasons: bool = True, k: int = 3, explain: str = "auto") -> pd.DataFrame:
    """Score every establishment known at ``as_of`` (only data dated before ``as_of`` is used)."""
    as_of = pd.Timestamp(as_of)
    queries = scoring_queries(history, as_of, establishments)
    if not len(queries):
        raise CiblageError(f"Aucun établissement connu au {as_of.date().isoformat()}.")
    X = model.features(history, queries)
    out = score_features(model, X, reasons=reasons, k=k, explain=explain)
    out.insert(0, "establishment_id", queries["establishment_id"].to_numpy())
    return rank_scores(out)


# -- partitioned scoring (engine) ---------------------------------------------------------------

def _score_block(payload) -> pd.DataFrame:
    """Module-level worker: (model directory or model, features block, reasons flag)."""
    from . import model as model_module

    model, X, reasons = payload
    if isinstance(model, (str, Path)):
        model = _cached_model(str(model))
    previous, model_module.THREADS_OVERRIDE = model_module.THREADS_OVERRIDE, 1  # one worker per core
    try:
        return score_features(model, X, reasons=reasons)
    finally:
        model_module.THREADS_OVERRIDE = previous


_MODEL_CACHE: dict[str, TargetingModel] = {}


def _cached_model(directory: str) -> TargetingModel:
    if directory not in _MODEL_CACHE:
        _MODEL_CACHE[directory] = TargetingModel.load(directory)
    return _MODEL_CACHE[directory]


def score_partitioned(model_dir: str | Path, X: pd.DataFrame, *, engine: str | None = None, parts: int = 8,
                      reasons: bool = True, progress=None) -> pd.DataFrame:
    """Score a feature matrix in ``parts`` blocks through :func:`amorce.core.engine.run_partitions`."""
    from amorce.core.engine import run_partitions, split

    blocks = [X.iloc[s] for s in split(range(len(X)), parts)]
    results = run_partitions(_score_block, [(str(model_dir), b, reasons) for b in blocks], engine=engine,
                             progress=progress)
    return pd.concat(results)


def write_scores(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``establishment_id,score,rank,reasons`` atomically (UTF-8, comma-separated)."""
    out = frame.reindex(columns=SCORE_COLUMNS).copy()
    out["score"] = out["score"].round(6)
    with atomic_write(path) as handle:
        out.to_csv(handle, index=False, lineterminator="\n")
