"""Several terms per photo (one-vs-rest over the single-label classifier), and validating in bulk the
proposals of a duplicate group (a cluster)."""

from __future__ import annotations

import numpy as np
import pytest

from amorce.archives.errors import SourceError
from amorce.archives.multilabel import check_trainable, one_vs_rest


def clusters():
    """Three directions in 4-d: « a » photos, « b » photos, and photos showing both (a + b)."""
    rng = np.random.default_rng(0)
    a, b, c = np.eye(4)[0] + 0.3, np.eye(4)[1] + 0.3, np.eye(4)[2] + 0.3
    x = np.vstack([rng.normal(a, 0.05, (10, 4)), rng.normal(b, 0.05, (10, 4)), rng.normal(a + b, 0.05, (5, 4)),
                   rng.normal(c, 0.05, (10, 4))])
    return x


def test_one_vs_rest_proposes_several_terms_per_photo_and_learns_from_rejections():
    x = clusters()
    positives = {"a": {0, 1, 20}, "b": {10, 11, 21}, "c": {25, 26}}
    result = one_vs_rest(x, positives, ask=3)
    a, b, c = (set(result.terms[t].proposals) for t in "abc")
    assert set(range(2, 10)) <= a and set(range(12, 20)) <= b and set(range(27, 35)) <= c
    assert {22, 23, 24} <= a & b  # the photos showing both get both terms
    assert not a & c and not b & c
    assert all(0.5 <= p <= 1 for p in result.terms["a"].proposals.values())
    picked = result.terms["a"].to_label
    assert len(picked) == 3 and not set(picked) & (positives["a"] | positives["b"] | positives["c"])
    # a rejection is a negative: the photo it was rejected on is no longer proposed
    again = one_vs_rest(x, positives, {"a": {22}}, ask=3)
    assert 22 not in again.terms["a"].proposals and again.terms["a"].negatives == result.terms["a"].negatives + 1


def test_a_rare_term_is_still_proposed_against_many_negatives():
    """2 positives against 30 negatives: without balancing the classes, the other « a » photos hover
    around 0.5 (some below); balanced, they are all proposed with a clear confidence."""
    rng = np.random.default_rng(0)
    a, b, c = np.eye(4)[0] + 0.3, np.eye(4)[1] + 0.3, np.eye(4)[2] + 0.3
    x = np.vstack([rng.normal(a, 0.2, (10, 4)), rng.normal(b, 0.2, (10, 4)), rng.normal(c, 0.2, (20, 4))])
    result = one_vs_rest(x, {"a": {0, 1}, "b": set(range(10, 20)), "c": set(range(20, 40))})
    proposals = result.terms["a"].proposals
    assert set(proposals) == set(range(2, 10)) and min(proposals.values()) > 0.85


def test_terms_without_enough_labels_are_skipped_with_the_reason():
    x = clusters()
    result = one_vs_rest(x, {"a": {0, 1}, "b": {10}})
    assert result.skipped == {"b": "1 image(s) acceptée(s) : il en faut au moins 2"}
    assert "a" in result.terms
    alone = one_vs_rest(x, {"a": {0, 1}})
    assert "aucun contre-exemple" in alone.skipped["a"]
    with pytest.raises(SourceError, match="Aucun terme ne peut être appris.*a : aucun contre-exemple"):
        check_trainable(alone, ["a"])


@pytest.mark.django_db
def test_proposals_of_a_duplicate_group_are_validated_in_bulk(photo_folder, tmp_path, client_as):
    from amorce.archives.models import Collection, PhotoTerm, Term, Thesaurus
    from amorce.archives.tasks import index_collection
    from tests.archives.test_web import Ctx

    collection = Collection.objects.create(name="fonds-test", source=str(photo_folder), store=str(tmp_path / "s"))
    index_collection(Ctx(), collection, engine="serial")
    thesaurus = Thesaurus.objects.create(collection=collection, title="T", source_name="t.csv")
    term = Term.objects.create(thesaurus=thesaurus, uri="http://vocab.exemple.gouv.fr/a", label="Façade")
    for photo in collection.photos.filter(error=""):
        PhotoTerm.objects.create(photo=photo, term=term, source="modele", confidence=0.8, model_name="m v1")
    group = collection.groups.get(number=1)
    members = set(group.members.values_list("photo_id", flat=True))
    client = client_as("documentaliste")
    url = f"/archives/collections/fonds-test/termes/{term.pk}/propositions/?groupe=1"
    assert client.get(url).content.decode().count('name="proposition"') == 2
    client.post(url, {"action": "accepter_groupe"})
    accepted = set(PhotoTerm.objects.filter(status="accepte").values_list("photo_id", flat=True))
    assert accepted == members and PhotoTerm.objects.filter(status="propose").count() == 8 - 2
    assert all(p.validated_by == client.user and p.source == "modele"
               for p in PhotoTerm.objects.filter(status="accepte"))
