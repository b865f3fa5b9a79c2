"""`brocheck check --format`: invalid case files in the CI formats, placed like assessment findings.

Every problem is at its `file:line:col` in the case file (at the file alone when it has no line, e.g. a
missing file): `json` lists every checked file and its problems; `sarif` is one run with one rule
(`arendefil`) and an `error` per problem; `github` is one `::error` workflow command per problem; `junit`
is one testcase per file, failed by its problems. Valid files appear in json, sarif (as artifacts) and
junit (as passed testcases).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from brocheck.errors import Problem
from brocheck.render import github, junit, sarif
from brocheck.render.escape import json_text, xml

Checked = tuple[str, list[Problem]]
"""A case file as given on the command line and its problems (none: valid)."""

RULE_ID = "arendefil"
TITLE = "Ogiltig ärendefil"
DESCRIPTION = "Ärendefilen ska kunna läsas som YAML och följa brochecks schema för ärendefiler."


def render_json(results: list[Checked]) -> str:
    files = [{"file": file, "valid": not problems,
              "problems": [{"line": p.line, "column": p.col, "message": p.message} for p in problems]}
             for file, problems in results]
    doc = {"valid": all(f["valid"] for f in files), "files": files}
    return json_text(doc)


def render_sarif(results: list[Checked]) -> str:
    rule = {"id": RULE_ID, "name": RULE_ID, "shortDescription": {"text": TITLE},
            "fullDescription": {"text": DESCRIPTION}, "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["brocheck", "schema"]}}
    found: list[dict[str, Any]] = [
        {"ruleId": RULE_ID, "ruleIndex": 0, "level": "error", "message": {"text": p.message},
         "locations": [sarif.location(file, index, p.line, p.col)]}
        for index, (file, problems) in enumerate(results) for p in problems]
    return sarif.log([rule], [file for file, _ in results], found)


def render_github(results: list[Checked]) -> str:
    return "".join(github.workflow_command("error", file, p.line, p.col, f"brocheck check: {TITLE.lower()}",
                                           p.message)
                   for file, problems in results for p in problems)


def render_junit(results: list[Checked]) -> str:
    root = ET.Element("testsuites", name="brocheck check")
    suite = ET.SubElement(root, "testsuite", name="brocheck check")
    for file, problems in results:
        case = ET.SubElement(suite, "testcase", classname="Ärendefiler", name=xml(file),
                             file=xml(file))
        if problems:
            if problems[0].line is not None:
                case.set("line", str(problems[0].line))
            ET.SubElement(case, "failure", message=xml(problems[0].message), type=TITLE).text = \
                xml("\n".join(str(p) for p in problems))
    totals = {"tests": len(results), "failures": sum(1 for _, problems in results if problems), "skipped": 0}
    junit.tally(suite, totals)
    return junit.document(root, totals)


FORMATS: dict[str, Callable[[list[Checked]], str]] = {
    "json": render_json, "sarif": render_sarif, "github": render_github, "junit": render_junit}
