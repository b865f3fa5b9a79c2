"""Default on a terminal: rich tables with the ratings coloured."""

from __future__ import annotations

import io

from brocheck.engine import Assessment, Result
from brocheck.manual import judgement, summary

COLOURS = {0: "green", 1: "yellow", 2: "dark_orange", 3: "red"}


def render(assessments: list[Assessment], width: int = 120, colour: bool = True) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None)
    for a in assessments:
        console.rule(f"{a.municipality} – granskning per {a.asof.isoformat()} ({a.loaded.file})")
        for t in a.tables:
            table = Table(title=f"Tabell {t.number}. {t.title}", title_justify="left", show_lines=True,
                          expand=True)
            table.add_column("Revisionskriterie", ratio=5)
            table.add_column("Bedömning", ratio=2)
            table.add_column("Kommentar", ratio=5)
            for r in t.rows:
                criterion = ("   – " if r.placed.rule.level == 2 else "") + r.criterion
                rating = Text(r.rating, style=f"bold {_colour(a, r.rating)}")
                if r.rule_rating is not None:
                    rating.append(f"\n(regeln: {r.rule_rating})", style="dim")
                table.add_row(criterion, rating, r.comment + _motivering(r))
            console.print(table)
        o = a.overall
        console.print(Text.assemble(("Sammanfattande bedömning: ", "bold"),
                                    (o.rating, f"bold {_colour(a, o.rating)}"),
                                    (f" (regeln: {o.rule_rating})" if o.rule_rating else "", "dim")))
        console.print(o.comment + _motivering(o))
        for line in _manual(a):
            console.print(line)
        console.print()
    return buffer.getvalue()


def _colour(a: Assessment, rating: str) -> str:
    """The rating's colour by severity; magenta for a rating on no scale ("Kan ej bedömas")."""
    return COLOURS.get(a.ruleset.severity.get(rating, -1), "magenta")


def _motivering(r: Result) -> str:
    b = judgement(r)
    return f"\n\nManuell bedömning ({b.av}, {b.datum.isoformat()}): {b.motivering}" if b else ""


def _manual(a: Assessment) -> list[str]:
    s = summary(a)
    out = [f"Manuella bedömningar: {len(s.applied)} ({', '.join(r.placed.ref for r in s.applied)})"] \
        if s.applied else []
    if s.not_applied:
        out.append(f"Manuella bedömningar: {s.not_applied} i ärendefilen, inte tillämpade (--no-manual)")
    out += [f"Upphörd manuell bedömning (gäller inte): {b.regel} {b.bedomning}, upphörde {b.upphor}"
            for b in s.lapsed]
    return out
