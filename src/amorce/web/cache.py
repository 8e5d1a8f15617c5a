"""A file cache whose counters are atomic across processes.

Django's ``FileBasedCache`` implements ``add`` and ``incr`` as a read then a write: two web
processes counting the same rate-limit window can both read 7 and both write 8, so a limit lets
a few requests too many through under load. This backend takes an exclusive ``flock`` on one lock
file of the cache directory around those read-modify-write operations (plain ``get``/``set`` stay
lock-free: each file is already written to a temporary name and renamed by Django).
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.filebased import FileBasedCache

LOCK_NAME = "counters.lock"  # not a ``.djcache`` file: never listed, culled or cleared by Django


class LockedFileBasedCache(FileBasedCache):
    @contextmanager
    def _counter_lock(self):
        self._createdir()
        fd = os.open(os.path.join(self._dir, LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def add(self, key, value, timeout=None, version=None):
        with self._counter_lock():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._counter_lock():
            return super().incr(key, delta, version)
