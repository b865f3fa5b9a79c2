"""The project's settings: `.brocheck.yaml` or `[tool.brocheck]` in pyproject.toml, overridden by flags.

The file is found by walking up from the working directory to the repository root (a directory holding
`.git`) or the filesystem root; in one directory `.brocheck.yaml` wins over pyproject.toml, and a
pyproject.toml without `[tool.brocheck]` is passed by. Relative paths and patterns in the file are
relative to the directory that holds it (the project root). Every problem is reported as
`file:line:col: what is wrong: how to fix it`, so that a CI log points at the line.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from brocheck import yamlsafe
from brocheck.errors import BrocheckError, InputError, Problem, by_position, usage

YAML_NAMES = (".brocheck.yaml", ".brocheck.yml")
KEYS = ("rules", "format", "fail-on", "include", "exclude")
COLOURS = ("auto", "always", "never")

Pos = tuple[int, int]


@dataclass(frozen=True)
class Config:
    """Settings for one run. `positions` holds where each setting read from the file stands, so that a
    value found wrong later (a `fail-on` rating needs the rule set) is blamed on its line."""

    root: Path = field(default_factory=Path.cwd)
    file: str | None = None
    rules: Path | None = None
    format: str | None = None
    fail_on: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    positions: Mapping[str, Pos] = field(default_factory=dict)

    def override(self, **flags: Any) -> Config:
        """These settings with every flag that was given (not None, not empty) in place of the file's."""
        given = {name: value for name, value in flags.items() if value not in (None, (), [])}
        for name in ("include", "exclude"):
            for pattern in given.get(name, ()):
                message = pattern_problem(pattern)
                if message:
                    raise usage(f"{pattern!r}: {message}", f"--{name}")
        for name in ("fail_on", "include", "exclude"):
            if name in given:
                given[name] = tuple(given[name])
        positions = {key: pos for key, pos in self.positions.items() if key.replace("-", "_") not in given}
        return dataclasses.replace(self, **given, positions=positions)

    def blame(self, key: str, err: BrocheckError) -> BrocheckError:
        """`err` (about a setting's value) placed at the setting in the file, if the value came from it."""
        pos = self.positions.get(key)
        if pos is None or self.file is None:
            return err
        return InputError([Problem(self.file, *pos, f"`{key}`: {p.message}") for p in err.problems])


def choose(value: str, allowed: Iterable[str], what: str) -> str:
    """`value` if it is one of `allowed`, else a usage error that lists them (and the nearest)."""
    names = list(allowed)
    if value in names:
        return value
    near = difflib.get_close_matches(value, names, n=1)
    hint = f" (menade du {near[0]}?)" if near else ""
    raise usage(f"okänt värde {value!r}{hint}: ange ett av {', '.join(names)}", what)


def colour(choice: str | None, no_color: bool, stream: TextIO | None = None) -> bool:
    """Whether to colour what goes to `stream` (standard out): `--color always|never` decides; else
    `--no-color` or a non-empty NO_COLOR turn colour off, and `auto` colours only a terminal."""
    if choice is not None:
        choice = choose(choice, COLOURS, "--color")
    if choice == "always":
        return True
    if choice == "never" or no_color or os.environ.get("NO_COLOR"):
        return False
    out = stream or sys.stdout
    return out.isatty() and os.environ.get("TERM") != "dumb"


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with an include/exclude pattern, or None."""
    if not pattern.strip():
        return "tomt mönster: ange t.ex. tests/ eller \"cases/**/*.yaml\""
    if ".." in Path(pattern).parts:
        return "mönstret går utanför projektet ('..'): ange sökvägar inom projektets rot"
    return None


# --- finding and reading the file --------------------------------------------------------------


def load(explicit: Path | None = None, start: Path | None = None) -> Config:
    """The settings of the project around `start` (the working directory), or of `explicit` (--config)."""
    if explicit is not None:
        return _read(explicit, required=True) or Config()
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        for candidate in (*(folder / name for name in YAML_NAMES), folder / "pyproject.toml"):
            if candidate.is_file():
                found = _read(candidate, required=False)
                if found is not None:
                    return found
        if (folder / ".git").exists():
            break
    return Config(root=here)


def _display(path: Path) -> str:
    """The file as messages name it: relative to the working directory when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return relative if len(relative) < len(str(path)) else str(path)


def _read(path: Path, required: bool) -> Config | None:
    """The settings in `path`; None for a pyproject.toml without [tool.brocheck] unless `required`."""
    display = _display(path)
    try:
        doc = _toml(path, display, required) if path.suffix == ".toml" else yamlsafe.load(path, display)
    except yamlsafe.YamlProblem as err:
        raise InputError([err.problem]) from None
    return None if doc is None else _validate(doc, path.absolute().parent)


