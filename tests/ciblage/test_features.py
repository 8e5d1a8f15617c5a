"""Point-in-time features: exact values on a small case, and no feature sees the future."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from amorce.ciblage import History, build_features, generate_history, scoring_queries, training_queries
from amorce.ciblage.features import FeatureSpec


def make_history():
    insp = pd.DataFrame({
        "inspection_id": ["a", "b", "c", "d"],
        "establishment_id": ["e1", "e1", "e1", "e2"],
        "date": pd.to_datetime(["2020-01-01", "2021-01-01", "2021-06-01", "2021-03-01"]),
        "outcome": "", "severity": np.array([2, 1, 3, 0], dtype="int8"),
        "adverse": [True, False, True, False], "critical_violations": np.nan, "inspector": "",
        "source": "t",
    })
    est = pd.DataFrame({"activity": ["Restaurant", "Boulangerie"], "department": ["75", "13"]},
                       index=pd.Index(["e1", "e2"], name="establishment_id"))
    for column in ("opened_on",):
        est[column] = pd.NaT
    comp = pd.DataFrame({"establishment_id": ["e1", "e1"], "date": pd.to_datetime(["2021-05-01", "2021-07-01"])})
    return History(establishments=est, inspections=insp, complaints=comp)


def test_exact_values():
    history = make_history()
    queries = pd.DataFrame({"establishment_id": ["e1", "e1", "e2", "zz"],
                            "as_of": pd.to_datetime(["2021-06-01", "2021-06-02", "2021-03-01", "2021-06-01"])})
    X = build_features(history, queries)
    row = X.iloc[0]  # e1 at 2021-06-01: the inspection of that day is not visible yet
    assert row["n_inspections"] == 2
    assert row["last_severity"] == 1 and row["prev_severity"] == 2
    assert row["days_since_last"] == (pd.Timestamp("2021-06-01") - pd.Timestamp("2021-01-01")).days
    assert row["n_adverse"] == 1 and row["adverse_rate"] == 0.5
    assert row["n_inspections_365d"] == 1
    assert row["n_complaints_90d"] == 1 and row["days_since_complaint"] == 31
    assert X.iloc[1]["n_inspections"] == 3 and X.iloc[1]["last_severity"] == 3
    assert X.iloc[2]["n_inspections"] == 0 and np.isnan(X.iloc[2]["days_since_last"])
    assert X.iloc[3]["n_inspections"] == 0 and pd.isna(X.iloc[3]["activity"])  # unknown establishment
    assert X.iloc[0]["activity"] == "Restaurant"


def perturb_future(history: History, as_of: pd.Timestamp, seed: int = 1) -> History:
    """Change everything dated on or after ``as_of``: outcomes, inspectors, new rows, complaints."""
    rng = np.random.default_rng(seed)
    insp = history.inspections.copy()
    future = insp["date"] >= as_of
    insp.loc[future, "severity"] = rng.integers(0, 4, future.sum()).astype("int8")
    insp.loc[future, "adverse"] = insp.loc[future, "severity"] >= 2
    insp.loc[future, "inspector"] = "insp-" + pd.Series(rng.integers(0, 99, future.sum()).astype(str)).to_numpy()
    extra = insp[future].head(500).copy()
    extra["inspection_id"] = "new-" + extra["inspection_id"]
    extra["date"] = extra["date"] + pd.Timedelta(days=3)
    extra["adverse"] = True
    extra["severity"] = np.int8(3)
    comp = history.complaints.copy()
    fc = comp[comp["date"] >= as_of].copy()
    comp = pd.concat([comp, fc, fc], ignore_index=True)
    ctx = history.context.copy()
    ctx.loc[ctx["date"] >= as_of, "heat"] = 1e6
    return History(establishments=history.establishments.drop(columns=["first_seen"]),
                   inspections=pd.concat([insp, extra], ignore_index=True), complaints=comp, context=ctx,
                   context_columns=history.context_columns, format=history.format)


def with_context(history: History, seed: int = 0) -> History:
    rng = np.random.default_rng(seed)
    n = 4000
    ctx = pd.DataFrame({"establishment_id": rng.choice(history.establishments.index, n),
                        "date": pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2190, n), unit="D"),
                        "heat": rng.normal(size=n)})
    return History(establishments=history.establishments.drop(columns=["first_seen"]),
                   inspections=history.inspections, complaints=history.complaints, context=ctx,
                   context_columns=["heat"], format=history.format)


def values_of(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: object for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


@pytest.mark.parametrize("as_of", ["2020-06-15", "2022-01-01", "2023-07-01"])
def test_no_feature_sees_the_future(as_of):
    history = with_context(generate_history(800, 6000, seed=7))
    as_of = pd.Timestamp(as_of)
    spec = FeatureSpec.from_history(history)
    queries = scoring_queries(history, as_of, establishments=history.establishments.index)
    queries["inspector"] = ""
    # category lists may differ (new inspectors appear in the future), values may not: the model maps
    # categories by name to those seen in training
    before = values_of(build_features(history, queries, spec))
    after = values_of(build_features(perturb_future(history, as_of), queries, spec))
    pd.testing.assert_frame_equal(before, after)
    assert before["heat"].notna().any() and before["inspector_rate"].notna().any()
    # and the perturbation really changes features when scoring later
    later = queries.assign(as_of=as_of + pd.Timedelta(days=400))
    assert not build_features(history, later, spec).equals(build_features(perturb_future(history, as_of), later, spec))


def test_training_rows_use_only_earlier_inspections():
    history = generate_history(300, 3000, seed=2)
    queries = training_queries(history)
    X = build_features(history, queries)
    # every training row sees exactly the inspections of its establishment dated strictly before
    insp = history.inspections
    sample = queries.sample(200, random_state=0)
    for i, q in sample.iterrows():
        expected = ((insp["establishment_id"] == q["establishment_id"]) & (insp["date"] < q["as_of"])).sum()
        assert X.loc[i, "n_inspections"] == expected
