"""Indexing a collection from the web: a curator picks a server source or uploads a IIIF manifest;
everything is checked before anything is written; the job indexes and groups the duplicates."""

from __future__ import annotations

import html
import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amorce.archives.models import Collection
from amorce.web.models import AuditEvent, Job

pytestmark = pytest.mark.django_db
URL = "/archives/indexer/"


@pytest.fixture
def roots(tmp_path, photo_folder, monkeypatch, settings):
    """One configured source root holding the test folder; the data directory in tmp_path."""
    root = tmp_path / "depot"
    root.mkdir()
    shutil.copytree(photo_folder, root / "fonds")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (root / "fuite").symlink_to(outside, target_is_directory=True)  # leaves the root: never offered
    monkeypatch.setenv("AMORCE_ARCHIVES_SOURCES", str(root))
    settings.AMORCE_DATA_DIR = str(tmp_path / "var")
    return root


def _manifest(name="manifeste.json") -> SimpleUploadedFile:
    doc = {"@context": "http://iiif.io/api/presentation/3/context.json", "id": "https://ex.org/m", "type": "Manifest",
           "label": {"fr": ["Essai"]}, "items": [{"id": "https://ex.org/c1", "type": "Canvas", "items": [{
               "id": "https://ex.org/p1", "type": "AnnotationPage", "items": [{
                   "id": "https://ex.org/a1", "type": "Annotation", "motivation": "painting", "target": "https://ex.org/c1",
                   "body": {"id": "https://img.ex.org/i1/full/max/0/default.jpg", "type": "Image"}}]}]}]}
    return SimpleUploadedFile(name, json.dumps(doc).encode(), content_type="application/json")


def test_only_curators_and_administrators_may_index(client_as, roots):
    assert client_as("documentaliste").get(URL).status_code == 403
    assert client_as("lecteur").get(URL).status_code == 403
    page = client_as("responsable_collections").get(URL).content.decode()
    assert "depot/fonds (dossier d" in page and "fuite" not in page
    assert str(roots) not in page  # the server's paths are shown to administrators only
    assert str(roots) in client_as("administrateur").get(URL).content.decode()


@pytest.mark.django_db(transaction=True)  # a real worker runs the job: committed rows, as in production
def test_a_server_folder_is_indexed_by_a_job(client_as, roots):
    from tests.web.test_jobs import run_worker

    client = client_as("responsable_collections")
    response = client.post(URL, {"name": "fonds-web", "title": "Fonds du web", "source": "0:fonds", "features": ""})
    assert response.status_code == 302
    job = Job.objects.get(kind="archives.index")
    assert response["Location"].endswith(f"/taches/{job.pk}/")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    collection = Collection.objects.get(name="fonds-web")
    assert collection.n_images == 9 and collection.n_errors == 1 and collection.groups.count() == 2
    assert AuditEvent.objects.filter(action="archives_indexation_lancee", object_id=str(collection.pk)).exists()
    # a second indexation while one is queued is refused; the page keeps the form
    client.post(URL, {"name": "fonds-web", "source": "0:fonds"})
    refused = client.post(URL, {"name": "fonds-web", "source": "0:fonds"})
    assert refused.status_code == 400 and "déjà en cours" in refused.content.decode()


@pytest.mark.parametrize(("post", "message"), [
    ({"name": "x", "source": "/etc"}, "Sélectionnez un choix valide"),
    ({"name": "x"}, "l'un ou l'autre"),
    ({"name": "x", "source": "0:../fonds"}, "Sélectionnez un choix valide"),
    ({"name": "Nom avec espaces", "source": "0:fonds"}, "que des lettres"),
])
def test_bad_choices_are_refused_in_french(client_as, roots, post, message):
    response = client_as("responsable_collections").post(URL, post)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page or message.lower() in page.lower()
    assert not Collection.objects.exists() and not Job.objects.exists()


def test_an_uploaded_manifest_and_metadata_are_checked_before_anything_is_written(client_as, roots, tmp_path):
    client = client_as("responsable_collections")
    bad_csv = SimpleUploadedFile("notices.csv", "fichier;LEG\n;sans image\n".encode("cp1252"))
    response = client.post(URL, {"name": "iiif", "manifest": _manifest(), "metadata": bad_csv})
    assert response.status_code == 400
    assert "ligne 2" in html.unescape(response.content.decode())
    assert not Collection.objects.exists() and not Job.objects.exists()
    not_iiif = SimpleUploadedFile("faux.json", b'["pas", "un", "manifeste"]')
    response = client.post(URL, {"name": "iiif", "manifest": not_iiif})
    assert response.status_code == 400 and "IIIF" in response.content.decode()
    leftovers = list((tmp_path / "var" / "archives" / "envois").glob("*"))
    assert leftovers == [] and not Collection.objects.exists()
    response = client.post(URL, {"name": "iiif", "manifest": _manifest()})
    assert response.status_code == 302
    collection = Collection.objects.get(name="iiif")
    assert collection.source.endswith("manifeste.json")
    assert json.loads(open(collection.source, encoding="utf-8").read())["type"] == "Manifest"
