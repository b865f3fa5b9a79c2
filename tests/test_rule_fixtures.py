"""Rule fixtures (tests/rules/<rule-id>.yaml), run by the same code as `brocheck rules test`: each case
edits the Borås case (or `base:` a case in tests/cases/), optionally pins the ratings of rules the rule
reads, and expects an outcome. One parametrised test runs them all; another fails when any outcome of any
rule (including "Kan ej bedömas") is never reached by a passing fixture."""

from __future__ import annotations

from typing import Any

import pytest

from brocheck import ruletest
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, ROOT

SUITE = ruletest.load(ROOT / "tests" / "rules")
BASES = ruletest.Bases(ROOT / "tests" / "cases", BORAS)


def test_fixture_files_are_valid(ruleset: RuleSet) -> None:
    found = ruletest.problems(SUITE, ruleset, BASES)
    assert not found, "\n".join(map(str, found))


@pytest.fixture(scope="module")
def results(ruleset: RuleSet) -> tuple[list[ruletest.Outcome], ruletest.Coverage]:
    """All fixtures run once, as `brocheck rules test` runs them."""
    return ruletest.run(ruleset, SUITE, BASES)


@pytest.mark.parametrize("index", range(len(SUITE.fixtures)), ids=[f.id for f in SUITE.fixtures])
def test_fixture(results: tuple[list[ruletest.Outcome], ruletest.Coverage], index: int) -> None:
    outcome = results[0][index]
    assert outcome.fixture is SUITE.fixtures[index]
    assert outcome.status == "ok", str(outcome.where)


def test_every_outcome_is_reached(results: tuple[list[ruletest.Outcome], ruletest.Coverage]) -> None:
    cover = results[1]
    assert not cover.missed, f"{len(cover.missed)} outcomes no passing fixture reaches: {cover.missed}"
    assert cover.percent == 100.0


def test_a_fixture_expecting_another_outcome_fails(ruleset: RuleSet, tmp_path: Any) -> None:
    (tmp_path / "lagesbild.yaml").write_text(
        "rule: lagesbild\ncases:\n  - name: wrong\n    expect: {outcome: saknas, rating: Nej}\n", encoding="utf-8")
    suite = ruletest.load(tmp_path)
    [outcome] = ruletest.run(ruleset, suite, BASES)[0]
    assert outcome.status == "fail" and "väntade utfallet saknas (Nej), fick komplett-beslutad-av-namnd" \
        in outcome.message
    assert str(outcome.where).startswith(f"{tmp_path / 'lagesbild.yaml'}:3:")
