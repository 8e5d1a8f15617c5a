"""Generated inspection histories (performance benchmarks and tests), with a known latent risk.

Each establishment has a latent risk driven by its activity, its département and a random
individual effect; inspection outcomes depend on that risk, on the establishment's previous
result (persistence) and on the inspector's strictness. A model that reads history and attributes
should therefore beat random ordering, which the tests check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import SEVERITY_LABELS, History, empty_establishments

ACTIVITIES = ["Restaurant", "Restauration collective", "Boucherie-Charcuterie", "Boulangerie-Pâtisserie",
              "Producteur fermier", "Alimentation générale", "Traiteur", "Poissonnerie"]
ACTIVITY_EFFECT = np.array([0.6, -0.4, 0.3, 0.0, -0.6, 0.2, 0.4, 0.1])


def generate_history(n_establishments: int = 2000, n_inspections: int = 10000, *, start="2018-01-01",
                     end="2023-12-31", seed: int = 0, n_inspectors: int = 40, with_complaints: bool = True) -> History:
    rng = np.random.default_rng(seed)
    ids = np.char.add("E", np.arange(n_establishments).astype(str)).astype(object)
    activity = rng.integers(0, len(ACTIVITIES), n_establishments)
    dept_num = rng.integers(1, 96, n_establishments)
    dept_effect = rng.normal(0, 0.3, 96)
    latent = -2.2 + ACTIVITY_EFFECT[activity] + dept_effect[dept_num] + rng.normal(0, 0.8, n_establishments)
    size = rng.lognormal(1.5, 1.0, n_establishments).round()
    postcode = np.char.add(np.char.zfill(dept_num.astype(str), 2), "000").astype(object)
    est = empty_establishments()
    est = pd.DataFrame({
        "name": np.char.add("Établissement ", np.arange(n_establishments).astype(str)).astype(object),
        "address": "1 rue de la Paix", "postcode": postcode, "commune": "Commune",
        "department": np.char.zfill(dept_num.astype(str), 2).astype(object),
        "activity": np.array(ACTIVITIES, dtype=object)[activity], "size": size,
        "team": np.char.add("equipe-", (dept_num % 5).astype(str)).astype(object),
    }, index=pd.Index(ids, name="establishment_id")).reindex(columns=est.columns.drop([], errors="ignore"))
    est["opened_on"] = pd.NaT
    # inspections: establishment drawn with a frequency that grows with risk (current practice)
    weights = np.exp(0.5 * latent)
    weights /= weights.sum()
    which = rng.choice(n_establishments, size=n_inspections, p=weights)
    t0, t1 = np.datetime64(start, "D"), np.datetime64(end, "D")
    days = rng.integers(0, int((t1 - t0).astype(int)) + 1, n_inspections)
    order = np.lexsort((days, which))
    which, days = which[order], days[order]
    inspector = rng.integers(0, n_inspectors, n_inspections)
    strictness = rng.normal(0, 0.4, n_inspectors)
    # persistence: previous adverse result of the same establishment raises the risk
    logit = latent[which] + strictness[inspector]
    noise = rng.random(n_inspections)
    adverse = np.zeros(n_inspections, dtype=bool)
    same_as_prev = np.r_[False, which[1:] == which[:-1]]
    base_p = 1 / (1 + np.exp(-logit))
    boosted_p = 1 / (1 + np.exp(-(logit + 1.0)))
    # vectorised two-pass approximation of the persistence chain (exact enough for benchmarks)
    adverse = noise < base_p
    prev_adverse = np.r_[False, adverse[:-1]] & same_as_prev
    adverse = noise < np.where(prev_adverse, boosted_p, base_p)
    urgent = adverse & (rng.random(n_inspections) < 0.06)
    severity = np.where(urgent, 3, np.where(adverse, 2, np.where(rng.random(n_inspections) < 0.5, 0, 1)))
    dates = (t0 + days).astype("datetime64[ns]")
    insp = pd.DataFrame({
        "inspection_id": np.char.add("I", np.arange(n_inspections).astype(str)).astype(object),
        "establishment_id": ids[which], "date": dates,
        "outcome": pd.Series(severity).map(SEVERITY_LABELS).to_numpy(),
        "severity": severity.astype("int8"), "adverse": severity >= 2,
        "critical_violations": np.nan,
        "inspector": np.char.add("insp-", inspector.astype(str)).astype(object), "source": "synthetique",
    })
    kwargs = {}
    if with_complaints:
        n_comp = max(1, n_inspections // 10)
        cw = np.exp(latent)
        cw /= cw.sum()
        comp_est = rng.choice(n_establishments, size=n_comp, p=cw)
        comp_days = rng.integers(0, int((t1 - t0).astype(int)) + 1, n_comp)
        kwargs["complaints"] = pd.DataFrame({"establishment_id": ids[comp_est],
                                             "date": (t0 + comp_days).astype("datetime64[ns]")})
    return History(establishments=est, inspections=insp, format="synthetique", sources=["générateur"], **kwargs)
