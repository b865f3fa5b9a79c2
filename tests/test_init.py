"""`brocheck init`: a valid skeleton with every section, that records no facts and never overwrites."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator
from pydantic import BaseModel

from brocheck import yamlsafe
from brocheck.resources import data_dir
from brocheck.schema import Case
from tests.conftest import ROOT
from tests.test_schema_file import SCHEMA, _as_json

Cli = typing.Callable[..., tuple[int, str, str]]


def _init(cli: Cli, path: Path, *options: str) -> str:
    code, out, err = cli("init", str(path), *options)
    assert (code, err) == (0, ""), err
    assert str(path) in out
    return path.read_text(encoding="utf-8")


def _fields(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    """Every field name of `model` and the models inside it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    out = set()
    for name, info in model.model_fields.items():
        out.add(name)
        for arg in _types(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out |= _fields(arg, seen)
    return out


def _types(annotation: Any) -> list[Any]:
    return [annotation, *(t for a in typing.get_args(annotation) for t in _types(a))]


def test_skeleton_is_valid_and_complete(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    text = _init(cli, path, "--kommun", "Exempelby kommun", "--kod", "9999", "--datum", "2025-06-30")
    assert cli("check", str(path))[0] == 0
    data = yamlsafe.load(path).data
    assert data["kommun"] == {"namn": "Exempelby kommun", "kod": "9999"}
    assert str(data["granskning"]["datum"]) == "2025-06-30"
    Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(_as_json(data))
    missing = sorted(name for name in _fields(Case) if not re.search(rf"^\s*(# )?\s*(- )?{name}:", text, re.M))
    assert not missing, f"the skeleton does not mention these fields: {missing}"


def test_skeleton_points_editors_at_the_schema(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "ny.yaml"
    first = _init(cli, path).splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("=", 1)[1]).resolve()
    # The schema brocheck ships (the repository's in an editable install, the installed copy otherwise).
    assert target == (data_dir("schema") / "case.schema.json").resolve()
    assert target.read_bytes() == (ROOT / "schema" / "case.schema.json").read_bytes()


def _values(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return [v for x in node.values() for v in [x, *_values(x)]]
    if isinstance(node, list):
        return [v for x in node for v in [x, *_values(x)]]
    return []


def test_skeleton_records_no_none(cli: Cli, tmp_path: Path) -> None:
    """An empty list or `false` would be an observation ("none"); a skeleton has observed nothing."""
    path = tmp_path / "ny.yaml"
    _init(cli, path, "--kommun", "Exempelby kommun", "--kod", "9999")
    data = yamlsafe.load(path).data
    assert not [v for v in _values(data) if v == [] or v is False]
    assert set(data) == {"kommun", "granskning", "organ"}


def test_without_options_the_placeholders_are_visible(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    code, out, _ = cli("init", str(path))
    assert code == 0 and "platshållare" in out
    assert cli("check", str(path))[0] == 0
    assert yamlsafe.load(path).data["kommun"]["namn"] == "ANGE KOMMUNENS NAMN"


def test_a_name_with_yaml_syntax_is_written_safely(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    name = 'Kommun: "x" # [a, b] {c}'
    _init(cli, path, "--kommun", name, "--kod", "0123")
    assert cli("check", str(path))[0] == 0
    assert yamlsafe.load(path).data["kommun"]["namn"] == name


@pytest.mark.parametrize("brk", ["\n", "\r", "\x85", "\u2028", "\u2029"])
def test_a_line_break_in_the_name_or_file_name_adds_no_key(brk: str) -> None:
    """The name and the file name also stand in comments: a line break there must not start a key."""
    import datetime as dt

    from brocheck.cli.init import skeleton

    text = skeleton(Path(f"ny{brk}kallor: 5.yaml"), f"Exempelby{brk}granskning: x", "0123", dt.date(2025, 3, 1))
    data = yaml.safe_load(text)
    assert sorted(data) == ["granskning", "kommun", "organ"]
    assert data["kommun"]["namn"] == f"Exempelby{brk}granskning: x"


def test_never_overwrites(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    path.write_text("kommun: {}\n", encoding="utf-8")
    code, out, err = cli("init", str(path))
    assert code == 2 and out == "" and "finns redan" in err and err.startswith(f"{path}: ")
    assert path.read_text(encoding="utf-8") == "kommun: {}\n"


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--kod", "123", "ogiltig kommunkod"), ("--datum", "2025-13-01", "ogiltigt datum"),
    ("--kommun", " ", "får inte vara tomt"),
])
def test_bad_options_exit_2_and_write_nothing(cli: Cli, tmp_path: Path, option: str, value: str,
                                              message: str) -> None:
    path = tmp_path / "ny.yaml"
    code, _, err = cli("init", str(path), option, value)
    assert code == 2 and message in err and err.startswith(f"{option}: ")
    assert not path.exists()


def test_completeness_explains_every_row_of_a_skeleton(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    _init(cli, path, "--kommun", "Exempelby kommun", "--kod", "9999")
    code, out, _ = cli("assess", str(path), "--format", "json")
    data = json.loads(out)
    unknown = [r["ref"] for t in data["tables"] for r in t["rows"] if r["rating"] == "Kan ej bedömas"]
    unknown += ["S"] if data["overall"]["rating"] == "Kan ej bedömas" else []
    assert unknown
    code, out, _ = cli("check", "--completeness", str(path))
    assert code == 0
    listed = re.findall(r"^  (\S+) [a-z0-9-]+$", out, re.M)
    assert listed == unknown
    blocks = re.split(r"^  \S+ [a-z0-9-]+\n", out.split("\n\n")[0], flags=re.M)[1:]
    assert all(block.strip() for block in blocks), "a row is listed without what it lacks"
    summary = cli("check", str(path))[1]
    assert f"OK – {len(unknown)} av 41 rader kan ej bedömas" in summary


def test_the_audit_parameters_can_be_uncommented(cli: Cli, tmp_path: Path) -> None:
    """The skeleton lists the rule set's audit parameters with their defaults, commented out; taking away
    the `# ` gives a valid case that sets them."""
    path = tmp_path / "ny.yaml"
    text = _init(cli, path, "--kommun", "Exempelby kommun", "--kod", "9999")
    block = text[text.index("# parametrar:"):]
    assert "beredning_max_dagar: 183" in block
    path.write_text(text.replace(block, re.sub(r"^# ?", "", block, flags=re.M)), encoding="utf-8")
    assert cli("check", str(path))[0] == 0
    assert yamlsafe.load(path).data["parametrar"]["beredning_max_dagar"] == 183
