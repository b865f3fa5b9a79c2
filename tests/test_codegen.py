"""The Python the rule set is compiled to (brocheck.expr.codegen) against the operators' closures, which
explain's tracing runs (brocheck.expr.nodes): the two must agree on every value and on what they record
(the facts used, the facts missing), or `assess` and `explain` would tell an auditor different things.

- Every case the tests have (Borås, tests/cases, every scenario, every rule fixture's edited case) is
  assessed both ways: ratings, outcomes, comments, missing facts and facts used are the same.
- Every operator, over known, absent and unknown inputs, gives the same value and records the same both ways.
- The generated module can name only what `codegen.NAMESPACE` gives it.
"""

from __future__ import annotations

import datetime as dt
import dis
import re
import types
from typing import Any

import pytest

from brocheck import casepatch, engine, expr, ruletest, yamlsafe
from brocheck.engine import Assessment, Given, assess
from brocheck.expr import codegen
from brocheck.expr.language import OPERATORS
from brocheck.loader import LoadedCase, validate
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, ROOT, case_from
from tests.test_scenarios import CASE_FILES, SCENARIO_FILES, load_scenario

SUITE = ruletest.load(ROOT / "tests" / "rules")
BASES = ruletest.Bases(ROOT / "tests" / "cases", BORAS)


