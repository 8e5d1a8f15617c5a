"""Text in images (OCR), faces and people for the image-rights review, search and filters,
« plus comme celle-ci »: the pure modules, then the pages (roles, audit, CSRF)."""

from __future__ import annotations

import csv
import random

import pytest

from amorce.archives.ocr import tesseract_status

from .conftest import picture
from .test_web import Ctx

needs_tesseract = pytest.mark.skipif(tesseract_status() is not None,
                                     reason=f"Tesseract absent ({tesseract_status()}) : make tesseract")
CAPTION = "Église Saint-Étienne, façade occidentale.\nCaen (Calvados). Cliché É. Lefèvre, vers 1905."


def caption_image(seed: int = 3):
    from amorce.archives.captions import mounted

    return mounted(picture(seed, 128), CAPTION, rng=random.Random(seed), font="DejaVuSerif.ttf", size=24)


# ------------------------------------------------------------------------------ pure modules
@needs_tesseract
def test_ocr_reads_a_french_caption_with_accents():
    from amorce.archives.ocr import character_error_rate, ocr_image

    result = ocr_image(caption_image())
    assert character_error_rate(CAPTION, result["text"]) < 0.05, result["text"]
    assert "Étienne" in result["text"] and "Cliché" in result["text"]
    assert 0.6 < result["confidence"] <= 1.0
    line = next(li for li in result["lines"] if "Caen" in li["text"])
    x, y, w, h = line["box"]
    assert 0 <= x < 0.2 and y > 0.5 and 0 < w <= 1 and 0 < h < 0.1  # under the photograph, on the mount
    assert all(0 <= word["confidence"] <= 1 for word in line["words"])


@needs_tesseract
def test_ocr_finds_no_readable_text_in_a_plain_picture():
    from amorce.archives.ocr import ocr_image

    assert ocr_image(picture(5, 300))["text"] == ""


def test_ocr_unavailable_is_a_french_error(monkeypatch):
    import pytesseract

    from amorce.archives import ocr

    ocr.tesseract_status.cache_clear()
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    try:
        assert "Tesseract n'est pas installé" in ocr.tesseract_status()
        with pytest.raises(ocr.OcrUnavailable, match="apt-get install tesseract-ocr"):
            ocr.ocr_image(picture(1))
    finally:
        ocr.tesseract_status.cache_clear()


def test_rights_flags_a_face_and_not_a_plain_building(shared_data):
    import numpy as np
    from skimage import data

    from amorce.archives.rights import SUGGESTIONS, analyse_image
    from amorce.core.vision import load_image

    face = analyse_image(data.astronaut())
    assert face["flag"] == "visage" and face["suggestion"] == SUGGESTIONS["visage"]
    x, y, w, h = face["faces"][0]["box"]
    assert 0.3 < x + w / 2 < 0.65 and 0.05 < y + h / 2 < 0.4  # the astronaut's face, upper middle
    from PIL import Image

    folder = shared_data / "heritage_architecture_elements" / "images" / "dome_outer"
    building = Image.fromarray(load_image(sorted(folder.glob("*.jpg"))[0])).resize((512, 512))
    plain = analyse_image(np.asarray(building))
    assert plain["flag"] == "aucun" and plain["faces"] == [] and plain["people"] == []
    assert plain["suggestion"].startswith("libre de droits")


def test_search_text_folds_accents_and_years():
    from amorce.archives.search import query_terms, search_text, year_of

    text = search_text({"title": "Église Saint-Étienne", "creator": "Lefèvre"}, "L'ŒUVRE de l'État", "a/p.jpg")
    assert all(term in text for term in query_terms("eglise ETIENNE lefevre oeuvre etat"))
    assert year_of("vers 1905") == 1905 and year_of("12/03/1923") == 1923 and year_of("s.d.") is None


