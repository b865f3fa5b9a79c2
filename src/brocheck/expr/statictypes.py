"""Static types of the rule language: what type an expression's value has, checked against the case
schema when the rules load (`Scope`, `CheckError`), and what the schema says about a field."""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from brocheck.schema import Absent

Loc = tuple[str | int, ...]


class CheckError(Exception):
    """A rule expression does not fit the schema or the operators; `loc` is its path in the file."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


@dataclass(frozen=True)
class Scope:
    names: dict[str, Any]
    rules: frozenset[str] = frozenset()
    """Rule ids that `rating:` may read."""

    def bind(self, name: str, type_: Any) -> Scope:
        return Scope({**self.names, name: type_}, self.rules)


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated / Optional, keep list[...] and model classes."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else Any
    return annotation


def _list_of(elem: Any) -> Any:
    """The static type `list[elem]` for a type computed at load time."""
    return list.__class_getitem__(elem)


def _elem(type_: Any) -> Any:
    if get_origin(type_) is list:
        return _unwrap(get_args(type_)[0])
    return Any if type_ is Any else None


@functools.cache
def _attr_type(owner: type, name: str) -> Any:
    if issubclass(owner, BaseModel) and name in owner.model_fields:
        return _unwrap(owner.model_fields[name].annotation)
    prop = getattr(owner, name, None)
    if isinstance(prop, property) and prop.fget is not None:
        return _unwrap(typing.get_type_hints(prop.fget).get("return", Any))
    return None


@functools.cache
def _none_is_absent(owner: type, name: str) -> bool:
    if not (issubclass(owner, BaseModel) and name in owner.model_fields):
        return False  # derived properties and mappings return None for "unknown"
    info = owner.model_fields[name]
    return any(isinstance(m, Absent) for m in info.metadata) or _has_absent(info.annotation)


def _has_absent(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return any(isinstance(m, Absent) for m in annotation.__metadata__)
    return any(_has_absent(a) for a in get_args(annotation))


def _scalar(type_: Any) -> bool:
    return type_ is Any or (isinstance(type_, type) and issubclass(type_, str | int | float | dt.date | Enum))


def _kind(type_: Any) -> str | None:
    """What a scalar type is, in words, for telling incompatible comparisons; None when not known."""
    if not isinstance(type_, type):
        return None
    for kind, name in ((bool, "sant/falskt"), (dt.date, "ett datum"), (int | float, "ett tal"), (str, "en text")):
        if issubclass(type_, kind):
            return name
    return None


def _comparable(op: str, a: Any, b: Any, loc: Loc) -> None:
    """Refuse comparing values that can never be equal or ordered (a date with a number, text with a bool)."""
    kinds = _kind(a), _kind(b)
    if None not in kinds and kinds[0] != kinds[1]:
        raise CheckError(loc, f"{op} jämför {kinds[0]} med {kinds[1]}: de kan aldrig vara lika eller ordnas; "
                              "jämför värden av samma slag (datum med datum, tal med tal, text med text)")



def condition(type_: Any, loc: Loc) -> None:
    """A condition (`when`, the parts of all/any/not) must be true/false, not a value of another kind."""
    if type_ is not Any and type_ is not bool:
        shown = getattr(type_, "__name__", str(type_))
        raise CheckError(loc, f"villkoret ger ett värde av typen {shown}, inte sant/falskt: använd exists, known "
                              "eller en jämförelse (eq, member …)")
