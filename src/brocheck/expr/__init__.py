"""The rule condition language: a small closed set of operators, three-valued.

An expression in a rule file is one of
- a literal (text, number, true/false, date, null) or a list of expressions;
- a fact reference `$name.field.field`: `name` is a bound variable (`as:`), a named derived fact,
  `asof` (the case's as-of date) or a top-level key of the case;
- a mapping with exactly one operator key, listed in `OPERATORS`.

Values are plain Python values, `None` for "known to be absent" (e.g. the first of an empty list)
and `UNKNOWN` for "not recorded in the case". Logic is three-valued: `all` is false if any part is
false, `any` is true if any part is true, otherwise unknown wins over the remaining value.

Every expression is type-checked against the case schema when the rules load (`check`), so a
misspelt fact or operator is a load-time error with its position in the rule file. A rule set's
expressions are then compiled, together, to one module of Python functions (`codegen`, each operator
writing its own code with `Node.emit`), which brocheck's rule-set cache stores as a code object;
`Node.ev` runs an expression's function. Explain's tracing (`Ctx.trace`) runs instead each operator's
closure (`Node.closure`), which records every node's value; the two call the same evaluation functions
(`runtime`) and tests/test_codegen.py holds them to the same results.

The package, along its seams: `values` (values and tracking at evaluation time), `runtime` (what the
operators do), `statictypes` (static types and checking), `nodes` (the base node, literals and facts),
the operators by kind (`iteration`, `logic`, `compare`, `lists`: check, code, closure, description),
`language` (the union `Expr` of them all) and `codegen` (the generated module).
"""

from typing import TYPE_CHECKING, Any

from brocheck.expr.statictypes import CheckError, Loc, Scope, _attr_type, _elem, _unwrap, condition
from brocheck.expr.values import (
    UNKNOWN,
    Ctx,
    DataPath,
    Env,
    FactUse,
    Tracker,
    _truth,
    rating_missing,
    value_of,
)

if TYPE_CHECKING:
    from brocheck.expr.iteration import IterArgs
    from brocheck.expr.language import OPERATORS, Expr, build_models
    from brocheck.expr.logic import All, AnyOp, Not, Rating
    from brocheck.expr.nodes import Fact, ListLit, Lit, Node

_MODELS = {"IterArgs": "iteration", "OPERATORS": "language", "Expr": "language", "build_models": "language",
           "All": "logic", "AnyOp": "logic", "Not": "logic", "Rating": "logic", "Fact": "nodes", "ListLit": "nodes",
           "Lit": "nodes", "Node": "nodes"}
"""The rule language's Pydantic models, imported on first use: evaluating a rule set read from brocheck's
cache needs only `values`, `runtime` and the generated code (brocheck.expr.codegen)."""


def __getattr__(name: str) -> Any:
    if name not in _MODELS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    importlib.import_module("brocheck.expr.language")  # the models need the union `Expr` to be complete
    value = getattr(importlib.import_module(f"brocheck.expr.{_MODELS[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "OPERATORS", "UNKNOWN", "All", "AnyOp", "CheckError", "Ctx", "DataPath", "Env", "Expr", "Fact", "FactUse",
    "IterArgs", "ListLit", "Lit", "Loc", "Node", "Not", "Rating", "Scope", "Tracker", "_attr_type", "_elem",
    "_truth", "_unwrap", "build_models", "condition", "rating_missing", "value_of",
]
