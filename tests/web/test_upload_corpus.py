"""The bad-input corpus of the command line (tests/test_cli_bad_input.py) through the web's upload
forms (issue 19, « make it stay fixed »).

One table, :data:`FORMS`: for each upload form, the role that may use it, the fields posted with the
file, the clean content and the kinds that apply. A refused kind gives the form again (the house's
status for a refused POST, 400, or 200; never a server error) or, for the forms that answer by a
redirection, the page it leads to, with a French message naming the file (and the line where there
is one), and nothing stored: no row, no job, no audit event. An accepted kind (UTF-8 with BOM,
Windows-1252, an extra column) is stored as the clean file is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_cli_bad_input import (
    ACCEPTED,
    DECISIONS,
    DEPLOYMENTS,
    ENGLISH,
    HISTORY,
    SPECIES,
    WITH_LINE,
    _csv,
    content_for,
)

pytestmark = pytest.mark.django_db

THESAURUS = ("uri,prefLabel,altLabel,broader\nhttp://ex.org/t/1,Édifice religieux,Église|Chapelle,\n"
             "http://ex.org/t/2,Château,,http://ex.org/t/1\n")


@dataclass(frozen=True)
class Form:
    role: str
    url: Callable[[], str]  # called inside the test (the objects it needs exist then)
    field: str
    data: dict
    valid: str
    suffix: str
    kinds: dict[str, str | None]
    stored: Callable[[], object]  # what the form stores, comparable between two uploads
    redirects: bool = False  # answers by a redirection and a message instead of the form again


def _ciblage_stored():
    from amorce.ciblage.models import Dataset

    return [(d.format, d.summary.get("inspections"), d.summary.get("establishments")) for d in Dataset.objects.all()]


def _decisions_stored():
    from amorce.web.models import Job

    return [(j.kind, j.params.get("decisions")) for j in Job.objects.filter(kind="decisions.pseudonymise")]


def _deployments_stored():
    from amorce.biodiversite.models import Deployment

    return sorted((d.deployment_id, d.location_name, d.latitude, d.longitude) for d in Deployment.objects.all())


def _species_stored():
    from amorce.biodiversite.services import species_list

    found = species_list()
    return sorted(found.taxa.items()) if found else None


def _thesaurus_stored():
    from amorce.archives.models_labels import Term

    return sorted((t.uri, t.label, tuple(t.alt_labels), tuple(t.broader)) for t in Term.objects.all())


def _attachment_url() -> str:
    from tests.programme.test_web_workflow import make_application, make_call

    return f"/programme/dossiers/{make_application(make_call(), 1).reference}/pieces/"


def _attachments_stored():
    from amorce.programme.models import Attachment

    return sorted((a.kind, a.size, a.sha256) for a in Attachment.objects.all())


def _thesaurus_url() -> str:
    from amorce.archives.models import Collection

    Collection.objects.get_or_create(name="fonds", defaults={"source": "fonds", "store": "fonds"})
    return "/archives/collections/fonds/termes/thesaurus/"


FORMS: dict[str, Form] = {
    "ciblage import": Form(
        "responsable_inspection", lambda: "/ciblage/import/", "files", {"name": "Contrôles", "format": "canonical"},
        HISTORY, ".csv",
        _csv(HISTORY, tronque=HISTORY + "i3;e2;31/02", doublon=HISTORY + "i2;e1;01/06/2022;A améliorer;Hélène\n",
             colonne_manquante=HISTORY.replace(";outcome", "").replace(";Très satisfaisant", "")
             .replace(";A améliorer", ""),
             date_future=HISTORY + "i3;e2;01/06/2099;A améliorer;Hélène\n"), _ciblage_stored),
    "decisions import": Form(
        "magistrat_greffier", lambda: "/decisions/import/", "file", {"format": "jsonl"}, DECISIONS, ".jsonl",
        {"vide": None, "bom": None, "cp1252": None, "binaire": None, "tronque": None, "ligne_enorme": None,
         "doublon": DECISIONS * 2, "colonne_manquante": '{"id": "d1"}\n',
         "colonne_en_plus": DECISIONS.replace('"text"', '"juridiction": "CA Lyon", "text"')}, _decisions_stored),
    "biodiversite deploiements": Form(
        "responsable_scientifique", lambda: "/biodiversite/deploiements/import/", "file", {}, DEPLOYMENTS, ".csv",
        _csv(DEPLOYMENTS, tronque=DEPLOYMENTS + "cam-2,site_A/cam2,Lis",
             doublon=DEPLOYMENTS + DEPLOYMENTS.split("\n")[1] + "\n",
             colonne_manquante=DEPLOYMENTS.replace("deploymentID,", "").replace("cam-é1,", ""),
             date_future=DEPLOYMENTS.replace("2024-05-01", "2099-05-01").replace("2024-06-01", "2099-06-01")),
        _deployments_stored),
    "biodiversite liste d'especes": Form(
        "responsable_scientifique", lambda: "/biodiversite/especes/", "file", {}, SPECIES, ".csv",
        _csv(SPECIES, tronque=SPECIES + "61", doublon=SPECIES + "61058,Capreolus capreolus,Chevreuil\n",
             colonne_manquante=SPECIES.replace("cd_nom,", "").replace("61057,", "").replace("61000,", "")),
        _species_stored),
    "archives thesaurus": Form(
        "responsable_collections", _thesaurus_url, "fichier", {}, THESAURUS, ".csv",
        _csv(THESAURUS, tronque=THESAURUS + '"http://ex.org/t/3,Pon',
             doublon=THESAURUS + "http://ex.org/t/1,Église,,\n",
             colonne_manquante=THESAURUS.replace("uri,", "").replace("http://ex.org/t/1,", "")
             .replace("http://ex.org/t/2,", "")),
        _thesaurus_stored, redirects=True),
    # documents, not tables: the corpus's kinds that apply are the empty file and a binary that is not a
    # PDF, ODT or DOCX (the type is checked by content; a PDF cut short is not detected)
    "programme piece jointe": Form(
        "instructeur", _attachment_url, "file", {"label": "Budget"}, "%PDF-1.7\n%bien typé\n", ".pdf",
        {"vide": None, "binaire": "MZ\x90\x00 un exécutable renommé"}, _attachments_stored, redirects=True),
}


def _cases(accepted: bool) -> list:
    return [pytest.param(name, kind, id=f"{name}-{kind}")
            for name, form in FORMS.items() for kind in form.kinds if (kind in ACCEPTED) == accepted]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"  # nothing may be stored there either
    return settings.AMORCE_DATA_DIR


def _post(client, name: str, kind: str, url: str):
    form = FORMS[name]
    content = content_for(form.valid, form.kinds, kind)
    if kind == "binaire" and form.kinds[kind] is not None:  # the form's own binary
        content = form.kinds[kind].encode("latin-1", "replace")
    upload = SimpleUploadedFile(f"entree{form.suffix}", content, content_type="text/csv")
    return client.post(url, {**form.data, form.field: upload})


@pytest.mark.parametrize(("name", "kind"), _cases(accepted=False))
def test_bad_files_keep_the_form_with_a_french_message_and_store_nothing(name, kind, client_as, data_dir):
    from amorce.web.models import AuditEvent, Job

    form = FORMS[name]
    client = client_as(form.role)
    url = form.url()
    stored, jobs, events = form.stored(), Job.objects.count(), AuditEvent.objects.count()
    response = _post(client, name, kind, url)
    if form.redirects:
        assert response.status_code == 302, response.status_code
        response = client.get(response["Location"])
        assert response.status_code == 200
    else:
        assert response.status_code in (200, 400), response.status_code
        assert f'action="{url}"' in response.content.decode() or "<form" in response.content.decode()
    page = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    alerts = " ".join(re.findall(r"fr-alert--error.*?(?=fr-alert--|$)", page, re.S)) or page
    assert not ENGLISH.search(alerts), ENGLISH.search(alerts)
    assert form.stored() == stored and Job.objects.count() == jobs, "nothing stored"
    assert AuditEvent.objects.count() == events
    if kind in WITH_LINE:
        assert re.search(r"[Ll]igne \d", page), "the message gives the line"
    assert "entree" in page, "the message names the file"  # last: the known case fails only here


@pytest.mark.parametrize(("name", "kind"), _cases(accepted=True))
def test_bom_windows_1252_and_extra_columns_are_stored_as_the_clean_file(name, kind, client_as, data_dir):
    from django.db import transaction

    form = FORMS[name]
    client = client_as(form.role)
    url = form.url()
    results = []
    for case in ("propre", kind):
        sid = transaction.savepoint()
        response = _post(client, name, case, url)
        assert response.status_code == 302, unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))[:1500]
        if form.redirects:
            page = client.get(response["Location"]).content.decode()
            assert "fr-alert--success" in page or "importé" in page
        results.append(form.stored())
        transaction.savepoint_rollback(sid)  # the second upload starts from the same empty state
    assert results[0] == results[1] and results[0]
