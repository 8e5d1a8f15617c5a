"""End-to-end accessibility of the web shell: every page, for every role, in headless Chromium.

Each role signs in through the real login form, then visits every shell page it may see, and the
403 pages of what it may not. On each page axe-core runs (bundled with ``axe-playwright-python``
and injected by Playwright: no network needed); a violation of impact "serious" or "critical"
fails the test. Console errors (Content Security Policy violations, JavaScript errors, missing
resources) and CSP violation events fail it too.

Chromium is Debian's (``apt-get install chromium``), never a downloaded one; ``AMORCE_CHROMIUM``
points elsewhere if needed. Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amorce.web.roles import USECASES, Role, can_access_usecase, has_role, set_roles
from tests.web.browser import PASSWORD, SCREENSHOT, Session, Visit, browser  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_user(role: Role):
    """A user with ``role``, an API token and a failed job with a long log and result (scrollable)."""
    from django.contrib.auth import get_user_model

    from amorce.web import audit
    from amorce.web.models import ApiToken, Job

    user = get_user_model().objects.create_user(
        username=f"e2e-{role.value}", password=PASSWORD, first_name="Camille", last_name=role.label,
        email=f"{role.value}@example.gouv.fr")
    set_roles(user, [role])
    ApiToken.issue(user, "script d'import mensuel")
    now = timezone.now()
    job = Job.objects.create(
        kind="test.import", label="Import des contrôles 2025", created_by=user, status=Job.Status.FAILED,
        progress=0.4, progress_message="Lecture du fichier", created_at=now - timedelta(minutes=5),
        started_at=now - timedelta(minutes=4), finished_at=now - timedelta(minutes=3),
        error="Le fichier « controles.csv » est invalide : ligne 3, colonne « date » attendue (AAAA-MM-JJ).",
        log="\n".join(f"[10:00:{i:02d}] Lecture du lot {i}." for i in range(60)),
        result={f"lot_{i:02d}": {"lignes_lues": 1000, "lignes_rejetees": i} for i in range(40)})
    if role == Role.ADMINISTRATEUR:
        for i in range(60):  # more than one page of audit events: pagination and filter options show
            audit.record("jeton_api_cree" if i % 2 else "tache_relancee", user=user, object_repr=f"objet {i}")
    return user, job


def pages_for(user, job) -> list[Visit]:
    visits = [
        Visit("Accueil", reverse("home")),
        Visit("Déclaration d'accessibilité", reverse("accessibility")),
        Visit("Mentions légales", reverse("legal")),
        Visit("Données personnelles", reverse("privacy")),
        Visit("Mon compte", reverse("accounts:profile")),
        Visit("Tâches", reverse("jobs:list")),
        Visit("Détail d'une tâche", reverse("jobs:detail", args=[job.pk])),
        Visit("Journal d'audit", reverse("audit"), 200 if has_role(user, Role.ADMINISTRATEUR) else 403),
        Visit("Page introuvable", "/cette-page-nexiste-pas/", 404),
    ]
    forbidden = []
    for usecase in USECASES:
        url = f"/{usecase.slug}/"
        if can_access_usecase(user, usecase.slug) or usecase.planned:
            visits.append(Visit(f"Cas d'usage « {usecase.title} »", url))
        elif usecase.public:
            # A use case with a public part decides itself what other roles see (its own tests
            # check which): either page must be accessible.
            visits.append(Visit(f"Cas d'usage « {usecase.title} » (rôle non concerné)", url, (200, 403)))
        else:
            forbidden.append(Visit(f"Cas d'usage interdit « {usecase.title} »", url, 403))
    return visits + forbidden[:1]


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_page_is_accessible_for_role(role, browser, live_server):  # noqa: F811
    user, job = make_user(role)
    session = Session(browser, live_server.url)
    try:
        if role == Role.ADMINISTRATEUR:
            session.check_login_errors(user.username)
        session.sign_in(user.username)
        for visit in pages_for(user, job):
            session.goto(visit)
            if role == Role.ADMINISTRATEUR and visit.url == reverse("home"):
                session.page.screenshot(path=str(SCREENSHOT), full_page=True)
        if role == Role.ADMINISTRATEUR:
            _admin_extras(session, user)
    finally:
        session.close()
    print(f"{role.value} : {session.checked} pages vérifiées")
    assert session.checked >= 10
    assert not session.problems, (f"{len(session.problems)} problème(s) pour le rôle {role.label} "
                                  f"({session.checked} pages vérifiées) :\n{session.report()}")


def _admin_extras(session: Session, user) -> None:
    """Live job status (htmx under the CSP), small-screen menu, audit log pages, API documentation."""
    from amorce.web.models import Job

    page = session.page
    running = Job.objects.create(kind="test.import", label="Entraînement du modèle", created_by=user,
                                 status=Job.Status.RUNNING, progress=0.25, progress_message="Calcul des variables",
                                 started_at=timezone.now())
    visit = Visit("Tâche en cours (mise à jour htmx)", reverse("jobs:detail", args=[running.pk]))
    session.goto(visit)
    Job.objects.filter(pk=running.pk).update(status=Job.Status.SUCCEEDED, progress=1.0, progress_message="Terminé",
                                             finished_at=timezone.now(), result={"auc": 0.81})
    # htmx polls every 2 s and swaps in the finished status, which stops the polling.
    page.locator("#job-status .fr-badge", has_text="Terminée").wait_for(timeout=15_000)
    session.check(visit)

    # Small screen: the DSFR script (loaded under the CSP nonce) opens the navigation menu.
    page.set_viewport_size({"width": 375, "height": 800})
    session._load(Visit("Accueil (petit écran)", reverse("home")))  # at 375 px, this width only
    page.get_by_role("button", name="Menu").click()
    # a use case with one entry is a link, with several a button that opens its sub-menu
    page.locator("#menu-modal .fr-nav__item", has_text="Ciblage des contrôles").first.wait_for(timeout=5_000)
    session.check(Visit("Menu ouvert (petit écran)", reverse("home")))
    page.set_viewport_size({"width": 1280, "height": 900})

    session.goto(Visit("Journal d'audit, page 2", reverse("audit") + "?page=2"))
    session.goto(Visit("Journal d'audit filtré", reverse("audit") + "?action=tache_relancee&auteur=e2e"))

    # Third-party Swagger UI: it must load and show the API, but is held neither to axe nor to the
    # console checks (the accessibility statement declares it as not guaranteed).
    response = page.goto("/api/docs")
    assert response is not None and response.status == 200
    page.locator("#swagger-ui .info .title", has_text="API amorce").wait_for(timeout=15_000)


def test_neutral_theme_is_accessible_without_dsfr(browser, live_server, settings):  # noqa: F811
    settings.AMORCE_THEME = "neutral"
    user, _ = make_user(Role.INSPECTEUR)
    session = Session(browser, live_server.url)
    try:
        session.goto(Visit("Accueil (thème neutre, anonyme)", reverse("home")))
        assert session.page.locator("header").get_by_role("link", name="Se connecter").is_visible()
        session.sign_in(user.username)
        session.check(Visit("Accueil (thème neutre, connecté)", reverse("home")))
        stylesheets = session.page.eval_on_selector_all("link[rel=stylesheet]", "ls => ls.map(l => l.href)")
        scripts = session.page.eval_on_selector_all("script[src]", "ss => ss.map(s => s.src)")
        marianne = session.page.locator(".fr-logo").count()
        # Without the DSFR script the mobile menu buttons would do nothing: they must stay hidden.
        dead_buttons = [name for name in ("Menu", "Fermer")
                        if session.page.get_by_role("button", name=name, exact=True).is_visible()]
    finally:
        session.close()
    assert not any("dsfr" in url for url in stylesheets + scripts), stylesheets + scripts
    assert any(url.endswith("amorce/neutral.css") for url in stylesheets), stylesheets
    assert marianne == 0
    assert not dead_buttons, f"boutons sans effet sans le script du DSFR : {dead_buttons}"
    assert not session.problems, f"{len(session.problems)} problème(s) :\n{session.report()}"
