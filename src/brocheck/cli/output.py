"""Writing results: all or nothing, so a failed run never leaves a half-written file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from brocheck.errors import usage


def writable(target: Path) -> None:
    """Refuse a target that cannot be written, so that it can be checked before anything is written."""
    if not target.parent.is_dir():
        raise usage("katalogen finns inte: skapa den eller ange en annan sökväg för --output", str(target))
    if target.is_dir():
        raise usage("är en katalog: ange en fil för --output", str(target))


def write(text: str | bytes, target: Path | None) -> None:
    """Text as UTF-8, or the bytes of a binary format, to the file or to standard out."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if target is None:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    writable(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
