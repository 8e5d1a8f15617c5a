"""Inspection plan (CSV, iCalendar), fairness audit, feedback loop and drift."""

from __future__ import annotations

import numpy as np
import pandas as pd

from amorce.ciblage import (
    audit,
    drift_report,
    hit_rates,
    make_plan,
    psi,
    record_outcomes,
    score_history,
)
from amorce.ciblage.feedback import to_canonical_inspections
from amorce.ciblage.plan import plan_to_ics, write_frame_csv, write_plan_csv, write_plan_ics
from amorce.core.exports import FORMULA_STARTS

HOSTILE = ['=HYPERLINK("http://x","y")', "+33 1 23 45 67 89", "@SUM(A1:A9)", "-1+1"]


def _hostile_plan(small_history, small_model):
    """A plan whose establishment names, addresses and team names are formulas."""
    est = small_history.establishments.copy()
    est["name"] = [HOSTILE[i % len(HOSTILE)] for i in range(len(est))]
    est["address"] = [HOSTILE[(i + 1) % len(HOSTILE)] for i in range(len(est))]
    est["postcode"] = est["commune"] = ""
    scores = score_history(small_model, small_history, "2023-01-01", reasons=False)
    plan = make_plan(scores, est, 12, weeks=1, start="2023-01-02")
    plan["team"] = "@equipe"
    return plan


def _csv_cells(text: str) -> list[str]:
    import csv
    import io

    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_exports_never_write_a_live_formula(small_history, small_model, tmp_path):
    plan = _hostile_plan(small_history, small_model)
    write_plan_csv(plan, tmp_path / "plan.csv")
    cells = _csv_cells((tmp_path / "plan.csv").read_text(encoding="utf-8"))
    assert """'=HYPERLINK("http://x","y")""" in cells and "'-1+1" in cells and "'@equipe" in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    reread = pd.read_csv(tmp_path / "plan.csv", dtype={"establishment_id": str})
    assert reread["score"].tolist() == plan["score"].tolist()  # numbers stay numbers
    recorded = plan.assign(inspected_on="2023-01-03", outcome="A corriger", severity=2)
    import io

    buffer = io.StringIO()
    write_frame_csv(to_canonical_inspections(recorded), buffer)
    inspections = _csv_cells(buffer.getvalue())
    assert "'@equipe" in inspections and not [c for c in inspections if c.startswith(FORMULA_STARTS)]
    unfolded = plan_to_ics(plan).replace("\r\n ", "")
    values = [line.partition(":")[2] for line in unfolded.split("\r\n") if line and not line.startswith("PRODID")]
    assert "'@equipe" in values and "'-1+1" in values  # LOCATION and CATEGORIES
    assert not [v for v in values if v.startswith(FORMULA_STARTS)]


def test_plan_capacity_and_exploration(small_history, small_model, tmp_path):
    scores = score_history(small_model, small_history, "2023-01-01", reasons=False)
    capacity = {"equipe-0": 20, "equipe-1": 10}
    plan = make_plan(scores, small_history.establishments, capacity, weeks=3, start="2023-01-04", seed=5)
    assert len(plan) == 3 * 30
    assert plan["establishment_id"].is_unique
    per_week = plan.groupby(["team", "week"]).size()
    assert per_week.loc["equipe-0"].eq(20).all() and per_week.loc["equipe-1"].eq(10).all()
    assert (plan["selection"] == "random").sum() == 3 * (2 + 1)
    assert plan["planned_date"].min() == "2023-01-09"  # the Monday after the start date
    model_part = plan[plan["selection"] == "model"]
    assert model_part["score"].mean() > plan[plan["selection"] == "random"]["score"].mean()
    same_seed = make_plan(scores, small_history.establishments, capacity, weeks=3, start="2023-01-04", seed=5)
    pd.testing.assert_frame_equal(plan, same_seed)
    other = make_plan(scores, small_history.establishments, capacity, weeks=3, start="2023-01-04", seed=6)
    assert not plan.equals(other)


def test_ics_is_valid_rfc5545(small_history, small_model, tmp_path):
    scores = score_history(small_model, small_history, "2023-01-01")
    plan = make_plan(scores, small_history.establishments, 12, weeks=2, start="2023-01-02")
    write_plan_ics(plan, tmp_path / "plan.ics")
    raw = (tmp_path / "plan.ics").read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert text.count("BEGIN:VEVENT") == len(plan) == text.count("END:VEVENT")
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20230102" in unfolded
    assert "Raisons" in unfolded  # long descriptions are folded, not cut
    assert "\\;" in unfolded or "\\," in unfolded


