"""`brocheck assess`: derive the report's tables from case files with the rule set.

Every output file is checked and opened before any case is assessed, and every output is rendered before
any is written, so a failed run writes nothing (cli/output.py); the exit code is 1 when a row fails
`--fail-on`, after all output has been written.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from brocheck.cli.config import Config
from brocheck.cli.inputs import expand, load_all, load_each
from brocheck.cli.output import Outputs
from brocheck.cli.streams import is_terminal
from brocheck.engine import Assessment, assess
from brocheck.errors import UsageError, usage
from brocheck.loader import LoadedCase
from brocheck.manual import judgements
from brocheck.render import BINARY, FORMATS, Gate, renderer
from brocheck.ruleset import RuleSet, load_ruleset

PROGRESS_MIN = 20
"""More cases than this, on a terminal, show a progress bar on standard error."""

Target = tuple[str, Path | None]
"""A format and where it goes (None: standard out)."""


def run(paths: list[Path], fmt: str | None, outputs: Sequence[str] = (), manual: bool = True,
        fail_on: Sequence[str] = (), *, quiet: bool = False, colour: bool = False, config: Config | None = None) -> int:
    """`colour`: whether the text format is coloured on standard out (files never are). `config` gives
    the rule set, which files a directory holds and where a `fail-on` from the settings file stands."""
    config = config or Config()
    targets = plan(fmt, outputs)
    files = expand(paths, config)
    with Outputs([target for _, target in targets if target is not None], files) as out:
        ruleset = load_ruleset(config.rules)
        try:
            gate = Gate.parse(fail_on, ruleset) if fail_on else None
        except UsageError as err:
            raise config.blame("fail-on", err) from None
        assessments = assess_all(ruleset, files, manual, progress=not quiet, config=config)
        tty = is_terminal(sys.stdout)
        out.commit([(target, renderer(name, gate, terminal=target is None and tty,
                                      colour=colour and target is None)(assessments))
                    for name, target in targets])
    return 1 if gate is not None and gate.failing(assessments) else 0


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


def assess_all(ruleset: RuleSet, paths: list[Path], manual: bool = True, progress: bool = True,
               config: Config | None = None) -> list[Assessment]:
    """Load and assess every case, all or nothing; a progress bar on a terminal when there are many."""

    def one(loaded: LoadedCase) -> Assessment:
        return assess(ruleset, loaded, judgements(loaded) if manual else None)

    config = config or Config()
    files = expand(paths, config)
    if not progress or len(files) <= PROGRESS_MIN or not is_terminal(sys.stderr):
        return [one(loaded) for loaded in load_all(files, config)]

    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("Bedömer ärenden", total=len(files))
        return load_each(files, one, lambda: bar.advance(task), config)
