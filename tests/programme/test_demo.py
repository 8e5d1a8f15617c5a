"""Demo data: the real 2018 call and ~50 generated, valid applications (reproducible)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from typer.testing import CliRunner

from amorce.programme.assessment import assess
from amorce.programme.demo import call_2018, generate_demo
from amorce.programme.eligibility import check_eligibility, check_siret
from amorce.programme.selection import select


def test_the_2018_call():
    call = call_2018()
    assert call.opens == date(2018, 6, 14) and call.closes == date(2018, 9, 14)
    assert call.budget == 1_000_000 and (call.min_laureates, call.max_laureates) == (4, 5)
    assert call.coaching_months == 10 and len(call.criteria) == 5
    assert call.info_meeting.starts == datetime(2018, 6, 27, 10, 0)
    assert call.info_meeting.ends == datetime(2018, 6, 27, 12, 30)
    assert "20 avenue de Ségur" in call.info_meeting.address
    assert "collectivite_territoriale" not in call.eligible_kinds


def test_applications_are_reproducible_valid_and_selectable():
    programme = generate_demo()
    again = generate_demo()
    assert [a.to_dict() for a in programme.applications] == [a.to_dict() for a in again.applications]
    assert generate_demo(seed=1).applications[0].to_dict() != programme.applications[0].to_dict()
    apps = programme.applications
    assert len(apps) == 52 and len({a.ref for a in apps}) == 52
    for a in apps:
        assert check_siret(a.siret).passed
        assert sum(line["amount"] for line in a.budget_breakdown) == a.budget
        assert len(a.jury_marks) == 3 and 0 <= a.score() <= 20
        assert assess(a.aia_answers).level in ("I", "II", "III", "IV")
    assert len(Counter(a.ministry for a in apps)) >= 8 and len(Counter(a.use_case_family for a in apps)) >= 5
    eligible = programme.eligible()
    assert 30 <= len(eligible) < 52
    rejected = [a for a in apps if a not in eligible]
    assert all(not check_eligibility(a.to_dict(), programme.call.eligibility_rules).eligible for a in rejected)
    best = select(programme.candidates(), programme.call.constraints)
    assert 4 <= len(best.selected) <= 5 and best.total_budget <= 1_000_000


def test_cli_demo_then_select(tmp_path: Path):
    from amorce.programme.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    call = json.loads((tmp_path / "appel.json").read_text(encoding="utf-8"))
    assert call["budget"] == 1_000_000
    assert len((tmp_path / "candidatures.jsonl").read_text(encoding="utf-8").splitlines()) == 52
    assert "HiGHS" in (tmp_path / "fiche-transparence.md").read_text(encoding="utf-8")
    chosen = runner.invoke(app, ["select", "--applications", str(tmp_path / "candidatures.csv"), "--budget",
                                 "1000000", "--min", "4", "--max", "5", "--max-per-group", "1", "--cap", "famille=2",
                                 "--json"])
    assert chosen.exit_code == 0, chosen.output
    data = json.loads(chosen.output)
    assert 4 <= len(data["selected"]) <= 5 and data["total_budget"] <= 1_000_000


def test_cli_aia(tmp_path: Path):
    from amorce.programme.cli import app

    programme = generate_demo(count=3)
    path = tmp_path / "eia.json"
    path.write_text(json.dumps(programme.applications[0].aia_answers), encoding="utf-8")
    result = CliRunner().invoke(app, ["aia", "--answers", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["level"] == assess(programme.applications[0].aia_answers).level


def test_decision_letters_for_a_small_demo(tmp_path: Path):
    from amorce.programme.demo import write_decision_letters

    programme = generate_demo(count=12, seed=3)
    decisions = write_decision_letters(programme, tmp_path, pdf=False)
    assert set(decisions) == {a.ref for a in programme.applications}
    assert 4 <= sum(d == "accepte" for d in decisions.values()) <= 5
    for app in programme.applications:
        html = (tmp_path / f"{app.ref}.html").read_text(encoding="utf-8")
        assert "traitement algorithmique" in html  # the mention explicite, on every letter
        if decisions[app.ref] == "refuse" and app in programme.eligible():
            assert "Explication de la décision" in html and "Non retenu" in html
