"""Safe file writing (write to a temporary name, then rename) and validated readers."""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import DataValidationError, InputError, Problem, ValidationReport


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file next to ``path`` and rename it over ``path`` only on success.

    A crash or an exception leaves the previous content of ``path`` untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    # mkstemp creates 0600 files: give the result the mode a plain open() would (or keep the old one).
    try:
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
    except OSError:
        pass
    try:
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "newline": ""})) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check_output(path: str | os.PathLike, *, folder: bool = False, option: str = "--out") -> Path:
    """Refuse, before any work, an output path that cannot be written: a folder where a file is
    expected (or the reverse), or a parent that is a file or not writable. The French message names
    the path and the option; nothing is created here."""
    path = Path(path)
    if folder and path.exists() and not path.is_dir():
        raise InputError(f"{option} : {path} existe et n'est pas un dossier (attendu : un dossier à créer ou "
                         "existant).", file=str(path))
    if not folder and path.is_dir():
        raise InputError(f"{option} : {path} est un dossier (attendu : un fichier à écrire).", file=str(path))
    parent = path if folder else path.parent
    existing = next((p for p in (parent, *parent.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        raise InputError(f"{option} : impossible d'écrire {path} : {existing} est un fichier, pas un dossier.",
                         file=str(path))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{option} : impossible d'écrire {path} : pas de droit d'écriture dans {existing}.",
                         file=str(path))
    return path


def _umask() -> int:
    try:  # Linux: read it without changing it (os.umask is process-wide, not thread-safe)
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


BINARY_SAMPLE = 8192


def remove_stale_files(folder: str | os.PathLike, older_than_s: float, pattern: str = "*") -> int:
    """Delete the files of ``folder`` matching ``pattern`` whose last change is older than
    ``older_than_s`` seconds (orphans left by a killed process: a file still being written is
    recent); returns how many were deleted. A missing folder holds nothing."""
    import time

    limit = time.time() - older_than_s
    removed = 0
    for path in Path(folder).glob(pattern):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by its owner
            continue
    return removed


def save_upload(upload, path: str | os.PathLike) -> Path:
    """Write an uploaded file (anything with ``chunks()``, as Django's) to ``path`` chunk by chunk, never
    the whole file in memory; returns the path."""
    path = Path(path)
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def hold_lock(handle: IO) -> bool:
    """Mark an open file as in use by this process (an exclusive ``flock``, released by the system
    when the process ends, even killed); returns False where locks are not available."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not Linux/macOS
        return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_orphans(folder: str | os.PathLike, pattern: str, *, grace_s: float, stale_after_s: float) -> int:
    """Delete the files of ``folder`` matching ``pattern`` that no living process holds
    (:func:`hold_lock`): the copies a killed process left behind, removed at once rather than after
    an hour. A file younger than ``grace_s`` is kept (its owner may be about to lock it); where locks
    are not available, the age rule of :func:`remove_stale_files` (``stale_after_s``) applies.
    Returns how many were deleted."""
    try:
        import fcntl  # noqa: F401  (locks available: hold_lock tells held from free)
    except ImportError:  # pragma: no cover - not Linux/macOS
        return remove_stale_files(folder, stale_after_s, pattern)
    import time

    recent = time.time() - grace_s
    removed = 0
    for path in Path(folder).glob(pattern):
        try:
            if not path.is_file() or path.stat().st_mtime >= recent:
                continue
            with path.open("rb") as handle:
                if not hold_lock(handle):  # held: a request is receiving or reading it
                    continue
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by its owner
            continue
    return removed


def detect_encoding(path: str | os.PathLike) -> str:
    """The text encoding of ``path``: ``utf-8-sig`` (BOM), ``utf-8`` or ``cp1252`` (Excel on Windows).

    The whole file is checked as UTF-8 in chunks (constant memory); a file that is not UTF-8 is read
    as Windows-1252 if every byte is defined there. A binary file (NUL bytes) or a file in another
    encoding is refused with a French message naming the file.
    """
    path = Path(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        head = handle.read(BINARY_SAMPLE)
        if b"\x00" in head:
            raise InputError(f"Fichier {path.name} : fichier binaire, pas un fichier texte "
                              "(attendu : texte en UTF-8 ou Windows-1252).", file=str(path))
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        else:
            encoding = "utf-8"
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = handle.read(1 << 20)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                block.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(f"Fichier {path.name} : encodage non reconnu (octet 0x{exc.object[exc.start]:02x}) ; "
                              "attendu : UTF-8 ou Windows-1252.", file=str(path)) from None
    return "cp1252"


def open_text(path: str | os.PathLike, *, newline: str | None = None) -> IO[str]:
    """Open ``path`` for reading as text in its detected encoding (:func:`detect_encoding`)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"Fichier introuvable : {path}", file=str(path))
    if path.is_dir():
        raise InputError(f"{path} est un dossier, pas un fichier.", file=str(path))
    return path.open(encoding=detect_encoding(path), newline=newline)


def iter_jsonl_objects(path: str | os.PathLike, report: ValidationReport) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, object)`` for each JSON object line of ``path``.

    Blank lines are skipped; lines that are not valid JSON, or not an object, are added to
    ``report`` (in French, with their line number) and skipped, so that callers report every
    problem of the file at once.
    """
    with open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                report.add(f"JSON invalide (caractère {exc.colno} : {_json_error_fr(exc.msg)})", line=number,
                           expected="un objet JSON par ligne")
                continue
            if not isinstance(obj, dict):
                report.add("la ligne n'est pas un objet JSON", line=number, expected="un objet {…}")
                continue
            yield number, obj


_JSON_ERRORS_FR = {
    "Expecting property name enclosed in double quotes": "nom de champ attendu entre guillemets doubles",
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Unterminated string starting at": "chaîne de caractères non terminée",
    "Extra data": "données en trop après l'objet",
    "Invalid control character at": "caractère de contrôle interdit",
}


def _json_error_fr(message: str) -> str:
    return _JSON_ERRORS_FR.get(message, message)


def read_json(path: str | os.PathLike, *, max_bytes: int | None = None) -> Any:
    """Read a JSON document in its detected encoding (UTF-8, with or without BOM, or Windows-1252).

    An empty, binary, over-size or malformed file raises :class:`InputError` with a French message
    naming the file, the line and the column of the problem."""
    path = Path(path)
    if max_bytes is not None and path.is_file() and path.stat().st_size > max_bytes:
        raise InputError(f"Fichier {path.name} : trop volumineux ({path.stat().st_size} octets ; au plus "
                         f"{max_bytes}).", file=str(path))
    with open_text(path) as handle:
        text = handle.read()
    if not text.strip():
        raise InputError(f"Fichier {path.name} : fichier vide (attendu : un document JSON).", file=str(path),
                         line=1)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"Fichier {path.name}, ligne {exc.lineno}, colonne {exc.colno} : JSON invalide "
                         f"({_json_error_fr(exc.msg)}).", file=str(path), line=exc.lineno) from None


def read_jsonl(path: str | os.PathLike, *, required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Read a JSON Lines file; every bad line is reported (line numbers start at 1)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"Fichier introuvable : {path}")
    report = ValidationReport(file=str(path))
    rows: list[dict[str, Any]] = []
    for number, obj in iter_jsonl_objects(path, report):
        for key in required:
            if key not in obj or obj[key] in (None, ""):
                report.add("champ obligatoire absent", line=number, column=key)
        rows.append(obj)
    report.raise_if_any()
    return rows


MAX_CSV_FIELD = 131_072  # characters in one CSV field (the csv module's default limit)


def read_csv_rows(path: str | os.PathLike, *, required: tuple[str, ...] = (),
                  delimiter: str | None = None) -> list[dict[str, str]]:
    """Read a CSV file (delimiter sniffed among , ; tab) and check required columns.

    Returns rows as dicts; each row carries its 1-based file line number in ``"__line__"``
    (header is line 1).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"Fichier introuvable : {path}")
    with open_text(path, newline="") as handle:
        sample = handle.read(65536)
        handle.seek(0)
        if delimiter is None:
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
            except csv.Error:
                delimiter = ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise DataValidationError([
                Problem(message=f"colonne obligatoire absente : {c}", file=str(path), line=1,
                        expected="en-tête contenant " + ", ".join(required))
                for c in missing
            ])
        reader.fieldnames = header
        rows = []
        last_short = 0  # fields missing from the last row read (a row shorter than the header)
        try:
            for index, row in enumerate(reader, start=2):
                if any(isinstance(v, str) and len(v) > MAX_CSV_FIELD for v in row.values()):
                    # the csv module's own limit is process-wide and libraries raise it (frictionless does):
                    # the readers keep theirs, so that a bad file gets the same answer in every process
                    raise csv.Error(f"field larger than field limit ({MAX_CSV_FIELD})")
                last_short = sum(1 for c in header if c and row.get(c) is None)
                # a short row's missing fields read as empty, like an empty field: readers see one kind of blank
                clean = {k: (v.strip() if isinstance(v, str) else "") for k, v in row.items() if k is not None}
                clean["__line__"] = index
                rows.append(clean)
        except csv.Error as exc:  # e.g. an unclosed quote swallowing the rest of the file
            line = len(rows) + 2  # the record after the last one read
            raise InputError(f"{path.name}, ligne {line} : CSV mal formé (champ trop long ou guillemet "
                             "« \" » non fermé ?) ; vérifiez les guillemets et le séparateur.", file=str(path),
                             line=line, reason=str(exc)) from exc
    if rows and last_short and not _ends_with_newline(path):
        line, present = rows[-1]["__line__"], sum(1 for c in header if c) - last_short
        raise InputError(f"{path.name}, ligne {line} : ligne incomplète en fin de fichier ({present} champ(s) sur "
                         f"{len(header)}) : le fichier semble tronqué ; envoyez le fichier complet.",
                         file=str(path), line=line)
    return rows


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if not handle.tell():
            return True
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) in b"\r\n"
