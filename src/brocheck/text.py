"""Jinja environment shared by rule texts (criteria, comments, titles) and the report templates.

Filters speak Swedish: `genitiv`, `lista` ("A, B och C"), `datum` ("14 maj 2024"), `namn` (id -> name).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import jinja2

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


def genitiv(name: Any) -> str:
    """Swedish genitive: an explicit `genitiv` attribute wins, else -s (nothing after s, x, z)."""
    explicit = getattr(name, "genitiv", None)
    if explicit:
        return str(explicit)
    text = str(getattr(name, "namn", name))
    return text if text[-1:].lower() in ("s", "x", "z") else text + "s"


def lista(items: Iterable[Any]) -> str:
    parts = [str(getattr(i, "namn", i)) for i in items]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def datum(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return str(value)


def capfirst(value: Any) -> str:
    text = str(value)
    return text[:1].upper() + text[1:]


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(genitiv=genitiv, lista=lista, datum=datum, capfirst=capfirst)
    env.filters["genitiv_lista"] = lambda items: lista(genitiv(i) for i in items)
    return env


def squash(text: str) -> str:
    """Collapse whitespace: rule texts are written over several YAML lines."""
    return " ".join(text.split())
