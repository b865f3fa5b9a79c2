"""Case file -> validated `Case`, or every problem found as `file:line:col: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from brocheck import yamlsafe
from brocheck.errors import Problem
from brocheck.schema import Case, check_references


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
        kind = "en lista" if isinstance(doc.data, list) else f"ett enkelt värde ({doc.data!r})"
        return [doc.problem((), f"filen innehåller {kind}: en ärendefil ska vara en mappning med "
                                 "nycklarna kommun, granskning, organ …")]
    try:
        case = Case.model_validate(doc.data)
    except ValidationError as err:
        return sorted({_problem(doc, e) for e in err.errors(include_url=False)},
                      key=lambda p: (p.line or 0, p.col or 0, p.message))
    refs = [doc.problem(path, message) for path, message in check_references(case)]
    if refs:
        return sorted(set(refs), key=lambda p: (p.line or 0, p.col or 0, p.message))
    return LoadedCase(case, doc)


def _problem(doc: yamlsafe.Document, error: Any) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    name = loc[-1] if loc else ""
    where = ".".join(str(x) for x in loc)
    if kind == "missing":
        return doc.problem(loc[:-1], f"obligatoriskt fält `{where}` saknas: lägg till det")
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(loc[:-1])) or "–"
        return doc.problem(loc, f"okänd nyckel `{name}` i `{'.'.join(map(str, loc[:-1])) or 'filen'}`: "
                                f"rätta stavningen eller ta bort den (tillåtna: {allowed})", key=True)
    return doc.problem(loc, f"`{where}`: {_message(kind, error)}")


def _message(kind: str, error: Any) -> str:
    value = error.get("input")
    ctx = error.get("ctx") or {}
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if kind.startswith("date") or kind == "is_instance_of":
        return f"ogiltigt datum {shown}: ange datum som ÅÅÅÅ-MM-DD (utan citattecken)"
    if kind == "enum":
        return f"ogiltigt värde {shown}: tillåtna värden är {str(ctx.get('expected', '')).replace(' or ', ' eller ')}"
    if kind.startswith("bool"):
        return f"ska vara true eller false, inte {shown}"
    if kind.startswith("int"):
        return f"ska vara ett heltal, inte {shown}"
    if kind.startswith("string_type"):
        return f"ska vara text, inte {shown}"
    if kind == "string_pattern_mismatch":
        return (f"ogiltigt värde {shown}: ska matcha mönstret {ctx.get('pattern')} "
                "(id: små bokstäver a–z, siffror, '-', '_' eller '.'; kommunkod: fyra siffror inom citattecken)")
    if kind in ("string_too_short", "too_short"):
        return f"får inte vara tom (minst {ctx.get('min_length', 1)})"
    if kind in ("string_too_long", "too_long"):
        return f"är för lång (högst {ctx.get('max_length')})"
    if kind == "list_type":
        return f"ska vara en lista (rader som börjar med '- '), inte {shown}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"ska vara en mappning (nyckel: värde), inte {shown}"
    if kind.startswith("greater_than"):
        return f"ska vara minst {ctx.get('ge', ctx.get('gt'))}, inte {shown}"
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
