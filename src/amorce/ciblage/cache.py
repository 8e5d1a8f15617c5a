"""In-process cache of parsed files (score lists, histories, models) for the web pages.

A ranked list of a million rows, an uploaded history or a model is parsed once per process and
reused while its files are unchanged: the key holds each file's path, modification time (ns) and
size, so a rewritten file (atomic replace, retraining into the same folder) is read again. The
cache is bounded (least recently used entries are dropped). Cached objects are shared between
requests: callers must not modify them in place (pandas copy-on-write makes filtered frames and
new columns copies).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

MAX_ENTRIES = 6


class FileCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(kind: str, paths: Iterable[str | Path]) -> tuple:
        parts: list[tuple] = [(kind,)]
        for path in paths:
            path = Path(path)
            try:
                stat = path.stat()
                parts.append((str(path.resolve()), stat.st_mtime_ns, stat.st_size))
            except OSError:  # missing file: never cached, the loader reports the error
                return ()
        return tuple(parts)

    def get(self, kind: str, paths: Iterable[str | Path], load: Callable[[], Any]) -> Any:
        key = self.key(kind, list(paths))
        if not key:
            return load()
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = load()  # outside the lock: two first readers may both parse, never a wrong result
        with self._lock:
            # drop older versions of the same files, then the least recently used entries
            names = {p[0] for p in key[1:]}
            for old in [k for k in self._entries if k[0] == key[0] and {p[0] for p in k[1:]} == names]:
                del self._entries[old]
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


cache = FileCache()
