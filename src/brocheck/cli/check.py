"""`brocheck check`: validate case files."""

from __future__ import annotations

import sys
from pathlib import Path

from brocheck.cli.inputs import expand
from brocheck.loader import load_case


def run(paths: list[Path]) -> int:
    files = expand(paths)
    failed = 0
    for path in files:
        result = load_case(path, str(path))
        if not isinstance(result, list) and result.case.bedomningar:  # manual judgements name rules
            from brocheck.manual import problems
            from brocheck.ruleset import load_ruleset

            result = problems(result, load_ruleset()) or result
        if isinstance(result, list):
            failed += 1
            for problem in result:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: OK")
    return 2 if failed else 0
