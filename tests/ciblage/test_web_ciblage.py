"""Web UI of targeting: upload with validation, training and scoring jobs, ranked list, plan, roles, demo."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from amorce.ciblage import generate_history
from amorce.ciblage.models import Dataset, Plan, ScoreList, TrainedModel
from amorce.web import jobs
from amorce.web.models import AuditEvent, Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    return tmp_path


@pytest.fixture(scope="module")
def canonical_csv():
    history = generate_history(500, 5000, start="2019-01-01", end="2023-12-31", seed=5, with_complaints=False)
    insp = history.inspections[["inspection_id", "establishment_id", "date", "outcome", "inspector"]].copy()
    insp["date"] = insp["date"].dt.strftime("%Y-%m-%d")
    est = history.establishments[["name", "postcode", "department", "activity", "size", "team"]].reset_index()
    return insp.to_csv(index=False).encode(), est.to_csv(index=False, sep=";").encode()


def upload_files(*pairs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return [SimpleUploadedFile(name, content, content_type="text/csv") for name, content in pairs]


def upload(client, canonical_csv, name="Contrôles de test"):
    insp, est = canonical_csv
    return client.post("/ciblage/import/", {"name": name, "format": "canonical",
                                            "files": upload_files(("inspections.csv", insp), ("etab.csv", est))})


SVG = "{http://www.w3.org/2000/svg}"


def svgs(page: str, count: int) -> list[ET.Element]:
    """The ``count`` charts of a page, parsed (well-formed XML), each with a title and a description."""
    found = [ET.fromstring(m) for m in re.findall(r"<svg xmlns=.*?</svg>", page, re.S)]
    assert len(found) == count, [s.find(f"{SVG}title").text for s in found]
    assert all(s.get("role") == "img" and s.find(f"{SVG}desc").text for s in found)
    return found


def run_latest(kind: str) -> Job:
    job = Job.objects.filter(kind=kind).order_by("-created_at").first()
    job = jobs.execute(job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    return job


def test_upload_valid_files_creates_a_dataset(client_as, canonical_csv, storage):
    client = client_as("responsable_inspection")
    response = upload(client, canonical_csv)
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ciblage/donnees/{dataset.pk}/"
    assert dataset.summary["inspections"] == 5000 and dataset.created_by == client.user
    assert all(p.is_file() for p in dataset.paths()) and str(storage / "media" / "ciblage") in str(dataset.paths()[0])
    assert dataset.load().summary()["establishments"] == 500
    page = client.get(f"/ciblage/donnees/{dataset.pk}/").content.decode()
    assert "Contrôles de test" in page and "Lancer l'entraînement" in page
    assert AuditEvent.objects.filter(action="ciblage_donnees_importees").exists()


def test_upload_with_errors_lists_them_all_and_saves_nothing(client_as, settings, storage):
    client = client_as("responsable_inspection")
    bad = ("inspection_id,establishment_id,date,outcome\n"
           "1,E1,2023-01-05,Satisfaisant\n"
           "2,E1,2023-13-45,Satisfaisant\n"
           "3,E2,2023-02-01,Satisfaisant\n"
           "4,E2,2023-03-01,Plutôt bien\n").encode()
    response = client.post("/ciblage/import/", {"name": "Erroné", "format": "canonical",
                                                "files": upload_files(("controles.csv", bad))})
    page = response.content.decode()
    assert response.status_code == 400 and "fr-alert--error" in page and "rien n'a été enregistré" in page
    assert "ligne 3" in page and "date invalide" in page  # both problems at once, with line numbers
    assert "ligne 5" in page and "résultat d&#x27;inspection inconnu" in page and "controles.csv" in page
    assert not Dataset.objects.exists()
    assert not (storage / "media" / "ciblage").exists() or not any((storage / "media" / "ciblage").iterdir())
    # not a CSV, and too large: refused by the form
    response = client.post("/ciblage/import/", {"name": "X", "format": "canonical",
                                                "files": upload_files(("photo.png", b"\x89PNG"))})
    assert response.status_code == 400 and "seuls les fichiers .csv, .txt, .tsv sont acceptés" in response.content.decode()
    settings.AMORCE_UPLOAD_MAX_BYTES = 50
    response = client.post("/ciblage/import/", {"name": "X", "format": "canonical",
                                                "files": upload_files(("controles.csv", bad))})
    assert response.status_code == 400 and "taille maximale" in response.content.decode()
    assert not Dataset.objects.exists()


def test_train_score_list_explain_and_plan(client_as, canonical_csv):
    client = client_as("responsable_inspection")
    upload(client, canonical_csv)
    dataset = Dataset.objects.get()
    response = client.post(f"/ciblage/donnees/{dataset.pk}/entrainer/", {"ensemble": "0"}, follow=True)
    assert "supérieure ou égale à 1" in response.content.decode() and not Job.objects.exists()
    response = client.post(f"/ciblage/donnees/{dataset.pk}/entrainer/", {"ensemble": "2"})
    job = Job.objects.get(kind="ciblage.train")
    assert response.status_code == 302 and response["Location"] == f"/taches/{job.pk}/"
    job = run_latest("ciblage.train")
    trained = TrainedModel.objects.get()
    assert job.result["model_id"] == trained.pk and job.progress == 1.0
    assert trained.metrics["ensemble"] == 2 and len(trained.load().boosters) == 2
    assert (trained.backtest["rankings"]["model"]["auc"] > 0.55)  # generated risk is learnable
    assert set(trained.backtest["rankings"]) == {"model", "random", "last_outcome", "current_practice"}
    page = client.get(f"/ciblage/donnees/{dataset.pk}/").content.decode()
    assert "ROC AUC" in page and "Jours gagnés" in page and "Plus ancienne inspection d&#x27;abord" in page
    page = client.get(f"/ciblage/modeles/{trained.pk}/").content.decode()
    assert "Fiche modèle" in page and "Courbe de gain du modèle" in page and "<script" not in page.split("</main>")[0]
    # lift and calibration as vector charts next to their tables (no bitmap any more)
    lift, calibration_svg = svgs(page, 2)
    assert lift.find(f"{SVG}title").text == "Courbe de gain du backtest" and "<img" not in page.split("<main")[1]
    assert re.search(r"Backtest du \d+(er)? [a-zéû]+ \d{4} au", page), "backtest period in French words"
    for url in ("/ciblage/", f"/ciblage/donnees/{dataset.pk}/", f"/ciblage/modeles/{trained.pk}/"):
        main = client.get(url).content.decode().split("<main", 1)[1].split("</main>")[0]
        main = re.sub(r"<[^>]+>", " ", main)  # what is read, not the date inputs' machine values
        assert not re.search(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/.-])", main), (url, "ISO date shown")
    assert "amorce/charts.css" in page and len(lift.findall(f".//{SVG}polyline")) == 4  # model and 3 baselines
    assert "Calibration parfaite" in [t.text for t in calibration_svg.iter(f"{SVG}text")]
    calibration = trained.backtest["calibration"]
    assert len(calibration) == 10 and sum(c["n"] for c in calibration) == trained.backtest["inspections"]
    assert calibration[-1]["observed"] > calibration[0]["observed"]  # higher scores, more adverse outcomes
    assert "Calibration du modèle" in page and f"{calibration[0]['n']}</td>" in page
    assert len(calibration_svg.findall(f".//{SVG}circle")) == 10  # one dot per tenth, as the table's rows
    assert client.get(f"/ciblage/modeles/{trained.pk}/lift.png").status_code == 404

    response = client.post(f"/ciblage/modeles/{trained.pk}/scorer/", {f"m{trained.pk}-as_of": "2024-01-01"})
    job = Job.objects.get(kind="ciblage.score")
    assert response["Location"] == f"/taches/{job.pk}/"
    run_latest("ciblage.score")
    scores = ScoreList.objects.get()
    assert scores.count == 500
    frame = scores.frame()
    assert list(frame["rank"].astype(int)) == list(range(1, 501))
    assert scores.frame() is frame and trained.load() is trained.load()  # parsed once per process
    page = client.get(f"/ciblage/classements/{scores.pk}/").content.decode()
    top = frame.iloc[0]
    assert top["establishment_id"] in page and "Raisons principales" in page
    assert "Ordre des ex æquo : probabilité estimée décroissante" in page and "identifiant croissant" in page
    assert "Classement au 1er janvier 2024" in page and "/01/2024" not in page  # French dates ({% load fr %})
    assert top["reasons"].split(" ; ")[0] in page.replace("&#x27;", "'").replace("&quot;", '"')
    second = client.get(f"/ciblage/classements/{scores.pk}/", {"page": 2}).content.decode()
    assert frame["establishment_id"].iloc[50] in second and f"/etablissements/{top['establishment_id']}/" not in second
    dept = frame["department"].iloc[0]
    filtered = client.get(f"/ciblage/classements/{scores.pk}/", {"department": dept}).content.decode()
    assert f"{(frame['department'] == dept).sum()} établissement" in filtered
    # the page and the API take the same filters (one definition) and find the same rows
    query = {"department": dept, "score_min": "0.2", "q": "e"}
    api = client.get(f"/api/ciblage/classements/{scores.pk}", {**query, "limit": 500}).json()
    expected = frame[(frame["department"] == dept) & (frame["score"].astype(float) >= 0.2)
                     & frame["establishment_id"].str.lower().str.contains("e")]
    assert api["count"] == len(expected) > 0
    assert [i["establishment_id"] for i in api["items"]] == list(expected["establishment_id"])
    page = client.get(f"/ciblage/classements/{scores.pk}/", query).content.decode()
    assert f"{len(expected)} établissement" in page and expected["establishment_id"].iloc[0] in page
    sheet = client.get(f"/ciblage/classements/{scores.pk}/etablissements/{top['establishment_id']}/")
    read = re.sub(r"<[^>]+>", " ", sheet.content.decode().split("<main", 1)[1].split("</main>")[0])
    assert not re.search(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/.-])", read), "ISO date on the CRPA sheet"
    assert sheet.status_code == 200 and "R311-3-1-2" in sheet.content.decode()
    # each contribution with its unit and direction, then the variable and its value
    shown = sheet.context["contributions"]
    assert shown and all(c["text"].startswith(("+", "−")) and " en log-cote (cote du risque × " in c["text"]
                         for c in shown)
    assert {c["direction"] for c in shown} <= {"up", "down", "neutral"}
    up = next(c for c in shown if c["direction"] == "up")
    assert "relève le risque) : " + up["label"] + " : " + up["value"] in up["text"]
    assert up["text"].replace("&", "") in sheet.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    # the strongest contributions as a chart (signed bars) and as its table
    chart = svgs(sheet.content.decode(), 1)[0]
    bars = [r for r in chart.iter(f"{SVG}rect") if "amorce-chart__bar" in r.get("class")]
    strongest = sheet.context["strongest"]
    assert len(bars) == len(strongest) == min(10, len(shown)) and strongest == shown[:10]
    assert "amorce-chart__bar--hausse" in bars[[c["direction"] for c in strongest].index("up")].get("class")
    assert f"<td>{up['signed']}</td>" in sheet.content.decode() and up["signed"].startswith("+")
    assert client.get(f"/ciblage/classements/{scores.pk}/etablissements/INCONNU/").status_code == 404

    audit_page = client.get(f"/ciblage/classements/{scores.pk}/equite/", {"top": 100, "ratio": "1.25"})
    text = audit_page.content.decode()
    assert audit_page.status_code == 200 and "Par activité" in text and "Par département" in text
    assert "100 établissements sélectionnés sur 500" in text and "taux de sélection global 20,0\u202f%" in text
    charts = svgs(text, 5)  # one chart per group (département, activité, taille, inspecteur, équipe) beside its table
    assert charts[0].find(f"{SVG}title").text.startswith("Taux de sélection par ")
    assert all("taux global : 20,0\u202f%" in [t.text for t in c.iter(f"{SVG}text")] for c in charts)

    bad = client.post(f"/ciblage/classements/{scores.pk}/plan/", {"capacity": "equipe-1=dix", "weeks": 2,
                                                                   "exploration": 10, "seed": 1}, follow=True)
    assert "Capacité invalide" in bad.content.decode() and not Plan.objects.exists()
    response = client.post(f"/ciblage/classements/{scores.pk}/plan/", {
        "capacity": "equipe-0=5, equipe-1=5", "weeks": 2, "exploration": 20, "seed": 1, "start": "2024-01-01"})
    plan = Plan.objects.get()
    assert response["Location"] == f"/ciblage/plans/{plan.pk}/"
    assert len(plan.rows) == 20 and sum(r["selection"] == "random" for r in plan.rows) == 4
    assert "Télécharger le plan" in client.get(f"/ciblage/plans/{plan.pk}/").content.decode()
    download = client.get(f"/ciblage/plans/{plan.pk}/plan.csv")
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert len(rows) == 20 and rows[0]["planned_date"] == "2024-01-01" and {r["team"] for r in rows} == {
        "equipe-0", "equipe-1"}
    ics = client.get(f"/ciblage/plans/{plan.pk}/plan.ics")
    text = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar") and text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 20 and "DTSTART;VALUE=DATE:20240101" in text

    # feedback: outcomes of the planned inspections, model share against random share
    model_ids = [r["establishment_id"] for r in plan.rows if r["selection"] == "model"]
    random_ids = [r["establishment_id"] for r in plan.rows if r["selection"] == "random"]
    bad = (f"establishment_id,date,outcome\n{model_ids[0]},2024-01-02,A améliorer\n"
           f"INCONNU,2024-01-02,Satisfaisant\n{model_ids[1]},2024-01-03,Moyen\n").encode()
    page = client.post(f"/ciblage/plans/{plan.pk}/resultats/", {"file": upload_files(("r.csv", bad))[0]},
                       follow=True).content.decode()
    assert "rien n'a été enregistré" in page and "ligne 3 : l&#x27;établissement « INCONNU »" in page
    assert "ligne 4, colonne « outcome »" in page
    plan.refresh_from_db()
    assert plan.outcomes == [] and plan.feedback == {}
    good = "establishment_id,date,outcome\n" + "".join(
        f"{e},2024-01-0{2 + i % 3},{'A améliorer' if i < 4 else 'Satisfaisant'}\n" for i, e in enumerate(model_ids[:8]))
    good += "".join(f"{e},2024-01-04,Satisfaisant\n" for e in random_ids[:2])
    client.post(f"/ciblage/plans/{plan.pk}/resultats/", {"file": upload_files(("r.csv", good.encode()))[0]})
    plan.refresh_from_db()
    assert plan.feedback["model"] == {"inspections": 8, "events": 4, "rate": 0.5}
    assert plan.feedback["random"]["inspections"] == 2 and plan.feedback["random"]["rate"] == 0.0
    assert "Choisis par le modèle" in client.get(f"/ciblage/plans/{plan.pk}/").content.decode()
    canonical = client.get(f"/ciblage/plans/{plan.pk}/inspections.csv").content.decode().splitlines()
    assert canonical[0] == "inspection_id,establishment_id,date,outcome,inspector" and len(canonical) == 11

    # drift page: PSI of features and score against the training rows, hit rates per week, warnings
    page = client.get(f"/ciblage/classements/{scores.pk}/derive/").content.decode()
    assert "Dérive des variables et du score" in page and "jours depuis la dernière inspection" in page
    assert "score (probabilité estimée)" in page and "1er janvier 2024" in page  # the planned week (Monday)
    psi, weekly = svgs(page, 2)  # PSI by variable, hit rates by week
    assert psi.find(f"{SVG}title").text.startswith("Dérive des variables") and "1er janv. 2024" in [
        t.text for t in weekly.iter(f"{SVG}text")]
    assert "Moins de 20 contrôles saisis" in page  # 2 random inspections only: not yet reliable

    # retrain from the recorded outcomes: merged into the history, a new model version with its card, audited
    before = len(trained.dataset.load(with_outcomes=False).inspections)
    history = trained.dataset.load()
    assert len(history.inspections) == before + 10
    added = history.inspections[history.inspections["source"] == "résultats saisis des plans"]
    assert set(added["establishment_id"]) == set(model_ids[:8] + random_ids[:2]) and added["adverse"].sum() == 4
    assert "Réentraîner avec les résultats saisis" in client.get(f"/ciblage/plans/{plan.pk}/").content.decode()
    response = client.post(f"/ciblage/plans/{plan.pk}/reentrainer/")
    job = Job.objects.filter(kind="ciblage.train").order_by("-created_at").first()
    assert response["Location"] == f"/taches/{job.pk}/"
    assert AuditEvent.objects.filter(action="ciblage_reentrainement_lance").count() == 1
    run_latest("ciblage.train")
    retrained = TrainedModel.objects.exclude(pk=trained.pk).get()
    assert retrained.as_of == date(2024, 1, 5)  # trained on everything up to the last recorded outcome
    assert "résultats saisis des plans" in str(retrained.card["training_data"])
    assert retrained.version != trained.version and retrained.backtest["inspections"] > 0
    # each model named distinctly: date, number, retrained
    assert trained.display_name.endswith("(v1)") and trained.display_name.startswith("Modèle du ")
    assert retrained.display_name.endswith("(v2, réentraîné avec les résultats saisis)")
    assert retrained.display_name in client.get(f"/ciblage/modeles/{retrained.pk}/").content.decode()


def test_roles_and_login_wall(client, client_as, canonical_csv):
    urls = ["/ciblage/", "/ciblage/import/", "/ciblage/donnees/1/", "/ciblage/modeles/1/", "/ciblage/classements/1/",
            "/ciblage/plans/1/plan.csv", "/ciblage/classements/1/equite/",
            "/ciblage/classements/1/derive/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url
    for role in ("candidat", "jury", "magistrat_greffier"):
        other = client_as(role)
        for url in urls:
            assert other.get(url).status_code == 403, (role, url)
        assert other.post("/ciblage/donnees/1/entrainer/", {}).status_code == 403
        assert other.post("/ciblage/plans/1/reentrainer/", {}).status_code == 403
        other.logout()
    admin = client_as("administrateur")
    assert admin.get("/ciblage/").status_code == 200
    assert upload(admin, canonical_csv).status_code == 302


class FakeContext:
    def __init__(self):
        self.fractions, self.lines = [], []

    def progress(self, done, total=None, message=None):
        self.fractions.append(float(done) / float(total) if total else float(done))

    def log(self, message):
        self.lines.append(message)


def test_demo_loader_trains_and_ranks(client_as):
    from amorce.ciblage.tasks import load_demo

    ctx = FakeContext()
    summary = load_demo(ctx, establishments=600, inspections=4000)
    assert summary["establishments"] > 0 and ctx.fractions and max(ctx.fractions) <= 1.0
    assert ctx.fractions == sorted(ctx.fractions)  # progress never goes back
    again = load_demo(FakeContext(), establishments=600, inspections=4000)  # idempotent: replaces the demo
    assert Dataset.objects.count() == 1 and TrainedModel.objects.count() == 1 and ScoreList.objects.count() == 1
    client = client_as("inspecteur")
    page = client.get(f"/ciblage/classements/{again['score_list']}/").content.decode()
    assert "Classement au" in page and "Fiche CRPA" in page
    assert "Derniers classements" in client.get("/ciblage/").content.decode()


def test_upload_of_a_windows_1252_csv_imports_it(client_as):
    """A CSV saved by Excel in Windows-1252 imports (it used to fail with a server error)."""
    from tests.ciblage.test_importers import WINDOWS_ESTABLISHMENTS, WINDOWS_INSPECTIONS

    client = client_as("responsable_inspection")
    response = client.post("/ciblage/import/", {"name": "Export Excel", "format": "canonical", "files": upload_files(
        ("controles.csv", WINDOWS_INSPECTIONS.encode("cp1252")),
        ("etablissements.csv", WINDOWS_ESTABLISHMENTS.encode("cp1252")))})
    dataset = Dataset.objects.get()
    assert response.status_code == 302 and dataset.summary["inspections"] == 3
    assert dataset.load().establishments.loc["e1", "name"] == "Crêperie « Chez Loïc »"
    # a binary file under a .csv name: a French error on the page, nothing saved
    response = client.post("/ciblage/import/", {"name": "Image", "format": "canonical", "files": upload_files(
        ("controles.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))})
    assert response.status_code == 400 and "fichier binaire" in response.content.decode()
    assert Dataset.objects.count() == 1


def test_list_filter_form_has_the_api_filters():
    """The page's filter form and the API's FilterSchema are one definition: same names."""
    from amorce.ciblage.filters import CHOICE_FILTERS, RankedFilter
    from amorce.ciblage.forms import ListFilterForm

    form = ListFilterForm(choices={name: ["a"] for name in CHOICE_FILTERS})
    assert list(form.fields) == list(RankedFilter.model_fields)
    assert "department" not in ListFilterForm(choices={}).fields  # no value in the list: not offered
