"""Audit parameters: the rule set's named limits, and a case's own values for them (`parametrar`).

A parameter is declared once in `rules/ruleset.yaml` with a default, a rationale and its source; a
case may set another value for an audit parameter (never for a constant of the law). A case's value
must have the default's type and, where the declaration lists them, one of the allowed values;
problems are located in the case file like any other input error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from brocheck.errors import Problem, by_position
from brocheck.loader import LoadedCase
from brocheck.ruleset import Parameter, RuleSet

_KINDS = {bool: "true eller false", int: "ett heltal", str: "en text", list: "en lista", dt.date: "ett datum"}


def _kind(value: Any) -> type:
    return next(t for t in _KINDS if type(value) is t)


def problems(loaded: LoadedCase, ruleset: RuleSet) -> list[Problem]:
    """Every defect of the case's `parametrar`, located in the case file."""
    doc, out = loaded.doc, []
    declared = ruleset.parameters
    for name, value in loaded.case.parametrar.items():
        where = ("parametrar", name)
        param = declared.get(name)
        if param is None or param.law:
            names = ", ".join(n for n, p in sorted(declared.items()) if not p.law)
            what = "är lagens och kan inte ändras" if param else "finns inte"
            out.append(doc.problem(where, f"parametern {name!r} {what}: ange en av {names}", key=True))
            continue
        want = _kind(param.default)
        if _kind(value) is not want:
            out.append(doc.problem(where, f"parametern {name!r} ska vara {_KINDS[want]} "
                                          f"(standardvärde: {_show(param.default)})"))
            continue
        chosen = value if isinstance(value, list) else [value]
        wrong = [v for v in chosen if param.allowed is not None and v not in param.allowed]
        if wrong:
            out.append(doc.problem(where, f"parametern {name!r}: {wrong[0]!r} är inte tillåtet; tillåtna värden "
                                          f"är {', '.join(param.allowed or [])}"))
        elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
            out.append(doc.problem(where, f"parametern {name!r} får inte vara negativ"))
    return by_position(out)


def values(loaded: LoadedCase, ruleset: RuleSet) -> tuple[dict[str, Any], frozenset[str]]:
    """Every parameter's value for the case, and the names the case set itself."""
    own = {n: v for n, v in loaded.case.parametrar.items() if n in ruleset.parameters
           and not ruleset.parameters[n].law}
    return {n: own.get(n, p.default) for n, p in ruleset.parameters.items()}, frozenset(own)


def describe(name: str, param: Parameter, value: Any, own: bool) -> str:
    """One line for explain: the parameter, its value, where the value comes from and why."""
    origin = "ärendefilens värde" if own else "standardvärde"
    return f"{name} = {_show(value)} ({origin}; {param.rationale} Källa: {param.source})"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
