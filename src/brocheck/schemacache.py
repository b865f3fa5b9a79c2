"""The case schema's validator, its core schema cached between runs (see brocheck.cache).

Pydantic builds a model's validator in two steps: Python generates a core schema from the classes (for the
case schema about 50 ms, a tenth of a cold run), then pydantic-core compiles it (about a millisecond).
The first step depends only on brocheck's own source and Pydantic's version, both in the cache key, so
the first run stores the core schema and later runs compile the stored one.

The core schema is plain data except for a few objects, which are stored by name: brocheck's model and
enumeration classes and the functions of brocheck.schema (`("class", qualname)`, `("function",
qualname)`, resolved by attribute in brocheck.schema and checked to be what was stored), `list` and `dict`
as the factories of empty defaults (`("builtin", name)`), enumeration
members (`("member", qualname, name)`), dates (`("date", ordinal)`), a model instance used as a default
(`("default", qualname)`: the model with every field at its default, made without validating, stored
only when that equals it) and
tuples. Metadata (JSON Schema hints) is left out: the cached schema only validates. Anything else makes
the schema uncacheable and it is built as without a cache.

The validator is what `Case.model_validate` uses: the same core schema and configuration compile to the
same checks, messages and instances (tests/test_schemacache.py compares both on every case and fixture).
It is not wrapped for Pydantic plugins.
"""

from __future__ import annotations

import datetime as dt
import functools
import marshal
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import SchemaError, SchemaValidator

from brocheck import cache, schema
from brocheck.schema import Case

FORMAT = b"brocheck-schema 1\n"
"""The first bytes of a cache file; a new layout of the data gets a new number."""


@functools.cache
def case_validator() -> Any:
    """The validator of `Case` (what `Case.model_validate` runs), from the cache when it holds the core
    schema, else built by Pydantic and its core schema stored for next time."""
    path = cache.entry("schema", "Case", FORMAT)
    body = cache.read(path, FORMAT) if path is not None else None
    if body is not None:
        try:
            core, config = decode(marshal.loads(body))
            return SchemaValidator(core, config, _use_prebuilt=False)  # the stored schema, whole
        except (ValueError, EOFError, TypeError, KeyError, IndexError, AttributeError, SchemaError):
            pass  # an unreadable entry: built and stored anew
    Case.model_rebuild()
    if path is not None:
        try:
            data = marshal.dumps(encode((Case.__pydantic_core_schema__, core_config())))
        except ValueError:
            data = None  # an object the cache cannot name: no cache
        if data is not None:
            cache.write(path, FORMAT, data)
    return Case.__pydantic_validator__


def core_config() -> Any:
    """The configuration Pydantic compiles `Case`'s validator with."""
    from pydantic._internal._config import ConfigWrapper

    return ConfigWrapper(Case.model_config).core_config(title=Case.__name__)


def _named(value: Any) -> str:
    """The qualified name of a class or function of brocheck.schema, checked to resolve to it."""
    name = getattr(value, "__qualname__", "")
    if getattr(value, "__module__", None) != schema.__name__ or _resolve(name) is not value:
        raise ValueError(f"{value!r} kan inte cachas")
    return str(name)


def _resolve(qualname: str) -> Any:
    found: Any = schema
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def encode(value: Any) -> Any:
    """The core schema as marshal data (see the module's text); ValueError for what cannot be named."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items() if k != "metadata"}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return ("tuple", [encode(v) for v in value])
    if isinstance(value, Enum):
        return ("member", _named(type(value)), value.name)
    if value is list or value is dict:  # the factory of an empty default (schema.none_listed)
        return ("builtin", value.__name__)
    if isinstance(value, type):
        return ("class", _named(value))
    if callable(value) and not isinstance(value, BaseModel):
        return ("function", _named(value))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return ("date", value.toordinal())
    if isinstance(value, BaseModel) and type(value).model_construct() == value:
        return ("default", _named(type(value)))
    raise ValueError(f"{type(value).__name__} kan inte cachas")


_BUILTINS = {"list": list, "dict": dict}


def decode(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: decode(v) for k, v in data.items()}
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, tuple):
        tag, *rest = data
        if tag == "tuple":
            return tuple(decode(v) for v in rest[0])
        if tag == "date":
            return dt.date.fromordinal(rest[0])
        if tag == "member":
            return _resolve(rest[0])[rest[1]]
        if tag == "default":
            return _resolve(rest[0]).model_construct()
        if tag == "builtin":
            return _BUILTINS[rest[0]]
        if tag in ("class", "function"):
            return _resolve(rest[0])
        raise ValueError(f"okänd tagg {tag!r}")
    return data
