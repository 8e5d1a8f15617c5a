"""Fairness audit of a targeting list: selection rate and precision by group (département,
activity, size, the inspector assigned and the register's team: an establishment must not be
targeted because of who inspects it).

A group is flagged when its selection rate (or its precision, when outcomes are known) differs
from the overall one by more than the disparity ratio (default 1.25, i.e. the "four-fifths" rule
read both ways: rate / overall > 1.25 or < 0.8). The rule lives here only (:func:`disparity`): the
audit's tables carry its result per group (``selection_alert``, ``precision_alert``), which the
page, the API and the CLI show as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from amorce.core.formats import number, percent

from .features import assigned_inspectors
from .schema import History

DEFAULT_GROUPS = ("department", "activity", "size", "inspector", "team")
GROUP_LABELS = {"department": "département", "activity": "activité", "size": "taille",
                "inspector": "inspecteur affecté", "team": "équipe"}
# the columns of a group's table, and their French headings (Markdown report)
COLUMN_LABELS = {"count": "établissements", "selected": "sélectionnés", "selection_rate": "taux de sélection",
                 "precision": "précision", "selection_ratio": "rapport au taux global",
                 "precision_ratio": "rapport à la précision globale", "selection_alert": "alerte (sélection)",
                 "precision_alert": "alerte (précision)"}


def disparity(ratio_to_overall: float, threshold: float) -> bool:
    """Whether a group's rate, as a ratio to the overall rate, is beyond the disparity threshold
    (above ``threshold`` or below ``1 / threshold``); never for an unknown ratio."""
    r = float(ratio_to_overall)
    return bool(np.isfinite(r) and (r > threshold or r < 1 / threshold))


def size_groups(establishments: pd.DataFrame) -> pd.Series:
    """Size class: the ``size`` attribute when present, else chain size from the SIREN."""
    if "size" in establishments and establishments["size"].notna().any():
        size = establishments["size"]
        numeric = pd.to_numeric(size, errors="coerce")
        if numeric.notna().sum() == size.notna().sum():
            return pd.cut(numeric, [-np.inf, 9, 49, 249, np.inf],
                          labels=["0-9", "10-49", "50-249", "250+"]).astype(object)
        return size.astype(object)
    if "chain_size" in establishments:
        return pd.cut(establishments["chain_size"], [0, 1, 9, np.inf],
                      labels=["indépendant", "2-9 établissements", "10+ établissements"]).astype(object)
    return pd.Series(np.nan, index=establishments.index, dtype=object)


@dataclass
class FairnessReport:
    ratio: float
    min_group_size: int
    overall: dict
    groups: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"disparity_ratio": self.ratio, "min_group_size": self.min_group_size, "overall": self.overall,
                "groups": {k: v.reset_index().to_dict(orient="records") for k, v in self.groups.items()},
                "warnings": self.warnings}

    def to_markdown(self) -> str:
        out = ["# Audit d'équité du ciblage", "",
               f"Taux de sélection global : {percent(self.overall['selection_rate'], 1)}"
               + (f" ; précision globale : {percent(self.overall['precision'], 1)}"
                  if self.overall.get("precision") is not None else ""), ""]
        for name, table in self.groups.items():
            out += [f"## Par {GROUP_LABELS.get(name, name)}", "", _table(table), ""]
        out += ["## Alertes", ""] + ([f"- {w}" for w in self.warnings] or ["- aucune"])
        return "\n".join(out) + "\n"


def audit(selected: pd.DataFrame, history: History, *, groups=DEFAULT_GROUPS, ratio: float = 1.25,
          min_group_size: int = 30, as_of=None) -> FairnessReport:
    """Audit ``selected`` (columns ``establishment_id``, ``selected`` bool, optional ``event`` 0/1).

    ``as_of`` is the date of the ranked list: the inspector group is the one the model used for
    each score (:func:`amorce.ciblage.features.assigned_inspectors` at that date); by default, the
    day after the last inspection of the history."""
    est = history.establishments
    frame = selected.copy()
    frame["selected"] = frame["selected"].astype(bool)
    has_event = "event" in frame and frame["event"].notna().any()
    overall_rate = float(frame["selected"].mean()) if len(frame) else 0.0
    overall_precision = float(frame.loc[frame["selected"], "event"].mean()) if has_event else None
    overall = {"count": int(len(frame)), "selected": int(frame["selected"].sum()),
               "selection_rate": overall_rate, "precision": overall_precision}
    if as_of is None:
        last = history.period[1]
        as_of = (last + pd.Timedelta(days=1)) if last is not None else pd.Timestamp.today().normalize()
    tables: dict[str, pd.DataFrame] = {}
    warnings: list[str] = []
    for group in groups:
        if group == "size":
            values = size_groups(est)
        elif group == "inspector":
            values = assigned_inspectors(history, as_of)
        elif group in est:
            values = est[group].where(est[group].fillna("").astype(str) != "")
        else:
            continue
        column = frame["establishment_id"].map(values)
        if column.isna().all():
            continue
        frame["_g"] = column.fillna("(inconnu)").astype(str)
        agg = frame.groupby("_g").agg(count=("selected", "size"), selected=("selected", "sum"),
                                      selection_rate=("selected", "mean"))
        if has_event:
            agg["precision"] = frame[frame["selected"]].groupby("_g")["event"].mean()
        agg["selection_ratio"] = agg["selection_rate"] / overall_rate if overall_rate else np.nan
        if has_event and overall_precision:
            agg["precision_ratio"] = agg["precision"] / overall_precision
        big = agg["count"] >= min_group_size
        agg["selection_alert"] = big & agg["selection_ratio"].map(lambda r: disparity(r, ratio)).astype(bool)
        if "precision_ratio" in agg:
            agg["precision_alert"] = (big & (agg["selected"] >= min_group_size)
                                      & agg["precision_ratio"].map(lambda r: disparity(r, ratio)).astype(bool))
        agg.index.name = group
        tables[group] = agg = agg.sort_values("count", ascending=False)
        label = GROUP_LABELS.get(group, group)
        for value, row in agg.iterrows():
            if row["selection_alert"]:
                warnings.append(f"{label} « {value} » : taux de sélection {percent(row['selection_rate'], 1)} "
                                f"contre {percent(overall_rate, 1)} en moyenne (rapport "
                                f"{number(row['selection_ratio'], 2)}, seuil {number(ratio, 2)}).")
            if row.get("precision_alert", False):
                warnings.append(f"{label} « {value} » : précision {percent(row['precision'], 1)} "
                                f"contre {percent(overall_precision, 1)} en moyenne (rapport "
                                f"{number(row['precision_ratio'], 2)}, seuil {number(ratio, 2)}).")
    return FairnessReport(ratio=ratio, min_group_size=min_group_size, overall=overall, groups=tables,
                          warnings=warnings)


def _table(frame: pd.DataFrame) -> str:
    def cell(v) -> str:
        if isinstance(v, bool | np.bool_):
            return "oui" if v else "non"
        if isinstance(v, float):
            return "—" if np.isnan(v) else number(v, 3)
        return str(v)

    head = [GROUP_LABELS.get(frame.index.name, frame.index.name or "")] + [COLUMN_LABELS.get(c, c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join([str(i)] + [cell(v) for v in row]) + " |"
              for i, row in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return "\n".join(lines)
