"""Fuzzing of the JSON API with schemathesis, over its own OpenAPI schema, in-process (WSGI, test database).

Every operation is called with inputs generated from the schema, valid ones and invalid ones, once
with an administrator's personal token and once with an administrator's session (CSRF token on
writes), with a few real objects of every use case in the database so that the paths by id reach
real rows too. The run is bounded and reproducible (the boundary values of every parameter, then a
fixed number of random examples per operation; derandomised generation, no example database).
Checks, on every response:

- no server error (5xx);
- the status code is one the schema documents for the operation;
- the body conforms to the documented schema of that status code;
- a schema-valid request is not refused as invalid (400/422): what the server refuses must be
  invalid in the schema;
- a schema-invalid request is refused with a 4xx.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    is_unexpected_http_status_case,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from amorce.web.api import api

EXAMPLES = 12  # per operation, generation mode (valid, invalid) and authentication

CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261204,
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none",
                   "with-security-parameters": False, "mode": "all",
                   # the NUL character is refused everywhere by one rule, stated in the API's description
                   # and tested in test_api_errors.py: JSON Schema has no way to say it once for all strings
                   "allow-x00": False},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": False}},
})
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
# Rules across fields, or against the stored data, that JSON Schema cannot state: a valid request may
# be refused with 422 for them, and only with this French message.
CROSS_FIELD_RULES = {
    "POST /api/programme/appels/{slug}/selection/variantes": "nombre maximal de lauréats",
    "GET /api/archives/collections/{name}/images": "L'année de début est après l'année de fin",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          positive_data_acceptance, negative_data_rejection]

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("api-fuzz")]

REAL_PATH_VALUES: dict[str, list[str | int]] = {}


class _Silent:
    def progress(self, done, total=None, message=None):
        pass

    def log(self, message):
        pass

    def part(self, begin, width):
        return self


@pytest.fixture(scope="module")
def wsgi_app():
    """Django's WSGI handler, without the per-request connection closing (the test's transaction
    must survive the requests, as with Django's test client)."""
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """An administrator (token and session) and a few objects of every use case, rolled back at the end."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("api-fuzz")
    from amorce.assistant import config as assistant_config

    with django_db_blocker.unblock(), override_settings(
            AMORCE_DATA_DIR=root / "data", MEDIA_ROOT=root / "media", AMORCE_API_RATE_LIMIT="100000/m",
            LLM_BASE_URL=""), transaction.atomic():
        assistant_config.reset()
        world = _build_world(root)
        yield world
        transaction.set_rollback(True)
    assistant_config.reset()


def _build_world(root) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from amorce.web.models import ApiToken, AuditEvent, Job
    from amorce.web.roles import set_roles

    User = get_user_model()
    admin = User.objects.create_user(username="fuzz-admin", password="motdepasse-test-123")
    set_roles(admin, ["administrateur"])
    _, key = ApiToken.issue(admin, "fuzz")
    session = SessionStore()
    session["_auth_user_id"] = str(admin.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = admin.get_session_auth_hash()
    session.create()
    csrf = _get_new_csrf_string()
    job = Job.objects.create(kind="demo.load", label="Tâche de test", created_by=admin)
    AuditEvent.objects.create(action="connexion", actor=admin, actor_repr=admin.username)

    # programme: a published call and two dossiers
    from tests.programme.test_web_workflow import make_application, make_call

    call = make_call(published=True)
    for number in (1, 2):
        make_application(call, number)

    # biodiversite: a season and an event
    from amorce.biodiversite.models import Event, Season

    season = Season.objects.create(name="Saison test", source=str(root), summary={"media": 1})
    now = timezone.now()
    Event.objects.create(season=season, event_id="E1", deployment_id="D1", start=now, end=now + timedelta(seconds=5),
                         observation_type="animal", media=[{"media_id": "M1", "path": "a.jpg"}])

    # archives: a collection and a group of two photos
    from amorce.archives.models import Collection, DuplicateGroup, GroupMember, Photo

    collection = Collection.objects.create(name="fonds-test", title="Fonds", source=str(root), store=str(root),
                                           n_images=2)
    photos = [Photo.objects.create(collection=collection, key=f"a/p{n}.jpg") for n in (1, 2)]
    group = DuplicateGroup.objects.create(collection=collection, number=1, master=photos[0])
    for photo in photos:
        GroupMember.objects.create(group=group, photo=photo)
    from amorce.archives.models import PhotoTerm, Term, Thesaurus

    thesaurus = Thesaurus.objects.create(collection=collection, title="Thésaurus", source_name="t.csv")
    term = Term.objects.create(thesaurus=thesaurus, uri="http://vocab.exemple.fr/a", label="Façade")
    proposal = PhotoTerm.objects.create(photo=photos[0], term=term, status="propose", source="modele",
                                        confidence=0.8, model_name="test v1")

    # ciblage: the demo (dataset, model, ranked list) on a small history, and a plan
    from amorce.ciblage.models import Plan, ScoreList
    from amorce.ciblage.tasks import load_demo as ciblage_demo

    ciblage = ciblage_demo(_Silent(), establishments=300, inspections=2000)
    scores = ScoreList.objects.get(pk=ciblage["score_list"])
    from django.test import Client

    first = scores.frame()["establishment_id"].iloc[0]
    planner = Client()
    planner.force_login(admin)  # the plan as the product writes it: through its page
    response = planner.post(f"/ciblage/classements/{scores.pk}/plan/", {"capacity": "3", "weeks": 2, "exploration": 10,
                                                                       "seed": 1, "start": now.date().isoformat()})
    assert response.status_code == 302, response.content.decode()[:500]
    plan = Plan.objects.latest("pk")

    # decisions: two pseudonymised decisions
    from amorce.decisions import Decision
    from amorce.decisions.tasks import pseudonymise_and_store
    from tests.decisions.test_web_review import TEXT_1, TEXT_2

    pseudonymise_and_store(_Silent(), [
        Decision(id="CA-1", text=TEXT_1, metadata={"jurisdiction": "Cour d'appel de Rennes"}),
        Decision(id="TJ-2", text=TEXT_2)])

    # assistant: a knowledge base of two small pages (the default base, so that questions are answered)
    from amorce.assistant import config as assistant_config
    from amorce.assistant import index_source

    pages = root / "pages.md"
    pages.write_text("# Refaire sa carte d'identité\n\nLa carte d'identité se demande en mairie, sur rendez-vous, "
                     "avec une photo récente et un justificatif de domicile.\n\n# Déclarer un changement "
                     "d'adresse\n\nLe changement d'adresse se déclare en ligne, une seule fois pour plusieurs "
                     "organismes.\n", encoding="utf-8")
    index_source(pages, assistant_config.get().kb, root=root / "data")

    REAL_PATH_VALUES.update({
        "job_id": [str(job.pk)], "slug": [call.slug], "score_list_id": [scores.pk], "establishment_id": [first],
        "plan_id": [plan.pk], "season_id": [season.pk], "name": [collection.name],
        "photo_id": [photos[0].pk], "proposal_id": [proposal.pk]})
    return {"admin": admin, "token": key, "session": session.session_key, "csrf": csrf}


def _with_real_path_values(context, case):
    """Valid cases: half of them on real rows (ids of the objects created above)."""
    if not case.path_parameters or case.meta is None or not case.meta.generation.mode.is_positive:
        return st.just(case)
    names = [n for n in case.path_parameters if n in REAL_PATH_VALUES]
    if not names:
        return st.just(case)

    def replace(use_real):
        if use_real:
            case.path_parameters = {**case.path_parameters, **{n: REAL_PATH_VALUES[n][0] for n in names}}
        return case

    return st.booleans().map(replace)


SCHEMA.hook("flatmap_case")(_with_real_path_values)


def _call(case, world, app, auth: str):
    if auth == "jeton":
        return case.call(headers={"Authorization": f"Bearer {world['token']}"}, app=app)
    return case.call(headers={"X-CSRFToken": world["csrf"]}, cookies={"sessionid": world["session"],
                                                                       "csrftoken": world["csrf"]}, app=app)


@SCHEMA.parametrize()
@settings(deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("auth", ["jeton", "session"])
def test_api_fuzz(case, auth, fuzz_world, wsgi_app):
    response = _call(case, fuzz_world, wsgi_app, auth)
    checks = CHECKS
    if (case.operation.label in CROSS_FIELD_RULES and response.status_code == 422
            and case.meta is not None and case.meta.generation.mode.is_positive):
        assert CROSS_FIELD_RULES[case.operation.label] in response.json()["detail"], response.text
        checks = [c for c in CHECKS if c is not positive_data_acceptance]
    case.validate_response(response, checks=checks)
    if auth == "session" and case.method.upper() not in SAFE_METHODS and case.operation.definition.raw.get("security"):
        # the same write by the same session without its CSRF token: refused before it runs (a probe
        # of the request's shape, such as a wrong Content-Type or method, may be refused earlier)
        forged = case.call(cookies={"sessionid": fuzz_world["session"], "csrftoken": fuzz_world["csrf"]},
                           app=wsgi_app)
        if is_unexpected_http_status_case(case):
            assert forged.status_code in (400, 403, 405, 415), (case.operation.label, forged.status_code)
        else:
            assert forged.status_code == 403, (case.operation.label, forged.status_code, forged.text[:300])
            assert "CSRF" in forged.json()["detail"]
