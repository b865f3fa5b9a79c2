"""Three-valued logic (`all`, `any`, `not`), whether a fact is recorded (`exists`, `known`), the first
recorded of several values (`coalesce`) and another rule's rating (`rating`)."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from brocheck.expr import codegen, runtime
from brocheck.expr.nodes import Node
from brocheck.expr.runtime import Fn
from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    condition,
)
from brocheck.expr.values import (
    UNKNOWN,
    Ctx,
    Env,
    _truth,
)

if TYPE_CHECKING:
    from brocheck.expr.language import Expr


class _Logic(Node):
    decides: typing.ClassVar[bool]
    """The value that settles the whole: false for `all`, true for `any`."""
    def _parts(self) -> list[Expr]:
        return typing.cast(list[Expr], getattr(self, self.op))

    def check(self, scope: Scope, loc: Loc) -> Any:
        for i, part in enumerate(self._parts()):
            condition(part.check(scope, (*loc, self.op, i)), (*loc, self.op, i))
        return bool

    def describe(self) -> str:
        return f"{self.op} ({len(self._parts())} villkor)"

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        """The deciding value as soon as a part has it; else unknown if any part is, else the other."""
        parts, decides = [sub(p) for p in self._parts()], self.decides

        def logic(ctx: Ctx, env: Env) -> Any:
            result: Any = not decides
            for part in parts:
                value = part(ctx, env)
                if value is decides:
                    return value
                if value is UNKNOWN:
                    result = UNKNOWN
                elif value.__class__ is not bool and _truth(value) is decides:  # None: false
                    return decides
            return result

        return logic

    def emit(self, gen: codegen.Gen) -> str:
        decides, body = self.decides, [f"result = {not self.decides}"]
        for part in self._parts():
            body += [f"value = {gen.expr(part)}",
                     f"if value is {decides}: return value",
                     "if value is UNKNOWN: result = UNKNOWN",
                     f"elif value.__class__ is not bool and _truth(value) is {decides}: return {decides}"]
        return f"{gen.function([*body, 'return result'])}(ctx, env)"


class All(_Logic):
    op = "all"
    decides = False
    all: list[Expr]


class AnyOp(_Logic):
    op = "any"
    decides = True
    any: list[Expr]


class Not(Node):
    op = "not"
    not_: Expr = Field(alias="not")

    def check(self, scope: Scope, loc: Loc) -> Any:
        condition(self.not_.check(scope, (*loc, "not")), (*loc, "not"))
        return bool

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        inner = sub(self.not_)

        def not_(ctx: Ctx, env: Env) -> Any:
            value = _truth(inner(ctx, env))
            return UNKNOWN if value is UNKNOWN else not value

        return not_

    def emit(self, gen: codegen.Gen) -> str:
        t = gen.temp()
        return f"(UNKNOWN if ({t} := _truth({gen.expr(self.not_)})) is UNKNOWN else not {t})"


class Exists(Node):
    """True when the value is present: not absent, and not an empty list."""

    op = "exists"
    exists: Expr

    def check(self, scope: Scope, loc: Loc) -> Any:
        self.exists.check(scope, (*loc, "exists"))
        return bool

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        inner = sub(self.exists)

        def exists(ctx: Ctx, env: Env) -> Any:
            value = inner(ctx, env)
            if value is UNKNOWN:
                return UNKNOWN
            return value is not None and value != []

        return exists

    def emit(self, gen: codegen.Gen) -> str:
        return gen.unary(self.exists, lambda v: f"({v} is not None and {v} != [])")

    def describe(self) -> str:
        return f"exists {self.exists.describe()}"


class Known(Node):
    """True when the value is recorded in the case (never unknown itself)."""

    op = "known"
    known: Expr

    def check(self, scope: Scope, loc: Loc) -> Any:
        self.known.check(scope, (*loc, "known"))
        return bool

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        inner = sub(self.known)
        return lambda ctx, env: runtime.known(ctx, env, inner)

    def emit(self, gen: codegen.Gen) -> str:
        return f"_known(ctx, env, {gen.function_of(self.known)})"


class Coalesce(Node):
    """The first value that is present; unknown as soon as an earlier one is unknown."""

    op = "coalesce"
    coalesce: list[Expr]

    def check(self, scope: Scope, loc: Loc) -> Any:
        types = [p.check(scope, (*loc, "coalesce", i)) for i, p in enumerate(self.coalesce)]
        return types[0] if len(set(types)) == 1 else Any

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        parts = [sub(p) for p in self.coalesce]

        def coalesce(ctx: Ctx, env: Env) -> Any:
            for part in parts:
                value = part(ctx, env)
                if value is UNKNOWN:
                    return UNKNOWN
                if value is not None and value != []:
                    return value
            return None

        return coalesce

    def emit(self, gen: codegen.Gen) -> str:
        body = []
        for part in self.coalesce:
            body += [f"value = {gen.expr(part)}",
                     "if value is UNKNOWN: return UNKNOWN",
                     "if value is not None and value != []: return value"]
        return f"{gen.function([*body, 'return None'])}(ctx, env)"


class Rating(Node):
    """The rating another rule gave this case; unknown when that rule could not assess."""

    op = "rating"
    rating: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]

    def check(self, scope: Scope, loc: Loc) -> Any:
        if self.rating not in scope.rules:
            raise CheckError((*loc, "rating"), f"okänd regel {self.rating!r}: ange id för en regel i "
                                               "regeluppsättningen")
        return str

    def describe(self) -> str:
        return f"rating {self.rating}"

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        rule = self.rating
        return lambda ctx, env: runtime.rating(ctx, rule)

    def emit(self, gen: codegen.Gen) -> str:
        return f"_rating(ctx, {self.rating!r})"