# ------------------------------------------------------------------------------ pages
@pytest.fixture
def explored(photo_folder, tmp_path):
    """The test folder with a caption on a mount and metadata, indexed with features."""
    from amorce.archives.models import Collection
    from amorce.archives.tasks import index_collection

    caption_image().save(photo_folder / "a" / "montage.jpg", quality=90)
    notices = tmp_path / "notices.csv"
    with notices.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["fichier", "LEG", "AUTP", "DATPV"])
        writer.writerow(["p2.jpg", "Église Sainte-Thérèse, chœur", "Séeberger frères", "vers 1912"])
        writer.writerow(["p3.jpg", "Château de Falaise", "Lefèvre", "1898"])
    collection = Collection.objects.create(name="fonds-explore", title="Fonds exploré", source=str(photo_folder),
                                           store=str(tmp_path / "store"))

    index_collection(Ctx(), collection, metadata_csv=str(notices), features=True, engine="serial")
    return collection


@pytest.mark.django_db
def test_search_filters_and_similar_images(explored, client_as):
    from amorce.archives.models import Photo

    client = client_as("lecteur")
    url = "/archives/collections/fonds-explore/recherche/"
    page = client.get(url, {"q": "eglise sainte therese choeur"}).content.decode()
    assert "a/p2.jpg" in page and "a/p3.jpg" not in page and "1 image(s)" in page
    assert 'alt="Église Sainte-Thérèse, chœur"' in page
    assert "a/p3.jpg" in client.get(url, {"auteur": "Lefèvre"}).content.decode()
    years = client.get(url, {"de": "1900", "a": "1920"}).content.decode()
    assert "a/p2.jpg" in years and "a/p3.jpg" not in years
    bad = client.get(url, {"de": "mil neuf cent"}).content.decode()
    assert "n&#x27;est pas une année" in bad or "n'est pas une année" in bad
    grouped = client.get(url, {"doublons": "oui"}).content.decode()
    assert "a/p0.jpg" in grouped and "b/p1_grey.jpg" in grouped and "a/p3.jpg" not in grouped
    # « plus comme celle-ci »: its near duplicate (a larger mirrored copy) first
    photo = Photo.objects.get(collection=explored, key="a/p0.jpg")
    section = client.get(f"/archives/photos/{photo.pk}/").content.decode().split("Plus comme celle-ci", 1)[1]
    shown = [key for key in sorted({p.key for p in explored.photos.filter(error="")} - {"a/p0.jpg"})]
    assert all(k in section for k in shown), [k for k in shown if k not in section]
    assert min(shown, key=section.index) == "b/p0_mirror_big.jpg"


@needs_tesseract
@pytest.mark.django_db
def test_ocr_text_is_searchable_and_resumable(explored, client_as):
    from amorce.archives.models import Photo
    from amorce.archives.ocr import ocr_collection

    first = ocr_collection(explored.store, engine="serial")
    assert first.analysed == 9 and first.skipped == 0
    assert ocr_collection(explored.store, engine="serial").skipped == 9  # resumable: nothing read twice
    client = client_as("lecteur")
    page = client.get("/archives/collections/fonds-explore/recherche/", {"q": "cliche etienne caen"}).content.decode()
    assert "a/montage.jpg" in page and "a/p2.jpg" not in page
    with_text = client.get("/archives/collections/fonds-explore/recherche/", {"texte": "oui"}).content.decode()
    assert "a/montage.jpg" in with_text and "a/p4.jpg" not in with_text
    photo = Photo.objects.get(collection=explored, key="a/montage.jpg")
    detail = client.get(f"/archives/photos/{photo.pk}/").content.decode()
    assert "Confiance moyenne de la lecture" in detail and "Caen (Calvados)" in detail


