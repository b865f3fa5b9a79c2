"""Problems found in input, and the error kinds the CLI maps to exit codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located where the file has lines."""

    file: str
    line: int | None
    col: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col or 1}: {self.message}"


def by_position(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of one file in the order they stand in it."""
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0, p.message))


class BrocheckError(Exception):
    """Base of every error the CLI turns into an exit code instead of a traceback."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class InputError(BrocheckError):
    """A case file (or a file given on the command line) is unreadable or invalid."""


class RuleSetError(BrocheckError):
    """The rule set or a template is invalid: a defect in brocheck's own data."""


class UsageError(BrocheckError):
    """The command line is wrong."""


def usage(message: str, where: str = "brocheck") -> UsageError:
    """A usage error with one message, about the command line or the option or file `where`."""
    return UsageError([Problem(where, None, None, message)])
