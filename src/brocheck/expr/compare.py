"""Operators on two values: comparisons (`eq` … `ge`), membership (`member`, `overlaps`) and date
arithmetic (`add_years`, `add_months`, `add_days`, `days`)."""

from __future__ import annotations

import datetime as dt
import operator
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from brocheck.expr import codegen, runtime
from brocheck.expr.nodes import Lit, Node, _in_enum
from brocheck.expr.runtime import Fn
from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    _comparable,
    _elem,
    _scalar,
)
from brocheck.expr.values import (
    UNKNOWN,
    Ctx,
    Env,
)

if TYPE_CHECKING:
    from brocheck.expr.language import Expr


class _Binary(Node):
    def _pair(self) -> list[Expr]:
        return typing.cast(list[Expr], getattr(self, self.op))

    def check(self, scope: Scope, loc: Loc) -> Any:
        pair = self._pair()
        if len(pair) != 2:
            raise CheckError((*loc, self.op), f"{self.op} tar exakt två värden: [a, b]")
        types = [p.check(scope, (*loc, self.op, i)) for i, p in enumerate(pair)]
        self.check_types(types, (*loc, self.op))
        self.check_literals(pair, types, (*loc, self.op))
        return self.result_type(types)

    def check_types(self, types: list[Any], loc: Loc) -> None:
        for t in types:
            if not _scalar(t) and t is not Any:
                raise CheckError(loc, f"{self.op} jämför enkla värden, inte {t}")

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        """Check literal values against the type of the other side (see `_in_enum`)."""

    def result_type(self, types: list[Any]) -> Any:
        return bool

    def describe(self) -> str:
        a, b = self._pair()
        return f"{self.op} {a.describe()}, {b.describe()}"

    apply: typing.ClassVar[str]
    """The name of the function in brocheck.expr.runtime that gives the value of two known values."""

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        first, second = (sub(p) for p in self._pair())
        apply = getattr(runtime, self.apply)

        def binary(ctx: Ctx, env: Env) -> Any:
            a = first(ctx, env)
            b = second(ctx, env)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            return apply(a, b)

        return binary

    def emit(self, gen: codegen.Gen) -> str:
        return gen.binary(self._pair(), lambda a, b: f"_{self.apply}({a}, {b})")


_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
"""Each comparison's Python operator (generated code) and its function (the closure)."""


class _Compare(_Binary):
    """Compare two values with the Python operator `symbol`; ordering comparisons (all but == and !=) are
    false when either side is absent."""

    symbol: typing.ClassVar[str]

    @property
    def ordering(self) -> bool:
        return self.symbol not in ("==", "!=")

    def check_types(self, types: list[Any], loc: Loc) -> None:
        super().check_types(types, loc)
        _comparable(self.op, types[0], types[1], loc)

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        _in_enum(pair[1], types[0], (*loc, 1))
        _in_enum(pair[0], types[1], (*loc, 0))

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        """`_Binary`'s closure with the comparison inlined (the commonest operators)."""
        first, second = (sub(p) for p in self._pair())
        fn = _COMPARISONS[self.symbol]

        if not self.ordering:
            def equality(ctx: Ctx, env: Env) -> Any:
                a = first(ctx, env)
                b = second(ctx, env)
                return UNKNOWN if a is UNKNOWN or b is UNKNOWN else fn(a, b)

            return equality

        def ordered(ctx: Ctx, env: Env) -> Any:
            a = first(ctx, env)
            b = second(ctx, env)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            return False if a is None or b is None else fn(a, b)

        return ordered

    def emit(self, gen: codegen.Gen) -> str:
        symbol, pair = self.symbol, self._pair()
        if not self.ordering:
            return gen.binary(pair, lambda a, b: f"{a} {symbol} {b}")
        # absent on either side: false (a literal other than null never is)
        can_be_none = [not isinstance(node, Lit) or node.value is None for node in pair]

        def ordered(a: str, b: str) -> str:
            test = " or ".join(f"{v} is None" for v, maybe in zip((a, b), can_be_none, strict=True) if maybe)
            return f"(False if {test} else {a} {symbol} {b})" if test else f"{a} {symbol} {b}"

        return gen.binary(pair, ordered)


class Eq(_Compare):
    op = "eq"
    symbol = "=="
    eq: list[Expr]


class Ne(_Compare):
    op = "ne"
    symbol = "!="
    ne: list[Expr]


class Lt(_Compare):
    op = "lt"
    symbol = "<"
    lt: list[Expr]


class Le(_Compare):
    op = "le"
    symbol = "<="
    le: list[Expr]


class Gt(_Compare):
    op = "gt"
    symbol = ">"
    gt: list[Expr]


class Ge(_Compare):
    op = "ge"
    symbol = ">="
    ge: list[Expr]


class Member(_Binary):
    """`member: [x, list]`: x is one of the list's values (unknown if the list is)."""

    op = "member"
    apply = "member"
    member: list[Expr]

    def check_types(self, types: list[Any], loc: Loc) -> None:
        if _elem(types[1]) is None:
            raise CheckError(loc, "member: andra värdet måste vara en lista")
        _comparable(self.op, types[0], _elem(types[1]), loc)

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        _in_enum(pair[1], types[0], (*loc, 1))


class Overlaps(_Binary):
    """`overlaps: [list, list]`: the two lists share a value."""

    op = "overlaps"
    apply = "overlaps"
    overlaps: list[Expr]

    def check_types(self, types: list[Any], loc: Loc) -> None:
        if _elem(types[0]) is None or _elem(types[1]) is None:
            raise CheckError(loc, "overlaps: båda värdena måste vara listor")
        _comparable(self.op, _elem(types[0]), _elem(types[1]), loc)

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        _in_enum(pair[1], _elem(types[0]), (*loc, 1))
        _in_enum(pair[0], _elem(types[1]), (*loc, 0))


class _DateShift(_Binary):
    def check_types(self, types: list[Any], loc: Loc) -> None:
        if types[0] not in (dt.date, Any) or types[1] not in (int, Any):
            raise CheckError(loc, f"{self.op}: [datum, antal]")

    def result_type(self, types: list[Any]) -> Any:
        return dt.date


class AddYears(_DateShift):
    """`add_years: [date, n]`: the same day n years later (29 Feb -> 28 Feb)."""

    op = "add_years"
    apply = "add_years"
    add_years: list[Expr]


class AddMonths(_DateShift):
    """`add_months: [date, n]`: the same day n months later (or the month's last day)."""

    op = "add_months"
    apply = "add_months"
    add_months: list[Expr]


class AddDays(_DateShift):
    """`add_days: [date, n]`: n days later (negative n: earlier)."""

    op = "add_days"
    apply = "add_days"
    add_days: list[Expr]


class Days(_Binary):
    """`days: [from, to]`: whole days from the first date to the second."""

    op = "days"
    apply = "days"
    days: list[Expr]

    def check_types(self, types: list[Any], loc: Loc) -> None:
        if any(t not in (dt.date, Any) for t in types):
            raise CheckError(loc, "days: [från-datum, till-datum]")

    def result_type(self, types: list[Any]) -> Any:
        return int