def test_fairness_audit_flags_disparity(small_history):
    est = small_history.establishments
    frame = pd.DataFrame({"establishment_id": est.index})
    # select every restaurant, almost nothing else
    frame["selected"] = (est["activity"] == "Restaurant").to_numpy()
    frame["event"] = np.random.default_rng(0).integers(0, 2, len(frame))
    report = audit(frame, small_history, ratio=1.25)
    assert "activity" in report.groups and "department" in report.groups and "size" in report.groups
    assert any("Restaurant" in w for w in report.warnings)
    balanced = frame.assign(selected=np.arange(len(frame)) % 2 == 0)
    assert not [w for w in audit(balanced, small_history, ratio=2.0, min_group_size=100).warnings
                if "activité" in w]
    assert "Alertes" in report.to_markdown()


def test_feedback_hit_rates_and_outcomes():
    plan = pd.DataFrame({"establishment_id": [f"e{i}" for i in range(8)],
                         "selection": ["model"] * 4 + ["random"] * 4, "team": "a"})
    outcomes = pd.DataFrame({"establishment_id": [f"e{i}" for i in range(7)], "date": "2024-01-10",
                             "outcome": ["A améliorer", "non conforme", "Satisfaisant", "fail",
                                         "Satisfaisant", "Très satisfaisant", "A améliorer"]})
    recorded = record_outcomes(plan, outcomes)
    rates = hit_rates(recorded)
    assert rates["model"] == {"inspections": 4, "events": 3, "rate": 0.75}
    assert rates["random"]["inspections"] == 3 and rates["random"]["events"] == 1
    assert rates["model_to_random_ratio"] == 0.75 / (1 / 3)


def test_psi_drift():
    rng = np.random.default_rng(0)
    a = rng.normal(size=5000)
    assert psi(a, rng.normal(size=5000)) < 0.05
    assert psi(a, rng.normal(1.0, 1, size=5000)) > 0.25
    report = drift_report(pd.DataFrame({"score": a}), pd.DataFrame({"score": a + 2}))
    assert report["score"]["level"] == "drift"


def test_drift_against_training_and_hit_rates_over_time(small_history, small_model):
    from amorce.ciblage.feedback import drift_against_training, hit_rates_over_time

    report = drift_against_training(small_model, small_history, "2023-01-01")
    assert report["variables"][0]["variable"] == "score" and report["current"] > 0 and report["reference"] > 1000
    levels = {r["variable"]: r["level"] for r in report["variables"]}
    assert set(levels.values()) <= {"stable", "watch", "drift", "unknown"}
    assert report["warnings"] == [r for r in report["variables"] if r["level"] != "stable"]
    # a year later, with no new data, "days since the last inspection" has shifted by a year: drift
    later = drift_against_training(small_model, small_history, "2026-01-01")
    assert {r["variable"]: r["level"] for r in later["variables"]}["days_since_last"] == "drift"

    rows = [("model", 1, "2024-01-02"), ("model", 0, "2024-01-03"), ("random", 0, "2024-01-09"),
            ("model", 1, "2024-01-10")]
    recorded = pd.DataFrame({"selection": [r[0] for r in rows] * 20, "event": [float(r[1]) for r in rows] * 20,
                             "planned_date": [r[2] for r in rows] * 20})
    out = hit_rates_over_time(recorded)
    assert [w["week"] for w in out["weeks"]] == ["2024-01-01", "2024-01-08"]
    assert out["weeks"][0]["model"]["rate"] == 0.5 and out["weeks"][1]["random"]["rate"] == 0.0
    assert out["total"]["model"]["inspections"] == 60 and out["warnings"] == []  # the model beats chance
    worse = recorded.assign(event=np.where(recorded["selection"] == "random", 1.0, 0.0))
    assert "ne trouve pas plus" in hit_rates_over_time(worse)["warnings"][0]


