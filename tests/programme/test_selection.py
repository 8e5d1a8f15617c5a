"""Exact selection: optimum equals exhaustive enumeration, explanations are consistent."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amorce.core.errors import DataValidationError
from amorce.programme.errors import InfeasibleSelectionError
from amorce.programme.selection import (
    Candidate,
    Constraints,
    budget_what_if,
    explain,
    greedy_select,
    read_candidates_csv,
    select,
)

AMORCE = [sys.executable, "-m", "amorce.cli"]


def brute_force(candidates: list[Candidate], constraints: Constraints) -> float | None:
    """Best total score over every subset (None when no subset is feasible)."""
    best = None
    n = len(candidates)
    max_count = n if constraints.max_count is None else constraints.max_count
    for size in range(constraints.min_count, min(n, max_count) + 1):
        for subset in itertools.combinations(candidates, size):
            if sum(c.budget for c in subset) > constraints.budget + 1e-9:
                continue
            ok = True
            for dim, cap in constraints.group_caps.items():
                counts = Counter(c.groups.get(dim) for c in subset if c.groups.get(dim))
                if any(v > cap for v in counts.values()):
                    ok = False
                    break
            if not ok:
                continue
            total = math.fsum(c.score for c in subset)
            if best is None or total > best:
                best = total
    return best


def is_feasible(selection, candidates, constraints) -> bool:
    chosen = [c for c in candidates if c.id in set(selection.selected)]
    if sum(c.budget for c in chosen) > constraints.budget + 1e-9:
        return False
    if len(chosen) < constraints.min_count:
        return False
    if constraints.max_count is not None and len(chosen) > constraints.max_count:
        return False
    for dim, cap in constraints.group_caps.items():
        counts = Counter(c.groups.get(dim) for c in chosen if c.groups.get(dim))
        if any(v > cap for v in counts.values()):
            return False
    return True


@st.composite
def instances(draw, with_groups: bool):
    n = draw(st.integers(min_value=1, max_value=9))
    candidates = []
    for i in range(n):
        score = draw(st.integers(min_value=0, max_value=2000)) / 100  # two decimals, like jury averages
        budget = draw(st.integers(min_value=0, max_value=60)) * 5000
        groups = {"ministry": draw(st.sampled_from("ABC"))} if with_groups else {}
        if with_groups and draw(st.booleans()):
            groups["family"] = draw(st.sampled_from("xy"))
        candidates.append(Candidate(id=f"D{i}", score=score, budget=float(budget), groups=groups))
    min_count = draw(st.integers(min_value=0, max_value=3))
    max_count = draw(st.one_of(st.none(), st.integers(min_value=min_count, max_value=max(min_count, n + 1))))
    budget = draw(st.integers(min_value=0, max_value=400)) * 2500
    caps = {}
    if with_groups:
        caps["ministry"] = draw(st.integers(min_value=1, max_value=3))
        if draw(st.booleans()):
            caps["family"] = draw(st.integers(min_value=1, max_value=2))
    return candidates, Constraints(budget=float(budget), min_count=min_count, max_count=max_count, group_caps=caps)


def check_against_brute_force(candidates, constraints):
    expected = brute_force(candidates, constraints)
    if expected is None:
        with pytest.raises(InfeasibleSelectionError):
            select(candidates, constraints)
        assert greedy_select(candidates, constraints) is None
        return
    result = select(candidates, constraints)
    assert is_feasible(result, candidates, constraints)
    assert result.total_score == pytest.approx(expected, abs=1e-6)
    greedy = greedy_select(candidates, constraints)
    if greedy is not None:
        assert is_feasible(greedy, candidates, constraints)
        assert greedy.total_score <= expected + 1e-6


@settings(max_examples=150, deadline=None)
@given(instances(with_groups=False))
def test_optimum_equals_exhaustive_search(instance):
    check_against_brute_force(*instance)


@settings(max_examples=150, deadline=None)
@given(instances(with_groups=True))
def test_optimum_equals_exhaustive_search_with_group_caps(instance):
    check_against_brute_force(*instance)


SMALL = [
    Candidate("A", 15, 300_000, {"group": "MI"}),
    Candidate("B", 12.5, 200_000, {"group": "MI"}),
    Candidate("C", 14, 450_000, {"group": "MEF"}),
    Candidate("D", 9, 100_000, {"group": "MC"}),
    Candidate("E", 11, 250_000, {"group": "MEF"}),
]


def test_group_cap_changes_the_optimum():
    free = select(SMALL, Constraints(1_000_000, 2, 4))
    capped = select(SMALL, Constraints(1_000_000, 2, 4, {"group": 1}))
    assert set(free.selected) == {"A", "B", "E", "D"} or free.total_score >= capped.total_score
    assert capped.selected == ["A", "C", "D"]
    assert capped.total_score == 38 and capped.total_budget == 850_000
    assert capped.to_dict() == {"selected": ["A", "C", "D"], "total_score": 38, "total_budget": 850_000}


def test_explanations_are_consistent_with_reoptimisation():
    constraints = Constraints(1_000_000, 2, 4, {"group": 1})
    best = select(SMALL, constraints)
    explanations = {e.id: e for e in explain(SMALL, constraints, best)}
    assert set(explanations) == {c.id for c in SMALL}
    for c in SMALL:
        e = explanations[c.id]
        assert e.selected == (c.id in best.selected)
        assert e.reasons and ("Retenu" in e.summary) == e.selected
        if not e.selected and e.score_threshold is not None:
            # raising the score just above the threshold makes it a laureate
            bumped = [replace(x, score=e.score_threshold + 0.01) if x.id == c.id else x for x in SMALL]
            assert c.id in select(bumped, constraints).selected
            # and just below keeps it out
            lowered = [replace(x, score=e.score_threshold - 0.01) if x.id == c.id else x for x in SMALL]
            assert c.id not in select(lowered, constraints).selected
        if e.selected and e.alternative is not None:
            assert select(SMALL, constraints, force_out=[c.id]).total_score == pytest.approx(e.alternative)
    # B and E lose against the group cap: the explanation says so
    assert "plafond de 1 lauréat par group est atteint (« MI »)" in explanations["B"].summary


def test_budget_threshold_lets_a_cheaper_dossier_in():
    cands = [Candidate("X", 10, 500), Candidate("Y", 9, 400), Candidate("Z", 9.5, 450)]
    constraints = Constraints(budget=900, min_count=1, max_count=2)
    best = select(cands, constraints)
    assert best.selected == ["X", "Y"]
    z = {e.id: e for e in explain(cands, constraints, best)}["Z"]
    assert z.budget_threshold == pytest.approx(400)  # Z replaces Y only if it asks at most 400 €
    assert "au plus 400\xa0€" in z.summary
    cheaper = [replace(c, budget=399) if c.id == "Z" else c for c in cands]
    assert "Z" in select(cheaper, constraints).selected


def test_budget_what_if_is_monotone_and_reports_infeasible():
    constraints = Constraints(1_000_000, 2, 4, {"group": 1})
    scenarios = budget_what_if(SMALL, constraints, [200_000, 500_000, 1_000_000, 2_000_000])
    assert scenarios[0].selection is None and "Aucune sélection" in scenarios[0].message
    values = [s.selection.total_score for s in scenarios[1:]]
    assert values == sorted(values)
    assert scenarios[1].to_dict()["budget"] == 500_000


def test_infeasible_message_names_the_cause():
    with pytest.raises(InfeasibleSelectionError) as info:
        select(SMALL, Constraints(1_000_000, 4, 5, {"group": 1}))
    assert info.value.exit_code == 2
    assert "au plus 1 lauréat par group, on ne peut retenir que 3 dossiers" in info.value.message
    with pytest.raises(InfeasibleSelectionError) as info:
        select(SMALL, Constraints(250_000, 2, 5))
    assert "les 2 dossiers les moins chers coûtent ensemble 300\u202f000\xa0€" in info.value.message


def test_invalid_constraints_are_all_reported():
    with pytest.raises(DataValidationError) as info:
        select([Candidate("A", -1, 10), Candidate("A", 1, math.nan)], Constraints(-5, 3, 2))
    text = info.value.message
    assert "enveloppe" in text and "nombre maximal" in text and "en double" in text
    assert len(info.value.problems) == 5


def test_read_csv_reports_every_bad_line(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("id;score;budget;group\nA;12,5;1 000;MI\nB;abc;10;MI\n;3;4;\nA;2;-1;MC\nC;;5;\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        read_candidates_csv(path)
    lines = sorted({p.line for p in info.value.problems})
    assert lines == [3, 4, 5, 6]
    good = tmp_path / "g.csv"
    good.write_text("id;score;budget;group\nA;12,5;1 000;MI\nB;3;10;\n", encoding="utf-8")
    rows = read_candidates_csv(good)
    assert rows[0] == Candidate("A", 12.5, 1000.0, {"group": "MI"})
    assert rows[1].groups == {}


def _run(*args: str):
    return subprocess.run([*AMORCE, "programme", "select", *args], capture_output=True, text=True, timeout=120)


def test_cli_contract(tmp_path: Path):
    path = tmp_path / "apps.csv"
    path.write_text("id,score,budget,group\n" + "".join(
        f"{c.id},{c.score},{int(c.budget)},{c.groups['group']}\n" for c in SMALL), encoding="utf-8")
    done = _run("--applications", str(path), "--budget", "1000000", "--min", "2", "--max", "4",
                "--max-per-group", "1", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"selected": ["A", "C", "D"], "total_score": 38, "total_budget": 850000}

    infeasible = _run("--applications", str(path), "--budget", "100", "--min", "2", "--max", "4", "--json")
    assert infeasible.returncode == 2
    assert "Aucune sélection ne respecte les contraintes" in infeasible.stderr
    assert infeasible.stdout == ""

    bad = tmp_path / "bad.csv"
    bad.write_text("id,score,budget\nA,x,3\n,2,3\nA,1,-4\n", encoding="utf-8")
    invalid = _run("--applications", str(bad), "--budget", "100", "--json")
    assert invalid.returncode == 2
    for line in ("ligne 2", "ligne 3", "ligne 4"):
        assert line in invalid.stderr



def test_cli_table_explanations_and_what_if(tmp_path: Path):
    from typer.testing import CliRunner

    from amorce.programme.cli import app

    path = tmp_path / "apps.csv"
    path.write_text("id;score;budget;group\n" + "".join(
        f"{c.id};{str(c.score).replace('.', ',')};{int(c.budget)};{c.groups['group']}\n" for c in SMALL),
        encoding="utf-8")
    runner = CliRunner()
    table = runner.invoke(app, ["select", "--applications", str(path), "--budget", "1000000", "--min", "2",
                                "--max", "4", "--max-per-group", "1", "--explain", "--what-if", "500000,2000000"])
    assert table.exit_code == 0, table.output
    assert "Sélection optimale" in table.output and "Et si l'enveloppe changeait" in table.output
    data = runner.invoke(app, ["select", "--applications", str(path), "--budget", "1000000", "--min", "2",
                               "--max", "4", "--max-per-group", "1", "--explain", "--what-if", "200000;500000",
                               "--json"])
    payload = json.loads(data.output)
    assert payload["selected"] == ["A", "C", "D"]
    assert [e["selected"] for e in payload["explanations"]] == [True, False, True, True, False]
    assert payload["what_if"][0]["selected"] is None and payload["what_if"][1]["total_score"] == 24


def test_explanation_knows_the_score_scale():
    cands = [Candidate("A", 19, 100), Candidate("B", 18, 100), Candidate("C", 5, 200)]
    constraints = Constraints(budget=200, min_count=1, max_count=2)
    notes = {e.id: e for e in explain(cands, constraints, score_max=20)}
    assert "Même avec la note maximale (20,00)" in notes["C"].summary  # alone in the envelope: needs 37
    assert notes["A"].summary.startswith("Score 19,00 (1er sur 3)")
    plain = {e.id: e for e in explain(cands, constraints)}
    assert "au moins 37,00" in plain["C"].summary


def test_empty_file_is_reported(tmp_path: Path):
    path = tmp_path / "vide.csv"
    path.write_text("id,score,budget\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="aucun dossier"):
        read_candidates_csv(path)


def test_a_cap_on_a_missing_column_is_an_error(tmp_path: Path):
    path = tmp_path / "c.csv"
    path.write_text("id,score,budget\nA,1,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="colonne obligatoire absente : famille"):
        read_candidates_csv(path, group_columns=("group", "famille"), required_groups=("famille",))
