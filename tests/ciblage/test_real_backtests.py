"""Backtests on the real data of ../shared/data (kept lean: one model per data set)."""

from __future__ import annotations

import pandas as pd

from amorce.ciblage import backtest, load_alimconfiance, load_chicago


def test_chicago_replay_beats_random(shared_data):
    base = shared_data / "chicago_food_inspections"
    history = load_chicago([base / "inspections.csv", base / "inspector_assignments.csv", base / "heat_values.csv",
                            base / "model_data_xgboost.csv"])
    test = pd.read_csv(base / "model_data_xgboost.csv", usecols=["Inspection_ID", "Test"])
    ids = test.loc[test["Test"], "Inspection_ID"].astype(str)
    result = backtest(history, "2014-09-02", "2014-11-01", inspection_ids=ids)
    assert result.n_inspections == 1637
    assert result.model.trained_until == "2014-09-02"
    model, rnd = result.metrics["model"], result.metrics["random"]
    assert model["auc"] > 0.6 and model["auc"] > rnd["auc"] + 0.08
    assert model["days_earlier"] > 3
    assert model["first_half_share"] > model["first_half_share_actual_order"]


def test_alimconfiance_later_export(shared_data):
    base = shared_data / "alimconfiance"
    history = load_alimconfiance([base / "alimconfiance_2017-08-22_snapshot.csv",
                                  base / "alimconfiance_2021-2022.csv"])
    result = backtest(history, "2021-01-29", "2022-02-01")
    assert result.metrics["model"]["auc"] > result.metrics["random"]["auc"] + 0.05
