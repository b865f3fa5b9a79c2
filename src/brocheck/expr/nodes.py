"""The base of the rule language's operator nodes: `Node` (a Pydantic model per operator, with its static
check (`check`), its evaluation written as Python source (`emit`, brocheck.expr.codegen; `Node.ev` runs the
generated function) and as a closure that explain runs with tracing on (`closure`), and its description),
and the leaves: literals, lists and fact references. The
operators are in `iteration`, `logic`, `compare` and `lists`; `language` joins them into `Expr`, the
tagged union the rule files are validated with. See brocheck.expr for the language."""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from brocheck.expr import codegen, runtime
from brocheck.expr.runtime import Fn
from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    _attr_type,
    _list_of,
)
from brocheck.expr.values import Ctx, Env

if TYPE_CHECKING:
    from brocheck.expr.language import Expr


def _model(frozen: bool = True) -> ConfigDict:
    """Built on first validation (`defer_build`): a rule set read from brocheck's cache never builds them."""
    return ConfigDict(extra="forbid", frozen=frozen, populate_by_name=True, defer_build=True)


class Node(BaseModel):
    model_config = _model()
    op: typing.ClassVar[str] = ""

    def ev(self, ctx: Ctx, env: Env) -> Any:
        """The expression's value: its generated code runs; with tracing on (explain), the tracing closure."""
        return (self.compiled if ctx.trace is None else self.tracing)(ctx, env)

    @functools.cached_property
    def compiled(self) -> Fn:
        """The expression as a Python function generated from it (brocheck.expr.codegen). A rule set compiles
        all its expressions as one module and sets this; an expression on its own compiles here, on first use."""
        return codegen.load(codegen.compile_module([self]))[0]

    @functools.cached_property
    def tracing(self) -> Fn:
        """A closure that records, in `ctx.trace`, each node's depth and value as it is evaluated."""
        inner = self.closure(_tracing)
        node = self

        def traced(ctx: Ctx, env: Env) -> Any:
            assert ctx.trace is not None
            ctx.depth += 1
            slot = len(ctx.trace)
            ctx.trace.append((ctx.depth, node, None))
            value = inner(ctx, env)
            ctx.trace[slot] = (ctx.depth, node, value)
            ctx.depth -= 1
            return value

        return traced

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        """The node's evaluation as a closure; `sub(part)` gives a part's closure."""
        raise NotImplementedError

    def emit(self, gen: codegen.Gen) -> str:
        """The node's evaluation as a Python expression (brocheck.expr.codegen); `gen.expr(part)` gives a
        part's."""
        raise NotImplementedError

    def check(self, scope: Scope, loc: Loc) -> Any:
        raise NotImplementedError

    def children(self) -> Iterator[Node]:
        for name in type(self).model_fields:
            value = getattr(self, name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Node):
                    yield item

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children():
            yield from child.walk()

    def describe(self) -> str:
        return self.op


def _tracing(node: Node) -> Fn:
    return node.tracing


def _in_enum(node: Node, type_: Any, loc: Loc) -> None:
    """A text literal compared with a field of an enumeration must be one of its values (else the
    comparison could never hold: a misspelt value)."""
    if not (isinstance(type_, type) and issubclass(type_, Enum)):
        return
    items = node.items if isinstance(node, ListLit) else [node]
    for i, item in enumerate(items):
        if isinstance(item, Lit) and isinstance(item.value, str) and item.value not in type_._value2member_map_:
            where = (*loc, i) if isinstance(node, ListLit) else loc
            raise CheckError(where, f"{item.value!r} är inget av de tillåtna värdena ({', '.join(type_)}): "
                                    "rätta stavningen, annars kan jämförelsen aldrig hålla")



# --- nodes --------------------------------------------------------------------------------------


class Lit(Node):
    op = "literal"
    value: str | bool | int | float | dt.date | None

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return {"value": data}

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        value = self.value
        return lambda ctx, env: value

    def emit(self, gen: codegen.Gen) -> str:
        return gen.literal(self.value)

    def check(self, scope: Scope, loc: Loc) -> Any:
        return Any if self.value is None else type(self.value)

    def describe(self) -> str:
        return self.value.isoformat() if isinstance(self.value, dt.date) else repr(self.value)


class ListLit(Node):
    op = "list"
    items: list[Expr]

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return {"items": data}

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        items = [sub(item) for item in self.items]
        return lambda ctx, env: [item(ctx, env) for item in items]

    def emit(self, gen: codegen.Gen) -> str:
        return f"[{''.join(gen.expr(item) + ', ' for item in self.items)}]"

    def check(self, scope: Scope, loc: Loc) -> Any:
        types = {i.check(scope, (*loc, n)) for n, i in enumerate(self.items)}
        return _list_of(types.pop() if len(types) == 1 else Any)


class Fact(Node):
    op = "fact"
    path: Annotated[str, Field(pattern=r"^\$[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$")]

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: Any) -> Any:
        return {"path": data}

    @functools.cached_property
    def parts(self) -> list[str]:
        return self.path[1:].split(".")

    def describe(self) -> str:
        return self.path

    def check(self, scope: Scope, loc: Loc) -> Any:
        head, *rest = self.parts
        if head not in scope.names:
            raise CheckError(loc, f"okänt faktum {self.path!r}: {head!r} är varken en variabel, ett härlett "
                                  f"faktum eller en nyckel i ärendefilen (kända: {', '.join(sorted(scope.names))})")
        type_ = scope.names[head]
        for i, part in enumerate(rest):
            if type_ is Any or get_origin(type_) is dict or type_ is dict:
                return Any
            if get_origin(type_) is list:
                raise CheckError(loc, f"{'.'.join([head, *rest[:i]])!r} är en lista; använd map/count/"
                                      f"filter för att nå {part!r} i dess element")
            found = _attr_type(type_, part) if isinstance(type_, type) else None
            if found is None:
                known = list(type_.model_fields) if isinstance(type_, type) and issubclass(type_, BaseModel) else []
                raise CheckError(loc, f"okänt fält {part!r} i {self.path!r}"
                                      + (f" (kända: {', '.join(known)})" if known else ""))
            type_ = found
        return type_

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        head, *parts = self.parts
        if not parts:
            return lambda ctx, env: runtime.name(ctx, env, head)
        steps = runtime.steps(parts)
        return lambda ctx, env: runtime.fact(ctx, env, head, steps)

    def emit(self, gen: codegen.Gen) -> str:
        head, *parts = self.parts
        if not parts:
            return f"_name(ctx, env, {head!r})"
        return f"_fact(ctx, env, {head!r}, {gen.const(f'_steps({parts!r})')})"
