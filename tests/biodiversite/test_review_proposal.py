"""The species classifier's proposal on the review pages: shown (taxon, rank after roll-up,
probability, model) on the event, review and list pages, prefilled, accepted with one click."""

from __future__ import annotations

import html

from django.urls import reverse

from amorce.biodiversite import services
from amorce.biodiversite.models import Event, Review

from .test_evaluate import models  # noqa: F401  (fixture: the embedded detector's weights)
from .test_review import data_dir, make_season, species  # noqa: F401  (fixtures)

FOX = {"label": "Vulpes vulpes", "rank": "espece", "score": 0.8712, "cd_nom": "60585", "nom_francais": "Renard roux",
       "scientific_name": "Vulpes vulpes", "top": [["Vulpes vulpes", 0.8712], ["Meles meles", 0.1]], "crops": 3,
       "count": 2, "model": "classifieur du parc (logistique, EfficientNet-Lite0)"}
GENUS = {"label": "Vulpes", "rank": "genre", "score": 0.7, "cd_nom": "", "nom_francais": "", "scientific_name": "Vulpes",
         "top": [["Vulpes vulpes", 0.4], ["Vulpes lagopus", 0.3]], "crops": 1, "count": 1, "model": "SpeciesNet"}


def test_the_proposal_is_shown_prefilled_and_accepted_in_one_click(client_as, species):  # noqa: F811
    season = make_season({"cam1": ["animal", "animal", "blank"]}, thumbs=True)
    Event.objects.filter(event_id="e0-0000").update(species=FOX)
    Event.objects.filter(event_id="e0-0001").update(species=GENUS)
    nat = client_as("naturaliste", username="nat")
    url = reverse("biodiversite:review", args=[season.pk, "e0-0000"])
    page = html.unescape(nat.get(url).content.decode())
    assert "Proposition du modèle" in page and "Renard roux <i>Vulpes vulpes</i>" in page
    assert "(espèce, probabilité 87 %, classifieur du parc (logistique, EfficientNet-Lite0))" in page
    assert 'name="taxon" value="Renard roux (Vulpes vulpes)"' in page  # prefilled: Enter accepts it
    assert 'value="proposition" id="accepter-proposition" aria-keyshortcuts="A"' in page
    response = nat.post(url, {"action": "proposition", "observation_type": "blank", "taxon": "", "count": ""})
    assert response.status_code == 302 and "e0-0001" in response["Location"]
    review = Review.objects.get()
    assert (review.observation_type, review.scientific_name, review.cd_nom, review.count) == ("animal", "Vulpes vulpes",
                                                                                               "60585", 2)
    # a genus (roll-up) is shown, not offered as a one-click species
    genus_url = reverse("biodiversite:review", args=[season.pk, "e0-0001"])
    genus = html.unescape(nat.get(genus_url).content.decode())
    assert "<i>Vulpes</i></strong> (genre, après remontée, probabilité 70 %, SpeciesNet)" in genus
    assert "accepter-proposition" not in genus and 'name="taxon" value=' not in genus
    refused = nat.post(genus_url, {"action": "proposition"})
    assert refused.status_code == 302 and Review.objects.count() == 1
    # the event list and the event viewer show it too; an event without a classifier shows nothing
    listing = html.unescape(nat.get(reverse("biodiversite:season", args=[season.pk])).content.decode())
    assert listing.count("Proposition du modèle") == 2 and "probabilité 87 %" in listing
    viewer = html.unescape(nat.get(reverse("biodiversite:event", args=[season.pk, "e0-0000"])).content.decode())
    assert "Proposition du modèle : <strong>Renard roux" in viewer
    blank = nat.get(reverse("biodiversite:review", args=[season.pk, "e0-0002"])).content.decode()
    assert "Proposition du modèle" not in blank


def test_without_training_the_priority_list_follows_the_proposals_hesitation(make_user, species):  # noqa: F811
    from amorce.biodiversite import services

    season = make_season({"cam1": ["animal", "animal", "animal", "blank"]})
    Event.objects.filter(event_id="e0-0000").update(species=FOX)  # margin 0.77
    Event.objects.filter(event_id="e0-0001").update(species=GENUS)  # margin 0.1: first
    Event.objects.filter(event_id="e0-0002").update(species={**FOX, "top": [["Vulpes vulpes", 0.5], ["Meles meles", 0.2]]})
    assert services.queue_ids(season, "priorite") == ["e0-0001", "e0-0002", "e0-0000"]
    services.save_review(Event.objects.get(event_id="e0-0001"), make_user("naturaliste"), observation_type="animal",
                         taxon="Renard roux")
    assert services.queue_ids(season, "priorite") == ["e0-0002", "e0-0000"]  # answered: out of the list


def test_the_analysis_job_stores_the_proposal_of_each_animal_event(make_user, data_dir, shared_data, tmp_path,  # noqa: F811
                                                                   models):  # noqa: F811
    """Real ENA24 frames, the embedded detector, a colour ONNX classifier: the job keeps its answer."""
    import shutil

    from amorce.biodiversite.models import Season, sources_root
    from amorce.web import jobs

    from .test_species_analysis import _colour_classifier
    folder = sources_root() / "ena" / "cam1"
    folder.mkdir(parents=True)
    for name in ("2480.jpg", "2573.jpg"):
        shutil.copy(shared_data / "camera_traps" / "ena24_small" / name, folder / name)
    card, species_csv = _colour_classifier(tmp_path)
    chef = make_user("responsable_scientifique", username="chef")
    season = Season.objects.create(name="ENA24", source=str(sources_root() / "ena"), detector="embedded")
    job = jobs.enqueue("biodiversite.analyse", {"season_id": season.pk, "classifier": str(card),
                                                "species_list": str(species_csv)}, user=chef, label="analyse")
    assert jobs.execute(job.pk).status == "succeeded"
    animals = list(season.events.filter(observation_type="animal"))
    assert animals, "the embedded detector finds the animals of these ENA24 frames"
    for event in animals:
        proposal = services.proposal(event)
        assert proposal is not None and proposal.model == "couleur-test" and 0 < proposal.score <= 1
        assert event.species["rank"] in services.RANK_LABELS and event.species["crops"] >= 1
