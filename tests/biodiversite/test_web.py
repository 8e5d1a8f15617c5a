from __future__ import annotations

import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amorce.biodiversite.models import Deployment, Event, Season, sources_root
from amorce.web import jobs
from amorce.web.models import AuditEvent


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    return settings.AMORCE_DATA_DIR


def test_deployments_upload_reports_every_problem_then_saves(client_as, data_dir):
    client = client_as("responsable_scientifique")
    bad = SimpleUploadedFile("d.csv", b"deploymentID,latitude\nA,nord\nA,45\n", content_type="text/csv")
    response = client.post(reverse("biodiversite:upload"), {"file": bad})
    text = response.content.decode()
    assert response.status_code == 200 and "ligne 2" in text and "ligne 3" in text
    assert not Deployment.objects.exists()
    good = SimpleUploadedFile("d.csv", b"deploymentID,locationName,latitude,longitude,folder\nA1,Combe,45.1,6.2,site_A\n",
                              content_type="text/csv")
    assert client.post(reverse("biodiversite:upload"), {"file": good}).status_code == 302
    assert Deployment.objects.get().location_name == "Combe"
    assert "Combe" in client.get(reverse("biodiversite:index")).content.decode()


def test_naturalist_reads_but_may_not_import(client_as, data_dir):
    client = client_as("naturaliste")
    assert client.get(reverse("biodiversite:index")).status_code == 200
    assert client.get(reverse("biodiversite:upload")).status_code == 403
    assert client.get(reverse("biodiversite:season_new")).status_code == 403


def test_season_job_events_viewer_and_blurred_people(client_as, make_user, data_dir, season_dir, client):
    shutil.copytree(season_dir, sources_root() / "saison1")
    scientist = client_as("responsable_scientifique", username="chef")
    response = scientist.post(reverse("biodiversite:season_new"),
                              {"name": "Printemps", "source": "saison1", "detector": "motion"})
    assert response.status_code == 302
    season = Season.objects.get()
    job = jobs.execute(season.job_id)
    assert job.status == "succeeded", job.error
    season.refresh_from_db()
    assert season.summary["media"] == 10 and season.report["skipped"]
    page = scientist.get(reverse("biodiversite:season", args=[season.pk])).content.decode()
    assert "IMG_0003.JPG" in page and "Mouvement non identifié" in page
    event = season.events.first()
    viewer = scientist.get(reverse("biodiversite:event", args=[season.pk, event.event_id])).content.decode()
    assert "Suivant (N)" in viewer and "keydown" in viewer
    media_id = event.media[0]["media_id"]
    assert scientist.get(reverse("biodiversite:thumb", args=[season.pk, media_id])).status_code == 200
    zip_response = scientist.get(reverse("biodiversite:season_export", args=[season.pk]))
    assert zip_response.status_code == 200 and zip_response["Content-Type"] == "application/zip"
    # an event with a person: raw thumbnail only for the scientific lead, access logged
    Event.objects.filter(pk=event.pk).update(observation_type="human")
    from amorce.biodiversite.tasks import thumbs_dir

    (thumbs_dir(season) / f"{media_id}.raw.jpg").write_bytes((thumbs_dir(season) / f"{media_id}.jpg").read_bytes())
    raw_url = reverse("biodiversite:thumb", args=[season.pk, media_id]) + "?brut=1"
    assert scientist.get(raw_url).status_code == 200
    assert AuditEvent.objects.filter(action="biodiversite.raw_media_view").count() == 1
    naturalist = make_user("naturaliste", username="nat")
    client.force_login(naturalist)
    assert client.get(raw_url).status_code == 404
    assert client.get(reverse("biodiversite:thumb", args=[season.pk, media_id])).status_code == 200
    api = client.get(f"/api/biodiversite/saisons/{season.pk}/evenements?type=human").json()
    assert [e["event_id"] for e in api] == [event.event_id]
