"""`brocheck check`: validate case files; say how many rows cannot be assessed, and with
`--completeness` which facts each of them lacks and where they belong in the file."""

from __future__ import annotations

import sys
from pathlib import Path

from brocheck.cli.inputs import expand, load_checked
from brocheck.completeness import Completeness, Gap


def run(paths: list[Path], completeness: bool = False) -> int:
    from brocheck.completeness import completeness as gaps_of
    from brocheck.engine import assess
    from brocheck.manual import judgements
    from brocheck.ruleset import load_ruleset

    failed = 0
    reports: list[Completeness] = []
    for path in expand(paths):
        result = load_checked(path)
        if isinstance(result, list):
            failed += 1
            for problem in result:
                print(problem, file=sys.stderr)
            continue
        ruleset = load_ruleset()
        found = gaps_of(assess(ruleset, result, judgements(result, ruleset)))
        if completeness:
            reports.append(found)
            continue
        hint = "" if not found.rows else (f" – {_count(found)} kan ej bedömas; brocheck check --completeness "
                                          "visar vilka uppgifter som saknas")
        print(f"{path}: OK{hint}")
    if completeness:
        sys.stdout.write("\n".join("\n".join(render(c)) for c in reports) + ("\n" if reports else ""))
    return 2 if failed else 0


def _count(c: Completeness) -> str:
    return f"{len(c.rows)} av {c.total} rader"


def _place(file: str, gap: Gap) -> str:
    return f"{file}:{gap.line}:{gap.col}" if gap.line is not None else file


NONE_HINTS = {"list": " ([] om det inte finns några)", "bool": " (true eller false)", "value": ""}


def _what(gap: Gap) -> str:
    if gap.empty:
        return f"{gap.fact} står utan värde: fyll i det{NONE_HINTS[gap.kind]}"
    where = f"under `{gap.parent}`" if gap.parent else "på översta nivån"
    return f"{gap.fact} saknas: lägg till det {where}{NONE_HINTS[gap.kind]}"


def render(c: Completeness) -> list[str]:
    file = c.assessment.loaded.file
    if not c.rows:
        return [f"{file}: alla {c.total} rader kan bedömas"]
    out = [f"{file}: {_count(c)} kan ej bedömas"]
    for row in c.rows:
        r = row.result
        out.append(f"  {r.placed.ref} {r.id}")
        out += [f"    {_place(file, g)}: {_what(g)}" for g in row.gaps]
        if row.depends:
            refs = ", ".join(f"{d.placed.ref} ({d.id})" for d in row.depends)
            out.append(f"    läser {refs}, som inte kan bedömas: fyll i uppgifterna där")
        for text, pos in row.other:
            where = f"{file}:{pos[0]}:{pos[1]}" if pos else file
            out.append(f"    {where}: {text} (se brocheck explain {file} {r.placed.ref})")
    gaps = c.gaps()
    if gaps:
        out += ["", f"{file}: {len(gaps)} {'uppgift' if len(gaps) == 1 else 'uppgifter'} att fylla i, i filordning:"]
        out += [f"  {_place(file, g)}: {g.fact} ({', '.join(r.placed.ref for r in rows)})" for g, rows in gaps]
    return out
