from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brocheck import yamlsafe
from brocheck.cli.main import main
from brocheck.engine import Assessment, Given, assess
from brocheck.loader import LoadedCase, load_case, validate
from brocheck.ruleset import RuleSet, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
BORAS = ROOT / "cases" / "boras-2025.yaml"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="session")
def boras() -> LoadedCase:
    loaded = load_case(BORAS, "cases/boras-2025.yaml")
    assert isinstance(loaded, LoadedCase), loaded
    return loaded


@pytest.fixture(scope="session")
def boras_data() -> dict[str, Any]:
    data = yamlsafe.load(BORAS).data
    assert isinstance(data, dict)
    return data


def case_from(data: dict[str, Any], name: str = "fixture.yaml") -> LoadedCase:
    loaded = validate(yamlsafe.Document(name, data))
    assert isinstance(loaded, LoadedCase), "\n".join(map(str, loaded))
    return loaded


def assess_data(ruleset: RuleSet, data: dict[str, Any], given: dict[str, str] | None = None) -> Assessment:
    return assess(ruleset, case_from(data), {k: Given(v) for k, v in (given or {}).items()})


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
