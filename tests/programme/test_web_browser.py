"""Accessibility (axe-core), CSP and console of the programme pages, per role, in headless Chromium."""

from __future__ import annotations

import pytest

from tests.web.browser import Visit, account, browser, walk  # noqa: F401  (fixture)

from .test_web_workflow import make_application, make_call, score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_programme_pages_are_accessible(browser, live_server):  # noqa: F811
    from amorce.programme.models import ReviewAssignment
    from amorce.programme.services import decide, run_selection

    candidate, juror, lead, instructeur = (account(role) for role in ("candidat", "jury", "equipe_programme",
                                                                          "instructeur"))
    call = make_call()
    apps = [make_application(call, i + 1, owner=candidate if i == 0 else None, budget=90000 + 1000 * i)
            for i in range(3)]
    for app in apps[1:]:
        score(app, juror, {"benefices": 4, "pertinence": 3, "ethique": 5})
    score(apps[2], lead, {"benefices": 0, "pertinence": 3, "ethique": 5})  # a disagreement to settle
    ReviewAssignment.objects.create(application=apps[0], reviewer=juror)
    run = run_selection(call, {"budget": 200000, "what_if": [100000]}, user=lead)
    decide(apps[1], "accepte", "", user=lead, run=run)
    draft = make_application(call, 9, owner=candidate, state="en_construction")
    from amorce.programme.models import Coaching
    from amorce.programme.services import ensure_follow_up_plan

    coach = account("coach")
    ensure_follow_up_plan(apps[1])
    Coaching.objects.filter(application=apps[1]).update(technical_coach=coach)
    c = call.slug
    plan = {
        None: [f"/programme/appels/{c}/", f"/programme/appels/{c}/laureats/", f"/programme/appels/{c}/transparence/"],
        candidate: ["/programme/", "/programme/candidatures/", f"/programme/candidatures/{draft.reference}/",
                    f"/programme/candidatures/{draft.reference}/etape/1/",
                    f"/programme/candidatures/{draft.reference}/etape/5/",
                    f"/programme/candidatures/{draft.reference}/depot/"],
        juror: ["/programme/jury/", f"/programme/jury/{apps[0].reference}/", f"/programme/jury/{apps[1].reference}/"],
        instructeur: ["/programme/dossiers/", f"/programme/dossiers/{apps[1].reference}/"],
        lead: ["/programme/tableau-de-bord/", f"/programme/appels/{c}/modifier/", f"/programme/appels/{c}/classement/",
               f"/programme/appels/{c}/selection/", f"/programme/selection/{run.pk}/", f"/programme/appels/{c}/import/",
               f"/programme/dossiers/{apps[1].reference}/courrier/",
               f"/programme/dossiers/{apps[1].reference}/explication/", f"/programme/suivi/{apps[1].reference}/",
               f"/programme/appels/{c}/ecriture-ds/", "/programme/appel/nouveau/"],
        coach: ["/programme/accompagnement/", f"/programme/suivi/{apps[1].reference}/"],
    }

    def wrong_siret(session, user):  # a step with a wrong SIRET: French errors, still accessible
        if user != candidate:
            return
        session.goto(Visit("étape 1", f"/programme/candidatures/{draft.reference}/etape/1/"))
        session.page.get_by_label("SIRET").fill("123")
        with session.page.expect_navigation():
            session.page.get_by_role("button", name="Enregistrer et continuer").click()
        assert "il doit comporter 14 chiffres" in session.page.content()
        session.status = 400  # a form with errors answers 400 Bad Request
        session.check(Visit("étape 1 (erreurs)", session.page.url, 400))

    problems, checked = walk(browser, live_server.url, {user: [Visit(url, url) for url in urls]
                                                         for user, urls in plan.items()}, after=wrong_siret)
    assert checked >= 24
    assert not problems, "\n".join(problems)
