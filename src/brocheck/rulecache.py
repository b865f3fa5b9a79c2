"""The validated rule set, cached between runs as plain data and code objects (see brocheck.cache for
where, the trust rules and the key).

Validating the shipped rule set (Pydantic models of the rule language, every expression checked
against the case schema, every Jinja text parsed and checked) takes longer than assessing a case. So
the first run stores the result, and later runs read it back without building a single rule-language
model or parsing a single text:

- What: `marshal` of plain data (str, int, float, bool, None, lists, dicts, tuples as tags), the code
  object of the rules' generated Python (brocheck.expr.codegen) and the code objects Jinja compiles the
  rule texts to. The rule files' models are rebuilt like `model_construct` from an allow-list of classes
  (`MODELS`); each expression becomes a codegen.Compiled that runs its generated function, its tree of
  operator models (`_expression_models`) rebuilt only when explain or a rule command asks. Nothing is
  unpickled.
- Key: besides brocheck.cache's environment, each rule file the rule set was read from is listed inside
  with the SHA-256 of its contents, checked on every read. A stale entry is rebuilt.

The shipped rule set and a user's (`--rules`) are cached alike (keyed by their directory).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from brocheck import cache, expr, recommendations, ruleset
from brocheck.expr import codegen
from brocheck.ruleset import Placed, RuleSet, Text

FORMAT = b"brocheck-rules 4\n"
"""The first bytes of a cache file; a new layout of the data gets a new number."""
_RULE_FILE_MODELS: tuple[type[BaseModel], ...] = (ruleset.Rule, ruleset.Outcome, ruleset.Parameter, ruleset.TableDef,
                                                  recommendations.RecommendationDef)
MODELS: dict[str, type[BaseModel]] = {cls.__name__: cls for cls in _RULE_FILE_MODELS}
"""The classes of the rule files a cache file can name, besides the rule language's (`_expression_models`)."""


@functools.cache
def _expression_models() -> dict[str, type[BaseModel]]:
    """The rule language's classes a cache file can name: imported only when an expression's tree is asked for."""
    models: tuple[type[BaseModel], ...] = (expr.Lit, expr.ListLit, expr.Fact, expr.IterArgs, *expr.OPERATORS.values())
    return {cls.__name__: cls for cls in models}


def load(root: Path, location: str, build: Callable[[], RuleSet]) -> RuleSet:
    """The rule set in `root` from the cache when it holds a current copy, else `build()` (which may
    raise RuleSetError: nothing is stored then), stored for next time."""
    path = entry(root, location)
    if path is not None:
        found = read(path, root)
        if found is not None:
            return found
    built = build()
    if path is not None:
        write(path, built, root)
    return built


def entry(root: Path, location: str) -> Path | None:
    """The cache file for the rule set in `root` under this Python, Pydantic, Jinja and brocheck."""
    return cache.entry("rules", f"{location}\0{root.resolve()}", FORMAT, cache.package_digest("jinja2"))


def _file_digests(root: Path, names: list[str] | tuple[str, ...]) -> list[list[str]]:
    return [[name, hashlib.sha256((root / name).read_bytes()).hexdigest()] for name in names]


def read(path: Path, root: Path) -> RuleSet | None:
    """The cached rule set, or None when the file is missing, not trusted, corrupt or stale."""
    body = cache.read(path, FORMAT)
    if body is None:
        return None
    try:
        files, data = marshal.loads(body)
        if _file_digests(root, [name for name, _ in files]) != files:
            return None
        return unpack(data)
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


def write(path: Path, rules: RuleSet, root: Path) -> None:
    """Store the rule set; silently nothing when it or the directory cannot be."""
    try:
        body = marshal.dumps((_file_digests(root, rules.files), pack(rules)))
    except (OSError, ValueError):
        return
    cache.write(path, FORMAT, body)


# --- the rule set as plain data -------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A value of the rule set as plain data: models and dates become tagged tuples; an expression is
    tagged `expr` (its tree is decoded only when asked for: codegen.Compiled)."""
    if isinstance(value, codegen.Compiled):
        value = value.node
    if isinstance(value, BaseModel):
        name = type(value).__name__
        if (MODELS.get(name) or _expression_models().get(name)) is not type(value):
            raise ValueError(f"{name} kan inte cachas")
        fields = {f: encode(getattr(value, f)) for f in type(value).model_fields}
        return ("expr" if isinstance(value, expr.Node) else "model", name, fields, sorted(value.model_fields_set))
    if isinstance(value, dt.date):
        return ("date", value.toordinal())
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float):
        return value
    raise ValueError(f"{type(value).__name__} kan inte cachas")


def decode(data: Any, tree: bool = False) -> Any:
    """A value from its plain data; an expression as a codegen.Compiled (`tree`: as its models)."""
    if isinstance(data, tuple):
        tag = data[0]
        if tag == "date":
            return dt.date.fromordinal(data[1])
        if tag == "expr" and not tree:
            return codegen.Compiled(functools.partial(decode, data, True))
        _, name, fields, given = data
        cls = (_expression_models() if tree else MODELS)[name]
        return _construct(cls, {f: decode(v, tree) if type(v) in _NESTED else v for f, v in fields.items()},
                          set(given))
    if isinstance(data, list):
        return [decode(v, tree) if type(v) in _NESTED else v for v in data]
    if isinstance(data, dict):
        return {k: decode(v, tree) if type(v) in _NESTED else v for k, v in data.items()}
    return data


_NESTED = (tuple, list, dict)
"""What `decode` must look into: the rest (text, numbers, None) stands for itself, without a call."""


def _construct(cls: type[BaseModel], fields: dict[str, Any], given: set[str]) -> BaseModel:
    """What `model_construct` does for a model without extra or private attributes, given every field,
    without its per-field bookkeeping (a cached rule set is a few thousand models)."""
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", given)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def pack(rules: RuleSet) -> dict[str, Any]:
    index = {id(p): i for i, p in enumerate(rules.placed)}
    return {
        "ratings": [rules.unknown_rating, rules.not_applicable_rating],
        "parameters": encode(rules.parameters),
        "severity": rules.severity,
        "scales": rules.scales,
        "derived": encode(rules.derived),
        "tables": encode(rules.tables),
        "placed": [(encode(p.rule), p.table, p.row, p.file) for p in rules.placed],
        "order": [index[id(p)] for p in rules.order],
        "templates": {key: (marshal.dumps(text.code), sorted(text.reads), sorted(names))
                      for key, (text, names) in rules.templates.items()},
        "recommendations": encode(rules.recommendations),
        "location": rules.location,
        "files": list(rules.files),
        "program": marshal.dumps(rules.program),
    }


def unpack(data: dict[str, Any]) -> RuleSet:
    placed = [Placed(decode(rule), table, row, file) for rule, table, row, file in data["placed"]]
    templates = {key: (Text(None, frozenset(reads), code=functools.partial(marshal.loads, code)), frozenset(names))
                 for key, (code, reads, names) in data["templates"].items()}
    unknown, not_applicable = data["ratings"]
    return RuleSet(unknown, not_applicable, decode(data["parameters"]), data["severity"], data["scales"],
                   decode(data["derived"]), decode(data["tables"]), placed, [placed[i] for i in data["order"]],
                   templates, decode(data["recommendations"]), location=data["location"], files=tuple(data["files"]),
                   program=marshal.loads(data["program"]))
