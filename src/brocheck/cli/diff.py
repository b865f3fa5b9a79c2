"""`brocheck diff OLD NEW`: the rows whose rating moved between two case files, and why."""

from __future__ import annotations

import sys
from pathlib import Path

from brocheck.cli.inputs import load_all
from brocheck.errors import usage


def run(old: Path, new: Path, fmt: str, fail_on_worse: bool = False, manual: bool = True) -> int:
    from brocheck.diff import compare
    from brocheck.engine import assess
    from brocheck.manual import judgements
    from brocheck.render.diff import render
    from brocheck.ruleset import load_ruleset

    ruleset = load_ruleset()
    if old.is_dir() or new.is_dir():
        raise usage("diff jämför två ärendefiler, inte kataloger: ange FÖRUT.yaml och NU.yaml")
    cases = load_all([old, new])
    before, after = (assess(ruleset, c, judgements(c, ruleset) if manual else None) for c in cases)
    d = compare(before, after)
    sys.stdout.write(render(d, fmt))
    return 1 if fail_on_worse and d.worse else 0
