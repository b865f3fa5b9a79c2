"""Case file -> validated `Case`, or every problem found as `file:line:col: message`."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from brocheck import yamlsafe
from brocheck.errors import Problem, by_position
from brocheck.schema import IN_FORCE, Case, check_references
from brocheck.schemacache import case_validator


@dataclass(frozen=True)
class LoadedCase:
    case: Case
    doc: yamlsafe.Document

    @property
    def file(self) -> str:
        return self.doc.file


def load_case(path: Path, display: str | None = None) -> LoadedCase | list[Problem]:
    """Load and validate one case file; problems are returned as values, sorted by position."""
    try:
        doc = yamlsafe.load(path, display)
    except yamlsafe.YamlProblem as err:
        return [err.problem]
    return validate(doc)


def validate(doc: yamlsafe.Document) -> LoadedCase | list[Problem]:
    if not isinstance(doc.data, dict):
        if doc.data is None:
            kind = "inget värde (bara null eller '---')"
        elif isinstance(doc.data, list):
            kind = "en lista"
        else:
            kind = f"ett enkelt värde ({yamlsafe.short(doc.data)})"
        return [doc.problem((), f"filen innehåller {kind}: en ärendefil ska vara en mappning med "
                                 "nycklarna kommun, granskning, organ …")]
    try:
        case = case_validator().validate_python(doc.data)
    except ValidationError as err:
        return by_position({_problem(doc, e) for e in err.errors(include_url=False)})
    refs = [doc.problem(path, message) for path, message in check_references(case)]
    if refs:
        return by_position(set(refs))
    return LoadedCase(case, doc)


def _where(loc: tuple[Any, ...]) -> str:
    """A data path as the user would write it: `organ[0].namn`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return yamlsafe.one_line(out)


def _problem(doc: yamlsafe.Document, error: Any) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    name = loc[-1] if loc else ""
    where = _where(loc)
    if kind == "missing":
        return doc.problem(loc[:-1], f"obligatoriskt fält `{where}` saknas: lägg till det")
    if kind == "extra_forbidden":
        fields = _fields_at(loc[:-1])
        near = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.6)
        hint = f"menade du `{near[0]}`? " if near else ""
        parent = f"i `{_where(loc[:-1])}`" if loc[:-1] else "på översta nivån"
        return doc.problem(loc, f"okänd nyckel {_name(name)} {parent}: {hint}rätta stavningen eller ta bort "
                                f"den (tillåtna: {', '.join(fields) or '–'})", key=True)
    if kind == "invalid_key":
        return doc.problem(loc, f"nyckeln {_name(name)} ska vara text: skriv den inom citattecken eller byt namn",
                           key=True)
    return doc.problem(loc, f"`{where}`: {_message(kind, error, doc.sources.get(loc))}")


def _name(key: Any) -> str:
    text = str(key)
    return f"`{text}`" if text.isprintable() and "`" not in text and len(text) <= 60 else yamlsafe.short(key)


def _shown(value: Any, source: str | None) -> str:
    """The user's value for a message: short, and as written when YAML read it as something else."""
    if value is None:
        return "ett tomt värde (null)"
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    shown = yamlsafe.short(value)
    if source is not None and source != str(value) and not isinstance(value, str):
        shown += f" (skrivet {yamlsafe.short(source)})"
    return shown


def _message(kind: str, error: Any, source: str | None) -> str:
    value = error.get("input")
    ctx = error.get("ctx") or {}
    shown = _shown(value, source)
    if value is None and kind in ("string_type", "list_type", "model_type", "dict_type", "int_type",
                                  "bool_type", "date_type", "enum"):
        fix = "[] för en tom lista" if kind == "list_type" else "ett värde"
        return f"värdet saknas (tomt): skriv {fix} efter kolonet eller ta bort nyckeln"
    if kind.startswith("date") or kind == "is_instance_of":
        quoted = " utan citattecken" if isinstance(value, str) else ""
        return f"ogiltigt datum {shown}: ange datum som ÅÅÅÅ-MM-DD{quoted}, t.ex. 2025-03-20"
    if kind == "enum":
        expected = str(ctx.get("expected", ""))
        near = difflib.get_close_matches(str(value), re.findall(r"'([^']*)'", expected), n=1, cutoff=0.6)
        hint = f" (menade du '{near[0]}'?)" if near else ""
        return f"ogiltigt värde {shown}{hint}: tillåtna värden är {expected.replace(' or ', ' eller ')}"
    if kind.startswith("bool"):
        return f"ska vara true eller false, inte {shown}"
    if kind.startswith("int"):
        return f"ska vara ett heltal, inte {shown}"
    if kind.startswith("string_type"):
        hint = ": skriv värdet inom citattecken" if not isinstance(value, dict | list) else ""
        return f"ska vara text, inte {shown}{hint}"
    if kind == "string_pattern_mismatch":
        return (f"ogiltigt värde {shown}: ska matcha mönstret {ctx.get('pattern')} "
                "(id: små bokstäver a–z, siffror, '-', '_' eller '.'; kommunkod: fyra siffror inom citattecken)")
    if kind in ("string_too_short", "too_short"):
        return f"får inte vara tom (minst {ctx.get('min_length', 1)})"
    if kind in ("string_too_long", "too_long"):
        return f"är för lång (högst {ctx.get('max_length')})"
    if kind == "list_type":
        return f"ska vara en lista (rader som börjar med '- ' eller [a, b]), inte {shown}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"ska vara en mappning (nyckel: värde), inte {shown}"
    if kind.startswith(("greater_than", "less_than")):
        limit = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        word = "minst" if kind.startswith("greater_than") else "högst"
        if isinstance(value, dt.date):
            if str(limit) == IN_FORCE.isoformat():
                return (f"datumet {value.isoformat()} är för tidigt: granskningsdatum ska vara minst {limit}, "
                        "då lagen (2023:196) trädde i kraft; rätta datumet")
            return f"datumet {value.isoformat()} är orimligt: ska vara {word} {limit}; rätta årtalet"
        return f"ska vara {word} {limit}, inte {shown}"
    return f"{error.get('msg')} (värde {shown})"


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found at `loc`, for 'allowed keys' hints."""
    model: Any = Case
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return []
        model = _unwrap(model.model_fields[part].annotation)
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...] / list[...] / Annotated[...], if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation) if get_origin(annotation) is not None else ():
        found = _unwrap(arg)
        if found is not None:
            return found
    return None
