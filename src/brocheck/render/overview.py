"""`--format overview`: one Markdown table for a batch, one row per municipality.

Each row names the municipality (name, municipality code, as-of date, case file) and gives the answer to
every revision question (table 5, columns Q1 … in the report's order), the overall assessment, and how
many criteria rows (tables 1–4) are rated Nej and Inte helt. Rows are sorted by case file path, so the
same files give the same table. A legend below the table gives the questions in full. The same Markdown
is written to a terminal and to a file: it reads as a table in both.
"""

from __future__ import annotations

import re

from brocheck.engine import Assessment, Result
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
    header = ["Kommun", "Kod", "Per", "Fil", *refs, "Sammanfattande bedömning", *COUNTED]
    lines = [
        "# Översikt: kommunernas brottsförebyggande arbete enligt Lag (2023:196)",
        "",
        f"{len(ordered)} {'kommun' if len(ordered) == 1 else 'kommuner'}, sorterade efter ärendefil. Kolumnerna "
        f"{', '.join(refs)} är svaren på revisionsfrågorna (se nedan); {' och '.join(COUNTED)} räknar "
        "revisionskriterierna i tabell 1–4 med den bedömningen.",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(["---"] * 4 + [":---:"] * (len(refs) + 1) + ["---:"] * len(COUNTED)) + " |",
    ]
    for a in ordered:
        answers = {r.placed.ref: r.rating for r in questions(a)}
        ratings = [r.rating for r in criteria(a)]
        row = [markdown(a.municipality), markdown(a.loaded.case.kommun.kod), a.asof.isoformat(),
               code(a.loaded.file, table=True), *(markdown(answers.get(ref, "–")) for ref in refs),
               markdown(a.overall.rating), *(str(ratings.count(name)) for name in COUNTED)]
        lines.append("| " + " | ".join(row) + " |")
    if first:
        lines += ["", "**Revisionsfrågor**", ""]
        lines += [f"- **{r.placed.ref}** {markdown(question_text(r))}" for r in first]
    return "\n".join(lines) + "\n"
