"""Expanding command-line paths into case files, shared by the commands that take cases."""

from __future__ import annotations

from pathlib import Path

from brocheck.errors import InputError, Problem
from brocheck.loader import LoadedCase, load_case


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; directories replaced by every *.yaml / *.yml below them, sorted.

    A directory without case files is an input error: a CI job pointed at the wrong place must fail.
    """
    out: list[Path] = []
    empty: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                empty.append(Problem(str(path), None, None, "inga *.yaml- eller *.yml-filer i katalogen: ange "
                                                            "en katalog med ärendefiler"))
            out.extend(found)
        else:
            out.append(path)
    if empty:
        raise InputError(empty)
    return out


def load_all(paths: list[Path]) -> list[LoadedCase]:
    """Load every case; if any is invalid, raise InputError with all problems (nothing is assessed)."""
    files = expand(paths)
    loaded: list[LoadedCase] = []
    problems: list[Problem] = []
    for path in files:
        result = load_case(path, str(path))
        if isinstance(result, list):
            problems += result
        else:
            loaded.append(result)
    if problems:
        raise InputError(problems)
    return loaded
