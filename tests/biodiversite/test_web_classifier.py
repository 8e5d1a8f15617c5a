"""The season form's species classifier and park species list: uploads checked (type, size, the
card's kind and extractor, the arrays against the card, the list line by line, in French), stored
models offered again, and both passed to the analysis pipeline by the job."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amorce.biodiversite import classifier as clf
from amorce.biodiversite.models import Season, sources_root
from amorce.biodiversite.season_service import models_dir, stored_classifiers
from amorce.core.vision import fewshot
from amorce.web import jobs
from amorce.web.models import AuditEvent

SPECIES = "cd_nom;nom_scientifique;nom_francais\n60585;Vulpes vulpes;Renard roux\n60636;Meles meles;Blaireau\n"


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    return settings.AMORCE_DATA_DIR


@pytest.fixture
def model_files(tmp_path):
    """A park classifier on the embedded extractor's 1280 features, as « entrainer » writes it."""
    rng = np.random.default_rng(0)
    features = rng.normal(size=(8, 1280)).astype(np.float32)
    model = fewshot.train(features, ["Vulpes vulpes"] * 4 + ["Meles meles"] * 4, backbone="embedded")
    card = model.save(tmp_path / "modele", kind=clf.SITE)
    return card.read_bytes(), (tmp_path / "modele" / "modele.npz").read_bytes()


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def post(client, **fields):
    data = {"name": "Été", "source": "saison1", "detector": "embedded", **fields}
    return client.post(reverse("biodiversite:season_new"), data)


def test_bad_classifier_and_species_list_are_refused_in_french(client_as, data_dir, season_dir, model_files):
    shutil.copytree(season_dir, sources_root() / "saison1")
    client = client_as("responsable_scientifique")
    card, arrays = model_files
    cases = [
        ({"classifier_card": upload("modele.json", card)}, "Envoyez la fiche (modele.json) et les coefficients"),
        ({"classifier_card": upload("modele.json", b"{pas du json"), "classifier_arrays": upload("modele.npz", arrays)},
         "n'est pas une fiche de modèle JSON lisible"),
        ({"classifier_card": upload("modele.json", json.dumps({"kind": "onnx", "model": "/etc/passwd"})),
          "classifier_arrays": upload("modele.npz", arrays)}, "un modèle ONNX se configure sur le serveur"),
        ({"classifier_card": upload("modele.json", json.dumps({**json.loads(card), "backbone": "onnx:/tmp/x.onnx"})),
          "classifier_arrays": upload("modele.npz", arrays)}, "extracteur « onnx:/tmp/x.onnx » refusé"),
        ({"classifier_card": upload("modele.json", card), "classifier_arrays": upload("modele.npz", b"PK pas un npz")},
         "« modele.npz » ne correspond pas à la fiche"),
        ({"classifier_card": upload("modele.txt", card), "classifier_arrays": upload("modele.npz", arrays)},
         "seuls les fichiers .json sont acceptés"),
        ({"species_list": upload("liste.csv", SPECIES)}, "choisissez aussi un classifieur"),
        ({"classifier_card": upload("modele.json", card), "classifier_arrays": upload("modele.npz", arrays),
          "species_list": upload("liste.csv", SPECIES + "abc;Sus scrofa;Sanglier\n;;\n")}, "ligne 4"),
        ({"classifier_card": upload("modele.json", card), "classifier_arrays": upload("modele.npz", arrays),
          "detector": "motion"}, "choisissez le détecteur intégré"),
    ]
    for fields, message in cases:
        response = post(client, **fields)
        text = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
        assert response.status_code == 200 and message in text, (fields.keys(), message)
        assert "Traceback" not in text
    bad_list = post(client, classifier_card=upload("modele.json", card), classifier_arrays=upload("modele.npz", arrays),
                    species_list=upload("liste.csv", SPECIES + "abc;Sus scrofa;Sanglier\n"))
    text = bad_list.content.decode().replace("&#x27;", "'")
    assert "fichier liste.csv, ligne 4" in text and "identifiant TAXREF invalide" in text
    assert not Season.objects.exists()
    assert not any(p.name.startswith(".envoi-") for p in models_dir().iterdir())  # nothing half-stored


def test_uploaded_classifier_is_stored_and_passed_to_the_pipeline(client_as, data_dir, season_dir, model_files):
    shutil.copytree(season_dir, sources_root() / "saison1")
    client = client_as("responsable_scientifique")
    card, arrays = model_files
    response = post(client, classifier_card=upload("renard-blaireau.json", card),
                    classifier_arrays=upload("renard-blaireau.npz", arrays), species_list=upload("liste.csv", SPECIES))
    assert response.status_code == 302, response.content.decode()[-2000:]
    stored = stored_classifiers()
    assert len(stored) == 1 and stored[0][0].startswith("renard-blaireau-")
    assert AuditEvent.objects.filter(action="biodiversite.classifier_upload").count() == 1
    # the job runs with motion only (the embedded detector's weights may be absent here): the pipeline
    # still loads the classifier and the species list, and names the classifier in the summary
    Season.objects.update(detector="motion")
    season = Season.objects.get()
    job = jobs.execute(season.job_id)
    assert job.status == "succeeded", job.error
    season.refresh_from_db()
    assert season.summary["classifier"].startswith("classifieur du parc (logistique")
    assert set(season.summary["species"]) <= {"Vulpes vulpes", "Meles meles", "indéterminé", "Renard roux", "Blaireau"}
    # the stored model is offered on the next season; choosing it needs no upload
    page = client.get(reverse("biodiversite:season_new")).content.decode()
    assert stored[0][0] in page
    again = post(client, name="Automne", classifier=stored[0][0])
    assert again.status_code == 302
    assert jobs.Job.objects.order_by("-created_at").first().params["classifier"].endswith("modele.json")
    assert post(client, name="X", classifier="../../etc").status_code == 200  # not a stored model: refused