def _traced(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the engine evaluates with the tracing closures (as explain does), not generated code."""
    plain = engine.context

    def tracing(ruleset: RuleSet, loaded: LoadedCase) -> expr.Ctx:
        ctx = plain(ruleset, loaded)
        ctx.trace = []
        return ctx

    monkeypatch.setattr(engine, "context", tracing)


def _summary(assessment: Assessment) -> list[Any]:
    return [(r.id, r.rating, r.outcome, r.comment, r.missing, r.missing_at, r.used,
             [(a.to, a.text) for a in r.recommendations]) for r in assessment.results.values()]


def _cases() -> list[tuple[str, LoadedCase, dict[str, Given]]]:
    out: list[tuple[str, LoadedCase, dict[str, Given]]] = []
    for path in [BORAS, *CASE_FILES]:
        loaded = validate(yamlsafe.load(path))
        assert isinstance(loaded, LoadedCase)
        out.append((path.name, loaded, {}))
    out += [(f"scenario {p.stem}", load_scenario(p.stem), {}) for p in SCENARIO_FILES]
    for fixture in SUITE.fixtures:
        base = BASES.find(fixture.spec.base)
        assert not isinstance(base, str)
        data = BASES.data(base)
        assert isinstance(data, dict)
        edited = casepatch.apply(data, [e.model_dump(exclude_unset=True) for e in fixture.spec.patch])
        loaded = validate(yamlsafe.Document(fixture.id, edited))
        if isinstance(loaded, LoadedCase):
            out.append((f"fixture {fixture.id}", loaded, {k: Given(v) for k, v in fixture.spec.ratings.items()}))
    return out


def test_generated_code_and_closures_assess_every_case_alike(ruleset: RuleSet,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _cases()
    assert len(cases) > 300
    plain = [_summary(assess(ruleset, loaded, given)) for _, loaded, given in cases]
    _traced(monkeypatch)
    traced = [_summary(assess(ruleset, loaded, given)) for _, loaded, given in cases]
    for (name, _, _), a, b in zip(cases, plain, traced, strict=True):
        assert a == b, name


# --- every operator, over known, absent and unknown inputs -----------------------------------------

CASE = {
    "kommun": {"namn": "Exempel", "kod": "0001"},
    "granskning": {"datum": dt.date(2025, 3, 1), "granskade_organ": ["ks"]},
    "organ": [
        {"id": "kf", "typ": "kommunfullmaktige", "namn": "Kommunfullmäktige"},
        {"id": "ks", "typ": "kommunstyrelse", "namn": "Kommunstyrelsen"},
        {"id": "n1", "typ": "namnd", "namn": "Nämnd ett"},
    ],
}
"""A small valid case: `$beslut` (left out) and `$kommun.genitiv` are unknown, `$organ` and `$kommun.namn` known."""

VALUES = ["$organ", "$asof", "$beslut", "$kommun.genitiv", "$kommun.namn", None, [], "x", 1, True,
          dt.date(2024, 2, 29), ["a", "b"]]
"""Operands: known, absent, unknown (a case key left out), literals and lists."""


def _expressions() -> list[Any]:
    iterated = {"in": "$organ", "where": {"eq": ["$item.typ", "namnd"]}}
    out: list[Any] = [
        {"all": [{"eq": ["$kommun.namn", "Exempel"]}, {"exists": "$beslut"}]},
        {"any": [{"exists": "$beslut"}, {"eq": ["$kommun.namn", "Exempel"]}]},
        {"any": [{"exists": "$beslut"}, False]},
        {"all": [None, {"exists": "$beslut"}]},
        {"exists": "$beslut"},
        {"exists": []},
        {"exists": "$organ"},
        {"not": {"exists": "$beslut"}},
        {"not": {"eq": ["$kommun.namn", "Exempel"]}},
        {"known": "$kommun.genitiv"},
        {"known": "$kommun.namn"},
        {"coalesce": ["$beslut", "$kommun.namn"]},
        {"coalesce": [None, [], "$kommun.namn"]},
        {"rating": "r1"},
        {"rating": "r2"},
        {"count": iterated},
        {"filter": iterated},
        {"one": iterated},
        {"one": {"in": "$organ", "where": {"ne": ["$item.typ", "namnd"]}}},
        {"one": {"in": "$organ", "where": {"exists": "$beslut"}}},
        {"latest": {"in": "$organ", "by": "$asof"}},
        {"some": iterated},
        {"some": {"in": "$organ", "where": {"exists": "$beslut"}}},
        {"every": iterated},
        {"every": {"in": "$organ", "as": "o", "where": {"exists": "$o.namn"}}},
        {"map": {"in": "$organ", "as": "o", "select": "$o.id"}},
        {"map": {"in": "$organ", "select": "$beslut"}},
        {"count": {"in": "$beslut"}},
        {"unique": {"map": {"in": "$organ", "select": "$item.typ"}}},
        {"flatten": [["a"], ["b", "c"], []]},
        {"flatten": {"map": {"in": "$organ", "select": ["$item.id"]}}},
        {"min": [dt.date(2024, 1, 1), None, dt.date(2023, 5, 1)]},
        {"max": {"map": {"in": "$organ", "select": "$item.id"}}},
        {"max": ["$beslut", 1]},
        {"lt": [1, float("inf")]},
        {"ge": [float("-inf"), "$asof"]},
    ]
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        out += [{op: [a, b]} for a, b in [("$kommun.namn", "Exempel"), ("$asof", dt.date(2025, 3, 1)),
                                           ("$beslut", 1), (None, 1), (1, None), (2, 1)]]
    out += [{"member": [a, b]} for a, b in [("x", ["a", "x"]), ("$kommun.namn", ["a", "$beslut"]),
                                             ("x", None), ("$beslut", ["x"])]]
    out += [{"overlaps": [a, b]} for a, b in [(["a"], ["a", "b"]), (["a", "$beslut"], ["b"]), ([], ["a"])]]
    for op in ("add_years", "add_months", "add_days"):
        out += [{op: [d, n]} for d, n in [(dt.date(2024, 2, 29), 1), (dt.date(2024, 1, 31), -13), (None, 1),
                                          ("$kommun.genitiv", 1)]]
    out += [{"days": [a, b]} for a, b in [("$asof", dt.date(2025, 12, 24)), (None, "$asof"),
                                          ("$kommun.genitiv", "$asof")]]
    return out


def test_every_operator_is_exercised() -> None:
    seen = {next(iter(e)) for e in _expressions()}
    assert seen == set(OPERATORS)


def _evaluate(node: expr.Node, loaded: LoadedCase, trace: bool) -> tuple[Any, Any, Any]:
    ctx = expr.Ctx(loaded.case, loaded.case.granskning.datum, {}, ratings={"r1": "Ja", "r2": "Kan ej bedömas"},
                   paths={})
    from brocheck import timeline

    ctx.case, ctx.paths = timeline.as_of(loaded.case)
    ctx.trace = [] if trace else None
    try:
        value: Any = node.ev(ctx, {})
    except Exception as err:  # the two must fail alike too
        value = ("error", type(err).__name__)
    return value, dict(ctx.track.missing), dict(ctx.track.used)


@pytest.mark.parametrize("source", _expressions() + [{"member": [v, ["x", "$beslut"]]} for v in VALUES],
                         ids=repr)
def test_an_operator_gives_the_same_both_ways(source: Any) -> None:
    node = expr.OPERATORS[next(iter(source))].model_validate(source)
    loaded = case_from(CASE)
    generated = _evaluate(node, loaded, trace=False)
    traced = _evaluate(node, loaded, trace=True)
    assert generated == traced


def test_generated_code_names_only_its_namespace(ruleset: RuleSet) -> None:
    """Every name the shipped rule set's generated module reads is in its namespace or one it defines itself
    (`_fN` functions, `_kN` constants, `E`)."""
    code = codegen.compile_module([codegen.tree(e) for e in ruleset.expressions()])
    codes = [code, *(c for c in code.co_consts if isinstance(c, types.CodeType))]
    names = {i.argval for c in codes for i in dis.get_instructions(c) if i.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    own = {n for n in names if re.fullmatch(r"_[fk][0-9]+", n)}
    assert names - own - {"E"} <= set(codegen.NAMESPACE)
    assert names - own - {"E"}  # the module reads the runtime at all
    with pytest.raises(NameError):
        codegen.load(compile("open('x')\nE = ()", codegen.FILENAME, "exec"))


def test_a_rule_set_from_the_cache_assesses_and_explains_as_the_built_one(ruleset: RuleSet,
                                                                          boras: LoadedCase) -> None:
    """From the cache every expression is a stand-in (codegen.Compiled) running the stored code; explain's
    tracing and everything else that reads an expression's tree decode it then."""
    import marshal

    from brocheck import rulecache
    from brocheck.explain import explain

    cached = rulecache.unpack(marshal.loads(marshal.dumps(rulecache.pack(ruleset))))
    assert all(isinstance(e, codegen.Compiled) for e in cached.expressions())
    assert _summary(assess(cached, boras)) == _summary(assess(ruleset, boras))
    assert all(e._node is None for e in cached.expressions())  # assessing decoded no tree
    for placed in ruleset.placed:
        assert explain(cached, boras, placed.ref) == explain(ruleset, boras, placed.ref), placed.ref


def test_a_text_reused_for_the_same_values_is_the_text_rendered_anew(ruleset: RuleSet,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """brocheck.engine renders a text once per set of plain values it reads (ruleset.Text.rendered): over
    every case, the texts are those rendered for each case anew. (A text reading another rule's rating
    through `rating(...)` reads the case: it is never reused.)"""
    from brocheck import ruleset as ruleset_module

    cases = _cases()
    reused = [_summary(assess(ruleset, loaded, given)) for _, loaded, given in cases]
    assert sum(len(text.rendered) for text, _ in ruleset.templates.values()) > 50
    monkeypatch.setattr(ruleset_module, "RENDERED", 0)
    for text, _ in ruleset.templates.values():
        monkeypatch.setattr(text, "rendered", {})
    fresh = [_summary(assess(ruleset, loaded, given)) for _, loaded, given in cases]
    for (name, _, _), a, b in zip(cases, reused, fresh, strict=True):
        assert a == b, name


def test_only_plain_values_key_a_reused_text() -> None:
    from brocheck.engine import _ABSENT_TEXT, _plain

    fixed = {"range": range}
    assert _plain(frozenset({"n"}), {"n": 1}, fixed) != _plain(frozenset({"n"}), {"n": True}, fixed)
    assert _plain(frozenset({"n"}), {"n": 1}, fixed) != _plain(frozenset({"n"}), {"n": 1.0}, fixed)
    assert _plain(frozenset({"m", "range"}), {"m": ["a"], "range": range}, fixed) is not None
    assert _plain(frozenset({"n"}), {"n": _ABSENT_TEXT}, fixed) is not None
    for other in (lambda: 1, ["a", 1], {"a": 1}, case_from(CASE).case.organ[0]):
        assert _plain(frozenset({"n"}), {"n": other}, fixed) is None, other
    assert _plain(frozenset({"range"}), {"range": lambda: 1}, fixed) is None
