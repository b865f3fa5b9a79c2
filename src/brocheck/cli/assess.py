"""`brocheck assess`: derive the report's tables from case files with the rule set.

Every output file is checked and opened before any case is assessed, and nothing is put in place before
every case was valid and every output rendered, so a failed run writes nothing (cli/output.py); the exit
code is 1 when a row fails `--fail-on`, after all output has been written.

A batch streams: each case is read, assessed and rendered (`brocheck.render.Stream`), then dropped, so
memory does not grow with the batch beyond what a format keeps to print (the overview's rows). File
outputs are written to their temporary files as they come, standard out's to a temporary file until the
end. With `--jobs N` (standard: the cores, at most `MAX_JOBS`) worker processes, forked once the rule
set is loaded, read, assess and render the cases; the pieces are written in input order, so the bytes are
those of one process.
"""

from __future__ import annotations

import codecs
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from brocheck.cli.config import Config
from brocheck.cli.inputs import expand, load_checked
from brocheck.cli.output import Outputs
from brocheck.cli.streams import is_terminal
from brocheck.engine import assess
from brocheck.errors import InputError, Problem, UsageError, usage
from brocheck.manual import judgements
from brocheck.render import BINARY, FORMATS, Gate, Stream, streamer
from brocheck.ruleset import RuleSet, load_ruleset

PROGRESS_MIN = 20
"""More cases than this, on a terminal, show a progress bar on standard error."""
MAX_JOBS = 8
"""The most worker processes `--jobs` gives by default."""
PER_WORKER = 8
"""A worker process is forked for each this many cases at most (small batches stay in one process)."""

Target = tuple[str, Path | None]
"""A format and where it goes (None: standard out)."""


def default_jobs() -> int:
    """The cores this process may use, at most MAX_JOBS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def run(paths: list[Path], fmt: str | None, outputs: Sequence[str] = (), manual: bool = True,
        fail_on: Sequence[str] = (), *, quiet: bool = False, colour: bool = False, config: Config | None = None,
        jobs: int = 1) -> int:
    """`colour`: whether the text format is coloured on standard out (files never are). `config` gives
    the rule set, which files a directory holds and where a `fail-on` from the settings file stands.
    `jobs`: how many processes may assess (1: this one)."""
    config = config or Config()
    targets = plan(fmt, outputs)
    files = expand(paths, config)
    with Outputs([target for _, target in targets if target is not None], files) as out, \
            tempfile.TemporaryFile() as spool:
        ruleset = load_ruleset(config.rules)
        try:
            gate = Gate.parse(fail_on, ruleset) if fail_on else None
        except UsageError as err:
            raise config.blame("fail-on", err) from None
        tty = is_terminal(sys.stdout)
        streams = [streamer(name, [str(f) for f in files], gate, terminal=target is None and tty,
                            colour=colour and target is None) for name, target in targets]

        def put(target: Path | None, chunk: str | bytes) -> None:
            if not chunk:
                return
            if target is not None:
                out.write(target, chunk)
            else:
                spool.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))

        failing = False
        for pieces, fails in assess_each(_Job(ruleset, files, streams, gate, manual, config.rules), jobs,
                                         progress=not quiet):
            failing = failing or fails
            for (_, target), stream, piece in zip(targets, streams, pieces, strict=True):
                put(target, stream.add(piece))
        for (_, target), stream in zip(targets, streams, strict=True):
            for chunk in stream.end():
                put(target, chunk)
        binary = any(name in BINARY for name, target in targets if target is None)
        out.finish(_spooled(spool, binary))
    return 1 if failing else 0


def _spooled(spool: IO[bytes], binary: bool) -> Iterator[str | bytes]:
    """Standard out's output back from its temporary file: bytes for a binary format, else text."""
    spool.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := spool.read(1 << 20):
        yield chunk if binary else decoder.decode(chunk)
    if not binary:
        yield decoder.decode(b"", final=True)


