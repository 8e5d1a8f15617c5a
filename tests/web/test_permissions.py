"""Each role gets its pages and is refused the others, in views and in the API."""

from __future__ import annotations

import pytest

from amorce.web.models import Job
from amorce.web.roles import USECASES, Role

pytestmark = pytest.mark.django_db

LANDING = {u.slug: f"/{u.slug}/" for u in USECASES}


def expected_access(role: Role, slug: str) -> bool:
    """Roles of the use case get its home; a use case with a public part shows that part (the
    published calls, the citizen chat) to anyone; a planned use case shows its « en préparation »
    page to anyone signed in; otherwise 403."""
    usecase = next(u for u in USECASES if u.slug == slug)
    return role == Role.ADMINISTRATEUR or role in usecase.roles or bool(usecase.public) or usecase.planned


@pytest.mark.parametrize("role", list(Role))
def test_usecase_pages_follow_roles(client_as, role):
    client = client_as(role.value)
    for slug, url in LANDING.items():
        response = client.get(url)
        if expected_access(role, slug):
            assert response.status_code == 200, (role, slug)
        else:
            assert response.status_code == 403, (role, slug)
            assert "Accès refusé" in response.content.decode()


def test_every_use_case_has_at_least_one_role_and_every_role_a_home():
    covered = set()
    for usecase in USECASES:
        if usecase.planned:
            continue
        assert usecase.roles, usecase.slug
        covered |= usecase.roles
    # every business role has at least one use case (administrators have all)
    assert covered | {Role.ADMINISTRATEUR} == set(Role)


def test_anonymous_is_sent_to_login_except_public_pages(client):

    # a use case may open its home to the public (the calls, the citizen chat); the others may not
    private_landings = [f"/{u.slug}/" for u in USECASES if not u.public]
    for url in ["/taches/", "/journal/", "/comptes/profil/", *private_landings]:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], url
    for url in ["/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/comptes/connexion/"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATEUR])
def test_audit_log_is_for_administrators_only(client_as, role):
    assert client_as(role.value).get("/journal/").status_code == 403


def test_administrator_sees_audit_log(client_as):
    assert client_as("administrateur").get("/journal/").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_menu_offers_only_pages_the_role_may_open(client_as, role):
    """Every menu entry shown to a role opens (no link that ends on 403), and a use case the role
    cannot use is not in its menu."""
    from amorce.web.context import navigation

    client = client_as(role.value)
    user = client.get("/").wsgi_request.user
    menu = navigation(user)
    for usecase in menu:
        for entry in usecase["entries"]:
            assert client.get(entry["url"]).status_code == 200, (role, entry)
    shown = {u["slug"] for u in menu}
    for usecase in USECASES:
        if not usecase.public and role != Role.ADMINISTRATEUR and role not in usecase.roles:
            assert usecase.slug not in shown, (role, usecase.slug)
    assert not shown & {u.slug for u in USECASES if u.planned}


def test_planned_use_cases_say_they_are_in_preparation(client_as):
    if not any(u.planned for u in USECASES):
        pytest.skip("aucun cas d'usage en préparation : tous sont montés")
    client = client_as("inspecteur")
    page = client.get("/").content.decode()
    for usecase in (u for u in USECASES if u.planned):
        assert usecase.title in page
        landing = client.get(f"/{usecase.slug}/").content.decode()
        assert "en préparation" in landing and "--help" not in landing
    assert "En préparation" in page


def test_home_lists_what_the_role_may_do(client_as):
    page = client_as("jury").get("/").content.decode()
    assert "Noter les dossiers qui vous sont attribués" in page
    assert "Relire les pseudonymisations" not in page


@pytest.mark.parametrize("role", list(Role))
def test_ciblage_manager_pages_are_for_managers_only(client_as, role):
    """Within ciblage, importing data and reading the models is the manager's (« responsable des
    contrôles »); inspectors read the ranked lists and plans (tests/ciblage/test_web_roles.py)."""
    client = client_as(role.value)
    manager = role in (Role.ADMINISTRATEUR, Role.RESPONSABLE_INSPECTION)
    assert client.get("/ciblage/import/").status_code == (200 if manager else 403), role
    assert client.get("/api/ciblage/modeles").status_code == (200 if manager else 403), role
    reader = manager or role == Role.INSPECTEUR
    assert client.get("/api/ciblage/classements").status_code == (200 if reader else 403), role


