"""Values and tracking of the rule language at evaluation time: `UNKNOWN`, the per-case state
(`Ctx`), which facts a rating used and which were missing (`Tracker`), and how a name is looked up.

Values are plain Python values, `None` for "known to be absent" and `UNKNOWN` for "not recorded in
the case"; see brocheck.expr.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from brocheck.schema import Case

if TYPE_CHECKING:
    from brocheck.expr.language import Expr

DataPath = tuple[str | int, ...]

class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "okänt"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; use three-valued operators")


UNKNOWN: Any = _Unknown()


@dataclass
class FactUse:
    path: DataPath
    display: str
    value: Any


@dataclass
class Tracker:
    used: dict[str, FactUse] = field(default_factory=dict)
    missing: dict[str, DataPath] = field(default_factory=dict)

    def merge(self, other: Tracker) -> None:
        self.used.update(other.used)
        self.missing.update(other.missing)


@dataclass
class Ctx:
    """Evaluation state for one case: the case, the ratings so far, memoised derived facts."""

    case: Case
    asof: dt.date
    derived: dict[str, Expr]
    local: dict[str, Expr] = field(default_factory=dict)
    """The current rule's own named facts."""
    ratings: dict[str, str] = field(default_factory=dict)
    unknown_rating: str = "Kan ej bedömas"
    track: Tracker = field(default_factory=Tracker)
    memo: dict[str, tuple[Any, Tracker]] = field(default_factory=dict)
    local_memo: dict[str, tuple[Any, Tracker]] = field(default_factory=dict)
    paths: dict[int, tuple[DataPath, str]] = field(default_factory=dict)
    """Every model of the case view, by id: its path in the file and its display (see `brocheck.timeline`)."""
    trace: list[tuple[int, Expr, Any]] | None = None
    depth: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    """Audit parameters by name: their values for this case."""
    overridden: frozenset[str] = frozenset()
    """The parameters this case sets itself (`parametrar`), as opposed to the rule set's defaults."""
    record_used: bool = True
    """Whether `track.used` records the facts read (the missing ones are always recorded)."""


Env = dict[str, tuple[Any, DataPath | None, str]]  # name -> (value, data path, display path)


def rating_missing(rule_id: str) -> str:
    """How a missing fact reads when it is another rule's rating that could not be assessed."""
    return f"bedömning av {rule_id}"



def _lookup(name: str, ctx: Ctx) -> tuple[Any, DataPath | None, str]:
    """A name that is not a variable: a named fact (the rule's own, or derived), computed once per case (per
    rule for the rule's own) with what it read and missed replayed into the current rule's tracking each time
    it is read; else `asof`, a parameter or a key of the case."""
    local = name in ctx.local
    memo = ctx.local_memo if local else ctx.memo
    known = memo.get(name)  # a named fact computed before: most lookups
    if known is None:
        node = ctx.local[name] if local else ctx.derived.get(name)
        if node is None:
            return _outside(name, ctx)
        known = memo[name] = _computed(node, ctx)
    value, tracked = known
    if tracked.missing or tracked.used:
        ctx.track.merge(tracked)
    return value, None, name


def _computed(node: Expr, ctx: Ctx) -> tuple[Any, Tracker]:
    """A named fact's value, with what it read and missed tracked on their own."""
    outer, ctx.track = ctx.track, Tracker()
    try:
        return node.ev(ctx, {}), ctx.track
    finally:
        ctx.track = outer


def _outside(name: str, ctx: Ctx) -> tuple[Any, DataPath | None, str]:
    """`asof`, an audit parameter or a key of the case."""
    if name == "asof":
        return ctx.asof, None, "asof"
    if name in ctx.params:
        value = ctx.params[name]
        if name in ctx.overridden:
            path: DataPath = ("parametrar", name)
            if ctx.record_used:
                ctx.track.used[f"parametrar.{name}"] = FactUse(path, f"parametrar.{name}", value)
            return value, path, f"parametrar.{name}"
        return value, None, name
    value = getattr(ctx.case, name)
    if value is None:
        ctx.track.missing[name] = (name,)
        return UNKNOWN, None, name
    return value, (name,), name


def value_of(name: str, ctx: Ctx) -> Any:
    """The value of a named fact (local, derived or case key), tracked like any reference."""
    return _lookup(name, ctx)[0]


def _truth(value: Any) -> Any:
    if value is UNKNOWN or isinstance(value, bool):
        return value
    if value is None:
        return False
    raise TypeError(f"villkoret gav {value!r}, inte sant/falskt")

