"""Time as a first-class principle: the case as it stood on its as-of date.

Only what is dated on or before the as-of date exists for the assessment. Every date field marked
`SINCE` in the schema (a decision's, a document's, an agreement's or a report's date, a body's
founding date, a reglemente's adoption) dates its item; an item dated after the as-of date is left
out of the view, at any depth. An undated item is kept: the auditor observed it. Which of several
items is current or latest is for the rules to decide, by date (`latest`), never by list position.

The view keeps each kept element's place in the original file, so explanations and footnotes still
point at the right line.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from pydantic import BaseModel

from brocheck.schema import Case, DataPath, Since, nested_fields


@functools.cache
def _since_field(model: type[BaseModel]) -> str | None:
    """The field whose date an instance of `model` exists from, if the model has one."""
    for name, info in model.model_fields.items():
        if any(isinstance(m, Since) for m in info.metadata):
            return name
    return None


def as_of(case: Case) -> tuple[Case, dict[int, DataPath]]:
    """The case without the items dated after its as-of date, and the original path of every model
    element of a list in the view (by object id)."""
    places: dict[int, DataPath] = {}
    view = _prune(case, case.granskning.datum, (), places)
    assert isinstance(view, Case)
    return view, places


def _exists(item: Any, asof: dt.date) -> bool:
    if not isinstance(item, BaseModel):
        return True
    name = _since_field(type(item))
    date = getattr(item, name) if name else None
    return date is None or date <= asof


def _prune(value: Any, asof: dt.date, path: DataPath, places: dict[int, DataPath]) -> Any:
    if isinstance(value, list):
        kept = []
        for i, item in enumerate(value):
            if not _exists(item, asof):
                continue
            item = _prune(item, asof, (*path, i), places)
            if isinstance(item, BaseModel):
                places[id(item)] = (*path, i)
            kept.append(item)
        return kept if len(kept) != len(value) or any(a is not b for a, b in zip(kept, value, strict=True)) \
            else value
    if isinstance(value, BaseModel):
        changes = {}
        for name in nested_fields(type(value)):
            child = getattr(value, name)
            if isinstance(child, BaseModel | list):
                pruned = _prune(child, asof, (*path, name), places)
                if pruned is not child:
                    changes[name] = pruned
        return value.model_copy(update=changes) if changes else value
    return value
