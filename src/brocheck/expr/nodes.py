"""The operator nodes of the rule language: one Pydantic model per operator, each with its static
check (`check`), its evaluation compiled to a Python closure (`closure`; `Node.ev` runs it, or its
tracing twin for explain) and its description; `Expr` is the tagged union the rule files are validated
with. See brocheck.expr for the language."""

from __future__ import annotations

import datetime as dt
import functools
import operator
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union, get_origin

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from brocheck.expr.statictypes import (
    CheckError,
    Loc,
    Scope,
    _attr_type,
    _comparable,
    _elem,
    _list_of,
    _none_is_absent,
    _scalar,
    condition,
)
from brocheck.expr.values import (
    UNKNOWN,
    Ctx,
    DataPath,
    Env,
    FactUse,
    _lookup,
    _truth,
    rating_missing,
)


def _model(frozen: bool = True) -> ConfigDict:
    """Built on first validation (`defer_build`): a rule set read from brocheck's cache never builds them."""
    return ConfigDict(extra="forbid", frozen=frozen, populate_by_name=True, defer_build=True)


Fn = Callable[[Ctx, Env], Any]
"""An expression compiled: its value for the case in `ctx` with the variables in `env`."""


class Node(BaseModel):
    model_config = _model()
    op: typing.ClassVar[str] = ""

    def ev(self, ctx: Ctx, env: Env) -> Any:
        """The expression's value: its closure runs; with tracing on (explain), the tracing twin."""
        return (self.compiled if ctx.trace is None else self.tracing)(ctx, env)

    def compile(self) -> Fn:
        """Compile the expression now (rather than on its first evaluation)."""
        return self.compiled

    @functools.cached_property
    def compiled(self) -> Fn:
        """The expression as a Python closure over its parts' closures, compiled once (when the rules load)."""
        return self.closure(_compiled)

    @functools.cached_property
    def tracing(self) -> Fn:
        """The closure that also records, in `ctx.trace`, each node's depth and value as it is evaluated."""
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
        """The node's evaluation as a closure; `sub(part)` gives a part's closure (traced or not)."""
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


def _compiled(node: Node) -> Fn:
    return node.compiled


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
        # Each part with the path and display the fact reaches after it, made only when one is needed.
        steps = tuple((part, parts[:i + 1], "." + ".".join(parts[:i + 1])) for i, part in enumerate(parts))
        _, tail, shown = steps[-1] if steps else ("", [], "")

        def fact(ctx: Ctx, env: Env) -> Any:
            bound = env.get(head)  # a variable (`as:`): the commonest case, without the call
            value, path, display = bound if bound is not None else _lookup(head, ctx, env)
            start = value
            for part, reached, where in steps:
                if value is UNKNOWN or value is None:
                    return value
                nxt = value.get(part) if isinstance(value, dict) else getattr(value, part)
                if nxt is None:
                    owner: Any = type(value)
                    if not _none_is_absent(owner, part):
                        path, display = _placed(ctx, start, path, display)
                        if path is not None:
                            ctx.track.missing[display + where] = (*path, *reached)
                        return UNKNOWN
                value = nxt
            if ctx.record_used:
                path, display = _placed(ctx, start, path, display)
                if path is not None:
                    ctx.track.used[display + shown] = FactUse((*path, *tail), display + shown, value)
            return value

        return fact



def _placed(ctx: Ctx, value: Any, path: DataPath | None, display: str) -> tuple[DataPath | None, str]:
    """Where a fact's head stands in the case: its own path, or, for a derived fact naming a part of the
    case (a body, a document), that part's."""
    if path is None and id(value) in ctx.paths:
        return ctx.paths[id(value)]
    return path, display


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
            for i, item in enumerate(items):
                got = ctx.paths.get(id(item))
                path, display = got if got is not None else (None, f"{var}[{i}]")
                verdict = where(ctx, {**env, var: (item, path, display)})
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
                value = _truth(part(ctx, env))
                if value is decides:
                    return value
                if value is UNKNOWN:
                    result = UNKNOWN
            return result

        return logic


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
        """Asking whether a fact is recorded is an answer either way: the fact is not reported missing."""
        inner = sub(self.known)

        def known(ctx: Ctx, env: Env) -> Any:
            before = set(ctx.track.missing)
            recorded = inner(ctx, env) is not UNKNOWN
            for name in set(ctx.track.missing) - before:
                del ctx.track.missing[name]
            return recorded

        return known


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

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        first, second = (sub(p) for p in self._pair())
        apply = self.apply

        def binary(ctx: Ctx, env: Env) -> Any:
            a = first(ctx, env)
            b = second(ctx, env)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            return apply(a, b)

        return binary

    def apply(self, a: Any, b: Any) -> Any:
        raise NotImplementedError


