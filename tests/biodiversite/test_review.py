"""Human review of camera-trap events: agreement numbers, history, bulk confirmation of empty events,
quality-check sample, the export of human answers, and the review pages (roles, CSRF, privacy)."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amorce.biodiversite import services
from amorce.biodiversite.agreement import Answer, agreement, consensus
from amorce.biodiversite.models import Event, Review, ReviewChange, Season
from amorce.core.errors import InputError
from amorce.web.errors import AppendOnlyError
from amorce.web.models import AuditEvent

from .samples import scene

SPECIES = ("cd_nom;nom_scientifique;nom_francais\n60585;Vulpes vulpes;Renard roux\n"
           "60636;Meles meles;Blaireau européen\n60587;Vulpes lagopus;Renard polaire\n61057;Sus scrofa;Sanglier\n")


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path / "data"
    return settings.AMORCE_DATA_DIR


@pytest.fixture
def species(data_dir):
    path = services.species_list_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SPECIES, encoding="utf-8")
    return services.species_list()


def box(x, label="animal", frame=0):
    return {"x": x, "y": 0.2, "w": 0.1, "h": 0.1, "score": 0.8, "label": label, "frame": frame}


def make_season(kinds: dict[str, list[str]], *, thumbs: bool = False) -> Season:
    """A season whose deployments hold events of the given machine types (2 media each; an animal
    event has 2 animal boxes on its first frame, 1 on its second)."""
    season = Season.objects.create(name="Printemps", source="/nulle/part")
    t0 = timezone.now().replace(microsecond=0) - timedelta(days=10)
    rows = []
    for d, (deployment, types) in enumerate(sorted(kinds.items())):
        for i, kind in enumerate(types):
            media = []
            for j in range(2):
                detections = ([box(0.1), box(0.5)] if j == 0 else [box(0.3)]) if kind == "animal" else (
                    [box(0.4, "human")] if kind == "human" else [])
                media.append({"media_id": f"m{d}-{i}-{j}", "path": f"{deployment}/IMG_{i:04d}_{j}.JPG", "kind": "image",
                              "timestamp": "2024-05-10 06:00:00", "motion": [], "detections": detections, "error": ""})
            start = t0 + timedelta(hours=i, days=d)
            rows.append(Event(season=season, event_id=f"e{d}-{i:04d}", deployment_id=deployment, start=start,
                              end=start + timedelta(seconds=2), observation_type=kind, media=media))
    Event.objects.bulk_create(rows)
    if thumbs:
        from amorce.biodiversite.tasks import thumbs_dir

        folder = thumbs_dir(season)
        folder.mkdir(parents=True, exist_ok=True)
        for event in rows:
            for m in event.media:
                buffer = io.BytesIO()
                scene(3, size=(64, 48), animal_at=(0.3, 0.3)).save(buffer, "JPEG")
                (folder / f"{m['media_id']}.jpg").write_bytes(buffer.getvalue())
    return season


# -------------------------------------------------------------------------------------------------
# Agreement (pure)


def test_agreement_rates_and_kappa_on_a_hand_built_case():
    a = [("e1", "animal", "Vulpes vulpes"), ("e2", "animal", "Vulpes vulpes"), ("e3", "blank", ""),
         ("e4", "blank", ""), ("e5", "human", ""), ("e6", "animal", "Meles meles")]
    b = [("e1", "animal", "vulpes  VULPES"), ("e2", "blank", ""), ("e3", "blank", ""), ("e4", "blank", ""),
         ("e5", "human", ""), ("e6", "animal", "Vulpes vulpes")]
    c = [("e5", "human", ""), ("e7", "vehicle", "")]
    answers = [Answer(e, who, t, taxon) for who, rows in (("A", a), ("B", b), ("C", c)) for e, t, taxon in rows]
    report = agreement(answers)
    assert (report.reviewed, report.multi) == (7, 6)
    assert report.type_agreement == pytest.approx(5 / 6)  # e2 only: animal against blank
    assert (report.taxon_events, report.taxon_agreement) == (2, 0.5)  # e1 agrees (case, spaces), e6 does not
    assert [(d.event, d.on_type, d.on_taxon) for d in report.disagreements] == [("e2", True, False), ("e6", False, True)]
    pairs = {p.reviewers: p for p in report.pairs}
    ab = pairs[("A", "B")]
    assert (ab.events, ab.type_agreement, ab.taxon_events, ab.taxon_agreement) == (6, pytest.approx(5 / 6), 2, 0.5)
    # by hand: observed 5/6; chance (3·2 + 2·3 + 1·1)/36 = 13/36; kappa = (5/6 − 13/36)/(1 − 13/36) = 17/23
    assert ab.type_kappa == pytest.approx(17 / 23)
    # full answers: observed 4/6; chance (2·2 + 2·3 + 1·1 + 1·0)/36 = 11/36; kappa = 13/25
    assert ab.answer_kappa == pytest.approx(13 / 25)
    ac = pairs[("A", "C")]
    assert ac.events == 1 and ac.type_agreement == 1 and ac.type_kappa is None  # one category: undefined
    assert ("B", "C") in pairs and len(pairs) == 3
    assert consensus([Answer("e1", "A", "animal", "Vulpes vulpes"), Answer("e1", "B", "animal", "vulpes vulpes")])
    assert consensus([Answer("e6", "A", "animal", "Meles meles"), Answer("e6", "B", "animal", "Vulpes vulpes")]) is None


def test_agreement_command_reads_a_csv_and_reports_every_bad_line(tmp_path):
    from typer.testing import CliRunner

    from amorce.biodiversite.cli import app

    answers = tmp_path / "relectures.csv"
    answers.write_text("evenement;relecteur;type;taxon\ne1;A;animal;Vulpes vulpes\ne1;B;animal;Meles meles\n"
                       "e2;A;blank;\ne2;B;blank;\ne3;A;human;\ne3;B;blank;\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["accord", str(answers), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["multi"], data["type_agreement"], data["taxon_agreement"]) == (3, 2 / 3, 0.0)
    assert [d["event"] for d in data["disagreements"]] == ["e1", "e3"]
    # A: animal, blank, human; B: animal, blank, blank → observed 2/3, chance (1 + 2)/9 = 1/3, kappa 1/2
    assert data["pairs"][0]["type_kappa"] == pytest.approx(0.5)
    text = CliRunner().invoke(app, ["accord", str(answers)]).output
    assert "Désaccord sur e3 : A : human, B : blank" in text and "kappa 0,50" in text
    bad = tmp_path / "mauvais.csv"
    bad.write_text("evenement,relecteur,type\ne1,,animal\ne2,B,oiseau\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["accord", str(bad)])
    assert result.exit_code == 2 and "ligne 2" in result.output and "ligne 3" in result.output and "oiseau" in result.output


# -------------------------------------------------------------------------------------------------
# Services


def test_review_history_records_every_change(make_user, species):
    season = make_season({"cam1": ["animal", "blank"]})
    event = season.events.get(event_id="e0-0000")
    nat = make_user("naturaliste", username="nat", first_name="Camille", last_name="Durand")
    assert services.machine_count(event) == 2  # MaxN: two boxes on the first frame
    review, changed = services.save_review(event, nat, observation_type="animal", taxon="renard roux")
    assert changed and (review.scientific_name, review.vernacular_name, review.cd_nom, review.count) == (
        "Vulpes vulpes", "Renard roux", "60585", 2)
    assert services.save_review(event, nat, observation_type="animal", taxon="Renard roux (Vulpes vulpes)",
                                count=2)[1] is False  # nothing changed: no history row
    services.save_review(event, nat, observation_type="animal", taxon="Vulpes vulpes", count="3", comment="une laie ?")
    changes = list(ReviewChange.objects.filter(event=event))
    assert [c.action for c in changes] == ["creation", "modification"]
    assert changes[0].changes == {"observation_type": [None, "animal"], "scientific_name": [None, "Vulpes vulpes"],
                                  "vernacular_name": [None, "Renard roux"], "cd_nom": [None, "60585"], "count": [None, 2]}
    assert changes[0].user_name == "Camille Durand"
    assert changes[1].changes == {"count": [2, 3], "comment": ["", "une laie ?"]}
    assert "nombre : 2 → 3" in services.change_lines(changes[1])
    with pytest.raises(InputError, match="pas dans la liste d'espèces"):
        services.save_review(event, nat, observation_type="animal", taxon="Loup garou")
    with pytest.raises(InputError, match="plusieurs espèces"):  # « renard »: roux or polaire
        services.save_review(event, nat, observation_type="animal", taxon="Renard")
    with pytest.raises(InputError, match="Nombre d'individus invalide"):
        services.save_review(event, nat, observation_type="animal", taxon="Sanglier", count=0)
    assert Review.objects.get().count == 3 and ReviewChange.objects.count() == 2
    with pytest.raises(AppendOnlyError):
        changes[0].save()
    with pytest.raises(AppendOnlyError):
        ReviewChange.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ReviewChange.objects.filter(pk=changes[0].pk).update(action="arbitrage")


def test_bulk_blank_confirmation_is_one_history_row_per_event(make_user, data_dir):
    season = make_season({"cam1": ["blank", "blank", "animal", "blank"]})
    nat = make_user("naturaliste", username="nat")
    blanks = ["e0-0000", "e0-0001", "e0-0003"]
    with pytest.raises(InputError, match="e0-0002"):  # an animal event is refused, and nothing is written
        services.confirm_blank(season, nat, blanks + ["e0-0002"])
    assert not Review.objects.exists()
    assert services.confirm_blank(season, nat, blanks) == 3
    assert services.confirm_blank(season, nat, blanks) == 0  # already confirmed: no new history
    rows = ReviewChange.objects.all()
    assert sorted(r.event.event_id for r in rows) == blanks and {r.action for r in rows} == {"vide_en_masse"}
    assert set(services.human_answers(season)) == set(blanks)


def test_quality_check_sample_is_reproducible_and_counts_misses(make_user, data_dir):
    season = make_season({"cam1": ["blank"] * 120 + ["animal"] * 5, "cam2": ["blank"] * 3})
    first = services.qc_sample(season)
    assert [(r.deployment_id, r.predicted_blank, len(r.sample)) for r in first] == [("cam1", 120, 6), ("cam2", 3, 3)]
    assert services.qc_sample(season) == first  # same seed, same sample
    cam1 = first[0]
    assert all(e.startswith("e0-") and int(e[3:]) < 120 for e in cam1.sample)  # only events predicted empty
    assert cam1.sample != [f"e0-{i:04d}" for i in range(6)] and cam1.seed != first[1].seed
    nat = make_user("naturaliste", username="nat")
    missed, fine = cam1.sample[0], cam1.sample[1]
    services.save_review(season.events.get(event_id=missed), nat, observation_type="animal", taxon="Blaireau")
    services.save_review(season.events.get(event_id=fine), nat, observation_type="blank")
    again = services.qc_sample(season)[0]
    assert (again.sample, again.reviewed, again.non_empty, again.non_empty_share) == (cam1.sample, 2, [missed], 0.5)
    assert services.queue_ids(season, "controle")[:6] == cam1.sample


def test_export_uses_the_final_or_consensus_human_answer(make_user, species, season_dir, tmp_path):
    from amorce.biodiversite.formats import write_camtrap_dp
    from amorce.biodiversite.ingest import read_deployments, scan
    from amorce.biodiversite.pipeline import analyse_season

    from .test_analyse import _validate_camtrap_dp

    deployments = tmp_path / "deployments.csv"
    deployments.write_text("deploymentID,latitude,longitude,folder\nA1,45.1,6.2,site_A\nB2,45.2,6.3,site_B\n",
                           encoding="utf-8")
    analysis = analyse_season(scan(season_dir, read_deployments(deployments)), engine="serial")
    out = tmp_path / "sortie"
    write_camtrap_dp(analysis, out / "camtrapdp")
    season = Season.objects.create(name="Printemps", source=str(season_dir), output_dir=str(out))
    zone = timezone.get_current_timezone()
    Event.objects.bulk_create([
        Event(season=season, event_id=e.event_id, deployment_id=e.deployment_id, start=timezone.make_aware(e.start, zone),
              end=timezone.make_aware(e.end, zone), observation_type=analysis.decisions[e.event_id],
              media=[{"media_id": m.media_id, "path": m.path, "detections": []} for m in e.media])
        for e in analysis.events])
    consensual, disputed, person, untouched = (e.event_id for e in analysis.events[:4])
    nat, nat2 = make_user("naturaliste", username="nat"), make_user("naturaliste", username="nat2")
    lead = make_user("responsable_scientifique", username="chef")
    for user in (nat, nat2):
        services.save_review(Event.objects.get(event_id=consensual), user, observation_type="animal",
                             taxon="Renard roux", count=2)
    services.save_review(Event.objects.get(event_id=disputed), nat, observation_type="animal", taxon="Blaireau européen")
    services.save_review(Event.objects.get(event_id=disputed), nat2, observation_type="animal", taxon="Sanglier")
    services.save_review(Event.objects.get(event_id=person), nat, observation_type="human")
    machine = {r["eventID"]: r for r in csv.DictReader((out / "camtrapdp" / "observations.csv").open(encoding="utf-8"))}

    def exported():
        folder = tmp_path / "export"
        for name, content in services.export_files(season).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        _validate_camtrap_dp(folder)
        with (folder / "observations.csv").open(encoding="utf-8") as handle:
            observations = {r["eventID"]: r for r in csv.DictReader(handle)}
        with (folder / "media.csv").open(encoding="utf-8") as handle:
            media = list(csv.DictReader(handle))
        return observations, media, json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))

    observations, media, package = exported()
    fox = observations[consensual]
    assert (fox["observationType"], fox["scientificName"], fox["count"], fox["classificationMethod"]) == (
        "animal", "Vulpes vulpes", "2", "human")
    assert fox["classifiedBy"] == "nat, nat2" and fox["classificationProbability"] == ""
    assert observations[disputed] == machine[disputed]  # unsettled disagreement: the machine's answer
    assert observations[untouched] == machine[untouched]
    assert observations[person]["observationType"] == "human"
    person_media = {m.media_id for m in analysis.events[2].media}
    assert {m["filePublic"] for m in media if m["mediaID"] in person_media} == {"false"}
    taxa = {t["scientificName"]: t for t in package["taxonomic"]}
    assert taxa["Vulpes vulpes"] == {"scientificName": "Vulpes vulpes", "taxonRank": "species",
                                     "taxonID": "https://inpn.mnhn.fr/espece/cd_nom/60585",
                                     "vernacularNames": {"fra": "Renard roux"}}
    services.save_review(Event.objects.get(event_id=disputed), lead, observation_type="animal", taxon="Sanglier",
                         final=True)
    observations, _, package = exported()
    assert observations[disputed]["scientificName"] == "Sus scrofa"
    assert observations[disputed]["classifiedBy"] == "chef" and "arbitrée" in observations[disputed]["observationComments"]
    assert "Sus scrofa" in {t["scientificName"] for t in package["taxonomic"]}


# -------------------------------------------------------------------------------------------------
# Pages


def test_naturalist_reviews_with_the_form_and_others_are_refused(client_as, make_user, species, client):
    season = make_season({"cam1": ["animal", "blank", "blank"]}, thumbs=True)
    nat = client_as("naturaliste", username="nat")
    url = reverse("biodiversite:review", args=[season.pk, "e0-0000"])
    page = nat.get(url).content.decode()
    assert '<datalist id="especes">' in page and 'value="Renard roux (Vulpes vulpes)"' in page
    assert "Raccourcis clavier" in page and "biodiversite/review.js" in page and 'value="2"' in page  # MaxN proposed
    response = nat.post(url, {"action": "enregistrer", "observation_type": "animal", "taxon": "Renard roux", "count": "1"})
    assert response.status_code == 302 and "e0-0001" in response["Location"]  # on to the next event
    assert Review.objects.get().scientific_name == "Vulpes vulpes"
    bad = nat.post(url, {"action": "enregistrer", "observation_type": "animal", "taxon": "Licorne"})
    assert bad.status_code == 200 and "pas dans la liste d'espèces" in html.unescape(bad.content.decode())
    empty = nat.post(reverse("biodiversite:review", args=[season.pk, "e0-0001"]), {"action": "vide"})
    assert empty.status_code == 302 and Review.objects.get(event__event_id="e0-0001").observation_type == "blank"
    settle = nat.post(url, {"action": "arbitrer", "observation_type": "blank"})
    assert settle.status_code == 403 and not Review.objects.filter(final=True).exists()
    # the scientific lead settles, and the act is in the audit log
    lead = Client()
    lead.force_login(make_user("responsable_scientifique", username="chef"))
    assert lead.post(url, {"action": "arbitrer", "observation_type": "animal", "taxon": "Blaireau"}).status_code == 302
    assert Review.objects.get(final=True).scientific_name == "Meles meles"
    assert AuditEvent.objects.filter(action="biodiversite.review_settle").count() == 1
    assert "Blaireau européen" in lead.get(url).content.decode()  # the lead sees every answer
    # a role without the camera-trap use case: 403 on every review page
    client.force_login(make_user("inspecteur", username="insp"))
    for name, args in (("review", [season.pk, "e0-0000"]), ("review_blank", [season.pk]), ("review_qc", [season.pk]),
                       ("review_agreement", [season.pk]), ("species", [])):
        assert client.get(reverse(f"biodiversite:{name}", args=args)).status_code == 403, name


def test_review_posts_need_the_csrf_token(make_user, data_dir):
    season = make_season({"cam1": ["blank", "blank"]})
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("naturaliste", username="nat"))
    assert client.post(reverse("biodiversite:review", args=[season.pk, "e0-0000"]), {"action": "vide"}).status_code == 403
    assert client.post(reverse("biodiversite:review_blank", args=[season.pk]), {"evenement": ["e0-0000"]}).status_code == 403
    assert not Review.objects.exists()


def test_bulk_blank_qc_and_agreement_pages(client_as, make_user, species):
    season = make_season({"cam1": ["blank"] * 6 + ["animal"]}, thumbs=True)
    nat = client_as("naturaliste", username="nat")
    page = nat.get(reverse("biodiversite:review_blank", args=[season.pk])).content.decode()
    assert page.count('name="evenement"') == 6
    response = nat.post(reverse("biodiversite:review_blank", args=[season.pk]), {"evenement": ["e0-0000", "e0-0001"]})
    assert response.status_code == 302 and Review.objects.count() == 2
    assert AuditEvent.objects.filter(action="biodiversite.review_bulk_blank").count() == 1
    assert "déjà confirmé par vous" in nat.get(reverse("biodiversite:review_blank", args=[season.pk])).content.decode()
    qc = nat.get(reverse("biodiversite:review_qc", args=[season.pk])).content.decode()
    assert "cam1" in qc and "Relire l'échantillon" in qc and "liste=controle" in qc
    other = make_user("naturaliste", username="nat2")
    services.save_review(season.events.get(event_id="e0-0000"), other, observation_type="animal", taxon="Sanglier")
    services.save_review(season.events.get(event_id="e0-0001"), other, observation_type="blank")
    agreement_page = nat.get(reverse("biodiversite:review_agreement", args=[season.pk])).content.decode()
    assert "50,0\u202f%" in agreement_page and "à arbitrer" in agreement_page
    assert reverse("biodiversite:review", args=[season.pk, "e0-0000"]) in agreement_page
    assert "Sus scrofa" not in agreement_page  # a naturalist does not see the others' answers
    lead = Client()
    lead.force_login(make_user("responsable_scientifique", username="chef"))
    assert "Sus scrofa" in lead.get(reverse("biodiversite:review_agreement", args=[season.pk])).content.decode()


def test_species_list_import_reports_lines(client_as, data_dir):
    lead = client_as("responsable_scientifique", username="chef")
    bad = SimpleUploadedFile("especes.csv", b"cd_nom,nom_scientifique,nom_francais\nabc,Vulpes vulpes,Renard roux\n")
    response = lead.post(reverse("biodiversite:species"), {"file": bad})
    assert response.status_code == 200 and "ligne 2" in response.content.decode()
    assert not services.species_list_path().exists()
    good = SimpleUploadedFile("especes.csv", SPECIES.encode())
    assert lead.post(reverse("biodiversite:species"), {"file": good}).status_code == 302
    assert "Blaireau européen" in lead.get(reverse("biodiversite:species")).content.decode()


def test_event_reviewed_as_person_is_blurred_for_naturalists(client_as, make_user, data_dir, client):
    season = make_season({"cam1": ["animal", "blank"]}, thumbs=True)
    from amorce.biodiversite.tasks import thumbs_dir

    event = season.events.get(event_id="e0-0000")
    media_id = event.media[0]["media_id"]
    clear = (thumbs_dir(season) / f"{media_id}.jpg").read_bytes()
    nat = make_user("naturaliste", username="nat")
    services.save_review(event, nat, observation_type="human")
    assert (thumbs_dir(season) / f"{media_id}.raw.jpg").read_bytes() == clear
    client.force_login(nat)
    thumb = reverse("biodiversite:thumb", args=[season.pk, media_id])
    assert b"".join(client.get(thumb).streaming_content) != clear  # blurred for the naturalist
    assert client.get(thumb + "?brut=1").status_code == 404
    page = client.get(reverse("biodiversite:review", args=[season.pk, "e0-0000"])).content.decode()
    assert "vignettes floutées" in page and "brut=1" not in page
    lead = Client()
    lead.force_login(make_user("responsable_scientifique", username="chef"))
    assert b"".join(lead.get(thumb + "?brut=1").streaming_content) == clear
    assert AuditEvent.objects.filter(action="biodiversite.raw_media_view").count() == 1


def test_zip_export_of_the_page_carries_the_human_answer(client_as, make_user, species, tmp_path):
    season = make_season({"cam1": ["blank"]})
    folder = tmp_path / "out" / "camtrapdp"
    folder.mkdir(parents=True)
    fields = "observationID,deploymentID,mediaID,eventID,eventStart,eventEnd,observationLevel,observationType"
    (folder / "observations.csv").write_text(f"{fields}\nobs-e0-0000,cam1,,e0-0000,2024-05-10T06:00:00+02:00,"
                                             "2024-05-10T06:00:02+02:00,event,blank\n", encoding="utf-8")
    for name in ("deployments.csv", "media.csv"):
        (folder / name).write_text("mediaID,deploymentID,filePublic\n", encoding="utf-8")
    (folder / "datapackage.json").write_text("{}", encoding="utf-8")
    Season.objects.filter(pk=season.pk).update(output_dir=str(tmp_path / "out"))
    services.save_review(season.events.get(), make_user("naturaliste", username="nat"), observation_type="animal",
                         taxon="Sanglier")
    lead = client_as("responsable_scientifique", username="chef")
    archive = zipfile.ZipFile(io.BytesIO(lead.get(reverse("biodiversite:season_export", args=[season.pk])).content))
    row = next(csv.DictReader(io.StringIO(archive.read("observations.csv").decode())))
    assert (row["observationType"], row["scientificName"], row["classificationMethod"]) == ("animal", "Sus scrofa", "human")

