"""`brocheck check`: validate case files.

Problems always go to standard error as `file:line:col: message`, one per line. Standard out gets the
format: `text` is an OK line per valid file (none with --quiet); the CI formats (json, sarif, github,
junit) report every file's problems in their own way (brocheck.render.problems). Exit 2 if any file is
invalid, else 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from brocheck.cli.config import Config
from brocheck.cli.inputs import expand, load_checked
from brocheck.errors import Problem

FORMATS = ("text", "json", "sarif", "github", "junit")


def run(paths: list[Path], fmt: str = "text", quiet: bool = False, config: Config | None = None) -> int:
    config = config or Config()
    results: list[tuple[str, list[Problem]]] = []
    for path in expand(paths, config):
        result = load_checked(path, config.rules)
        problems = result if isinstance(result, list) else []
        results.append((str(path), problems))
        for problem in problems:
            print(problem, file=sys.stderr)
        if fmt == "text" and not problems and not quiet:
            print(f"{path}: OK")
    if fmt != "text":
        from brocheck.render.problems import FORMATS as RENDER

        sys.stdout.write(RENDER[fmt](results))
    return 2 if any(problems for _, problems in results) else 0
