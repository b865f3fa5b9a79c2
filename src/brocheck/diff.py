"""Two assessments of one municipality compared (`brocheck diff OLD NEW`), for a follow-up audit
(uppföljande granskning) or for CI on an edited case file.

A row *moved* when its rating differs. Behind each moved row are the facts that changed among those
its rule read in either case (`Result.used`, and the facts it missed): a fact is named as the rules
name it (`organ[rad].leds_av`, list elements by id) and looked up by that name in both cases, so an
element that moved in its list is still the same element. A fact whose change is explained by a
changed fact below it is left out. A roll-up also shows the rows it reads whose ratings moved.

Direction follows the rule set's scales (`severity`): higher is worse. A row that could be assessed
before and cannot now ("Kan ej bedömas") got worse, and the other way round better; other changes
(e.g. to or from a rating on no scale) have no direction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from brocheck import casepatch, expr
from brocheck.engine import Assessment, Result
from brocheck.explain import show
from brocheck.manual import judgement
from brocheck.ruleset import RuleSet

Direction = Literal["sämre", "bättre", "ändrad"]


class _Absent:
    def __repr__(self) -> str:
        return "finns inte"


ABSENT: Any = _Absent()
"""The fact does not exist in that case (its list element or parent is not there)."""


@dataclass(frozen=True)
class FactChange:
    fact: str
    old: str
    new: str


@dataclass(frozen=True)
class RatingChange:
    ref: str
    rule_id: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    old: Result
    new: Result
    direction: Direction
    facts: tuple[FactChange, ...]
    reads: tuple[RatingChange, ...]
    """Rows this row reads whose ratings moved too."""

    @property
    def ref(self) -> str:
        return self.new.placed.ref

    @property
    def manual(self) -> bool:
        """Whether a manual judgement gives either rating."""
        return judgement(self.old) is not None or judgement(self.new) is not None


@dataclass(frozen=True)
class Diff:
    old: Assessment
    new: Assessment
    rows: tuple[RowChange, ...]

    @property
    def worse(self) -> list[RowChange]:
        return [r for r in self.rows if r.direction == "sämre"]

    @property
    def better(self) -> list[RowChange]:
        return [r for r in self.rows if r.direction == "bättre"]


def direction(ruleset: RuleSet, old: str, new: str) -> Direction:
    before, after = ruleset.severity.get(old), ruleset.severity.get(new)
    if before is not None and after is not None:
        return "sämre" if after > before else "bättre" if after < before else "ändrad"
    if new == ruleset.unknown_rating and before is not None:
        return "sämre"
    if old == ruleset.unknown_rating and after is not None:
        return "bättre"
    return "ändrad"


def resolve(case: Any, fact: str) -> Any:
    """The value of a fact named as the rules name it, in `case`; ABSENT when it is not there."""
    value = case
    for step in casepatch.steps(fact):
        if value is None or value is ABSENT:
            return ABSENT
        if isinstance(step, tuple):
            found = [x for x in value if getattr(x, "id", None) == step[0]] if isinstance(value, list) else []
            value = found[0] if len(found) == 1 else ABSENT
        elif isinstance(step, int):
            value = value[step] if isinstance(value, list) and -len(value) <= step < len(value) else ABSENT
        elif isinstance(value, dict):
            value = value.get(step, ABSENT)
        else:
            value = getattr(value, step, ABSENT)
    return value


def _plain(value: Any) -> Any:
    """A value in a form that compares by content."""
    if isinstance(value, BaseModel):
        return {k: _plain(v) for k, v in value.model_dump().items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _shown(value: Any) -> str:
    if value is ABSENT:
        return "finns inte"
    return "okänt" if value is None or value is expr.UNKNOWN else show(value)


def _ids(value: Any) -> dict[str, Any] | None:
    """The elements of a list of case objects with ids, by id; None for any other value."""
    if not isinstance(value, list) or not all(isinstance(getattr(v, "id", None), str) for v in value):
        return None
    return {v.id: v for v in value}


def _facts(old: Assessment, new: Assessment, a: Result, b: Result) -> tuple[FactChange, ...]:
    names = dict.fromkeys([*(u.display for u in a.used), *(u.display for u in b.used),
                           *(m for m, path in a.missing_at.items() if path),
                           *(m for m, path in b.missing_at.items() if path)])
    changed = {}
    for name in names:
        before, after = resolve(old.loaded.case, name), resolve(new.loaded.case, name)
        members = _ids(before), _ids(after)
        if members[0] is not None and members[1] is not None:
            # A list of identified elements: what the rule read of each is tracked on its own, so the
            # list itself changed only if elements came or went (order never matters).
            for ident in members[0].keys() - members[1].keys():
                changed[f"{name}[{ident}]"] = FactChange(f"{name}[{ident}]", _shown(members[0][ident]), "finns inte")
            for ident in members[1].keys() - members[0].keys():
                changed[f"{name}[{ident}]"] = FactChange(f"{name}[{ident}]", "finns inte", _shown(members[1][ident]))
        elif _plain(before) != _plain(after):
            changed[name] = FactChange(name, _shown(before), _shown(after))
    return tuple(c for name, c in sorted(changed.items())
                 if not any(other != name and other.startswith((f"{name}.", f"{name}[")) for other in changed))


def compare(old: Assessment, new: Assessment) -> Diff:
    """The rows whose rating differs between `old` and `new` (assessed with the same rule set)."""
    ruleset = new.ruleset
    rows = []
    for b in new.rows():
        a = old.results.get(b.id)
        if a is None or a.rating == b.rating:
            continue
        reads = tuple(RatingChange(old.results[i].placed.ref, i, old.results[i].rating, new.results[i].rating)
                      for i in b.placed.rule.reads() if old.results[i].rating != new.results[i].rating)
        rows.append(RowChange(a, b, direction(ruleset, a.rating, b.rating), _facts(old, new, a, b), reads))
    return Diff(old, new, tuple(rows))
