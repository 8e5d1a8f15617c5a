"""Point-in-time features, fully vectorised (numpy ``searchsorted`` on sorted keys).

A *query* is a pair (establishment, ``as_of`` day). Its features only use rows dated strictly
before ``as_of``: inspections, complaints and context values dated on or after ``as_of`` are
invisible, whatever their content (``tests/ciblage/test_features.py`` proves it by perturbing
every future row). Establishment attributes (activity, département, size…) are static
register data, not outcomes.

Training rows are the past inspections themselves: the query of an inspection is its own
establishment at its own date, so the model learns from exactly what was known the day before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import History

DAY_NS = 86_400_000_000_000
KEY_STRIDE = 1 << 22  # > number of days representable (about 11,000 years)
DAY_OFFSET = 1 << 20  # days since 1970 shifted to stay positive
WINDOWS = (365, 730)
COMPLAINT_WINDOWS = (90, 365)
GROUP_WINDOW: int | None = None  # None: all the history before as_of (robust to gaps between exports)
GROUP_SMOOTHING = 20.0

# plain-French description of every feature (used by reasons, the model card and the CRPA sheet)
FEATURE_LABELS: dict[str, str] = {
    "n_inspections": "nombre d'inspections passées",
    "n_inspections_365d": "nombre d'inspections sur les 12 derniers mois",
    "n_inspections_730d": "nombre d'inspections sur les 24 derniers mois",
    "days_since_last": "jours depuis la dernière inspection",
    "days_since_first": "ancienneté dans l'historique (jours depuis la première inspection)",
    "last_severity": "résultat de la dernière inspection (0 = très satisfaisant … 3 = à corriger d'urgence)",
    "last_adverse": "dernière inspection défavorable",
    "prev_severity": "résultat de l'avant-dernière inspection",
    "mean_severity": "résultat moyen des inspections passées",
    "n_adverse": "nombre d'inspections défavorables passées",
    "adverse_rate": "part des inspections passées défavorables",
    "n_adverse_365d": "inspections défavorables sur les 12 derniers mois",
    "n_adverse_730d": "inspections défavorables sur les 24 derniers mois",
    "n_urgent": "nombre de mises en demeure / fermetures passées (« à corriger de manière urgente »)",
    "last_critical": "infractions critiques relevées à la dernière inspection",
    "mean_critical": "infractions critiques par inspection (moyenne passée)",
    "days_between_last_two": "intervalle entre les deux dernières inspections (jours)",
    "n_complaints_90d": "plaintes sur les 90 derniers jours",
    "n_complaints_365d": "plaintes sur les 12 derniers mois",
    "days_since_complaint": "jours depuis la dernière plainte",
    "days_since_opened": "jours depuis l'ouverture",
    "activity": "type d'activité",
    "department": "département (ou zone)",
    "size": "taille de l'établissement",
    "inspector": "inspecteur ou équipe affecté",
    "department_rate": "taux d'inspections défavorables passées du département (ou de la zone)",
    "activity_rate": "taux d'inspections défavorables passées de ce type d'activité",
    "inspector_rate": "taux d'inspections défavorables passées de l'inspecteur affecté",
    "chain_size": "nombre d'établissements de la même entreprise (SIREN)",
    "has_agrement": "établissement titulaire d'un agrément sanitaire",
    "risk_level": "catégorie de risque administrative (1 faible … 3 élevé)",
    "heat_burglary": "densité de cambriolages à proximité (90 jours)",
    "heat_garbage": "densité de plaintes « bacs à ordures » à proximité (90 jours)",
    "heat_sanitation": "densité de plaintes sanitaires à proximité (90 jours)",
    "ageAtInspection": "ancienneté de la licence (années)",
    "tobacco_retail_over_counter": "licence de vente de tabac",
    "consumption_on_premises_incidental_activity": "licence de consommation d'alcool sur place",
}


# Roles of features. A feature derived from a column that says *who inspects* (the inspector or team
# assigned to an inspection, canonical columns below) describes the administration's own planning,
# not the establishment: it may help rank and plan, but it is never a reason given to an
# establishment for being targeted (reasons, CRPA sheet, API), and the fairness audit looks at the
# ranking by inspector like by any other group.
ASSIGNMENT_COLUMNS = ("inspector", "team")
ROLE_ESTABLISHMENT = "establishment"
ROLE_ASSIGNMENT = "assignment"


def feature_role(name: str) -> str:
    """The role of a feature: ``assignment`` when built from an assignment column (the column itself
    or its group rate ``<column>_rate``), else ``establishment``."""
    source = name.removesuffix("_rate")
    return ROLE_ASSIGNMENT if source in ASSIGNMENT_COLUMNS else ROLE_ESTABLISHMENT


def shown_as_reason(name: str) -> bool:
    """Whether a feature may be shown as a reason for targeting an establishment."""
    return feature_role(name) == ROLE_ESTABLISHMENT


@dataclass
class FeatureSpec:
    """Which optional blocks exist for a given history (decided once at training time)."""

    has_critical: bool
    has_complaints: bool
    has_inspector: bool
    has_opened: bool
    attributes: list[str]
    context_columns: list[str]
    categorical: list[str]
    groups: list[str]

    @classmethod
    def from_history(cls, history: History) -> FeatureSpec:
        est = history.establishments
        insp = history.inspections
        categorical = [c for c in ("activity",) if c in est and est[c].notna().any()]
        groups = [c for c in ("department", "activity") if c in est and est[c].notna().any()]
        attributes = []
        if "size" in est and est["size"].notna().any():
            (categorical if est["size"].dtype == object else attributes).append("size")
        for column in history.attributes:
            if column in est and column not in attributes and column not in categorical:
                (categorical if est[column].dtype == object else attributes).append(column)
        has_inspector = bool((insp["inspector"].fillna("") != "").any())
        if has_inspector:
            categorical.append("inspector")
            groups.append("inspector")
        return cls(
            has_critical=bool(insp["critical_violations"].notna().any()),
            has_complaints=bool(len(history.complaints)),
            has_inspector=has_inspector,
            has_opened="opened_on" in est and bool(est["opened_on"].notna().any()),
            attributes=attributes,
            context_columns=list(history.context_columns),
            categorical=categorical,
            groups=groups,
        )

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _days(values) -> np.ndarray:
    """datetime64 values -> int64 days since 1970 (NaT -> very negative)."""
    arr = np.asarray(values, dtype="datetime64[ns]").astype("int64")
    out = arr // DAY_NS
    out[arr == np.iinfo("int64").min] = -DAY_OFFSET
    return out


class _Index:
    """Sorted (establishment code, day) keys of a dated table, with prefix sums."""

    def __init__(self, codes: np.ndarray, days: np.ndarray) -> None:
        self.keys = codes.astype(np.int64) * KEY_STRIDE + (days + DAY_OFFSET)
        order = np.argsort(self.keys, kind="stable")
        self.order = order
        self.keys = self.keys[order]

    def position(self, codes: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Number of rows of the same establishment dated strictly before ``days`` (+ global offset)."""
        return np.searchsorted(self.keys, codes * KEY_STRIDE + (days + DAY_OFFSET), side="left")

    def start(self, codes: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.keys, codes * KEY_STRIDE, side="left")

    def prefix(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros(len(values) + 1, dtype=float)
        np.cumsum(values[self.order], out=out[1:])
        return out


def _gather(values: np.ndarray, index: np.ndarray, ok: np.ndarray, fill=np.nan) -> np.ndarray:
    out = np.full(len(index), fill, dtype=float)
    out[ok] = values[index[ok]]
    return out


def build_features(history: History, queries: pd.DataFrame, spec: FeatureSpec | None = None) -> pd.DataFrame:
    """Features of every query row (columns ``establishment_id``, ``as_of``; optional ``inspector``).

    Returns a frame aligned with ``queries`` (same index). Categorical columns have ``category``
    dtype; the model aligns categories with those seen in training.
    """
    spec = spec or FeatureSpec.from_history(history)
    est_index = pd.Index(history.establishments.index)
    if "__code__" in queries:  # positions in history.establishments (from scoring_queries)
        q_codes = queries["__code__"].to_numpy(dtype=np.int64)
    else:
        q_codes = est_index.get_indexer(queries["establishment_id"].astype(str))
    unknown = q_codes < 0
    q_codes = np.where(unknown, len(est_index) + 1, q_codes).astype(np.int64)
    q_days = _days(pd.to_datetime(queries["as_of"]).to_numpy())
    out: dict[str, np.ndarray] = {}

    insp = history.inspections
    i_codes = _cached(history, "inspection_codes", lambda: est_index.get_indexer(insp["establishment_id"]))
    idx = _cached(history, "inspection_index",
                  lambda: _Index(i_codes, _cached(history, "inspection_days", lambda: _days(insp["date"].to_numpy()))))
    pos = idx.position(q_codes, q_days)
    start = idx.start(q_codes)
    n = (pos - start).astype(float)
    out["n_inspections"] = n
    i_days = _cached(history, "inspection_days", lambda: _days(insp["date"].to_numpy()))[idx.order]
    severity = insp["severity"].to_numpy(dtype=float)
    adverse = insp["adverse"].to_numpy(dtype=float)
    sev_sorted = severity[idx.order]
    adv_sorted = adverse[idx.order]
    cum_sev, cum_adv = idx.prefix(severity), idx.prefix(adverse)
    cum_urgent = idx.prefix((severity >= 3).astype(float))
    for w in WINDOWS:
        pos_w = idx.position(q_codes, q_days - w)
        out[f"n_inspections_{w}d"] = (pos - pos_w).astype(float)
        out[f"n_adverse_{w}d"] = cum_adv[pos] - cum_adv[pos_w]
    has1, has2 = n >= 1, n >= 2
    last, prev = pos - 1, pos - 2
    last_day = _gather(i_days, last, has1)
    out["days_since_last"] = q_days - last_day
    out["days_since_first"] = q_days - _gather(i_days, start, has1)
    out["last_severity"] = _gather(sev_sorted, last, has1)
    out["last_adverse"] = _gather(adv_sorted, last, has1)
    out["prev_severity"] = _gather(sev_sorted, prev, has2)
    out["days_between_last_two"] = last_day - _gather(i_days, prev, has2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_severity"] = np.where(has1, (cum_sev[pos] - cum_sev[start]) / n, np.nan)
        total_adv = cum_adv[pos] - cum_adv[start]
        out["n_adverse"] = total_adv
        out["adverse_rate"] = np.where(has1, total_adv / n, np.nan)
        out["n_urgent"] = cum_urgent[pos] - cum_urgent[start]
        if spec.has_critical:
            crit = insp["critical_violations"].to_numpy(dtype=float)
            known = ~np.isnan(crit)
            cum_crit = idx.prefix(np.where(known, crit, 0.0))
            cum_known = idx.prefix(known.astype(float))
            out["last_critical"] = _gather(crit[idx.order], last, has1)
            count = cum_known[pos] - cum_known[start]
            out["mean_critical"] = np.where(count > 0, (cum_crit[pos] - cum_crit[start]) / count, np.nan)

    if spec.has_complaints:
        comp = history.complaints
        cidx = _Index(est_index.get_indexer(comp["establishment_id"].astype(str)), _days(comp["date"].to_numpy()))
        cpos, cstart = cidx.position(q_codes, q_days), cidx.start(q_codes)
        for w in COMPLAINT_WINDOWS:
            out[f"n_complaints_{w}d"] = (cpos - cidx.position(q_codes, q_days - w)).astype(float)
        c_days = _days(comp["date"].to_numpy())[cidx.order]
        out["days_since_complaint"] = q_days - _gather(c_days, cpos - 1, cpos > cstart)

    if spec.context_columns:
        ctx = history.context
        c_codes = est_index.get_indexer(ctx["establishment_id"].astype(str))
        c_days_all = _days(ctx["date"].to_numpy())
        for column in spec.context_columns:
            values = ctx[column].to_numpy(dtype=float) if column in ctx else np.full(len(ctx), np.nan)
            keep = ~np.isnan(values)
            cidx = _Index(c_codes[keep], c_days_all[keep])
            cpos, cstart = cidx.position(q_codes, q_days), cidx.start(q_codes)
            out[column] = _gather(values[keep][cidx.order], cpos - 1, cpos > cstart)

    est = history.establishments
    take = np.where(unknown, 0, q_codes)
    if spec.has_opened:
        opened = _days(est["opened_on"].to_numpy())
        opened_q = opened[take].astype(float)
        opened_q[(opened[take] <= -DAY_OFFSET) | unknown] = np.nan
        out["days_since_opened"] = q_days - opened_q
    frame = pd.DataFrame(out, index=queries.index)
    insp_codes = insp_names = query_insp = None
    if spec.has_inspector:
        insp_codes, insp_names = _cached(history, "inspector_codes", lambda: _factorize(insp["inspector"]))
        query_insp = _query_inspector(queries, insp_codes, insp_names, idx, has1, last)
    for group in spec.groups:
        if group == "inspector":
            row_groups, query_groups = insp_codes, query_insp
        else:
            est_groups = _cached(history, f"group_{group}", lambda g=group: _factorize(est[g])[0])
            row_groups = np.where(i_codes >= 0, est_groups[np.clip(i_codes, 0, None)], -1)
            query_groups = np.where(unknown, -1, est_groups[take])
        frame[f"{group}_rate"] = _group_rate(history, group, row_groups, query_groups, q_days)
    for column in spec.attributes:
        values = pd.to_numeric(est[column], errors="coerce").to_numpy(dtype=float)[take]
        values[unknown] = np.nan
        frame[column] = values
    for column in spec.categorical:
        if column == "inspector":
            continue
        codes, names = _cached(history, f"cat_{column}", lambda c=column: _factorize(est[c]))
        q = np.where(unknown, -1, codes[take])
        frame[column] = pd.Categorical.from_codes(q, categories=pd.Index(names, dtype=object))
    if spec.has_inspector:
        frame["inspector"] = pd.Categorical.from_codes(query_insp, categories=pd.Index(insp_names, dtype=object))
    return frame


def _cached(history: History, key: str, compute):
    """Per-history cache of derived arrays (histories are not modified in place)."""
    cache = history.__dict__.setdefault("_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for empty/missing) and the distinct non-empty values."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    empty = np.array([u is None or str(u).strip() in ("", "nan", "None") for u in uniques], dtype=bool)
    codes = codes.astype(np.int64)
    if empty.any():
        remap = np.cumsum(~empty) - 1
        remap[empty] = -1
        codes = np.where(codes >= 0, remap[np.clip(codes, 0, None)], -1)
        uniques = uniques[~empty]
    return codes, uniques


def assigned_inspectors(history: History, as_of) -> pd.Series:
    """The inspector assigned to each establishment of the register at ``as_of``, exactly as the
    model's ``inspector`` feature takes it when no planned inspector is given (scoring): the
    inspector of its last inspection dated strictly before ``as_of`` (point in time, like every
    feature); missing (NaN) when it has no such inspection or that inspection names nobody. The
    fairness audit groups establishments by this value, so that it audits what the model used."""
    est_index = pd.Index(history.establishments.index)
    out = pd.Series(np.nan, index=history.establishments.index, dtype=object)
    insp = history.inspections
    if not len(est_index) or not (insp["inspector"].fillna("") != "").any():
        return out
    q_codes = np.arange(len(est_index), dtype=np.int64)
    q_days = np.full(len(est_index), _days(np.array([pd.Timestamp(as_of).to_datetime64()]))[0])
    i_codes = _cached(history, "inspection_codes", lambda: est_index.get_indexer(insp["establishment_id"]))
    idx = _cached(history, "inspection_index",
                  lambda: _Index(i_codes, _cached(history, "inspection_days", lambda: _days(insp["date"].to_numpy()))))
    pos, start = idx.position(q_codes, q_days), idx.start(q_codes)
    insp_codes, insp_names = _cached(history, "inspector_codes", lambda: _factorize(insp["inspector"]))
    codes = _query_inspector(pd.DataFrame(index=est_index), insp_codes, insp_names, idx, pos - start >= 1, pos - 1)
    known = codes >= 0
    out.iloc[np.flatnonzero(known)] = np.asarray(insp_names, dtype=object)[codes[known]]
    return out


def _query_inspector(queries, insp_codes, insp_names, idx, has1, last) -> np.ndarray:
    """Inspector code of each query: the given (planned) one, else the inspector of the
    establishment's last inspection (-1 when that inspection names nobody): the one definition of
    the assigned inspector, shared with :func:`assigned_inspectors`."""
    sorted_codes = insp_codes[idx.order]
    out = np.full(len(queries), -1, dtype=np.int64)
    if len(sorted_codes):
        out[has1] = sorted_codes[last[has1]]
    if "inspector" in queries:
        given = queries["inspector"].fillna("").astype(str).to_numpy(dtype=object)
        provided = given != ""
        if provided.any():
            # an inspector never seen in the history gets -1 (unknown), like a missing one
            out[provided] = pd.Index(insp_names, dtype=object).get_indexer(given[provided])
    return out


def _group_rate(history, group, row_groups, query_groups, q_days) -> np.ndarray:
    """Smoothed share of adverse inspections in the query's group (département, activity, inspector)
    before ``as_of`` (over ``GROUP_WINDOW`` days, or all the history when None): a point-in-time
    target encoding, shrunk towards the overall rate with weight ``GROUP_SMOOTHING``."""
    insp = history.inspections
    days = _cached(history, "inspection_days", lambda: _days(insp["date"].to_numpy()))
    adverse = insp["adverse"].to_numpy(dtype=float)
    n_groups = int(max(row_groups.max(initial=-1), query_groups.max(initial=-1))) + 2

    def index():
        gidx = _Index(np.where(row_groups < 0, n_groups, row_groups), days)
        return gidx, gidx.prefix(adverse)

    # the rows' groups depend on the history only; n_groups also on the queries (usually the same)
    gidx, cum = _cached(history, f"group_index_{group}_{n_groups}", index)
    missing = query_groups < 0
    q_codes = np.where(missing, n_groups + 1, query_groups)
    lower = q_days - GROUP_WINDOW if GROUP_WINDOW else np.full(len(q_days), -DAY_OFFSET + 1)
    pos, pos_w = gidx.position(q_codes, q_days), gidx.position(q_codes, lower)
    n, k = (pos - pos_w).astype(float), cum[pos] - cum[pos_w]
    order = _cached(history, "inspection_day_order", lambda: np.argsort(days, kind="stable"))
    sorted_days = days[order]
    acum = np.concatenate([[0.0], np.cumsum(adverse[order])])
    apos = np.searchsorted(sorted_days, q_days, side="left")
    apos_w = np.searchsorted(sorted_days, lower, side="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        prior = (acum[apos] - acum[apos_w]) / (apos - apos_w)
        rate = (k + GROUP_SMOOTHING * prior) / (n + GROUP_SMOOTHING)
    rate[missing] = np.nan
    return rate


def training_queries(history: History, start=None, end=None) -> pd.DataFrame:
    """One query per inspection dated in [start, end): features as known the day before, label."""
    insp = history.inspections
    mask = np.ones(len(insp), dtype=bool)
    if start is not None:
        mask &= (insp["date"] >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        mask &= (insp["date"] < pd.Timestamp(end)).to_numpy()
    sub = insp[mask]
    return pd.DataFrame({
        "establishment_id": sub["establishment_id"].to_numpy(),
        "as_of": sub["date"].to_numpy(),
        "inspector": sub["inspector"].fillna("").to_numpy(),
        "label": sub["adverse"].to_numpy(dtype=int),
        "inspection_id": sub["inspection_id"].to_numpy(),
    })


def scoring_queries(history: History, as_of, establishments=None) -> pd.DataFrame:
    """One query per establishment known at ``as_of`` (or per given establishment)."""
    index = pd.Index(history.establishments.index)
    if establishments is None:
        codes = np.flatnonzero(history.known_mask(as_of))
        ids = index.take(codes)  # keeps the (Arrow) string storage: no per-row conversion
    else:
        ids = pd.Index(establishments).astype(str)
        codes = index.get_indexer(ids)
    return pd.DataFrame({"establishment_id": ids.astype(str).to_numpy() if len(ids) else np.array([], dtype=object),
                         "as_of": np.full(len(ids), pd.Timestamp(as_of).to_datetime64()),
                         "__code__": codes})


def feature_label(name: str) -> str:
    return FEATURE_LABELS.get(name, name.replace("_", " "))
