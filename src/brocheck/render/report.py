"""The audit report as values, shared by the Markdown and the Word output.

For each case: the tables 1–5, each with its assessment text above it (templates/bedomning.txt.j2:
what the rules found, in the report's prose) and one note per row that cites sources; the summary
(sammanfattande bedömning); the recommendations, grouped by the body they are addressed to and
numbered; and the Källförteckning. Notes are numbered across one output, so that several reports in
one Markdown file never share a footnote label.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from brocheck import text
from brocheck.engine import Assessment, Result
from brocheck.manual import Summary, judgement, summary
from brocheck.render.sources import Group, Sources
from brocheck.ruleset import QUESTIONS_TABLE
from brocheck.schema import Bedomning
from brocheck.text import lista, squash

FIRST_COLUMN = {True: "Revisionsfråga", False: "Revisionskriterie"}
"""The first column's heading: table 5 holds revision questions, the others revision criteria."""


@functools.cache
def templates() -> jinja2.Environment:
    """The templates of templates/, in the rule texts' environment (Swedish filters), built once."""
    return text.templates()


def say(phrase: str, *args: object) -> str:
    """One of the report's fixed sentences (a macro of templates/texter.j2), as plain text."""
    return squash(str(getattr(templates().get_template("texter.j2").module, phrase)(*args)))


@dataclass(frozen=True)
class Row:
    result: Result
    note: int | None
    """The number of the row's note (its sources), None when it cites none."""

    @property
    def judgement(self) -> Bedomning | None:
        return judgement(self.result)


@dataclass(frozen=True)
class Note:
    number: int
    text: str


@dataclass(frozen=True)
class Table:
    number: int
    title: str
    heading: str
    """The section heading above the table: the title without its full stop, "(tabell N)"."""
    first_column: str
    rows: tuple[Row, ...]
    notes: tuple[Note, ...]
    assessment: tuple[str, ...]
    """The assessment text above the table, as paragraphs of plain text."""


@dataclass(frozen=True)
class Advice:
    number: int
    text: str
    refs: tuple[str, ...]
    """The rows the recommendation answers (T2.1, Q3, S), in report order."""


@dataclass(frozen=True)
class AdviceGroup:
    to: str
    """Whom the recommendations are addressed to: "Kommunstyrelsen och Fritids- och folkhälsonämnden"."""
    items: tuple[Advice, ...]


@dataclass(frozen=True)
class Report:
    assessment: Assessment
    tables: tuple[Table, ...]
    overall: Row
    overall_notes: tuple[Note, ...]
    recommendations: tuple[AdviceGroup, ...]
    sources: tuple[Group, ...]
    manual: Summary


def recommendations(a: Assessment) -> tuple[AdviceGroup, ...]:
    """The rows' recommendations grouped by addressee (audited bodies first, in the audit's order) and
    numbered; one recommendation to the same addressee that answers several rows stands once."""
    case = a.loaded.case
    rank = {ident: i for i, ident in enumerate([*case.granskning.granskade_organ, *(o.id for o in case.organ)])}
    names = {o.id: o.namn for o in case.organ}
    merged: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for r in a.rows():
        for rec in r.recommendations:
            refs = merged.setdefault(rec.to, {}).setdefault(rec.text, [])
            if r.placed.ref not in refs:
                refs.append(r.placed.ref)
    groups, numbers = [], iter(range(1, 1 + sum(len(texts) for texts in merged.values())))
    for to in sorted(merged, key=lambda to: [rank[i] for i in to] or [len(rank)]):
        items = tuple(Advice(next(numbers), text, tuple(refs)) for text, refs in merged[to].items())
        groups.append(AdviceGroup(lista(names[i] for i in to) or case.kommun.namn, items))
    return tuple(groups)


def _rated(a: Assessment, rows: list[Result]) -> list[tuple[str, bool, list[str]]]:
    """(rating, best of its scale, refs) for each rating the rows have, best first (by severity, so that
    the scales of the revision questions line up); not "Kan ej bedömas" or "Ej tillämpligt"."""
    best = {steps[0] for steps in a.ruleset.scales.values()}
    by: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: a.ruleset.severity.get(r.rating, 4)):
        if r.rating not in (a.ruleset.unknown_rating, a.ruleset.not_applicable_rating):
            by.setdefault(r.rating, []).append(r.placed.ref)
    return [(rating, rating in best, refs) for rating, refs in by.items()]


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(squash(p) for p in text.split("\n\n") if p.strip())


def _rows(results: list[Result], sources: Sources, numbers: Iterator[int]) -> tuple[tuple[Row, ...], tuple[Note, ...]]:
    """The rows with their note numbers, and the notes."""
    rows, notes = [], []
    for r in results:
        text = sources.note(r.used)
        number = next(numbers) if text else None
        rows.append(Row(r, number))
        if text and number:
            notes.append(Note(number, text))
    return tuple(rows), tuple(notes)


def build(assessments: list[Assessment], numbers: Iterator[int] | None = None) -> Iterator[Report]:
    """The reports of an output, in order; notes are numbered across all of them (from `numbers`, when
    the output's reports are built a few at a time)."""
    numbers = numbers or itertools.count(1)
    criteria_tables = sorted({t.number for a in assessments for t in a.tables if t.number != QUESTIONS_TABLE})
    for a in assessments:
        sources = Sources(a.loaded.case)
        advice = recommendations(a)
        answered: dict[str, list[int]] = {}
        for group in advice:
            for item in group.items:
                for ref in item.refs:
                    answered.setdefault(ref, []).append(item.number)
        tables = []
        for t in a.tables:
            rows, notes = _rows(t.rows, sources, numbers)
            questions = t.number == QUESTIONS_TABLE
            prose = templates().get_template("bedomning.txt.j2").render(
                number=t.number, questions=questions, total=len(t.rows), rated=_rated(a, t.rows),
                unknown=[r.placed.ref for r in t.rows if r.rating == a.ruleset.unknown_rating],
                not_applicable=[r.placed.ref for r in t.rows if r.rating == a.ruleset.not_applicable_rating],
                advice=sorted({n for r in t.rows for n in answered.get(r.placed.ref, [])}),
                criteria_tables=criteria_tables)
            heading = f"{t.title.rstrip('.')} (tabell {t.number})"
            tables.append(Table(t.number, t.title, heading, FIRST_COLUMN[questions], rows, notes, _paragraphs(prose)))
        (overall,), overall_notes = _rows([a.overall], sources, numbers)
        yield Report(a, tuple(tables), overall, overall_notes, advice, sources.groups, summary(a))
