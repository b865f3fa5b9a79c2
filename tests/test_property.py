"""Property tests: whatever the input, `check` exits 0 or 2 and every error line is `file[:line:col]: ...`;
`assess` exits 0, 1 or 2 and writes only well-formed outputs.

Inputs are the Borås case's data with random structural mutations, the Borås text with random
character edits, random bytes and text, hostile values (markup, control characters, newlines, Markdown,
workflow commands) in every string field, and dates at the edges. A crash would show as exit 3
("internt fel"), a traceback, or an error line that does not name the file.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from brocheck.cli.main import main
from brocheck.render.escape import workflow_property

from .conftest import BORAS

TEXT = BORAS.read_text(encoding="utf-8")

def _settings(examples: int) -> settings:
    """Bounded and repeatable: `examples` inputs, the same ones every run, no time limit per input (the CI
    machine is shared), and no explain phase (it re-runs a failure hundreds of times)."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
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


# --- hostile values and edge dates through every output format ------------------------------------
#
# Values that are valid input but hostile output: rich markup, terminal escape sequences, bidirectional
# overrides, Markdown, HTML, GitHub workflow commands after a newline; and dates at the edges of what a
# date can be. Whatever they are, `assess` exits 0, 1 or 2, and every output it writes is well formed.

MARKUP = ["[/]", "[bold]", "[link=https://ond.example]x[/link]", ":smile:", "[red]röd[/red]"]
CONTROL = ["\x1b[31m", "\x1b[2J", "\x1b]0;titel\x07", "\x9b2J", "\x85", "\u202e", "\u2066", "\u2028", "\x7f",
           "\x08", "\r", "\t", "\x00"]
MARKDOWN = ["\n# Rubrik\n", "\n::add-mask::hemligt\n", "\r\n::error::falskt", "|", "\\|", "<script>", "`", "*",
            "_", "[länk](https://ond.example)", "&amp;", "\n- lista\n", "\n| x | y |\n", "%0A", "%", ":", ","]
HOSTILE = st.lists(st.one_of(st.sampled_from(MARKUP + CONTROL + MARKDOWN), st.text(max_size=8)), min_size=1,
                   max_size=4).map("".join)
EDGE_DATES = [dt.date.min, dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2023, 6, 30), dt.date(2023, 7, 1),
              dt.date(2024, 2, 29), dt.date(2099, 12, 31), dt.date(2100, 1, 1), dt.date.max]
OUTPUTS = ("markdown", "json", "sarif", "junit", "overview", "text", "mermaid", "docx")  # and github on stdout
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
INJECTED = ("# Rubrik", "::add-mask::", "::error::", "- lista", "| x | y |")
"""How the hostile values would start a line if a newline in them reached the output."""


def _with_judgements(base: dict[str, Any]) -> dict[str, Any]:
    """Borås with a manual judgement in force and a lapsed one, so that motivations are printed."""
    data = copy.deepcopy(base)
    asof = data["granskning"]["datum"]
    judged = {"regel": "T1.1", "bedomning": "Nej", "motivering": "Motivering.", "av": "Revisor", "datum": asof}
    data["bedomningar"] = [judged, {**judged, "regel": "T1.2", "datum": asof.replace(year=asof.year - 2),
                                    "upphor": asof.replace(year=asof.year - 1)}]
    return data


def _leaves(data: Any, kind: type) -> list[Path_]:
    return [p for p in _paths(data) if p and isinstance(_get(data, p), kind) and not isinstance(_get(data, p), bool)]


def _free_text(data: dict[str, Any]) -> list[Path_]:
    """String values that are prose (names, titles, motivations …), not ids, enumerations or names of the
    rule set's rules and ratings: those under a key whose values somewhere in the case hold a space or a
    capital letter, but for a judgement's `regel` and `bedomning`."""
    def key(path: Path_) -> Any:
        return next((k for k in reversed(path) if isinstance(k, str)), None)

    strings = _leaves(data, str)
    prose = {key(p) for p in strings if " " in _get(data, p) or _get(data, p) != _get(data, p).lower()}
    prose -= {"regel", "bedomning"}
    return [p for p in strings if key(p) in prose]


