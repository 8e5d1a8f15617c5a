"""Accessibility (axe-core at 1280 and 390 px), CSP and console of the archives pages — collection,
search and filters, a photo with its flagged face and « plus comme celle-ci » — for the documentalist
(who also sees the DIFF form) and the reader, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.archives.test_web import Ctx
from tests.web.test_browser import PASSWORD, Session, Visit, browser  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_archives_pages_are_accessible(browser, live_server, photo_folder, tmp_path):  # noqa: F811
    from django.contrib.auth import get_user_model
    from PIL import Image
    from skimage import data

    from amorce.archives.models import Collection, Photo
    from amorce.archives.rights import rights_collection
    from amorce.archives.services_explore import refresh
    from amorce.archives.tasks import index_collection
    from amorce.web.roles import set_roles

    Image.fromarray(data.astronaut()).save(photo_folder / "a" / "astronaute.jpg")
    collection = Collection.objects.create(name="fonds-a11y", title="Fonds accessible", source=str(photo_folder),
                                           store=str(tmp_path / "store"))

    index_collection(Ctx(), collection, features=True, engine="serial")
    rights_collection(collection.store, engine="serial")
    refresh(collection, force=True)
    face = Photo.objects.get(collection=collection, key="a/astronaute.jpg")
    group = collection.groups.first()
    pages = [Visit("Collection", f"/archives/collections/{collection.name}/"),
             Visit("Recherche", f"/archives/collections/{collection.name}/recherche/"),
             Visit("Recherche filtrée", f"/archives/collections/{collection.name}/recherche/?q=p0&droits=a-revoir"
                                        "&doublons=oui&de=1900&a=1950"),
             Visit("Recherche, année invalide", f"/archives/collections/{collection.name}/recherche/?de=vers"),
             Visit("Groupe de doublons", f"/archives/groupes/{group.pk}/"),
             Visit("Image avec un visage signalé", f"/archives/photos/{face.pk}/")]
    problems, checked = [], 0
    for role, visits in (("documentaliste", pages), ("lecteur", pages[-1:])):
        account = get_user_model().objects.create_user(username=f"e2e-{role}", password=PASSWORD,
                                                       first_name="Camille", last_name=role)
        set_roles(account, [role])
        session = Session(browser, live_server.url)
        try:
            session.sign_in(account.username)
            for visit in visits:
                session.goto(visit)
            content = session.page.content()
        finally:
            session.close()
        problems += session.problems
        checked += session.checked
        assert "Plus comme celle-ci" in content and "<rect" in content
        assert ('name="diff"' in content) == (role != "lecteur")
    assert checked >= 7
    assert not problems, "\n".join(problems)
