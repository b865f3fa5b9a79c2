"""Expanding command-line paths into case files, shared by the commands that take cases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from brocheck.errors import InputError, Problem
from brocheck.loader import LoadedCase, load_case

T = TypeVar("T")


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


def load_checked(path: Path) -> LoadedCase | list[Problem]:
    """One case, validated including its manual judgements and audit parameters (which name rules and
    parameters, so need the rule set)."""
    result = load_case(path, str(path))
    if isinstance(result, list) or not (result.case.bedomningar or result.case.parametrar):
        return result
    from brocheck import manual, params
    from brocheck.errors import by_position
    from brocheck.ruleset import load_ruleset

    ruleset = load_ruleset()
    return by_position(manual.problems(result, ruleset) + params.problems(result, ruleset)) or result


def load_all(paths: list[Path]) -> list[LoadedCase]:
    """Load every case; if any is invalid, raise InputError with all problems (nothing is assessed)."""
    return load_each(paths, lambda loaded: loaded)


def load_each(paths: list[Path], then: Callable[[LoadedCase], T],
              advance: Callable[[], object] = lambda: None) -> list[T]:
    """`then(case)` for each case as it loads, until one is invalid; the rest are still loaded, so that
    InputError lists every problem. `advance` is called after each file."""
    done: list[T] = []
    problems: list[Problem] = []
    for path in expand(paths):
        result = load_checked(path)
        if isinstance(result, list):
            problems += result
        elif not problems:
            done.append(then(result))
        advance()
    if problems:
        raise InputError(problems)
    return done