class _Compare(_Binary):
    """Compare two values with `fn`; ordering comparisons are false when either side is absent."""

    fn: typing.ClassVar[Callable[..., Any]]
    ordering: typing.ClassVar[bool] = True

    def check_types(self, types: list[Any], loc: Loc) -> None:
        super().check_types(types, loc)
        _comparable(self.op, types[0], types[1], loc)

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        _in_enum(pair[1], types[0], (*loc, 1))
        _in_enum(pair[0], types[1], (*loc, 0))

    def closure(self, sub: Callable[[Node], Fn]) -> Fn:
        """`_Binary`'s closure with the comparison inlined (the commonest operators)."""
        first, second = (sub(p) for p in self._pair())
        fn = type(self).fn

        if not self.ordering:
            def equality(ctx: Ctx, env: Env) -> Any:
                a = first(ctx, env)
                b = second(ctx, env)
                return UNKNOWN if a is UNKNOWN or b is UNKNOWN else fn(a, b)

            return equality

        def ordering(ctx: Ctx, env: Env) -> Any:
            a = first(ctx, env)
            b = second(ctx, env)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            return False if a is None or b is None else fn(a, b)

        return ordering


class Eq(_Compare):
    op = "eq"
    fn = staticmethod(operator.eq)
    ordering = False
    eq: list[Expr]


class Ne(_Compare):
    op = "ne"
    fn = staticmethod(operator.ne)
    ordering = False
    ne: list[Expr]


class Lt(_Compare):
    op = "lt"
    fn = staticmethod(operator.lt)
    lt: list[Expr]


class Le(_Compare):
    op = "le"
    fn = staticmethod(operator.le)
    le: list[Expr]


class Gt(_Compare):
    op = "gt"
    fn = staticmethod(operator.gt)
    gt: list[Expr]


class Ge(_Compare):
    op = "ge"
    fn = staticmethod(operator.ge)
    ge: list[Expr]


class Member(_Binary):
    """`member: [x, list]`: x is one of the list's values (unknown if the list is)."""

    op = "member"
    member: list[Expr]

    def check_types(self, types: list[Any], loc: Loc) -> None:
        if _elem(types[1]) is None:
            raise CheckError(loc, "member: andra värdet måste vara en lista")
        _comparable(self.op, types[0], _elem(types[1]), loc)

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        _in_enum(pair[1], types[0], (*loc, 1))

    def apply(self, a: Any, b: Any) -> Any:
        """Three-valued like every comparison: a match among the known values is true; with none, an
        unknown value in the list (e.g. `[$a, $b]` with `$b` unknown) makes the answer unknown."""
        if b is None:
            return False
        if any(x is not UNKNOWN and x == a for x in b):
            return True
        return UNKNOWN if any(x is UNKNOWN for x in b) else False


class Overlaps(_Binary):
    """`overlaps: [list, list]`: the two lists share a value."""

    op = "overlaps"
    overlaps: list[Expr]

    def check_types(self, types: list[Any], loc: Loc) -> None:
        if _elem(types[0]) is None or _elem(types[1]) is None:
            raise CheckError(loc, "overlaps: båda värdena måste vara listor")
        _comparable(self.op, _elem(types[0]), _elem(types[1]), loc)

    def check_literals(self, pair: list[Expr], types: list[Any], loc: Loc) -> None:
        _in_enum(pair[1], _elem(types[0]), (*loc, 1))
        _in_enum(pair[0], _elem(types[1]), (*loc, 0))

    def apply(self, a: Any, b: Any) -> Any:
        """True when the lists share a known value; unknown when they do not but either holds an unknown
        value (as `member`)."""
        if not a or not b:
            return False
        known = [x for x in b if x is not UNKNOWN]
        if any(x is not UNKNOWN and x in known for x in a):
            return True
        return UNKNOWN if any(x is UNKNOWN for x in (*a, *b)) else False


