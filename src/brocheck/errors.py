"""Problems found in input, and the error kinds the CLI maps to exit codes."""

from __future__ import annotations

import errno
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


class EnvError(BrocheckError):
    """The environment failed: a file cannot be read or written, the disk is full, standard out is closed
    or nobody reads it. Not a bug (exit 3) but, like bad input, something the user can put right (exit 2)."""


class Interrupted(BaseException):
    """SIGINT, SIGTERM or SIGHUP arrived while a command ran (cli/main.py); raised so that temporary files
    are removed on the way out, and the exit code is 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def usage(message: str, where: str = "brocheck") -> UsageError:
    """A usage error with one message, about the command line or the option or file `where`."""
    return UsageError([Problem(where, None, None, message)])


_REASONS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("åtkomst nekas", "kontrollera rättigheterna eller välj en annan plats"),
    errno.EPERM: ("åtgärden är inte tillåten", "kontrollera rättigheterna eller välj en annan plats"),
    errno.EROFS: ("filsystemet är skrivskyddat", "välj en plats som går att skriva till"),
    errno.ENOSPC: ("disken är full", "frigör utrymme eller välj en annan disk"),
    errno.EDQUOT: ("diskkvoten är slut", "frigör utrymme eller välj en annan disk"),
    errno.EFBIG: ("filen blir för stor för filsystemet", "välj en annan disk"),
    errno.EPIPE: ("mottagaren slutade läsa innan allt var skrivet",
                  "låt mottagaren läsa allt, eller skriv till en fil med --output"),
    errno.EBADF: ("är stängd", "starta brocheck med den öppen, eller använd en fil"),
    errno.EIO: ("in- eller utmatningsfel", "kontrollera disken eller enheten"),
    errno.ENOENT: ("finns inte", "kontrollera sökvägen"),
    errno.ENOTDIR: ("en del av sökvägen är inte en katalog", "kontrollera sökvägen"),
    errno.EISDIR: ("är en katalog", "ange en fil"),
    errno.ENAMETOOLONG: ("sökvägen är för lång", "korta den"),
    errno.ELOOP: ("för många symboliska länkar i sökvägen", "kontrollera länkarna"),
    errno.ETXTBSY: ("filen används av ett program som körs", "välj en annan fil"),
}


def os_problem(where: str, action: str, err: OSError) -> Problem:
    """One line for an operating-system error: `where: action: reason (ERRNO): how to fix it`, in Swedish
    for the errors users meet (permission, full disk, closed pipe …), else the system's own words."""
    code = err.errno or 0
    reason, fix = _REASONS.get(code, (err.strerror or str(err), "kontrollera sökvägen och försök igen"))
    name = errno.errorcode.get(code)
    return Problem(where, None, None, f"{action}: {reason}{f' ({name})' if name else ''}: {fix}")


def bounded(problems: Iterable[Problem], limit: int = 100) -> list[Problem]:
    """At most `limit` problems per file, grouped by file in the order the files come, each file with more
    followed by one line counting the rest: a file of 99 000 errors is reported in 101 lines."""
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    out: list[Problem] = []
    for file, found in by_file.items():
        out += found[:limit]
        if len(found) > limit:
            rest = f"{len(found) - limit:,}".replace(",", " ")
            out.append(Problem(file, None, None, f"… och {rest} fel till i filen (de första {limit} visas ovan)"))
    return out
