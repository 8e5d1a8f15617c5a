"""Error types carrying a French message for users and machine-readable details.

Every use-case package derives its own exception from :class:`AmorceError`. The CLI prints
``message`` and exits non-zero; the web UI shows it in a DSFR alert. Validation collects every
problem before raising (:class:`ValidationReport`), so users fix a file in one go.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class AmorceError(Exception):
    """Base error: ``message`` is French and meant for end users. ``exit_code`` is the command line's
    exit status (1; 2 for bad input: :class:`InputError`, :class:`DataValidationError`, or
    ``exit_code=BAD_INPUT`` on a package's own error)."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


BAD_INPUT = 2  # exit status of a command given a wrong file or option


class InputError(AmorceError):
    """The input given is wrong (a file missing, empty, binary, in an unknown encoding…)."""

    exit_code = BAD_INPUT


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what was expected (French)."""

    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    expected: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"fichier {self.file}")
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        text = (", ".join(where) + " : " if where else "") + self.message
        if self.value is not None:
            text += f" (valeur lue : « {self.value} »)"
        if self.expected:
            text += f" — attendu : {self.expected}"
        return text


MAX_PROBLEMS = 200  # listed; beyond it a report only counts (a bad 1 GB file must not fill memory)


class DataValidationError(AmorceError):
    """Input data failed validation; ``problems`` lists all of them."""

    exit_code = 2

    def __init__(self, problems: list[Problem], *, title: str = "Les données fournies sont invalides",
                 not_listed: int = 0) -> None:
        self.problems = list(problems)
        total = len(self.problems) + not_listed
        lines = [f"{title} ({total} problème{'s' if total > 1 else ''}) :"]
        lines += [f"  - {p}" for p in self.problems[:MAX_PROBLEMS]]
        hidden = total - min(len(self.problems), MAX_PROBLEMS)
        if hidden:
            lines.append(f"  … et {hidden} autre{'s' if hidden > 1 else ''} problème{'s' if hidden > 1 else ''}.")
        super().__init__("\n".join(lines), problems=[asdict(p) for p in self.problems])


@dataclass
class ValidationReport:
    """Accumulates problems while reading; ``raise_if_any`` raises them all at once."""

    file: str | None = None
    problems: list[Problem] = field(default_factory=list)
    not_listed: int = 0

    def add(self, message: str, *, line: int | None = None, column: str | None = None,
            expected: str | None = None, value: Any = None) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.not_listed += 1
            return
        self.problems.append(Problem(message=message, file=self.file, line=line, column=column,
                                     expected=expected, value=None if value is None else str(value)))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems) + self.not_listed

    def raise_if_any(self, title: str = "Les données fournies sont invalides") -> None:
        if self.problems:
            raise DataValidationError(self.problems, title=title, not_listed=self.not_listed)
