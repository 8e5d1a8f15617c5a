"""The park's classifier trained from the species confirmed in review: refused in French with too few
labels, trained on detector crops with the embedded EfficientNet-Lite0 features as a web job (scientific
lead) and from the command line, cross-validated per species across deployments, stored like uploaded
models and offered by the season form; the unreviewed animal events ranked « à relire en priorité »."""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from amorce.biodiversite import services
from amorce.biodiversite.models import Event, Season
from amorce.core.vision import VisionError, efficientnet
from amorce.web import jobs
from amorce.web.models import AuditEvent

from .samples import save_jpeg, scene
from .test_review import data_dir, species  # noqa: F401  (fixtures)

BOX = {"x": 0.3, "y": 0.3, "w": 0.3, "h": 0.3, "score": 0.9, "label": "animal", "frame": 0}


@pytest.fixture(scope="module")
def features_available():
    """The embedded EfficientNet-Lite0 (converted at install; skipped without its weights)."""
    try:
        efficientnet.embedded_features()
    except VisionError as exc:
        pytest.skip(exc.message)


def animal(kind: str, seed: int) -> Image.Image:
    """A generated frame with a 'species' in the box: a dark blob (fox) or a striped pale one (badger)."""
    image = np.asarray(scene(seed, animal_at=(0.3, 0.3))).copy()
    if kind == "badger":
        image[72:144, 96:192] = [230, 230, 230]
        image[72:144:12, 96:192] = [10, 10, 10]
    return Image.fromarray(image)


