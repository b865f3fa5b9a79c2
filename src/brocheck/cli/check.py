"""`brocheck check`: validate case files."""

from __future__ import annotations

import sys
from pathlib import Path

from brocheck.cli.inputs import expand, load_checked


def run(paths: list[Path]) -> int:
    failed = 0
    for path in expand(paths):
        result = load_checked(path)
        if isinstance(result, list):
            failed += 1
            for problem in result:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: OK")
    return 2 if failed else 0