def test_who_inspects_is_never_a_reason_shown(small_history, small_model):
    from amorce.ciblage.explain import crpa_explanation, explain_establishment, top_reasons
    from amorce.ciblage.features import feature_label, feature_role

    assert {"inspector", "inspector_rate"} <= set(small_model.feature_names)  # kept for ranking
    assert feature_role("inspector_rate") == feature_role("team") == "assignment"
    assert feature_role("adverse_rate") == feature_role("department_rate") == "establishment"
    hidden = [feature_label("inspector"), feature_label("inspector_rate")]
    # the inspector's contribution is the largest of every row: still never shown
    X = small_model.features(small_history, pd.DataFrame({
        "establishment_id": small_history.establishments.index[:50], "as_of": pd.Timestamp("2023-01-01")}))
    contrib = small_model.contributions(X, "shap")
    for name in ("inspector", "inspector_rate"):
        contrib[:, X.columns.get_loc(name)] = 10.0
    reasons = top_reasons(X, contrib).astype(str)
    assert not [r for r in reasons if any(h in r for h in hidden)]
    keep = [i for i, name in enumerate(X.columns) if not name.startswith("inspector")]
    own = top_reasons(X.iloc[:, keep], np.ascontiguousarray(contrib[:, keep])).astype(str)
    assert reasons.tolist() == own.tolist()  # the same reasons as if the model had no inspector at all
    scores = score_history(small_model, small_history, "2023-01-01")
    assert not scores["reasons"].astype(str).str.contains("inspecteur").any()
    establishment = scores["establishment_id"].iloc[0]
    x_row, row_contrib = explain_establishment(small_model, small_history, establishment, "2023-01-01")
    row_contrib[x_row.index.get_loc("inspector")] = 10.0
    sheet = crpa_explanation(small_model, x_row, row_contrib, establishment_id=establishment, score=0.5, rank=1,
                             total=len(scores), as_of="2023-01-01")
    assert not [p for p in sheet.parameters if p.name in hidden]
    assert any("jamais un motif de ciblage" in o for o in sheet.operations)


def test_fairness_audit_groups_by_inspector(small_history):
    from amorce.ciblage.features import assigned_inspectors

    est = small_history.establishments
    after = small_history.period[1] + pd.Timedelta(days=1)
    inspectors = assigned_inspectors(small_history, after)
    assert inspectors.index.equals(est.index) and inspectors.notna().mean() > 0.9
    frame = pd.DataFrame({"establishment_id": est.index})
    favoured = inspectors.value_counts().index[0]
    frame["selected"] = (inspectors == favoured).to_numpy()  # every establishment of one inspector
    report = audit(frame, small_history, ratio=1.25, min_group_size=10)  # by default: after the whole history
    assert "inspector" in report.groups and "team" in report.groups  # the register's team: its own group
    assert any(w.startswith(f"inspecteur affecté « {favoured} »") for w in report.warnings)
    assert "## Par inspecteur affecté" in report.to_markdown() and "## Par équipe" in report.to_markdown()


def test_audit_and_model_take_the_assigned_inspector_the_same_way(small_history):
    """One definition: the audit's inspector group of an establishment is the model's ``inspector``
    feature when it scores that establishment at the same date (the last inspection before that
    date, point in time; unknown when that inspection names nobody, even if an earlier one did)."""
    import dataclasses

    from amorce.ciblage.features import assigned_inspectors, build_features, scoring_queries

    insp = small_history.inspections.copy()
    as_of = pd.Timestamp("2022-06-01")
    before = insp[insp["date"] < as_of].sort_values("date", kind="stable")
    last = before.groupby("establishment_id").tail(1)
    unnamed = last["establishment_id"].iloc[:5].tolist()  # their last inspection names nobody
    insp.loc[last.index[:5], "inspector"] = ""
    insp.loc[insp["date"] >= as_of, "inspector"] = "futur"  # never visible at as_of
    history = dataclasses.replace(small_history, inspections=insp)
    queries = scoring_queries(history, as_of)
    feature = build_features(history, queries)["inspector"].astype(object)
    feature.index = queries["establishment_id"].to_numpy()
    assigned = assigned_inspectors(history, as_of).reindex(feature.index)
    pd.testing.assert_series_equal(assigned.where(assigned.notna(), None), feature.where(feature.notna(), None),
                                   check_names=False)
    assert assigned.loc[unnamed].isna().all() and "futur" not in set(assigned.dropna())
    selected = pd.DataFrame({"establishment_id": feature.index, "selected": True})
    table = audit(selected, history, as_of=as_of, min_group_size=1).groups["inspector"]
    assert "futur" not in table.index and table.loc["(inconnu)", "count"] == assigned.isna().sum()


def test_fairness_alerts_are_the_rule_of_the_audit_module(small_history):
    """The flags of each group come from :func:`fairness.disparity` (one rule), carried by the tables."""
    from amorce.ciblage import fairness

    est = small_history.establishments
    frame = pd.DataFrame({"establishment_id": est.index, "selected": np.arange(len(est)) % 3 == 0})
    report = audit(frame, small_history, ratio=1.25, min_group_size=5)
    for table in report.groups.values():
        expected = [(n >= 5 and fairness.disparity(r, 1.25))
                    for n, r in zip(table["count"], table["selection_ratio"], strict=True)]
        assert table["selection_alert"].tolist() == expected
    assert fairness.disparity(1.3, 1.25) and fairness.disparity(0.79, 1.25) and not fairness.disparity(1.2, 1.25)
    assert not fairness.disparity(float("nan"), 1.25)
