"""Data migrations of the programme app, run forwards on a database at the previous migration."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.mark.django_db(transaction=True)
def test_coach_names_become_accounts_when_they_match_a_coach(migrator):
    old = migrator.to("programme", "0002_list_covering_indexes")
    User, Group = old.get_model("auth", "User"), old.get_model("auth", "Group")
    coach_group, _ = Group.objects.get_or_create(name="coach")
    ines = User.objects.create(username="ines", first_name="Inès", last_name="Roux")
    ines.groups.add(coach_group)
    User.objects.create(username="yann", first_name="Yann", last_name="Blanc")  # not a coach: not matched
    Call = old.get_model("programme", "Call")
    call = Call.objects.create(
        slug="a",
        title="A",
        administration="x",
        contact="x",
        opens=date(2026, 1, 1),
        closes=date(2026, 2, 1),
        budget=1,
    )
    app = old.get_model("programme", "Application").objects.create(
        call=call,
        reference="T-1",
        structure="s",
        structure_kind="operateur_national",
        siret="1",
        ministry="m",
        title="t",
        use_case_family="f",
        state="accepte",
    )
    old.get_model("programme", "Coaching").objects.create(
        application=app, technical_coach="inès roux ", business_coach="Yann Blanc", starts=date(2026, 3, 1)
    )
    migrator.to_latest()
    from amorce.programme.models import Coaching

    coaching = Coaching.objects.get(application__reference="T-1")
    assert coaching.technical_coach.username == "ines" and coaching.business_coach is None


@pytest.mark.django_db(transaction=True)
def test_stored_selection_runs_get_english_group_keys(migrator):
    old = migrator.to("programme", "0006_shared_creation_fields")
    call = old.get_model("programme", "Call").objects.create(
        slug="b", title="B", administration="x", contact="x", opens=date(2026, 1, 1), closes=date(2026, 2, 1),
        budget=1)
    old.get_model("programme", "SelectionRun").objects.create(
        call=call, candidates=[{"id": "T-1", "score": 3.0, "budget": 1.0, "ministere": "Culture", "famille": "f"}],
        params={"budget": 1.0, "min_count": 0, "max_count": 1, "group_caps": {"ministere": 1, "famille": 2}})
    migrator.to_latest()
    from amorce.programme.models import SelectionRun
    from amorce.programme.services import run_constraints

    run = SelectionRun.objects.get()
    assert run.candidates == [{"id": "T-1", "score": 3.0, "budget": 1.0, "ministry": "Culture", "family": "f"}]
    assert run.params["group_caps"] == {"ministry": 1, "family": 2}
    assert run_constraints(run, run.call).label("ministry") == "ministère"
