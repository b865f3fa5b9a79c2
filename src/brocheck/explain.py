"""Why a row got its rating, as values (the CLI prints them): the criterion and its source, every
outcome's condition evaluated node by node, the named facts the conditions read, the facts used with
their position in the case file and the sources their case objects cite, the rules a roll-up reads,
and the auditor's manual judgement if one replaced the rule's rating.

Provenance: a fact's sources are those of the nearest enclosing case object that cites any
(`kallor`); a whole list whose elements were not read cites its elements' sources. A rule "relies
on" an element of a list unless the element was only scanned: an element counts as scanned when the
fields read from it are a strict subset of the fields read from another element of the same list
(a filter read `typ` from every decision but `till` only from the ones it kept). Reports cite the
sources of the facts a rule relies on.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from brocheck import expr, params
from brocheck.engine import Result, assess, context, parameters_read
from brocheck.expr import codegen
from brocheck.loader import LoadedCase
from brocheck.manual import judgement, judgements, lapsed
from brocheck.ruleset import Placed, Rule, RuleSet
from brocheck.schema import Bedomning, Case, Cited, Kalla
from brocheck.text import datum

DataPath = tuple[str | int, ...]


# --- values as short text -----------------------------------------------------------------------


def show(value: Any, limit: int = 80) -> str:
    """A value as short Swedish text: sant/falskt/okänt, ids for case objects, lists cut short."""
    text = _show(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: Any) -> str:
    if value is expr.UNKNOWN:
        return "okänt"
    if isinstance(value, bool):
        return "sant" if value else "falskt"
    if value is None:
        return "inget"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        name = getattr(value, "id", None) or getattr(value, "namn", None) or getattr(value, "titel", None) \
            or getattr(value, "typ", None)
        return str(name) if name else type(value).__name__
    if isinstance(value, list):
        more = f", … ({len(value)} st)" if len(value) > 5 else ""
        return "[" + ", ".join(_show(v) for v in value[:5]) + more + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _many(values: list[Any]) -> str:
    """One node's values: the value, or a tally when it was evaluated once per element."""
    if not values:
        return "ej prövat"
    if len(values) == 1:
        return show(values[0])
    tally = Counter(show(v, 30) for v in values)
    if len(tally) == 1:
        return f"{len(values)} ggr: {show(values[0])}"
    shown = [f"{v} ×{n}" for v, n in list(tally.items())[:4]]
    return f"{len(values)} ggr: " + ", ".join(shown) + (", …" if len(tally) > 4 else "")


# --- provenance ---------------------------------------------------------------------------------


def source_text(kalla: Kalla) -> str:
    """`Titel, paragraf, datum` (and the address when there is one)."""
    parts = [kalla.titel, kalla.paragraf, datum(kalla.datum) if kalla.datum else None]
    text = ", ".join(p for p in parts if p)
    return f"{text}, <{kalla.url}>" if kalla.url else text


def relied(paths: Sequence[DataPath]) -> set[DataPath]:
    """The paths a rule relies on: all but those into list elements that were only scanned."""
    fields: dict[DataPath, dict[int, set[str | int | None]]] = {}
    for p in paths:
        for k, step in enumerate(p):
            if isinstance(step, int):
                fields.setdefault(p[:k], {}).setdefault(step, set()).add(p[k + 1] if len(p) > k + 1 else None)
    kept = {lst: {i for i, f in by.items() if None in f or not any(f < g for g in by.values())}
            for lst, by in fields.items()}
    return {p for p in paths if all(s in kept[p[:k]] for k, s in enumerate(p) if isinstance(s, int))}


def _chain(case: Case, path: DataPath) -> list[Any]:
    """The values along `path`, the case first."""
    out: list[Any] = [case]
    for step in path:
        value = out[-1]
        if isinstance(value, list):
            value = value[step] if isinstance(step, int) and 0 <= step < len(value) else None
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            value = getattr(value, str(step), None)
        out.append(value)
    return out


