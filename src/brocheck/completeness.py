"""What a case lacks for the rules (`brocheck check --completeness`): for every row that cannot be
assessed, the facts whose absence stops it, each with the place in the case file where it belongs
(the nearest key that exists above it), so that an auditor can complete a case in one pass.

Everything here is derived from the engine's own account of what it missed (`Result.missing_at`):
the rules are the only list of what a case needs. A roll-up that cannot be assessed because a row it
reads cannot be either names that row rather than repeating its facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import BaseModel

from brocheck import casepatch, expr
from brocheck.engine import Assessment, Result
from brocheck.schema import Case
from brocheck.yamlsafe import Document

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Gap:
    """One missing fact: its path as the rules name it and where in the file it belongs."""

    fact: str
    parent: str
    """The nearest existing key above the fact, as a path (`dokument.lagesbilder[0]`); "" for the top."""
    line: int | None
    col: int | None
    empty: bool
    """The key is there but has no value (null): unknown as well."""
    kind: str
    """`list`, `bool` or `value`: what the schema has there, for saying how to record "none"."""

    def sort_key(self) -> tuple[int, int, str]:
        return self.line or 0, self.col or 0, self.fact


@dataclass(frozen=True)
class Row:
    """A row that cannot be assessed, and why."""

    result: Result
    gaps: tuple[Gap, ...]
    depends: tuple[Result, ...]
    """Rows it reads that cannot be assessed either."""
    other: tuple[tuple[str, tuple[int, int] | None], ...]
    """What else is missing, as the rule names it, with the position of the section it names when it
    begins with one (`reglementen: kommunstyrelsens reglemente`); e.g. which of two bodies is meant."""


@dataclass(frozen=True)
class Completeness:
    assessment: Assessment
    rows: tuple[Row, ...]
    """The rows that cannot be assessed, in report order."""

    @property
    def total(self) -> int:
        return len(self.assessment.rows())

    def gaps(self) -> list[tuple[Gap, list[Result]]]:
        """Every missing fact once, in file order, with the rows it stops."""
        found: dict[str, tuple[Gap, list[Result]]] = {}
        for row in self.rows:
            for gap in row.gaps:
                found.setdefault(gap.fact, (gap, []))[1].append(row.result)
        return sorted(found.values(), key=lambda item: item[0].sort_key())


def _parent(fact: str, path: DataPath, cut: int) -> str:
    """The first `cut` steps of the fact as the rules name it (`organ[rad]`), else of its path."""
    named = casepatch.steps(fact)
    steps: list[Any] = named if len(named) == len(path) else list(path)
    out = ""
    for step in steps[:cut]:
        if isinstance(step, str):
            out += f".{step}" if out else step
        else:
            out += f"[{step[0] if isinstance(step, tuple) else step}]"
    return out


def _kind(path: DataPath) -> str:
    type_: Any = Case
    for step in path:
        if isinstance(step, int):
            type_ = expr._elem(type_)
            continue
        if not (isinstance(type_, type) and issubclass(type_, BaseModel)):
            return "value"
        type_ = expr._attr_type(type_, step)
    origin = get_origin(type_) or type_
    return "list" if origin is list else "bool" if type_ is bool else "value"


def locate(doc: Document, fact: str, path: DataPath) -> Gap:
    """The missing `fact` at `path` and the nearest key above it that the file has (the key itself
    when it is there without a value)."""
    kind = _kind(path)
    for cut in range(len(path), 0, -1):
        prefix = path[:cut]
        pos = doc.keys.get(prefix) if isinstance(prefix[-1], str) else doc.values.get(prefix)
        if pos is not None:
            return Gap(fact, _parent(fact, path, cut), pos[0], pos[1], cut == len(path), kind)
    top = doc.values.get(())
    return Gap(fact, "", top[0] if top else None, top[1] if top else None, False, kind)


def _section(doc: Document, text: str) -> tuple[int, int] | None:
    """Where the top-level section that `text` begins with (`organ: …`) stands, if it does."""
    head = text.split(":", 1)[0].strip()
    if head not in Case.model_fields:
        return None
    return doc.keys.get((head,)) or doc.values.get(())


def completeness(a: Assessment) -> Completeness:
    rows = []
    for r in a.rows():
        if r.rating != a.ruleset.unknown_rating:
            continue
        depends = tuple(d for d in (a.results[i] for i in r.placed.rule.reads())
                        if d.rating == a.ruleset.unknown_rating)
        read = {expr.rating_missing(d.id) for d in depends}
        paths = {m: r.missing_at.get(m, ()) for m in r.missing}
        gaps = tuple(sorted((locate(a.loaded.doc, fact, path) for fact, path in paths.items() if path),
                            key=Gap.sort_key))
        other = tuple((m, _section(a.loaded.doc, m)) for m, path in paths.items() if not path and m not in read)
        rows.append(Row(r, gaps, depends, other))
    return Completeness(a, tuple(rows))