def build(tmp_path, labelled: dict[str, int], *, unreviewed: int = 4) -> Season:
    """A season of two deployments; ``labelled``: species -> events per deployment; plus unreviewed
    animal events. One media per event, one animal box on the blob."""
    root = tmp_path / "SD"
    season = Season.objects.create(name="Printemps", source=str(root), detector="embedded")
    t0 = timezone.now().replace(microsecond=0) - timedelta(days=5)
    rows, i = [], 0
    plan = [(k, n) for k, n in labelled.items()] + [("?", unreviewed)]
    for deployment in ("cam1", "cam2"):
        for kind, n in plan:
            for _ in range(n if kind != "?" else n // 2):
                i += 1
                drawn = kind if kind != "?" else ("fox", "badger")[i % 2]
                path = f"{deployment}/IMG_{i:04d}.JPG"
                save_jpeg(animal(drawn, 10 * i + (deployment == "cam2")), root / path, datetime(2024, 5, 1, 6) + timedelta(hours=i))
                start = t0 + timedelta(hours=i)
                media = [{"media_id": f"m{i}", "path": path, "kind": "image", "timestamp": str(start), "motion": [],
                          "detections": [BOX], "error": ""}]
                rows.append(Event(season=season, event_id=f"{kind}-{i:03d}", deployment_id=deployment, start=start,
                                  end=start, observation_type="animal", media=media))
    Event.objects.bulk_create(rows)
    return season


def review_all(season, user, names={"fox": "Renard roux", "badger": "Blaireau européen"}):  # noqa: B006
    for event in season.events.exclude(event_id__startswith="?"):
        services.save_review(event, user, observation_type="animal", taxon=names[event.event_id.split("-")[0]])


def test_too_few_labels_are_refused_in_french(client_as, make_user, species, tmp_path):  # noqa: F811
    season = build(tmp_path, {"fox": 3, "badger": 1}, unreviewed=0)
    lead = client_as("responsable_scientifique", username="chef")
    review_all(season, lead.user)
    page = html.unescape(lead.get(reverse("biodiversite:season", args=[season.pk])).content.decode())
    assert "Entraîner le classifieur sur les relectures" in page and "<i>Vulpes vulpes</i> 6" in page
    response = lead.post(reverse("biodiversite:train", args=[season.pk]), follow=True)
    text = html.unescape(response.content.decode())
    assert "Trop peu d'étiquettes" in text and "au moins 5 événements relus" in text
    assert "Vulpes vulpes : 6, Meles meles : 2" in text
    assert not jobs.Job.objects.exists() and not AuditEvent.objects.filter(action="biodiversite.classifier_training")
    nat = make_user("naturaliste", username="nat")
    lead.force_login(nat)
    assert lead.post(reverse("biodiversite:train", args=[season.pk])).status_code == 403
    assert "Entraîner le classifieur" not in lead.get(reverse("biodiversite:season", args=[season.pk])).content.decode()


def test_trained_from_reviews_by_the_web_job_then_offered_and_ranking_the_rest(
        client_as, species, tmp_path, features_available):  # noqa: F811
    from amorce.biodiversite.season_service import stored_classifiers

    season = build(tmp_path, {"fox": 3, "badger": 3}, unreviewed=4)
    lead = client_as("responsable_scientifique", username="chef")
    review_all(season, lead.user)
    response = lead.post(reverse("biodiversite:train", args=[season.pk]))
    assert response.status_code == 302
    job = jobs.execute(jobs.Job.objects.get(kind="biodiversite.entrainer").pk)
    assert job.status == "succeeded", job.error
    assert AuditEvent.objects.filter(action="biodiversite.classifier_training").count() == 1
    stored = stored_classifiers()
    assert len(stored) == 1 and stored[0][0].startswith(f"relectures-saison-{season.pk}-")
    card = json.loads(services_card(stored[0][0]).read_text(encoding="utf-8"))
    assert card["kind"] == "site" and card["classes"] == ["Meles meles", "Vulpes vulpes"]
    assert card["events_per_class"] == {"Meles meles": 6, "Vulpes vulpes": 6} and card["crops"] == {"détecteur": 12}
    cv = card["cross_validation"]
    assert cv["scheme"] == "deploiements" and cv["folds"] == 2 and cv["events"] == 12
    assert set(cv["per_class"]) == {"Meles meles", "Vulpes vulpes"}
    assert all(row["events"] == 6 and 0 <= row["accuracy"] <= 1 for row in cv["per_class"].values())
    assert card["taxa"]["Vulpes vulpes"] == {"cd_nom": "60585", "nom_francais": "Renard roux"}
    # the job page shows the per-species accuracy; the season form offers the new model
    assert "Exactitude" in html.unescape(lead.get(reverse("jobs:detail", args=[job.pk])).content.decode())
    form = html.unescape(lead.get(reverse("biodiversite:season_new")).content.decode())
    assert stored[0][0] in form and f"exactitude en validation croisée {cv['accuracy'] * 100:.0f} %" in form
    # « à relire en priorité »: the 4 unreviewed animal events, ranked by the new classifier
    season.refresh_from_db()
    ranked = season.summary["review_priority"]["events"]
    assert sorted(ranked) == sorted(season.events.filter(event_id__startswith="?").values_list("event_id", flat=True))
    assert services.queue_ids(season, "priorite") == ranked
    page = html.unescape(lead.get(reverse("biodiversite:season", args=[season.pk])).content.decode())
    assert "À relire en priorité (4)" in page
    first = lead.get(reverse("biodiversite:review", args=[season.pk, ranked[0]]) + "?liste=priorite")
    text = html.unescape(first.content.decode())
    assert "à relire en priorité (incertitude du classifieur)" in text and "événement 1 / 4" in text


def services_card(name: str):
    from amorce.biodiversite.season_service import stored_card

    return stored_card(name)


def test_the_command_line_trains_from_a_season_s_reviews(make_user, species, tmp_path, features_available):  # noqa: F811
    from typer.testing import CliRunner

    from amorce.biodiversite.cli import app

    season = build(tmp_path, {"fox": 3, "badger": 3}, unreviewed=0)
    review_all(season, make_user("naturaliste", username="nat"))
    out = tmp_path / "modele"
    result = CliRunner().invoke(app, ["entrainer", "--depuis-relectures", str(season.pk), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["species"] == ["Meles meles", "Vulpes vulpes"] and summary["crops"] == 12
    assert (out / "modele.json").is_file() and (out / "modele.npz").is_file()
    assert summary["cross_validation"]["scheme"] == "deploiements"
    missing = CliRunner().invoke(app, ["entrainer", "--depuis-relectures", "Hiver", "--out", str(out)])
    assert missing.exit_code == 2 and "saison « Hiver » introuvable" in missing.output
    both = CliRunner().invoke(app, ["entrainer", "x.csv", "--depuis-relectures", "1", "--out", str(out)])
    assert both.exit_code == 2 and "l'un ou l'autre" in both.output


def test_cross_validation_never_tests_on_a_training_deployment():
    from amorce.biodiversite.classifier import cross_validate

    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 8)).astype(np.float32)
    labels = ["a", "b"] * 6
    # class "c" only in deployment d3: never predicted when d3 is held out, its events count as errors
    x = np.vstack([x, rng.normal(size=(2, 8))])
    labels += ["c", "c"]
    groups = ["d1"] * 6 + ["d2"] * 6 + ["d3"] * 2
    cv = cross_validate(x, labels, [f"e{i}" for i in range(14)], groups)
    assert cv["scheme"] == "deploiements" and cv["folds"] == 3 and cv["events"] == 14
    assert cv["per_class"]["c"] == {"events": 2, "correct": 0, "accuracy": 0.0}
    one = cross_validate(x[:12], labels[:12], [f"e{i // 2}" for i in range(12)], ["d1"] * 12)
    assert one["scheme"] == "evenements" and one["events"] == 6  # events scored once, crops never split
