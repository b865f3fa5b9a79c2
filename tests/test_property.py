"""Property tests: whatever the input, `check` exits 0 or 2 and every error line is `file[:line:col]: ...`.

Inputs are the Borås case's data with random structural mutations, the Borås text with random
character edits, and random bytes and text. A crash would show as exit 3 ("internt fel"), a
traceback, or an error line that does not name the file.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from brocheck.cli.main import main

from .conftest import BORAS

TEXT = BORAS.read_text(encoding="utf-8")

def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _run_check(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path)])
    return code, out.getvalue(), err.getvalue()


def _assert_well_behaved(path: Path) -> int:
    code, out, err = _run_check(path)
    assert code in (0, 2), f"exit {code}: {err}"
    if code == 0:
        assert err == "" and re.fullmatch(rf"{re.escape(str(path))}: OK( – \d+ av \d+ rader kan ej bedömas; .+)?\n",
                                          out), out
    else:
        assert out == ""
        lines = err.splitlines()
        assert lines, "exit 2 without a message"
        pattern = re.compile(rf"^{re.escape(str(path))}(:\d+:\d+)?: .+")
        for line in lines:
            assert pattern.match(line), f"not `file:line:col: message`: {line!r}"
    return code


# --- mutations of the case data -----------------------------------------------------------------

Path_ = tuple[Any, ...]


def _paths(node: Any, path: Path_ = ()) -> list[Path_]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["", "ks", "fon", "true", "yes", "2025-13-01", "0123", "~", "<<"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
KEYS = st.one_of(st.text(max_size=12), st.sampled_from(["namm", "id", "typ", "kallor", "<<", "organ"]))


@st.composite
def mutated_case(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent, last = _get(data, path[:-1]), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "duplicate", "rename"]))
        if op == "delete":
            del parent[last]
        elif op == "replace":
            parent[last] = draw(VALUES)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif op == "rename" and isinstance(parent, dict):
            new = draw(KEYS)
            parent[new] = parent.pop(last)
    return data


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


@given(data=st.data())
@_settings(150)
def test_mutated_case_data(tmp_path: Path, boras_data: dict[str, Any], data: st.DataObject) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(_dump(data.draw(mutated_case(boras_data))), encoding="utf-8")
    event(f"exit {_assert_well_behaved(path)}")


def test_unmutated_dump_is_valid(tmp_path: Path, boras_data: dict[str, Any]) -> None:
    """The mutation test's base: the Borås data, dumped again, passes."""
    path = tmp_path / "case.yaml"
    path.write_text(_dump(boras_data), encoding="utf-8")
    assert _assert_well_behaved(path) == 0


# --- edits of the case text ---------------------------------------------------------------------

YAML_CHARS = st.sampled_from([*" \t\n:-[]{},#&*!|>'\"%@`?\\", "<<: *x", "&x ", "---\n", "\x00", "\x07", "ä",
                              "\u2028", "\r\n", "  ", "- "])


@given(edits=st.lists(st.tuples(st.integers(0, len(TEXT)), st.integers(0, 3), YAML_CHARS), min_size=1,
                      max_size=3))
@_settings(150)
def test_edited_case_text(tmp_path: Path, edits: list[tuple[int, int, str]]) -> None:
    text = TEXT
    for at, delete, insert in edits:
        text = text[:at] + insert + text[at + delete:]
    path = tmp_path / "case.yaml"
    path.write_bytes(text.encode("utf-8"))
    event(f"exit {_assert_well_behaved(path)}")


# --- arbitrary files ----------------------------------------------------------------------------


@given(content=st.binary(max_size=300))
@_settings(100)
def test_random_bytes(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    assert _assert_well_behaved(path) == 2


@given(content=st.text(max_size=300))
@_settings(100)
def test_random_text(tmp_path: Path, content: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(content, encoding="utf-8", newline="")
    assert _assert_well_behaved(path) == 2


@given(content=st.lists(st.sampled_from([*"ab1 :-[]{},#&*!|>'\"\n\t", "kommun", "<<", "~", "  "]),
                        max_size=60).map("".join))
@_settings(100)
def test_random_yaml_like_text(tmp_path: Path, content: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(content, encoding="utf-8", newline="")
    assert _assert_well_behaved(path) == 2
