"""The audit log records sensitive actions and cannot be rewritten."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from amorce.web.audit import record
from amorce.web.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_login_success_and_failure_are_recorded(client, make_user):
    make_user("inspecteur", username="ines")
    client.post("/comptes/connexion/", {"username": "ines", "password": "mauvais"})
    client.post("/comptes/connexion/", {"username": "ines", "password": "motdepasse-test-123"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_repr"))
    assert ("connexion_echouee", "anonyme") in actions
    assert ("connexion", "ines") in actions
    failed = AuditEvent.objects.get(action="connexion_echouee")
    assert failed.details["username"] == "ines" and failed.ip == "127.0.0.1"


def test_record_keeps_who_what_when_which_object(make_user):
    user = make_user("administrateur")
    event = record("role_modifie", user=user, obj=user, roles=["jury"])
    assert event.actor == user and event.action == "role_modifie"
    assert event.object_type == "auth.user" and event.object_id == str(user.pk)
    assert event.details == {"roles": ["jury"]} and event.at is not None


def test_the_server_log_line_is_french_and_names_an_object_only_when_there_is_one(make_user, caplog):
    """The line each event writes to the server log (the demo's terminal shows it) is in French, with
    no dangling « on : » when the event has no object (a sign-in)."""
    import logging

    user = make_user("administrateur", username="ada")
    with caplog.at_level(logging.INFO, logger="amorce.audit"):
        record("connexion", user=user)
        record("role_modifie", user=user, obj=user)
    lines = [r.getMessage() for r in caplog.records if r.name == "amorce.audit"]
    assert lines == ["Journal d'audit : connexion par ada", f"Journal d'audit : role_modifie par ada sur auth.user {user.pk}"]


def test_audit_page_shows_details_as_french_items_not_a_python_dict(client_as):
    client = client_as("administrateur")
    record("ciblage_import", user=client.user, files=["controles.csv", "etablissements.csv"], lignes_lues=1200)
    page = client.get("/journal/").content.decode()
    assert "Fichiers : controles.csv, etablissements.csv ; Lignes lues : 1\u202f200" in page
    assert "{&#x27;" not in page and "{'" not in page


def test_orm_refuses_update_and_delete(make_user):
    event = record("essai", user=make_user("administrateur"))
    event.action = "falsifie"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update_even_in_raw_sql(make_user):
    event = record("essai", user=make_user("administrateur"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE web_auditevent SET action = 'falsifie' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "essai"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger exists on PostgreSQL only")
def test_postgres_refuses_delete_but_allows_explicit_purge(make_user):
    event = record("essai", user=make_user("administrateur"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM web_auditevent WHERE id = %s", [event.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL amorce.audit_purge = 'on'")
        cursor.execute("DELETE FROM web_auditevent WHERE id = %s", [event.pk])
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_keeps_history(make_user):
    user = make_user("jury", username="juliette")
    record("essai", user=user)
    user.delete()
    event = AuditEvent.objects.get(action="essai")
    assert event.actor_repr == "juliette"


def test_token_creation_is_audited_and_shown_once(client_as):
    client = client_as("inspecteur")
    response = client.post("/comptes/profil/jetons/", {"name": "script d'import"}, follow=True)
    page = response.content.decode()
    assert 'id="nouveau-jeton">amo_' in page
    assert AuditEvent.objects.filter(action="jeton_api_cree").exists()
    assert "amo_" not in client.get("/comptes/profil/").content.decode().split("Jetons actifs")[0]


def test_token_revocation_is_audited_and_only_by_its_owner(client_as, make_user):
    from amorce.web.models import ApiToken
    from amorce.web.services import issue_token

    client = client_as("inspecteur")
    mine, key = issue_token(client.user, "script")
    theirs, _ = issue_token(make_user("jury"), "autre")
    assert client.post(f"/comptes/profil/jetons/{theirs.pk}/revoquer/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert client.post(f"/comptes/profil/jetons/{mine.pk}/revoquer/").status_code == 302
    assert ApiToken.authenticate(key) is None
    event = AuditEvent.objects.get(action="jeton_api_revoque")
    assert event.actor == client.user and event.object_id == str(mine.pk)
    # a second revocation of the same token finds nothing to revoke
    assert client.post(f"/comptes/profil/jetons/{mine.pk}/revoquer/").status_code == 404


def test_audit_page_filters(client_as):
    client = client_as("administrateur")
    record("essai_filtre", user=client.user)
    page = client.get("/journal/?action=essai_filtre").content.decode()
    assert "essai_filtre" in page
