"""`assess(..., facts=False)` skips only the record of the facts each rating used; the generated code and
the tracing closures (explain) give the same values (more of that in test_codegen.py)."""

from __future__ import annotations

import dataclasses

from brocheck.engine import assess, context
from brocheck.expr import codegen
from brocheck.loader import LoadedCase
from brocheck.manual import judgements
from brocheck.ruleset import RuleSet


def test_without_facts_only_the_used_facts_are_left_out(ruleset: RuleSet, boras: LoadedCase) -> None:
    full = assess(ruleset, boras, judgements(boras))
    lean = assess(ruleset, boras, judgements(boras), facts=False)
    assert any(r.used for r in full.rows())
    assert not any(r.used for r in lean.rows())
    for a, b in zip(full.rows(), lean.rows(), strict=True):
        assert dataclasses.replace(a, used=()) == b


def test_traced_and_untraced_closures_agree(ruleset: RuleSet, boras: LoadedCase) -> None:
    for placed in ruleset.order:
        for node in placed.rule.expressions():
            plain, traced = context(ruleset, boras), context(ruleset, boras)
            traced.trace = []
            for ctx in (plain, traced):
                ctx.ratings.update({p.rule.id: ruleset.unknown_rating for p in ruleset.placed})
                ctx.local = placed.rule.facts
            assert node.ev(plain, {}) == node.ev(traced, {})
            assert plain.track == traced.track
            assert traced.trace and traced.trace[0][1] is codegen.tree(node)
