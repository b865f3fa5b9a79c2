"""`--format markdown`: the report's tables, rendered by templates/report.md.j2.

Each comment cites the sources behind the facts its rule relied on as footnotes, numbered in order of
first use across the output; each report ends with a Källförteckning defining exactly those cited.
"""

from __future__ import annotations

import functools
import itertools

import jinja2

from brocheck.engine import Assessment
from brocheck.explain import cited, source_text
from brocheck.manual import judgement, summary
from brocheck.render import cell
from brocheck.resources import data_dir
from brocheck.text import environment, squash


@functools.cache
def _template(name: str) -> jinja2.Template:
    env = environment().overlay(loader=jinja2.FileSystemLoader(str(data_dir("templates"))))
    env.filters["cell"] = cell
    return env.get_template(name)


def render(assessments: list[Assessment]) -> str:
    numbers = itertools.count(1)
    out = []
    for a in assessments:
        notes: dict[str, int] = {}
        refs: dict[str, str] = {}
        for r in a.rows():
            found = cited(a.loaded.case, r.used)
            for kalla in found:
                if kalla.id not in notes:
                    notes[kalla.id] = next(numbers)
            refs[r.id] = "".join(f"[^{n}]" for n in sorted(notes[k.id] for k in found))
        kallor = {k.id: k for k in a.loaded.case.kallor}
        sources = [(n, squash(source_text(kallor[i]))) for i, n in notes.items()]
        out.append(_template("report.md.j2").render(a=a, refs=refs, sources=sources, manual=summary(a),
                                                    judgement=judgement, find=a.ruleset.find))
    return "\n".join(out)
