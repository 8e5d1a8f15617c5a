"""The magistrate's pages in a real browser at 1280 px and on a tablet (768 px): on the review page
the entity table's actions are not clipped, the category menu reads its French labels, and selecting
text in the decision adds an occultation (no typing of positions); the search and objectivation
pages with results; axe (no serious or critical issue, also on a decision longer than its box),
no console error, no CSP violation."""

from __future__ import annotations

import pytest

from amorce.decisions.models import Decision

from .test_web_api import stored  # noqa: F401 - fixture
from .test_web_review import TEXT_1, _import

playwright = pytest.importorskip("playwright.sync_api")
from tests.web.browser import (  # noqa: E402
    AXE_RUN,
    AXE_SCRIPT,
    BLOCKING_IMPACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_LISTENER,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT = """(word) => {
  const piece = [...document.querySelectorAll('#texte [data-start]')].find(p => p.textContent.includes(word));
  const node = piece.firstChild, at = node.textContent.indexOf(word);
  const range = document.createRange();
  range.setStart(node, at); range.setEnd(node, at + word.length + 1);  // with the space after it
  const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
}"""
LAYOUT = """() => {
  const table = document.querySelector('.decisions-entities');
  const box = table.getBoundingClientRect();
  const cells = [...table.querySelectorAll('td:last-child button, td:last-child select')];
  const clipped = cells.filter(c => c.getBoundingClientRect().right > Math.min(box.right, window.innerWidth) + 1);
  const narrow = [...table.querySelectorAll('select')].filter(s => s.scrollWidth > s.clientWidth + 1);
  return {clipped: clipped.length, narrow: narrow.length, buttons: cells.length,
          options: [...table.querySelector('select').options].map(o => o.textContent)};
}"""


@pytest.fixture
def reviewer(client_as):
    return client_as("magistrat_greffier")


@pytest.mark.parametrize("width", [1280, 768])
def test_review_usable_on_desktop_and_tablet_with_selection_to_occult(live_server, reviewer, stored, width):  # noqa: F811
    # CA-2 is longer than its box on the page: the box scrolls and must be reachable by keyboard
    long_text = TEXT_1 + "Le tribunal rappelle les faits et la procédure suivie devant lui.\n" * 80
    _import(reviewer, [{"id": "CA-1", "text": TEXT_1, "jurisdiction": "Cour d'appel de Rennes"},
                       {"id": "CA-2", "text": long_text, "jurisdiction": "Cour d'appel de Rennes"}])
    decision = Decision.objects.get(external_id="CA-1")
    assert not decision.entities.filter(text="rouquin").exists()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        context.add_cookies([{"name": "sessionid", "value": reviewer.cookies["sessionid"].value,
                              "url": live_server.url}])
        context.add_init_script(CSP_LISTENER)
        context.add_init_script(AXE_SCRIPT)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        def check(url: str) -> None:
            page.goto(live_server.url + url)
            blocking = [v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
            assert blocking == [] and errors == [] and page.evaluate("window.__cspViolations") == [], (
                url, blocking, errors)

        check("/decisions/recherche/?q=licenciement+reclassement&mode=lexical")
        assert page.locator(".decisions-passage mark").count() > 0
        check("/decisions/objectivation/?description=licenciement&kind=article_700&k=10&awarded_only=on"
              "&mode=lexical")
        assert page.locator("svg circle.amorce-chart__point").count() >= 3
        check(f"/decisions/{decision.pk}/")
        layout = page.evaluate(LAYOUT)
        assert layout["buttons"] and layout["clipped"] == 0 and layout["narrow"] == 0, layout
        assert "Localité" in layout["options"] and "Loc" not in layout["options"]
        assert page.is_disabled("#selection-bouton")
        page.evaluate(SELECT, "rouquin")
        assert page.text_content("#selection-texte") == "« rouquin »"
        page.select_option("#selection-categorie", "personnePhysique")
        page.click("#selection-bouton")
        page.wait_for_load_state("load")
        assert errors == []
        check(f"/decisions/{Decision.objects.get(external_id='CA-2').pk}/")
        assert page.get_attribute("#texte", "tabindex") == "0", "the scrolling text is not reachable by keyboard"
        assert page.get_attribute("#texte", "aria-label") == "Zone défilante : Texte de la décision"
        browser.close()
    added = decision.entities.get(text="rouquin")
    assert (added.category, decision.text[added.start:added.end]) == ("personnePhysique", "rouquin")
