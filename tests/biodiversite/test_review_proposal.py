"""The species classifier's proposal on the review pages: shown (taxon, rank after roll-up,
probability, model) on the event, review and list pages, prefilled, accepted with one click."""

from __future__ import annotations

import html

from django.urls import reverse

from amorce.biodiversite.models import Event, Review

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
