"""Operators over a collection: `count`, `filter`, `one`, `latest`, `some`, `every` and `map`; each binds
the element to a variable (`as:`, default `item`) while its `where`, `select` or `by` is evaluated."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field, model_validator

from brocheck.expr.nodes import Fn, Node, _model
from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    _elem,
    _list_of,
)
from brocheck.expr.values import (
    UNKNOWN,
    Ctx,
    Env,
)

if TYPE_CHECKING:
    from brocheck.expr.language import Expr


class IterArgs(BaseModel):
    model_config = _model()
    source: Expr = Field(alias="in")
    where: Expr | None = None
    var: Annotated[str, Field(alias="as", pattern=r"^[a-z_][a-z0-9_]*$")] = "item"
    select: Expr | None = None
    by: Expr | None = None
    """For `latest`: the date that orders the elements."""

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return data if isinstance(data, dict) and "in" in data else {"in": data}


class _Iter(Node):
    """Operators over a collection: the elements for which `where` holds (all when absent)."""

    def _args(self) -> IterArgs:
        return typing.cast(IterArgs, getattr(self, self.op))

    def children(self) -> Iterator[Node]:
        a = self._args()
        yield from (n for n in (a.source, a.where, a.select, a.by) if n is not None)

    def describe(self) -> str:
        a = self._args()
        text = f"{self.op} {a.source.describe()}"
        return text + (f" där {a.where.describe()}" if a.where else "")

    def _elem_scope(self, scope: Scope, loc: Loc) -> tuple[Any, Scope]:
        a = self._args()
        source = a.source.check(scope, (*loc, self.op, "in"))
        elem = _elem(source)
        if elem is None:
            raise CheckError((*loc, self.op), f"{self.op}: 'in' måste vara en lista, inte {source}")
        inner = scope.bind(a.var, elem)
        if a.where is not None:
            a.where.check(inner, (*loc, self.op, "where"))
        return elem, inner

    def matcher(self, sub: Callable[[Node], Fn]) -> Fn:
        """A closure giving (matching elements, any element undecided), or UNKNOWN when the collection is
        unknown."""
        a = self._args()
        source, var = sub(a.source), a.var
        where = sub(a.where) if a.where is not None else None

        def matches(ctx: Ctx, env: Env) -> tuple[list[Any], bool] | Any:
            items = source(ctx, env)
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

        return matches


class Count(_Iter):
    op = "count"
    count: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        self._elem_scope(scope, loc)
        return int

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        matches = self.matcher(sub)

        def count(ctx: Ctx, env: Env) -> Any:
            found = matches(ctx, env)
            if found is UNKNOWN or found[1]:
                return UNKNOWN
            return len(found[0])

        return count


class Filter(_Iter):
    op = "filter"
    filter: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        elem, _ = self._elem_scope(scope, loc)
        return _list_of(elem)

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        matches = self.matcher(sub)

        def filter_(ctx: Ctx, env: Env) -> Any:
            found = matches(ctx, env)
            return UNKNOWN if found is UNKNOWN or found[1] else found[0]

        return filter_


class One(_Iter):
    """The one matching element: absent when none matches, unknown when several do (a role that more
    than one body fills cannot be told apart without list order, which never decides)."""

    op = "one"
    one: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        elem, _ = self._elem_scope(scope, loc)
        return elem

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        matches = self.matcher(sub)

        def one(ctx: Ctx, env: Env) -> Any:
            found = matches(ctx, env)
            if found is UNKNOWN:
                return UNKNOWN
            items, undecided = found
            if len(items) > 1:
                names = [ctx.paths.get(id(i), (None, repr(i)))[1] for i in items]
                ctx.track.missing[f"vilket av {', '.join(names)} som avses"] = ()
                return UNKNOWN
            if undecided:
                return UNKNOWN
            return items[0] if items else None

        return one


class Latest(_Iter):
    """The matching element with the latest date (`by`); unknown when the latest cannot be told:
    a candidate's date is missing, or two share the latest date. List order never decides."""

    op = "latest"
    latest: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        elem, inner = self._elem_scope(scope, loc)
        if self.latest.by is None:
            raise CheckError((*loc, "latest"), "latest kräver 'by': datumet som avgör vilket element som är senast")
        if self.latest.by.check(inner, (*loc, "latest", "by")) not in (dt.date, Any):
            raise CheckError((*loc, "latest", "by"), "latest: 'by' måste vara ett datum")
        return elem

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        matches = self.matcher(sub)
        assert self.latest.by is not None
        by, var = sub(self.latest.by), self.latest.var

        def latest(ctx: Ctx, env: Env) -> Any:
            found = matches(ctx, env)
            if found is UNKNOWN or found[1]:
                return UNKNOWN
            items = found[0]
            if len(items) < 2:
                return items[0] if items else None
            dated = []
            for item in items:
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

        return latest


class Some(_Iter):
    op = "some"
    some: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        self._elem_scope(scope, loc)
        return bool

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        matches = self.matcher(sub)

        def some(ctx: Ctx, env: Env) -> Any:
            found = matches(ctx, env)
            if found is UNKNOWN:
                return UNKNOWN
            return True if found[0] else (UNKNOWN if found[1] else False)

        return some


class Every(_Iter):
    op = "every"
    every: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        self._elem_scope(scope, loc)
        return bool

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        a = self.every
        source, var = sub(a.source), a.var
        where = sub(a.where) if a.where is not None else None

        def every(ctx: Ctx, env: Env) -> Any:
            items = source(ctx, env)
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

        return every


class MapOp(_Iter):
    op = "map"
    map: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        _, inner = self._elem_scope(scope, loc)
        if self.map.select is None:
            raise CheckError((*loc, "map"), "map kräver 'select': uttrycket som hämtas ur varje element")
        return _list_of(self.map.select.check(inner, (*loc, "map", "select")))

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        matches = self.matcher(sub)
        assert self.map.select is not None
        select, var = sub(self.map.select), self.map.var

        def map_(ctx: Ctx, env: Env) -> Any:
            found = matches(ctx, env)
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

        return map_
