"""Rules x case -> results, as values. No printing, no I/O: the CLI and renderers do that."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from brocheck import expr, params, timeline
from brocheck.loader import LoadedCase
from brocheck.recommendations import Recommendation, answers, recommend
from brocheck.ruleset import Outcome, Placed, RuleSet
from brocheck.schema import Aktor, Organ
from brocheck.text import environment, lista

UNKNOWN_OUTCOME = "kan-ej-bedomas"
GIVEN_OUTCOME = "given"


@dataclass(frozen=True)
class Result:
    placed: Placed
    criterion: str
    rating: str
    comment: str
    outcome: str
    """The id of the outcome that fired, `kan-ej-bedomas`, or `given` for a rating set from outside."""
    used: tuple[expr.FactUse, ...] = ()
    missing: tuple[str, ...] = ()
    rule_rating: str | None = None
    """When the rating was given from outside (a manual judgement), what the rule itself said."""
    note: Any = None
    recommendations: tuple[Recommendation, ...] = ()
    """What the outcome recommends (rules/rekommendationer.yaml)."""
    missing_at: dict[str, expr.DataPath] = field(default_factory=dict)
    """Each missing fact's path in the case file (empty when it has none, e.g. another rule's rating)."""

    @property
    def id(self) -> str:
        return self.placed.rule.id


@dataclass(frozen=True)
class TableResult:
    number: int
    title: str
    rows: list[Result]


@dataclass(frozen=True)
class Assessment:
    loaded: LoadedCase
    ruleset: RuleSet
    tables: list[TableResult]
    overall: Result
    results: dict[str, Result] = field(default_factory=dict)

    @property
    def municipality(self) -> str:
        return self.loaded.case.kommun.namn

    @property
    def asof(self) -> dt.date:
        return self.loaded.case.granskning.datum

    def rows(self) -> list[Result]:
        return [r for t in self.tables for r in t.rows] + [self.overall]


@dataclass(frozen=True)
class Given:
    """A rating decided outside the rules (a manual judgement, or a test pinning a roll-up's input)."""

    rating: str
    note: Any = None


def assess(ruleset: RuleSet, loaded: LoadedCase, given: dict[str, Given] | None = None, *,
           facts: bool = True) -> Assessment:
    """Every rule against the case. `facts`: record the facts each rating used (`Result.used`), which
    explain, diff and the outputs that cite sources or file positions need; without, `used` is empty and
    assessing is faster. Ratings, comments and what is missing are the same either way."""
    ctx = context(ruleset, loaded)
    ctx.record_used = facts
    texts = _Texts(ruleset, ctx)
    results: dict[str, Result] = {}
    for placed in ruleset.order:
        result = evaluate(texts, placed)
        if given and placed.rule.id in given:
            g = given[placed.rule.id]
            advice = result.recommendations if answers(ruleset, placed, g.rating) else ()
            result = Result(placed, result.criterion, g.rating, result.comment, GIVEN_OUTCOME, result.used,
                            result.missing, rule_rating=result.rating, note=g.note, recommendations=advice,
                            missing_at=result.missing_at)
        ctx.ratings[placed.rule.id] = result.rating
        texts.comments[placed.rule.id] = result.comment
        results[placed.rule.id] = result
    tables = [
        TableResult(t.number, texts.render(f"title:{t.number}"),
                    [results[p.rule.id] for p in ruleset.placed if p.table == t.number])
        for t in ruleset.tables
    ]
    return Assessment(loaded, ruleset, tables, results[ruleset.overall.rule.id], results)


def context(ruleset: RuleSet, loaded: LoadedCase) -> expr.Ctx:
    """The evaluation state for one case: the case as it stood on its as-of date (`timeline`), with the
    audit parameters' values for the case."""
    view, paths = timeline.as_of(loaded.case)
    values, own = params.values(loaded, ruleset)
    return expr.Ctx(view, view.granskning.datum, ruleset.derived, unknown_rating=ruleset.unknown_rating,
                    paths=paths, params=values, overridden=own)


def parameters_read(ruleset: RuleSet, placed: Placed) -> list[str]:
    """The audit parameters a rule reads in its conditions, facts or texts (directly), sorted."""
    names = {n.parts[0] for node in placed.rule.expressions() for n in node.walk() if isinstance(n, expr.Fact)}
    for key, (_, used) in ruleset.templates.items():
        if key.split(":")[1] == placed.rule.id:
            names |= used
    return sorted(names & ruleset.parameters.keys())


def ratings(ruleset: RuleSet, loaded: LoadedCase, given: dict[str, Given] | None = None) -> dict[str, str]:
    """Only the rating of every rule, by id (what `brocheck check` counts): the conditions, without the
    texts or the record of the facts used."""
    ctx = context(ruleset, loaded)
    ctx.record_used = False
    for placed in ruleset.order:
        fired = _fire(ctx, placed)
        rating = fired.rating if fired is not None else ruleset.unknown_rating
        ctx.ratings[placed.rule.id] = given[placed.rule.id].rating if given and placed.rule.id in given else rating
    return ctx.ratings


def _fire(ctx: expr.Ctx, placed: Placed) -> Outcome | None:
    """The first outcome whose condition holds; None when a condition cannot be decided first."""
    rule = placed.rule
    ctx.track, ctx.local, ctx.local_memo = expr.Tracker(), rule.facts, {}
    for outcome in rule.outcomes:
        when = outcome.when
        verdict = True if when is None else expr._truth(
            (when.compiled if ctx.trace is None else when.ev)(ctx, {}))  # `ev` without its own call
        if verdict is expr.UNKNOWN:
            return None
        if verdict:
            return outcome
    return None


def evaluate(texts: _Texts, placed: Placed) -> Result:
    """One rule against the case: the first outcome whose condition holds fires; a condition that
    cannot be decided stops the search with "Kan ej bedömas" naming what is missing."""
    rule, ctx = placed.rule, texts.ctx
    fired = _fire(ctx, placed)
    missing_at: dict[str, expr.DataPath] = {}
    if fired is None:
        missing_at = dict(sorted(ctx.track.missing.items()))
        missing = tuple(missing_at)
        rating, outcome_id, key = texts.ruleset.unknown_rating, UNKNOWN_OUTCOME, f"unknown:{rule.id}"
    else:
        missing = tuple(fired.missing)
        rating, outcome_id, key = fired.rating, fired.id, f"comment:{rule.id}:{fired.id}"
    comment = texts.render(key, missing=list(missing))
    criterion = texts.render(f"criterion:{rule.id}")
    used = tuple(sorted(ctx.track.used.values(), key=_display)) if ctx.track.used else ()
    advice = recommend(texts, rule.id, fired.id) if fired is not None else ()
    return Result(placed, criterion, rating, comment, outcome_id, used, missing, recommendations=advice,
                  missing_at=missing_at)


class _Texts:
    """Renders the rule set's texts for one case; the case-wide template names are built once."""

    def __init__(self, ruleset: RuleSet, ctx: expr.Ctx) -> None:
        self.ruleset, self.ctx = ruleset, ctx
        self.comments: dict[str, str] = {}
        """The comments of the rules evaluated so far (a roll-up may quote a rule it reads)."""
        case = ctx.case
        parts: dict[str, Organ | Aktor] = {o.id: o for o in case.organ}
        parts.update((a.id, a) for a in case.aktorer)

        def name_of(ident: Any) -> str:
            return parts[ident].namn if ident in parts else str(ident)

        self.fixed = environment().globals
        self.names: dict[str, Any] = {
            **self.fixed,
            "case": case,
            "asof": ctx.asof,
            "rating": lambda ref: [ctx.ratings[r] for r in ref] if isinstance(ref, list) else ctx.ratings[ref],
            "namn": lambda ident: lista(map(name_of, ident)) if isinstance(ident, list) else name_of(ident),
            "organ": parts.get,
            "kommentar": self.comments.__getitem__,
            "missing": [],
        }

    def render(self, key: str, **extra: Any) -> str:
        """The text `key` for the case, its whitespace collapsed (rule texts are written over several lines).
        A text whose names all hold plain values (text, numbers, dates, absent or unknown) says the same
        for the same values: it is rendered once per process for each set of them (`_plain`)."""
        template, names = self.ruleset.templates[key]
        if template.text is not None:  # reads no names: rendered (and collapsed) once per process
            return template.text
        values = {**self.names, **extra}
        for name in names:
            if name not in values:
                value = expr.value_of(name, self.ctx)  # tracked as the rule's own reading of it
                values[name] = _UNKNOWN_TEXT if value is expr.UNKNOWN else _ABSENT_TEXT if value is None else value
        return template.render(values, _plain(template.reads, values, self.fixed))


def _plain(names: frozenset[str], values: dict[str, Any], fixed: dict[str, Any]) -> tuple[Any, ...] | None:
    """The values of `names` as a key of rendered texts, when every one is plain (or a list of text, as
    `missing`) or one of the environment's own globals (`fixed`); else None: the case itself, a body, a
    function that reads the case (`rating`, `namn`, …). Each value with its type: 1, 1.0 and True are equal
    keys but print differently."""
    key: list[Any] = []
    for name in names:
        if name not in values:  # undefined for every case alike
            key.append(name)
            continue
        value = values[name]
        kind = type(value)
        if kind is list and all(type(v) is str for v in value):
            value = tuple(value)
        elif kind not in _PLAIN and not (name in fixed and value is fixed[name]):
            return None
        key += (kind, value)
    return tuple(key)


def _display(use: expr.FactUse) -> str:
    return use.display


class _UnknownText:
    """What an unknown fact looks like to a text template: false, empty, printed as 'okänt'."""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "okänt"

    def __getattr__(self, name: str) -> _UnknownText:
        return self

    def __iter__(self) -> Any:
        return iter(())


_UNKNOWN_TEXT = _UnknownText()


class _AbsentText(_UnknownText):
    """What an absent value (no such body, no such document) looks like to a text template: false,
    empty, printed as 'saknas'; its attributes are absent too, so a text never fails on it."""

    def __str__(self) -> str:
        return "saknas"


_ABSENT_TEXT = _AbsentText()
_PLAIN = (str, int, float, bool, type(None), dt.date, _UnknownText, _AbsentText)
"""The types of values a rendered text can be reused for (`_plain`); `_UnknownText` and `_AbsentText`
have one instance each."""
