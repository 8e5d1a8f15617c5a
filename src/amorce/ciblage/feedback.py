"""Feedback loop: record outcomes of planned inspections, compare the random and model shares,
monitor drift (population stability index) before retraining."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from amorce.core.formats import percent

from .errors import CiblageError
from .plan import AT_RANDOM, BY_MODEL
from .schema import OUTCOMES_EXPECTED, SEVERITY_LABELS, History, outcome_severity

RECORDED_SOURCE = "résultats saisis des plans"

PSI_WARNING = 0.1
PSI_ALERT = 0.25


def record_outcomes(plan: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Join outcomes (``establishment_id, date, outcome``) to the plan; ``event`` = « A améliorer » or worse.

    Returns the plan rows with ``inspected_on``, ``outcome``, ``severity``, ``event`` (NaN when
    not inspected yet). Unknown outcome labels raise a French error listing them.
    """
    out = outcomes.copy()
    out["establishment_id"] = out["establishment_id"].astype(str)
    out["severity"] = out["outcome"].map(outcome_severity)
    bad = out[out["severity"].isna()]
    if len(bad):
        raise CiblageError("Résultats inconnus : " + ", ".join(sorted(set(bad["outcome"].astype(str))))
                           + f" — attendu : {OUTCOMES_EXPECTED}.")
    out["inspected_on"] = pd.to_datetime(out["date"]).dt.date.astype(str)
    out = out.sort_values("inspected_on").drop_duplicates("establishment_id", keep="first")
    merged = plan.merge(out[["establishment_id", "inspected_on", "outcome", "severity"]],
                        on="establishment_id", how="left")
    merged["event"] = np.where(merged["severity"].isna(), np.nan, (merged["severity"] >= 2).astype(float))
    return merged


def to_canonical_inspections(recorded: pd.DataFrame, prefix: str = "plan") -> pd.DataFrame:
    """Recorded outcomes as canonical inspection rows, to append to the history before retraining."""
    done = recorded[recorded["severity"].notna()]
    return pd.DataFrame({
        "inspection_id": [f"{prefix}-{i}" for i in range(len(done))],
        "establishment_id": done["establishment_id"].to_numpy(),
        "date": done["inspected_on"].to_numpy(),
        "outcome": done["outcome"].to_numpy(),
        "inspector": done["team"].astype(str).to_numpy() if "team" in done else "",
    })


def merge_outcomes(history: History, inspections: pd.DataFrame) -> tuple[History, int]:
    """A new history with the canonical rows of :func:`to_canonical_inspections` added, except those
    of an establishment unknown to the history or already inspected that day; the event is an
    outcome « A améliorer » or worse. Returns (history, number of rows added)."""
    if not len(inspections):
        return history, 0
    rows = inspections.copy()
    rows["establishment_id"] = rows["establishment_id"].astype(str)
    rows["date"] = pd.to_datetime(rows["date"])
    rows["severity"] = rows["outcome"].map(outcome_severity)
    rows = rows[rows["establishment_id"].isin(history.establishments.index) & rows["severity"].notna()]
    known = pd.MultiIndex.from_arrays([history.inspections["establishment_id"].astype(str),
                                       history.inspections["date"]])
    rows = rows[~pd.MultiIndex.from_arrays([rows["establishment_id"], rows["date"]]).isin(known)]
    rows = rows.drop_duplicates(["establishment_id", "date"])
    if not len(rows):
        return history, 0
    severity = rows["severity"].astype("int8")
    extra = pd.DataFrame({
        "inspection_id": rows["inspection_id"].astype(str).to_numpy(),
        "establishment_id": rows["establishment_id"].to_numpy(),
        "date": rows["date"].to_numpy(dtype="datetime64[ns]"),
        "outcome": severity.map(SEVERITY_LABELS).to_numpy(),
        "severity": severity.to_numpy(),
        "adverse": (severity >= 2).to_numpy(),
        "critical_violations": np.nan,
        "inspector": rows["inspector"].fillna("").astype(str).to_numpy(),
        "source": RECORDED_SOURCE,
    }).reindex(columns=history.inspections.columns)
    merged = pd.concat([history.inspections, extra], ignore_index=True)
    merged["adverse"] = merged["adverse"].astype(bool)
    new = dataclasses.replace(history, inspections=merged, establishments=history.establishments.copy(),
                              sources=[*history.sources, RECORDED_SOURCE])
    return new, len(extra)


def hit_rates(recorded: pd.DataFrame) -> dict:
    """Event rate of the model share vs the random share, with a two-proportion z-test:
    ``{"model": {"inspections", "events", "rate"}, "random": {…}, "model_to_random_ratio", "z",
    "one_sided_p_value"}`` (the last three only when they can be computed)."""
    done = recorded[recorded["event"].notna()]
    result: dict = {}
    for share in (BY_MODEL, AT_RANDOM):
        sub = done[done["selection"] == share]
        result[share] = {"inspections": int(len(sub)), "events": int(sub["event"].sum()),
                         "rate": float(sub["event"].mean()) if len(sub) else None}
    m, r = result[BY_MODEL], result[AT_RANDOM]
    if m["inspections"] and r["inspections"] and r["rate"]:
        result["model_to_random_ratio"] = m["rate"] / r["rate"]
    if m["inspections"] and r["inspections"]:
        p = (m["events"] + r["events"]) / (m["inspections"] + r["inspections"])
        se = math.sqrt(p * (1 - p) * (1 / m["inspections"] + 1 / r["inspections"])) if 0 < p < 1 else 0.0
        if se > 0:
            z = (m["rate"] - r["rate"]) / se
            result["z"] = z
            result["one_sided_p_value"] = 0.5 * math.erfc(z / math.sqrt(2))
    return result