def _toml(path: Path, display: str, required: bool) -> yamlsafe.Document | None:
    """[tool.brocheck] of a TOML file as a yamlsafe.Document with the lines of its keys, or None."""
    import tomllib

    text = yamlsafe.read_text(path, display)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(err))
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        line, col = (int(found[1]), int(found[2])) if found else (None, None)
        raise InputError([Problem(display, line, col, f"TOML-syntaxfel ({detail}): rätta filen")]) from None
    table = data.get("tool", {}).get("brocheck") if isinstance(data.get("tool"), dict) else None
    if table is None:
        if required:
            raise InputError([Problem(display, None, None, "ingen tabell [tool.brocheck]: lägg till den eller "
                                                           "ange en .brocheck.yaml")])
        return None
    doc = yamlsafe.Document(display, table)
    _locate_toml(text, doc)
    return doc


_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(r"^(\s*)([A-Za-z0-9_.\-\"' ]+?)\s*=\s*")


def _dotted(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".")]


def _locate_toml(text: str, doc: yamlsafe.Document) -> None:
    """Record where [tool.brocheck] and each of its keys stand (tomllib keeps no positions): the table's
    header, or `tool.brocheck.key = …` written as a dotted key in an enclosing table."""
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header[1])
            if table == ["tool", "brocheck"]:
                doc.values[()] = (number, line.index("[") + 1)
            continue
        assign = _ASSIGN.match(line)
        if not assign:
            continue
        full = table + _dotted(assign[2])
        if full == ["tool", "brocheck"]:
            doc.values[()] = (number, len(assign[1]) + 1)
        elif full[:2] == ["tool", "brocheck"]:
            doc.values.setdefault((), (number, len(assign[1]) + 1))
            doc.keys[(full[2],)] = (number, len(assign[1]) + 1)
            doc.values[(full[2],)] = (number, assign.end() + 1)


def _validate(doc: yamlsafe.Document, root: Path) -> Config:
    """Settings from the file's data, or InputError with every problem at its line."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError([doc.problem((), f"inställningarna ska vara en mappning av nycklar och värden, inte "
                                          f"{_shown(data)}: t.ex. exclude: [tests/] (i pyproject.toml: "
                                          "exclude = [\"tests/\"] under [tool.brocheck])")])
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def fail(key: str, message: str, *, at_key: bool = False, index: int | None = None) -> None:
        path = (key,) if index is None else (key, index)
        problems.append(doc.problem(path, f"`{key}`: {message}", key=at_key))

    for key, value in data.items():
        if key not in KEYS:
            near = difflib.get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f"menade du `{near[0]}`? " if near else ""
            problems.append(doc.problem((key,), f"okänd inställning `{key}`: {hint}rätta stavningen eller ta bort "
                                                f"den (tillåtna: {', '.join(KEYS)})", key=True))
        elif key in ("rules", "format"):
            if not isinstance(value, str) or not value.strip():
                fail(key, f"ska vara text, inte {_shown(value)}: skriv värdet inom citattecken")
            else:
                values[key] = value
        else:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list):
                fail(key, f"ska vara en lista med text, t.ex. [\"tests/\"], inte {_shown(value)}")
                continue
            for i, item in enumerate(items):
                message = f"ska vara text, inte {_shown(item)}: skriv värdet inom citattecken" if not isinstance(
                    item, str) else (
                    pattern_problem(item) if key != "fail-on" else None)
                if message:
                    fail(key, message, index=i if items is value else None)
            values[key] = tuple(item for item in items if isinstance(item, str))

    from brocheck.render import FORMATS

    if "format" in values and values["format"] not in FORMATS:
        try:
            choose(values["format"], FORMATS, "format")
        except BrocheckError as err:
            fail("format", err.problems[0].message)
    rules = root / values["rules"] if "rules" in values else None
    if rules is not None and not (rules / "ruleset.yaml").is_file():
        fail("rules", f"ingen regeluppsättning i {str(rules)!r} (ruleset.yaml saknas): ange katalogen med "
                      "ruleset.yaml, relativt konfigurationsfilen")
    if problems:
        raise InputError(by_position(problems))
    positions = {key: pos for key in data if key in KEYS and (pos := doc.locate((key,))) is not None}
    return Config(root=root, file=doc.file, rules=rules, format=values.get("format"),
                  fail_on=values.get("fail-on", ()), include=values.get("include", ()),
                  exclude=values.get("exclude", ()), positions=positions)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    return yamlsafe.short(value)
