"""Handover to an agent: asking for a person in the chat starts it; the form asks how to be contacted
(checked, masked in logs and the audit, purged with the ticket); the agent reads the transcript,
answers by e-mail (Django's mail backend) or notes a phone answer, and closes the ticket."""

from __future__ import annotations

import html
import logging

import pytest
from django.core import mail
from django.test import Client

from amorce.assistant.conversation import HANDOVER_TEXT, respond, wants_human
from amorce.assistant.models import Exchange, HandoverTicket, TicketReply
from amorce.assistant.services import mask_contact
from amorce.web.models import AuditEvent

from .test_web_chat import KEYS_QUESTION, ask_page, page

# Wordings the rule was not written from (the examples are « parler à un agent », « je veux
# parler à quelqu'un », « un conseiller », « un humain »).
ASKS_FOR_A_PERSON = [
    "Est-ce que je peux discuter avec une vraie personne ?",
    "Passez-moi un conseiller s'il vous plaît",
    "J'aimerais être mis en relation avec un agent de la mairie",
    "Je souhaiterais contacter un interlocuteur",
    "Bonjour, un être humain svp",
    "je voudrais avoir quelqu'un au téléphone",
    "Pouvez-vous me rediriger vers un employé du service ?",
    "Je préfère échanger avec une personne réelle",
    "Je voudrais qu'une conseillère me rappelle",
    "UNE VRAIE PERSONNE !",
    "comment joindre un opérateur ?",
]
TOPICS = [
    "Un agent immobilier peut-il garder le double de mes clés ?",
    "Mon conseiller financier peut-il bloquer mon compte ?",
    "Comment devenir agent de police municipale ?",
    "Personne ne répond au téléphone de la CAF, que faire ?",
    "Qu'est-ce qu'une personne à charge pour les impôts ?",
    "Comment contacter la CAF ?",
    "Je veux vendre ma voiture à quelqu'un, quelles démarches ?",
    "Un conseiller municipal peut-il être salarié de la commune ?",
    "Les agents publics ont-ils droit au télétravail ?",
    "Quelqu'un peut-il récupérer ma carte grise à ma place ?",
]


@pytest.mark.parametrize("question", ASKS_FOR_A_PERSON)
def test_asking_for_a_person_is_recognised_in_wordings_the_rule_was_not_written_from(question):
    assert wants_human(question)


@pytest.mark.parametrize("question", TOPICS)
def test_a_question_about_agents_or_people_is_still_a_question(question):
    assert not wants_human(question)


def test_handover_reply_needs_no_search_and_masks_what_is_remembered():
    class NoSearch:
        def search(self, *args, **kwargs):
            raise AssertionError("a request for a person is not searched")

    reply = respond("je veux parler à quelqu'un, je suis Madame Durand", NoSearch(), None)
    assert reply.mode == "handover" and reply.handover and reply.answer == HANDOVER_TEXT
    assert not reply.refused and reply.sources == [] and "Durand" not in reply.question


def test_contact_is_masked_for_logs():
    assert mask_contact("camille.durand@exemple.fr") == "c•••@exemple.fr"
    assert mask_contact("06 12 34 56 78") == "06 •• •• •• 78"
    assert mask_contact("") == ""




@pytest.mark.django_db
@pytest.mark.usefixtures("assistant_settings")
@pytest.mark.parametrize("question", ["parler à un agent", "je veux parler à quelqu'un", "un conseiller",
                                      "un humain"])
def test_chat_starts_the_handover_instead_of_searching(client, question):
    ask_page(client, KEYS_QUESTION)
    ask_page(client, question)
    exchange = Exchange.objects.order_by("-pk").first()
    assert exchange.answer == HANDOVER_TEXT and not exchange.follow_up and exchange.top_fiche_id == ""
    text = page(client.get("/assistant/"))
    assert "Mise en relation avec un agent" in text and 'href="#demande-agent"' in text
    assert "Comment souhaitez-vous être recontacté ?" in text and 'id="demande-agent"' in text
    assert "Pouvez-vous préciser ?" not in text.split(question)[-1]


