"""Small, explicit edits of a case's data, for rule fixtures (`brocheck rules test`) and tests.

A path is dotted keys with list selectors: `organ[bra].styrs_av`, `dokument.lagesbilder[0].innehall`.
`[x]` selects the element whose `id` is x, or the x-th element when x is a number.
Ops: `set` (path, value), `remove` (path), `append` (path, value).
"""

from __future__ import annotations

import copy
import re
from typing import Any

_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")

Step = str | int | tuple[str]
"""A key, a list index, or (id,) for the list element with that id."""


class PatchError(Exception):
    """An edit names a place the data does not have; `index` is the edit's position in the list."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


def steps(path: str) -> list[Step]:
    out: list[Step] = []
    for key, sel in _STEP.findall(path):
        if key:
            out.append(key)
        elif sel.lstrip("-").isdigit():
            out.append(int(sel))
        else:
            out.append((sel,))
    return out


def _child(node: Any, step: Step) -> Any:
    if isinstance(step, tuple):
        if not isinstance(node, list):
            raise LookupError(f"[{step[0]}] väljer i en lista, men värdet här är inte en lista")
        matches = [item for item in node if isinstance(item, dict) and item.get("id") == step[0]]
        if len(matches) != 1:
            raise LookupError(f"inget element med id {step[0]!r}" if not matches
                              else f"flera element med id {step[0]!r}")
        return matches[0]
    if isinstance(step, int):
        if not isinstance(node, list) or not -len(node) <= step < len(node):
            raise LookupError(f"inget element [{step}]")
        return node[step]
    if not isinstance(node, dict) or step not in node:
        raise LookupError(f"ingen nyckel {step!r}")
    return node[step]


def _index(node: Any, step: Step) -> str | int:
    """The key or index in `node` that `step` names (for set and remove)."""
    if isinstance(step, tuple):
        item = _child(node, step)
        return next(i for i, x in enumerate(node) if x is item)
    if isinstance(step, int):
        _child(node, step)
    elif not isinstance(node, dict):
        raise LookupError(f"{step!r} är en nyckel, men värdet här är inte en mappning")
    return step


def find(data: Any, path: str) -> Any:
    """The value at `path`; LookupError when there is none."""
    node = data
    for step in steps(path):
        node = _child(node, step)
    return node


def apply(data: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of `data` with the edits made in order; PatchError names the first that cannot be made."""
    data = copy.deepcopy(data)
    for i, op in enumerate(ops):
        kind, path = op["op"], op["path"]
        try:
            if kind == "append":
                target = find(data, path)
                if not isinstance(target, list):
                    raise LookupError("append lägger till i en lista, men värdet här är inte en lista")
                target.append(copy.deepcopy(op["value"]))
                continue
            parts = steps(path)
            if not parts:
                raise LookupError("sökvägen är tom")
            parent: Any = data
            for step in parts[:-1]:
                parent = _child(parent, step)
            key = _index(parent, parts[-1])
            if kind == "set":
                parent[key] = copy.deepcopy(op["value"])
            elif kind == "remove":
                _child(parent, parts[-1])
                del parent[key]
            else:
                raise LookupError(f"okänd operation {kind!r}: använd set, remove eller append")
        except LookupError as err:
            message = str(err.args[0]) if err.args else str(err)
            raise PatchError(i, f"{kind} {path}: {message}") from None
    return data