def plan(fmt: str | None, outputs: Sequence[str]) -> list[Target]:
    """Where each format goes. `FORMAT=FILE` names a format; a plain `FILE` (at most one) takes the
    `--format` output. Standard out gets the `--format` output unless a plain FILE takes it or only
    `FORMAT=FILE` outputs were asked for without `--format`."""
    named: list[Target] = []
    plain: list[Path] = []
    for value in outputs:
        name, sep, rest = value.partition("=")
        if sep and name in FORMATS:
            if not rest:
                raise usage(f"--output {value}: ange en fil efter '='")
            named.append((name, Path(rest)))
        elif sep and name.isalpha() and name.isascii():
            raise usage(f"--output {value}: okänt format {name!r}; ange FORMAT=FIL med ett av "
                        f"{', '.join(FORMATS)} (eller ./{value} för en fil med '=' i namnet)")
        else:
            plain.append(Path(value))
    if len(plain) > 1:
        raise usage("ange högst en --output utan format; skriv övriga som FORMAT=FIL, t.ex. sarif=ut.sarif")
    targets: list[Target] = [(fmt or "markdown", plain[0])] if plain else []
    targets += named
    if not plain and (fmt is not None or not named):
        targets.insert(0, (fmt or ("text" if is_terminal(sys.stdout) else "markdown"), None))
    for name, target in targets:
        if target is None and name in BINARY and is_terminal(sys.stdout):
            raise usage(f"--format {name} skriver en binär fil, som inte kan visas i terminalen: ange en fil med "
                        f"--output (t.ex. --output rapport.{name}) eller dirigera om standard ut till en fil")
    return targets


@dataclass(frozen=True)
class _Job:
    """What each case of a batch goes through; shared with the worker processes by forking."""

    ruleset: RuleSet
    files: list[Path]
    streams: list[Stream]
    gate: Gate | None
    manual: bool
    rules: Path | None

    def one(self, index: int, render: bool = True) -> list[Problem] | tuple[list[Any], bool]:
        """The case's problems, or what each output prints of it and whether a row fails `--fail-on`
        (with `render=False`: only whether it is valid)."""
        loaded = load_checked(self.files[index], self.rules)
        if isinstance(loaded, list) or not render:
            return loaded if isinstance(loaded, list) else ([], False)
        a = assess(self.ruleset, loaded, judgements(loaded, self.ruleset) if self.manual else None,
                   facts=any(s.uses_facts for s in self.streams))
        fails = self.gate is not None and bool(self.gate.failing([a]))
        return [s.piece(a, index == 0) for s in self.streams], fails


_job: _Job | None = None
"""The batch a forked worker process works on (set before forking)."""


def _work(index: int) -> list[Problem] | tuple[list[Any], bool]:
    assert _job is not None
    return _job.one(index)


def _worker() -> None:
    """A worker leaves interrupts to the command (cli/main.py turns them into an exit code) and ends quietly
    when the command ends it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def assess_each(job: _Job, jobs: int = 1, progress: bool = True) -> Iterator[tuple[list[Any], bool]]:
    """Each case's pieces in input order, all or nothing: once a case is invalid, the rest are only
    validated, and InputError lists every problem at the end. `jobs` > 1 forks up to that many workers
    (one per PER_WORKER cases at most) when every output can take its pieces from them. A progress bar
    on a terminal when there are many cases."""
    total = len(job.files)
    workers = min(jobs, total // PER_WORKER) if all(s.parallel for s in job.streams) else 1
    pool = None
    if workers > 1:
        import multiprocessing

        global _job
        _job = job
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker)
    try:
        results = pool.imap(_work, range(total), chunksize=4) if pool else None
        problems: list[Problem] = []
        with _progress(total if progress else 0) as advance:
            for index in range(total):
                result = next(results) if results is not None else job.one(index, render=not problems)
                advance()
                if isinstance(result, list):
                    problems += result
                elif not problems:
                    yield result
        if problems:
            raise InputError(problems)
    finally:
        if pool is not None:
            pool.terminate()  # idle after the last case; on an error or an interrupt, stopped at once
            pool.join()
            _job = None


class _progress:
    """A progress bar on standard error for `total` cases when that is a terminal and there are more
    than PROGRESS_MIN; else nothing. Entering gives the function that advances it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Any:
        if self.total <= PROGRESS_MIN or not is_terminal(sys.stderr):
            return lambda: None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(file=sys.stderr), transient=True)
        self.bar.__enter__()
        task = self.bar.add_task("Bedömer ärenden", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