def _set(data: dict[str, Any], path: Path_, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def _assert_markdown(text: str, title: str) -> None:
    """One title (ending in `title`), no line begun by a value, and intact table rows."""
    assert not UNSAFE.search(text)
    lines = text.splitlines()
    titles = [ln for ln in lines if ln.startswith("# ")]
    assert len(titles) == 1 and titles[0].endswith(title), titles
    assert not [ln for ln in lines if ln.lstrip().startswith(INJECTED)]
    header = 0
    for line in lines:  # every row of a table has as many cells as the table's header
        if line.startswith("|"):
            header = header or _cells(line)
            assert _cells(line) == header, line
        else:
            header = 0


def _assert_outputs(out: dict[str, str], github: str, data: dict[str, Any], name: str) -> None:
    _assert_markdown(out["markdown"], ": granskning av det brottsförebyggande arbetet")
    _assert_markdown(out["overview"], "enligt Lag (2023:196)")
    assert json.loads(out["json"])["municipality"] == data["kommun"]["namn"]  # the value, unchanged
    assert not re.search("[\x7f-\x9f\u202a-\u202e\u2028\u2029]", out["json"] + out["sarif"])
    assert json.loads(out["sarif"])["runs"][0]["results"]
    assert ET.fromstring(out["junit"]).findall(".//testcase")
    assert not UNSAFE.search(SGR.sub("", out["text"]).replace("\n", ""))
    lines = github.split("\n")
    assert lines.pop() == "" and lines
    for line in lines:  # each line one workflow command, and nothing a log could act on
        assert re.fullmatch(r"::(error|warning|notice) file=[^,:]*,line=\d+,col=\d+,title=[^,:]*::.*", line), line
        assert not UNSAFE.search(line)
    assert f"file={workflow_property(name)}," in lines[0]
    assert not UNSAFE.search(out["mermaid"]) and not [ln for ln in out["mermaid"].splitlines()
                                                      if ln.lstrip().startswith(INJECTED)]
    with zipfile.ZipFile(out["docx"]) as word:  # Word: a zip whose document parses as XML
        ET.fromstring(word.read("word/document.xml"))


def _run_assess(path: Path, data: dict[str, Any]) -> int:
    """`assess` with every format (github on standard out) into a fresh directory; checks and returns the
    exit code."""
    folder = Path(tempfile.mkdtemp(dir=path.parent))
    files = {name: folder / f"ut.{name}" for name in OUTPUTS}
    args = ["assess", str(path), "--format", "github", "--fail-on", "Nej",
            *[a for name, target in files.items() for a in ("--output", f"{name}={target}")]]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert code in (0, 1, 2), f"exit {code}: {err.getvalue()}"
    if code == 2:
        assert out.getvalue() == "" and list(folder.iterdir()) == [], "exit 2 wrote output"
        lines = err.getvalue().splitlines()
        assert lines and all(re.match(rf"{re.escape(str(path))}(:\d+:\d+)?: .", ln) for ln in lines), lines
        assert not UNSAFE.search(err.getvalue().replace("\n", ""))
    else:
        texts = {n: p.read_text(encoding="utf-8") for n, p in files.items() if n != "docx"}
        _assert_outputs({**texts, "docx": str(files["docx"])}, out.getvalue(), data, str(path))
    return code


@given(data=st.data())
@_settings(25)
def test_hostile_values_in_every_format(tmp_path: Path, boras_data: dict[str, Any], data: st.DataObject) -> None:
    case = _with_judgements(boras_data)
    prose = _free_text(case)
    if data.draw(st.booleans(), "every prose value"):
        hostile = data.draw(HOSTILE, "value")
        for p in prose:
            _set(case, p, f"{_get(case, p)}{hostile}")
    for p in data.draw(st.lists(st.sampled_from(prose), min_size=1, max_size=5), "prose values"):
        _set(case, p, data.draw(st.sampled_from(["{}{}", "{1}", "{1}{0}"]), "where").format(_get(case, p),
                                                                                       data.draw(HOSTILE)))
    if data.draw(st.booleans(), "any string (may be invalid)"):
        p = data.draw(st.sampled_from(_leaves(case, str)))
        _set(case, p, data.draw(HOSTILE))
    path = tmp_path / "case.yaml"
    path.write_text(_dump(case), encoding="utf-8")
    event(f"exit {_run_assess(path, case)}")


@given(data=st.data())
@_settings(15)
def test_edge_dates(tmp_path: Path, boras_data: dict[str, Any], data: st.DataObject) -> None:
    case = _with_judgements(boras_data)
    for p in data.draw(st.lists(st.sampled_from(_leaves(case, dt.date)), min_size=1, max_size=3), "dates"):
        _set(case, p, data.draw(st.sampled_from(EDGE_DATES)))
    path = tmp_path / "case.yaml"
    path.write_text(_dump(case), encoding="utf-8")
    event(f"exit {_run_assess(path, case)}")
