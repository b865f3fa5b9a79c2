"""`brocheck assess`: derive the report's tables from case files with the rule set."""

from __future__ import annotations

import sys
from pathlib import Path

from brocheck.cli.inputs import load_all
from brocheck.cli.output import write
from brocheck.engine import assess
from brocheck.manual import judgements
from brocheck.render import renderer
from brocheck.ruleset import load_ruleset


def run(paths: list[Path], fmt: str | None, output: Path | None, manual: bool = True) -> int:
    cases = load_all(paths)
    ruleset = load_ruleset()
    assessments = [assess(ruleset, loaded, judgements(loaded) if manual else None) for loaded in cases]
    if fmt is None:
        fmt = "text" if output is None and sys.stdout.isatty() else "markdown"
    write(renderer(fmt)(assessments), output)
    return 0
