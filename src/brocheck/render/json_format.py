"""`--format json`: the output contract of the design notes, plus stable extra keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from brocheck.engine import Assessment, Result
from brocheck.manual import judgement, summary
from brocheck.render import Stream
from brocheck.render.escape import json_text, json_value
from brocheck.schema import Bedomning


def _judgement(b: Bedomning) -> dict[str, Any]:
    return {"motivering": b.motivering, "av": b.av, "datum": b.datum.isoformat(),
            "upphor": b.upphor.isoformat() if b.upphor else None}


def row(result: Result) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.id,
        "ref": result.placed.ref,
        "level": result.placed.rule.level,
        "criterion": result.criterion,
        "rating": result.rating,
        "comment": result.comment,
        "outcome": result.outcome,
        "source": list(result.placed.rule.source),
    }
    if result.missing:
        out["missing"] = list(result.missing)
    if result.rule_rating is not None:
        out["rule_rating"] = result.rule_rating
    b = judgement(result)
    if b is not None:
        out["manual"] = _judgement(b)
    if result.recommendations:
        out["recommendations"] = [{"to": list(rec.to), "text": rec.text} for rec in result.recommendations]
    return out


def manual(a: Assessment) -> dict[str, Any]:
    """How many rows carry the auditor's rating, which, and the judgements that have lapsed."""
    s = summary(a)
    return {"count": len(s.applied), "rows": [r.placed.ref for r in s.applied],
            "lapsed": [{"regel": b.regel, "bedomning": b.bedomning, **_judgement(b)} for b in s.lapsed],
            "not_applied": s.not_applied}


def document(a: Assessment) -> dict[str, Any]:
    return {
        "municipality": a.municipality,
        "municipality_code": a.loaded.case.kommun.kod,
        "as_of": a.asof.isoformat(),
        "file": a.loaded.file,
        "tables": [{"number": t.number, "title": t.title, "rows": [row(r) for r in t.rows]} for t in a.tables],
        "overall": row(a.overall),
        "manual_judgements": manual(a),
    }


def render(assessments: list[Assessment]) -> str:
    data: Any = document(assessments[0]) if len(assessments) == 1 else [document(a) for a in assessments]
    return json_text(data)


def stream(files: list[str]) -> Stream:
    return _Stream(len(files))


class _Stream(Stream):
    """One case: its document. Several: the array, one document at a time, each indented as an element."""

    parallel = True
    uses_facts = False

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total
        self.count = 0

    def piece(self, a: Assessment, first: bool) -> str:
        return json_text(document(a)) if self.total == 1 else "  " + json_value(document(a), "\n  ")

    def add(self, piece: Any) -> str:
        self.count += 1
        return str(piece) if self.total == 1 else ("[\n" if self.count == 1 else ",\n") + str(piece)

    def end(self) -> Iterator[str]:
        if self.total != 1:
            yield "\n]\n" if self.count else "[]\n"
