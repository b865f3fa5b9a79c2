"""Writing results to files: all or nothing, never over an input, errors as exit 2 (standard out and error:
cli/streams.py). Results are text, written as UTF-8, or the bytes of a binary format (docx).

- Files (`Outputs`): every target is checked, and opened as a temporary file in its directory, before any
  case is assessed; a batch writes each output there as it streams (`write`). A target that is an input,
  is not a regular file or cannot be written fails the run at once. At the end every temporary file is
  synced, then all are renamed over their targets; on any failure, and on SIGINT, SIGTERM or SIGHUP
  (which raise, see cli/main.py), they are removed and no target is touched.
  A new file gets the mode the umask gives (0666 & ~umask); an existing file keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from brocheck.cli.streams import emit
from brocheck.errors import EnvError, Problem, UsageError, os_problem


@dataclass
class _Pending:
    target: Path
    """As given, for messages."""
    final: Path
    """The file that is replaced (symbolic links followed)."""
    mode: int
    fd: int = -1
    tmp: Path | None = None
    handle: BinaryIO | None = None


_KINDS = {stat.S_IFCHR: "en teckenenhet", stat.S_IFBLK: "en blockenhet", stat.S_IFIFO: "ett namngivet rör (FIFO)",
          stat.S_IFSOCK: "en socket"}


def _real(path: Path) -> Path:
    """The path with symbolic links, `.` and `..` resolved; a loop of links is left for stat to report
    (Path.resolve raises RuntimeError on one before Python 3.13)."""
    return Path(os.path.realpath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    with contextlib.suppress(OSError):
        st = path.stat()
        return st.st_dev, st.st_ino
    return None


def _inputs(inputs: Sequence[Path]) -> tuple[set[Path], set[tuple[int, int]]]:
    """Resolved paths and (device, inode) of every input: the case files (standard input's file when it is
    one), the rule set in use and the templates brocheck reads."""
    from brocheck.resources import data_dir, rules_dir
    from brocheck.yamlsafe import STDIN

    files = [p for p in inputs if str(p) != STDIN]
    files += [p for folder in (rules_dir(), data_dir("templates")) for p in folder.rglob("*") if p.is_file()]
    ids = {i for i in map(_identity, files) if i is not None}
    if any(str(p) == STDIN for p in inputs) and sys.stdin is not None:
        with contextlib.suppress(OSError, ValueError):
            st = os.fstat(sys.stdin.fileno())
            ids.add((st.st_dev, st.st_ino))
    return {_real(p) for p in files}, ids


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Outputs:
    """The files of one run. `with Outputs(targets, inputs) as out:` checks and opens every target (raising
    UsageError or EnvError before any work is done); `out.commit(...)` writes them all at the end."""

    def __init__(self, targets: Sequence[Path], inputs: Sequence[Path]) -> None:
        self.pending = self._check(targets, inputs)

    @staticmethod
    def _check(targets: Sequence[Path], inputs: Sequence[Path]) -> list[_Pending]:
        paths, ids = _inputs(inputs) if targets else (set(), set())
        new_mode = 0o666 & ~_umask()
        problems: list[Problem] = []
        pending: list[_Pending] = []
        seen: dict[Path | tuple[int, int], Path] = {}

        def refuse(target: Path, message: str) -> None:
            problems.append(Problem(str(target), None, None, message))

        for target in targets:
            final = _real(target)
            try:
                st: os.stat_result | None = final.stat()
            except FileNotFoundError:
                st = None
            except OSError as err:
                problems.append(os_problem(str(target), "kan inte skrivas", err))
                continue
            ident = (st.st_dev, st.st_ino) if st is not None else None
            first = seen.get(final) or (seen.get(ident) if ident else None)
            if not final.parent.is_dir():
                refuse(target, "katalogen finns inte: skapa den eller ange en annan sökväg för --output")
            elif st is not None and stat.S_ISDIR(st.st_mode):
                refuse(target, "är en katalog: ange en fil för --output")
            elif st is not None and not stat.S_ISREG(st.st_mode):
                kind = _KINDS.get(stat.S_IFMT(st.st_mode), "ingen vanlig fil")
                refuse(target, f"är {kind}, inte en vanlig fil: brocheck ersätter bara vanliga filer; ange en "
                               "vanlig fil för --output")
            elif final in paths or ident in ids:
                refuse(target, "är en av indatafilerna: brocheck skriver aldrig över det den läser; ange en "
                               "annan fil för --output")
            elif first is not None:
                refuse(target, f"samma fil som {first} anges för flera --output: ange olika filer")
            else:
                seen[final] = target
                if ident is not None:
                    seen[ident] = target
                pending.append(_Pending(target, final, stat.S_IMODE(st.st_mode) if st else new_mode))
        if problems:
            raise UsageError(problems)
        return pending

    def __enter__(self) -> Outputs:
        try:
            for p in self.pending:
                fd, name = tempfile.mkstemp(dir=p.final.parent, prefix=f".{p.final.name}.", suffix=".tmp")
                p.fd, p.tmp = fd, Path(name)
        except OSError as err:
            self.__exit__(None, None, None)
            raise EnvError([os_problem(str(p.target), "kan inte skrivas", err)]) from None
        return self

    def commit(self, outputs: Sequence[tuple[Path | None, str | bytes]]) -> None:
        """Write every file output to its temporary file, then standard out's, then rename the files: when
        anything fails no target is replaced."""
        for target, text in outputs:
            if target is not None:
                self.write(target, text)
        self.finish(text for target, text in outputs if target is None)

    def write(self, target: Path, data: str | bytes) -> None:
        """Append to a file output's temporary file (text as UTF-8)."""
        p = next(p for p in self.pending if p.target == target)
        try:
            if p.handle is None:
                p.handle, p.fd = os.fdopen(p.fd, "wb"), -1
            p.handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        except OSError as err:
            raise EnvError([os_problem(str(p.target), "kan inte skrivas", err)]) from None

    def finish(self, stdout: Iterable[str | bytes]) -> None:
        """Sync every file output, write `stdout` to standard out, then rename the files: when anything fails
        no target is replaced."""
        for p in self.pending:
            assert p.tmp is not None
            try:
                if p.handle is None:
                    p.handle, p.fd = os.fdopen(p.fd, "wb"), -1
                with p.handle as handle:
                    p.handle = None
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(p.tmp, p.mode)  # mkstemp made it 0600
            except OSError as err:
                raise EnvError([os_problem(str(p.target), "kan inte skrivas", err)]) from None
        for text in stdout:
            emit(text)
        for p in self.pending:
            assert p.tmp is not None
            try:
                os.replace(p.tmp, p.final)
            except OSError as err:
                raise EnvError([os_problem(str(p.target), "kan inte skrivas", err)]) from None
            p.tmp = None

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        for p in self.pending:
            if p.handle is not None:
                with contextlib.suppress(OSError):
                    p.handle.close()
                p.handle = None
            if p.fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(p.fd)
                p.fd = -1
            if p.tmp is not None:
                with contextlib.suppress(OSError):
                    p.tmp.unlink()
                p.tmp = None

