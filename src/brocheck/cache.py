"""brocheck's cache between runs: files of marshalled plain data that save work at start-up.

Two things are cached, each by its own module: the validated rule set (brocheck.rulecache) and the
case schema's validator (brocheck.schemacache). This module holds what they share:

- Where: `$XDG_CACHE_HOME/brocheck`, else `~/.cache/brocheck`. Any failure to create, read or write it
  silently means no cache: the work is then done as without one.
- Trust: a cached rule set holds code objects that are run when rendering, so a cache file is read only
  when it and its directory belong to the current user and neither is writable by group or others. A file
  is written to a temporary file in the directory and renamed into place, and carries a SHA-256 of its
  body, so a torn or corrupt file is rebuilt, not read. Nothing is unpickled: bodies are `marshal` data.
- Key: a file's name hashes what it was built under (`environment`: Python's version and bytecode magic,
  Pydantic's version and each of brocheck's source files by size and modification time; for a rule set also Jinja's
  `__init__.py`). Writing an entry removes the earlier ones of the same kind and subject, so the cache
  does not grow.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import stat
import sys
import tempfile
from pathlib import Path


def directory() -> Path | None:
    """The cache directory (which may not exist yet), or None when there is no home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return Path(base if base and os.path.isabs(base) else Path.home() / ".cache") / "brocheck"
    except RuntimeError:  # no home directory
        return None


def entry(kind: str, subject: str, head: bytes, *versions: str) -> Path | None:
    """The cache file of `kind` for `subject` (e.g. a rule set's location) under this environment and the
    `versions` of what else its contents depend on (e.g. Jinja's, whose code objects a rule set holds)."""
    folder = directory()
    if folder is None:
        return None
    where = hashlib.sha256(subject.encode()).hexdigest()[:12]
    key = hashlib.sha256("\0".join([head.decode(), environment(), *versions]).encode()).hexdigest()[:20]
    return folder / f"{kind}-{where}-{key}.bin"


@functools.cache
def environment() -> str:
    """What every cached file depends on besides its own inputs: Python, Pydantic and brocheck's own source
    (a changed loader, operator or schema invalidates every entry). Each source file counts by its size and
    modification time, as Python's own bytecode cache does, rather than by its contents: reading and hashing
    them all cost each run a few milliseconds."""
    import pydantic

    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        digest.update(f"{path.relative_to(package).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return "\0".join([sys.version, importlib.util.MAGIC_NUMBER.hex(), pydantic.VERSION, digest.hexdigest()])


def package_digest(name: str) -> str:
    """What identifies an installed package's version without importing it (`brocheck check` never imports
    Jinja): a hash of its `__init__.py`, which names its version."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name}: saknas"
    try:
        return hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()
    except OSError:
        return f"{name}: oläslig"


def _private(info: os.stat_result) -> bool:
    """Owned by the current user and not writable by group or others."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(path: Path, head: bytes) -> bytes | None:
    """The body of a trusted, intact cache file that starts with `head`; None otherwise."""
    try:
        folder = os.lstat(path.parent)
        if not (stat.S_ISDIR(folder.st_mode) and _private(folder)):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            info = os.fstat(fd)
            if not (stat.S_ISREG(info.st_mode) and _private(info)):
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                blob = handle.read()
        finally:
            os.close(fd)
    except OSError:
        return None
    found, digest, body = blob[:len(head)], blob[len(head):len(head) + 32], blob[len(head) + 32:]
    if found != head or hashlib.sha256(body).digest() != digest:
        return None
    return body


def write(path: Path, head: bytes, body: bytes) -> None:
    """Store `body` atomically and remove the earlier entries of the same kind and subject; silently
    nothing when the directory cannot be used."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.lstat(path.parent)):
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(head + hashlib.sha256(body).digest() + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.bin"):
            if old != path:  # the same subject under an earlier brocheck, Python, Pydantic or Jinja
                old.unlink(missing_ok=True)
    except OSError:
        return
