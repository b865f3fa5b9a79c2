"""Operators on one list: `min`, `max`, `unique`, `flatten`."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from brocheck.expr.nodes import Fn, Node
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

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        arg, apply = sub(self._arg()), self.apply

        def collection(ctx: Ctx, env: Env) -> Any:
            value = arg(ctx, env)
            if value is UNKNOWN:
                return UNKNOWN
            return apply(value or [])

        return collection

    def apply(self, items: list[Any]) -> Any:
        raise NotImplementedError


class _Extreme(_Collection):
    """The smallest / largest present value; unknown if any value is unknown."""

    pick: typing.ClassVar[Callable[..., Any]]

    def apply(self, items: list[Any]) -> Any:
        present = [i for i in items if i is not None]
        if any(i is UNKNOWN for i in present):
            return UNKNOWN
        return type(self).pick(present, default=None)


class Min(_Extreme):
    op = "min"
    pick = staticmethod(min)
    min: Expr


class Max(_Extreme):
    op = "max"
    pick = staticmethod(max)
    max: Expr


class Unique(_Collection):
    op = "unique"
    unique: Expr

    def result_type(self, list_type: Any, elem: Any) -> Any:
        return list_type

    def apply(self, items: list[Any]) -> Any:
        out: list[Any] = []
        for item in items:
            if item not in out:
                out.append(item)
        return out


class Flatten(_Collection):
    """`flatten: list of lists` -> one list."""

    op = "flatten"
    flatten: Expr

    def result_type(self, list_type: Any, elem: Any) -> Any:
        return elem if _elem(elem) is not None else list[Any]

    def apply(self, items: list[Any]) -> Any:
        if any(i is UNKNOWN for i in items):
            return UNKNOWN
        return [x for sub in items for x in (sub or [])]