def sources(case: Case, path: DataPath, paths: Sequence[DataPath] = ()) -> tuple[Kalla, ...]:
    """The sources behind the fact at `path` (see the module notes); `paths` are the other facts used."""
    chain = _chain(case, path)
    value = chain[-1]
    below = any(len(q) > len(path) and q[: len(path)] == path for q in paths)
    if isinstance(value, list) and value and all(isinstance(v, Cited) for v in value) and not below:
        ids = [k for v in value for k in v.kallor]
    else:
        ids = next((list(o.kallor) for o in reversed(chain[1:]) if isinstance(o, Cited) and o.kallor), [])
    by_id = {k.id: k for k in case.kallor}
    return tuple(by_id[i] for i in dict.fromkeys(ids) if i in by_id)


def cited(case: Case, used: Sequence[expr.FactUse]) -> list[Kalla]:
    """The sources behind the facts a result relies on, in order of the facts, each once."""
    paths = [u.path for u in used]
    keep = relied(paths)
    out: dict[str, Kalla] = {}
    for u in used:
        if u.path in keep:
            out.update((k.id, k) for k in sources(case, u.path, paths))
    return list(out.values())


# --- the explanation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One node of a condition: its depth in the tree, its text and its value (None for literals)."""

    depth: int
    text: str
    value: str | None


@dataclass(frozen=True)
class NamedFact:
    name: str
    local: bool
    """True for the rule's own fact, False for a derived fact shared by the rule set."""
    value: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class OutcomeTrace:
    id: str
    rating: str
    verdict: str | None
    """sant / falskt / okänt; None for the catch-all outcome without a condition."""
    state: str
    """`fired`, `stopped` (unknown: the search stopped here), `failed` (held not) or `after`."""
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class FactLine:
    display: str
    value: str
    line: int | None
    relied: bool
    sources: tuple[Kalla, ...]


@dataclass(frozen=True)
class Read:
    """A rule whose rating a roll-up reads."""

    ref: str
    id: str
    criterion: str
    rating: str
    manual: bool


@dataclass(frozen=True)
class Explanation:
    file: str
    municipality: str
    asof: dt.date
    ref: str
    rule_id: str
    rule_file: str
    criterion: str
    legal_sources: tuple[str, ...]
    description: str | None
    named: tuple[NamedFact, ...]
    outcomes: tuple[OutcomeTrace, ...]
    rating: str
    rule_rating: str
    comment: str
    missing: tuple[str, ...]
    facts: tuple[FactLine, ...]
    reads: tuple[Read, ...]
    manual: Bedomning | None
    lapsed: tuple[Bedomning, ...]
    parameters: tuple[str, ...] = ()
    """The audit parameters the rule reads: name, value, whose value, rationale and source."""


def explain(ruleset: RuleSet, loaded: LoadedCase, ref: str, manual: bool = True) -> Explanation | None:
    """Explain the row `ref` (rule id, `T4.1`, `Q3`, `S`); None when the rule set has no such row."""
    placed = ruleset.find(ref)
    if placed is None:
        return None
    assessment = assess(ruleset, loaded, judgements(loaded, ruleset) if manual else None)
    result = assessment.results[placed.rule.id]
    ctx = context(ruleset, loaded)
    ctx.ratings = {rule_id: r.rating for rule_id, r in assessment.results.items()}
    rule = placed.rule
    named = _named(ruleset, rule, ctx)
    outcomes = _outcomes(rule, ctx)
    return Explanation(
        file=loaded.file, municipality=assessment.municipality, asof=assessment.asof, ref=placed.ref,
        rule_id=rule.id, rule_file=f"{ruleset.location}/{placed.file}", criterion=result.criterion,
        legal_sources=tuple(rule.source), description=rule.description, named=named, outcomes=outcomes,
        rating=result.rating, rule_rating=result.rule_rating or result.rating, comment=result.comment,
        missing=result.missing, facts=_facts(loaded, result), reads=_reads(placed, assessment.results),
        manual=judgement(result), lapsed=tuple(b for b in lapsed(loaded) if ruleset.find(b.regel) == placed),
        parameters=tuple(params.describe(n, ruleset.parameters[n], ctx.params[n], n in ctx.overridden)
                         for n in parameters_read(ruleset, placed)),
    )


