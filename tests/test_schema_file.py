"""The committed JSON Schema is current, the case files validate against it, and editors can find it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from brocheck import yamlsafe

from .conftest import ROOT

SCHEMA = ROOT / "schema" / "case.schema.json"
CASES = sorted((ROOT / "cases").glob("*.yaml"))
HEADER = "# yaml-language-server: $schema=../schema/case.schema.json"


def _as_json(value: Any) -> Any:
    """YAML data as JSON would carry it: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_committed_schema_is_current(cli: Any) -> None:
    code, out, err = cli("schema")
    assert (code, err) == (0, "")
    assert SCHEMA.read_text(encoding="utf-8") == out, (
        "schema/case.schema.json is out of date: regenerate it with `brocheck schema > schema/case.schema.json`"
    )


def test_schema_is_valid_draft7() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_validates_against_schema(case: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    data = _as_json(yamlsafe.load(case).data)
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
              for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    assert not errors, "\n".join(errors)


def test_schema_rejects_what_brocheck_rejects() -> None:
    """Spot checks that the editor schema is strict where brocheck is: unknown keys, enum values, types."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = Draft7Validator(schema)
    data = _as_json(yamlsafe.load(ROOT / "cases" / "boras-2025.yaml").data)
    assert validator.is_valid(data)
    for path, value in [(("kommun", "namm"), "x"), (("organ", 0, "typ"), "kommunen"), (("kommun", "kod"), 1490),
                        (("overenskommelser", 0, "tills_vidare"), "yes")]:
        broken = json.loads(json.dumps(data))
        node = broken
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        assert not validator.is_valid(broken), path


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_points_editors_at_the_schema(case: Path) -> None:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first == HEADER
    target = (case.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == SCHEMA.resolve()
    assert target.is_file()


REFERENCE = ROOT / "docs" / "arendefil.md"


def test_committed_reference_page_is_current(cli: Any) -> None:
    code, out, err = cli("schema", "--format", "markdown")
    assert (code, err) == (0, "")
    assert REFERENCE.read_text(encoding="utf-8") == out, (
        "docs/arendefil.md is out of date: regenerate it with `brocheck schema --format markdown > docs/arendefil.md`"
    )


def test_enumeration_values_carry_their_descriptions() -> None:
    """yaml-language-server shows `enumDescriptions[i]` for `enum[i]`; other editors read the list in the
    enumeration's description."""
    from brocheck.schemadoc import enums, member_docs

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for cls in enums():
        node = schema["definitions"][cls.__name__]
        assert len(node["enumDescriptions"]) == len(node["enum"]), cls
        for value, text in zip(node["enum"], node["enumDescriptions"], strict=True):
            assert text == member_docs(cls).get(value, "")
            assert f"- {value}" in node["description"]


def test_every_field_says_what_leaving_it_out_means() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    organ = schema["definitions"]["Organ"]["properties"]
    assert organ["tillhor"]["description"].endswith("Utelämnad: inget.")
    assert organ["niva"]["description"].endswith("Utelämnad: okänt.")
    assert organ["namn"]["description"].endswith("Obligatorisk.")
    assert schema["properties"]["kallor"]["description"].endswith("Utelämnad: inga (som en tom lista).")
    page = (ROOT / "docs" / "arendefil.md").read_text(encoding="utf-8")
    assert "| `niva` | [Niva](#niva) | okänt |" in page and "| `tillhor` | id i `organ` | inget |" in page


def test_every_field_and_enumeration_value_is_described() -> None:
    """Editors show these descriptions; a field or value added without one fails here (write a Swedish
    docstring under it in src/brocheck/schema.py)."""
    from brocheck.schemadoc import undocumented

    assert undocumented() == []
