"""Writing results: all or nothing, so a failed run never leaves a half-written file."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from brocheck.errors import Problem, UsageError


def write(text: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError([Problem(str(target), None, None, "katalogen finns inte: skapa den eller ange "
                                                             "en annan sökväg för --output")])
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
