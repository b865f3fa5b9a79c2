"""`--format markdown`: the audit report, rendered by templates/report.md.j2 from brocheck.render.report.

GitHub-flavoured Markdown that also converts cleanly with pandoc: each table row carries at most one
footnote mark, whose note (right below the table) lists the sources the row's rule relied on; the
organisation picture is a Mermaid block; the report ends with the Källförteckning, grouped as audit
reports group it. Text from the case is escaped (brocheck.render.escape): `cell` inside tables, `md`
everywhere else, `link` for addresses.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import Any

import jinja2

from brocheck import text
from brocheck.engine import Assessment
from brocheck.manual import judgement
from brocheck.render import Stream
from brocheck.render.escape import cell, link, markdown
from brocheck.render.mermaid import LEGEND, caption, flowchart
from brocheck.render.report import Report, build

_BLANK_LINES = re.compile(r"\n{3,}")


@functools.cache
def _template() -> jinja2.Template:
    return text.templates(cell=cell, md=markdown, link=link).get_template("report.md.j2")


def render(assessments: list[Assessment]) -> str:
    return "\n".join(page(report) for report in build(assessments))


def page(report: Report) -> str:
    """One case's report."""
    case = report.assessment.loaded.case
    text = _template().render(r=report, judgement=judgement, find=report.assessment.ruleset.find,
                              flowchart=flowchart(case), caption=caption(case), legend=LEGEND)
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"  # the template's blocks, one blank line apart


def stream(files: list[str]) -> Stream:
    return _Stream()


class _Stream(Stream):
    """The reports one by one; notes are numbered across the batch, so each report is rendered here, in
    order (never in a worker)."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers = itertools.count(1)
        self.first = True

    def add(self, piece: Any) -> str:
        (report,) = build([piece], self.numbers)
        text = page(report) if self.first else "\n" + page(report)
        self.first = False
        return text

    def end(self) -> Iterator[str]:
        return iter(())
