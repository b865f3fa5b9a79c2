"""Rule fixtures (tests/rules/<rule-id>.yaml): each case edits the Borås case (or `base:` a case in
tests/cases/), optionally pins the
ratings of rules the rule reads, and expects an outcome. One parametrised test runs them all; a
second test fails when any outcome of any rule (including "Kan ej bedömas") is never reached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from brocheck.engine import UNKNOWN_OUTCOME
from brocheck.ruleset import RuleSet
from tests.casepatch import apply
from tests.conftest import assess_data

FIXTURES = sorted((Path(__file__).parent / "rules").glob("*.yaml"))


def _cases() -> list[Any]:
    out = []
    for path in FIXTURES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            out.append(pytest.param(spec["rule"], case, id=f"{path.stem}:{case['name']}"))
    return out


CASES = _cases()


def _base(name: str | None, boras_data: dict[str, Any]) -> dict[str, Any]:
    if name is None:
        return boras_data
    data = yaml.safe_load((Path(__file__).parent / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(("rule_id", "case"), CASES)
def test_fixture(ruleset: RuleSet, boras_data: dict[str, Any], rule_id: str, case: dict[str, Any]) -> None:
    data = apply(_base(case.get("base"), boras_data), case.get("patch", []))
    assessment = assess_data(ruleset, data, case.get("ratings"))
    result = assessment.results[rule_id]
    expect = case["expect"]
    assert (result.outcome, result.rating) == (expect["outcome"], expect["rating"]), result.comment
    for needle in expect.get("comment_contains", []):
        assert needle in result.comment
    for needle in expect.get("comment_not_contains", []):
        assert needle not in result.comment
    for needle in expect.get("missing_contains", []):
        assert any(needle in m for m in result.missing), result.missing


def test_fixture_files_name_their_rule(ruleset: RuleSet) -> None:
    ids = {p.rule.id for p in ruleset.placed}
    for path in FIXTURES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec["rule"] == path.stem and spec["rule"] in ids, path


def test_every_outcome_is_reached(ruleset: RuleSet) -> None:
    reached = {(c.values[0], c.values[1]["expect"]["outcome"]) for c in CASES}
    wanted = {(p.rule.id, o.id) for p in ruleset.placed for o in p.rule.outcomes}
    wanted |= {(p.rule.id, UNKNOWN_OUTCOME) for p in ruleset.placed}
    missing = sorted(wanted - reached)
    assert not missing, f"{len(missing)} outcomes no fixture reaches: {missing}"
