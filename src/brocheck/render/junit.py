"""`--format junit`: JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, GitHub actions).

One testsuite per case and one testcase per row (criteria, revision questions, the overall
assessment): classname = the table's title, name = `T2.1 <criterion>`. A row whose rating fails
`--fail-on` gets a `failure` (message = the rating, text = the comment); without `--fail-on` nothing
fails. A row that could not be assessed and does not fail is `skipped`. Every row's rating and comment
are also in its `system-out`.
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from brocheck.render import Gate, Stream, label, position, severity, table_title
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
        suite, counts = testsuite(a, gate)
        root.append(suite)
        for key, value in counts.items():
            totals[key] += value
    return document(root, totals)


def testsuite(a: Assessment, gate: Gate | None) -> tuple[ET.Element, dict[str, int]]:
    """One case's testsuite and its counts."""
    suite = ET.Element("testsuite", name=xml(f"{a.municipality} ({a.loaded.file})"), file=xml(a.loaded.file))
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
    return suite, counts


def stream(gate: Gate | None = None) -> Stream:
    return _Stream(gate)


class _Stream(Stream):
    """The totals stand in the first line, so the testsuites wait in a temporary file (never in memory)
    until the last case is in; each is indented as `ET.indent` indents it inside the whole document."""

    parallel = True

    def __init__(self, gate: Gate | None) -> None:
        super().__init__()
        self.gate = gate
        self.totals = {"tests": 0, "failures": 0, "skipped": 0}
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (open until `end`)
        self.count = 0

    def piece(self, a: Assessment, first: bool) -> tuple[str, dict[str, int]]:
        suite, counts = testsuite(a, self.gate)
        ET.indent(suite, level=1)
        return ET.tostring(suite, encoding="unicode"), counts

    def add(self, piece: Any) -> str:
        text, counts = piece
        self.spool.write("\n  " + text)
        for key, value in counts.items():
            self.totals[key] += value
        self.count += 1
        return ""

    def end(self) -> Iterator[str]:
        root = ET.Element("testsuites", name="brocheck")
        tally(root, self.totals)
        empty = ET.tostring(root, encoding="unicode")
        if not self.count:
            yield document(root, self.totals)
            return
        assert empty.endswith(" />")
        yield '<?xml version="1.0" encoding="UTF-8"?>\n' + empty[:-3] + ">"
        self.spool.seek(0)
        while chunk := self.spool.read(1 << 20):
            yield chunk
        self.spool.close()
        yield "\n</testsuites>\n"


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
