"""Who sees what: candidates, jurors (conflicts, independent scoring), instructeurs, the public, the API."""

from __future__ import annotations

import pytest

from amorce.programme.models import Application, ConflictDeclaration, ReviewAssignment
from amorce.web.models import AuditEvent

from .test_web_workflow import make_application, make_call, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return make_call()


def test_public_pages_and_login_wall(client, call):
    make_application(call, 1)
    assert client.get(f"/programme/appels/{call.slug}/").status_code == 200
    assert client.get(f"/programme/appels/{call.slug}/laureats/").status_code == 200
    sheet = client.get(f"/programme/appels/{call.slug}/transparence/").content.decode()
    assert "scipy.optimize.milp" in sheet and "R311-3-1-2" in sheet
    assert call.slug in client.get("/programme/appels/").content.decode()
    for url in ("/programme/", "/programme/dossiers/", "/programme/jury/", "/programme/tableau-de-bord/", "/programme/dossiers/T-001/"):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url


def test_candidate_sees_only_their_own_dossiers(client_as, make_user, call):
    other = make_application(call, 1, owner=make_user("candidat", username="voisin"))
    client = client_as("candidat")
    mine = make_application(call, 2, owner=client.user)
    assert client.get(f"/programme/candidatures/{mine.reference}/").status_code == 200
    assert client.get(f"/programme/candidatures/{other.reference}/").status_code == 404
    listing = client.get("/programme/candidatures/").content.decode()
    assert mine.reference in listing and other.reference not in listing
    for url in (f"/programme/dossiers/{other.reference}/", "/programme/dossiers/", "/programme/jury/",
                f"/programme/jury/{other.reference}/", f"/programme/appels/{call.slug}/selection/",
                "/programme/dossiers/export.csv"):
        assert client.get(url).status_code == 403, url


def test_juror_never_sees_a_dossier_after_declaring_a_conflict(client_as, call):
    app = make_application(call, 1)
    client = client_as("jury")
    ReviewAssignment.objects.create(application=app, reviewer=client.user)
    assert app.reference in client.get("/programme/jury/").content.decode()
    assert client.get(f"/programme/jury/{app.reference}/").status_code == 200
    short = client.post(f"/programme/jury/{app.reference}/conflit/", {"reason": ""}, follow=True)
    assert "Décrivez le conflit" in short.content.decode()
    client.post(f"/programme/jury/{app.reference}/conflit/", {"reason": "Ancien collègue du porteur de projet"})
    assert ConflictDeclaration.objects.filter(application=app, reviewer=client.user).exists()
    assert AuditEvent.objects.filter(action="programme_conflit_interets").exists()
    assert client.get(f"/programme/jury/{app.reference}/").status_code == 404
    assert app.reference not in client.get("/programme/jury/").content.decode()
    assert not Application.objects.for_reviewer(client.user).exists()
    # even if someone re-assigns them, the queryset keeps the dossier hidden
    ReviewAssignment.objects.create(application=app, reviewer=client.user)
    assert client.get(f"/programme/jury/{app.reference}/").status_code == 404
    # a juror cannot open a dossier that was not assigned to them
    app2 = make_application(call, 2)
    assert client.get(f"/programme/jury/{app2.reference}/").status_code == 404


