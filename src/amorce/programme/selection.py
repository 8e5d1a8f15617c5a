"""Exact selection of laureates under a budget (0-1 integer programme solved by HiGHS).

The problem: choose the dossiers that maximise the total (weighted) score, such that

* the sum of their requested budgets does not exceed the envelope;
* their number lies between ``min_count`` and ``max_count``;
* optionally, at most ``K`` dossiers share the same value of a grouping dimension (one ministry,
  one use-case family…), one cap per dimension.

It is a multi-constraint knapsack, solved exactly with :func:`scipy.optimize.milp` (HiGHS branch and
bound, relative gap 0). On top of the optimum this module gives, per dossier, a French explanation
based on marginal analysis (the optimum if the dossier were forced in or out, the score it would
need, the budget it could ask and still be selected), a what-if on the envelope, a diagnosis of
infeasible instances, and the classical greedy heuristic (best score/budget ratio first) used as a
baseline by the benchmark.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from amorce.core import formats as fr
from amorce.core.errors import ValidationReport
from amorce.core.files import read_csv_rows

from .errors import InfeasibleSelectionError

# Absolute tolerance on budgets and scores when checking a solution (amounts are euros and points).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Candidate:
    """One application as seen by the selection: its score, its requested budget, its groups."""

    id: str
    score: float
    budget: float
    groups: Mapping[str, str] = field(default_factory=dict)
    label: str = ""


# The platform's group dimensions (a call's caps per ministry and per family of use cases), by their
# French names in messages.
GROUP_LABELS = {"ministry": "ministère", "family": "famille de cas d'usage"}


@dataclass(frozen=True)
class Constraints:
    """The rules of the call: envelope, number of laureates, caps per group dimension."""

    budget: float
    min_count: int = 0
    max_count: int | None = None
    group_caps: Mapping[str, int] = field(default_factory=dict)

    def with_budget(self, budget: float) -> Constraints:
        return Constraints(budget=budget, min_count=self.min_count, max_count=self.max_count,
                           group_caps=dict(self.group_caps))

    @staticmethod
    def label(dimension: str) -> str:
        """A group dimension in messages: its French name (« ministère »), else its key (a CSV column
        of the command line)."""
        return GROUP_LABELS.get(dimension, dimension)

    def cap_phrases(self) -> list[str]:
        """One phrase per capped dimension: « au plus 2 lauréats par ministère »."""
        return [f"au plus {cap} lauréat{'s' if cap > 1 else ''} par {self.label(dim)}"
                for dim, cap in self.group_caps.items()]


@dataclass
class Selection:
    """An (optimal or heuristic) selection; ``selected`` keeps the input order."""

    selected: list[str]
    total_score: float
    total_budget: float
    envelope: float
    method: str = "milp"

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON contract: ``{"selected": [...], "total_score": x, "total_budget": y}``."""
        return {"selected": list(self.selected), "total_score": _clean_number(self.total_score),
                "total_budget": _clean_number(self.total_budget)}


@dataclass
class DossierExplanation:
    """Why a dossier is or is not in the optimal selection (marginal analysis)."""

    id: str
    selected: bool
    score: float
    budget: float
    rank_by_score: int
    optimum: float
    alternative: float | None  # optimum if forced out (selected) or forced in (not selected)
    score_threshold: float | None  # selected: lowest score keeping it in; else: score needed to enter
    budget_threshold: float | None  # not selected: highest requested budget that would let it in
    reasons: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return " ".join(self.reasons)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "selected": self.selected, "score": self.score, "budget": self.budget,
                "rank_by_score": self.rank_by_score, "optimum": self.optimum,
                "alternative": self.alternative, "score_threshold": self.score_threshold,
                "budget_threshold": self.budget_threshold, "reasons": list(self.reasons)}


@dataclass
class BudgetScenario:
    """The optimum for one envelope of a what-if analysis (``selection`` is None if infeasible)."""

    budget: float
    selection: Selection | None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"budget": _clean_number(self.budget),
                **(self.selection.to_dict() if self.selection else
                   {"selected": None, "total_score": None, "total_budget": None}),
                "message": self.message}


# --------------------------------------------------------------------------------------------- model


