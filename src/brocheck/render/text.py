"""`--format text`, the default on a terminal: rich tables, the summary and the recommendations.

Everything from the rules and the case is printed as text, never read as rich markup or emoji codes,
so "[sic]" or "[bilaga 1]" prints as written, and with its control characters shown (escape.terminal),
so none reaches the terminal. Lines fit `width` columns (80 unless the CLI passes the
terminal's width). Ratings are coloured by severity only when `colour` is asked for: the CLI asks for
it on a terminal without NO_COLOR, never for a file or a pipe.
"""

from __future__ import annotations

import functools
import io

from brocheck.engine import Assessment, Result
from brocheck.manual import judgement, summary
from brocheck.render import CaseByCase
from brocheck.render.escape import terminal

COLOURS = {0: "green", 1: "yellow", 2: "dark_orange", 3: "red"}
WIDTH = 80
"""The width off a terminal."""


def render(assessments: list[Assessment], width: int = WIDTH, colour: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from brocheck.render.report import FIRST_COLUMN, recommendations
    from brocheck.ruleset import QUESTIONS_TABLE

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None, markup=False, emoji=False, highlight=False)
    for a in assessments:
        console.rule()
        console.print(Text(terminal(f"{a.municipality} – granskning per {a.asof.isoformat()} ({a.loaded.file})"),
                           style="bold"))
        for t in a.tables:
            table = Table(title=Text(terminal(f"Tabell {t.number}. {t.title}")), title_justify="left", show_lines=True,
                          expand=True)
            table.add_column(FIRST_COLUMN[t.number == QUESTIONS_TABLE], ratio=5, overflow="fold")
            table.add_column("Bedömning", width=_longest_word(a), overflow="fold")
            table.add_column("Kommentar", ratio=5, overflow="fold")
            for r in t.rows:
                criterion = Text(("   – " if r.placed.rule.level == 2 else "") + terminal(r.criterion))
                rating = Text(terminal(r.rating), style=f"bold {_colour(a, r.rating)}")
                if r.rule_rating is not None:
                    rating.append(f"\n(regeln: {terminal(r.rule_rating)})", style="dim")
                table.add_row(criterion, rating, Text(terminal(r.comment) + _motivering(r)))
            console.print(table)
        o = a.overall
        console.print(Text.assemble(("Sammanfattande bedömning: ", "bold"),
                                    (terminal(o.rating), f"bold {_colour(a, o.rating)}"),
                                    (f" (regeln: {terminal(o.rule_rating)})" if o.rule_rating else "", "dim")))
        console.print(Text(terminal(o.comment) + _motivering(o)))
        groups = recommendations(a)
        if groups:
            console.print()
            console.print(Text("Rekommendationer", style="bold"))
            for group in groups:
                console.print(Text(terminal(group.to), style="bold"))
                for item in group.items:
                    console.print(Text(terminal(f"{item.number}. {item.text} ({', '.join(item.refs)})")))
        for line in _manual(a):
            console.print(Text(terminal(line)))
        console.print()
    text = buffer.getvalue()
    return text if colour else "\n".join(line.rstrip() for line in text.split("\n"))


def stream(width: int = WIDTH, colour: bool = False) -> CaseByCase:
    """A batch case by case: each case's tables stand on their own lines."""
    return CaseByCase(functools.partial(render, width=width, colour=colour), uses_facts=False)


def _longest_word(a: Assessment) -> int:
    """The width the rating column needs so that no rating is cut: its longest word ("utvecklingsområden")."""
    ratings = [a.ruleset.unknown_rating, *(r for steps in a.ruleset.scales.values() for r in steps)]
    return max(len(word) for rating in ratings for word in rating.split())


def _colour(a: Assessment, rating: str) -> str:
    """The rating's colour by severity; magenta for a rating on no scale ("Kan ej bedömas")."""
    return COLOURS.get(a.ruleset.severity.get(rating, -1), "magenta")


def _motivering(r: Result) -> str:
    b = judgement(r)
    return (f"\n\nManuell bedömning ({terminal(b.av)}, {b.datum.isoformat()}): {terminal(b.motivering, lines=True)}"
            if b else "")


def _manual(a: Assessment) -> list[str]:
    s = summary(a)
    out = [f"Manuella bedömningar: {len(s.applied)} ({', '.join(r.placed.ref for r in s.applied)})"] \
        if s.applied else []
    if s.not_applied:
        out.append(f"Manuella bedömningar: {s.not_applied} i ärendefilen, inte tillämpade (--no-manual)")
    out += [f"Upphörd manuell bedömning (gäller inte): {b.regel} {b.bedomning}, upphörde {b.upphor}"
            for b in s.lapsed]
    return out
