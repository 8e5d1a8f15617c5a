"""Accessibility (axe-core at 1280 and 390 px), CSP and console of the vocabulary pages (thesaurus,
labelling, proposals), for the documentalist, the curator and the reader, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.web.test_browser import PASSWORD, Session, Visit, browser  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vocabulary_pages_are_accessible(browser, live_server, photo_folder, tmp_path):  # noqa: F811
    from django.contrib.auth import get_user_model

    from amorce.archives.models import Collection, PhotoTerm, Term
    from amorce.archives.services import import_thesaurus, label_photos, train_and_propose
    from amorce.archives.tasks import index_collection
    from amorce.web.roles import set_roles
    from tests.archives.test_web import Ctx

    collection = Collection.objects.create(name="fonds-test", title="Fonds test", source=str(photo_folder),
                                           store=str(tmp_path / "store"))
    index_collection(Ctx(), collection, features=True, engine="serial")
    thesaurus = tmp_path / "termes.csv"
    thesaurus.write_text("uri,prefLabel,altLabel\nhttp://vocab.exemple.gouv.fr/a,Façade,Devanture|Front\n"
                         "http://vocab.exemple.gouv.fr/b,Vitrail,\n", encoding="utf-8")
    import_thesaurus(collection, thesaurus)
    accounts = {}
    for role in ("documentaliste", "responsable_collections", "lecteur"):
        accounts[role] = get_user_model().objects.create_user(username=f"e2e-{role}", password=PASSWORD,
                                                              first_name="Camille", last_name=role)
        set_roles(accounts[role], [role])
    first, second = Term.objects.order_by("label")
    keys = list(collection.photos.filter(error="").order_by("key"))
    label_photos(first, [keys[0].pk, keys[1].pk], accounts["documentaliste"])
    label_photos(second, [keys[2].pk, keys[3].pk], accounts["documentaliste"])
    train_and_propose(collection, user=accounts["documentaliste"])
    assert PhotoTerm.objects.filter(status="propose").exists()
    base = f"/archives/collections/{collection.name}"
    pages = [Visit("Collection", f"{base}/"), Visit("Vocabulaire", f"{base}/termes/")]
    for term in (first, second):
        pages += [Visit(f"Étiqueter « {term} »", f"{base}/termes/{term.pk}/"),
                  Visit(f"Propositions « {term} »", f"{base}/termes/{term.pk}/propositions/")]
    problems, checked = [], 0
    for role, account in accounts.items():
        session = Session(browser, live_server.url)
        try:
            session.sign_in(account.username)
            for visit in pages:
                session.goto(visit)
            if role == "lecteur":
                session.goto(Visit("Export refusé au lecteur", f"{base}/export/csv/", 403))
        finally:
            session.close()
        problems += session.problems
        checked += session.checked
    assert checked >= 18
    assert not problems, "\n".join(problems)
