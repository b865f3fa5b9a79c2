"""Expanding command-line paths into case files, shared by the commands that take cases.

A file given on the command line is always read; `-` reads a case from standard input (at most once). A
directory is walked for *.yaml and *.yml files,
leaving out hidden files and directories, virtual environments (`.venv`, `venv`, any directory holding
pyvenv.cfg) and `node_modules`, and then what the settings' `exclude` patterns name or their `include`
patterns do not. Patterns work as in .gitignore: `tests/` is a directory anywhere, `cases/**/*.yaml` is
anchored at the project root (a `/` before the end), `*` stays within a directory and `**` crosses them.
They apply to paths inside the project root; elsewhere only the built-in exclusions do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from brocheck.cli.config import Config
from brocheck.errors import InputError, Problem, usage
from brocheck.loader import LoadedCase, load_case
from brocheck.yamlsafe import STDIN

SUFFIXES = (".yaml", ".yml")
SKIPPED = frozenset({".venv", "venv", "node_modules"})
"""Directories never walked into (besides hidden ones and those holding pyvenv.cfg)."""


@dataclass(frozen=True)
class Glob:
    """One include/exclude pattern, as in .gitignore."""

    regex: re.Pattern[str]
    anchored: bool
    dir_only: bool

    @classmethod
    def parse(cls, pattern: str) -> Glob:
        dir_only = pattern.endswith("/")
        body = pattern.strip("/")
        parts = body.split("/")
        out = ""
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "**":
                out += ".*" if last else "(?:[^/]+/)*"
            else:
                out += _segment(part) + ("" if last else "/")
        return cls(re.compile(out), "/" in pattern.rstrip("/"), dir_only)

    def match(self, relative: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        return self.regex.fullmatch(relative if self.anchored else relative.rsplit("/", 1)[-1]) is not None


def _segment(part: str) -> str:
    """A regular expression for one path segment: `*`, `?` and `[…]` stay within it."""
    out, i = "", 0
    while i < len(part):
        ch = part[i]
        end = part.find("]", i + 2) if ch == "[" else -1
        if ch == "*":
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif end > 0:
            inner = part[i + 1:end]
            out += "[" + ("^" + inner[1:] if inner.startswith("!") else inner).replace("\\", "\\\\") + "]"
            i = end
        else:
            out += re.escape(ch)
        i += 1
    return out


class Selection:
    """Which files below a directory are case files, by the settings' patterns and the built-in exclusions."""

    def __init__(self, config: Config) -> None:
        self.root = os.path.abspath(config.root)
        self.include = [Glob.parse(p) for p in config.include]
        self.exclude = [Glob.parse(p) for p in config.exclude]

    def relative(self, path: str) -> str | None:
        """`path` relative to the project root, with `/`, or None when it lies outside."""
        relative = os.path.relpath(os.path.abspath(path), self.root)
        if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
            return None
        return relative.replace(os.sep, "/")

    def excluded(self, path: str, is_dir: bool) -> bool:
        relative = self.relative(path)
        return relative is not None and any(g.match(relative, is_dir) for g in self.exclude)

    def included(self, path: str) -> bool:
        relative = self.relative(path)
        if not self.include or relative is None:
            return True
        parts = relative.split("/")
        return any(g.match("/".join(parts[:n]), n < len(parts)) for g in self.include for n in range(1, len(parts) + 1))

    def enter(self, folder: str, name: str) -> bool:
        path = os.path.join(folder, name)
        return not (name.startswith(".") or name in SKIPPED or os.path.isfile(os.path.join(path, "pyvenv.cfg"))
                    or self.excluded(path, True))

    def take(self, folder: str, name: str) -> bool:
        path = os.path.join(folder, name)
        return (name.endswith(SUFFIXES) and not name.startswith(".") and not self.excluded(path, False)
                and self.included(path))

    def walk(self, top: Path) -> list[Path]:
        found: list[Path] = []
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if self.enter(folder, d)]
            found += [Path(folder, f) for f in files if self.take(folder, f)]
        return sorted(found)


def expand(paths: list[Path], config: Config | None = None) -> list[Path]:
    """Files as given; directories replaced by the case files below them (see the module), sorted.

    A directory without case files is an input error: a CI job pointed at the wrong place must fail.
    """
    if sum(str(p) == STDIN for p in paths) > 1:
        raise usage("'-' (standard in) kan bara anges en gång: ange filer för övriga ärenden")
    select = Selection(config or Config())
    out: list[Path] = []
    empty: list[Problem] = []
    for path in paths:
        if str(path) != STDIN and path.is_dir():
            found = select.walk(path)
            if not found:
                empty.append(Problem(str(path), None, None, _nothing_found(path)))
            out.extend(found)
        else:
            out.append(path)
    if empty:
        raise InputError(empty)
    return out


def _nothing_found(folder: Path) -> str:
    if not any(p.suffix in SUFFIXES for p in folder.rglob("*")):
        return "inga *.yaml- eller *.yml-filer i katalogen: ange en katalog med ärendefiler"
    return ("inga ärendefiler i katalogen: dess *.yaml- och *.yml-filer är dolda, ligger i en virtuell miljö eller "
            "node_modules eller utesluts av include/exclude: ange en katalog med ärendefiler eller ändra mönstren")


def load_checked(path: Path, rules: Path | None = None) -> LoadedCase | list[Problem]:
    """One case, validated including its manual judgements and audit parameters (which name rules and
    parameters, so need the rule set: `rules`, or brocheck's own)."""
    result = load_case(path, str(path))
    if isinstance(result, list) or not (result.case.bedomningar or result.case.parametrar):
        return result
    from brocheck import manual, params
    from brocheck.errors import by_position
    from brocheck.ruleset import load_ruleset

    ruleset = load_ruleset(rules)
    return by_position(manual.problems(result, ruleset) + params.problems(result, ruleset)) or result


def load_all(paths: list[Path], config: Config | None = None) -> list[LoadedCase]:
    """Load every case; if any is invalid, raise InputError with all problems (nothing is assessed): the
    rest are still loaded, so that InputError lists every problem."""
    done: list[LoadedCase] = []
    problems: list[Problem] = []
    rules = config.rules if config else None
    for path in expand(paths, config):
        result = load_checked(path, rules)
        if isinstance(result, list):
            problems += result
        elif not problems:
            done.append(result)
    if problems:
        raise InputError(problems)
    return done
