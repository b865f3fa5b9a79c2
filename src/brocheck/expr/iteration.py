"""Operators over a collection: `count`, `filter`, `one`, `latest`, `some`, `every` and `map`; each binds
the element to a variable (`as:`, default `item`) while its `where`, `select` or `by` is evaluated."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field, model_validator

from brocheck.expr import codegen, runtime
from brocheck.expr.nodes import Node, _model
from brocheck.expr.runtime import Fn
from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    _elem,
    _list_of,
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

    run: typing.ClassVar[str]
    """The name of the function in brocheck.expr.runtime that evaluates the operator."""

    def _extra(self) -> Expr | None:
        """The part evaluated per element besides `where` (`latest`'s `by`, `map`'s `select`)."""
        return None

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        a, run = self._args(), getattr(runtime, self.run)
        source, var = sub(a.source), a.var
        where = sub(a.where) if a.where is not None else None
        extra = self._extra()
        if extra is None:
            return lambda ctx, env: run(ctx, env, source(ctx, env), var, where)
        per_item = sub(extra)
        return lambda ctx, env: run(ctx, env, source(ctx, env), var, where, per_item)

    def emit(self, gen: codegen.Gen) -> str:
        a, extra = self._args(), self._extra()
        more = "" if extra is None else f", {gen.function_of(extra)}"
        return f"_{self.run}(ctx, env, {gen.expr(a.source)}, {a.var!r}, {gen.function_of(a.where)}{more})"


class Count(_Iter):
    op = "count"
    run = "count"
    count: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        self._elem_scope(scope, loc)
        return int


class Filter(_Iter):
    op = "filter"
    run = "filter_"
    filter: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        elem, _ = self._elem_scope(scope, loc)
        return _list_of(elem)


class One(_Iter):
    """The one matching element: absent when none matches, unknown when several do (a role that more
    than one body fills cannot be told apart without list order, which never decides)."""

    op = "one"
    run = "one"
    one: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        elem, _ = self._elem_scope(scope, loc)
        return elem


class Latest(_Iter):
    """The matching element with the latest date (`by`); unknown when the latest cannot be told:
    a candidate's date is missing, or two share the latest date. List order never decides."""

    op = "latest"
    run = "latest"
    latest: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        elem, inner = self._elem_scope(scope, loc)
        if self.latest.by is None:
            raise CheckError((*loc, "latest"), "latest kräver 'by': datumet som avgör vilket element som är senast")
        if self.latest.by.check(inner, (*loc, "latest", "by")) not in (dt.date, Any):
            raise CheckError((*loc, "latest", "by"), "latest: 'by' måste vara ett datum")
        return elem

    def _extra(self) -> Expr | None:
        return self.latest.by


class Some(_Iter):
    op = "some"
    run = "some"
    some: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        self._elem_scope(scope, loc)
        return bool


class Every(_Iter):
    op = "every"
    run = "every"
    every: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        self._elem_scope(scope, loc)
        return bool


class MapOp(_Iter):
    op = "map"
    run = "map_"
    map: IterArgs

    def check(self, scope: Scope, loc: Loc) -> Any:
        _, inner = self._elem_scope(scope, loc)
        if self.map.select is None:
            raise CheckError((*loc, "map"), "map kräver 'select': uttrycket som hämtas ur varje element")
        return _list_of(self.map.select.check(inner, (*loc, "map", "select")))

    def _extra(self) -> Expr | None:
        return self.map.select
