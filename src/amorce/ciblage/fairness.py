"""Fairness audit of a targeting list: selection rate and precision by group (département,
activity, size, and the inspector or team assigned: an establishment must not be targeted
because of who inspects it).

A group is flagged when its selection rate (or its precision, when outcomes are known) differs
from the overall one by more than the disparity ratio (default 1.25, i.e. the "four-fifths" rule
read both ways: rate / overall > 1.25 or < 0.8).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from amorce.core.formats import number, percent

from .schema import History

DEFAULT_GROUPS = ("department", "activity", "size", "inspector")
GROUP_LABELS = {"department": "département", "activity": "activité", "size": "taille",
                "inspector": "inspecteur ou équipe affecté"}


def assigned_inspectors(history: History) -> pd.Series:
    """Each establishment's inspector (or team): the one of its last inspection that names one, else
    its ``team`` from the register; ``NaN`` when neither is known."""
    insp = history.inspections
    named = insp[insp["inspector"].fillna("").astype(str) != ""]
    last = named.sort_values("date", kind="stable").groupby("establishment_id")["inspector"].last()
    values = pd.Series(np.nan, index=history.establishments.index, dtype=object)
    if "team" in history.establishments:
        values = history.establishments["team"].where(history.establishments["team"].fillna("") != "").astype(object)
    return last.astype(object).combine_first(values).reindex(history.establishments.index)


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
        return {"seuil_disparite": self.ratio, "effectif_minimal": self.min_group_size, "global": self.overall,
                "groupes": {k: v.reset_index().to_dict(orient="records") for k, v in self.groups.items()},
                "alertes": self.warnings}

    def to_markdown(self) -> str:
        out = ["# Audit d'équité du ciblage", "",
               f"Taux de sélection global : {percent(self.overall['taux_selection'], 1)}"
               + (f" ; précision globale : {percent(self.overall['precision'], 1)}"
                  if self.overall.get("precision") is not None else ""), ""]
        for name, table in self.groups.items():
            out += [f"## Par {GROUP_LABELS.get(name, name)}", "", _table(table), ""]
        out += ["## Alertes", ""] + ([f"- {w}" for w in self.warnings] or ["- aucune"])
        return "\n".join(out) + "\n"


def audit(selected: pd.DataFrame, history: History, *, groups=DEFAULT_GROUPS, ratio: float = 1.25,
          min_group_size: int = 30) -> FairnessReport:
    """Audit ``selected`` (columns ``establishment_id``, ``selected`` bool, optional ``event`` 0/1)."""
    est = history.establishments
    frame = selected.copy()
    frame["selected"] = frame["selected"].astype(bool)
    has_event = "event" in frame and frame["event"].notna().any()
    overall_rate = float(frame["selected"].mean()) if len(frame) else 0.0
    overall_precision = float(frame.loc[frame["selected"], "event"].mean()) if has_event else None
    overall = {"effectif": int(len(frame)), "selectionnes": int(frame["selected"].sum()),
               "taux_selection": overall_rate, "precision": overall_precision}
    tables: dict[str, pd.DataFrame] = {}
    warnings: list[str] = []
    for group in groups:
        if group == "size":
            values = size_groups(est)
        elif group == "inspector":
            values = assigned_inspectors(history)
        elif group in est:
            values = est[group]
        else:
            continue
        column = frame["establishment_id"].map(values)
        if column.isna().all():
            continue
        frame["_g"] = column.fillna("(inconnu)").astype(str)
        agg = frame.groupby("_g").agg(effectif=("selected", "size"), selectionnes=("selected", "sum"),
                                      taux_selection=("selected", "mean"))
        if has_event:
            agg["precision"] = frame[frame["selected"]].groupby("_g")["event"].mean()
        agg["rapport_selection"] = agg["taux_selection"] / overall_rate if overall_rate else np.nan
        if has_event and overall_precision:
            agg["rapport_precision"] = agg["precision"] / overall_precision
        agg.index.name = group
        tables[group] = agg.sort_values("effectif", ascending=False)
        big = agg[agg["effectif"] >= min_group_size]
        for value, row in big.iterrows():
            r = row["rapport_selection"]
            if np.isfinite(r) and (r > ratio or r < 1 / ratio):
                warnings.append(f"{GROUP_LABELS.get(group, group)} « {value} » : taux de sélection {percent(row['taux_selection'], 1)} "
                                f"contre {percent(overall_rate, 1)} en moyenne (rapport {number(r, 2)}, seuil "
                                f"{number(ratio, 2)}).")
            if has_event and "rapport_precision" in row and row["selectionnes"] >= min_group_size:
                p = row["rapport_precision"]
                if np.isfinite(p) and (p > ratio or p < 1 / ratio):
                    warnings.append(f"{GROUP_LABELS.get(group, group)} « {value} » : précision {percent(row['precision'], 1)} "
                                    f"contre {percent(overall_precision, 1)} en moyenne (rapport {number(p, 2)}, "
                                    f"seuil {number(ratio, 2)}).")
    return FairnessReport(ratio=ratio, min_group_size=min_group_size, overall=overall, groups=tables,
                          warnings=warnings)


def _table(frame: pd.DataFrame) -> str:
    def cell(v) -> str:
        if isinstance(v, float):
            return "—" if np.isnan(v) else f"{v:.3f}".replace(".", ",")
        return str(v)

    head = [frame.index.name or ""] + list(frame.columns)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join([str(i)] + [cell(v) for v in row]) + " |"
              for i, row in zip(frame.index, frame.itertuples(index=False), strict=True)]
    return "\n".join(lines)