@pytest.mark.django_db
@pytest.mark.usefixtures("assistant_settings")
def test_handover_form_checks_the_contact_and_gives_the_ticket_number(client, caplog):
    ask_page(client, KEYS_QUESTION)
    missing = client.post("/assistant/agent/", {"canal": "courriel", "courriel": ""})
    assert missing.status_code == 400 and "Indiquez votre adresse électronique" in page(missing)
    bad = client.post("/assistant/agent/", {"canal": "courriel", "courriel": "camille@"})
    assert bad.status_code == 400 and "adresse électronique valide" in page(bad)
    assert 'value="camille@"' in bad.content.decode() and 'aria-invalid="true"' in bad.content.decode()
    bad_phone = client.post("/assistant/agent/", {"canal": "telephone", "telephone": "12 34"})
    assert bad_phone.status_code == 400 and "numéro de téléphone valide" in page(bad_phone)
    assert not HandoverTicket.objects.exists()

    with caplog.at_level(logging.INFO):
        response = client.post("/assistant/agent/", {"canal": "telephone", "telephone": "+33 6 12 34 56 78",
                                                     "message": "Merci"}, follow=True)
    ticket = HandoverTicket.objects.get()
    assert ticket.channel == "telephone" and ticket.contact == "06 12 34 56 78"
    assert f"Votre demande n° {ticket.pk}" in page(response)
    assert f"Votre demande n° <strong>{ticket.pk}</strong>" in response.content.decode()  # stays on the page
    assert f"Votre demande n° <strong>{ticket.pk}</strong>" in client.get("/assistant/").content.decode()
    event = AuditEvent.objects.get(action="assistant_transfert_agent")
    assert "12 34 56" not in str(event.details) and "06 •• •• •• 78" in str(event.details)
    assert "12 34 56" not in caplog.text and "06 •• •• •• 78" in caplog.text


@pytest.mark.django_db
@pytest.mark.usefixtures("assistant_settings")
def test_agent_reads_the_transcript_answers_by_email_and_closes(client, make_user, caplog):
    ask_page(client, KEYS_QUESTION)
    ask_page(client, "un conseiller svp")
    client.post("/assistant/agent/", {"canal": "courriel", "courriel": "camille.durand@exemple.fr"})
    ticket = HandoverTicket.objects.get()
    agent = Client()
    agent.force_login(make_user("agent_accueil"))
    url = f"/assistant/suivi/demandes/{ticket.pk}/"
    detail = html.unescape(agent.get(url).content.decode())
    assert KEYS_QUESTION in detail and "camille.durand@exemple.fr" in detail
    assert "Un propriétaire peut-il garder un double des clés" in detail  # the whole answer, not its first line
    assert "Envoyer la réponse" in detail

    assert agent.post(url, {"action": "repondre", "reponse": ""}).status_code == 400
    with caplog.at_level(logging.INFO):
        response = agent.post(url, {"action": "repondre", "reponse": "Bonjour, voici la marche à suivre.",
                                    "clore": "on"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille.durand@exemple.fr"]
    assert f"n° {ticket.pk}" in mail.outbox[0].subject and "marche à suivre" in mail.outbox[0].body
    ticket.refresh_from_db()
    assert ticket.status == "clos" and ticket.closed_at is not None and ticket.assigned_to is not None
    reply = TicketReply.objects.get()
    assert reply.sent and reply.ticket == ticket and reply.body == "Bonjour, voici la marche à suivre."
    event = AuditEvent.objects.get(action="assistant_reponse_agent")
    assert "camille.durand" not in str(event.details) and "camille.durand" not in caplog.text
    assert "marche à suivre" in html.unescape(agent.get(url).content.decode())


@pytest.mark.django_db
@pytest.mark.usefixtures("assistant_settings")
def test_a_failed_email_records_nothing(client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    ask_page(client, KEYS_QUESTION)
    client.post("/assistant/agent/", {"canal": "courriel", "courriel": "camille@exemple.fr"})
    ticket = HandoverTicket.objects.get()
    agent = Client()
    agent.force_login(make_user("agent_accueil"))
    response = agent.post(f"/assistant/suivi/demandes/{ticket.pk}/", {"action": "repondre", "reponse": "Bonjour"})
    assert response.status_code == 400 and "n'a pas pu être envoyé" in page(response)
    ticket.refresh_from_db()
    assert not TicketReply.objects.exists() and ticket.status == "nouveau"


@pytest.mark.django_db
@pytest.mark.usefixtures("assistant_settings")
def test_phone_answer_is_noted_without_email(client, make_user):
    ask_page(client, KEYS_QUESTION)
    client.post("/assistant/agent/", {"canal": "telephone", "telephone": "0612345678"})
    ticket = HandoverTicket.objects.get()
    agent = Client()
    agent.force_login(make_user("agent_accueil"))
    url = f"/assistant/suivi/demandes/{ticket.pk}/"
    assert "06 12 34 56 78" in page(agent.get(url))
    agent.post(url, {"action": "repondre", "reponse": "Appel passé : rendez-vous pris."})
    ticket.refresh_from_db()
    assert not mail.outbox and ticket.status == "en_cours" and TicketReply.objects.get().sent is False
