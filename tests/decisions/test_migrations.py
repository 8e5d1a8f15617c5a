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
