"""Standard out and standard error while a command runs: UTF-8 whatever the locale, and no failure
without an error.

- `guarded()` (cli/main.py runs every command inside it) puts a `Guarded` stream in place of standard
  out: every write, by brocheck, by click (help) or by print(), goes to the real stream as UTF-8 (or as
  bytes, for a binary format), and any failure – standard out closed, a closed pipe, a full disk – is an
  `EnvError` (exit 2) naming `<stdout>` and the reason. What is still buffered is flushed when the
  command ends, so a failed last write is never exit 0.
- `emit()`: write a command's result (text or bytes) and flush it.
- `warn()`: messages on standard error, one line each with control characters shown (escape.terminal);
  best effort: when standard error cannot be written, the messages are lost but never the exit code.

Light on imports: `brocheck --version` writes through emit().
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

STDOUT = "<stdout>"


def is_terminal(stream: Any) -> bool:
    """Whether `stream` is an open terminal (False for a closed or missing stream)."""
    try:
        return stream is not None and bool(stream.isatty())
    except (ValueError, OSError):
        return False


def _failed(err: OSError | ValueError, real: TextIO | None) -> Exception:
    """The EnvError for a failed write to standard out. When the real standard out failed, its descriptor
    is pointed at /dev/null, so that the interpreter's last flush of what is still buffered neither fails
    again nor changes the exit code (Python exits 120 when it does)."""
    from brocheck.errors import EnvError, os_problem

    process = sys.__stdout__
    if process is not None and real is process:
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, process.fileno())
            os.close(null)
    reason = err if isinstance(err, OSError) else OSError(errno.EBADF, str(err))  # ValueError: closed here
    return EnvError([os_problem(STDOUT, "kan inte skrivas", reason)])


class _Bytes:
    """`Guarded.buffer`: bytes to the real standard out, failures as EnvError."""

    def __init__(self, guarded: Guarded) -> None:
        self.guarded = guarded

    def write(self, data: bytes) -> int:
        self.guarded.send(data)
        return len(data)

    def flush(self) -> None:
        self.guarded.flush()


class Guarded(io.TextIOBase):
    """Standard out for a command (see the module). `real` is the stream it writes to; None when the
    process started with standard out closed."""

    def __init__(self, real: TextIO | None) -> None:
        super().__init__()
        self.real = real
        self.buffer = _Bytes(self)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return is_terminal(self.real)

    def fileno(self) -> int:
        if self.real is None:
            raise io.UnsupportedOperation("standard out is closed")
        return self.real.fileno()

    def send(self, data: str | bytes) -> None:
        """Text as UTF-8, or bytes, to the real stream: to its byte buffer when it has one (a process
        stream), else as text (an in-memory stream)."""
        real = self.real
        try:
            if real is None:
                raise OSError(errno.EBADF, "closed")
            raw = getattr(real, "buffer", None)
            if raw is not None:
                raw.write(data if isinstance(data, bytes) else data.encode("utf-8"))
            elif isinstance(data, str):
                real.write(data)
            else:
                raise OSError(errno.EINVAL, "en textström tar inte emot binära data")
        except (OSError, ValueError) as err:
            raise _failed(err, real) from None

    def write(self, text: str) -> int:
        self.send(text)
        return len(text)

    def flush(self) -> None:
        real = self.real
        if real is None:
            return
        try:
            raw = getattr(real, "buffer", None)
            if raw is not None:
                raw.flush()
            real.flush()
        except (OSError, ValueError) as err:
            raise _failed(err, real) from None


class _Discard(io.TextIOBase):
    """Standard error of a process started without it: messages are dropped (print() would otherwise
    write them to standard out)."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


@contextlib.contextmanager
def guarded() -> Iterator[Guarded]:
    """Standard out guarded while the block runs, and flushed when it ends; the real streams afterwards.
    A failed final flush raises EnvError unless the block already raised an error of its own."""
    real, errors = sys.stdout, sys.stderr
    if isinstance(real, Guarded):  # nested (a command run from a command): already guarded
        yield real
        return
    out = Guarded(real)
    sys.stdout = out
    if errors is None:
        sys.stderr = _Discard()
    try:
        yield out
    except BaseException as err:
        import typer

        if isinstance(err, typer.Exit):  # a command's exit code: the output must still reach its reader
            out.flush()
        raise
    else:
        out.flush()
    finally:
        if sys.stdout is out:
            sys.stdout = real
        if errors is None:
            sys.stderr = errors


def emit(data: str | bytes) -> None:
    """Write a command's result, text (as UTF-8) or bytes, to standard out and flush it; EnvError
    (exit 2) when it cannot be written."""
    stream = sys.stdout
    out = stream if isinstance(stream, Guarded) else Guarded(stream)
    out.send(data)
    out.flush()


def warn(lines: Iterable[object]) -> None:
    """Messages on standard error, one line each with control characters shown. Best effort: when standard
    error cannot be written the messages are lost, but never the exit code."""
    from brocheck.render.escape import terminal

    text = "".join(terminal(line) + "\n" for line in lines)
    stream = sys.stderr
    with contextlib.suppress(OSError, ValueError, AttributeError):
        raw = getattr(stream, "buffer", None)
        stream.flush()
        if raw is not None:
            raw.write(text.encode("utf-8"))
            raw.flush()
        else:
            stream.write(text)
            stream.flush()
