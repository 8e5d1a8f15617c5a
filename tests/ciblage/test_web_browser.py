"""Accessibility (axe-core), CSP and console of the ciblage pages, for the manager and the inspector,
in headless Chromium; an inspector opening a manager page gets the French 403 page."""

from __future__ import annotations

import pytest

from tests.web.browser import Visit, account, browser, walk  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ciblage_pages_are_accessible_for_both_roles(browser, live_server, ciblage_demo):  # noqa: F811
    from django.test import Client

    from amorce.ciblage.models import Dataset, Plan, ScoreList, TrainedModel

    scores = ScoreList.objects.get(pk=ciblage_demo["score_list"])
    dataset, trained = Dataset.objects.get(), TrainedModel.objects.get()
    top = scores.frame()["establishment_id"].iloc[0]

    manager, inspector = account("responsable_inspection"), account("inspecteur")
    client = Client()
    client.force_login(manager)
    response = client.post(
        f"/ciblage/classements/{scores.pk}/plan/",
        {"capacity": "equipe-0=5", "weeks": 2, "exploration": 20, "seed": 1, "start": "2024-01-01"},
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    readers = [
        "/ciblage/",
        f"/ciblage/classements/{scores.pk}/",
        f"/ciblage/classements/{scores.pk}/etablissements/{top}/",
        f"/ciblage/plans/{plan.pk}/",
    ]
    visits = {
        manager: [
            Visit(url, url)
            for url in [
                *readers,
                "/ciblage/import/",
                f"/ciblage/donnees/{dataset.pk}/",
                f"/ciblage/modeles/{trained.pk}/",
                f"/ciblage/classements/{scores.pk}/equite/?top=100&ratio=1.25",
                f"/ciblage/classements/{scores.pk}/derive/",
            ]
        ],
        inspector: [Visit(url, url) for url in readers]
        + [Visit("fiche modèle (réservée)", f"/ciblage/modeles/{trained.pk}/", 403)],
    }
    problems, checked = walk(browser, live_server.url, visits)
    assert checked >= 14
    assert not problems, "\n".join(problems)