class SelectionModel:
    """The integer programme for one list of candidates and one set of constraints.

    The constraint matrix is built once; forcing dossiers in or out only changes variable bounds, so
    the marginal analyses of :meth:`explain` reuse it.
    """

    def __init__(self, candidates: Sequence[Candidate], constraints: Constraints) -> None:
        check_inputs(candidates, constraints)
        self.candidates = list(candidates)
        self.constraints = constraints
        self.scores = np.array([c.score for c in self.candidates], dtype=float)
        self.costs = np.array([c.budget for c in self.candidates], dtype=float)
        self.index = {c.id: i for i, c in enumerate(self.candidates)}
        n = len(self.candidates)
        self.max_count = n if constraints.max_count is None else min(constraints.max_count, n)
        # group rows: one per (dimension, value) with more members than the cap
        self.group_rows: list[tuple[str, str, int, np.ndarray]] = []
        for dimension, cap in constraints.group_caps.items():
            members: dict[str, list[int]] = defaultdict(list)
            for i, c in enumerate(self.candidates):
                value = c.groups.get(dimension)
                if value not in (None, ""):
                    members[value].append(i)
            for value, idx in sorted(members.items()):
                if len(idx) > cap:
                    self.group_rows.append((dimension, value, cap, np.array(idx)))

    # -- solving

    def _matrix(self, *, with_budget: bool = True):
        """Constraint matrix and row bounds (built once per model, reused by every solve)."""
        cache = self.__dict__.setdefault("_matrix_cache", {})
        if with_budget not in cache:
            cache[with_budget] = self._build_matrix(with_budget=with_budget)
        return cache[with_budget]

    def _build_matrix(self, *, with_budget: bool):
        from scipy.sparse import csr_array

        n = len(self.candidates)
        rows, cols, vals, lower, upper = [], [], [], [], []
        r = 0
        if with_budget:
            rows += [r] * n
            cols += list(range(n))
            vals += list(self.costs)
            lower.append(-np.inf)
            upper.append(self.constraints.budget)
            r += 1
        rows += [r] * n
        cols += list(range(n))
        vals += [1.0] * n
        lower.append(self.constraints.min_count)
        upper.append(self.max_count)
        r += 1
        for _dim, _value, cap, idx in self.group_rows:
            rows += [r] * len(idx)
            cols += list(idx)
            vals += [1.0] * len(idx)
            lower.append(-np.inf)
            upper.append(cap)
            r += 1
        matrix = csr_array((vals, (rows, cols)), shape=(r, n))
        return matrix, np.array(lower, dtype=float), np.array(upper, dtype=float)

    def _bounds(self, force_in: Iterable[str], force_out: Iterable[str]):
        n = len(self.candidates)
        lower, upper = np.zeros(n), np.ones(n)
        for ident in force_in:
            lower[self.index[ident]] = 1
        for ident in force_out:
            upper[self.index[ident]] = 0
        # a dossier that alone exceeds the envelope can never be chosen
        upper[self.costs > self.constraints.budget + TOLERANCE] = 0
        return lower, upper

    def solve(self, *, force_in: Iterable[str] = (), force_out: Iterable[str] = (),
              time_limit: float | None = None) -> Selection | None:
        """Optimal selection, or ``None`` when no selection satisfies the constraints."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.candidates)
        if n == 0:
            return Selection([], 0.0, 0.0, self.constraints.budget) if self.constraints.min_count <= 0 else None
        force_in, force_out = set(force_in), set(force_out)
        lower, upper = self._bounds(force_in, force_out)
        if np.any(lower > upper):
            return None
        matrix, row_lower, row_upper = self._matrix()
        options: dict[str, Any] = {"mip_rel_gap": 0.0, "presolve": True}
        if time_limit is not None:
            options["time_limit"] = time_limit
        result = milp(c=-self.scores, integrality=np.ones(n), bounds=Bounds(lower, upper),
                      constraints=LinearConstraint(matrix, row_lower, row_upper), options=options)
        if result.status == 2 or result.x is None:
            return None
        if result.status not in (0,):
            from .errors import ProgrammeError

            raise ProgrammeError(f"Le solveur n'a pas trouvé l'optimum ({result.message}).",
                                 status=int(result.status))
        chosen = np.flatnonzero(np.round(result.x) > 0.5)
        return self._selection(chosen, method="milp")

    def _selection(self, chosen: Sequence[int], *, method: str) -> Selection:
        chosen = sorted(int(i) for i in chosen)
        total_budget = math.fsum(self.costs[i] for i in chosen)
        total_score = math.fsum(self.scores[i] for i in chosen)
        problems = self.violations(chosen)
        if problems:  # the solver's tolerances must never let a violated constraint through
            from .errors import ProgrammeError

            raise ProgrammeError("Solution du solveur invalide : " + " ; ".join(problems))
        return Selection(selected=[self.candidates[i].id for i in chosen], total_score=total_score,
                         total_budget=total_budget, envelope=self.constraints.budget, method=method)

    def violations(self, chosen: Sequence[int]) -> list[str]:
        """French descriptions of the constraints that the set ``chosen`` violates."""
        out = []
        spent = math.fsum(self.costs[i] for i in chosen)
        if spent > self.constraints.budget + TOLERANCE:
            out.append(f"budget {_eur(spent)} supérieur à l'enveloppe {_eur(self.constraints.budget)}")
        if not self.constraints.min_count <= len(chosen) <= self.max_count:
            out.append(f"{len(chosen)} lauréats hors de l'intervalle [{self.constraints.min_count}, {self.max_count}]")
        chosen_set = set(chosen)
        for dimension, value, cap, idx in self.group_rows:
            count = sum(1 for i in idx if i in chosen_set)
            if count > cap:
                out.append(f"{count} dossiers pour {dimension} « {value} » (plafond {cap})")
        return out

    def min_other_budget(self, ident: str, target_score: float) -> float | None:
        """Least total budget of the *other* dossiers that, with ``ident``, reach ``target_score``.

        Used to find the largest budget a non-selected dossier could request and still be part of an
        optimal selection. ``None`` if no combination reaches the target.
        """
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csr_array, vstack

        n = len(self.candidates)
        j = self.index[ident]
        lower, upper = np.zeros(n), np.ones(n)
        lower[j] = upper[j] = 1
        matrix, row_lower, row_upper = self._matrix(with_budget=False)
        score_row = csr_array(self.scores.reshape(1, -1))
        matrix = vstack([matrix, score_row])
        row_lower = np.append(row_lower, target_score - TOLERANCE)
        row_upper = np.append(row_upper, np.inf)
        costs = self.costs.copy()
        costs[j] = 0.0
        result = milp(c=costs, integrality=np.ones(n), bounds=Bounds(lower, upper),
                      constraints=LinearConstraint(matrix, row_lower, row_upper),
                      options={"mip_rel_gap": 0.0})
        if result.status != 0 or result.x is None:
            return None
        chosen = np.flatnonzero(np.round(result.x) > 0.5)
        return math.fsum(costs[i] for i in chosen)

    # -- explanations

    def explain(self, selection: Selection | None = None, *,
                score_max: float | None = None) -> list[DossierExplanation]:
        """One explanation per candidate, in input order (two small MILPs per dossier).

        ``score_max`` (e.g. 20) lets the explanation say when no reachable score would suffice.
        """
        best = selection or self.solve()
        if best is None:
            raise InfeasibleSelectionError(infeasibility_message(self.candidates, self.constraints))
        opt = best.total_score
        chosen = set(best.selected)
        order = sorted(range(len(self.candidates)), key=lambda i: (-self.scores[i], i))
        rank = {self.candidates[i].id: r for r, i in enumerate(order, start=1)}
        n = len(self.candidates)
        remaining = self.constraints.budget - best.total_budget
        group_counts = Counter()
        for ident in chosen:
            for dim, value in self.candidates[self.index[ident]].groups.items():
                group_counts[(dim, value)] += 1
        out = []
        for c in self.candidates:
            ordinal = "1er" if rank[c.id] == 1 else f"{rank[c.id]}e"
            head = f"Score {_pts(c.score)} ({ordinal} sur {n}), budget demandé {_eur(c.budget)}."
            if c.id in chosen:
                alt = self.solve(force_out=[c.id])
                if alt is None:
                    reasons = [head, "Retenu : indispensable, sans ce dossier aucune sélection ne respecte "
                                     "les contraintes de l'appel."]
                    out.append(DossierExplanation(c.id, True, c.score, c.budget, rank[c.id], opt, None,
                                                  None, None, reasons))
                    continue
                loss = max(0.0, opt - alt.total_score)
                reasons = [head, f"Retenu : sans ce dossier, la meilleure sélection possible totaliserait "
                                 f"{_pts(alt.total_score)} points au lieu de {_pts(opt)} (perte de {_pts(loss)})."]
                if loss <= TOLERANCE:
                    reasons.append("Il est ex aequo avec une autre sélection de même score total.")
                else:
                    reasons.append(f"Il resterait retenu tant que son score ne baisse pas de plus de "
                                   f"{_pts(loss)} points.")
                out.append(DossierExplanation(c.id, True, c.score, c.budget, rank[c.id], opt,
                                              alt.total_score, c.score - loss, None, reasons))
                continue
            # not selected
            reasons = [head]
            if c.budget > self.constraints.budget + TOLERANCE:
                reasons.append(f"Non retenu : son budget dépasse à lui seul l'enveloppe de "
                               f"{_eur(self.constraints.budget)}.")
                out.append(DossierExplanation(c.id, False, c.score, c.budget, rank[c.id], opt, None,
                                              None, None, reasons))
                continue
            alt = self.solve(force_in=[c.id])
            facts = []
            if c.budget > remaining + TOLERANCE:
                facts.append(f"son budget dépasse l'enveloppe restante ({_eur(remaining)})")
            if len(chosen) >= self.max_count:
                facts.append(f"le nombre maximal de {self.max_count} lauréats est atteint")
            for dim, value in c.groups.items():
                cap = self.constraints.group_caps.get(dim)
                if cap is not None and group_counts[(dim, value)] >= cap:
                    facts.append(f"le plafond de {cap} lauréat{'s' if cap > 1 else ''} par "
                                 f"{self.constraints.label(dim)} est atteint (« {value} »)")
            if alt is None:
                reasons.append("Non retenu : l'inclure rendrait les contraintes de l'appel impossibles à "
                               "respecter.")
                out.append(DossierExplanation(c.id, False, c.score, c.budget, rank[c.id], opt, None,
                                              None, None, reasons))
                continue
            gap = max(0.0, opt - alt.total_score)
            if gap <= TOLERANCE:
                reasons.append("Non retenu, mais ex aequo : une autre sélection de même score total "
                               "l'inclut.")
            else:
                reasons.append(f"Non retenu : la meilleure sélection qui l'inclut totaliserait "
                               f"{_pts(alt.total_score)} points au lieu de {_pts(opt)} "
                               f"(écart de {_pts(gap)}).")
            if facts:
                reasons.append("Dans la sélection optimale, " + " ; ".join(facts) + ".")
            threshold = c.score + gap
            if score_max is not None and threshold > score_max + TOLERANCE:
                reasons.append(f"Même avec la note maximale ({_pts(score_max)}), il ne serait pas retenu.")
            else:
                reasons.append(f"Il aurait fallu un score d'au moins {_pts(threshold)} pour être retenu.")
            others = self.min_other_budget(c.id, opt)
            budget_threshold = None
            if others is not None:
                budget_threshold = self.constraints.budget - others
            if budget_threshold is None or budget_threshold < -TOLERANCE:
                reasons.append("Même avec un budget demandé nul, il ne serait pas retenu à score égal.")
                budget_threshold = None
            elif gap > TOLERANCE:
                reasons.append(f"À score égal, il serait retenu avec un budget demandé d'au plus "
                               f"{_eur(max(0.0, budget_threshold))}.")
            out.append(DossierExplanation(c.id, False, c.score, c.budget, rank[c.id], opt,
                                          alt.total_score, threshold, budget_threshold, reasons))
        return out


# ------------------------------------------------------------------------------------------ public API


def check_inputs(candidates: Sequence[Candidate], constraints: Constraints) -> None:
    """Validate the candidates and constraints; all problems are reported at once (French)."""
    report = ValidationReport()
    if not math.isfinite(constraints.budget) or constraints.budget < 0:
        report.add("l'enveloppe doit être un montant positif ou nul", column="budget", value=constraints.budget)
    if constraints.min_count < 0:
        report.add("le nombre minimal de lauréats doit être positif ou nul", column="min",
                   value=constraints.min_count)
    if constraints.max_count is not None and constraints.max_count < constraints.min_count:
        report.add(f"le nombre maximal de lauréats ({constraints.max_count}) est inférieur au nombre minimal "
                   f"({constraints.min_count})", column="max")
    for dim, cap in constraints.group_caps.items():
        if cap < 0:
            report.add(f"le plafond par groupe « {dim} » doit être positif ou nul", column=dim, value=cap)
    seen: dict[str, int] = {}
    for i, c in enumerate(candidates, start=1):
        if not c.id:
            report.add("identifiant vide", line=i, column="id")
        elif c.id in seen:
            report.add(f"identifiant en double (déjà donné au dossier n° {seen[c.id]})", line=i, column="id",
                       value=c.id)
        else:
            seen[c.id] = i
        if not math.isfinite(c.score) or c.score < 0:
            report.add("score invalide", line=i, column="score", value=c.score, expected="un nombre ≥ 0")
        if not math.isfinite(c.budget) or c.budget < 0:
            report.add("budget invalide", line=i, column="budget", value=c.budget, expected="un montant ≥ 0")
    report.raise_if_any("Paramètres de sélection invalides")


def select(candidates: Sequence[Candidate], constraints: Constraints, *, force_in: Iterable[str] = (),
           force_out: Iterable[str] = (), time_limit: float | None = None) -> Selection:
    """The optimal selection; raises :class:`InfeasibleSelectionError` (exit code 2) if none exists."""
    model = SelectionModel(candidates, constraints)
    result = model.solve(force_in=force_in, force_out=force_out, time_limit=time_limit)
    if result is None:
        raise InfeasibleSelectionError(infeasibility_message(candidates, constraints, force_in, force_out),
                                       reasons=diagnose(candidates, constraints))
    return result


def explain(candidates: Sequence[Candidate], constraints: Constraints, selection: Selection | None = None, *,
            score_max: float | None = None) -> list[DossierExplanation]:
    """Per-dossier explanation of the optimal selection (see :meth:`SelectionModel.explain`)."""
    return SelectionModel(candidates, constraints).explain(selection, score_max=score_max)


def budget_what_if(candidates: Sequence[Candidate], constraints: Constraints,
                   budgets: Iterable[float]) -> list[BudgetScenario]:
    """The optimum for each envelope in ``budgets`` (other constraints unchanged)."""
    out = []
    for budget in budgets:
        scenario_constraints = constraints.with_budget(float(budget))
        result = SelectionModel(candidates, scenario_constraints).solve()
        message = "" if result else infeasibility_message(candidates, scenario_constraints)
        out.append(BudgetScenario(float(budget), result, message))
    return out


def greedy_select(candidates: Sequence[Candidate], constraints: Constraints) -> Selection | None:
    """Baseline heuristic: take dossiers by decreasing score/budget ratio while they fit.

    Returns ``None`` when the greedy pass ends below the minimum number of laureates.
    """
    model = SelectionModel(candidates, constraints)
    ratio = [(c.score / c.budget) if c.budget > 0 else math.inf for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: (-ratio[i], -candidates[i].score, i))
    caps = constraints.group_caps
    counts: Counter = Counter()
    spent, chosen = 0.0, []
    for i in order:
        c = candidates[i]
        if len(chosen) >= model.max_count:
            break
        if spent + c.budget > constraints.budget + TOLERANCE:
            continue
        if any(dim in caps and counts[(dim, v)] >= caps[dim] for dim, v in c.groups.items() if v not in (None, "")):
            continue
        chosen.append(i)
        spent += c.budget
        for dim, v in c.groups.items():
            counts[(dim, v)] += 1
    if len(chosen) < constraints.min_count:
        return None
    return model._selection(chosen, method="glouton")


def diagnose(candidates: Sequence[Candidate], constraints: Constraints) -> list[str]:
    """Simple, certain causes of infeasibility, in French (empty if none is obvious)."""
    reasons = []
    n = len(candidates)
    k = constraints.min_count
    if k > n:
        reasons.append(f"il n'y a que {n} dossier{'s' if n > 1 else ''} pour un minimum de {k} lauréats")
    affordable = sorted(c.budget for c in candidates if c.budget <= constraints.budget + TOLERANCE)
    if len(affordable) < n and k <= n:
        too_big = n - len(affordable)
        reasons.append(f"{too_big} dossier{'s' if too_big > 1 else ''} demande{'nt chacun' if too_big > 1 else ''} "
                       f"plus que l'enveloppe")
    if k and len(affordable) >= k and math.fsum(affordable[:k]) > constraints.budget + TOLERANCE:
        reasons.append(f"les {k} dossiers les moins chers coûtent ensemble {_eur(math.fsum(affordable[:k]))}, "
                       f"plus que l'enveloppe de {_eur(constraints.budget)}")
    elif k and len(affordable) < k <= n:
        reasons.append(f"seuls {len(affordable)} dossiers tiennent dans l'enveloppe, pour un minimum de {k}"
                       if affordable else "aucun dossier ne tient dans l'enveloppe")
    for (dim, cap), phrase in zip(constraints.group_caps.items(), constraints.cap_phrases(), strict=True):
        sizes = Counter(c.groups.get(dim) for c in candidates)
        ungrouped = sizes.pop(None, 0) + sizes.pop("", 0)
        reachable = sum(min(cap, s) for s in sizes.values()) + ungrouped
        if reachable < k:
            reasons.append(f"avec {phrase}, on ne peut retenir que {reachable} dossiers, pour un minimum de {k}")
    return reasons


def infeasibility_message(candidates: Sequence[Candidate], constraints: Constraints,
                          force_in: Iterable[str] = (), force_out: Iterable[str] = ()) -> str:
    maximum = "sans maximum" if constraints.max_count is None else f"au plus {constraints.max_count}"
    caps = "".join(f", {phrase}" for phrase in constraints.cap_phrases())
    text = (f"Aucune sélection ne respecte les contraintes (enveloppe de {_eur(constraints.budget)}, "
            f"au moins {constraints.min_count} lauréats, {maximum}{caps}).")
    forced = [f"dossiers imposés : {', '.join(force_in)}"] if list(force_in) else []
    forced += [f"dossiers exclus : {', '.join(force_out)}"] if list(force_out) else []
    reasons = diagnose(candidates, constraints) + forced
    if reasons:
        text += " Causes : " + " ; ".join(reasons) + "."
    else:
        text += " Aucune combinaison de dossiers ne satisfait à la fois le budget, le nombre et les plafonds."
    return text


# ------------------------------------------------------------------------------------------- reading


def parse_number(text: str) -> float:
    """A number written the French or English way (« 12,5 », « 1 000 000 », « 12.5 »)."""
    cleaned = (text or "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def read_candidates_csv(path: str | Path, *, group_columns: Sequence[str] = ("group",),
                        required_groups: Sequence[str] = ()) -> list[Candidate]:
    """Read ``id,score,budget[,group…]``; every bad line is reported with its line number.

    ``required_groups``: grouping columns that must exist because a cap applies to them.
    """
    rows = read_csv_rows(path, required=("id", "score", "budget", *required_groups))
    report = ValidationReport(file=str(path))
    out: list[Candidate] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = row["__line__"]
        ident = row.get("id") or ""
        ok = True
        if not ident:
            report.add("identifiant vide", line=line, column="id", expected="un identifiant de dossier")
            ok = False
        elif ident in seen:
            report.add(f"identifiant en double (déjà vu ligne {seen[ident]})", line=line, column="id", value=ident)
            ok = False
        else:
            seen[ident] = line
        values = {}
        for column, expected in (("score", "un nombre positif ou nul"), ("budget", "un montant positif ou nul")):
            raw = row.get(column)
            try:
                values[column] = parse_number(raw or "")
                if values[column] < 0:
                    raise ValueError(raw)
            except ValueError:
                report.add(f"{column} invalide" if raw else f"{column} absent", line=line, column=column,
                           value=raw if raw else None, expected=expected)
                ok = False
        if ok:
            groups = {col: row[col] for col in group_columns if row.get(col)}
            out.append(Candidate(id=ident, score=values["score"], budget=values["budget"], groups=groups))
    if not rows:
        report.add("le fichier ne contient aucun dossier", line=2, expected="au moins une ligne de données")
    report.raise_if_any("Fichier de candidatures invalide")
    return out


# ------------------------------------------------------------------------------------------- helpers


def _clean_number(value: float) -> float | int:
    value = round(float(value), 9)
    return int(value) if value.is_integer() else value


_eur = fr.amount


def _pts(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")
