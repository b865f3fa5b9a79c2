"""`--format overview`: one Markdown table for a batch, one row per municipality.

Each row names the municipality (name, municipality code, as-of date, case file) and gives the answer to
every revision question (table 5, columns Q1 … in the report's order), the overall assessment, and how
many criteria rows (tables 1–4) are rated Nej and Inte helt. Rows are sorted by case file path, so the
same files give the same table. A legend below the table gives the questions in full. The same Markdown
is written to a terminal and to a file: it reads as a table in both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from brocheck.engine import Assessment, Result
from brocheck.render import Stream
from brocheck.render.escape import code, markdown
from brocheck.ruleset import QUESTIONS_TABLE
from brocheck.text import squash

COUNTED = ("Nej", "Inte helt")
"""The criteria ratings counted per municipality."""

_GENERIC = {
    "case.kommun.namn": "kommunen",
    "case.kommun | genitiv": "kommunens",
    "granskade | lista": "de granskade organen",
    "granskade | genitiv_lista": "de granskade organens",
}
"""How the legend says, for every municipality at once, what a question's text names case by case."""


def question_text(result: Result) -> str:
    """A revision question as it reads for any municipality: the rule's criterion text with the names it
    fills in per case replaced by generic words (`{{ case.kommun.namn }}` -> "kommunen")."""
    source = re.sub(r"\{%.*?%\}", "", result.placed.rule.criterion, flags=re.S)

    def generic(match: re.Match[str]) -> str:
        return _GENERIC.get(" ".join(match.group(1).split()), "…")

    return squash(re.sub(r"\{\{(.*?)\}\}", generic, source, flags=re.S))


def questions(a: Assessment) -> list[Result]:
    return [r for t in a.tables if t.number == QUESTIONS_TABLE for r in t.rows]


def criteria(a: Assessment) -> list[Result]:
    return [r for t in a.tables if t.number != QUESTIONS_TABLE for r in t.rows]


def render(assessments: list[Assessment]) -> str:
    ordered = sorted(assessments, key=lambda a: a.loaded.file)
    first = questions(ordered[0]) if ordered else []
    refs = [r.placed.ref for r in first]
    return table([row(a, refs) for a in ordered], refs, [legend(r) for r in first])


def row(a: Assessment, refs: list[str]) -> str:
    """The municipality's row of the table."""
    answers = {r.placed.ref: r.rating for r in questions(a)}
    ratings = [r.rating for r in criteria(a)]
    cells = [markdown(a.municipality), markdown(a.loaded.case.kommun.kod), a.asof.isoformat(),
             code(a.loaded.file, table=True), *(markdown(answers.get(ref, "–")) for ref in refs),
             markdown(a.overall.rating), *(str(ratings.count(name)) for name in COUNTED)]
    return "| " + " | ".join(cells) + " |"


def legend(r: Result) -> str:
    return f"- **{r.placed.ref}** {markdown(question_text(r))}"


def table(rows: list[str], refs: list[str], legends: list[str]) -> str:
    """The page: heading, the table of `rows` (sorted by file already) and the questions' legend."""
    header = ["Kommun", "Kod", "Per", "Fil", *refs, "Sammanfattande bedömning", *COUNTED]
    lines = [
        "# Översikt: kommunernas brottsförebyggande arbete enligt Lag (2023:196)",
        "",
        f"{len(rows)} {'kommun' if len(rows) == 1 else 'kommuner'}, sorterade efter ärendefil. Kolumnerna "
        f"{', '.join(refs)} är svaren på revisionsfrågorna (se nedan); {' och '.join(COUNTED)} räknar "
        "revisionskriterierna i tabell 1–4 med den bedömningen.",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---"] * 4 + [":---:"] * (len(refs) + 1) + ["---:"] * len(COUNTED)) + " |",
    ]
    lines += rows
    if legends:
        lines += ["", "**Revisionsfrågor**", ""]
        lines += legends
    return "\n".join(lines) + "\n"


def stream(files: list[str]) -> Stream:
    return _Stream()


class _Stream(Stream):
    """Keeps each municipality's row (a line of text) and its file, for sorting at the end. The columns
    come from the rule set, the same for every case."""

    parallel = True
    uses_facts = False

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.refs: list[str] = []
        self.legends: list[str] = []

    def piece(self, a: Assessment, first: bool) -> tuple[str, str, list[str], list[str]]:
        first_questions = questions(a)
        refs = [r.placed.ref for r in first_questions]
        return a.loaded.file, row(a, refs), refs, ([legend(r) for r in first_questions] if first else [])

    def add(self, piece: Any) -> str:
        file, line, refs, legends = piece
        self.rows.append((file, line))
        self.refs = refs
        if legends:
            self.legends = legends
        return ""

    def end(self) -> Iterator[str]:
        self.rows.sort(key=lambda item: item[0])
        yield table([line for _, line in self.rows], self.refs, self.legends)
