"""Public chat page of the assistant: notice, sourced answers, refusals, follow-ups, privacy, handover."""

from __future__ import annotations

import html
import json

import pytest

from amorce.assistant.answer import HESITATION_TEXT, REFUSAL_TEXT
from amorce.assistant.conversation import CONTEXT_TEXT
from amorce.assistant.models import Exchange, HandoverTicket
from amorce.assistant.privacy import AI_ACT_NOTICE
from amorce.web.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("assistant_settings")]

KEYS_QUESTION = "mon proprio peut il garder un double de mes clés ?"
OUT_OF_SCOPE = "Quelle est la recette de la pâte à crêpes ?"


def page(response) -> str:
    return html.unescape(response.content.decode())


def ask_page(client, question: str, **extra):
    response = client.post("/assistant/", {"question": question, **extra})
    assert response.status_code == 302 and "#echange-" in response["Location"], response.status_code
    return response


def test_anonymous_chat_shows_the_ai_act_notice_then_a_sourced_answer(client):
    first = client.get("/assistant/")
    assert first.status_code == 200
    text = page(first)
    assert AI_ACT_NOTICE in text and "article 50" in text
    assert text.index(AI_ACT_NOTICE) < text.index('name="question"')  # before the first question
    assert 'role="log"' in text and 'aria-live="polite"' in text and 'for="id_question"' in text
    assert "Aucun contenu n'est encore indexé" not in text

    response = ask_page(client, KEYS_QUESTION)
    exchange = Exchange.objects.get()
    assert response["Location"].endswith(f"/assistant/#echange-{exchange.pk}")
    assert not exchange.refused and exchange.top_fiche_id == "F12244" and exchange.conversation is not None
    text = page(client.get("/assistant/"))
    assert AI_ACT_NOTICE in text
    assert "Un propriétaire peut-il garder un double des clés de son locataire ?" in text
    assert 'href="https://www.service-public.fr/particuliers/vosdroits/F12244"' in text and ">F12244<" in text
    assert "Réponse de l'assistant" in text and "Cette réponse vous a-t-elle aidé ?" in text
    assert f'id="echange-{exchange.pk}"' in text and 'tabindex="-1"' in text


def test_out_of_scope_question_is_refused(client):
    ask_page(client, OUT_OF_SCOPE)
    exchange = Exchange.objects.get()
    assert exchange.refused and exchange.sources == [] and exchange.top_fiche_id == ""
    text = page(client.get("/assistant/"))
    assert REFUSAL_TEXT in text and "Pas de réponse fiable" in text


def test_follow_up_question_uses_the_previous_question(client):
    from amorce.assistant.conversation import contextual_query, looks_like_follow_up

    follow = "et s'il veut visiter ?"
    ask_page(client, follow)  # alone, in a fresh conversation: not enough to answer, the user is asked
    alone = Exchange.objects.get()
    assert not alone.follow_up and alone.top_fiche_id == "" and alone.answer == CONTEXT_TEXT
    assert len(alone.sources) == 3  # the closest fiches are offered
    assert "cette conversation commence" in page(client.get("/assistant/"))
    client.post("/assistant/nouvelle-conversation/")
    ask_page(client, KEYS_QUESTION)
    ask_page(client, follow)
    last = Exchange.objects.latest("pk")
    assert last.follow_up and not last.refused
    assert last.search_query == f"{KEYS_QUESTION} {follow}" and last.question == follow
    assert last.conversation_id != alone.conversation_id
    assert looks_like_follow_up("et pour un studio ?") and looks_like_follow_up("combien ça coûte ?")
    assert not looks_like_follow_up("Quelles sont les démarches pour obtenir une carte grise ?")
    assert contextual_query("Quelles sont les démarches pour obtenir une carte grise ?", last)[1] is False


def test_very_short_question_gets_a_clarifying_question(client):
    ask_page(client, "loyer")
    exchange = Exchange.objects.get()
    assert not exchange.refused and exchange.top_fiche_id == "" and len(exchange.sources) == 3
    text = page(client.get("/assistant/"))
    assert "Pouvez-vous préciser ?" in text
    title = exchange.sources[0]["title"]
    assert f'name="question" value="{title}"' in text  # each suggestion is a one-click question


def test_hesitating_search_asks_which_fiche_then_answers_the_one_picked(client):
    # « rentrer chez moi » may be the landlord's visits (F1857) or his keys (F12244): the search hesitates
    ask_page(client, "le proprio peut il rentrer chez moi ?")
    asked = Exchange.objects.get()
    assert asked.answer == HESITATION_TEXT and not asked.refused and asked.top_fiche_id == ""
    assert {s["id"] for s in asked.sources[:2]} == {"F1857", "F12244"}
    text = page(client.get("/assistant/"))
    assert "Pouvez-vous préciser ?" in text and "Cette réponse vous a-t-elle aidé ?" not in text
    title = next(s["title"] for s in asked.sources if s["id"] == "F1857")
    assert f'name="question" value="{title}"' in text
    ask_page(client, title)  # picking a suggestion searches that title alone, and answers
    picked = Exchange.objects.latest("pk")
    assert picked.top_fiche_id == "F1857" and not picked.follow_up and picked.search_query == title
    assert picked.answer != HESITATION_TEXT and not picked.refused