def test_home_lists_ciblage_capabilities_by_role(client_as):
    page = client_as("inspecteur").get("/").content.decode()
    assert "Consulter le classement et ses raisons" in page and "Importer les contrôles" not in page
    page = client_as("responsable_inspection", username="resp").get("/").content.decode()
    assert "Importer les contrôles" in page and "Consulter le classement et ses raisons" in page


def test_user_without_role_is_told_so(client_as):
    page = client_as().get("/").content.decode()
    assert "aucun rôle attribué" in page


def test_jobs_are_private_to_their_creator(client_as, make_user):
    other = make_user("inspecteur", username="autre")
    job = Job.objects.create(kind="demo.load", label="Tâche d'un autre", created_by=other)
    client = client_as("inspecteur")
    assert client.get(f"/taches/{job.pk}/").status_code == 404
    assert "Tâche d'un autre" not in client.get("/taches/").content.decode()
    assert client.post(f"/taches/{job.pk}/annuler/").status_code == 404


def test_only_administrators_can_reload_demo_data(client_as):
    assert client_as("equipe_programme").post("/taches/demo/").status_code == 403


class TestApi:
    def test_anonymous_gets_401(self, client):
        assert client.get("/api/moi").status_code == 401

    def test_session_auth(self, client_as):
        data = client_as("inspecteur").get("/api/moi").json()
        assert data["roles"] == ["inspecteur"]

    def test_token_auth(self, client, make_user):
        from amorce.web.models import ApiToken

        user = make_user("magistrat_greffier")
        token, key = ApiToken.issue(user, "script")
        response = client.get("/api/moi", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200 and response.json()["username"] == user.username
        token.refresh_from_db()
        assert token.last_used_at is not None
        assert client.get("/api/moi", HTTP_AUTHORIZATION="Bearer amo_faux").status_code == 401

    def test_token_writes_need_no_csrf_token_sessions_do(self, make_user):
        from django.test import Client

        from amorce.web.models import ApiToken, Job

        user = make_user("inspecteur")
        _, key = ApiToken.issue(user, "script")
        job = Job.objects.create(kind="ciblage.train", label="Entraînement", created_by=user)
        url = f"/api/taches/{job.pk}/annuler"
        # a script with its personal token: no browser, no CSRF token to send
        scripted = Client(enforce_csrf_checks=True)
        assert scripted.post(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
        # a browser session without the CSRF token is refused, a wrong token does not bypass the check
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        assert browser.post(url).status_code == 403
        assert browser.post(url, HTTP_AUTHORIZATION="Bearer amo_faux").status_code == 403
        browser.get("/")  # the session's CSRF cookie
        token = browser.cookies["csrftoken"].value
        assert browser.post(url, HTTP_X_CSRFTOKEN=token).status_code == 200

    def test_revoked_token_is_refused(self, client, make_user):
        from django.utils import timezone

        from amorce.web.models import ApiToken

        token, key = ApiToken.issue(make_user("magistrat_greffier"), "script")
        token.revoked_at = timezone.now()
        token.save()
        assert client.get("/api/moi", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401

    def test_only_hash_of_token_is_stored(self, make_user):
        from amorce.web.models import ApiToken

        token, key = ApiToken.issue(make_user("magistrat_greffier"), "script")
        assert key not in {token.key_hash, token.prefix} and len(token.key_hash) == 64

    @pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATEUR])
    def test_audit_api_refused_to_non_admins(self, client_as, role):
        assert client_as(role.value).get("/api/audit").status_code == 403

    def test_audit_api_for_admin(self, client_as):
        assert client_as("administrateur").get("/api/audit").status_code == 200

    def test_jobs_api_private(self, client_as, make_user):
        other = make_user("inspecteur", username="autre")
        job = Job.objects.create(kind="demo.load", label="x", created_by=other)
        client = client_as("inspecteur")
        assert client.get(f"/api/taches/{job.pk}").status_code == 404
        assert client.get("/api/taches").json() == []

    def test_session_post_needs_csrf(self, make_user):
        from django.test import Client

        user = make_user("inspecteur")
        job = Job.objects.create(kind="demo.load", label="x", created_by=user)
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(f"/api/taches/{job.pk}/annuler").status_code == 403

    def test_openapi_schema_lists_platform_routes(self, client):
        schema = client.get("/api/openapi.json").json()
        assert "/api/moi" in schema["paths"] and "/api/taches/{job_id}" in schema["paths"]


@pytest.mark.django_db
def test_every_role_has_its_group_after_migrations():
    """An administrator can grant any role in the Django administration before any account has it."""
    from django.contrib.auth.models import Group

    assert {role.value for role in Role} <= set(Group.objects.values_list("name", flat=True))
