"""Browser-test helpers shared by every use case: Debian's Chromium through Playwright, one
:class:`Session` per user that checks each page it visits (axe-core serious/critical issues, console
errors, CSP violations, French title and language) at a desktop and a phone width, and :func:`walk`,
which signs accounts in through the real login form and visits their pages.

Chromium is Debian's (``apt-get install chromium``), never a downloaded one; ``AMORCE_CHROMIUM``
points elsewhere if needed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# The Playwright sync API runs an asyncio loop in this thread: Django's ORM must be allowed here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

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




def account(role: str, username: str | None = None):
    """A user with ``role`` who signs in with :data:`PASSWORD`."""
    from django.contrib.auth import get_user_model

    from amorce.web.roles import set_roles

    user = get_user_model().objects.create_user(username=username or f"e2e-{role}", password=PASSWORD,
                                                first_name="Camille", last_name=role)
    set_roles(user, [role])
    return user


Hook = Callable[[Session, object], None]


def walk(browser, base_url: str, plan: dict, *, on_page: Callable[[Session, object, Visit], None] | None = None,
         after: Hook | None = None) -> tuple[list[str], int]:
    """For each account of ``plan`` ({user, or None for an anonymous visitor: [Visit, ...]}), in its own
    browser session: sign in through the login form, load and check each page (a 403 page must be
    the platform's French one), call ``on_page`` after each and ``after`` once at the end (more steps
    in the same session). Returns every problem found and the number of pages checked."""
    problems: list[str] = []
    checked = 0
    for user, visits in plan.items():
        session = Session(browser, base_url)
        try:
            if user is not None:
                session.sign_in(user.username)
            for visit in visits:
                session.goto(visit)
                if session.status == 403:
                    assert "Accès refusé" in session.page.content(), f"{visit.name} : page 403 inattendue"
                if on_page is not None:
                    on_page(session, user, visit)
            if after is not None:
                after(session, user)
        finally:
            session.close()
        problems += session.problems
        checked += session.checked
    return problems, checked
