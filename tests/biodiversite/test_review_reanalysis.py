"""A re-analysis of a season keeps its reviews: each moves, with its history, to the new event that
holds the same media files (split or merged events: largest overlap, written in the history); a
review whose media are all gone is archived on the season, never dropped."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from amorce.biodiversite import services
from amorce.biodiversite.models import Event, Review, ReviewChange

from .test_review import data_dir, make_season, species  # noqa: F401  (fixtures)


def new_event(season, event_id, paths, kind="animal", hours=0):
    start = timezone.now().replace(microsecond=0) + timedelta(hours=hours)
    media = [{"media_id": f"n-{p}", "path": p, "kind": "image", "timestamp": "2024-05-10 06:00:00", "motion": [],
              "detections": [], "error": ""} for p in paths]
    return Event(season=season, event_id=event_id, deployment_id="cam1", start=start, end=start, observation_type=kind,
                 media=media)


def test_reanalysis_reattaches_reviews_by_media_and_archives_orphans(make_user, species):  # noqa: F811
    season = make_season({"cam1": ["animal", "animal", "blank", "animal", "blank"]})
    nat, nat2 = make_user("naturaliste", username="nat"), make_user("naturaliste", username="nat2")
    events = {e.event_id: e for e in season.events.all()}
    paths = {k: [m["path"] for m in e.media] for k, e in events.items()}
    services.save_review(events["e0-0000"], nat, observation_type="animal", taxon="Renard roux")
    services.save_review(events["e0-0000"], nat, observation_type="animal", taxon="Blaireau européen")  # 2 history rows
    services.save_review(events["e0-0001"], nat, observation_type="animal", taxon="Sanglier")
    services.save_review(events["e0-0002"], nat2, observation_type="blank")
    services.save_review(events["e0-0003"], nat, observation_type="animal", taxon="Renard roux")
    services.save_review(events["e0-0004"], nat, observation_type="blank")
    # the new analysis: e0-0000 keeps its media under a new id; e0-0001 and e0-0002 merge into one event
    # (nat's and nat2's answers both stay); e0-0003 splits in two (1 media each); e0-0004's media are gone
    rows = [new_event(season, "n-0", paths["e0-0000"]),
            new_event(season, "n-1", paths["e0-0001"] + paths["e0-0002"], hours=1),
            new_event(season, "n-2", paths["e0-0003"][:1], hours=2), new_event(season, "n-3", paths["e0-0003"][1:], hours=3),
            new_event(season, "n-4", ["autre/IMG_9999.JPG"], "blank", hours=4)]
    moved = services.replace_events(season, rows, output_dir="/out", summary={"events": 5}, report={})
    assert moved == {"reattached": 4, "archived": 1}
    assert sorted(season.events.values_list("event_id", flat=True)) == ["n-0", "n-1", "n-2", "n-3", "n-4"]
    fox = Review.objects.get(reviewer=nat, scientific_name="Meles meles")
    assert fox.event.event_id == "n-0"
    assert [c.action for c in fox.changes.order_by("at", "id")] == ["creation", "modification", "reanalyse"]
    assert set(ReviewChange.objects.filter(review=fox).values_list("event__event_id", flat=True)) == {"n-0"}
    merged = Event.objects.get(season=season, event_id="n-1")
    assert sorted(merged.reviews.values_list("reviewer_name", flat=True)) == ["nat", "nat2"]
    note = ReviewChange.objects.get(review__reviewer=nat2, action="reanalyse").changes
    assert note["evenement"] == ["e0-0002", "n-1"] and "fusionnés" in note["note"][1]
    split = Review.objects.get(reviewer=nat, scientific_name="Vulpes vulpes", event__isnull=False)
    assert split.event.event_id == "n-2"
    lines = services.change_lines(split.changes.get(action="reanalyse"))
    assert "événement : e0-0003 → n-2" in lines and any("1 média(s) sur 2 repris ; les autres sont dans n-3" in x
                                                          for x in lines)
    orphan = services.archived_reviews(season).get()
    assert (orphan.archived_event_id, orphan.observation_type, orphan.event) == ("e0-0004", "blank", None)
    assert orphan.changes.filter(action="reanalyse").get().changes["evenement"] == ["e0-0004", None]
    assert ReviewChange.objects.count() == 6 + 5  # nothing of the history is lost, one row per move
    # human answers and the export follow the new events; the archived review counts nowhere
    assert set(services.human_answers(season)) == {"n-0", "n-2"}  # n-1: two reviewers disagree


def test_merge_of_two_events_reviewed_by_the_same_person_keeps_the_latest(make_user, species):  # noqa: F811
    season = make_season({"cam1": ["animal", "animal"]})
    nat = make_user("naturaliste", username="nat")
    events = {e.event_id: e for e in season.events.all()}
    services.save_review(events["e0-0000"], nat, observation_type="animal", taxon="Renard roux")
    services.save_review(events["e0-0001"], nat, observation_type="animal", taxon="Sanglier")
    chef = make_user("responsable_scientifique", username="chef")
    services.save_review(events["e0-0000"], chef, observation_type="animal", taxon="Renard roux", final=True)
    services.save_review(events["e0-0001"], nat, observation_type="animal", taxon="Sanglier", final=True)
    both = [m["path"] for e in events.values() for m in e.media]
    moved = services.replace_events(season, [new_event(season, "n-0", both)], output_dir="", summary={}, report={})
    assert moved == {"reattached": 2, "archived": 2}  # one own review of nat's, one final answer (two givers)
    event = Event.objects.get(season=season)
    assert [(r.scientific_name, r.final) for r in event.reviews.order_by("final")] == [("Sus scrofa", False),
                                                                                      ("Sus scrofa", True)]
    archived = services.archived_reviews(season).get(final=False)
    assert archived.scientific_name == "Vulpes vulpes" and archived.archived_event_id == "e0-0000"
    assert "fusionnés dans n-0" in archived.changes.get(action="reanalyse").changes["note"][1]
    final = services.archived_reviews(season).get(final=True)
    assert final.reviewer_name == "chef" and "réponse finale la plus récente" in final.changes.get(
        action="reanalyse").changes["note"][1]


def test_a_reviewer_person_answer_blurs_the_new_thumbnails(make_user, data_dir):  # noqa: F811
    season = make_season({"cam1": ["animal"]}, thumbs=True)
    nat = make_user("naturaliste", username="nat")
    event = season.events.get()
    services.save_review(event, nat, observation_type="human")
    from amorce.biodiversite.tasks import thumbs_dir

    folder = thumbs_dir(season)
    first = event.media[0]["media_id"]
    raw = (folder / f"{first}.raw.jpg").read_bytes()
    (folder / f"{first}.raw.jpg").unlink()  # as the analysis leaves it: a clear thumbnail, no raw copy
    (folder / f"{first}.jpg").write_bytes(raw)
    row = Event(season=season, event_id="n-0", deployment_id="cam1", start=event.start, end=event.end,
                observation_type="animal", media=event.media)
    services.replace_events(season, [row], output_dir="", summary={}, report={})
    assert (folder / f"{first}.raw.jpg").read_bytes() == raw and (folder / f"{first}.jpg").read_bytes() != raw


def test_the_analysis_job_run_again_keeps_the_reviews(make_user, data_dir, season_dir, client):  # noqa: F811
    import shutil

    from amorce.biodiversite.models import Season, sources_root
    from amorce.web import jobs

    shutil.copytree(season_dir, sources_root() / "saison1")
    chef = make_user("responsable_scientifique", username="chef")

    def run(season):
        job = jobs.enqueue("biodiversite.analyse", {"season_id": season.pk}, user=chef, label="analyse")
        assert jobs.execute(job.pk).status == "succeeded"

    season = Season.objects.create(name="Printemps", source=str(sources_root() / "saison1"), detector="motion")
    run(season)
    first, last = season.events.order_by("start")[0], season.events.order_by("start").last()
    services.save_review(first, chef, observation_type="animal", taxon="Vulpes vulpes")
    services.save_review(last, chef, observation_type="blank")
    gone = [sources_root() / "saison1" / m["path"] for m in last.media]
    for path in gone:
        path.unlink()
    run(season)
    kept = Review.objects.get(scientific_name="Vulpes vulpes")
    assert kept.event.season_id == season.pk and {m["path"] for m in kept.event.media} == {m["path"] for m in first.media}
    assert services.archived_reviews(season).get().archived_event_id == last.event_id
    client.force_login(chef)
    from django.urls import reverse

    page = client.get(reverse("biodiversite:season", args=[season.pk])).content.decode()
    assert "Relectures archivées" in page and last.event_id in page


def test_the_lead_puts_an_archived_review_back_on_an_event_near_its_former_one(make_user, species, client):  # noqa: F811
    from django.urls import reverse

    from amorce.web.models import AuditEvent

    season = make_season({"cam1": ["animal", "animal"]})
    nat, chef = make_user("naturaliste", username="nat"), make_user("responsable_scientifique", username="chef")
    old = season.events.order_by("start")[0]
    services.save_review(old, nat, observation_type="animal", taxon="Renard roux")
    services.save_review(old, chef, observation_type="human", final=True)
    # the media were renamed: the new analysis finds none of them; n-far is the farthest in time
    rows = [new_event(season, "n-near", ["renomme-A.JPG"], hours=-240), new_event(season, "n-far", ["renomme-B.JPG"], hours=5)]
    services.replace_events(season, rows, output_dir="", summary={}, report={})
    archived = services.archived_reviews(season)
    assert archived.count() == 2
    review = archived.get(final=False)
    assert (review.archived_deployment, review.archived_start) == ("cam1", old.start)
    assert [e.event_id for e in services.nearby_events(season, review)] == ["n-near", "n-far"]

    url = reverse("biodiversite:archived", args=[season.pk])
    client.force_login(nat)
    assert client.get(url).status_code == 403  # the scientific lead's page
    client.force_login(chef)
    page = client.get(url).content.decode()
    assert "Renard roux" in page and 'value="n-near"' in page and old.event_id in page
    assert "Les voir et les rattacher" in client.get(reverse("biodiversite:season", args=[season.pk])).content.decode()
    answer = client.post(url, {"relecture": review.pk, "evenement": "inconnu"}, follow=True).content.decode()
    assert "Aucun événement « inconnu »" in answer and services.archived_reviews(season).count() == 2
    client.post(url, {"relecture": review.pk, "evenement": "n-near"})
    review.refresh_from_db()
    assert review.event.event_id == "n-near" and review.archived_season is None and not review.archived_event_id
    assert [c.action for c in review.changes.order_by("at", "id")] == ["creation", "reanalyse", "rattachement"]
    assert set(review.changes.values_list("event__event_id", flat=True)) == {"n-near"}
    assert AuditEvent.objects.filter(action="biodiversite.review_reattach").count() == 1
    again = client.post(url, {"relecture": review.pk, "evenement": "n-far"}, follow=True).content.decode()
    assert "plus archivée" in again  # already put back: nothing changes
    final = services.archived_reviews(season).get()
    services.save_review(Event.objects.get(season=season, event_id="n-far"), chef, observation_type="blank", final=True)
    refused = client.post(url, {"relecture": final.pk, "evenement": "n-far"}, follow=True).content.decode()
    assert "déjà une réponse finale" in refused and services.archived_reviews(season).get() == final
    client.post(url, {"relecture": final.pk, "evenement": "n-near"})
    assert Event.objects.get(season=season, event_id="n-near").reviews.filter(final=True, observation_type="human").exists()
    assert client.post(url, {"relecture": "x", "evenement": "n-near"}).status_code == 302  # a bad id is no 500
