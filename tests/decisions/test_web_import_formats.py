"""Web import of plain-text files and of Label treatment-format files: same import job as JSONL,
size and type checks, French errors naming the file (and the line or record)."""

from __future__ import annotations

import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amorce.core.formats import megabytes
from amorce.decisions.models import Decision
from amorce.web import jobs
from amorce.web.models import AuditEvent, Job

from .test_web_review import TEXT_1, TEXT_2

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(client_as):
    return client_as("magistrat_greffier")


def _file(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _post(client, fmt: str, *files):
    return client.post("/decisions/import/", {"format": fmt, "file": list(files)})


def _run_last_job() -> Job:
    job = jobs.execute(Job.objects.filter(kind="decisions.pseudonymise").latest("created_at").pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def test_several_text_files_become_decisions_named_after_the_files(reviewer):
    response = _post(
        reviewer, "texte", _file("arret-rennes-12.txt", TEXT_1), _file("jugement lyon.txt", TEXT_2)
    )
    assert response.status_code == 302, unescape(response.content.decode())[:2000]
    _run_last_job()
    decision = Decision.objects.get(external_id="arret-rennes-12")
    assert decision.entities.filter(text="QUILLIVIC").exists()
    assert Decision.objects.filter(external_id="jugement lyon").exists()
    event = AuditEvent.objects.get(action="decisions_import_started")
    assert event.details["fichier"] == "2 fichiers texte" and event.details["decisions"] == 2


def test_label_treatment_file_is_imported(reviewer):
    record = {
        "document": {
            "source": "jurinet",
            "documentNumber": 1712,
            "text": TEXT_1,
            "title": "Arrêt",
            "decisionMetadata": {"jurisdiction": "Cour d'appel de Rennes"},
            "status": "free",
        },
        "treatments": [],
    }
    response = _post(reviewer, "label", _file("export_label.json", json.dumps([record], ensure_ascii=False)))
    assert response.status_code == 302, unescape(response.content.decode())[:2000]
    _run_last_job()
    decision = Decision.objects.get(external_id="jurinet:1712")
    assert decision.entities.filter(text="QUILLIVIC").exists()


def _errors(response) -> str:
    assert response.status_code == 400
    assert not Job.objects.exists() and not Decision.objects.exists()
    body = unescape(response.content.decode())
    assert "/tmp/" not in body and "Traceback" not in body
    return body


def test_wrong_type_or_count_is_refused_in_french(reviewer):
    body = _errors(_post(reviewer, "texte", _file("arret.pdf", TEXT_1)))
    assert "fichier arret.pdf : extension « .pdf » non acceptée pour le format « Texte brut »" in body
    body = _errors(_post(reviewer, "jsonl", _file("a.jsonl", "{}"), _file("b.jsonl", "{}")))
    assert "un seul fichier pour le format « JSON Lines »" in body
    body = _errors(_post(reviewer, "texte", _file("scan.txt", b"%PDF-1.7\x00\x01binaire")))
    assert "fichier scan.txt : fichier binaire" in body


def test_bad_text_files_are_all_listed_with_their_name(reviewer, settings):
    body = _errors(
        _post(
            reviewer,
            "texte",
            _file("bon.txt", TEXT_1),
            _file("vide.txt", "  \n"),
            _file("latin1.txt", "Arrêt de la cour".encode("latin-1")),
        )
    )
    assert "fichier vide.txt : fichier vide" in body
    assert "latin1.txt" not in body  # Windows-1252 (Excel, Notepad) is read like UTF-8
    settings.AMORCE_UPLOAD_MAX_BYTES = 100
    body = _errors(_post(reviewer, "texte", _file("bon.txt", TEXT_1)))
    # sizes use the shared French format (non-breaking space before the unit)
    assert f"Les fichiers font {megabytes(len(TEXT_1.encode()))} : la limite est de {megabytes(100)} par import" in body


def test_bad_label_file_names_the_file_and_the_record(reviewer):
    body = _errors(
        _post(reviewer, "label", _file("label.json", json.dumps([{"document": {"source": "jurinet"}}])))
    )
    assert "fichier label.json" in body and "enregistrement n° 1 : texte du document absent" in body
    body = _errors(_post(reviewer, "label", _file("casse.json", "{pas du json")))
    assert "fichier casse.json" in body