class _DateShift(_Binary):
    def check_types(self, types: list[Any], loc: Loc) -> None:
        if types[0] not in (dt.date, Any) or types[1] not in (int, Any):
            raise CheckError(loc, f"{self.op}: [datum, antal]")

    def result_type(self, types: list[Any]) -> Any:
        return dt.date


class AddYears(_DateShift):
    """`add_years: [date, n]`: the same day n years later (29 Feb -> 28 Feb)."""

    op = "add_years"
    add_years: list[Expr]

    def apply(self, a: Any, b: Any) -> Any:
        if a is None:
            return None
        if a.month == 2 and a.day == 29:
            a = a.replace(day=28)
        return a.replace(year=a.year + int(b))


class AddMonths(_DateShift):
    """`add_months: [date, n]`: the same day n months later (or the month's last day)."""

    op = "add_months"
    add_months: list[Expr]

    def apply(self, a: Any, b: Any) -> Any:
        if a is None:
            return None
        index = a.year * 12 + a.month - 1 + int(b)
        year, month = divmod(index, 12)
        last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
        return dt.date(year, month + 1, min(a.day, last))


class AddDays(_DateShift):
    """`add_days: [date, n]`: n days later (negative n: earlier)."""

    op = "add_days"
    add_days: list[Expr]

    def apply(self, a: Any, b: Any) -> Any:
        return None if a is None else a + dt.timedelta(days=int(b))


class Days(_Binary):
    """`days: [from, to]`: whole days from the first date to the second."""

    op = "days"
    days: list[Expr]

    def check_types(self, types: list[Any], loc: Loc) -> None:
        if any(t not in (dt.date, Any) for t in types):
            raise CheckError(loc, "days: [från-datum, till-datum]")

    def result_type(self, types: list[Any]) -> Any:
        return int

    def apply(self, a: Any, b: Any) -> Any:
        return None if a is None or b is None else (b - a).days


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

        def rating(ctx: Ctx, env: Env) -> Any:
            value = ctx.ratings[rule]
            if value == ctx.unknown_rating:
                ctx.track.missing[rating_missing(rule)] = ()
                return UNKNOWN
            return value

        return rating


OPERATORS: dict[str, type[Node]] = {
    cls.op: cls
    for cls in (Count, Filter, One, Latest, Some, Every, MapOp, All, AnyOp, Not, Exists, Known, Eq, Ne, Lt, Le, Gt,
                Ge, Member, Overlaps, AddYears, AddMonths, AddDays, Days, Min, Max, Unique, Flatten, Coalesce, Rating)
}


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return next(iter(value)) if len(value) == 1 and next(iter(value)) in OPERATORS else None
    if isinstance(value, list):
        return "list"
    if isinstance(value, str) and value.startswith("$"):
        return "fact"
    return "literal"


if TYPE_CHECKING:  # mypy sees the base class; Pydantic validates the tagged union
    Expr: TypeAlias = Node
else:
    Expr = Annotated[
        Union[
            Annotated[Lit, Tag("literal")],
            Annotated[ListLit, Tag("list")],
            Annotated[Fact, Tag("fact")],
            *(Annotated[cls, Tag(op)] for op, cls in OPERATORS.items()),
        ],
        Discriminator(
            _tag,
            custom_error_type="unknown_operator",
            custom_error_message="okänd operator eller fel form: ett villkor är en mappning med exakt en av "
            + ", ".join(OPERATORS)
            + ", ett $faktum, ett värde eller en lista",
        ),
    ]



def build_models() -> None:
    """Build the operator models' validators now, in one pass (the recursive union is then built once,
    not once per model on its first use). The rule-set loader calls this before validating rule files."""
    models: tuple[type[BaseModel], ...] = (ListLit, IterArgs, Not, Exists, Known, Coalesce, *OPERATORS.values())
    for cls in models:
        cls.model_rebuild()
