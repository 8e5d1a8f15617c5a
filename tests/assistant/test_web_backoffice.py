"""Agents' back-office (tickets, unanswered questions, topics, feedback), retention purge, demo loader."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from amorce.assistant import config, tasks
from amorce.assistant.models import Conversation, Exchange, HandoverTicket

from .test_web_chat import KEYS_QUESTION, OUT_OF_SCOPE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("assistant_settings")]


KB_EXTRA_FICHES = 3
URLS = ("/assistant/suivi/", "/assistant/suivi/demandes/")


def test_back_office_is_for_front_desk_agents_only(client, client_as):
    ticket = HandoverTicket.objects.create(transcript="Usager : bonjour")
    urls = (*URLS, f"/assistant/suivi/demandes/{ticket.pk}/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url
    other = client_as("instructeur")
    for url in urls:
        assert other.get(url).status_code == 403, url
    assert other.post(f"/assistant/suivi/demandes/{ticket.pk}/", {"status": "clos"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "nouveau"


def test_agent_sees_unanswered_questions_topics_feedback_and_handles_tickets(client, make_user):
    citizen = client
    for question in (KEYS_QUESTION, KEYS_QUESTION + " vraiment", OUT_OF_SCOPE):
        assert citizen.post("/assistant/", {"question": question}).status_code == 302
    useful = Exchange.objects.filter(top_fiche_id="F12244").first()
    citizen.post(f"/assistant/avis/{useful.pk}/", {"avis": "pas_utile"})
    citizen.post("/assistant/agent/", {"message": "Je veux un rendez-vous.", "canal": "telephone",
                                       "telephone": "06 12 34 56 78"})
    ticket = HandoverTicket.objects.get()

    from django.test import Client

    agent = Client()
    agent.force_login(make_user("agent_accueil"))
    text = html.unescape(agent.get("/assistant/suivi/").content.decode())
    assert OUT_OF_SCOPE in text  # unanswered question
    assert "F12244" in text and "Un propriétaire peut-il garder un double des clés" in text
    row = text[text.index("<td>F12244</td>"):]
    row = row[:row.index("</tr>")]
    assert "<td>2</td>" in row and "<td>1</td>" in row  # cited twice, one « pas utile »
    assert "nouveau : 1" in text

    listing = html.unescape(agent.get("/assistant/suivi/demandes/?etat=nouveau").content.decode())
    assert f"Demande n° {ticket.pk}" in listing and "Je veux un rendez-vous." in listing
    assert f"Demande n° {ticket.pk}" not in agent.get("/assistant/suivi/demandes/?etat=clos").content.decode()
    detail = html.unescape(agent.get(f"/assistant/suivi/demandes/{ticket.pk}/").content.decode())
    assert KEYS_QUESTION in detail and OUT_OF_SCOPE in detail

    agent.post(f"/assistant/suivi/demandes/{ticket.pk}/", {"action": "etat", "status": "en_cours",
                                                             "agent_note": "Rappel prévu"})
    ticket.refresh_from_db()
    assert ticket.status == "en_cours" and ticket.assigned_to is not None and ticket.closed_at is None
    agent.post(f"/assistant/suivi/demandes/{ticket.pk}/", {"action": "etat", "status": "clos", "agent_note": "Traité"})
    ticket.refresh_from_db()
    assert ticket.status == "clos" and ticket.closed_at is not None
    bad = agent.post(f"/assistant/suivi/demandes/{ticket.pk}/", {"action": "etat", "status": "perdu"})
    assert bad.status_code == 400


def _exchange(days_ago: int, conversation=None) -> Exchange:
    ex = Exchange.objects.create(question=f"question {days_ago}", answer="réponse", conversation=conversation)
    Exchange.objects.filter(pk=ex.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return ex


def test_purge_removes_what_is_older_than_the_retention_period(settings, monkeypatch):
    old_conv = Conversation.objects.create(kb="service-public")
    Conversation.objects.filter(pk=old_conv.pk).update(updated_at=timezone.now() - timedelta(days=120))
    _exchange(120, old_conv)
    old = _exchange(100)
    recent = _exchange(10)
    closed = HandoverTicket.objects.create(status="clos", channel="courriel", contact="camille@exemple.fr")
    open_ticket = HandoverTicket.objects.create(status="nouveau", channel="telephone", contact="06 12 34 56 78")
    fresh = HandoverTicket.objects.create(status="nouveau", channel="telephone", contact="06 12 34 56 79")
    HandoverTicket.objects.filter(pk__in=[closed.pk, open_ticket.pk]).update(
        updated_at=timezone.now() - timedelta(days=200))

    monkeypatch.delenv("AMORCE_ASSISTANT_RETENTION_DAYS", raising=False)
    config.reset()
    assert tasks.retention_days() == 90
    monkeypatch.setenv("AMORCE_ASSISTANT_RETENTION_DAYS", "30")
    config.reset()  # the environment is read once per process
    assert tasks.retention_days() == 30
    settings.AMORCE_ASSISTANT_RETENTION_DAYS = 150
    assert tasks.retention_days() == 150
    result = tasks.purge_expired()  # 150 days: nothing is that old except the tickets
    assert Exchange.objects.count() == 3 and result["closed_tickets"] == 1
    assert set(HandoverTicket.objects.values_list("pk", flat=True)) == {open_ticket.pk, fresh.pk}
    # the contact of a ticket left without activity beyond the retention period is erased with it
    assert result["contacts_erased"] == 1
    assert HandoverTicket.objects.get(pk=open_ticket.pk).contact == ""
    assert HandoverTicket.objects.get(pk=fresh.pk).contact == "06 12 34 56 79"

    from amorce.web import jobs

    settings.AMORCE_ASSISTANT_RETENTION_DAYS = 90
    job = jobs.execute(jobs.enqueue("assistant.purge").pk)
    assert job.status == "succeeded", job.error
    assert list(Exchange.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Exchange.objects.filter(pk=old.pk).exists() and not Conversation.objects.filter(pk=old_conv.pk).exists()


class FakeContext:
    def __init__(self):
        self.lines: list[str] = []
        self.steps: list[tuple] = []

    def log(self, message):
        self.lines.append(message)

    def progress(self, done, total=None, message=None):
        self.steps.append((done, total, message))


def test_demo_loader_keeps_an_existing_base_explains_when_there_is_no_content_and_indexes_in_the_background(
        client, settings, tmp_path, monkeypatch, kb_dir, shared_data):
    from amorce.assistant.services import load_kb
    from amorce.web import jobs
    from amorce.web.models import Job

    ctx = FakeContext()
    monkeypatch.setenv("AMORCE_SHARED_DATA", str(tmp_path / "absent"))
    config.reset()
    assert tasks.load_demo(ctx) == {"kb": "service-public", "indexed": False}
    assert "conservée" in ctx.lines[-1]

    settings.AMORCE_DATA_DIR = tmp_path / "vide"
    ctx = FakeContext()
    assert tasks.load_demo(ctx)["content"] == "none"
    assert "amorce assistant index --source" in ctx.lines[-1]

    # Five real fiches, the fourth answering an annotated question: all of them are indexed (no
    # limit by default), in the background, published two by two, the annotated one first.
    shared = tmp_path / "shared"
    (shared / "service_public_qa").mkdir(parents=True)
    source = shared_data / "service_public_qa" / "spf_fiches_question_reponse.jsonl"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)[:5]
    (shared / "service_public_qa" / "spf_fiches_question_reponse.jsonl").write_text("".join(lines), encoding="utf-8")
    ids = [json.loads(line)["id"] for line in lines]
    squad = {"data": [{"title": ids[3], "paragraphs": [{"context": "", "qas": [{"question": "Question ?"}]}]}]}
    (shared / "service_public_qa" / "spf_annotated_qa_105.squad.json").write_text(json.dumps(squad), encoding="utf-8")
    monkeypatch.setenv("AMORCE_SHARED_DATA", str(shared))
    monkeypatch.setattr(tasks, "DEMO_BATCH", 2)
    config.reset()
    ctx = FakeContext()
    result = tasks.load_demo(ctx)
    assert result["indexed"] is False and result["fiches"] == 5 and "arrière-plan" in ctx.lines[-1]
    job = Job.objects.get(kind="assistant.index")
    assert tasks.load_demo(FakeContext())["background_job"] == str(job.pk)  # queued once

    # while it is queued, the chat says so and cannot answer yet
    page = html.unescape(client.get("/assistant/").content.decode())
    assert "La base est en cours d'indexation : 0 / 5 fiches." in page and "ne peut pas encore répondre" in page
    refused = client.post("/assistant/", {"question": KEYS_QUESTION})
    assert refused.status_code == 503 and "en cours d'indexation" in html.unescape(refused.content.decode())

    published: list[set[str]] = []
    from amorce.assistant import kb as kb_module

    original = kb_module.index_documents

    def spy(docs, *args, **kwargs):
        report = original(docs, *args, **kwargs)
        published.append({doc["id"] for doc in load_kb().docs})
        return report

    monkeypatch.setattr(kb_module, "index_documents", spy)
    done = jobs.execute(job.pk)
    assert done.status == "succeeded", done.error
    assert [len(p) for p in published] == [2, 4, 5] and ids[3] in published[0]  # annotated fiche first
    assert done.result["documents"] == 5 and done.progress == 1.0
    assert {doc["id"] for doc in load_kb().docs} == set(ids)
    assert "en cours d'indexation" not in html.unescape(client.get("/assistant/").content.decode())
    assert tasks.load_demo(FakeContext()) == {"kb": "service-public", "indexed": False}  # complete: kept


def test_chat_answers_from_what_is_indexed_while_the_indexing_runs(client, kb_dir):
    from amorce.web.jobs import enqueue

    enqueue("assistant.index", {"kb": "service-public", "fiches": 1705})
    page = html.unescape(client.get("/assistant/").content.decode())
    assert "La base est en cours d'indexation : 9 / 1705 fiches." in page
    assert "répond dès maintenant à partir des fiches déjà indexées" in page
    assert client.post("/assistant/", {"question": KEYS_QUESTION}).status_code == 302


def test_chat_page_links_agents_to_the_back_office(client, client_as):
    assert "/assistant/suivi/" not in client.get("/assistant/").content.decode()
    assert "/assistant/suivi/" in client_as("agent_accueil").get("/assistant/").content.decode()


def test_agents_verify_questions_which_become_the_base_own_evaluation_set(client, make_user, client_as, tmp_path):
    from django.test import Client
    from typer.testing import CliRunner

    from amorce.assistant.evaluate import load_colloquial, load_out_of_scope
    from amorce.assistant.models import VerifiedQuestion
    from amorce.cli import app
    from amorce.web.models import AuditEvent

    for question in (KEYS_QUESTION, OUT_OF_SCOPE):
        assert client.post("/assistant/", {"question": question}).status_code == 302
    answered = Exchange.objects.get(top_fiche_id="F12244")
    refused = Exchange.objects.get(refused=True)
    client.post(f"/assistant/avis/{answered.pk}/", {"avis": "pas_utile"})
    verify = f"/assistant/suivi/echanges/{refused.pk}/verifier/"

    assert client.get(verify).status_code == 302  # the citizen is not an agent
    assert client_as("instructeur").post(verify, {"question": "x", "verdict": "hors"}).status_code == 403
    agent = Client()
    agent.force_login(make_user("agent_accueil"))
    board = agent.get("/assistant/suivi/").content.decode()
    assert verify in board and f"/assistant/suivi/echanges/{answered.pk}/verifier/" in board
    page = html.unescape(agent.get(verify).content.decode())
    assert OUT_OF_SCOPE in page and "Aucune fiche de la base ne répond" in page

    unknown = agent.post(verify, {"question": OUT_OF_SCOPE, "verdict": "autre", "autre_fiche": "F999999"})
    assert unknown.status_code == 400
    assert "La fiche « F999999 » n'est pas dans la base de connaissances." in html.unescape(unknown.content.decode())
    assert agent.post(verify, {"question": OUT_OF_SCOPE, "verdict": "autre"}).status_code == 400
    assert agent.post(verify, {"question": OUT_OF_SCOPE, "verdict": "hors"}).status_code == 302
    item = VerifiedQuestion.objects.get(exchange=refused)
    assert item.fiche_id == "" and item.kb == "service-public" and item.question == OUT_OF_SCOPE
    assert AuditEvent.objects.filter(action="assistant_question_verifiee", object_id=str(item.pk)).exists()
    again = html.unescape(agent.get(verify).content.decode())  # the page recalls the verdict
    assert "Déjà vérifiée" in again and re.search(r'<input[^>]*value="hors"[^>]*checked', again)

    # The agent edits the question (personal data left in it is masked) and picks a source of the answer.
    edited = "mon proprio garde un double de mes clés, écrivez-moi à jean.dupont@exemple.fr"
    other = f"/assistant/suivi/echanges/{answered.pk}/verifier/"
    assert agent.post(other, {"question": edited, "verdict": "F12244"}).status_code == 302
    mine = VerifiedQuestion.objects.get(exchange=answered)
    assert mine.fiche_id == "F12244" and "jean.dupont" not in mine.question and "[EMAIL]" in mine.question
    assert mine.fiche_title.startswith("Un propriétaire peut-il garder un double des clés")
    # Verifying again replaces the verdict; the verified question outlives the purged exchange.
    assert agent.post(verify, {"question": OUT_OF_SCOPE + " ?", "verdict": "autre",
                               "autre_fiche": "F12244"}).status_code == 302
    assert VerifiedQuestion.objects.count() == 2
    assert VerifiedQuestion.objects.get(exchange=refused).fiche_id == "F12244"
    assert agent.post(verify, {"question": OUT_OF_SCOPE, "verdict": "hors"}).status_code == 302
    Exchange.objects.all().delete()
    assert VerifiedQuestion.objects.count() == 2
    board = html.unescape(agent.get("/assistant/suivi/").content.decode())
    assert "2 question(s) vérifiée(s) par les agents, dont 1 hors périmètre" in board

    result = CliRunner().invoke(app, ["assistant", "questions-verifiees", "--out", str(tmp_path / "q")])
    assert result.exit_code == 0, result.output
    assert "1 question(s) avec leur fiche et 1 hors périmètre" in result.output
    (colloquial,) = load_colloquial(tmp_path / "q")
    (out_of_scope,) = load_out_of_scope(tmp_path / "q")
    assert colloquial.fiche_id == "F12244" and colloquial.question == mine.question
    assert out_of_scope.fiche_id is None and out_of_scope.question == OUT_OF_SCOPE
    assert {colloquial.split, out_of_scope.split} <= {"dev", "test"}
    with_ours = tasks.export_verified_questions("service-public", tmp_path / "both", repository=True)
    assert with_ours["in_scope"] == 1
    assert len(load_colloquial(tmp_path / "both")) == len(load_colloquial()) + 1
    assert len(load_out_of_scope(tmp_path / "both")) == len(load_out_of_scope()) + 1


def test_retention_purge_is_queued_once_a_day_by_the_assistant_activity(client, monkeypatch):
    from amorce.web import jobs
    from amorce.web.models import Job

    def ask():
        assert client.post("/assistant/", {"question": KEYS_QUESTION}).status_code == 302

    monkeypatch.setattr(tasks, "_purge_checked_at", None)
    ask()
    (job,) = Job.objects.filter(kind="assistant.purge")
    ask()  # checked less than an hour ago in this process
    monkeypatch.setattr(tasks, "_purge_checked_at", None)
    ask()  # a purge was queued less than a day ago
    assert Job.objects.filter(kind="assistant.purge").count() == 1
    old = _exchange(200)
    assert jobs.execute(job.pk).status == "succeeded"
    assert not Exchange.objects.filter(pk=old.pk).exists() and Exchange.objects.count() == 3
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=2))
    monkeypatch.setattr(tasks, "_purge_checked_at", None)
    ask()
    assert Job.objects.filter(kind="assistant.purge").count() == 2


def test_agents_find_the_right_fiche_by_words_when_verifying(client, make_user):
    from django.test import Client

    from amorce.assistant.models import VerifiedQuestion

    assert client.post("/assistant/", {"question": OUT_OF_SCOPE}).status_code == 302
    refused = Exchange.objects.get(refused=True)
    agent = Client()
    agent.force_login(make_user("agent_accueil"))
    url = f"/assistant/suivi/echanges/{refused.pk}/verifier/?recherche=double des clés propriétaire"
    page = html.unescape(agent.get(url).content.decode())
    assert 'value="F12244"' in page and "Un propriétaire peut-il garder un double des clés" in page
    assert "fiche(s) trouvée(s) pour « double des clés propriétaire »" in page
    assert agent.post(url, {"question": "mon proprio a gardé mes clés", "verdict": "F12244"}).status_code == 302
    assert VerifiedQuestion.objects.get().fiche_id == "F12244"
    # without the search, that fiche is not among the choices of this refused question
    plain = f"/assistant/suivi/echanges/{refused.pk}/verifier/"
    assert agent.post(plain, {"question": "x", "verdict": "F12244"}).status_code == 400
