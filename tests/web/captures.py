"""Screenshots of issue 15 (« what a newcomer meets »), one per point, taken on a running demo.

Not a test (pytest does not collect it): run it by hand against a demo served by ``amorce demo``,
with Debian's Chromium (never a downloaded one)::

    AMORCE_DATA_DIR=$PWD/var/demo .venv/bin/amorce demo --port 8765 --data-dir var/demo &
    # wait for « amorce est servi sur … » and for the assistant's background indexing to end, then
    .venv/bin/python tests/web/captures.py --base-url http://127.0.0.1:8765 \\
        --accounts var/demo/demo_accounts.json --out docs/captures/ticket-15/apres

The same script took the « avant » screenshots on a demo of commit ``fddfe2a^``. Each capture
signs in through the real login form, walks to the page of the point at 1280 px (390 px for the
mobile points) and saves ``NN-short-name.png`` as a reduced PNG (256 colours, width ≤ 1280 px,
height ≤ 1600 px). A capture that fails still saves what the page shows and the script goes on;
what each capture saw (URL, HTTP status, a few facts) is printed as one JSON line per capture.
``--walk 25`` instead walks every demo account (``--only admin,jury`` for some) through up to 25
pages each (one per URL shape) at 1280 and 390 px with the checks of the browser tests (axe
serious/critical, console errors, CSP violations) plus what a user should never read (Python values,
numeric or ISO dates, command-line advice) and pages over 12,000 px; it prints what it found::

    .venv/bin/python tests/web/captures.py --base-url http://127.0.0.1:8765 \\
        --accounts var/demo/demo_accounts.json --walk 25

The point about the server error page renders the platform's 500 page with its own handler in this
process (a demo has no page that fails on purpose), so the demo's data directory must be the one
next to ``--accounts``; on code that still crashed on point 1, ``--server-error-by-upload`` shows
that crash instead.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import time
from pathlib import Path

CHROMIUM = os.environ.get("AMORCE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
MAX_HEIGHT = 1600

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: tests.* below
def save(page, path: Path, *, full_page: bool = False, clip_to=None) -> None:
    """A reduced PNG: at most 1280 px wide and MAX_HEIGHT px tall, 256 colours, optimised."""
    from PIL import Image

    if clip_to is not None:
        clip_to.scroll_into_view_if_needed()
        raw = clip_to.screenshot()
    else:
        raw = page.screenshot(full_page=full_page)
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    if image.width > 1280:
        image = image.resize((1280, round(image.height * 1280 / image.width)))
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


class Capturer:
    def __init__(self, browser, base_url: str, accounts: dict[str, str], out: Path) -> None:
        self.browser, self.base_url, self.accounts, self.out = browser, base_url.rstrip("/"), accounts, out
        self.facts: list[dict] = []
        self.error_by_upload = False
        self.contexts = []

    # -- sessions -------------------------------------------------------------------------------
    def session(self, username: str | None, width: int = 1280):
        context = self.browser.new_context(base_url=self.base_url, locale="fr-FR",
                                           viewport={"width": width, "height": 900 if width > 500 else 844})
        self.contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        if username:
            page.goto("/comptes/connexion/")
            form = page.locator("main form").first
            form.locator("input[name=username]").fill(username)
            form.locator("input[name=password]").fill(self.accounts[username])
            with page.expect_navigation():
                form.locator("input[name=password]").press("Enter")
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()

    # -- helpers --------------------------------------------------------------------------------
    def first_link(self, page, url: str, pattern: str) -> str | None:
        response = page.goto(url)
        if response is None or response.status != 200:
            return None
        hrefs = page.eval_on_selector_all("main a[href]", "as => as.map(a => a.getAttribute('href'))")
        return next((h for h in hrefs if re.fullmatch(pattern, h.split("?")[0].split("#")[0])), None)

    def call_page(self, page, suffix: str) -> str | None:
        """The URL of the first call's page ``suffix`` (« modifier/ », « import/ »…), from the team's
        dashboard or else from the public list of calls."""
        link = self.first_link(page, "/programme/tableau-de-bord/", rf"/programme/appels/[^/]+/{suffix}")
        if link is None:
            call = self.first_link(page, "/programme/appels/", r"/programme/appels/[^/]+/")
            link = call and call + suffix
        return link

    def run(self, number: int, name: str, func) -> None:
        path = self.out / f"{number:02d}-{name}.png"
        fact: dict = {"capture": path.name}
        page = None
        try:
            page, extra = func()
            fact.update(extra or {})
        except Exception as exc:  # noqa: BLE001 — one capture failing must not stop the others
            fact["erreur"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            page = getattr(exc, "page", None) or (self.contexts[-1].pages[-1] if self.contexts else None)
        if page is not None:
            fact.setdefault("url", page.url)
            fact["console"] = page.console_errors[:3]
            if "shot" not in fact:
                save(page, path)
        self.facts.append(fact)
        self.close()
        print(json.dumps(fact, ensure_ascii=False), flush=True)


def submit(page, question: str) -> None:
    """Ask the assistant (a full page load, or an htmx swap in older versions) and wait for the answer."""
    page.locator("textarea[name=question]").fill(question)
    page.locator("textarea[name=question]").locator("xpath=ancestor::form").locator(
        "button[type=submit], input[type=submit]").first.click()
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle", timeout=60_000)


def text(page, selector: str = "main") -> str:
    locator = page.locator(selector).first
    return " ".join(locator.inner_text().split()) if locator.count() else ""


# -- the points of issue 15 ---------------------------------------------------------------------
def captures(c: Capturer, tmp: Path):  # noqa: C901 — one short function per point, in order
    def p01_encodings():
        # an inspection history saved by Excel on Windows: Windows-1252 with semicolons
        from tests.ciblage.test_importers import WINDOWS_ESTABLISHMENTS, WINDOWS_INSPECTIONS

        page = c.session("responsable")
        page.goto("/ciblage/import/")
        files = [tmp / "controles.csv", tmp / "etablissements.csv"]
        files[0].write_bytes(WINDOWS_INSPECTIONS.encode("cp1252"))
        files[1].write_bytes(WINDOWS_ESTABLISHMENTS.encode("cp1252"))
        form = page.locator("main form").filter(has=page.locator("input[type=file]")).first
        name = form.locator("input[name=name]")
        if name.count():
            name.fill("Export Excel (Windows-1252)")
        form.locator("input[type=file]").first.set_input_files([str(f) for f in files])
        with page.expect_navigation():
            response_holder = {}
            page.once("response", lambda r: response_holder.setdefault("status", r.status))
            form.locator("button[type=submit], input[type=submit]").last.click()
        return page, {"statut": response_holder.get("status"), "texte": text(page)[:200]}

    def p02_error_page():
        if c.error_by_upload:  # code from before the DSFR error pages: the upload of point 1 failed
            return p01_encodings()
        # The page a server error shows, rendered by the platform's own handler (the real 500 view),
        # then loaded in the browser on the demo's origin so that its styles load.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amorce.web.settings")
        import django
        from django.test import RequestFactory

        django.setup()
        from django.conf import settings

        if "127.0.0.1" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("127.0.0.1")
        from django.urls import get_resolver

        handler = get_resolver().resolve_error_handler(500)
        request = RequestFactory().get("/ciblage/import/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        response = handler(request)
        page = c.session(None)
        page.goto("/")
        page.set_content(response.content.decode())
        return page, {"statut": response.status_code, "texte": text(page)[:200]}

    def p03_handover():
        page = c.session(None)
        page.goto("/assistant/")
        submit(page, "je veux parler à un agent")
        save(page, c.out / "03-passage-a-un-agent.png", full_page=True)  # the reply, then the form
        return page, {"texte": text(page)[:300], "shot": True}

    def p04_jury():
        page = c.session("jury")
        link = c.first_link(page, "/programme/jury/", r"/programme/jury/[^/]+/")
        if link:
            page.goto(link)
            field = page.locator("main form input[name^=note_], main form select[name^=note_]")
            if field.count():
                field.first.scroll_into_view_if_needed()
                page.mouse.wheel(0, 200)
        return page, {"lien": link}

    def p05_unpublished_call():
        page = c.session("programme")
        link = c.call_page(page, "modifier/")
        page.goto(link)
        published = page.locator("input[name=published]")
        was_checked = published.count() and published.is_checked()
        if published.count():
            published.set_checked(False, force=True)
        form = page.locator("main form").filter(has=page.locator("input[name=published]")).first
        with page.expect_navigation():
            status = {}
            page.once("response", lambda r: status.setdefault("s", r.status))
            form.locator("button[type=submit]").last.click()
        page.wait_for_load_state("load")
        fact = {"depuis": link, "statut": status.get("s"), "texte": text(page)[:160]}
        save(page, c.out / "05-appel-non-publie.png")
        fact["shot"] = True
        if was_checked:  # put the demo back as it was
            page.goto(link)
            page.locator("input[name=published]").set_checked(True, force=True)
            with page.expect_navigation():
                page.locator("main form").filter(has=page.locator("input[name=published]")).first \
                    .locator("button[type=submit]").last.click()
        return page, fact

    def p06_search():
        page = c.session("magistrat")
        response = page.goto("/decisions/recherche/?q=dommages+et+int%C3%A9r%C3%AAts")
        status = response.status if response else None
        if status != 200:  # no page yet: what the magistrate's home page promised
            page.goto("/")
            page.get_by_text(re.compile("Rechercher des décisions")).first.scroll_into_view_if_needed()
        return page, {"statut": status}

    def p06b_objectivation():
        page = c.session("magistrat")
        response = page.goto("/decisions/objectivation/")
        status = response.status if response else None
        form = page.locator("main form").first
        if status == 200 and form.count():
            with page.expect_navigation():
                form.locator("button[type=submit]").first.click()
            chart = page.locator("main svg")
            if chart.count():
                chart.first.scroll_into_view_if_needed()
        else:
            page.goto("/decisions/")
        return page, {"statut": status}

    def p07_review():
        page = c.session("magistrat")
        link = c.first_link(page, "/decisions/", r"/decisions/\d+/")
        page.goto(link)
        save(page, c.out / "07-relecture-decision.png", full_page=True)
        return page, {"lien": link, "shot": True, "Loc": "Loc" in text(page).split()}

    def ask(question: str):
        page = c.session(None)
        page.goto("/assistant/")
        submit(page, question)
        return page

    def p08_caution():
        page = ask("mon propriétaire peut-il garder ma caution ?")
        save(page, c.out / "08-assistant-caution.png", full_page=True)
        return page, {"texte": text(page)[-400:], "shot": True}

    def p09_cut_answer():
        page = ask("Quels recours si la mairie refuse mon dossier de carte d'identité ?")
        save(page, c.out / "09-reponse-coupee.png", full_page=True)
        body = text(page)
        return page, {"coupe": "du défenseur des" in body and "du défenseur des droits" not in body,
                      "texte": body[-500:], "shot": True}

    def p10_ds_import():
        page = c.session("programme")
        link = c.call_page(page, "import/")
        page.goto(link)
        form = page.locator("main form").filter(has=page.locator("input[name=demarche]")).first
        status = {}
        if form.count() and form.locator("button[type=submit]").last.is_enabled():
            form.locator("input[name=demarche]").fill("103363")
            with page.expect_navigation():
                page.once("response", lambda r: status.setdefault("s", r.status))
                form.locator("button[type=submit]").last.click()
        for _ in range(30):  # an import that was queued: wait for the job to end
            if "/taches/" not in page.url or re.search(r"[ÉE]chec|échou|Terminée", text(page)):
                break
            page.wait_for_timeout(1000)
            page.reload()
        return page, {"lien": link, "statut": status.get("s"), "texte": text(page)[:300]}

    def p11_usecases():
        page = c.session("admin")
        page.goto("/")
        cards = page.locator("main", has_text="Biodiversité")
        target = page.get_by_text(re.compile("Biodiversit", re.I)).last
        if cards.count() and target.count():
            target.scroll_into_view_if_needed()
        return page, {"en_preparation": "en préparation" in text(page).lower()}

    def r1_menu():
        page = c.session("jury")
        page.goto("/")
        return page, {"liens_menu": page.eval_on_selector_all(
            "header nav a[href]", "as => as.map(a => a.getAttribute('href'))")[:20]}

    def r2_internals():
        page = c.session("responsable")
        ranking = c.first_link(page, "/ciblage/", r"/ciblage/classements/\d+/")
        link = c.first_link(page, ranking, r"/ciblage/modeles/\d+/") if ranking else None
        page.goto(link)
        raw = page.get_by_text(re.compile("learning_rate"))
        card = raw if raw.count() else page.get_by_role("heading", name=re.compile("Fiche modèle"))
        if card.count():
            card.first.scroll_into_view_if_needed()
            page.mouse.wheel(0, 300)
        return page, {"lien": link, "learning_rate": raw.count() > 0}

    def r3_typography():
        page = c.session("instructeur")
        link = c.first_link(page, "/programme/dossiers/", r"/programme/dossiers/[^/]+/")
        page.goto(link)
        return page, {"lien": link}

    def r4_ranking():
        page = c.session("programme")
        link = c.call_page(page, "classement/")
        page.goto(link)
        height = page.evaluate("document.documentElement.scrollHeight")
        return page, {"lien": link, "hauteur_px": height}

    def r5_explanation():
        page = c.session("responsable")
        ranking = c.first_link(page, "/ciblage/", r"/ciblage/classements/\d+/")
        establishment = c.first_link(page, ranking, r"/ciblage/classements/\d+/etablissements/[^/]+/")
        start = time.monotonic()
        page.goto(establishment)
        return page, {"lien": establishment, "secondes": round(time.monotonic() - start, 2)}

    def r6_charts():
        page = c.session("responsable")
        ranking = c.first_link(page, "/ciblage/", r"/ciblage/classements/\d+/")
        page.goto(ranking.rstrip("/") + "/equite/")
        launch = page.locator("main form button[type=submit]")
        if launch.count() and not page.locator("main svg").count():
            with page.expect_navigation():
                launch.first.click()
            for _ in range(60):  # the audit may run as a background job
                if page.locator("main svg").count() or "/taches/" not in page.url:
                    break
                page.wait_for_timeout(1000)
                page.reload()
                result = [h for h in page.eval_on_selector_all("main a[href]", "as => as.map(a => a.href)")
                          if "/equite" in h]
                if result and re.search(r"Terminée|terminée", text(page)):
                    page.goto(result[0])
                    break
        svg = page.locator("main svg")
        if svg.count():
            svg.first.scroll_into_view_if_needed()
        return page, {"svg": svg.count(), "img": page.locator("main img").count()}

    def r7_ai_notice_mobile():
        page = c.session(None, width=390)
        page.goto("/assistant/")
        return page, {"hauteur_avertissement": page.evaluate(
            "(() => { const e = document.querySelector('#avertissement-ia'); "
            "return e ? e.getBoundingClientRect().height : null; })()")}

    def r8_csp_dashboard():
        page = c.session("programme")
        page.goto("/programme/tableau-de-bord/")
        return page, {}

    def r9_demo_output():
        log = Path(os.environ.get("CAPTURE_DEMO_LOG", "/nonexistent"))
        lines = log.read_text(errors="replace").splitlines()[:40] if log.exists() else ["(journal absent)"]
        # the demo's passwords (last column of the accounts table) are not for a screenshot
        lines = [re.sub(r"│ \S+ +│$", "│ •••••••••••••••• │", line) if line.count("│") >= 3 else line
                 for line in lines]
        page = c.session(None)
        page.goto("about:blank")  # no Content-Security-Policy: the page below is not the platform's
        from html import escape

        page.set_content('<html lang="fr"><body style="margin:0;background:#1e1e1e;color:#eee">'
                         '<pre style="font:14px/1.4 monospace;padding:16px;white-space:pre-wrap">'
                         f"$ make demo\n{escape(chr(10).join(lines))}</pre></body></html>")
        return page, {"lignes": len(lines)}

    return [
        (1, "encodage-csv-windows", p01_encodings),
        (2, "page-erreur-500", p02_error_page),
        (3, "passage-a-un-agent", p03_handover),
        (4, "formulaire-jury", p04_jury),
        (6, "recherche-decisions", p06_search),
        (7, "relecture-decision", p07_review),
        (8, "assistant-caution", p08_caution),
        (9, "reponse-coupee", p09_cut_answer),
        (10, "import-demarche-numerique", p10_ds_import),
        (11, "biodiversite-archives", p11_usecases),
        (12, "menu-selon-le-role", r1_menu),
        (13, "fiche-modele-sans-internes", r2_internals),
        (14, "typographie-dossier", r3_typography),
        (15, "classement-pagine", r4_ranking),
        (16, "explication-etablissement", r5_explanation),
        (17, "graphiques-equite-svg", r6_charts),
        (18, "avertissement-ia-mobile", r7_ai_notice_mobile),
        (19, "tableau-de-bord-csp", r8_csp_dashboard),
        (20, "make-demo-sortie", r9_demo_output),
        (21, "objectivation-decisions", p06b_objectivation),
        (5, "appel-non-publie", p05_unpublished_call),  # last: it saves a call (then restores it)
    ]


def pattern_of(url: str) -> str:
    """/programme/dossiers/AMI-IA-2018-053/ and /programme/dossiers/AMI-IA-2018-054/ are one page."""
    path = url.split("#")[0]
    path = re.sub(r"/[A-Z]+(?:-[A-Z0-9]+)*-\d+(?=/|$)", "/<ref>", path)
    path = re.sub(r"\d+", "<n>", path)
    return re.sub(r"\?.*", "?…", path)


SKIP = re.compile(r"(deconnexion|/api/|/admin/|\.(csv|ics|pdf|json|xlsx|ods|zip|png|jpg|svg|geojson|xml|txt)"
                  r"|export|telecharger|/media/|/static/|courrier\.)", re.I)


# What a user should never read on a page: Python values, dicts, numeric dates, command-line advice.
RAW = {"valeur Python brute (True/False/None)": r"\b(?:True|False|None)\b",
       "dictionnaire Python": r"\{'[a-z_]+':",
       "date au format 03/12/2026 (attendu « 3 décembre 2026 »)": r"\b\d{2}/\d{2}/\d{4}\b",
       "date au format 2026-12-03 (attendu « 3 décembre 2026 »)": r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?![\w/.-])",
       "conseil de ligne de commande": r"(?:^|\s)--[a-z][a-z-]+\b|\bamorce [a-z]+ [a-z]+ --"}
TALL = 12_000  # px at 1280: a list this long should be paginated


def raw_internals(page) -> list[str]:
    body = page.locator("main").first.inner_text() if page.locator("main").count() else ""
    found = []
    for what, pattern in RAW.items():
        match = re.search(pattern, body)
        if match:
            start = max(match.start() - 40, 0)
            found.append(f"{what} : « …{' '.join(body[start:match.end() + 40].split())}… »")
    height = page.evaluate("document.documentElement.scrollHeight")
    if height > TALL:
        found.append(f"page de {height} px de haut à 1280 px (à paginer ?)")
    return found


def walk_demo(browser, base_url: str, accounts: dict[str, str], per_role: int, only=()) -> list[str]:
    """Every demo account through the login form, then each page reachable from its menu and pages
    (one page per URL pattern, at most ``per_role``), checked like the browser tests do (axe
    serious/critical, console errors, CSP violations, French title and language) at 1280 and 390 px,
    plus what a user should never read (:data:`RAW`) and pages taller than :data:`TALL`."""
    from tests.web.browser import Session, Visit

    problems: list[str] = []
    for username in [u for u in accounts if not only or u in only]:
        session = Session(browser, base_url)
        page = session.page
        page.goto("/comptes/connexion/")
        form = page.locator("main form").first
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(accounts[username])
        with page.expect_navigation():
            form.locator("input[name=password]").press("Enter")
        queue, seen, checked = ["/"], set(), 0
        while queue and checked < per_role:
            url = queue.pop(0)
            key = pattern_of(url)
            if key in seen:
                continue
            seen.add(key)
            try:
                session.goto(Visit(f"{username} {url}", url, (200, 403, 404)))
            except Exception as exc:  # noqa: BLE001 — a link to a file download, not a page
                if "Download is starting" not in str(exc):
                    problems.append(f"{username} {url} : {type(exc).__name__} {str(exc)[:200]}")
                session.page.goto("/")
                continue
            checked += 1
            problems += [f"{username} {url} : {finding}" for finding in raw_internals(page)]
            if session.status != 200:
                problems.append(f"{username} {url} : statut {session.status} (lien offert sur une page)")
            for href in page.eval_on_selector_all(
                    "a[href]", "as => as.map(a => a.href).filter(h => h.startsWith(location.origin))"):
                local = href[len(base_url.rstrip("/")):] or "/"
                if not SKIP.search(local) and pattern_of(local) not in seen:
                    queue.append(local)
        problems += session.problems
        print(f"{username} : {checked} pages, {len(session.problems)} problème(s)", flush=True)
        session.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--accounts", required=True, type=Path, help="demo_accounts.json of the demo")
    parser.add_argument("--out", type=Path, default=Path("docs/captures/ticket-15/apres"))
    parser.add_argument("--only", default="", help="numbers to take, comma-separated (default: all); with "
                        "--walk, the demo accounts to walk")
    parser.add_argument("--server-error-by-upload", action="store_true",
                        help="point 2 on code that crashed on point 1: screenshot that crash")
    parser.add_argument("--walk", type=int, default=0, metavar="N",
                        help="instead of screenshots: walk up to N pages per demo account and check them")
    args = parser.parse_args()
    accounts = json.loads(args.accounts.read_text())
    if isinstance(accounts, list):
        accounts = {a["username"]: a["password"] for a in accounts}
    os.environ.setdefault("AMORCE_DATA_DIR", str(args.accounts.parent.resolve()))
    os.environ.setdefault("AMORCE_HTTPS", "0")
    key = args.accounts.parent / "secret_key"
    if key.exists():
        os.environ.setdefault("SECRET_KEY", key.read_text().strip())
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    only = {int(n) for n in args.only.split(",") if n.strip().isdigit()}
    import tempfile

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        if args.walk:
            problems = walk_demo(browser, args.base_url, accounts, args.walk,
                                 [u for u in args.only.split(",") if u.strip()])
            print("\n".join(problems) or "aucun problème")
            return 1 if problems else 0
        capturer = Capturer(browser, args.base_url, accounts, args.out)
        capturer.error_by_upload = args.server_error_by_upload
        for number, name, func in captures(capturer, Path(tmp)):
            if not only or number in only:
                capturer.run(number, name, func)
        browser.close()
    failed = [f for f in capturer.facts if "erreur" in f]
    print(f"{len(capturer.facts)} captures, {len(failed)} en erreur", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
