"""The public chat and the embeddable widget in headless Chromium: keyboard only, focus on the new
answer, axe-core, CSP; the widget on another site works only when that site's origin is listed."""

from __future__ import annotations

import pytest

from tests.web.browser import PASSWORD, Session, Visit, browser  # noqa: F401  (fixture)

from .test_web_chat import KEYS_QUESTION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("assistant_settings")]


def active(session: Session) -> dict:
    return session.page.evaluate("""() => { const el = document.activeElement;
        return {tag: el.tagName, id: el.id, text: el.innerText || ""}; }""")


def test_chat_by_keyboard_focuses_the_sourced_answer(browser, live_server):  # noqa: F811
    session = Session(browser, live_server.url)
    try:
        session.goto(Visit("Assistant", "/assistant/"))
        page = session.page
        page.locator("#id_question").focus()
        page.keyboard.type(KEYS_QUESTION)
        page.keyboard.press("Tab")  # audience select
        page.keyboard.press("Tab")
        assert active(session)["id"] == "bouton-envoyer"
        page.keyboard.press("Enter")
        page.wait_for_selector("article[data-dernier]")
        page.wait_for_selector("article:focus")  # no wait_for_function: it evals, the CSP forbids it
        focused = active(session)
        assert focused["id"].startswith("echange-") and "F12244" in focused["text"]
        assert page.locator("#id_question").input_value() == ""
        session.check(Visit("Assistant (après une réponse)", "/assistant/"))
    finally:
        session.close()
    assert not session.problems, session.report()


def test_widget_preview_by_keyboard(browser, live_server):  # noqa: F811
    session = Session(browser, live_server.url)
    try:
        session.goto(Visit("Intégration", "/assistant/integration/"))
        page = session.page
        widget = page.locator("#apercu-assistant")
        field = widget.get_by_label("Votre question")
        field.focus()
        page.keyboard.type(KEYS_QUESTION)
        page.keyboard.press("Control+Enter")
        page.wait_for_selector("article:focus")  # no wait_for_function: it evals, the CSP forbids it
        focused = active(session)
        assert "Vous : " + KEYS_QUESTION in focused["text"] and "F12244" in focused["text"]
        assert widget.get_by_role("log").get_attribute("aria-busy") is None
        assert field.input_value() == ""
        session.check(Visit("Intégration (après une réponse)", "/assistant/integration/"))
    finally:
        session.close()
    assert not session.problems, session.report()


