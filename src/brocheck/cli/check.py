"""`brocheck check`: validate case files.

Problems always go to standard error as `file:line:col: message`, one per line, at most 100 per file
(errors.bounded) and with control characters shown (escape.terminal). Standard out gets the
format: `text` is an OK line per valid file (none with --quiet) saying how many rows cannot be
assessed; `--completeness` lists, per row that cannot be assessed, which facts it lacks and where they
belong in the file; the CI formats (json, sarif, github, junit) report every file's problems in their
own way (brocheck.render.problems). Exit 2 if any file is invalid, else 0.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from brocheck.cli.config import Config
from brocheck.cli.inputs import expand, load_checked
from brocheck.cli.streams import warn
from brocheck.errors import Problem, bounded
from brocheck.render.escape import terminal
from brocheck.yamlsafe import display

if TYPE_CHECKING:
    from brocheck.completeness import Completeness, Gap
    from brocheck.loader import LoadedCase

FORMATS = ("text", "json", "sarif", "github", "junit")


def run(paths: list[Path], fmt: str = "text", quiet: bool = False, config: Config | None = None,
        completeness: bool = False) -> int:
    config = config or Config()
    results: list[tuple[str, list[Problem]]] = []
    reports: list[Completeness] = []
    for path in expand(paths, config):
        result = load_checked(path, config.rules)
        problems = result if isinstance(result, list) else []
        results.append((display(path), problems))
        warn(bounded(problems))
        if isinstance(result, list) or not (completeness or (fmt == "text" and not quiet)):
            continue  # the rows are assessed only when the answer is printed
        if completeness:
            reports.append(_completeness(result, config))
            continue
        unknown, total = _unassessable(result, config)
        hint = "" if not unknown else (f" – {unknown} av {total} rader kan ej bedömas; brocheck check "
                                       "--completeness visar vilka uppgifter som saknas")
        print(f"{terminal(display(path))}: OK{hint}")
    if completeness:
        sys.stdout.write("".join(terminal(line) + "\n" for c in reports for line in render(c)))
    elif fmt != "text":
        from brocheck.render.problems import FORMATS as RENDER

        sys.stdout.write(RENDER[fmt](results))
    return 2 if any(problems for _, problems in results) else 0


def _completeness(loaded: LoadedCase, config: Config) -> Completeness:
    from brocheck.completeness import completeness as gaps_of
    from brocheck.engine import assess
    from brocheck.manual import judgements
    from brocheck.ruleset import load_ruleset

    ruleset = load_ruleset(config.rules)
    return gaps_of(assess(ruleset, loaded, judgements(loaded, ruleset)))
def _unassessable(loaded: LoadedCase, config: Config) -> tuple[int, int]:
    """How many of the case's rows cannot be assessed, of how many: from the ratings alone."""
    from brocheck.engine import ratings
    from brocheck.manual import judgements
    from brocheck.ruleset import load_ruleset

    ruleset = load_ruleset(config.rules)
    rated = ratings(ruleset, loaded, judgements(loaded, ruleset))
    return sum(r == ruleset.unknown_rating for r in rated.values()), len(rated)


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
