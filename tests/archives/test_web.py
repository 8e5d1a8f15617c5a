"""Web pages and API of the archives use case: collection, groups to review (confirm, split), access by role."""

from __future__ import annotations

import pytest

from amorce.archives.models import Collection, DuplicateGroup
from amorce.web.models import AuditEvent

pytestmark = pytest.mark.django_db


class Ctx:
    def __init__(self):
        self.messages = []

    def progress(self, done, total=None, message=None):
        pass

    def part(self, begin, width):
        return self

    def log(self, message):
        self.messages.append(message)


@pytest.fixture
def indexed(photo_folder, tmp_path):
    from amorce.archives.tasks import index_collection

    collection = Collection.objects.create(name="fonds-test", title="Fonds test", source=str(photo_folder),
                                           store=str(tmp_path / "store"))
    ctx = Ctx()
    result = index_collection(ctx, collection, engine="serial")
    assert result["groups"] == 2 and result["errors"] == 1
    assert any("b/broken.jpg" in m for m in ctx.messages)
    return collection


def test_reader_sees_groups_but_cannot_review(indexed, client_as):
    client = client_as("lecteur")
    page = client.get("/archives/collections/fonds-test/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Groupe 1" in text and "b/broken.jpg" in text
    group = indexed.groups.get(number=1)
    assert client.get(f"/archives/photos/{group.master_id}/vignette.jpg").status_code == 200
    assert client.post(f"/archives/groupes/{group.pk}/", {"action": "confirmer"}).status_code == 404
    assert client.get("/archives/collections/fonds-test/doublons.csv").content.decode().count("\n") == 5


def test_documentalist_confirms_and_splits(indexed, client_as):
    client = client_as("documentaliste")
    first, second = indexed.groups.order_by("number")
    client.post(f"/archives/groupes/{first.pk}/", {"action": "confirmer"})
    first.refresh_from_db()
    assert first.status == DuplicateGroup.Status.CONFIRMED and first.reviewed_by == client.user
    member = second.members.exclude(photo=second.master).get()
    client.post(f"/archives/groupes/{second.pk}/", {"action": "scinder", "retirer": [member.pk]})
    second.refresh_from_db()
    assert second.status == DuplicateGroup.Status.SPLIT
    assert AuditEvent.objects.filter(action="archives_groupe_scinder").exists()
    csv_text = client.get("/archives/collections/fonds-test/doublons.csv").content.decode()
    assert csv_text.count("\n") == 3  # header + the confirmed pair only
    # re-indexing keeps the reviewed groups as they are
    from amorce.archives.tasks import index_collection

    index_collection(Ctx(), indexed, engine="serial")
    assert sorted(indexed.groups.values_list("status", flat=True)) == ["confirme", "scinde"]


def test_api_lists_groups_and_refuses_other_roles(indexed, client_as):
    client = client_as("lecteur")
    data = client.get("/api/archives/collections/fonds-test/doublons").json()
    assert len(data) == 2 and all(sum(m["master"] for m in g["members"]) == 1 for g in data)
    other = client_as("inspecteur", username="autre")
    assert other.get("/api/archives/collections").status_code == 403
    assert other.get("/archives/").status_code in (302, 403)
