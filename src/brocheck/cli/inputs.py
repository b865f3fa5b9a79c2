"""Expanding command-line paths into case files, shared by the commands that take cases."""

from __future__ import annotations

from pathlib import Path

from brocheck.errors import InputError, Problem
from brocheck.loader import LoadedCase, load_case


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; directories replaced by every *.yaml / *.yml below them, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def load_all(paths: list[Path]) -> list[LoadedCase]:
    """Load every case; if any is invalid, raise InputError with all problems (nothing is assessed)."""
    files = expand(paths)
    if not files:
        raise InputError([Problem("brocheck", None, None, "inga ärendefiler hittades: ange filer eller "
                                                           "kataloger med *.yaml")])
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
