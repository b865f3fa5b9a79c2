"""`--format github`: GitHub Actions workflow commands, shown as annotations on the case file's line.

One command per row whose rating is not the best of its scale: `::error` for the worst ratings
(severity 3), `::warning` for severity 2, `::notice` for severity 1 and "Kan ej bedömas".
"""

from __future__ import annotations

from pathlib import PurePath

from brocheck.engine import Assessment, Result
from brocheck.render import is_finding, label, position, severity

COMMANDS: dict[int | None, str] = {3: "error", 2: "warning", 1: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and also `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(a: Assessment, r: Result) -> str:
    name = COMMANDS.get(severity(a, r), "notice")
    line, col = position(a, r)
    props = {"file": PurePath(a.loaded.file).as_posix(), "line": str(line), "col": str(col),
             "title": f"{r.placed.ref} {r.rating} ({r.id})"}
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    message = f"{r.comment}\n\n{label(r)}"
    return f"::{name} {joined}::{escape_data(message)}\n"


def render(assessments: list[Assessment]) -> str:
    return "".join(command(a, r) for a in assessments for r in a.rows() if is_finding(a, r))