def _trace(expression: expr.Node, ctx: expr.Ctx) -> tuple[Any, tuple[Line, ...]]:
    node = codegen.tree(expression)  # the lines are the tree's nodes, by identity
    ctx.trace, ctx.track = [], expr.Tracker()
    try:
        value = node.ev(ctx, {})
        seen: dict[int, list[Any]] = {}
        for _, n, v in ctx.trace:
            seen.setdefault(id(n), []).append(v)
    finally:
        ctx.trace = None
    return value, tuple(_lines(node, seen, 0))


def _lines(node: expr.Node, seen: dict[int, list[Any]], depth: int) -> Iterator[Line]:
    """The condition tree in pre-order, each node with the values it took."""
    if isinstance(node, expr.Lit) or (isinstance(node, expr.ListLit)
                                      and all(isinstance(i, expr.Lit) for i in node.items)):
        text = node.describe() if isinstance(node, expr.Lit) else \
            "[" + ", ".join(i.describe() for i in node.items) + "]"
        yield Line(depth, text, None)
        return
    yield Line(depth, node.describe(), _many(seen.get(id(node), [])))
    for child in node.children():
        yield from _lines(child, seen, depth + 1)


def _references(rule: Rule, ruleset: RuleSet) -> list[str]:
    """Named facts the rule's conditions read, directly or through other named facts, first use first."""
    out: list[str] = []

    def visit(node: expr.Node, local: bool) -> None:
        for n in node.walk():
            if not isinstance(n, expr.Fact):
                continue
            head = n.parts[0]
            body = rule.facts.get(head) if local else None
            body = body if body is not None else ruleset.derived.get(head)
            if body is not None and head not in out:
                out.append(head)
                visit(body, local and head in rule.facts)

    for node in rule.expressions():
        visit(node, True)
    return [name for name in rule.facts] + [name for name in out if name not in rule.facts]


def _named(ruleset: RuleSet, rule: Rule, ctx: expr.Ctx) -> tuple[NamedFact, ...]:
    ctx.local, ctx.local_memo = rule.facts, {}
    names = _references(rule, ruleset)
    for name in names:  # memoise first, so that each tree shows the named facts it reads as values
        expr.value_of(name, ctx)
    out = []
    for name in names:
        local = name in rule.facts
        value, lines = _trace(rule.facts[name] if local else ruleset.derived[name], ctx)
        out.append(NamedFact(name, local, show(value), lines))
    return tuple(out)


def _outcomes(rule: Rule, ctx: expr.Ctx) -> tuple[OutcomeTrace, ...]:
    out, decided = [], False
    for outcome in rule.outcomes:
        verdict: Any = None
        lines: tuple[Line, ...] = ()
        if outcome.when is not None:
            value, lines = _trace(outcome.when, ctx)
            verdict = expr._truth(value)
        if decided:
            state = "after"
        elif verdict is None or verdict is True:
            state, decided = "fired", True
        elif verdict is expr.UNKNOWN:
            state, decided = "stopped", True
        else:
            state = "failed"
        out.append(OutcomeTrace(outcome.id, outcome.rating, None if verdict is None else show(verdict),
                                state, lines))
    return tuple(out)


def _facts(loaded: LoadedCase, result: Result) -> tuple[FactLine, ...]:
    paths = [u.path for u in result.used]
    keep = relied(paths)
    out = []
    for u in result.used:
        pos = loaded.doc.keys.get(u.path) if u.path and isinstance(u.path[-1], str) else None
        pos = pos or loaded.doc.locate(u.path)
        out.append(FactLine(u.display, show(u.value), pos[0] if pos else None, u.path in keep,
                            sources(loaded.case, u.path, paths)))
    return tuple(out)


def _reads(placed: Placed, results: dict[str, Result]) -> tuple[Read, ...]:
    return tuple(Read(r.placed.ref, r.id, r.criterion, r.rating, judgement(r) is not None)
                 for r in (results[i] for i in placed.rule.reads()))
