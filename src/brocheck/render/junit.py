"""`--format junit`: JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, GitHub actions).

One testsuite per case and one testcase per row (criteria, revision questions, the overall
assessment): classname = the table's title, name = `T2.1 <criterion>`. A row whose rating fails
`--fail-on` gets a `failure` (message = the rating, text = the comment); without `--fail-on` nothing
fails. A row that could not be assessed and does not fail is `skipped`. Every row's rating and comment
are also in its `system-out`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from brocheck.render import Gate, label, position, severity, table_title
from brocheck.render.escape import xml

if TYPE_CHECKING:
    from brocheck.engine import Assessment, Result


def testcase(a: Assessment, r: Result, gate: Gate | None) -> tuple[ET.Element, str | None]:
    """The row's testcase and its outcome: "failure", "skipped" or None (passed)."""
    line, _ = position(a, r)
    case = ET.Element("testcase", classname=xml(table_title(a, r)), name=xml(label(r)),
                      file=xml(a.loaded.file), line=str(line))
    outcome = None
    if gate is not None and gate.fails(r.rating):
        outcome = "failure"
    elif severity(a, r) is None:
        outcome = "skipped"
    if outcome:
        ET.SubElement(case, outcome, message=xml(r.rating), type=xml(r.rating)).text = xml(r.comment)
    ET.SubElement(case, "system-out").text = xml(f"{r.rating}: {r.comment}")
    return case, outcome


def render(assessments: list[Assessment], gate: Gate | None = None) -> str:
    root = ET.Element("testsuites", name="brocheck")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for a in assessments:
        suite = ET.SubElement(root, "testsuite", name=xml(f"{a.municipality} ({a.loaded.file})"),
                              file=xml(a.loaded.file))
        props = ET.SubElement(suite, "properties")
        for name, text in (("kommun", a.municipality), ("granskningsdatum", a.asof.isoformat()),
                           ("arendefil", a.loaded.file)):
            ET.SubElement(props, "property", name=name, value=xml(text))
        outcomes = []
        for r in a.rows():
            case, outcome = testcase(a, r, gate)
            suite.append(case)
            outcomes.append(outcome)
        counts = {"tests": len(outcomes), "failures": outcomes.count("failure"), "skipped": outcomes.count("skipped")}
        tally(suite, counts)
        for key, value in counts.items():
            totals[key] += value
    return document(root, totals)


def tally(element: ET.Element, counts: dict[str, int]) -> None:
    """A testsuite's or testsuites' counts as attributes (tests, failures, skipped; never errors)."""
    for key, value in counts.items():
        element.set(key, str(value))
    element.set("errors", "0")


def document(root: ET.Element, totals: dict[str, int]) -> str:
    """The XML text of `testsuites` with its totals."""
    tally(root, totals)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
