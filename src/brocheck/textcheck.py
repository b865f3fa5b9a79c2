"""Static checks of a rule text (a Jinja template) beyond its syntax, made when the rules load.

Jinja looks filters, tests and attributes up only when a text is rendered, so a misspelt filter or
field would otherwise surface as an internal error (exit 3) in the one case that renders that
comment. Here every filter and test must exist in the environment, and every attribute read from a
name whose static type is known (a fact of the rule, a derived fact, a key of the case, `case`,
`asof`) must exist on that type. Names a text binds itself (`{% set %}`, `{% for %}`) and values
returned by functions and filters have no static type here and are not checked.

`place` finds the offending word inside the YAML scalar that holds the text, so that a problem is
reported at the line and column of the word rather than of the whole text.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any, get_origin

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from brocheck import expr, yamlsafe

Defect = tuple[str, str]
"""(the word to point at in the text, the message)."""


class _Missing:
    """The type lookup found no such attribute."""


_MISSING: Any = _Missing()


def defects(ast: nodes.Template, env: jinja2.Environment, types: dict[str, Any]) -> list[Defect]:
    """Unknown filters and tests, and attributes that the static type of their value does not have."""
    out: list[Defect] = []
    for f in ast.find_all(nodes.Filter):
        if f.name not in env.filters:
            out.append((f.name, f"okänt filter {f.name!r}{_near(f.name, env.filters)}: brochecks filter är "
                                "genitiv, lista, genitiv_lista, datum och capfirst (och Jinjas inbyggda)"))
    for t in ast.find_all(nodes.Test):
        if t.name not in env.tests:
            out.append((t.name, f"okänt test {t.name!r}{_near(t.name, env.tests)} efter 'is'"))
    bound = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    known = {name: type_ for name, type_ in types.items() if name not in bound}
    seen: dict[int, Any] = {}
    for node in ast.find_all(nodes.Getattr):
        _type_of(node, known, seen, out)
    return out


def _near(word: str, choices: typing.Iterable[str]) -> str:
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f" (menade du {found[0]!r}?)" if found else ""


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "(…)"


def _type_of(node: nodes.Node, names: dict[str, Any], seen: dict[int, Any], out: list[Defect]) -> Any:
    if id(node) in seen:
        return seen[id(node)]
    type_: Any = Any
    if isinstance(node, nodes.Name):
        type_ = names.get(node.name, Any)
    elif isinstance(node, nodes.Getattr):
        owner = _type_of(node.node, names, seen, out)
        type_ = _attribute(owner, node.attr)
        if type_ is _MISSING:
            out.append((f".{node.attr}", _message(owner, node.attr, _dotted(node))))
            type_ = Any
    seen[id(node)] = type_
    return type_


def _attribute(owner: Any, name: str) -> Any:
    """The static type of `owner.name`; Any when not determinable; _MISSING when it does not exist."""
    origin = get_origin(owner) or owner
    if owner is Any or origin is dict:
        return Any
    if origin is list:
        return Any if hasattr(list, name) else _MISSING
    if isinstance(owner, type) and issubclass(owner, BaseModel):
        found = expr._attr_type(owner, name)
        if found is not None:
            return found
    if isinstance(origin, type):
        return Any if hasattr(origin, name) else _MISSING
    return Any


def _message(owner: Any, name: str, dotted: str) -> str:
    if (get_origin(owner) or owner) is list:
        return (f"{dotted.rsplit('.', 1)[0]!r} är en lista och har inget fält {name!r}: använd en loop "
                "({% for x in … %}) eller ett filter som lista")
    fields = list(owner.model_fields) if isinstance(owner, type) and issubclass(owner, BaseModel) else []
    hint = _near(name, fields)
    known = f" (kända fält: {', '.join(fields)})" if fields and not hint else ""
    return f"okänt fält {name!r} i {dotted!r}{hint}{known}: rätta namnet efter ärendefilens schema"


def place(text: str, doc: yamlsafe.Document, loc: tuple[str | int, ...], needle: str) -> tuple[int, int] | None:
    """Line and column of `needle` inside the scalar at `loc` (a rule text), else of the scalar itself."""
    start = doc.locate(loc)
    if start is None or not text:
        return start
    later = [p for p in (*doc.values.values(), *doc.keys.values()) if p > start]
    end = min(later) if later else (len(text.splitlines()) + 1, 1)
    word = re.escape(needle) + (r"(?!\w)" if needle[-1:].isalnum() else "")
    if needle[:1].isalnum():
        word = r"(?<![\w.])" + word
    lines = text.splitlines()
    for number in range(start[0], min(end[0], len(lines)) + 1):
        line = lines[number - 1]
        begin = start[1] - 1 if number == start[0] else 0
        stop = end[1] - 1 if number == end[0] else len(line)
        found = re.compile(word).search(line, begin, stop)
        if found:
            offset = 1 if needle.startswith(".") else 0
            return number, found.start() + 1 + offset
    return start
