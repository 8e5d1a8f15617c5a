"""Accessibility (axe-core at 1280 and 390 px), CSP and console of the vocabulary pages (thesaurus,
labelling, proposals), for the documentalist, the curator and the reader, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.web.browser import Visit, account, browser, walk  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vocabulary_pages_are_accessible(browser, live_server, photo_folder, tmp_path):  # noqa: F811

    from amorce.archives.models import Collection, PhotoTerm, Term
    from amorce.archives.services import import_thesaurus, label_photos, train_and_propose
    from amorce.archives.tasks import index_collection
    from tests.archives.test_web import Ctx

    collection = Collection.objects.create(name="fonds-test", title="Fonds test", source=str(photo_folder),
                                           store=str(tmp_path / "store"))
    index_collection(Ctx(), collection, features=True, engine="serial")
    thesaurus = tmp_path / "termes.csv"
    thesaurus.write_text("uri,prefLabel,altLabel\nhttp://vocab.exemple.gouv.fr/a,Façade,Devanture|Front\n"
                         "http://vocab.exemple.gouv.fr/b,Vitrail,\n", encoding="utf-8")
    import_thesaurus(collection, thesaurus)
    accounts = {role: account(role) for role in ("documentaliste", "responsable_collections", "lecteur")}
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
    plan = {account: pages + ([Visit("Export refusé au lecteur", f"{base}/export/csv/", 403)] if role == "lecteur" else [])
            for role, account in accounts.items()}
    problems, checked = walk(browser, live_server.url, plan)
    assert checked >= 18
    assert not problems, "\n".join(problems)
