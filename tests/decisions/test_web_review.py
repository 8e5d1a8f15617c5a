"""Review interface of pseudonymised decisions: import job, queue, highlighted entities, corrections
(stored and audited), validation, exports, access rules, demo loader."""

from __future__ import annotations

import json
from html import unescape

import pytest

from amorce.decisions.models import Correction, Decision, Entity
from amorce.web import jobs
from amorce.web.models import AuditEvent, Job

pytestmark = pytest.mark.django_db

TEXT_1 = ("COUR D'APPEL DE RENNES\nAPPELANT :\nMonsieur Gaëtan QUILLIVIC, né le 12 avril 1981 à Quimper, "
          "demeurant 14, rue des Genêts, 29000 Quimper\nReprésenté par Maître Hélène MARZIN, avocat au barreau "
          "de Rennes\nM. QUILLIVIC conteste son licenciement. Son voisin Paul, surnommé « le rouquin », a témoigné.\n"
          "Mme Catherine LE BIHAN, présidente\n")
TEXT_2 = ("TRIBUNAL JUDICIAIRE DE LYON\nMadame Nadia HAMMOUDI, demeurant 28, rue du Rouet, 13008 Marseille, "
          "joignable au 06 12 34 56 78.\nMme Hammoudi reste devoir 6 420 euros.\n")


def _upload(client, name: str, content: str, fmt: str = "jsonl"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/decisions/import/", {"format": fmt, "file": SimpleUploadedFile(
        name, content.encode("utf-8"), content_type="application/octet-stream")})


