"""What the rule language's operators with more to do than one expression do at evaluation time (facts,
collections, ratings, `known`, membership, dates, list operators), as plain functions called both by the
operators' closures (explain's tracing, brocheck.expr.nodes) and by the Python the rule set is compiled to
(brocheck.expr.codegen). The operators that are one expression (comparisons, `not`, `exists`, `all`, `any`,
`coalesce`) are written twice instead, as a closure and as emitted source; tests/test_codegen.py holds the
two to the same values. No Pydantic here: a rule set read from brocheck's cache evaluates with this module
and its generated code alone.

Values are plain Python values, `None` for "known to be absent" and `UNKNOWN` for "not recorded"; an
operator whose input is unknown is unknown unless its definition says otherwise (see brocheck.expr).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from brocheck.expr.statictypes import _none_is_absent
from brocheck.expr.values import UNKNOWN, Ctx, DataPath, Env, FactUse, _lookup, _truth, rating_missing

Fn = Callable[[Ctx, Env], Any]
"""An expression compiled: its value for the case in `ctx` with the variables in `env`."""

Steps = tuple[tuple[str, list[str], str], ...]
"""A fact path after its head: each part with the path and display the fact reaches after it."""

__all__ = ["UNKNOWN", "_truth"]  # re-exported for generated code


def steps(parts: list[str]) -> Steps:
    return tuple((part, parts[:i + 1], "." + ".".join(parts[:i + 1])) for i, part in enumerate(parts))


def fact(ctx: Ctx, env: Env, head: str, steps: Steps) -> Any:
    """`$head.a.b`: the head's value (a variable, a named fact, a parameter or a key of the case), then each
    part of it. A part left out of the case is unknown and reported missing, unless the schema says its
    absence is a recorded none; the fact read is recorded (`ctx.track.used`) when the outputs need it."""
    bound = env.get(head)  # a variable (`as:`): the commonest case, without the call
    value, path, display = bound if bound is not None else _lookup(head, ctx)
    start = value
    for part, reached, where in steps:
        if value is UNKNOWN or value is None:
            return value
        nxt = value.get(part) if isinstance(value, dict) else getattr(value, part)
        if nxt is None and not _none_is_absent(value.__class__, part):
            path, display = _placed(ctx, start, path, display)
            if path is not None:
                ctx.track.missing[display + where] = (*path, *reached)
            return UNKNOWN
        value = nxt
    if ctx.record_used:
        path, display = _placed(ctx, start, path, display)
        if path is not None:
            _, tail, shown = steps[-1]
            ctx.track.used[display + shown] = FactUse((*path, *tail), display + shown, value)
    return value


def name(ctx: Ctx, env: Env, head: str) -> Any:
    """`$head`: `fact` without parts after the head."""
    bound = env.get(head)
    value, path, display = bound if bound is not None else _lookup(head, ctx)
    if ctx.record_used:
        path, display = _placed(ctx, value, path, display)
        if path is not None:
            ctx.track.used[display] = FactUse((*path,), display, value)
    return value


def _placed(ctx: Ctx, value: Any, path: DataPath | None, display: str) -> tuple[DataPath | None, str]:
    """Where a fact's head stands in the case: its own path, or, for a derived fact naming a part of the
    case (a body, a document), that part's."""
    if path is None and id(value) in ctx.paths:
        return ctx.paths[id(value)]
    return path, display


def rating(ctx: Ctx, rule: str) -> Any:
    """The rating another rule gave; unknown (and reported missing) when it could not assess."""
    value = ctx.ratings[rule]
    if value == ctx.unknown_rating:
        ctx.track.missing[rating_missing(rule)] = ()
        return UNKNOWN
    return value


def known(ctx: Ctx, env: Env, inner: Fn) -> bool:
    """Whether the value is recorded; asking is an answer either way: the fact is not reported missing."""
    before = set(ctx.track.missing)
    recorded = inner(ctx, env) is not UNKNOWN
    for name in set(ctx.track.missing) - before:
        del ctx.track.missing[name]
    return recorded


# --- two values ----------------------------------------------------------------------------------


def member(a: Any, b: Any) -> Any:
    """Three-valued like every comparison: a match among the known values is true; with none, an
    unknown value in the list (e.g. `[$a, $b]` with `$b` unknown) makes the answer unknown."""
    if b is None:
        return False
    unknown = False
    for x in b:  # a loop, not two generators: some hundred memberships a case
        if x is UNKNOWN:
            unknown = True
        elif x == a:
            return True
    return UNKNOWN if unknown else False


def overlaps(a: Any, b: Any) -> Any:
    """True when the lists share a known value; unknown when they do not but either holds an unknown
    value (as `member`)."""
    if not a or not b:
        return False
    known = [x for x in b if x is not UNKNOWN]
    if any(x is not UNKNOWN and x in known for x in a):
        return True
    return UNKNOWN if any(x is UNKNOWN for x in (*a, *b)) else False


def add_years(a: Any, b: Any) -> Any:
    if a is None:
        return None
    if a.month == 2 and a.day == 29:
        a = a.replace(day=28)
    return a.replace(year=a.year + int(b))