@pytest.mark.django_db
def test_rights_review_roles_audit_and_csrf(explored, client_as, tmp_path, monkeypatch):
    import shutil

    from django.test import Client
    from PIL import Image
    from skimage import data

    from amorce.archives.models import Photo
    from amorce.archives.services_explore import rights_job
    from amorce.web.models import AuditEvent, Job

    Image.fromarray(data.astronaut()).save(tmp_path / "astronaute.jpg")
    shutil.copy(tmp_path / "astronaute.jpg", explored.source + "/a/astronaute.jpg")
    from amorce.archives.tasks import index_collection

    index_collection(Ctx(), explored, engine="serial")
    monkeypatch.setenv("AMORCE_ENGINE", "serial")
    assert rights_job(Ctx(), explored.pk) == {"collection": "fonds-explore", "total": 10, "analysed": 10,
                                              "skipped": 0, "errors": 0}
    photo = Photo.objects.get(collection=explored, key="a/astronaute.jpg")
    url = f"/archives/photos/{photo.pk}/"
    reader = client_as("lecteur")
    page = reader.get(url).content.decode()
    assert "Visage détecté" in page and "<rect" in page and "à vérifier : visage détecté" in page
    assert 'name="diff"' not in page
    flagged = reader.get("/archives/collections/fonds-explore/recherche/", {"droits": "a-revoir"}).content.decode()
    assert "a/astronaute.jpg" in flagged and "a/p4.jpg" not in flagged
    assert reader.post(url, {"diff": "non diffusable : droit à l'image"}).status_code == 404
    assert reader.post("/archives/collections/fonds-explore/analyses/", {"action": "droits"}).status_code == 404

    documentalist = client_as("documentaliste", username="doc")
    assert 'name="diff"' in documentalist.get(url).content.decode()
    documentalist.post(url, {"diff": "pas une valeur"})
    photo.analysis.refresh_from_db()
    assert photo.analysis.rights_status == ""
    documentalist.post(url, {"diff": "non diffusable : droit à l'image"})
    photo.analysis.refresh_from_db()
    assert photo.analysis.rights_status == "non diffusable : droit à l'image"
    assert photo.analysis.rights_reviewed_by.username == "doc"
    event = AuditEvent.objects.get(action="archives_droits_diff")
    assert event.details["flag"] == "visage" and event.details["diff"] == "non diffusable : droit à l'image"
    assert event.actor.username == "doc"
    assert "a/astronaute.jpg" not in documentalist.get(
        "/archives/collections/fonds-explore/recherche/", {"droits": "a-revoir"}).content.decode()

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(documentalist.user)
    assert guarded.post(url, {"diff": "diffusable : personnes non identifiables"}).status_code == 403

    curator = client_as("responsable_collections", username="resp")
    response = curator.post("/archives/collections/fonds-explore/analyses/", {"action": "droits"})
    job = Job.objects.get(kind="archives.droits")
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")


def test_cli_rights_and_ocr_errors_in_french(cli, photo_folder, monkeypatch):
    import json

    import pytesseract

    from amorce.archives import ocr

    assert cli("ocr", "--collection", "inconnue").exit_code == 2
    assert cli("index", str(photo_folder), "--collection", "fonds").exit_code == 0
    result = cli("droits", "--collection", "fonds", "--moteur", "serial", "--json")
    summary = json.loads(result.stdout)
    assert result.exit_code == 0 and summary["analysed"] == 8 and summary["flags"] == {"aucun": 8}
    assert json.loads(cli("droits", "--collection", "fonds", "--moteur", "serial", "--json").stdout)["skipped"] == 8
    ocr.tesseract_status.cache_clear()
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    try:
        missing = cli("ocr", "--collection", "fonds")
    finally:
        ocr.tesseract_status.cache_clear()
    assert missing.exit_code == 2 and "Tesseract n'est pas installé" in missing.output
    assert "Traceback" not in missing.output


@pytest.mark.django_db
def test_without_tesseract_the_pages_say_so_and_queue_nothing(explored, client_as, monkeypatch):
    from amorce.archives import ocr
    from amorce.web.models import Job

    monkeypatch.setattr(ocr, "tesseract_status", lambda lang="fra": "La reconnaissance de texte (OCR) n'est pas "
                                                                    "disponible : Tesseract n'est pas installé.")
    curator = client_as("responsable_collections")
    page = curator.get("/archives/collections/fonds-explore/recherche/").content.decode()
    assert "Tesseract n&#x27;est pas installé" in page and 'value="ocr" disabled' in page
    response = curator.post("/archives/collections/fonds-explore/analyses/", {"action": "ocr"}, follow=True)
    assert "Tesseract n&#x27;est pas installé" in response.content.decode() and not Job.objects.exists()
