"""`--format markdown`: the audit report, rendered by templates/report.md.j2 from brocheck.render.report.

GitHub-flavoured Markdown that also converts cleanly with pandoc: each table row carries at most one
footnote mark, whose note (right below the table) lists the sources the row's rule relied on; the
organisation picture is a Mermaid block; the report ends with the Källförteckning, grouped as audit
reports group it. Text from the case is escaped (brocheck.render.escape): `cell` inside tables, `md`
everywhere else, `link` for addresses.
"""

from __future__ import annotations

import functools
import re

import jinja2

from brocheck.engine import Assessment
from brocheck.manual import judgement
from brocheck.render.escape import cell, link, markdown
from brocheck.render.mermaid import LEGEND, caption, flowchart
from brocheck.render.report import build, templates

_BLANK_LINES = re.compile(r"\n{3,}")


@functools.cache
def _template() -> jinja2.Template:
    env = templates().overlay()
    env.filters = {**env.filters, "cell": cell, "md": markdown, "link": link}  # not the shared dict
    return env.get_template("report.md.j2")


def render(assessments: list[Assessment]) -> str:
    out = []
    for report in build(assessments):
        case = report.assessment.loaded.case
        text = _template().render(r=report, judgement=judgement, find=report.assessment.ruleset.find,
                                  flowchart=flowchart(case), caption=caption(case), legend=LEGEND)
        out.append(_BLANK_LINES.sub("\n\n", text).strip("\n") + "\n")  # the template's blocks, one blank line apart
    return "\n".join(out)