def add_months(a: Any, b: Any) -> Any:
    if a is None:
        return None
    index = a.year * 12 + a.month - 1 + int(b)
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(a.day, last))


def add_days(a: Any, b: Any) -> Any:
    return None if a is None else a + dt.timedelta(days=int(b))


def days(a: Any, b: Any) -> Any:
    return None if a is None or b is None else (b - a).days


# --- one list ------------------------------------------------------------------------------------


def minimum(items: list[Any]) -> Any:
    """The smallest present value; unknown if any value is unknown."""
    return _extreme(items, min)


def maximum(items: list[Any]) -> Any:
    """The largest present value; unknown if any value is unknown."""
    return _extreme(items, max)


def _extreme(items: list[Any], pick: Callable[..., Any]) -> Any:
    present = [i for i in items if i is not None]
    return UNKNOWN if any(i is UNKNOWN for i in present) else pick(present, default=None)


def unique(items: list[Any]) -> Any:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def flatten(items: list[Any]) -> Any:
    if any(i is UNKNOWN for i in items):
        return UNKNOWN
    return [x for sub in items for x in (sub or [])]


# --- collections (each element bound to `var` while `where`, `by` or `select` is evaluated) --------


def matches(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None) -> tuple[list[Any], bool] | Any:
    """(the elements for which `where` holds, whether any element was undecided), or UNKNOWN when the
    collection is unknown."""
    if items is UNKNOWN:
        return UNKNOWN
    if items is None:
        items = []
    if where is None:
        return list(items), False
    out, undecided = [], False
    scope = dict(env)  # the variables, the element's rebound for each (no closure keeps `env`)
    for i, item in enumerate(items):
        got = ctx.paths.get(id(item))
        path, display = got if got is not None else (None, f"{var}[{i}]")
        scope[var] = (item, path, display)
        verdict = where(ctx, scope)
        if verdict is UNKNOWN:
            undecided = True
        elif verdict:
            out.append(item)
    return out, undecided


def count(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None) -> Any:
    found = matches(ctx, env, items, var, where)
    if found is UNKNOWN or found[1]:
        return UNKNOWN
    return len(found[0])


def filter_(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None) -> Any:
    found = matches(ctx, env, items, var, where)
    return UNKNOWN if found is UNKNOWN or found[1] else found[0]


def one(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None) -> Any:
    """The one matching element: absent when none matches, unknown when several do (a role that more
    than one body fills cannot be told apart without list order, which never decides)."""
    found = matches(ctx, env, items, var, where)
    if found is UNKNOWN:
        return UNKNOWN
    matched, undecided = found
    if len(matched) > 1:
        names = [ctx.paths.get(id(i), (None, repr(i)))[1] for i in matched]
        ctx.track.missing[f"vilket av {', '.join(names)} som avses"] = ()
        return UNKNOWN
    if undecided:
        return UNKNOWN
    return matched[0] if matched else None


def latest(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None, by: Fn) -> Any:
    """The matching element with the latest date (`by`); unknown when the latest cannot be told:
    a candidate's date is missing, or two share the latest date. List order never decides."""
    found = matches(ctx, env, items, var, where)
    if found is UNKNOWN or found[1]:
        return UNKNOWN
    matched = found[0]
    if len(matched) < 2:
        return matched[0] if matched else None
    dated = []
    for item in matched:
        path, display = ctx.paths.get(id(item), (None, var))
        date = by(ctx, {**env, var: (item, path, display)})
        if date is UNKNOWN or date is None:
            ctx.track.missing[f"datum för {display}"] = path or ()
            return UNKNOWN
        dated.append((date, display, item))
    dated.sort(key=lambda d: d[0])
    if dated[-1][0] == dated[-2][0]:
        ctx.track.missing[f"vilket av {dated[-2][1]} och {dated[-1][1]} som är senast (samma datum)"] = ()
        return UNKNOWN
    return dated[-1][2]


def some(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None) -> Any:
    found = matches(ctx, env, items, var, where)
    if found is UNKNOWN:
        return UNKNOWN
    return True if found[0] else (UNKNOWN if found[1] else False)


def every(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None) -> Any:
    if items is UNKNOWN:
        return UNKNOWN
    result: Any = True
    for i, item in enumerate(items or []):
        got = ctx.paths.get(id(item))
        path, display = got if got is not None else (None, f"{var}[{i}]")
        verdict = where(ctx, {**env, var: (item, path, display)}) if where else True
        if verdict is False:
            return False
        if verdict is UNKNOWN:
            result = UNKNOWN
    return result


def map_(ctx: Ctx, env: Env, items: Any, var: str, where: Fn | None, select: Fn) -> Any:
    found = matches(ctx, env, items, var, where)
    if found is UNKNOWN or found[1]:
        return UNKNOWN
    out = []
    for item in found[0]:
        path, display = ctx.paths.get(id(item), (None, var))
        value = select(ctx, {**env, var: (item, path, display)})
        if value is UNKNOWN:
            return UNKNOWN
        out.append(value)
    return out
