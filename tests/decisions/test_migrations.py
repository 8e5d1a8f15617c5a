"""Data migrations of the decisions app, run forwards on a database at the previous migration."""

from __future__ import annotations

import pytest


@pytest.mark.django_db(transaction=True)
def test_stored_detector_ids_become_english(migrator):
    old = migrator.to("decisions", "0002_created_authored_english_statuses")
    decision = old.get_model("decisions", "Decision").objects.create(external_id="D-1", text="Mme Durand, 1 rue X")
    entity = old.get_model("decisions", "Entity")
    for detector in ("regle:adresse", "regle:siege-juridiction", "civilite:mme", "spacy:PER", "agent", ""):
        entity.objects.create(decision=decision, start=0, end=3, category="personnePhysique", text="Mme",
                              detector=detector)
    migrator.to_latest()
    from amorce.decisions.models import Entity
    from amorce.decisions.views import detector_label

    detectors = list(Entity.objects.order_by("pk").values_list("detector", flat=True))
    assert detectors == ["rule:address", "rule:trade-registry-seat", "title:mme", "spacy:PER", "agent", ""]
    assert detector_label("rule:address") == "règle « adresse »" and detector_label("title:mme").startswith("civilité")


@pytest.mark.django_db(transaction=True)
def test_decision_texts_leave_the_jobs_parameters(migrator, settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path
    from amorce.web import jobs
    from amorce.web.models import Job  # the platform's table, unchanged by these migrations

    migrator.to("decisions", "0003_english_detector_ids")
    rows = [{"id": "CA-1", "text": "M. Jean DUPONT", "metadata": {}}]
    queued = Job.objects.create(kind="decisions.pseudonymise", label="x", status="queued", params={"decisions": rows})
    failed = Job.objects.create(kind="decisions.pseudonymise", label="x", status="failed", params={"decisions": rows})
    done = Job.objects.create(kind="decisions.pseudonymise", label="x", status="succeeded",
                              params={"decisions": [{"id": "CA-1"}]})
    migrator.to_latest()
    assert Job.objects.get(pk=failed.pk).params == {"decisions": 1}
    assert Job.objects.get(pk=done.pk).params == {"decisions": 1}
    params = Job.objects.get(pk=queued.pk).params
    assert params["decisions"] == 1 and jobs.load_inputs(params["inputs"]) == rows
