"""The case file's schema for people: a Swedish description of every field and every enumeration
value, in the JSON Schema that editors read (`brocheck schema`) and in the reference page
docs/arendefil.md (`brocheck schema --format markdown`).

One source: the field docstrings of the models in `brocheck.schema` (Pydantic turns them into
descriptions) and the docstring under each enumeration member. Each field's description is followed
by what leaving it out means (unknown, none, or required), derived from the model itself.

Enumeration values: draft-07 has no description per `enum` value. yaml-language-server (the YAML
support in VS Code and other editors) reads the non-standard `enumDescriptions`, parallel to `enum`:
it shows the value's description in completion lists and on hover (`value`: description), while
validation stays the plain `enum` and its message lists the allowed values. A `oneOf` of `const`
branches would show descriptions in completion too, but on hover only the first matching schema's
description (the field's), and turns a misspelt value into a "matches none of oneOf" error. Editors
that ignore `enumDescriptions` see the values and their meanings listed in the enumeration's
`description`.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import inspect
import itertools
import json
import textwrap
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from brocheck.schema import Absent, Case, Ref
from brocheck.text import squash

REF_TEXT = {"organ": "id i `organ`", "aktor": "id i `aktorer`", "part": "id i `organ` eller `aktorer`",
            "kalla": "id i `kallor`", "dokument": "id för ett dokument eller en överenskommelse",
            "beslut": "id i `beslut`"}


@functools.cache
def attribute_docs(cls: type) -> dict[str, str]:
    """The docstring written under each attribute a class declares itself (a field, an enumeration
    member), by name. Read from the source, only for the schema: Pydantic is not asked to at import."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    out: dict[str, str] = {}
    for stmt, after in itertools.pairwise(body):
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else \
            stmt.target if isinstance(stmt, ast.AnnAssign) else None
        if (isinstance(target, ast.Name) and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            out[target.id] = inspect.cleandoc(after.value.value)
    return out


def member_docs(cls: type[Enum]) -> dict[str, str]:
    """The docstring written under each member of an enumeration, by value."""
    return {cls[name].value: doc for name, doc in attribute_docs(cls).items() if name in cls.__members__}


def missing_means(info: FieldInfo) -> str:
    """What leaving the field out of the file means: `obligatorisk`, `okänt`, `inget` or `inga`."""
    if info.is_required():
        return "obligatorisk"
    if info.default == [] or info.default_factory is list:
        return "inga"
    if any(isinstance(m, Absent) for m in info.metadata) or _marked_absent(info.annotation):
        return "inget"
    return "okänt"


def _marked_absent(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated and any(isinstance(m, Absent) for m in annotation.__metadata__):
        return True
    return any(_marked_absent(a) for a in get_args(annotation))


MEANS_TEXT = {"obligatorisk": "Obligatorisk.", "okänt": "Utelämnad: okänt.", "inget": "Utelämnad: inget.",
              "inga": "Utelämnad: inga (som en tom lista)."}


def _parts(annotation: Any) -> list[Any]:
    """The annotation and everything inside it."""
    return [annotation, *(p for a in get_args(annotation) for p in _parts(a))]


@dataclass(frozen=True)
class Section:
    """A model and where it first appears in the file (`organ[].medlemmar[]`; "" for the file itself)."""

    model: type[BaseModel]
    where: str


@functools.cache
def sections() -> tuple[Section, ...]:
    """Every model reachable from the case, depth first in field order."""
    out: dict[type[BaseModel], str] = {}

    def visit(model: type[BaseModel], where: str) -> None:
        if model in out:
            return
        out[model] = where
        for name, info in model.model_fields.items():
            many = any(get_origin(p) is list for p in _parts(info.annotation))
            for part in _parts(info.annotation):
                if isinstance(part, type) and issubclass(part, BaseModel):
                    visit(part, f"{where}.{name}".lstrip(".") + ("[]" if many else ""))

    visit(Case, "")
    return tuple(Section(m, w) for m, w in out.items())


@functools.cache
def enums() -> tuple[type[Enum], ...]:
    """Every enumeration the case uses, in order of first use."""
    found: dict[type[Enum], None] = {}
    for s in sections():
        for info in s.model.model_fields.values():
            found.update((p, None) for p in _parts(info.annotation) if isinstance(p, type) and issubclass(p, Enum))
    return tuple(found)


def description(model: type[BaseModel], name: str) -> str:
    """The field's own description (its docstring, in the class that declares the field), without what
    leaving it out means."""
    owner = next(c for c in model.__mro__ if name in vars(c).get("__annotations__", {}))
    return squash(model.model_fields[name].description or attribute_docs(owner).get(name, ""))


def undocumented() -> list[str]:
    """`Model.field` and `Enum.value` without a description (a test keeps this empty)."""
    out = [f"{s.model.__name__}.{name}" for s in sections() for name in s.model.model_fields
           if not description(s.model, name)]
    out += [f"{e.__name__}.{m.value}" for e in enums() for m in e if not member_docs(e).get(m.value)]
    return out


def type_text(annotation: Any) -> str:
    """A field's type in words (Markdown), e.g. "lista av id i `organ`"."""
    if get_origin(annotation) is Annotated:
        refs = [m for m in annotation.__metadata__ if isinstance(m, Ref)]
        return REF_TEXT[refs[0].kind] if refs else type_text(get_args(annotation)[0])
    origin = get_origin(annotation)
    if origin is list:
        return f"lista av {type_text(get_args(annotation)[0])}"
    if origin is Literal:
        return " eller ".join(json.dumps(a) for a in get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        parts = [type_text(a) for a in get_args(annotation) if a is not type(None)]
        return " eller ".join(dict.fromkeys(parts))
    if isinstance(annotation, type):
        if issubclass(annotation, Enum | BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        simple = {bool: "true/false", int: "heltal", str: "text", dt.date: "datum (ÅÅÅÅ-MM-DD)"}
        for kind, text in simple.items():
            if issubclass(annotation, kind):
                return text
    return str(annotation)


PATTERN_TEXT = {r"^[a-z0-9][a-z0-9_.-]*$": "id (a–z, 0–9, `-`, `_`, `.`)",
                r"^\d{4}$": "fyra siffror inom citattecken"}


def field_type(info: FieldInfo) -> str:
    """A field's type in words (Markdown), its own constraints included."""
    for m in info.metadata:
        if isinstance(m, Ref):
            return REF_TEXT[m.kind]
        pattern = getattr(m, "pattern", None)
        if isinstance(pattern, str):
            return PATTERN_TEXT.get(pattern, f"text som matchar `{pattern}`")
    return type_text(info.annotation)


def enum_doc(cls: type[Enum]) -> str:
    """The enumeration's own docstring, if it has one."""
    return inspect.cleandoc(cls.__doc__) if cls.__doc__ else ""


def enum_description(cls: type[Enum]) -> str:
    """The enumeration's docstring and each value with its description, for editors that ignore
    `enumDescriptions`."""
    docs = member_docs(cls)
    head = enum_doc(cls)
    lines = [f"- {m.value}: {docs.get(m.value, '')}".rstrip(": ") for m in cls]
    return "\n".join([head, "", "Värden:", *lines] if head else ["Värden:", *lines])


def json_schema() -> str:
    """The case file's JSON Schema (draft-07, for editors), as deterministic text."""
    data = Case.model_json_schema(ref_template="#/definitions/{model}")
    data["definitions"] = data.pop("$defs", {})
    for s in sections():
        node = data if s.model is Case else data["definitions"][s.model.__name__]
        for name, info in s.model.model_fields.items():
            own = description(s.model, name)
            node["properties"][name]["description"] = f"{own} {MEANS_TEXT[missing_means(info)]}".strip()
    for cls in enums():
        node = data["definitions"][cls.__name__]
        node["description"] = enum_description(cls)
        node["enumDescriptions"] = [member_docs(cls).get(m.value, "") for m in cls]
    data = {"$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "https://brocheck.invalid/case.schema.json", **data}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
