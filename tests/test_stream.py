"""Rendering a batch case by case (brocheck.render.Stream) gives the bytes rendering it whole gives."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brocheck.engine import Assessment, assess
from brocheck.loader import LoadedCase, load_case
from brocheck.render import FORMATS, Gate, renderer, streamer
from brocheck.render.escape import _JSON_UNSAFE, json_text, json_value
from brocheck.ruleset import RuleSet
from tests.conftest import load_generate


def _generate() -> ModuleType:
    return load_generate()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, ruleset: RuleSet, boras: LoadedCase) -> list[Assessment]:
    """Borås and five generated cases, in an order that is not the files' sorted order."""
    paths = _generate().write(tmp_path_factory.mktemp("cases"), 5, seed=3)
    loaded = [load_case(p, str(p)) for p in reversed(paths)]
    assert all(isinstance(c, LoadedCase) for c in loaded)
    return [assess(ruleset, c) for c in [boras, *loaded] if isinstance(c, LoadedCase)]


def _streamed(name: str, batch: list[Assessment], gate: Gate | None) -> str | bytes:
    stream = streamer(name, [a.loaded.file for a in batch], gate=gate)
    parts = [stream.add(stream.piece(a, i == 0)) for i, a in enumerate(batch)]
    parts += list(stream.end())
    return b"".join(p for p in parts if isinstance(p, bytes)) or "".join(p for p in parts if isinstance(p, str))


@pytest.mark.parametrize("name", [n for n in FORMATS if n not in ("mermaid", "docx")])
@pytest.mark.parametrize("size", [1, 2, 6])
def test_streamed_output_equals_the_whole_batch_rendered(name: str, size: int, batch: list[Assessment],
                                                         ruleset: RuleSet) -> None:
    gate = Gate.parse(["Inte helt"], ruleset)
    cases = batch[:size]
    assert _streamed(name, cases, gate) == renderer(name, gate)(cases)


def test_mermaid_streams_one_case_and_refuses_several(batch: list[Assessment]) -> None:
    from brocheck.errors import UsageError

    assert _streamed("mermaid", batch[:1], None) == renderer("mermaid")(batch[:1])
    with pytest.raises(UsageError):
        _streamed("mermaid", batch[:2], None)


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough generated cases for `brocheck assess -j 2` to fork two workers."""
    from brocheck.cli.assess import PER_WORKER

    directory = tmp_path_factory.mktemp("batch")
    _generate().write(directory, 2 * PER_WORKER + 3, seed=5)
    return directory


@pytest.mark.parametrize("name", ["json", "text", "sarif", "junit", "github", "overview", "markdown"])
def test_two_jobs_write_the_bytes_one_job_writes(name: str, batch_dir: Path, tmp_path: Path, cli: Any) -> None:
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"{jobs}.out"
        code, out, err = cli("assess", str(batch_dir), "--format", name, "-o", str(target), "-j", jobs,
                             "--fail-on", "Nej")
        assert (code, out, err) == (1, "", "")
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_invalid_case_in_a_streamed_batch_writes_nothing(jobs: str, batch_dir: Path, tmp_path: Path,
                                                            cli: Any) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(batch_dir, cases)
    middle = sorted(cases.glob("*.yaml"))[len(list(cases.glob("*.yaml"))) // 2]
    middle.write_text(middle.read_text(encoding="utf-8").replace("kommun:", "kommun: [", 1), encoding="utf-8")
    kept = tmp_path / "report.json"
    kept.write_text("earlier output\n")
    code, out, err = cli("assess", str(cases), "-f", "json", "-o", str(kept), "-o", f"sarif={tmp_path / 'new.sarif'}",
                         "-j", jobs)
    assert code == 2 and out == ""
    assert str(middle) in err
    assert kept.read_text() == "earlier output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases", "report.json"]


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)))
def test_json_text_is_the_standard_librarys_text(value: Any) -> None:
    """The fast encoder gives json.dumps's text, with the unsafe characters escaped (render.escape)."""
    expected = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, indent=2))
    assert json_text(value) == expected + "\n"
    assert json_value(value, "\n  ") == expected.replace("\n", "\n  ")


def test_two_jobs_in_a_process_of_their_own_say_nothing_more(batch_dir: Path, tmp_path: Path) -> None:
    """The workers end quietly (cli/main.py's signal handlers are not theirs), and the command's output and
    exit code are those of one job."""
    runs = [subprocess.run([sys.executable, "-m", "brocheck", "assess", str(batch_dir), "-f", "sarif", "-j", jobs],
                           capture_output=True, check=False) for jobs in ("1", "2")]
    assert [(r.returncode, r.stderr) for r in runs] == [(0, b""), (0, b"")]
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout
