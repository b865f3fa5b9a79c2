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


@functools.cache
def _id_field(model: type[BaseModel]) -> str | None:
    """`id` when instances of `model` have one."""
    return "id" if "id" in model.model_fields else None


def as_of(case: Case) -> tuple[Case, dict[int, tuple[DataPath, str]]]:
    """The case without the items dated after its as-of date, and, for every model in the view (by object
    id), its path in the original file and how a rule's explanation names it (`organ[ks].reglemente`: a
    list element by its id, else by its original position)."""
    places: dict[int, tuple[DataPath, str]] = {}
    view = _prune(case, case.granskning.datum, (), "", places)
    assert isinstance(view, Case)
    return view, places


def _prune(value: Any, asof: dt.date, path: DataPath, display: str,
           places: dict[int, tuple[DataPath, str]]) -> Any:
    if isinstance(value, list):
        kept, changed = [], False
        for i, item in enumerate(value):
            if isinstance(item, BaseModel):
                since = _since_field(type(item))
                date = getattr(item, since) if since else None
                if date is not None and date > asof:
                    changed = True
                    continue
                key = _id_field(type(item))  # not getattr(item, "id", None): Pydantic's __getattr__ raises
                ident = getattr(item, key) if key else None
                place, name = (*path, i), f"{display}[{ident if ident else i}]"
                if nested_fields(type(item)):
                    pruned = _prune(item, asof, place, name, places)
                    changed = changed or pruned is not item
                    item = pruned
                places[id(item)] = (place, name)
            kept.append(item)
        return kept if changed else value
    if isinstance(value, BaseModel):
        changes = {}
        for name in nested_fields(type(value)):
            child = getattr(value, name)
            if isinstance(child, (BaseModel, list)):  # a tuple: `BaseModel | list` is a new union each time
                where = f"{display}.{name}" if display else name
                pruned = _prune(child, asof, (*path, name), where, places)
                if isinstance(pruned, BaseModel):
                    places.setdefault(id(pruned), ((*path, name), where))
                if pruned is not child:
                    changes[name] = pruned
        return value.model_copy(update=changes) if changes else value
    return value
