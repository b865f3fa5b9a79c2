"""Output formats, registered here: each module has `render(assessments) -> str` (bytes for BINARY ones),
and most a `stream(...)` that renders a batch case by case (`Stream`): the same bytes, without keeping
the batch.

Modules are imported only when their format is asked for, to keep start-up fast. The CI formats
(sarif, junit, github) share the helpers below: which rows are findings, how severe, and where in the
case file they stand. Formats listed in GATED also take the `--fail-on` gate as `gate=`.
"""

from __future__ import annotations

import functools
import importlib
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from brocheck.errors import usage

if TYPE_CHECKING:
    from brocheck.engine import Assessment, Result
    from brocheck.ruleset import RuleSet

FORMATS: dict[str, str] = {
    "text": "brocheck.render.text",
    "markdown": "brocheck.render.markdown",
    "json": "brocheck.render.json_format",
    "sarif": "brocheck.render.sarif",
    "junit": "brocheck.render.junit",
    "github": "brocheck.render.github",
    "overview": "brocheck.render.overview",
    "mermaid": "brocheck.render.mermaid",
    "docx": "brocheck.render.docx",
}
GATED = frozenset({"junit"})
"""Formats whose output depends on `--fail-on` (JUnit marks the failing rows as failures)."""
BINARY = frozenset({"docx"})
"""Formats whose output is bytes, never written to a terminal."""
TERMINAL = frozenset({"text"})
"""Formats that use the terminal's width and colour when they go to one (plain 80 columns otherwise)."""

OVERALL_TITLE = "Sammanfattande bedömning"


@dataclass(frozen=True)
class Gate:
    """`--fail-on`: a rating fails when its severity is at least `threshold` (None: no rated row fails)
    or, only when asked for explicitly, when it is the unknown rating ("Kan ej bedömas")."""

    severity: dict[str, int]
    threshold: int | None = None
    unknown: bool = False
    not_applicable: str = ""

    @classmethod
    def parse(cls, values: Iterable[str], ruleset: RuleSet) -> Gate:
        """The gate for the given rating names (any scale); a name not on any scale is a usage error."""
        known = {name.casefold(): name for name in [*ruleset.severity, ruleset.unknown_rating]}
        threshold: int | None = None
        unknown = False
        for value in values:
            name = known.get(" ".join(value.split()).casefold())
            if name is None:
                valid = ", ".join(f'"{n}"' for n in known.values())
                raise usage(f"okänd bedömning {value!r}: ange en av {valid}", "--fail-on")
            if name == ruleset.unknown_rating:
                unknown = True
            else:
                level = ruleset.severity[name]
                threshold = level if threshold is None else min(threshold, level)
        return cls(dict(ruleset.severity), threshold, unknown, ruleset.not_applicable_rating)

    def fails(self, rating: str) -> bool:
        if rating == self.not_applicable:  # a criterion that does not apply never fails
            return False
        level = self.severity.get(rating)
        if level is None:  # "Kan ej bedömas" (or a given rating on no scale)
            return self.unknown
        return self.threshold is not None and level >= self.threshold

    def failing(self, assessments: Iterable[Assessment]) -> list[tuple[Assessment, Result]]:
        """Every row (criteria, revision questions, overall) of every case that fails the gate."""
        return [(a, r) for a in assessments for r in a.rows() if self.fails(r.rating)]


def renderer(name: str, gate: Gate | None = None, terminal: bool = False,
             colour: bool = False) -> Callable[[list[Assessment]], str | bytes]:
    """The format's render function. `terminal`: its output goes to a terminal (standard out, a tty), so
    the terminal's width applies; `colour`: the caller's decision (--color, NO_COLOR) for formats that
    have colour. Files are never coloured: the caller passes colour=False for them."""
    module = importlib.import_module(FORMATS[name])
    if name in GATED:
        return functools.partial(module.render, gate=gate)
    if name in TERMINAL:
        width = {"width": shutil.get_terminal_size().columns} if terminal else {}
        return functools.partial(module.render, colour=colour, **width)
    return module.render  # type: ignore[no-any-return]


class Stream:
    """A format rendered case by case, for `brocheck assess` on a batch: `piece(a, first)` is what the
    format prints of one case, taken right after the case is assessed (in a worker process when
    `parallel`: then it depends on nothing but the case); `add(piece)` is the text to write now, the
    pieces coming in input order; `end()` what remains. Output: the `add`s and the `end` joined, byte for
    byte what `render` gives for the whole batch. This default keeps every assessment and renders them at
    the end, for formats that need the whole batch at once (docx)."""

    parallel = False
    uses_facts = True
    """Whether the format prints the facts a rating used (`Result.used`: sources, file positions)."""

    def __init__(self, render: Callable[[list[Assessment]], str | bytes] | None = None) -> None:
        self.render = render
        self.kept: list[Any] = []

    def piece(self, a: Assessment, first: bool) -> Any:
        return a

    def add(self, piece: Any) -> str | bytes:
        self.kept.append(piece)
        return ""

    def end(self) -> Iterator[str | bytes]:
        assert self.render is not None
        yield self.render(self.kept)


class CaseByCase(Stream):
    """A format whose output for a batch is the outputs for each case, one after the other."""

    parallel = True

    def __init__(self, render: Callable[[list[Assessment]], str], uses_facts: bool) -> None:
        super().__init__()
        self.one = render
        self.uses_facts = uses_facts

    def piece(self, a: Assessment, first: bool) -> str:
        return self.one([a])

    def add(self, piece: Any) -> str:
        return str(piece)

    def end(self) -> Iterator[str]:
        return iter(())


def streamer(name: str, files: list[str], gate: Gate | None = None, terminal: bool = False,
             colour: bool = False) -> Stream:
    """The format's stream for a batch of `files` (the case files, in input order); the options as for
    `renderer`."""
    module = importlib.import_module(FORMATS[name])
    if name in GATED:
        return module.stream(gate=gate)  # type: ignore[no-any-return]
    if name in TERMINAL:
        width = {"width": shutil.get_terminal_size().columns} if terminal else {}
        return module.stream(colour=colour, **width)  # type: ignore[no-any-return]
    if hasattr(module, "stream"):
        return module.stream(files)  # type: ignore[no-any-return]
    return Stream(module.render)


def severity(a: Assessment, r: Result) -> int | None:
    """0 (the scale's best) … 3 (worst); None when the row could not be assessed."""
    return a.ruleset.severity.get(r.rating)


def is_finding(a: Assessment, r: Result) -> bool:
    """A row worth reporting in CI: not the best rating of its scale, or not assessable ("Ej tillämpligt"
    is neither)."""
    if r.rating == a.ruleset.not_applicable_rating:
        return False
    level = severity(a, r)
    return level is None or level > 0


def position(a: Assessment, r: Result) -> tuple[int, int]:
    """Line and column (1-based) in the case file of the first fact the row used; the `granskning`
    key when it used none (roll-ups, unknown facts) or the fact has no position."""
    doc = a.loaded.doc
    pos = doc.locate(r.used[0].path) if r.used else None
    if pos is None:
        pos = doc.locate(("granskning",), key=True)
    return pos if pos is not None else (1, 1)


def table_title(a: Assessment, r: Result) -> str:
    """The title of the table the row stands in (the overall assessment has its own)."""
    return next((t.title for t in a.tables if t.number == r.placed.table), OVERALL_TITLE)


def label(r: Result) -> str:
    """`T2.1 <criterion>`: the row's reference in the report and its criterion text."""
    return f"{r.placed.ref} {r.criterion}"
