"""Ranking metrics, including the City of Chicago's two metrics on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amorce.ciblage import days_earlier, first_half_share, lift_curve, precision_at_k, recall_at_k, roc_auc


def test_precision_recall():
    y = np.array([1, 0, 1, 0, 0, 1])
    s = np.array([0.9, 0.8, 0.7, 0.1, 0.2, 0.3])
    assert precision_at_k(y, s, 2) == 0.5
    assert recall_at_k(y, s, 3) == 2 / 3
    assert roc_auc(y, s) == roc_auc(y, s * 10)
    curve = lift_curve(y, s, points=2)
    assert curve[-1]["found_share"] == 1.0


def test_chicago_metrics_by_hand():
    # 4 inspections on 4 days, the event is on the last day; a score ranking it first moves it 3 days earlier
    dates = pd.to_datetime(["2014-09-01", "2014-09-02", "2014-09-03", "2014-09-04"])
    y = np.array([0, 0, 0, 1])
    assert days_earlier(dates, np.array([4, 3, 2, 1]), y) == 0.0      # actual order kept
    assert days_earlier(dates, np.array([1, 2, 3, 4]), y) == 3.0      # event first
    actual, simulated = first_half_share(dates, np.array([1, 2, 3, 4]), y)
    # first half = days whose cumulative count < 2, i.e. the first day only
    assert actual == 0.0 and simulated == 1.0


def test_first_half_share_matches_city_definition():
    rng = np.random.default_rng(0)
    dates = pd.to_datetime("2014-09-01") + pd.to_timedelta(rng.integers(0, 40, 500), unit="D")
    y = rng.random(500) < 0.2
    score = rng.random(500)
    actual, _ = first_half_share(dates, score, y)
    counts = pd.Series(1, index=dates).groupby(level=0).sum().sort_index()
    first_days = counts.index[counts.cumsum() < len(dates) / 2]
    assert actual == y[np.isin(dates, first_days)].sum() / y.sum()
