"""Clusters and the 2-D map of a collection: k-means and PCA on the stored features (reproducible,
stored next to the index), the pages (roles, job, accessible map with its table) and the bulk
validation of a term from a cluster (audited, only the cluster's proposals)."""

from __future__ import annotations

import html

import numpy as np
import pytest

from amorce.archives import explore
from amorce.archives.errors import SourceError

from .test_explore import explored  # noqa: F401  (the indexed test folder, with features)


def blobs(seed: int = 0, per: int = 30):
    """Three well separated groups of 64-d vectors, keys named after their group."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, 64)) * 5
    matrix = np.concatenate([c + rng.normal(size=(per, 64)) for c in centres]).astype(np.float32)
    keys = [f"g{g}/{i:03d}.jpg" for g in range(3) for i in range(per)]
    return keys, matrix


def test_kmeans_finds_the_groups_reproducibly_and_is_stored(tmp_path):
    keys, matrix = blobs()
    result = explore.compute(keys, matrix, k=3, seed=7)
    groups = {}
    for key, label in zip(keys, result.labels, strict=True):
        groups.setdefault(key.split("/")[0], set()).add(int(label))
    assert all(len(v) == 1 for v in groups.values()) and len({min(v) for v in groups.values()}) == 3
    assert sorted(result.sizes()) == [30, 30, 30] and result.rule == "utilisateur"
    # representatives: the members closest to the centroid, in that order
    first = result.members(0)
    reps = result.representatives(0)
    assert reps == first[:explore.REPRESENTATIVES]
    distances = [float(result.distances[keys.index(k)]) for k in first]
    assert distances == sorted(distances)
    assert result.xy.shape == (90, 2) and 0 < sum(result.explained) <= 1
    again = explore.compute(keys, matrix, k=3, seed=7)
    assert np.array_equal(again.labels, result.labels) and np.allclose(again.xy, result.xy)
    path = explore.save(tmp_path, result)
    loaded = explore.load(tmp_path)
    assert path.name == "clusters.npz" and not list(path.parent.glob(".*tmp*"))
    assert loaded.keys == keys and np.array_equal(loaded.labels, result.labels) and loaded.seed == 7
    assert explore.load(tmp_path / "nothing") is None


def test_the_stated_rule_for_k_and_bad_requests():
    assert [explore.default_k(n) for n in (2, 9, 50, 200, 1_000_000)] == [2, 2, 5, 10, 30]
    keys, matrix = blobs(per=10)
    assert explore.compute(keys, matrix).k == explore.default_k(30) == 4
    assert explore.compute(keys, matrix).rule == "automatique"
    with pytest.raises(SourceError, match="Nombre de regroupements invalide : 31"):
        explore.compute(keys, matrix, k=31)
    with pytest.raises(SourceError, match="au moins deux images"):
        explore.compute([], None)
    sample = explore.compute(*blobs(per=700), k=3).sample()
    assert len(sample) == explore.MAP_POINTS and sample == sorted(set(sample))


def test_real_photos_cluster_by_architectural_element(shared_data, tmp_path):
    """On 3 × 8 real heritage photos (gargoyles, stained glass, domes), with the embedded features."""
    import csv

    from amorce.archives.index import build_index, list_items, read_features

    root = shared_data / "heritage_architecture_elements"
    with (root / "labels.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    folder = tmp_path / "fonds"
    for label in ("gargoyle", "stained_glass", "dome_outer"):
        (folder / label).mkdir(parents=True)
        for row in sorted((r for r in rows if r["label"] == label), key=lambda r: r["file"])[:8]:
            (folder / label / (root / row["file"]).name).symlink_to(root / row["file"])
    build_index(list_items(folder), tmp_path / "store", features=True, engine="serial")
    keys, matrix = read_features(tmp_path / "store")
    result = explore.compute(keys, matrix, k=3, seed=0)
    majority = 0
    for cluster in range(3):
        labels = [k.split("/")[0] for k in result.members(cluster)]
        majority += max(labels.count(name) for name in set(labels))
    purity = majority / len(keys)
    assert purity >= 0.8, purity


# ------------------------------------------------------------------------------ pages
def _thesaurus(collection, tmp_path):
    from amorce.archives import services

    path = tmp_path / "termes.csv"
    path.write_text("uri,prefLabel\nhttp://vocab.exemple.fr/a,Façade\nhttp://vocab.exemple.fr/b,Vitrail\n",
                    encoding="utf-8")
    services.import_thesaurus(collection, path)
    from amorce.archives.models import Term

    return Term.objects.get(label="Façade")


@pytest.mark.django_db
def test_clusters_job_page_map_and_bulk_validation(explored, make_user, tmp_path):  # noqa: F811
    from django.test import Client

    from amorce.archives.models import Photo, PhotoTerm
    from amorce.web import jobs
    from amorce.web.models import AuditEvent, Job

    reader, doc = Client(), Client()
    reader.force_login(make_user("lecteur", username="lect"))
    doc.user = make_user("documentaliste", username="doc")
    doc.force_login(doc.user)
    url = "/archives/collections/fonds-explore/regroupements/"
    assert "pas encore été calculés" in reader.get(url).content.decode()
    assert reader.post(url, {"k": "3"}).status_code == 404
    bad = doc.post(url, {"k": "1"}, follow=True).content.decode()
    assert "un entier de 2 à 100" in html.unescape(bad) and not Job.objects.exists()
    response = doc.post(url, {"k": "3", "graine": "5"})
    job = Job.objects.get(kind="archives.regroupements")
    assert response.status_code == 302 and job.params["k"] == 3
    job = jobs.execute(job.pk)
    assert job.status == "succeeded", job.error
    assert job.result["k"] == 3 and job.result["images"] == 9  # the corrupt file is left out
    result = explore.load(explored.store)
    page = reader.get(url).content.decode()
    assert page.count('href="/archives/collections/fonds-explore/regroupements/') == 3
    assert "graine 5" in page and "<svg" in page and 'role="group"' in page
    # every point is a link to its photo with a <title> (for the mouse), and the table repeats them
    photo = Photo.objects.get(collection=explored, key="a/p0.jpg")
    number = int(result.labels[result.keys.index("a/p0.jpg")]) + 1
    assert f'<a href="/archives/photos/{photo.pk}/" tabindex="-1">' in page
    assert f"<title>a/p0.jpg — regroupement {number}</title>" in page
    assert f'<td><a href="/archives/photos/{photo.pk}/">a/p0.jpg</a></td><td>{number}</td>' in page
    detail = reader.get(f"/archives/photos/{photo.pk}/").content.decode()
    assert f'<a href="{url}{number}/">regroupement {number}</a>' in detail

    # a cluster page lists its photos; a cataloguer accepts a term's proposals for all of them at once
    term = _thesaurus(explored, tmp_path)
    members = [Photo.objects.get(collection=explored, key=k) for k in result.members(number - 1)]
    outside = Photo.objects.filter(collection=explored, error="").exclude(pk__in=[m.pk for m in members]).first()
    for p in [*members, outside]:
        PhotoTerm.objects.create(photo=p, term=term, status="propose", source="modele", confidence=0.7,
                                 model_name="test v1")
    cluster_url = f"{url}{number}/"
    listing = reader.get(cluster_url).content.decode()
    assert all(m.key in listing for m in members) and outside.key not in listing
    assert "Accepter les propositions" not in listing
    assert reader.post(cluster_url, {"terme": term.pk, "action": "accepter"}).status_code == 404
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(doc.user)
    assert forged.post(cluster_url, {"terme": term.pk, "action": "accepter"}).status_code == 403
    assert f"Façade ({len(members)})" in doc.get(cluster_url).content.decode()
    done = doc.post(cluster_url, {"terme": term.pk, "action": "accepter"}, follow=True).content.decode()
    assert f"{len(members)} proposition(s) acceptée(s)" in html.unescape(done)
    accepted = PhotoTerm.objects.filter(term=term, status="accepte")
    assert set(accepted.values_list("photo_id", flat=True)) == {m.pk for m in members}
    assert all(a.validated_by == doc.user and a.source == "modele" for a in accepted)
    assert PhotoTerm.objects.get(photo=outside, term=term).status == "propose"  # not in the cluster
    event = AuditEvent.objects.get(action="archives_regroupement_accepter")
    assert event.details["cluster"] == number and event.details["photos"] == len(members)
    # give a second term to ticked photos: photos of other clusters are ignored
    other = term.thesaurus.terms.get(label="Vitrail")
    doc.post(cluster_url, {"terme": other.pk, "action": "etiqueter", "photo": [members[0].pk, outside.pk]})
    assert list(PhotoTerm.objects.filter(term=other).values_list("photo_id", "status")) == [(members[0].pk, "accepte")]
    assert reader.get(f"{url}99/").status_code == 404


def test_cli_clusters_and_french_errors(cli, photo_folder, tmp_path):
    import json

    assert cli("index", str(photo_folder), "--collection", "sans-car").exit_code == 0
    missing = cli("regrouper", "--collection", "sans-car")
    assert missing.exit_code == 2 and "au moins deux images" in missing.output and "Traceback" not in missing.output
    assert cli("regrouper", "--collection", "inconnue").exit_code == 2
    assert cli("index", str(photo_folder), "--collection", "fonds", "--caracteristiques").exit_code == 0
    done = cli("regrouper", "--collection", "fonds", "--k", "3", "--graine", "4", "--json")
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["k"] == 3 and summary["images"] == 8 and sum(c["size"] for c in summary["clusters"]) == 8
    stored = explore.load(tmp_path / "var" / "archives" / "fonds")
    assert stored.seed == 4 and stored.representatives(0) == summary["clusters"][0]["representatives"]
    assert "regroupement(s) de 8 image(s) (nombre automatique" in cli("regrouper", "--collection", "fonds").output
