"""Settings for the test suite: production settings with test defaults for the environment.

``DATABASE_URL`` chooses the database (SQLite by default; the PostgreSQL run sets it).
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
# the test data folder (media, models, uploads): one per xdist worker, or two workers loading the demo at once
# replace each other's files (the controller's default, inherited by the workers, is no user choice)
_DEFAULT_DATA_DIR = os.path.join(tempfile.gettempdir(), "amorce-tests")
if os.environ.get("AMORCE_DATA_DIR", _DEFAULT_DATA_DIR) == _DEFAULT_DATA_DIR:
    _WORKER = os.environ.get("PYTEST_XDIST_WORKER")
    os.environ["AMORCE_DATA_DIR"] = _DEFAULT_DATA_DIR + (f"-{_WORKER}" if _WORKER else "")
os.environ.setdefault("AMORCE_HTTPS", "0")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast account creation
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