def psi(expected, actual, bins: int = 10) -> float:
    """Population stability index of ``actual`` against ``expected`` (quantile bins of ``expected``)."""
    expected = np.asarray(expected, dtype=float)
    actual = np.asarray(actual, dtype=float)
    expected, actual = expected[np.isfinite(expected)], actual[np.isfinite(actual)]
    if not len(expected) or not len(actual):
        return float("nan")
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return 0.0 if np.allclose(actual, edges[0]) else float("inf")
    edges[0], edges[-1] = -np.inf, np.inf
    e = np.histogram(expected, edges)[0] / len(expected)
    a = np.histogram(actual, edges)[0] / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


# drift levels: machine names, and the words the pages and the CLI show
STABLE, WATCH, DRIFT, UNKNOWN = "stable", "watch", "drift", "unknown"
LEVEL_LABELS = {STABLE: "stable", WATCH: "à surveiller", DRIFT: "dérive", UNKNOWN: "inconnu"}


def drift_level(value: float) -> str:
    """``stable`` (PSI < 0.1), ``watch`` (< 0.25), ``drift`` (beyond, or infinite), ``unknown`` (NaN)."""
    if np.isnan(value):
        return UNKNOWN
    return STABLE if value < PSI_WARNING else (WATCH if value < PSI_ALERT else DRIFT)


def drift_report(reference: pd.DataFrame, current: pd.DataFrame, columns=None) -> dict:
    """PSI of every numeric column (scores or features): ``{column: {"psi", "level"}}``, level as
    :func:`drift_level` (French words: :data:`LEVEL_LABELS`)."""
    columns = columns or [c for c in reference.columns if pd.api.types.is_numeric_dtype(reference[c])
                          and c in current]
    report = {}
    for column in columns:
        value = psi(reference[column], current[column])
        report[column] = {"psi": value, "level": drift_level(value)}
    return report


HIT_RATE_MIN_INSPECTIONS = 20  # per share, before comparing the model with the random share


def drift_against_training(model, history: History, as_of) -> dict:
    """PSI of every numeric feature and of the score: the model's training rows (each past inspection
    with the features known the day before) against the establishments scored at ``as_of``.

    The two populations differ by construction (inspected establishments vs every known one), so a
    feature that drifts is a question to examine, not by itself an error.
    """
    from .features import feature_label, scoring_queries, training_queries

    reference = model.features(history, training_queries(history, end=model.trained_until))
    current = model.features(history, scoring_queries(history, as_of))
    if not len(reference) or not len(current):
        raise CiblageError("Pas assez de données pour mesurer la dérive (entraînement ou classement vide).")
    numeric = [c for c in reference.columns if pd.api.types.is_numeric_dtype(reference[c])
               and not isinstance(reference[c].dtype, pd.CategoricalDtype)]
    rows = [{"variable": "score", "label": "score (probabilité estimée)",
             **_level(psi(model.predict_frame(reference)["score"], model.predict_frame(current)["score"]))}]
    for column, values in drift_report(reference[numeric], current[numeric]).items():
        rows.append({"variable": column, "label": feature_label(column), **_level(values["psi"])})
    rows[1:] = sorted(rows[1:], key=lambda r: -r["psi"] if np.isfinite(r["psi"]) else -np.inf)
    return {"reference": int(len(reference)), "current": int(len(current)), "variables": rows,
            "warnings": [r for r in rows if r["level"] != STABLE]}


def _level(value: float) -> dict:
    return {"psi": float(value), "level": drift_level(float(value))}


def hit_rates_over_time(recorded: pd.DataFrame) -> dict:
    """Hit rate of the model share and the random share per planned week (Monday of ``planned_date``),
    in total, and a warning when, with enough inspections in each share, the model does not beat
    the random share."""
    weeks = []
    done = recorded[recorded["event"].notna()]
    monday = pd.to_datetime(done["planned_date"])
    monday = (monday - pd.to_timedelta(monday.dt.weekday, unit="D")).dt.date.astype(str)
    for week, group in done.groupby(monday, sort=True):
        weeks.append({"week": week, **{k: v for k, v in hit_rates(group).items() if k in (BY_MODEL, AT_RANDOM)}})
    total = hit_rates(recorded)
    warnings = []
    m, r = total[BY_MODEL], total[AT_RANDOM]
    if min(m["inspections"], r["inspections"]) >= HIT_RATE_MIN_INSPECTIONS and m["rate"] <= r["rate"]:
        warnings.append(f"La part choisie par le modèle ne trouve pas plus de contrôles défavorables que la part "
                        f"tirée au hasard ({percent(m['rate'], 1)} contre {percent(r['rate'], 1)}) : réentraîner le modèle "
                        "ou revoir ses variables.")
    elif min(m["inspections"], r["inspections"]) < HIT_RATE_MIN_INSPECTIONS:
        warnings.append(f"Moins de {HIT_RATE_MIN_INSPECTIONS} contrôles saisis dans l'une des deux parts : "
                        "comparaison encore peu fiable.")
    return {"weeks": weeks, "total": total, "warnings": warnings}
