"""Accessibility (axe-core at 1280 and 390 px), CSP and console of the archives pages — collection,
search and filters, clusters with the 2-D map and one cluster with its term form, a photo with its
flagged face and « plus comme celle-ci » — for the documentalist
(who also sees the DIFF form) and the reader, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.archives.test_web import Ctx
from tests.web.browser import Visit, account, browser, walk  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_archives_pages_are_accessible(browser, live_server, photo_folder, tmp_path):  # noqa: F811
    from PIL import Image
    from skimage import data

    from amorce.archives.models import Collection, Photo
    from amorce.archives.rights import rights_collection
    from amorce.archives.services_explore import refresh
    from amorce.archives.tasks import index_collection

    Image.fromarray(data.astronaut()).save(photo_folder / "a" / "astronaute.jpg")
    collection = Collection.objects.create(name="fonds-a11y", title="Fonds accessible", source=str(photo_folder),
                                           store=str(tmp_path / "store"))

    index_collection(Ctx(), collection, features=True, engine="serial")
    rights_collection(collection.store, engine="serial")
    refresh(collection, force=True)
    from amorce.archives.services import import_thesaurus
    from amorce.archives.services_explore import compute_clusters

    compute_clusters(collection, k=3, seed=0)
    terms = tmp_path / "termes.csv"
    terms.write_text("uri,prefLabel\nhttp://vocab.exemple.fr/a,Façade\n", encoding="utf-8")
    import_thesaurus(collection, terms)
    face = Photo.objects.get(collection=collection, key="a/astronaute.jpg")
    group = collection.groups.first()
    pages = [Visit("Collection", f"/archives/collections/{collection.name}/"),
             Visit("Recherche", f"/archives/collections/{collection.name}/recherche/"),
             Visit("Recherche filtrée", f"/archives/collections/{collection.name}/recherche/?q=p0&droits=a-revoir"
                                        "&doublons=oui&de=1900&a=1950"),
             Visit("Recherche, année invalide", f"/archives/collections/{collection.name}/recherche/?de=vers"),
             Visit("Groupe de doublons", f"/archives/groupes/{group.pk}/"),
             Visit("Regroupements et carte", f"/archives/collections/{collection.name}/regroupements/"),
             Visit("Un regroupement", f"/archives/collections/{collection.name}/regroupements/1/"),
             Visit("Image avec un visage signalé", f"/archives/photos/{face.pk}/")]
    documentalist, reader = account("documentaliste"), account("lecteur")

    def photo_page(session, user):  # the last page visited: the photo with its flagged face
        content = session.page.content()
        assert "Plus comme celle-ci" in content and "<rect" in content
        assert ('name="diff"' in content) == (user == documentalist)

    problems, checked = walk(browser, live_server.url, {documentalist: pages, reader: pages[-1:]}, after=photo_page)
    assert checked >= 9
    assert not problems, "\n".join(problems)
