from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
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

# The rule-set cache (brocheck.rulecache) of this test session, in and out of process: never the user's.
CACHE_HOME = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="brocheck-tests-")


@pytest.fixture(scope="session", autouse=True)
def _cache_home() -> Iterator[None]:
    yield
    shutil.rmtree(CACHE_HOME, ignore_errors=True)


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


def load_generate() -> ModuleType:
    """The benchmark's case generator (benchmarks/generate.py), imported once per process."""
    name = "bench_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def assess_across_hash_seeds(fmt: str) -> list[bytes]:
    """`brocheck assess` of Borås in `fmt` to standard out, in two processes with different string hash
    seeds: what a deterministic output must give byte for byte."""
    runs = (subprocess.run([sys.executable, "-m", "brocheck", "assess", str(BORAS), "--format", fmt],
                           capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
            for seed in ("1", "2"))
    return [run.stdout for run in runs]
