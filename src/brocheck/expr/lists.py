"""Operators on one list: `min`, `max`, `unique`, `flatten`."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from brocheck.expr import codegen, runtime
from brocheck.expr.nodes import Node
from brocheck.expr.runtime import Fn
from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    _elem,
)
from brocheck.expr.values import (
    UNKNOWN,
    Ctx,
    Env,
)

if TYPE_CHECKING:
    from brocheck.expr.language import Expr


class _Collection(Node):
    """Operators over a whole list value."""

    def _arg(self) -> Expr:
        return typing.cast(Expr, getattr(self, self.op))

    def check(self, scope: Scope, loc: Loc) -> Any:
        type_ = self._arg().check(scope, (*loc, self.op))
        elem = _elem(type_)
        if elem is None:
            raise CheckError((*loc, self.op), f"{self.op} tar en lista, inte {type_}")
        return self.result_type(type_, elem)

    def result_type(self, list_type: Any, elem: Any) -> Any:
        return elem

    def describe(self) -> str:
        return f"{self.op} {self._arg().describe()}"

    apply: typing.ClassVar[str]
    """The name of the function in brocheck.expr.runtime that gives the value of a known list."""

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        arg, apply = sub(self._arg()), getattr(runtime, self.apply)

        def collection(ctx: Ctx, env: Env) -> Any:
            value = arg(ctx, env)
            if value is UNKNOWN:
                return UNKNOWN
            return apply(value or [])

        return collection

    def emit(self, gen: codegen.Gen) -> str:
        return gen.unary(self._arg(), lambda v: f"_{self.apply}({v} or [])")


class Min(_Collection):
    """The smallest present value; unknown if any value is unknown."""

    op = "min"
    apply = "minimum"
    min: Expr


class Max(_Collection):
    """The largest present value; unknown if any value is unknown."""

    op = "max"
    apply = "maximum"
    max: Expr


class Unique(_Collection):
    op = "unique"
    apply = "unique"
    unique: Expr

    def result_type(self, list_type: Any, elem: Any) -> Any:
        return list_type


class Flatten(_Collection):
    """`flatten: list of lists` -> one list."""

    op = "flatten"
    apply = "flatten"
    flatten: Expr

    def result_type(self, list_type: Any, elem: Any) -> Any:
        return elem if _elem(elem) is not None else list[Any]
