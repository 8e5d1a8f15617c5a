"""The institution's vocabulary on a small real subset (heritage photos): thesaurus import, labelling,
the « Entraîner et proposer » job, reviewing proposals with their provenance, exports; roles and CSRF."""

from __future__ import annotations

import csv
import html
import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from amorce.archives.models import Collection, PhotoTerm, Term
from amorce.web.models import AuditEvent, Job

pytestmark = [pytest.mark.django_db, pytest.mark.data]

CLASSES = ("altar", "gargoyle", "stained_glass")
PER_CLASS = 6
URI = "http://vocab.exemple.gouv.fr/architecture/"


@pytest.fixture(scope="module")
def heritage_store(shared_data, tmp_path_factory):
    """6 real photos of each of 3 classes (first in name order, linked into a folder), indexed with features."""
    from amorce.archives.index import build_index, list_items

    root = shared_data / "heritage_architecture_elements"
    with (root / "labels.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    folder = tmp_path_factory.mktemp("fonds")
    truth = {}
    for label in CLASSES:
        for row in sorted((r for r in rows if r["label"] == label), key=lambda r: r["file"])[:PER_CLASS]:
            (folder / label).mkdir(exist_ok=True)
            link = folder / label / (root / row["file"]).name
            link.symlink_to(root / row["file"])
            truth[f"{label}/{link.name}"] = label
    store = tmp_path_factory.mktemp("store")
    summary = build_index(list_items(folder), store, features=True, engine="serial")
    assert summary.indexed == len(CLASSES) * PER_CLASS and not summary.errors
    return folder, store, truth


@pytest.fixture
def collection(heritage_store):
    from amorce.archives.index import read_rows
    from amorce.archives.tasks import persist_rows

    folder, store, _truth = heritage_store
    item = Collection.objects.create(name="fonds-reel", title="Fonds réel", source=str(folder), store=str(store))
    persist_rows(item, read_rows(store))
    return item


def signed(make_user, role: str, **extra) -> Client:
    client = Client(**extra)
    user = make_user(role, username=f"u-{role}", first_name="Camille", last_name=role.capitalize())
    client.force_login(user)
    client.user = user
    return client


def thesaurus_csv(tmp_path):
    path = tmp_path / "termes.csv"
    lines = ["uri,prefLabel,altLabel,broader", f"{URI}edifice,Édifice religieux,,"]
    lines += [f"{URI}{c},{c.replace('_', ' ').capitalize()},,{URI}edifice" for c in CLASSES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_label_train_review_and_export_keep_the_provenance(collection, heritage_store, make_user, tmp_path):
    from amorce.web import jobs

    _folder, _store, truth = heritage_store
    curator, doc, reader = (signed(make_user, r) for r in ("responsable_collections", "documentaliste", "lecteur"))
    base = f"/archives/collections/{collection.name}/termes/"
    # thesaurus: a broken file is refused with its line, nothing saved; then the real one
    broken = tmp_path / "casse.csv"
    broken.write_text("uri,prefLabel\npas-une-uri,Autel\n", encoding="utf-8")
    with broken.open("rb") as handle:
        page = curator.post(base + "thesaurus/", {"fichier": handle}, follow=True)
    assert "ligne 2 : « pas-une-uri » n'est pas une URI" in html.unescape(page.content.decode())
    assert not Term.objects.exists()
    with thesaurus_csv(tmp_path).open("rb") as handle:
        assert doc.post(base + "thesaurus/", {"fichier": handle}).status_code == 403  # curators only
    with thesaurus_csv(tmp_path).open("rb") as handle:
        curator.post(base + "thesaurus/", {"fichier": handle})
    assert Term.objects.count() == 4 and AuditEvent.objects.filter(action="archives_thesaurus_importe").exists()
    term = {t.uri.rsplit("/", 1)[1]: t for t in Term.objects.all()}
    photos = {p.key: p for p in collection.photos.all()}

    # cold start: the labelling page offers photos without any term; a cataloguer accepts 2 per term
    assert reader.get(f"{base}{term['altar'].pk}/").status_code == 200
    for label in CLASSES:
        chosen = [photos[k].pk for k in sorted(k for k in truth if truth[k] == label)[:2]]
        assert reader.post(f"{base}{term[label].pk}/", {"action": "accepter", "photo": chosen}).status_code == 403
        doc.post(f"{base}{term[label].pk}/", {"action": "accepter", "photo": chosen})
    # multi-label: one photo gets a second term, found by browsing the collection on the term's page
    two_terms = photos[sorted(k for k in truth if truth[k] == "altar")[0]]
    edifice_page = doc.get(f"{base}{term['edifice'].pk}/").content.decode()
    assert f'id="parcourir-{two_terms.pk}"' in edifice_page
    assert f'id="parcourir-{two_terms.pk}"' not in doc.get(f"{base}{term['altar'].pk}/").content.decode()
    doc.post(f"{base}{term['edifice'].pk}/", {"action": "accepter", "photo": [two_terms.pk]})
    accepted = PhotoTerm.objects.filter(status=PhotoTerm.Status.ACCEPTED)
    assert accepted.count() == 7 and accepted.filter(photo=two_terms).count() == 2
    assert all(a.source == "catalogueur" and a.validated_by == doc.user for a in accepted)

    # « Entraîner et proposer »: a job; proposals stay suggestions
    assert reader.post(base + "entrainer/").status_code == 403
    response = doc.post(base + "entrainer/")
    job = Job.objects.get(kind="archives.train")
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    job = jobs.execute(job.pk)
    assert job.status == "succeeded", job.error
    assert job.result["terms_trained"] == 3 and job.result["version"] == 1  # « Édifice » has 1 image: skipped
    proposed = PhotoTerm.objects.filter(status=PhotoTerm.Status.PROPOSED)
    assert proposed.exists() and PhotoTerm.objects.filter(status=PhotoTerm.Status.ACCEPTED).count() == 7
    assert all(p.source == "modele" and 0.5 <= p.confidence <= 1 and p.model_name.endswith("v1") for p in proposed)
    for label in CLASSES:  # on real photos, the most confident proposal of each term is right
        best = proposed.filter(term=term[label]).order_by("-confidence").first()
        assert best is not None and truth[best.photo.key] == label

    # the labelling page now shows the images active learning picked, none already decided
    page = doc.get(f"{base}{term['altar'].pk}/").content.decode()
    assert "Choisies par apprentissage actif" in page
    # review: one by one and in bulk, on the proposals page sorted by confidence
    altar = list(proposed.filter(term=term["altar"]).order_by("-confidence"))
    listing = reader.get(f"{base}{term['altar'].pk}/propositions/").content.decode()
    assert listing.index(altar[0].photo.key) < listing.index(altar[-1].photo.key)
    assert reader.post(f"{base}{term['altar'].pk}/propositions/", {"accepter_un": altar[0].pk}).status_code == 403
    doc.post(f"{base}{term['altar'].pk}/propositions/", {"accepter_un": altar[0].pk})
    if len(altar) > 1:
        doc.post(f"{base}{term['altar'].pk}/propositions/", {"rejeter_un": altar[-1].pk})
    glass = list(proposed.filter(term=term["stained_glass"]))
    doc.post(f"{base}{term['stained_glass'].pk}/propositions/",
             {"action": "accepter", "proposition": [p.pk for p in glass]})
    first = PhotoTerm.objects.get(pk=altar[0].pk)
    assert first.status == "accepte" and first.source == "modele" and first.validated_by == doc.user
    assert first.model_name.endswith("v1") and first.confidence == altar[0].confidence and first.validated_at
    if len(altar) > 1:
        assert PhotoTerm.objects.get(pk=altar[-1].pk).status == "rejete"
    assert PhotoTerm.objects.filter(term=term["stained_glass"], status="propose").count() == 0
    assert AuditEvent.objects.filter(action="archives_proposition_accepter").count() == 2

    # a second run keeps every decision and replaces only the proposals
    decided = dict(PhotoTerm.objects.exclude(status="propose").values_list("pk", "status"))
    second = jobs.execute(jobs.enqueue("archives.train", {"collection_id": collection.pk}).pk)
    assert second.status == "succeeded" and second.result["version"] == 2
    assert dict(PhotoTerm.objects.exclude(status="propose").values_list("pk", "status")) == decided

    # exports: cataloguers only; accepted terms with their justification
    assert reader.get(f"/archives/collections/{collection.name}/export/dc/").status_code == 403
    xml = doc.get(f"/archives/collections/{collection.name}/export/dc/")
    assert xml.status_code == 200 and xml["Content-Type"].startswith("application/xml")
    root = ET.fromstring(xml.content)
    ns = {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "dc": "http://purl.org/dc/elements/1.1/"}
    assert len(root.findall("oai_dc:dc", ns)) == len(truth)
    text = xml.content.decode()
    assert "proposé par le modèle logistique un-contre-tous (EfficientNet-Lite0) v1" in text
    assert "validé par Camille Documentaliste" in text
    annotations = json.loads(doc.get(f"/archives/collections/{collection.name}/export/annotations/").content)
    uris = {a["body"][0]["id"] for a in annotations["items"]}
    assert annotations["@context"] == "http://www.w3.org/ns/anno.jsonld" and f"{URI}edifice" in uris
    assert not any(a["body"][0]["id"] == altar[-1].term.uri and a["target"].endswith(f"/{altar[-1].photo_id}/vignette.jpg")
                   for a in annotations["items"] if len(altar) > 1)
    manifest = doc.get(f"/archives/collections/{collection.name}/export/manifest/?selection=terme:{URI}gargoyle")
    data = json.loads(manifest.content)
    assert data["type"] == "Manifest" and len(data["items"]) == 2  # the two accepted gargoyles
    assert AuditEvent.objects.filter(action="archives_export").count() == 3
    export = f"/archives/collections/{collection.name}/export/"
    for url, message in ((f"{export}manifest/?selection=fichiers:/etc/passwd", "qu'en ligne de commande"),
                         (f"{export}manifest/?selection=groupe:99", "Groupe de doublons 99 inconnu"),
                         (f"{export}marc/", "Format d'export inconnu")):
        page = doc.get(url, follow=True)
        assert page.redirect_chain[-1][0] == base and message in html.unescape(page.content.decode())
    assert AuditEvent.objects.filter(action="archives_export").count() == 3


def test_posts_need_the_csrf_token(collection, make_user, tmp_path):
    from amorce.archives.services import import_thesaurus

    import_thesaurus(collection, thesaurus_csv(tmp_path))
    term = Term.objects.get(uri=URI + "altar")
    client = signed(make_user, "documentaliste", enforce_csrf_checks=True)
    photo = collection.photos.first()
    base = f"/archives/collections/{collection.name}/termes/"
    assert client.post(f"{base}{term.pk}/", {"action": "accepter", "photo": [photo.pk]}).status_code == 403
    assert client.post(base + "entrainer/").status_code == 403
    assert not PhotoTerm.objects.exists()
    page = client.get(f"{base}{term.pk}/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    assert client.post(f"{base}{term.pk}/", {"action": "accepter", "photo": [photo.pk],
                                             "csrfmiddlewaretoken": token}).status_code == 302
    assert PhotoTerm.objects.get().status == "accepte"


def test_training_without_enough_labels_is_a_french_error(collection, tmp_path):
    from amorce.archives.errors import SourceError
    from amorce.archives.services import import_thesaurus, train_and_propose

    import_thesaurus(collection, thesaurus_csv(tmp_path))
    with pytest.raises(SourceError, match="Aucun terme ne peut être appris : il faut, pour un terme, au moins 2"):
        train_and_propose(collection)


def test_cli_thesaurus_and_export(collection, cli, tmp_path, make_user):
    from amorce.archives.services import label_photos

    result = cli("thesaurus", str(thesaurus_csv(tmp_path)), "--collection", collection.name)
    assert result.exit_code == 0 and "4 terme(s)" in result.output
    user = make_user("documentaliste", username="doc", first_name="Léa", last_name="Petit")
    gargoyles = list(collection.photos.filter(key__startswith="gargoyle/")[:2])
    label_photos(Term.objects.get(uri=URI + "gargoyle"), [p.pk for p in gargoyles], user)
    out = tmp_path / "pop.csv"
    result = cli("export", "--collection", collection.name, "--format", "pop", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8"), delimiter=";"))
    indexed = [r for r in rows if r["INDEX"]]
    assert len(rows) == len(CLASSES) * PER_CLASS and len(indexed) == 2
    assert indexed[0]["INDEX_URI"] == URI + "gargoyle" and "indexé par Léa Petit" in indexed[0]["JUSTIFICATION"]
    selection = tmp_path / "liste.txt"
    selection.write_text(gargoyles[0].key + "\nabsente.jpg\n", encoding="utf-8")
    result = cli("export", "--collection", collection.name, "--format", "manifest", "--out", str(tmp_path / "m.json"),
                 "--selection", f"fichiers:{selection}")
    assert result.exit_code == 2 and "absente.jpg" in result.output and not (tmp_path / "m.json").exists()
    result = cli("export", "--collection", "inconnue", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2 and "inconnue de la plateforme" in result.output


def test_exports_carry_the_text_read_and_the_confirmed_rights_never_the_suggestion(collection):
    from amorce.archives.exports import POP_HEADER, pop_rows, web_annotations
    from amorce.archives.models_explore import PhotoAnalysis
    from amorce.archives.services import build_records

    read, suggested = collection.photos.order_by("key")[:2]
    PhotoAnalysis.objects.create(photo=read, ocr_text="Façade ouest, cliché de 1912", ocr_done=True,
                                 rights_flag="visage", rights_suggestion="à vérifier : visage détecté",
                                 rights_status="soumis à autorisation")
    PhotoAnalysis.objects.create(photo=suggested, rights_flag="visage", rights_suggestion="à vérifier : visage détecté")
    records = {r.key: r for r in build_records(collection.photos.filter(pk__in=[read.pk, suggested.pk]),
                                               lambda photo: f"https://exemple.gouv.fr/{photo.pk}.jpg")}
    assert records[read.key].ocr == "Façade ouest, cliché de 1912"
    assert records[read.key].field("rights") == "soumis à autorisation"
    assert records[suggested.key].field("rights") != "à vérifier : visage détecté"  # a suggestion stays inside
    bodies = json.dumps(web_annotations(records.values(), "https://exemple.gouv.fr/annotations"), ensure_ascii=False)
    assert "Façade ouest, cliché de 1912" in bodies and '"transcribing"' in bodies
    diff = [dict(zip(POP_HEADER, row, strict=True))["DIFF"] for row in pop_rows(records.values())]
    assert "soumis à autorisation" in diff and "à vérifier : visage détecté" not in diff