def test_asking_back_can_be_turned_off(client, settings):
    settings.AMORCE_ASSISTANT_ASK_BACK = "0"
    ask_page(client, "le proprio peut il rentrer chez moi ?")
    answered = Exchange.objects.get()
    assert answered.answer != HESITATION_TEXT and answered.top_fiche_id in {"F1857", "F12244"}


def test_personal_data_typed_by_the_user_is_masked_everywhere_it_is_stored(client):
    raw = ("Bonjour, je m'appelle Jeanne Martin, NIR 2 84 05 75 112 233 43, jeanne.martin@example.org, "
           "06 12 34 56 78 : " + KEYS_QUESTION)
    ask_page(client, raw)
    client.post("/assistant/agent/", {"message": "Rappelez-moi au 07 98 76 54 32 ou jeanne.martin@example.org",
                                      "canal": "telephone", "telephone": "07 98 76 54 32"})
    exchange = Exchange.objects.get()
    ticket = HandoverTicket.objects.get()
    stored = " ".join([exchange.question, exchange.search_query, exchange.answer, ticket.message, ticket.transcript])
    for secret in ("Jeanne", "Martin", "2 84 05 75 112 233 43", "jeanne.martin@example.org", "06 12 34 56 78",
                   "07 98 76 54 32"):
        assert secret not in stored, secret
    for tag in ("[NIR]", "[EMAIL]", "[TELEPHONE]", "[NOM]"):
        assert tag in exchange.question, tag
    assert exchange.masked == {"EMAIL": 1, "NIR": 1, "TELEPHONE": 1, "NOM": 1}
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        assert "Jeanne" not in json.dumps(session.get_decoded())


def test_htmx_post_returns_only_the_new_exchange(client):
    response = client.post("/assistant/", {"question": KEYS_QUESTION}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = page(response)
    assert text.lstrip().startswith("<article") and "F12244" in text and "<html" not in text
    assert 'data-dernier="1"' in text
    errors = client.post("/assistant/", {"question": ""}, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in page(errors) and "Saisissez une question." in page(errors)


def test_feedback_is_stored_only_for_the_visitors_own_answers(client, django_user_model):
    from django.test import Client

    ask_page(client, KEYS_QUESTION)
    exchange = Exchange.objects.get()
    stranger = Client()
    assert stranger.post(f"/assistant/avis/{exchange.pk}/", {"avis": "pas_utile"}).status_code == 404
    client.post(f"/assistant/avis/{exchange.pk}/", {"avis": "n_importe_quoi"})
    exchange.refresh_from_db()
    assert exchange.feedback == ""
    response = client.post(f"/assistant/avis/{exchange.pk}/", {"avis": "utile"})
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.feedback == "utile" and exchange.feedback_at is not None
    assert "Merci pour votre avis" in page(client.get("/assistant/"))
    assert client.get(f"/assistant/avis/{exchange.pk}/").status_code == 405


def test_talking_to_an_agent_creates_a_ticket_with_the_transcript(client):
    ask_page(client, KEYS_QUESTION)
    ask_page(client, OUT_OF_SCOPE)
    response = client.post("/assistant/agent/", {"message": "Je voudrais parler à quelqu'un.", "canal": "courriel",
                                                 "courriel": "camille@exemple.fr"}, follow=True)
    ticket = HandoverTicket.objects.get()
    assert ticket.status == HandoverTicket.Status.NEW and ticket.conversation is not None
    assert f"Usager : {KEYS_QUESTION}" in ticket.transcript and "F12244" in ticket.transcript
    assert f"Usager : {OUT_OF_SCOPE}" in ticket.transcript and REFUSAL_TEXT in ticket.transcript
    assert f"demande n° {ticket.pk} a été transmise" in page(response)
    assert AuditEvent.objects.filter(action="assistant_transfert_agent").exists()


def test_chat_says_plainly_when_no_knowledge_base_is_indexed(client, settings, tmp_path):
    settings.AMORCE_DATA_DIR = tmp_path
    text = page(client.get("/assistant/"))
    assert "Aucun contenu n'est encore indexé" in text and "doit d'abord indexer les fiches" in text
    assert "amorce assistant" not in text  # no command line in the web pages
    assert AI_ACT_NOTICE in text
    response = client.post("/assistant/", {"question": KEYS_QUESTION})
    assert response.status_code == 503 and not Exchange.objects.exists()


def test_chat_is_rate_limited(client, settings):
    settings.AMORCE_API_RATE_LIMIT = "2/m"
    ask_page(client, KEYS_QUESTION)
    ask_page(client, KEYS_QUESTION)
    response = client.post("/assistant/", {"question": KEYS_QUESTION})
    assert response.status_code == 429 and "Trop de questions" in page(response)
    assert Exchange.objects.count() == 2


def test_answer_text_is_rendered_as_paragraphs_headings_and_lists():
    from amorce.assistant.views import answer_blocks

    blocks = answer_blocks("D'après la fiche « X » :\n\nProcédure › Demande :\n- étape 1\n- étape 2\nFin.")
    assert blocks == [{"kind": "p", "lines": ["D'après la fiche « X » :"]},
                      {"kind": "h", "lines": ["Procédure › Demande :"]},
                      {"kind": "ul", "lines": ["étape 1", "étape 2"]},
                      {"kind": "p", "lines": ["Fin."]}]
