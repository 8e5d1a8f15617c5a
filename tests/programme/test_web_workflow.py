"""Dossier workflow on the web: states and history, attachments, jury scores, decisions, letters, exports."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from amorce.programme.eligibility import STRUCTURE_KINDS
from amorce.programme.models import (
    Application,
    Attachment,
    Call,
    Criterion,
    Decision,
    InfoMeeting,
    ReviewAssignment,
    State,
)
from amorce.programme.scoring import average_marks, weighted_score
from amorce.web.models import AuditEvent

pytestmark = pytest.mark.django_db

VALID_SIRET = "11000201100044"  # checksum-valid (Luhn) SIRET of a public body


def make_call(**overrides) -> Call:
    today = date.today()
    fields = dict(slug="appel-test", title="Appel de test", administration="la DINUM", contact="ia@exemple.gouv.fr",
                  opens=today - timedelta(days=10), closes=today + timedelta(days=20), budget=Decimal("300000"),
                  min_laureates=1, max_laureates=2, eligible_kinds=["administration_centrale", "operateur_national"])
    fields.update(overrides)
    call = Call.objects.create(**fields)
    for i, code in enumerate(("benefices", "pertinence", "ethique")):
        Criterion.objects.create(call=call, code=code, label=f"Critère {code}", weight=1.0 + i, scale_max=5,
                                 position=i)
    return call


def make_application(call: Call, number: int, *, state=State.EN_INSTRUCTION, owner=None, budget=100000,
                     ministry="Intérieur", kind="administration_centrale") -> Application:
    from amorce.programme.services import refresh_automatic_checks

    app = Application(call=call, reference=f"T-{number:03d}", owner=owner, structure=f"Structure {number}",
                      structure_kind=kind, siret=VALID_SIRET, ministry=ministry, title=f"Projet {number}",
                      use_case_family="Analyse d'images", budget=Decimal(budget),
                      budget_breakdown=[{"line": "Développement", "amount": float(budget)}],
                      submitted_on=call.opens + timedelta(days=1), start=call.closes + timedelta(days=30),
                      end=call.closes + timedelta(days=200), state=state, contact_name="Camille Martin")
    refresh_automatic_checks(app, call)
    app.save()
    return app


def score(app: Application, juror, marks: dict[str, float], *, comment: str = "") -> ReviewAssignment:
    from amorce.programme.services import save_review

    assignment, _ = ReviewAssignment.objects.get_or_create(application=app, reviewer=juror)
    save_review(assignment, {k: (v, comment) for k, v in marks.items()}, comment, submit=True)
    return assignment


@pytest.fixture
def call():
    return make_call()


def test_state_transitions_keep_history(client_as, call):
    app = make_application(call, 1, state=State.EN_CONSTRUCTION)
    client = client_as("instructeur")
    response = client.post(f"/programme/dossiers/{app.reference}/etat/", {"to": "en_instruction", "comment": "Complet"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.EN_INSTRUCTION
    change = app.history.get()
    assert (change.from_state, change.to_state, change.by, change.comment) == (
        "en_construction", "en_instruction", client.user, "Complet")
    # an instructeur cannot decide; the programme team can, with a motivation for a refusal
    assert client.post(f"/programme/dossiers/{app.reference}/decision/",
                       {"decision": "accepte"}).status_code == 403
    lead = client_as("equipe_programme", username="cheffe")
    lead.post(f"/programme/dossiers/{app.reference}/decision/", {"decision": "refuse", "motivation": ""})
    app.refresh_from_db()
    assert app.state == State.EN_INSTRUCTION  # refused: no motivation
    lead.post(f"/programme/dossiers/{app.reference}/decision/", {"decision": "refuse", "motivation": "Hors sujet."})
    app.refresh_from_db()
    assert app.state == State.REFUSE
    assert [h.to_state for h in app.history.all()] == ["en_instruction", "refuse"]
    assert AuditEvent.objects.filter(action="programme_decision", object_id=str(app.pk)).exists()
    # a refused dossier cannot jump to accepted
    from amorce.programme.models import TransitionError

    with pytest.raises(TransitionError, match="ne peut pas passer"):
        app.transition(State.ACCEPTE)
    page = lead.get(f"/programme/dossiers/{app.reference}/").content.decode()
    assert "Historique" in page and "Hors sujet." in page


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_attachment_type_is_checked_by_content(client_as, call, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    app = make_application(call, 1)
    client = client_as("instructeur")
    url = f"/programme/dossiers/{app.reference}/pieces/"
    ok = {"pdf": b"%PDF-1.7\n%fake but well-typed\n", "docx": _docx(), "odt": _odt()}
    for kind, content in ok.items():
        client.post(url, {"label": kind, "file": SimpleUploadedFile(f"piece.{kind}", content)})
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == ["docx", "odt", "pdf"]
    # an executable renamed .pdf, and a plain zip renamed .docx, are refused
    response = client.post(url, {"label": "faux", "file": SimpleUploadedFile("faux.pdf", b"MZ\x90\x00binary")},
                           follow=True)
    assert "pas un document PDF, ODT ou DOCX" in response.content.decode()
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("a.txt", "x")
    client.post(url, {"label": "zip", "file": SimpleUploadedFile("x.docx", plain_zip.getvalue())})
    assert Attachment.objects.count() == 3
    with override_settings(AMORCE_UPLOAD_MAX_BYTES=10):
        response = client.post(url, {"label": "gros", "file": SimpleUploadedFile("g.pdf", b"%PDF-" + b"0" * 50)},
                               follow=True)
    assert "taille maximale" in response.content.decode()
    assert Attachment.objects.count() == 3
    pdf = Attachment.objects.get(kind="pdf")
    download = client.get(f"/programme/pieces/{pdf.pk}/")
    assert b"".join(download.streaming_content) == ok["pdf"]


def test_scores_disagreements_decision_letter_and_explanation(client_as, make_user, call):
    app = make_application(call, 1, owner=make_user("candidat", username="porteur"))
    j1, j2 = make_user("jury", username="j1"), make_user("jury", username="j2")
    score(app, j1, {"benefices": 5, "pertinence": 4, "ethique": 1})
    score(app, j2, {"benefices": 5, "pertinence": 4, "ethique": 5})
    app.refresh_from_db()
    criteria = call.pure_criteria()
    marks = average_marks([{"benefices": 5, "pertinence": 4, "ethique": 1},
                           {"benefices": 5, "pertinence": 4, "ethique": 5}], criteria)
    assert app.score == pytest.approx(weighted_score(marks, criteria))
    assert app.disagreements == ["ethique"] and app.review_count == 2

    lead = client_as("equipe_programme")
    lead.post(f"/programme/dossiers/{app.reference}/decision/", {"decision": "accepte", "motivation": "Excellent."})
    decision = Decision.objects.get(application=app)
    assert decision.amount == app.budget
    page = lead.get(f"/programme/dossiers/{app.reference}/courrier/").content.decode()
    assert "L311-3-1" in page and "retenu" in page
    pdf = lead.get(f"/programme/dossiers/{app.reference}/courrier.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = lead.get(f"/programme/dossiers/{app.reference}/courrier.html")
    assert b"R311-3-1-2" in html.content
    # the applicant gets the R311-3-1-2 explanation with their own marks and the weights
    owner = client_as("candidat", username="autre")
    assert owner.get(f"/programme/dossiers/{app.reference}/explication/").status_code == 403
    owner.force_login(app.owner)
    expl = owner.get(f"/programme/dossiers/{app.reference}/explication/").content.decode()
    assert "R311-3-1-2" in expl and "Critère ethique" in expl and "Score pondéré" in expl
    assert owner.get(f"/programme/dossiers/{app.reference}/courrier.pdf").content.startswith(b"%PDF")


def test_exports_csv_and_ods(client_as, call):
    for i in range(3):
        app = make_application(call, i + 1, ministry="Culture" if i else "Justice")
    app.title = "=HYPERLINK(\"http://example.com\")"
    app.save()
    client = client_as("instructeur")
    csv_body = client.get("/programme/dossiers/export.csv?ministere=Culture").content.decode("utf-8-sig")
    lines = csv_body.strip().splitlines()
    assert lines[0].startswith("Numéro;Appel;État") and len(lines) == 3
    assert "T-002" in csv_body and "T-001" not in csv_body and "En instruction" in csv_body
    assert "'=HYPERLINK" in csv_body  # neutralised formula
    ods = client.get("/programme/dossiers/export.ods").content
    with zipfile.ZipFile(io.BytesIO(ods)) as z:
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = z.read("content.xml").decode()
    assert "T-001" in content and "T-003" in content
    assert "'=HYPERLINK" in content  # the same neutralising writer for ODS text cells
    assert AuditEvent.objects.filter(action="programme_export").count() == 2


def test_dossier_list_filters_and_paginates(client_as, call, django_assert_max_num_queries):
    for i in range(60):
        make_application(call, i + 1, ministry="Culture" if i % 2 else "Justice",
                         kind="collectivite_territoriale" if i == 5 else "administration_centrale")
    client = client_as("instructeur")
    with django_assert_max_num_queries(12):  # constant: no query per row
        page = client.get("/programme/dossiers/").content.decode()
    assert "60 dossiers" in page and "T-050" in page and "T-051" not in page
    page = client.get("/programme/dossiers/?page=2").content.decode()  # read by keys first (window)
    assert "T-050" not in page and page.index("T-051") < page.index("T-052") < page.index("T-060")
    page = client.get("/programme/dossiers/?ministere=Culture&page=1").content.decode()
    assert "30 dossiers" in page
    page = client.get("/programme/dossiers/?eligible=non").content.decode()
    assert "1 dossier" in page and "T-006" in page


def test_eligibility_confirmation_needs_a_reason_to_override(client_as, call):
    app = make_application(call, 1, kind="collectivite_territoriale")
    assert app.eligibility_auto is False
    assert "n'est pas éligible" in " ".join(c["reason"] for c in app.eligibility["checks"])
    client = client_as("instructeur")
    response = client.post(f"/programme/dossiers/{app.reference}/eligibilite/", {"eligible": "oui"}, follow=True)
    assert "Motivez votre décision" in response.content.decode()
    app.refresh_from_db()
    assert app.eligibility_confirmed is None
    client.post(f"/programme/dossiers/{app.reference}/eligibilite/",
                {"eligible": "oui", "note": "Groupement d'intérêt public rattaché à l'État."})
    app.refresh_from_db()
    assert app.eligibility_confirmed is True and app.eligibility_by == client.user


def test_candidate_multi_step_form_with_drafts(client_as, call):
    client = client_as("candidat")
    response = client.post(f"/programme/candidatures/nouvelle/{call.slug}/")
    app = Application.objects.get(owner=client.user)
    assert response["Location"].endswith(f"/candidatures/{app.reference}/etape/1/")
    step = f"/programme/candidatures/{app.reference}/etape/"
    bad = client.post(step + "1/", {"structure": "DGFiP", "structure_kind": "administration_centrale",
                                    "siret": "11000201100045", "ministry": "Économie", "contact_name": "A",
                                    "contact_email": "a@exemple.gouv.fr"})
    assert bad.status_code == 400 and "la clé de contrôle est fausse" in bad.content.decode()
    assert client.post(step + "1/", {"structure": "DGFiP", "structure_kind": "administration_centrale",
                                     "siret": VALID_SIRET, "ministry": "Économie", "contact_name": "A",
                                     "contact_email": "a@exemple.gouv.fr"}).status_code == 302
    app.refresh_from_db()
    assert app.siret == VALID_SIRET and app.draft_step == 2 and app.state == State.EN_CONSTRUCTION
    start, end = call.closes + timedelta(days=10), call.closes + timedelta(days=250)
    assert client.post(step + "2/", {"title": "Tri des courriers", "use_case_family": "Recherche d'information",
                                     "problem": "Trop de courriers", "benefits": "Gain de temps",
                                     "start": start.isoformat(), "end": end.isoformat()}).status_code == 302
    assert client.post(step + "3/", {"exists": "oui", "access": "interne", "volume": "1 million",
                                     "personal_data": "non"}).status_code == 302
    bad_team = client.post(step + "4/", {"team": "Cheffe de projet ; Claire ; 2"})
    assert "pas une part du temps" in bad_team.content.decode()
    assert client.post(step + "4/", {"team": "Cheffe de projet ; Claire ; 0,5\nData scientist ; Hugo ; 1"}
                       ).status_code == 302
    from amorce.programme.assessment import QUESTIONS_FR

    answers = {q.code: (["environnement"] if q.multiple else q.choices[0].code) for q in QUESTIONS_FR}
    assert client.post(step + "5/", answers).status_code == 302
    bad_budget = client.post(step + "6/", {"budget": "100000", "budget_breakdown": "Dév ; 60000\nCalcul ; 30000"})
    assert "totalise" in bad_budget.content.decode()
    assert client.post(step + "6/", {"budget": "100000", "budget_breakdown": "Dév ; 70 000\nCalcul ; 30000"}
                       ).status_code == 302
    app.refresh_from_db()
    assert app.impact_level in ("I", "II") and app.team[0]["time_share"] == 0.5
    client.post(f"/programme/candidatures/{app.reference}/depot/")
    app.refresh_from_db()
    assert app.state == State.EN_INSTRUCTION and app.eligibility_auto is True
    assert [h.to_state for h in app.history.all()] == ["en_construction", "en_instruction"]
    # once submitted, the draft cannot be edited any more
    assert client.get(step + "1/").status_code == 302


def test_info_meeting_registration_respects_capacity(client, call):
    from django.utils import timezone

    soon = timezone.now() + timedelta(days=7)
    meeting = InfoMeeting.objects.create(call=call, starts=soon, ends=soon + timedelta(hours=2), address="Paris",
                                         capacity=1)
    url = f"/programme/appels/{call.slug}/reunions/{meeting.pk}/inscription/"
    client.post(url, {"name": "Ada", "email": "ada@exemple.gouv.fr"})
    response = client.post(url, {"name": "Bob", "email": "bob@exemple.gouv.fr"}, follow=True)
    assert "complète" in response.content.decode()
    assert meeting.registrations.count() == 1
    bad = client.post(url, {"name": "", "email": "pas-un-courriel"})
    assert bad.status_code == 400 and "Saisissez une adresse" in bad.content.decode()


def test_structure_kinds_cover_the_form_choices():
    assert "administration_centrale" in STRUCTURE_KINDS
