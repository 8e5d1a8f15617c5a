"""Accessibility (axe-core at 1280 and 390 px), CSP and console of the camera-trap review pages, for the
naturalist and the scientific lead, in headless Chromium; the review is done with the keyboard only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.browser import Visit, account, browser, walk  # noqa: F401  (fixture)

from .test_review import SPECIES, make_season

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_pages_are_accessible_and_keyboard_driven(browser, live_server, settings, tmp_path):  # noqa: F811
    from amorce.biodiversite import services
    from amorce.biodiversite.models import Review

    settings.AMORCE_DATA_DIR = tmp_path / "data"
    services.species_list_path().parent.mkdir(parents=True, exist_ok=True)
    services.species_list_path().write_text(SPECIES, encoding="utf-8")
    season = make_season({"cam1": ["animal", "blank", "blank", "human", "blank", "blank", "blank", "animal"]}, thumbs=True)
    from amorce.biodiversite.models import Event

    from .test_review_proposal import FOX

    season.events.filter(event_id__in=["e0-0000", "e0-0007"]).update(species=FOX)  # the model's proposal
    assert Event.objects.filter(species__rank="espece").count() == 2

    nat, nat2, lead = account("naturaliste", "e2e-nat"), account("naturaliste", "e2e-nat2"), \
        account("responsable_scientifique", "e2e-chef")
    events = {e.event_id: e for e in season.events.all()}
    services.save_review(events["e0-0000"], nat2, observation_type="animal", taxon="Blaireau européen", comment="de nuit")
    services.save_review(events["e0-0001"], nat2, observation_type="blank")
    Review.objects.create(event=None, archived_season=season, archived_event_id="e9-ancien", archived_deployment="cam1",
                          archived_start=events["e0-0002"].start, reviewer=nat2, reviewer_name="e2e-nat2",
                          observation_type="animal", scientific_name="Meles meles", vernacular_name="Blaireau européen")
    review = lambda event_id, query="": reverse("biodiversite:review", args=[season.pk, event_id]) + query  # noqa: E731
    pages = [
        Visit("Saison (liens de relecture)", reverse("biodiversite:season", args=[season.pk])),
        Visit("Relecture d'un événement animal", review("e0-0000")),
        Visit("Relecture d'un événement avec une personne", review("e0-0003")),
        Visit("Confirmer les vides", reverse("biodiversite:review_blank", args=[season.pk])),
        Visit("Contrôle des vides", reverse("biodiversite:review_qc", args=[season.pk])),
        Visit("Accord entre relecteurs", reverse("biodiversite:review_agreement", args=[season.pk])),
    ]

    def keyboard_then_bulk(session, user):
        if user != nat:
            session.page.goto(reverse("biodiversite:review_agreement", args=[season.pk]))
            assert "à arbitrer" in session.page.content()  # the fox against the badger, on e0-0000
            return
        # keyboard only: E goes to the species field, typing a French name ticks « Animal », Enter saves
        page = session.page
        page.goto(review("e0-0000"))
        assert page.get_by_label("Espèce").input_value() == "Renard roux (Vulpes vulpes)"  # prefilled proposal
        page.keyboard.press("e")
        assert page.evaluate("document.activeElement.id") == "id_taxon"
        page.keyboard.type("Renard roux")  # replaces the selected proposal
        assert page.locator("input[name=observation_type][value=animal]").is_checked()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(review("e0-0001"))
        session.check(Visit("Relecture enregistrée (message)", page.url))
        with page.expect_navigation():  # V: empty, and on to the next event
            page.keyboard.press("v")
        assert page.url.endswith(review("e0-0002"))
        with page.expect_navigation():
            page.keyboard.press("p")
        assert page.url.endswith(review("e0-0001"))
        with page.expect_navigation():
            page.keyboard.press("n")
        assert page.url.endswith(review("e0-0002"))
        mine = {r.event.event_id: r for r in Review.objects.filter(reviewer=nat).select_related("event")}
        assert (mine["e0-0000"].scientific_name, mine["e0-0000"].count) == ("Vulpes vulpes", 2)
        assert mine["e0-0001"].observation_type == "blank"
        # bulk confirmation: « Tout cocher » (shown by the script), then one POST
        page.goto(reverse("biodiversite:review_blank", args=[season.pk]))
        page.get_by_role("button", name="Tout cocher sur cette page").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Confirmer vides les événements cochés").click()
        session.check(Visit("Vides confirmés (message)", page.url))
        assert Review.objects.filter(reviewer=nat, observation_type="blank").count() == 5
        # A: the model's proposal accepted with one key
        page.goto(review("e0-0007"))
        with page.expect_navigation():
            page.keyboard.press("a")
        accepted = Review.objects.get(reviewer=nat, event__event_id="e0-0007")
        assert (accepted.observation_type, accepted.scientific_name) == ("animal", "Vulpes vulpes")
        # an invalid species: the form comes back with the French error
        page.goto(review("e0-0000"))
        page.get_by_label("Espèce").fill("Licorne")
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer et passer au suivant (Entrée)").click()
        assert "pas dans la liste" in page.get_by_role("alert").first.inner_text()
        session.check(Visit("Relecture refusée (espèce hors liste)", page.url))
    archived = reverse("biodiversite:archived", args=[season.pk])
    plan = {nat: pages + [Visit("Liste d'espèces (réservée)", reverse("biodiversite:species"), 403),
                          Visit("Relectures archivées (réservées)", archived, 403)],
            lead: pages + [Visit("Liste d'espèces", reverse("biodiversite:species")),
                           Visit("Relectures archivées", archived)]}
    problems, checked = walk(browser, live_server.url, plan, after=keyboard_then_bulk)
    assert checked >= 20
    assert not problems, "\n".join(problems)
