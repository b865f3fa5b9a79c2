"""`brocheck schema --format markdown`: docs/arendefil.md, the case file field by field, rendered by
templates/arendefil.md.j2 from the same descriptions as the JSON Schema (`brocheck.schemadoc`)."""

from __future__ import annotations

from brocheck import schemadoc
from brocheck.render.escape import own_cell
from brocheck.text import templates


def render() -> str:
    # the report's `cell` escapes case values; the descriptions here are brocheck's own Markdown
    env = templates(cell=own_cell)
    rows = {s.model: [(name, schemadoc.field_type(info), schemadoc.missing_means(info),
                       schemadoc.description(s.model, name)) for name, info in s.model.model_fields.items()]
            for s in schemadoc.sections()}
    return env.get_template("arendefil.md.j2").render(sections=schemadoc.sections(), rows=rows,
                                                      enums=schemadoc.enums(), member_docs=schemadoc.member_docs,
                                                      enum_doc=schemadoc.enum_doc)
