"""JSON API of the archives: search with the page's filters (paginated), similar images, terms of the
thesaurus, the terms of a photo, and a person's decision on a proposal (roles, CSRF, audit, 409)."""

from __future__ import annotations

import pytest
from django.test import Client

from amorce.archives.models import Photo, PhotoTerm, Term
from amorce.web.models import AuditEvent

from .test_explore import explored  # noqa: F401  (the indexed test folder, with features and records)

pytestmark = pytest.mark.django_db
API = "/api/archives"


def signed(make_user, role: str, **extra) -> Client:
    client = Client(**extra)
    client.user = make_user(role, username=f"api-{role}")
    client.force_login(client.user)
    return client


@pytest.fixture
def proposals(explored, tmp_path):  # noqa: F811
    from amorce.archives import services

    path = tmp_path / "termes.csv"
    path.write_text("uri,prefLabel,altLabel\nhttp://vocab.exemple.fr/eglise,Église,Temple|Chapelle\n"
                    "http://vocab.exemple.fr/chateau,Château,\n", encoding="utf-8")
    services.import_thesaurus(explored, path)
    church, castle = Term.objects.get(label="Église"), Term.objects.get(label="Château")
    p2, p3 = (Photo.objects.get(collection=explored, key=k) for k in ("a/p2.jpg", "a/p3.jpg"))
    rows = [PhotoTerm.objects.create(photo=p2, term=church, status="propose", source="modele", confidence=0.9,
                                     model_name="logistique v1"),
            PhotoTerm.objects.create(photo=p2, term=castle, status="propose", source="modele", confidence=0.55,
                                     model_name="logistique v1")]
    services.label_photos(castle, [p3.pk], None)
    return {"photo": p2, "rows": rows, "church": church, "castle": castle}


def test_search_uses_the_page_filters_and_pages(explored, make_user):  # noqa: F811
    reader = signed(make_user, "lecteur")
    url = f"{API}/collections/fonds-explore/images"
    data = reader.get(url, {"q": "eglise sainte therese choeur"}).json()
    assert data["count"] == 1 and data["items"][0]["file"] == "a/p2.jpg"
    item = data["items"][0]
    assert item["title"] == "Église Sainte-Thérèse, chœur" and item["creator"] == "Séeberger frères"
    assert item["year"] == 1912 and item["page"] == f"/archives/photos/{item['id']}/" and item["score"] is None
    assert [i["file"] for i in reader.get(url, {"de": 1890, "a": 1900}).json()["items"]] == ["a/p3.jpg"]
    grouped = reader.get(url, {"doublons": "oui"}).json()
    assert grouped["count"] == 4 and {"a/p0.jpg", "b/p1_grey.jpg"} <= {i["file"] for i in grouped["items"]}
    first, second = (reader.get(url, {"limit": 5, "offset": o}).json() for o in (0, 5))
    assert first["count"] == second["count"] == 9 and len(first["items"]) == 5 and len(second["items"]) == 4
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    bad = reader.get(url, {"de": 1950, "a": 1900})
    assert bad.status_code == 422 and "L'année de début est après l'année de fin" in bad.json()["detail"]
    assert reader.get(url, {"de": 980}).status_code == 422  # outside the schema's bounds
    assert reader.get(f"{API}/collections/inconnue/images").status_code == 404
    other = signed(make_user, "inspecteur")
    assert other.get(url).status_code == 403


def test_similar_images(explored, make_user):  # noqa: F811
    reader = signed(make_user, "lecteur")
    photo = Photo.objects.get(collection=explored, key="a/p0.jpg")
    data = reader.get(f"{API}/images/{photo.pk}/similaires", {"limit": 3}).json()
    assert len(data) == 3 and data[0]["file"] == "b/p0_mirror_big.jpg"
    assert data[0]["score"] >= data[1]["score"] >= data[2]["score"]
    assert reader.get(f"{API}/images/999999/similaires").status_code == 404


def test_terms_proposals_and_decisions(proposals, make_user):
    reader, doc = signed(make_user, "lecteur"), signed(make_user, "documentaliste", enforce_csrf_checks=True)
    terms = reader.get(f"{API}/collections/fonds-explore/termes").json()
    church = next(t for t in terms if t["label"] == "Église")
    assert church == {"id": proposals["church"].pk, "uri": "http://vocab.exemple.fr/eglise", "label": "Église",
                      "alt_labels": ["Temple", "Chapelle"], "broader": [], "accepted": 0, "proposed": 1,
                      "rejected": 0}
    assert next(t for t in terms if t["label"] == "Château")["accepted"] == 1
    photo = proposals["photo"]
    listed = reader.get(f"{API}/images/{photo.pk}/propositions").json()
    assert [r["term_label"] for r in listed] == ["Église", "Château"]  # most confident first
    assert listed[0]["status"] == "propose" and listed[0]["model"] == "logistique v1"
    row = proposals["rows"][0]
    accept = f"{API}/propositions/{row.pk}/accepter"
    assert reader.post(accept).status_code == 403  # readers do not decide
    refused = doc.post(accept)  # a session without its CSRF token
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    token = Client()
    token.force_login(doc.user)
    done = token.post(accept)
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "accepte" and body["validated_by"] == "api-documentaliste" and body["validated_at"]
    assert body["source"] == "modele" and body["confidence"] == 0.9  # the provenance is kept
    again = token.post(accept)
    assert again.status_code == 409 and "déjà été décidée" in again.json()["detail"]
    assert token.post(f"{API}/propositions/{proposals['rows'][1].pk}/rejeter").json()["status"] == "rejete"
    assert AuditEvent.objects.filter(action="archives_proposition_accepter", details__via="api").count() == 1
    assert AuditEvent.objects.filter(action="archives_proposition_rejeter").count() == 1
    assert [r["term_label"] for r in reader.get(f"{API}/images/{photo.pk}/propositions",
                                                {"status": "rejete"}).json()] == ["Château"]
    assert token.post(f"{API}/propositions/999999/accepter").status_code == 404
