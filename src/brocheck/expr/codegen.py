"""Rule expressions compiled to Python source, one module for a whole rule set.

Each expression becomes a function `(ctx, env) -> value` whose body is the expression's tree written out:
comparisons, `not`, `exists` and the list operators inline (their operands evaluated left to right, as the
closures do, with walrus temporaries), `all`, `any` and `coalesce` as functions of their own (they stop at
the deciding part), and the operators with more to do (facts, collections, `rating`, `known`) as calls of
brocheck.expr.runtime, the same functions the closures call. Each operator writes its own code
(`Node.emit`); this module keeps the names, temporaries and constants.

The module is compiled once, when the rule set is validated, and its code object is what brocheck's
rule-set cache stores (brocheck.rulecache): a cache hit evaluates conditions without building a single
rule-language model. Nothing here needs Pydantic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from types import CodeType
from typing import TYPE_CHECKING, Any

from brocheck.expr import runtime
from brocheck.expr.values import Ctx, Env

if TYPE_CHECKING:
    from brocheck.expr.nodes import Node

FILENAME = "<brocheck-regler>"
_CALL = "(ctx, env)"


class Gen:
    """The module being written: its constants and functions, and fresh names for both."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._names = 0
        self._consts: dict[str, str] = {}
        self.functions: set[str] = set()

    def name(self, prefix: str) -> str:
        self._names += 1
        return f"{prefix}{self._names}"

    def expr(self, node: Node) -> str:
        """A Python expression with the node's value (in a function of `ctx` and `env`)."""
        return node.emit(self)

    def const(self, source: str) -> str:
        """A module-level name for a value built once (dates, a fact's path); the same source, the same name."""
        if source not in self._consts:
            self._consts[source] = self.name("_k")
            self.lines.append(f"{self._consts[source]} = {source}")
        return self._consts[source]

    def literal(self, value: Any) -> str:
        if isinstance(value, dt.date):
            return self.const(f"_date({value.year}, {value.month}, {value.day})")
        if isinstance(value, float) and not math.isfinite(value):
            return self.const(f"float({str(value)!r})")
        if value is None or isinstance(value, str | bool | int | float):
            return repr(value)
        raise TypeError(f"no literal for {type(value).__name__}")

    def function(self, body: Iterable[str]) -> str:
        """A module-level function of (ctx, env) with these statements; its name."""
        name = self.name("_f")
        lines = list(body)  # written first: the parts' own functions and constants come before it
        self.functions.add(name)
        self.lines.append(f"def {name}(ctx, env):")
        self.lines.extend(f"    {line}" for line in lines)
        return name

    def function_of(self, node: Node | None) -> str:
        """A function returning the node's value (for operators that call their parts), or `None`."""
        if node is None:
            return "None"
        value = self.expr(node)
        if value.endswith(_CALL) and value[:-len(_CALL)] in self.functions:  # a function already: itself
            return value[:-len(_CALL)]
        return self.function([f"return {value}"])

    def temp(self) -> str:
        return self.name("_t")

    def binary(self, pair: list[Node], result: Callable[[str, str], str]) -> str:
        """Both operands evaluated (in order, as the closures do), unknown if either is, else `result`. A
        literal is never unknown: it is written as itself."""
        checks, values = [], []
        for node in pair:
            if node.op in ("literal", "list"):  # never unknown (a list may hold unknown values)
                values.append(self.expr(node))
            else:
                t = self.temp()
                checks.append(f"(({t} := {self.expr(node)}) is UNKNOWN)")
                values.append(t)
        first, second = values
        if not checks:
            return result(first, second)
        return f"(UNKNOWN if {' | '.join(checks)} else {result(first, second)})"

    def unary(self, node: Node, result: Callable[[str], str]) -> str:
        """The operand evaluated, unknown if it is, else `result`."""
        t = self.temp()
        return f"(UNKNOWN if ({t} := {self.expr(node)}) is UNKNOWN else {result(t)})"


def generate(expressions: list[Node]) -> str:
    """The module's source: `E`, the tuple of the expressions' functions, in the order given."""
    gen = Gen()
    names = [gen.function_of(node) for node in expressions]
    gen.lines.append(f"E = ({''.join(n + ', ' for n in names)})")
    return "\n".join(gen.lines) + "\n"


def compile_module(expressions: list[Node]) -> CodeType:
    return compile(generate(expressions), FILENAME, "exec", dont_inherit=True, optimize=0)


def load(code: CodeType) -> tuple[runtime.Fn, ...]:
    """The expressions' functions from the compiled module."""
    namespace = dict(NAMESPACE)
    exec(code, namespace)
    functions: tuple[runtime.Fn, ...] = namespace["E"]
    return functions


NAMESPACE: dict[str, Any] = {
    "__builtins__": {},
    "bool": bool,
    "float": float,
    "UNKNOWN": runtime.UNKNOWN,
    "_truth": runtime._truth,
    "_date": dt.date,
    "_steps": runtime.steps,
    "_fact": runtime.fact,
    "_name": runtime.name,
    "_rating": runtime.rating,
    "_known": runtime.known,
    **{f"_{name}": getattr(runtime, name) for name in (
        "member", "overlaps", "add_years", "add_months", "add_days", "days", "minimum", "maximum", "unique",
        "flatten", "count", "filter_", "one", "latest", "some", "every", "map_")},
}
"""What generated code can name: UNKNOWN, the runtime's functions (as `_name`), `_date`, `bool` and `float`
(no other builtins)."""


def tree(expression: Node | Compiled) -> Node:
    """The expression's tree of operator models, whether it came from rule files or from the cache."""
    return expression.node if isinstance(expression, Compiled) else expression


class Compiled:
    """An expression read from brocheck's cache: its generated function (`compiled`, set by the rule set), and
    its tree of operator models decoded only when something asks for more than its value (explain's tracing,
    `walk`, `describe`), so that assessing never builds one. Anything else it is asked is the tree's."""

    __slots__ = ("_decode", "_node", "compiled")

    def __init__(self, decode: Callable[[], Node]) -> None:
        self._decode = decode
        self._node: Node | None = None
        self.compiled: runtime.Fn | None = None

    def ev(self, ctx: Ctx, env: Env) -> Any:
        if ctx.trace is None and self.compiled is not None:
            return self.compiled(ctx, env)
        return self.node.ev(ctx, env)

    @property
    def node(self) -> Node:
        if self._node is None:
            self._node = self._decode()
            if self.compiled is not None:
                self._node.__dict__["compiled"] = self.compiled
        return self._node

    def __getattr__(self, name: str) -> Any:
        return getattr(self.node, name)

    def __eq__(self, other: object) -> bool:
        return self.node == (other.node if isinstance(other, Compiled) else other)

    def __hash__(self) -> int:
        return hash(self.node)

    def __repr__(self) -> str:
        return repr(self.node)
