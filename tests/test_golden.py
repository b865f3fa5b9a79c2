"""The Borås case must reproduce the audit report's 41 assessments, and the rendered outputs must
match the committed golden files byte for byte (regenerate: python scripts/regen_golden.py)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from brocheck.engine import Assessment, assess
from brocheck.loader import LoadedCase
from brocheck.ruleset import RuleSet
from scripts.regen_golden import FORMATS, render
from tests.conftest import GOLDEN

EXPECTED = yaml.safe_load((GOLDEN / "boras-2025.expected.yaml").read_text(encoding="utf-8"))


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def assessment(ruleset: RuleSet, boras: LoadedCase) -> Assessment:
    return assess(ruleset, boras)


def _rows() -> list[Any]:
    return [
        pytest.param(table["number"], i, row, id=f"T{table['number']}.{i + 1}")
        for table in EXPECTED["tables"]
        for i, row in enumerate(table["rows"])
    ]


@pytest.mark.parametrize(("number", "index", "want"), _rows())
def test_row_matches_report(assessment: Assessment, number: int, index: int, want: dict[str, Any]) -> None:
    table = next(t for t in assessment.tables if t.number == number)
    got = table.rows[index]
    assert got.rating == want["rating"], got.comment
    assert norm(got.criterion) == norm(want["criterion"])
    assert got.placed.rule.level == want["level"]


def test_tables_have_the_reports_shape_and_titles(assessment: Assessment) -> None:
    assert [t.number for t in assessment.tables] == [t["number"] for t in EXPECTED["tables"]]
    for got, want in zip(assessment.tables, EXPECTED["tables"], strict=True):
        assert len(got.rows) == len(want["rows"])
        assert norm(got.title) == norm(want["title"])
    assert sum(len(t.rows) for t in assessment.tables) + 1 == 41


def test_overall_matches_report(assessment: Assessment) -> None:
    assert assessment.overall.rating == EXPECTED["overall"]["rating"]
    assert assessment.municipality == EXPECTED["municipality"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_rendered_output_is_golden(fmt: str) -> None:
    golden = (GOLDEN / FORMATS[fmt]).read_text(encoding="utf-8")
    assert render(fmt) == golden, "output changed: run scripts/regen_golden.py and review the diff"


def test_comments_are_derived_from_facts(assessment: Assessment) -> None:
    """Spot checks that comments carry the case's own facts, not canned report text."""
    by_id = assessment.results
    assert "293 dagar" in by_id["ks-organisation-beredning"].comment
    assert "Lokalpolisområde Borås" in by_id["samverkansoverenskommelser"].comment
    assert "44 åtgärder" in by_id["atgard-problem"].comment
    assert "17 december 2024" in by_id["kunskap-reviderat"].comment
