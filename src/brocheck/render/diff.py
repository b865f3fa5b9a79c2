"""`brocheck diff` output: the rows that moved between two assessments, as text, Markdown or JSON, with the
case's values escaped for each (brocheck.render.escape)."""

from __future__ import annotations

from typing import Any

from brocheck.diff import Diff, RowChange
from brocheck.engine import Assessment
from brocheck.render.escape import cell, json_text, markdown, terminal

FORMATS = ("text", "markdown", "json")


def _case(a: Assessment) -> str:
    return f"{a.loaded.file} ({a.municipality}, granskningsdatum {a.asof.isoformat()})"


def _summary(d: Diff) -> str:
    if not d.rows:
        return "Inga rader har ändrat bedömning."
    n = len(d.rows)
    return (f"{n} {'rad har' if n == 1 else 'rader har'} ändrat bedömning: {len(d.worse)} sämre, "
            f"{len(d.better)} bättre, {n - len(d.worse) - len(d.better)} utan riktning.")


def _notes(d: Diff) -> list[str]:
    out = []
    if d.old.asof != d.new.asof:
        out.append(f"Granskningsdatum: {d.old.asof.isoformat()} → {d.new.asof.isoformat()} (tidsfrister räknas "
                   "mot det, så bedömningar kan ändras utan att uppgifterna gör det).")
    if d.old.loaded.case.kommun.kod != d.new.loaded.case.kommun.kod:
        out.append(f"Obs: filerna gäller olika kommuner ({d.old.loaded.case.kommun.kod} och "
                   f"{d.new.loaded.case.kommun.kod}).")
    return out


def _rating(row: RowChange) -> str:
    mark = " (manuell bedömning)" if row.manual else ""
    return f"{row.old.rating} → {row.new.rating} ({row.direction}){mark}"


def _why(row: RowChange) -> list[str]:
    lines = [f"{f.fact}: {f.old} → {f.new}" for f in row.facts]
    lines += [f"{r.ref} ({r.rule_id}): {r.old} → {r.new}" for r in row.reads]
    if not lines:
        lines.append("inga ändrade uppgifter bland dem regeln läste" + (": revisorns manuella bedömning"
                                                                       if row.manual else ""))
    return lines


def text(d: Diff) -> str:
    out = [f"Förut: {_case(d.old)}", f"Nu:    {_case(d.new)}", *_notes(d), "", _summary(d)]
    for row in d.rows:
        out += ["", f"{row.ref} {row.new.id}: {_rating(row)}", f"  {row.new.criterion}"]
        out += [f"  – {line}" for line in _why(row)]
    return "".join(terminal(line) + "\n" for line in out)


def as_markdown(d: Diff) -> str:
    out = ["# Jämförelse av bedömningar", "", f"- Förut: {markdown(_case(d.old))}", f"- Nu: {markdown(_case(d.new))}",
           *(f"- {markdown(note)}" for note in _notes(d)), "", _summary(d)]
    if d.rows:
        out += ["", "| Rad | Revisionskriterie | Förut | Nu | Riktning | Ändrade uppgifter |",
                "| --- | --- | --- | --- | --- | --- |"]
        for row in d.rows:
            why = "<br>".join(cell(line) for line in _why(row))
            manual = " (manuell)" if row.manual else ""
            out.append(f"| {row.ref} | {cell(row.new.criterion)} | {cell(row.old.rating)} | {cell(row.new.rating)} "
                       f"| {row.direction}{manual} | {why} |")
    return "\n".join(out) + "\n"


def _side(a: Assessment) -> dict[str, Any]:
    return {"file": a.loaded.file, "municipality": a.municipality, "municipality_code": a.loaded.case.kommun.kod,
            "as_of": a.asof.isoformat()}


def as_json(d: Diff) -> str:
    direction = {"sämre": "worse", "bättre": "better", "ändrad": "changed"}
    data = {
        "old": _side(d.old),
        "new": _side(d.new),
        "worse": len(d.worse),
        "better": len(d.better),
        "rows": [{"id": r.new.id, "ref": r.ref, "criterion": r.new.criterion, "old": r.old.rating,
                  "new": r.new.rating, "direction": direction[r.direction], "manual": r.manual,
                  "facts": [{"fact": f.fact, "old": f.old, "new": f.new} for f in r.facts],
                  "reads": [{"id": x.rule_id, "ref": x.ref, "old": x.old, "new": x.new} for x in r.reads]}
                 for r in d.rows],
    }
    return json_text(data)


def render(d: Diff, fmt: str) -> str:
    return {"text": text, "markdown": as_markdown, "json": as_json}[fmt](d)