def test_juror_sees_other_scores_only_after_submitting(client_as, make_user, call):
    app = make_application(call, 1)
    other = make_user("jury", username="autre-jure")
    score(app, other, {"benefices": 1, "pertinence": 1, "ethique": 1}, comment="Avis-tres-reserve-du-collegue")
    client = client_as("jury")
    ReviewAssignment.objects.create(application=app, reviewer=client.user)
    url = f"/programme/jury/{app.reference}/"
    assert "Avis-tres-reserve-du-collegue" not in client.get(url).content.decode()
    bad = client.post(url, {"note_benefices": "9", "note_pertinence": "4", "action": "remettre"})
    assert bad.status_code == 400 and "ne peut pas dépasser 5" in bad.content.decode()
    marks = {"note_benefices": "5", "note_pertinence": "5", "note_ethique": "5", "comment": "Très bon"}
    client.post(url, {**marks, "action": "brouillon"})
    assert "Avis-tres-reserve-du-collegue" not in client.get(url).content.decode()  # draft: still hidden
    client.post(url, {**marks, "action": "remettre"})
    page = client.get(url).content.decode()
    assert "Avis-tres-reserve-du-collegue" in page and "Désaccord du jury" in page
    app.refresh_from_db()
    assert app.review_count == 2 and set(app.disagreements) == {"benefices", "pertinence", "ethique"}
    # a submitted review is final
    client.post(url, {"note_benefices": "0", "note_pertinence": "0", "note_ethique": "0", "action": "remettre"})
    assert ReviewAssignment.objects.get(application=app, reviewer=client.user).scores.get(
        criterion__code="benefices").value == 5


def test_instructeur_cannot_run_the_selection(client_as, call):
    make_application(call, 1)
    client = client_as("instructeur")
    url = f"/programme/appels/{call.slug}/selection/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"budget": "1000", "min_count": "0"}).status_code == 403
    assert client.get("/programme/tableau-de-bord/").status_code == 403
    api = client.post(f"/api/programme/appels/{call.slug}/selection/variantes", {"budgets": [1000]},
                      content_type="application/json")
    assert api.status_code in (403, 401)


def test_selection_form_validates_in_french(client_as, call):
    client = client_as("equipe_programme")
    response = client.post(f"/programme/appels/{call.slug}/selection/",
                           {"budget": "-5", "min_count": "3", "max_count": "1", "what_if": "beaucoup"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "supérieure ou égale à 0" in text and "au moins égal au minimum" in text and "illisibles" in text


def test_api_dossiers_and_what_if(client_as, make_user, call):
    from amorce.programme.selection import budget_what_if
    from amorce.programme.services import candidates_for

    jurors = [make_user("jury", username=f"j{i}") for i in range(2)]
    for i in range(4):
        app = make_application(call, i + 1, budget=80000 + 20000 * i, ministry="Culture" if i % 2 else "Justice")
        for juror in jurors:
            score(app, juror, {"benefices": 2 + i % 3, "pertinence": 3, "ethique": 4})
    client = client_as("candidat")
    assert client.get("/api/programme/appels").status_code == 200
    assert client.get("/api/programme/dossiers").status_code == 403
    staff = client_as("instructeur")
    data = staff.get("/api/programme/dossiers?ministry=Culture&limit=1").json()
    assert data["count"] == 2 and len(data["items"]) == 1 and data["items"][0]["reference"] == "T-002"
    window = staff.get("/api/programme/dossiers?offset=1&limit=2").json()
    assert window["count"] == 4 and [d["reference"] for d in window["items"]] == ["T-002", "T-003"]
    assert staff.get("/api/programme/dossiers?offset=10").json()["items"] == []
    assert window["offset"] == 1 and window["limit"] == 2
    assert staff.get("/api/programme/dossiers?state=inconnu").status_code == 422
    assert staff.get("/api/programme/dossiers?limit=501").status_code == 422  # at most 500 a page
    assert staff.get("/api/programme/dossiers?eligible=peut-etre").status_code == 422
    lead = client_as("equipe_programme")
    answer = lead.post(f"/api/programme/appels/{call.slug}/selection/variantes",
                       {"budgets": [100000, 200000, 10]}, content_type="application/json")
    assert answer.status_code == 200
    expected = [s.to_dict() for s in budget_what_if(candidates_for(call), call.constraints(), [100000, 200000, 10])]
    assert answer.json() == expected
    assert answer.json()[2]["selected"] is None and "Aucune sélection" in answer.json()[2]["message"]