@pytest.fixture
def partner(live_server):
    """A page of a partner site (its own small server, another origin on this machine) that embeds the
    widget served by ``live_server``; yields the partner's origin."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    origin = live_server.url
    html = (f'<!DOCTYPE html><html lang="fr"><head><title>Mairie partenaire</title></head><body><main>'
            f'<h1>Mairie partenaire</h1><div data-amorce-assistant="{origin}"><a href="{origin}/assistant/">'
            f"Poser une question à l'assistant</a></div>"
            f'<script src="{origin}/static/assistant/widget.js" defer></script></main></body></html>').encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def open_partner_page(session: Session, partner: str) -> None:
    session.page.goto(f"{partner}/", wait_until="load")
    session.page.wait_for_selector("[data-amorce-assistant] textarea")


def test_widget_on_a_listed_site_answers(browser, live_server, partner, settings):  # noqa: F811
    settings.AMORCE_ASSISTANT_CORS_ORIGINS = partner
    session = Session(browser, live_server.url)
    try:
        open_partner_page(session, partner)
        page = session.page
        page.get_by_label("Votre question").fill(KEYS_QUESTION)
        page.get_by_role("button", name="Envoyer").press("Enter")
        page.wait_for_selector("article:focus")  # no wait_for_function: it evals, the CSP forbids it
        assert "F12244" in active(session)["text"]
        assert session.console == []
    finally:
        session.close()


def test_widget_on_an_unlisted_site_is_blocked_by_the_browser(browser, live_server, partner,  # noqa: F811
                                                               settings):
    settings.AMORCE_ASSISTANT_CORS_ORIGINS = "https://autre-site.example"
    session = Session(browser, live_server.url)
    try:
        open_partner_page(session, partner)
        page = session.page
        page.get_by_label("Votre question").fill(KEYS_QUESTION)
        page.get_by_role("button", name="Envoyer").click()
        status = page.get_by_role("status")
        status.filter(has_text="injoignable").wait_for()
        assert page.locator("[data-amorce-assistant] article").count() == 0
        assert any("CORS" in message for message in session.console), session.console
    finally:
        session.close()


def test_agent_back_office_and_question_verification(browser, live_server):  # noqa: F811
    """The agents' pages pass axe and the CSP, and a question is verified with the form's error first."""
    from django.contrib.auth import get_user_model

    from amorce.assistant.models import Exchange, HandoverTicket, VerifiedQuestion
    from amorce.web.roles import Role, set_roles

    agent = get_user_model().objects.create_user(username="e2e-accueil", password=PASSWORD, first_name="Camille")
    set_roles(agent, [Role.AGENT_ACCUEIL])
    refused = Exchange.objects.create(question="recette de la tarte tatin", answer="Je ne sais pas.", refused=True)
    Exchange.objects.create(question=KEYS_QUESTION, answer="Oui, avec votre accord.", top_fiche_id="F12244",
                            top_fiche_title="Un propriétaire peut-il garder un double des clés ?",
                            sources=[{"id": "F12244", "title": "Un propriétaire peut-il garder un double des clés ?",
                                      "url": "https://www.service-public.fr/particuliers/vosdroits/F12244"}],
                            feedback="pas_utile")
    HandoverTicket.objects.create(transcript="Usager : bonjour")
    session = Session(browser, live_server.url)
    try:
        session.sign_in(agent.username)
        session.goto(Visit("Suivi de l'assistant", "/assistant/suivi/"))
        session.goto(Visit("Demandes transmises", "/assistant/suivi/demandes/"))
        verify = f"/assistant/suivi/echanges/{refused.pk}/verifier/"
        session.goto(Visit("Vérifier une question", verify))
        page = session.page
        page.get_by_role("searchbox", name="Chercher une fiche par mots-clés").fill("double des clés")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.get_by_text("F12244 — Un propriétaire peut-il garder un double des clés", exact=False).wait_for()
        session.check(Visit("Vérifier une question (recherche d'une fiche)", verify))
        page.get_by_text("Une autre fiche de la base", exact=True).click()  # the DSFR label covers the radio
        page.get_by_role("textbox", name="Numéro de la fiche").fill("F000")
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer la vérification").click()
        assert "n'est pas dans la base" in page.get_by_role("alert").inner_text()
        session.status = 400  # the form with errors comes back as 400 (logged by Chromium as such)
        session.check(Visit("Vérifier une question (erreur)", verify, 400))
        page.get_by_text("Aucune fiche de la base ne répond (hors périmètre)", exact=True).click()
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer la vérification").click()
        assert page.url.endswith("/assistant/suivi/")
        session.check(Visit("Suivi de l'assistant (après vérification)", "/assistant/suivi/"))
    finally:
        session.close()
    assert not session.problems, session.report()
    assert VerifiedQuestion.objects.get().fiche_id == ""


def test_handover_by_keyboard_then_the_agent_answers(browser, live_server):  # noqa: F811
    """Asking for a person starts the handover; the form's errors, the ticket number and the agent's
    ticket page pass axe and the CSP; the AI notice is one block, the answer one font size (390 px)."""
    from django.contrib.auth import get_user_model

    from amorce.assistant.models import HandoverTicket
    from amorce.web.roles import Role, set_roles

    session = Session(browser, live_server.url)
    try:
        page = session.page
        page.set_viewport_size({"width": 390, "height": 844})
        session.goto(Visit("Assistant (mobile)", "/assistant/"))
        notice = page.locator("#avertissement-ia").bounding_box()
        assert notice["height"] < 0.6 * 844, notice  # one readable block, not the whole first screen
        for question in (KEYS_QUESTION, "je voudrais parler à un conseiller"):
            page.locator("#id_question").fill(question)
            page.locator("#bouton-envoyer").press("Enter")
            page.wait_for_selector(f"article[data-dernier] h3:has-text(\"{question[:20]}\")")
        sizes = page.evaluate("""() => [...document.querySelectorAll(
            '.assistant-echange .fr-callout > p:not(.fr-callout__title):not(.fr-text--xs):not(.fr-text--sm), .assistant-echange .fr-callout > ul:not(.fr-text--sm) li'
            )].map(e => getComputedStyle(e).fontSize)""")
        assert len(set(sizes)) == 1, sizes
        page.get_by_role("link", name="Remplir le formulaire « Parler à un agent »").click()
        session.check(Visit("Assistant (mise en relation)", "/assistant/"))
        page.get_by_label("Adresse électronique").fill("camille@")
        with page.expect_navigation():
            page.get_by_role("button", name="Parler à un agent").click()
        session.status = 400
        assert "adresse électronique valide" in page.locator("#erreur-courriel").inner_text()
        session.check(Visit("Assistant (coordonnées invalides)", "/assistant/agent/", 400))
        page.get_by_label("Adresse électronique").fill("camille@exemple.fr")
        with page.expect_navigation():
            page.get_by_role("button", name="Parler à un agent").click()
        ticket = HandoverTicket.objects.get()
        assert f"Votre demande n° {ticket.pk}" in page.locator("#demande-agent").inner_text()
        session.check(Visit("Assistant (demande transmise)", "/assistant/"))
    finally:
        session.close()
    assert not session.problems, session.report()

    agent = get_user_model().objects.create_user(username="e2e-accueil2", password=PASSWORD)
    set_roles(agent, [Role.AGENT_ACCUEIL])
    session = Session(browser, live_server.url)
    try:
        session.sign_in(agent.username)
        url = f"/assistant/suivi/demandes/{ticket.pk}/"
        session.goto(Visit("Demande transmise", url))
        page = session.page
        page.get_by_label("Votre réponse").fill("Bonjour, voici la marche à suivre.")
        with page.expect_navigation():
            page.get_by_role("button", name="Envoyer la réponse").click()
        assert "Réponse envoyée par courriel ; demande close." in page.locator("main").inner_text()
        session.check(Visit("Demande transmise (réponse envoyée)", url))
        page.set_viewport_size({"width": 390, "height": 844})
        session.check(Visit("Demande transmise (mobile)", url))
    finally:
        session.close()
    assert not session.problems, session.report()
    ticket.refresh_from_db()
    assert ticket.status == "clos"
