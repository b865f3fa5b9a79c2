"""`--format markdown`: the audit report, rendered by templates/report.md.j2 from brocheck.render.report.

GitHub-flavoured Markdown that also converts cleanly with pandoc: each table row carries at most one
footnote mark, whose note (right below the table) lists the sources the row's rule relied on; the
organisation picture is a Mermaid block; the report ends with the Källförteckning, grouped as audit
reports group it. Text from the case is escaped: `cell` inside tables, `md` everywhere else.
"""

from __future__ import annotations

import functools
import re

import jinja2

from brocheck.engine import Assessment
from brocheck.manual import judgement
from brocheck.render import cell
from brocheck.render.mermaid import LEGEND, caption, flowchart
from brocheck.render.report import build, templates
from brocheck.text import squash

_SPECIAL = re.compile(r"[\\`*_\[\]|~]|[<>&]")
_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#+=-])")
_BLANK_LINES = re.compile(r"\n{3,}")


def inline(text: object) -> str:
    """Text as it reads, safe in a Markdown paragraph, heading or list item: one line, emphasis, link,
    code and table characters backslash-escaped, HTML characters as entities, and no list or heading
    marker at its start."""
    out = _SPECIAL.sub(lambda m: _ENTITY.get(m.group(), "\\" + m.group()), squash(str(text)))
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3), out)


def link(url: str) -> str:
    """An address as a link that shows it; escaped text when it cannot be an autolink."""
    return f"<{url}>" if re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>]+", url, re.I) else inline(url)


@functools.cache
def _template() -> jinja2.Template:
    env = templates().overlay()
    env.filters.update(cell=cell, md=inline, link=link)
    return env.get_template("report.md.j2")


def render(assessments: list[Assessment]) -> str:
    out = []
    for report in build(assessments):
        case = report.assessment.loaded.case
        text = _template().render(r=report, judgement=judgement, find=report.assessment.ruleset.find,
                                  flowchart=flowchart(case), caption=caption(case), legend=LEGEND)
        out.append(_BLANK_LINES.sub("\n\n", text).strip("\n") + "\n")  # the template's blocks, one blank line apart
    return "\n".join(out)
