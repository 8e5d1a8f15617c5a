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

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

# The Playwright sync API runs an asyncio loop in this thread: Django's ORM must be allowed here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from amorce.web.roles import USECASES, Role, can_access_usecase, has_role, set_roles  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path(os.environ.get("AMORCE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "motdepasse-navigateur-123"
BLOCKING_IMPACTS = {"serious", "critical"}
SCREENSHOT = Path("/tmp/amorce-home.png")
AXE_SCRIPT = Axe().axe_script  # axe-core bundled with axe-playwright-python (works offline)
AXE_RUN = "axe.run(document, {resultTypes: ['violations']}).then(results => results.violations)"

# Records CSP violations (also those Chromium does not log to the console) before any page script.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} bloque ${e.blockedURI || "(en ligne)"}`
    + ` (${e.sourceFile || "?"}:${e.lineNumber || "?"})`);
});
"""


@dataclass(frozen=True)
class Visit:
    name: str
    url: str
    status: int | tuple[int, ...] = 200  # expected HTTP status (any of a tuple)

    def allows(self, status: int) -> bool:
        return status in (self.status if isinstance(self.status, tuple) else (self.status,))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : installez-le avec `apt-get install chromium` "
                    "(ou AMORCE_CHROMIUM=chemin), ou excluez ces tests avec -m 'not browser'.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page is checked on a desktop screen and on a phone (390 px: tables scroll, menus collapse).
WIDTHS = (1280, 390)
HEIGHTS = {1280: 900, 390: 844}


class Session:
    """One browser context (one user) that checks every page it visits, at each of ``widths``, and
    collects the problems."""

    def __init__(self, browser, base_url: str, widths: tuple[int, ...] = WIDTHS) -> None:
        self.widths = widths
        self.context = browser.new_context(base_url=base_url, locale="fr-FR",
                                           viewport={"width": widths[0], "height": HEIGHTS.get(widths[0], 900)})
        self.context.add_init_script(CSP_LISTENER)
        # axe-core in every document up front: faster than injecting it after each load.
        self.context.add_init_script(AXE_SCRIPT)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.console.append(f"exception JavaScript : {exc}"))
        self.problems: list[str] = []
        self.checked = 0
        self.status = 0  # HTTP status of the last page loaded

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} [{message.location.get('url', '?')}]")

    def goto(self, visit: Visit) -> None:
        """Load the page at each width and check it; the viewport is left at the first width."""
        for width in self.widths:
            self.page.set_viewport_size({"width": width, "height": HEIGHTS.get(width, 900)})
            self._load(visit if width == self.widths[0] else Visit(f"{visit.name} [{width} px]", visit.url,
                                                                   visit.status))
        if len(self.widths) > 1:
            self.page.set_viewport_size({"width": self.widths[0], "height": HEIGHTS.get(self.widths[0], 900)})

    def _load(self, visit: Visit) -> None:
        self.console.clear()  # what earlier pages logged was reported with them
        response = self.page.goto(visit.url, wait_until="load")
        self.status = response.status if response else 0
        if not visit.allows(self.status):
            self.problems.append(f"{visit.name} ({visit.url}) : statut HTTP {self.status}, attendu {visit.status}")
        elif "script-src" not in (response.headers.get("content-security-policy") or ""):
            self.problems.append(f"{visit.name} ({visit.url}) : en-tête Content-Security-Policy absent")
        self.check(visit)

    def check(self, visit: Visit) -> None:
        """axe-core, console errors and CSP violations of the page as it is now."""
        self.checked += 1
        where = f"{visit.name} ({visit.url})"
        if self.page.evaluate("document.documentElement.lang") != "fr":
            self.problems.append(f"{where} : la langue de la page n'est pas « fr »")
        if not self.page.title().endswith("— amorce"):
            self.problems.append(f"{where} : titre de page inattendu « {self.page.title()} »")
        for violation in self.page.evaluate(AXE_RUN):
            if violation["impact"] in BLOCKING_IMPACTS:
                nodes = "".join(f"\n      - {node['target']} {node['html'][:160]}\n        "
                                + " ".join(node["failureSummary"].split())[:300]
                                for node in violation["nodes"][:5])
                self.problems.append(f"{where} : axe « {violation['id']} » ({violation['impact']}) — "
                                     f"{violation['help']} ({len(violation['nodes'])} élément(s)){nodes}")
        for message in self.console:
            # On an error page Chromium logs the page's own HTTP status ("Failed to load resource: …
            # status of 403"): expected there, an error anywhere else.
            if (self.status != 200 and visit.allows(self.status) and f"status of {self.status}" in message
                    and message.endswith(f"[{self.page.url}]")):
                continue
            self.problems.append(f"{where} : erreur dans la console — {message}")
        self.console.clear()
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.problems.append(f"{where} : violation de la CSP — {violation}")

    def submit_login(self, username: str, password: str) -> None:
        form = self.page.locator("main form")
        form.get_by_label("Identifiant").fill(username)
        form.get_by_label("Mot de passe").fill(password)
        with self.page.expect_navigation():
            form.get_by_role("button", name="Se connecter").click()

    def check_login_errors(self, username: str) -> None:
        """The login form with field errors, then with wrong credentials."""
        login = reverse("accounts:login")
        self.goto(Visit("Connexion", login))
        self.submit_login("", "")
        field = self.page.get_by_label("Identifiant")
        assert field.get_attribute("aria-invalid") == "true"
        described = self.page.locator(f"#{field.get_attribute('aria-describedby')}")
        assert "obligatoire" in described.inner_text(), described.inner_text()
        self.check(Visit("Connexion (champs manquants)", login))
        self.submit_login(username, "mauvais-mot-de-passe")
        assert "Identifiant ou mot de passe incorrect" in self.page.get_by_role("alert").inner_text()
        self.check(Visit("Connexion (identifiants erronés)", login))

    def sign_in(self, username: str) -> None:
        """Through the real login form, checking the login page itself first."""
        self.goto(Visit("Connexion", reverse("accounts:login")))
        self.submit_login(username, PASSWORD)
        assert self.page.url.endswith(reverse("home")), f"connexion de {username} : arrivée sur {self.page.url}"
        assert self.page.get_by_role("button", name="Se déconnecter").is_visible(), f"{username} non connecté"

    def close(self) -> None:
        self.context.close()

    def report(self) -> str:
        return "\n".join(f"  • {p}" for p in self.problems)


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
def test_every_page_is_accessible_for_role(role, browser, live_server):
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


def test_neutral_theme_is_accessible_without_dsfr(browser, live_server, settings):
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
