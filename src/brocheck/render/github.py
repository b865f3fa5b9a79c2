"""`--format github`: GitHub Actions workflow commands, shown as annotations on the case file's line.

One command per row whose rating is not the best of its scale: `::error` for the worst ratings
(severity 3), `::warning` for severity 2, `::notice` for severity 1 and "Kan ej bedömas".
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from brocheck.render import CaseByCase, is_finding, label, position, severity
from brocheck.render.escape import workflow_data, workflow_property

if TYPE_CHECKING:
    from brocheck.engine import Assessment, Result

COMMANDS: dict[int | None, str] = {3: "error", 2: "warning", 1: "notice"}


def workflow_command(name: str, file: str, line: int | None, col: int | None, title: str, message: str) -> str:
    """`::name file=…,line=…,col=…,title=…::message`, escaped; without line and col when unknown."""
    props = {"file": PurePath(file).as_posix()}
    if line is not None:
        props |= {"line": str(line), "col": str(col or 1)}
    props["title"] = title
    joined = ",".join(f"{key}={workflow_property(value)}" for key, value in props.items())
    return f"::{name} {joined}::{workflow_data(message)}\n"


def command(a: Assessment, r: Result) -> str:
    line, col = position(a, r)
    return workflow_command(COMMANDS.get(severity(a, r), "notice"), a.loaded.file, line, col,
                            f"{r.placed.ref} {r.rating} ({r.id})", f"{r.comment}\n\n{label(r)}")


def render(assessments: list[Assessment]) -> str:
    return "".join(command(a, r) for a in assessments for r in a.rows() if is_finding(a, r))


def stream(files: list[str]) -> CaseByCase:
    return CaseByCase(render, uses_facts=True)