def _import(client, rows: list[dict]) -> Job:
    response = _upload(client, "decisions.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.filter(kind="decisions.pseudonymise").latest("created_at")
    job = jobs.execute(job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


@pytest.fixture
def reviewer(client_as):
    return client_as("magistrat_greffier")


@pytest.fixture
def imported(reviewer):
    _import(reviewer, [
        {"id": "CA-1", "text": TEXT_1, "jurisdiction": "Cour d'appel de Rennes", "chamber": "Chambre sociale",
         "decision_date": "2024-03-14", "solution": "Infirmation"},
        {"id": "TJ-2", "text": TEXT_2}])
    return Decision.objects.get(external_id="CA-1")


def _entity(decision, text, category=None) -> Entity:
    qs = decision.entities.filter(text=text)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("start").first()


def test_import_job_stores_decisions_and_detected_entities(reviewer, imported):
    assert Decision.objects.count() == 2
    d = imported
    assert (d.jurisdiction, d.chamber, d.solution, d.date.isoformat()) == (
        "Cour d'appel de Rennes", "Chambre sociale", "Infirmation", "2024-03-14")
    assert d.status == Decision.Status.TO_REVIEW
    found = {(e.text, e.category) for e in d.entities.all()}
    assert {("Gaëtan", "personnePhysique"), ("QUILLIVIC", "personnePhysique"), ("14, rue des Genêts", "adresse"),
            ("Hélène MARZIN", "professionnelAvocat")} <= found
    for e in d.entities.all():
        assert d.text[e.start:e.end] == e.text and e.source == Entity.Source.AUTO
    assert d.max_doubt == max(e.doubt for e in d.entities.all())
    assert Decision.objects.get(external_id="TJ-2").entities.filter(category="telephoneFax").exists()
    assert AuditEvent.objects.filter(action="decisions_import_started").exists()
    # the texts in clear never enter the job's parameters; their stored copy is deleted once the job
    # succeeded, so a retry asks for a new import
    job = Job.objects.get(kind="decisions.pseudonymise")
    assert set(job.params) == {"decisions", "inputs"} and job.params["decisions"] == 2
    assert "QUILLIVIC" not in json.dumps(job.params) and not (jobs.inputs_dir() / job.params["inputs"]).exists()
    retried = jobs.execute(jobs.retry(job).pk)
    assert retried.status == Job.Status.FAILED and "relancez l'import" in retried.error
    # re-importing the same ids leaves the stored decisions (and their reviews) untouched
    job = _import(reviewer, [{"id": "CA-1", "text": TEXT_1}])
    assert job.result["ignorees"] == 1 and job.result["decisions"] == 0 and Decision.objects.count() == 2


def test_queue_most_doubtful_first_and_review_page_highlights(reviewer, imported):
    other = Decision.objects.get(external_id="TJ-2")
    Decision.objects.filter(pk=other.pk).update(max_doubt=0.9)
    Decision.objects.filter(pk=imported.pk).update(max_doubt=0.1)
    page = reviewer.get("/decisions/").content.decode()
    assert page.index("TJ-2") < page.index("CA-1")
    html = reviewer.get(f"/decisions/{imported.pk}/").content.decode()
    quill = _entity(imported, "QUILLIVIC")
    assert (f'<mark class="decisions-mark decisions-cat-personnePhysique" id="entite-{quill.pk}"><span data-start="{quill.start}">QUILLIVIC'
            in html)
    assert '<span class="fr-sr-only"> [Personne physique]</span></mark>' in html
    assert "Légende" in html and "Adresse" in html
    # the preview is the pseudonymised text: same person, same letter; the lawyer stays in clear
    preview = html.split('id="apercu">')[1].split("</div>")[0]
    assert "Monsieur [A] [B]" in preview and "M. [B] conteste" in preview and "Hélène MARZIN" in preview
    assert "QUILLIVIC" not in preview


def test_corrections_are_stored_audited_and_change_the_preview(reviewer, imported, tmp_path):
    d = imported
    url = f"/decisions/{d.pk}"
    # re-categorise the lawyer as a party: now masked
    lawyer = _entity(d, "Hélène MARZIN")
    reviewer.post(f"{url}/entites/{lawyer.pk}/categorie/", {"category": "personnePhysique"})
    lawyer.refresh_from_db()
    assert lawyer.category == "personnePhysique" and lawyer.doubt == 0
    # remove the birth place
    place = _entity(d, "Quimper", "localite")
    reviewer.post(f"{url}/entites/{place.pk}/supprimer/")
    assert not Entity.objects.filter(pk=place.pk).exists()
    # add the missed first name by its text, then a span by offsets
    assert _entity(d, "rouquin") is None
    reviewer.post(f"{url}/entites/ajouter/", {"category": "personnePhysique", "text": "rouquin", "occurrence": "1"})
    nickname = _entity(d, "rouquin")
    assert nickname.source == Entity.Source.AGENT and d.text[nickname.start:nickname.end] == "rouquin"
    start = d.text.index("Rennes\nM.")
    reviewer.post(f"{url}/entites/ajouter/", {"category": "localite", "start": str(start), "end": str(start + 6)})
    assert d.entities.filter(start=start, end=start + 6, category="localite").exists()
    # an overlapping or absent span is refused in French, nothing stored
    n = d.entities.count()
    clash = reviewer.post(f"{url}/entites/ajouter/", {"category": "adresse", "text": "QUILLIVIC conteste"})
    assert clash.status_code == 400 and "chevauche" in clash.content.decode()
    missing = reviewer.post(f"{url}/entites/ajouter/", {"category": "adresse", "text": "rouquin", "occurrence": "2"})
    assert missing.status_code == 400 and "n'apparaît pas 2 fois" in unescape(missing.content.decode())
    assert d.entities.count() == n

    actions = list(Correction.objects.filter(decision=d).values_list("action", flat=True))
    assert actions == ["recategorise", "remove", "add", "add"]
    recat = Correction.objects.get(decision=d, action="recategorise")
    assert recat.before["category"] == "professionnelAvocat" and recat.after["category"] == "personnePhysique"
    assert recat.created_by == reviewer.user
    assert Correction.objects.get(decision=d, action="remove").after is None
    audited = set(AuditEvent.objects.filter(object_id=str(d.pk)).values_list("action", flat=True))
    assert {"decisions_entity_recategorised", "decisions_entity_removed", "decisions_entity_added"} <= audited

    html = reviewer.get(f"{url}/").content.decode()
    preview = html.split('id="apercu">')[1].split("</div>")[0]
    assert "Hélène MARZIN" not in preview and "rouquin" not in preview and "né le [Date naissance 1] 1981 à Quimper" in preview

    # validate → leaves the queue; corrections are then refused until the review is reopened
    reviewer.post(f"{url}/valider/")
    d.refresh_from_db()
    assert d.status == Decision.Status.VALIDATED and d.validated_by == reviewer.user
    assert AuditEvent.objects.filter(action="decisions_validated", object_id=str(d.pk)).exists()
    assert f'href="/decisions/{d.pk}/">CA-1</a></td>' not in reviewer.get("/decisions/").content.decode()
    reviewer.post(f"{url}/entites/{nickname.pk}/supprimer/")
    assert Entity.objects.filter(pk=nickname.pk).exists()

    # export: only validated decisions, offsets into the original text, the same text as the preview
    response = reviewer.get("/decisions/export.jsonl")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert [row["id"] for row in lines] == ["CA-1"]
    row = lines[0]
    assert row["text_pseudonymised"] == preview.replace("&#x27;", "'")
    assert set(row) == {"id", "text_pseudonymised", "entities"}
    assert len(row["entities"]) == d.entities.count()
    for e in row["entities"]:
        assert d.text[e["start"]:e["end"]] == e["text"]
    by_text = {e["text"]: e for e in row["entities"]}
    assert by_text["rouquin"]["replacement"] and by_text["Hélène MARZIN"]["category"] == "personnePhysique"
    assert by_text["Catherine"]["replacement"] is None  # magistrate kept in clear
    judilibre = json.loads(reviewer.get("/decisions/export.json").content)
    assert judilibre == [{"id": "CA-1", "jurisdiction": "Cour d'appel de Rennes", "chamber": "Chambre sociale",
                          "decision_date": "2024-03-14", "solution": "Infirmation",
                          "text": row["text_pseudonymised"]}]
    # the validated annotations with the original text feed `amorce decisions train` (--gold, --decisions)
    from amorce.decisions.importers import load_annotations, load_decisions

    path = tmp_path / "annotations.jsonl"
    path.write_bytes(reviewer.get("/decisions/export.annotations.jsonl").content)
    [decision] = load_decisions(path)
    assert decision.id == "CA-1" and decision.text == d.text
    gold = load_annotations(path)["CA-1"]
    assert sorted((e.start, e.end, e.category) for e in gold) == sorted(
        (e.start, e.end, e.category) for e in d.entities.all())
    assert AuditEvent.objects.filter(action="decisions_export").count() == 3
    # published after export: still exportable, audited
    reviewer.post("/decisions/publier/")
    d.refresh_from_db()
    assert d.status == Decision.Status.PUBLISHED and AuditEvent.objects.filter(action="decisions_published").exists()
    assert json.loads(reviewer.get("/decisions/export.jsonl").content.decode().splitlines()[0])["id"] == "CA-1"
    assert reviewer.get("/decisions/export.xml").status_code == 404


def test_bad_upload_lists_every_bad_line_in_french_and_saves_nothing(reviewer):
    content = (json.dumps({"id": "ok-1", "text": "Un texte."}) + "\n" + "{pas du json\n"
               + json.dumps({"id": "sans-texte"}) + "\n" + json.dumps({"id": "ok-1", "text": "doublon"}) + "\n")
    response = _upload(reviewer, "lot.jsonl", content)
    body = unescape(response.content.decode())
    assert response.status_code == 400 and "rien n'a été enregistré" in body
    assert "ligne 2" in body and "JSON invalide" in body
    assert "ligne 3" in body and "texte absent ou vide" in body
    assert "ligne 4" in body and "identifiant en double" in body
    assert "/tmp/" not in body
    assert not Job.objects.exists() and not Decision.objects.exists()
    bad_json = _upload(reviewer, "api.json", '{"id": "x"}', fmt="judilibre")
    assert bad_json.status_code == 400 and "texte absent" in bad_json.content.decode()
    assert not Job.objects.exists()


def test_access_is_limited_to_magistrates_clerks_and_administrators(client, client_as, make_user):
    decision = Decision.objects.create(external_id="X-1", text="Texte.")
    urls = ["/decisions/", "/decisions/import/", f"/decisions/{decision.pk}/", "/decisions/export.jsonl"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url
    assert client.post(f"/decisions/{decision.pk}/valider/").status_code == 302
    other = client_as("inspecteur")
    for url in urls:
        assert other.get(url).status_code == 403, url
    assert other.post(f"/decisions/{decision.pk}/valider/").status_code == 403
    assert other.post("/decisions/publier/").status_code == 403
    decision.refresh_from_db()
    assert decision.status == Decision.Status.TO_REVIEW
    admin = make_user("administrateur", username="chef")
    client.force_login(admin)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_demo_loader_pseudonymises_synthetic_decisions(reviewer):
    from amorce.decisions.demo import demo_decisions
    from amorce.decisions.tasks import load_demo
    from amorce.web.jobs import JobContext

    ctx = JobContext(Job.objects.create(kind="demo.load", label="démo"))
    result = load_demo(ctx)
    count = len(demo_decisions())
    assert 5 <= count <= 10 and result["decisions"] == count and Decision.objects.count() == count
    cats = set(Entity.objects.values_list("category", flat=True))
    assert {"personnePhysique", "professionnelMagistratGreffier", "professionnelAvocat", "adresse",
            "numeroIdentifiant"} <= cats
    assert ctx.job.progress == 1.0
    assert load_demo(ctx)["decisions"] == 0 and Decision.objects.count() == count  # idempotent
    first = Decision.objects.order_by("-max_doubt", "external_id").first()
    assert reviewer.get(f"/decisions/{first.pk}/").status_code == 200


def test_review_page_speaks_french_and_maps_the_text_for_selection(reviewer, imported):
    """Categories, detectors and history by their French labels (never « rule:… », « spacy »,
    category codes); the text is cut into pieces whose data-start give positions in the original
    text (what the selection script posts); the selection form posts to the add endpoint."""
    import re

    reviewer.post(f"/decisions/{imported.pk}/entites/ajouter/", {"category": "personnePhysique", "text": "rouquin"})
    html = reviewer.get(f"/decisions/{imported.pk}/").content.decode()
    text = html.split('id="texte"')[1].split("</div>")[0]
    assert not re.search(r"rule:|title:|spacy|modele_de_base|\(personnePhysique\)|\(localite\)", html)
    assert "Règle « " in unescape(html) and "Ajout d'un relecteur" in unescape(html)
    rebuilt = ""
    for start, piece in re.findall(r'<span data-start="(\d+)">([^<]*)</span>', text):
        assert int(start) == len(rebuilt)
        rebuilt += unescape(piece)
    assert rebuilt == imported.text
    form = html.split('id="occulter-selection"')[0].rsplit("<form", 1)[1]
    assert f'action="/decisions/{imported.pk}/entites/ajouter/"' in form
    assert 'name="start"' in html and "decisions/selection.js" in html
    assert 'name="start" class="fr-input"' not in html  # no typing of positions


def test_the_courts_own_seat_in_the_heading_is_not_occulted(reviewer, imported):
    decision = Decision.objects.get(external_id="TJ-2")
    heading_end = decision.text.index("\n")
    assert not decision.entities.filter(start__lt=heading_end).exists(), list(
        decision.entities.filter(start__lt=heading_end).values_list("text", "category", "detector"))
