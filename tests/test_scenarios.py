"""The scenario corpus (tests/scenarios/*.yaml): whole municipalities and variations of them, each with
the ratings the design brief (rules v2) and Lag (2023:196) give for the rows the scenario is about.

A scenario names a base case (`minimal` = tests/cases/minimal.yaml, `boras` = cases/boras-2025.yaml, or a
fictional municipality in tests/scenarios/cases/<name>.yaml), optional casepatch ops and, per rule id,
the expected rating with one line of reasoning (`why`), and optionally `comment_contains`,
`comment_not_contains` and `missing_contains`. The expectations were written from the brief and the
law, not from brocheck's output: when a test fails, decide with the brief in hand which side is wrong.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from brocheck import yamlsafe
from brocheck.casepatch import apply
from brocheck.engine import Assessment, assess
from brocheck.loader import LoadedCase, load_case, validate
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
CASES = SCENARIOS / "cases"
BASES = {"minimal": HERE / "cases" / "minimal.yaml", "boras": BORAS}
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
CASE_FILES = sorted(CASES.glob("*.yaml"))
SCENARIO_KEYS = {"title", "base", "patch", "expect"}
EXPECT_KEYS = {"rating", "why", "comment_contains", "comment_not_contains", "missing_contains"}


def base_path(name: str) -> Path:
    return BASES.get(name) or CASES / f"{name}.yaml"


@cache
def scenario(name: str) -> dict[str, Any]:
    data = yamlsafe.load(SCENARIOS / f"{name}.yaml", f"tests/scenarios/{name}.yaml").data
    assert isinstance(data, dict), f"{name}: a scenario is a mapping"
    return data


@cache
def _base_data(name: str) -> dict[str, Any]:
    path = base_path(name)
    assert path.is_file(), f"base {name!r}: no such case ({path})"
    data = yamlsafe.load(path).data
    assert isinstance(data, dict)
    return data


def scenario_data(name: str) -> dict[str, Any]:
    spec = scenario(name)
    return apply(_base_data(spec["base"]), spec.get("patch") or [])


def load_scenario(name: str) -> LoadedCase:
    """The scenario's case through the project's validation; invalid input fails with the loader's
    messages (file:line:col for a full municipality, data paths for a patched one)."""
    spec = scenario(name)
    if not spec.get("patch"):
        loaded = load_case(base_path(spec["base"]))
    else:
        loaded = validate(yamlsafe.Document(f"tests/scenarios/{name}.yaml (base {spec['base']}, patched)",
                                            scenario_data(name)))
    if not isinstance(loaded, LoadedCase):
        pytest.fail(f"scenario {name} is not a valid case:\n" + "\n".join(map(str, loaded)), pytrace=False)
    return loaded


_ASSESSED: dict[tuple[int, str], Assessment] = {}


def assessed(ruleset: RuleSet, name: str) -> Assessment:
    key = (id(ruleset), name)
    if key not in _ASSESSED:
        _ASSESSED[key] = assess(ruleset, load_scenario(name))
    return _ASSESSED[key]


def _params() -> list[Any]:
    out = []
    for path in SCENARIO_FILES:
        spec = scenario(path.stem)
        for rule_id, expect in (spec.get("expect") or {}).items():
            out.append(pytest.param(path.stem, rule_id, expect, id=f"{path.stem}:{rule_id}"))
    return out


@pytest.mark.parametrize(("name", "rule_id", "expect"), _params())
def test_scenario(ruleset: RuleSet, name: str, rule_id: str, expect: dict[str, Any]) -> None:
    assessment = assessed(ruleset, name)
    assert rule_id in assessment.results, f"no rule {rule_id!r} (rules: {sorted(assessment.results)})"
    result = assessment.results[rule_id]
    context = (f"\nscenario: {name} — {scenario(name)['title']}\nrule: {rule_id}\n"
               f"why expected: {expect['why']}\nactual rating: {result.rating} (outcome {result.outcome})\n"
               f"actual comment: {result.comment}\nmissing: {list(result.missing)}")
    problems = []
    if result.rating != expect["rating"]:
        problems.append(f"rating {result.rating!r}, expected {expect['rating']!r}")
    problems += [f"comment lacks {n!r}" for n in expect.get("comment_contains", []) if n not in result.comment]
    problems += [f"comment contains {n!r}" for n in expect.get("comment_not_contains", []) if n in result.comment]
    problems += [f"missing facts lack {n!r}" for n in expect.get("missing_contains", [])
                 if not any(n in m for m in result.missing)]
    assert not problems, "; ".join(problems) + context


def test_corpus_is_large_enough_and_well_formed(ruleset: RuleSet) -> None:
    assert len(SCENARIO_FILES) >= 30, f"only {len(SCENARIO_FILES)} scenarios"
    assert len(CASE_FILES) >= 3, f"only {len(CASE_FILES)} full municipalities"
    rule_ids = {p.rule.id for p in ruleset.order}
    for path in SCENARIO_FILES:
        spec = scenario(path.stem)
        assert set(spec) <= SCENARIO_KEYS and {"title", "base", "expect"} <= set(spec), (path, set(spec))
        assert isinstance(spec["title"], str) and "\n" not in spec["title"].strip(), path
        assert spec["expect"], f"{path}: expects nothing"
        for rule_id, expect in spec["expect"].items():
            assert rule_id in rule_ids, f"{path}: unknown rule {rule_id!r}"
            assert set(expect) <= EXPECT_KEYS and {"rating", "why"} <= set(expect), (path, rule_id, expect)
            assert "\n" not in expect["why"].strip(), f"{path}: {rule_id}: `why` is one line"


@pytest.mark.parametrize("path", CASE_FILES + SCENARIO_FILES, ids=lambda p: p.relative_to(SCENARIOS).as_posix())
def test_scenario_is_a_valid_case(path: Path) -> None:
    if path.parent == CASES:
        loaded = load_case(path, f"tests/scenarios/cases/{path.name}")
        if not isinstance(loaded, LoadedCase):
            pytest.fail("\n".join(map(str, loaded)), pytrace=False)
    else:
        load_scenario(path.stem)
