"""`--format markdown`: the report's tables, rendered by templates/report.md.j2."""

from __future__ import annotations

import functools

import jinja2

from brocheck.engine import Assessment
from brocheck.resources import data_dir
from brocheck.text import environment


def cell(text: object) -> str:
    """Escape a value for a Markdown table cell: backslashes, pipes and line breaks."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


@functools.cache
def _template(name: str) -> jinja2.Template:
    env = environment().overlay(loader=jinja2.FileSystemLoader(str(data_dir("templates"))))
    env.filters["cell"] = cell
    return env.get_template(name)


def render(assessments: list[Assessment]) -> str:
    return "\n".join(_template("report.md.j2").render(a=a) for a in assessments)
