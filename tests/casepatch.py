"""Small, explicit edits of a case's data for rule fixtures and invariance tests.

A path is dotted keys with list selectors: `organ[bra].styrs_av`, `dokument.lagesbilder[0].innehall`.
`[x]` selects the element whose `id` is x, or the x-th element when x is a number.
Ops: `set` (path, value), `remove` (path), `append` (path, value).
"""

from __future__ import annotations

import copy
import re
from typing import Any

_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def _steps(path: str) -> list[str | int | tuple[str]]:
    out: list[str | int | tuple[str]] = []
    for key, sel in _STEP.findall(path):
        if key:
            out.append(key)
        elif sel.lstrip("-").isdigit():
            out.append(int(sel))
        else:
            out.append((sel,))
    return out


def _child(node: Any, step: str | int | tuple[str]) -> Any:
    if isinstance(step, tuple):
        matches = [item for item in node if isinstance(item, dict) and item.get("id") == step[0]]
        if len(matches) != 1:
            raise KeyError(f"no single element with id {step[0]!r}")
        return matches[0]
    return node[step]


def _parent(data: Any, path: str) -> tuple[Any, str | int]:
    steps = _steps(path)
    node = data
    for step in steps[:-1]:
        node = _child(node, step)
    last = steps[-1]
    if isinstance(last, tuple):
        index = next(i for i, item in enumerate(node) if isinstance(item, dict) and item.get("id") == last[0])
        return node, index
    return node, last


def apply(data: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for op in ops:
        kind = op["op"]
        if kind == "append":
            _child_of(data, op["path"]).append(copy.deepcopy(op["value"]))
            continue
        parent, key = _parent(data, op["path"])
        if kind == "set":
            parent[key] = copy.deepcopy(op["value"])
        elif kind == "remove":
            del parent[key]
        else:
            raise ValueError(f"unknown op {kind!r}")
    return data


def _child_of(data: Any, path: str) -> Any:
    node = data
    for step in _steps(path):
        node = _child(node, step)
    return node
