"""Settings for the test suite: production settings with test defaults for the environment.

``DATABASE_URL`` chooses the database (SQLite by default; the PostgreSQL run sets it).
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("AMORCE_DATA_DIR", os.path.join(tempfile.gettempdir(), "amorce-tests"))
os.environ.setdefault("AMORCE_HTTPS", "0")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast account creation
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
