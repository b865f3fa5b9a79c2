"""`--format sarif`: SARIF 2.1.0 for code scanning (GitHub upload-sarif and other SARIF viewers).

One run for all cases. Every rule of the rule set is described in `tool.driver.rules`; every row whose
rating is not the best of its scale, or could not be assessed, is a result at the case-file line of
the first fact the rule used (the `granskning` line when it used none): `error` for the worst ratings
(severity 3), `warning` for severity 2, `note` for severity 1 and "Kan ej bedömas".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from brocheck import __version__
from brocheck.render import OVERALL_TITLE, Stream, is_finding, label, position, severity, table_title
from brocheck.render.escape import json_text, json_value, markdown

if TYPE_CHECKING:
    from brocheck.engine import Assessment, Result

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS: dict[int | None, str] = {3: "error", 2: "warning", 1: "note"}


def level(a: Assessment, r: Result) -> str:
    """error / warning / note by severity; "Kan ej bedömas" is a note."""
    return LEVELS.get(severity(a, r), "note")


def artifact_uri(file: str) -> str:
    """The case file's path as given, as a URI reference: relative paths stay relative (resolved
    against the repository root by code scanning), percent-encoded; absolute paths become file: URIs."""
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def location(file: str, index: int, line: int | None, col: int | None) -> dict[str, Any]:
    """A result's place: the file (its index among the run's artifacts) and, when known, line and column."""
    where: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file), "index": index}}
    if line is not None:
        where["region"] = {"startLine": line, "startColumn": col or 1}
    return {"physicalLocation": where}


def log(rules: list[dict[str, Any]], files: Iterable[str], results: list[dict[str, Any]] | str) -> str:
    """The SARIF log: one run of brocheck with its rules, the files it read and its results."""
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "brocheck", "version": __version__, "rules": rules}},
            "artifacts": [{"location": {"uri": artifact_uri(f)}} for f in files],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json_text(doc)


def rule(a: Assessment, r: Result) -> dict[str, Any]:
    source = list(r.placed.rule.source)
    where = f"Tabell {r.placed.table}" if r.placed.table else OVERALL_TITLE
    return {
        "id": r.id,
        "name": r.id,
        "shortDescription": {"text": label(r)},
        "fullDescription": {"text": r.criterion},
        "help": {"text": f"{where}: {table_title(a, r)}\nKälla: {'; '.join(source)}",
                 "markdown": f"**{where}.** {markdown(table_title(a, r))}\n\n"
                             f"**Källa:** {markdown('; '.join(source))}"},
        "properties": {"ref": r.placed.ref, "table": r.placed.table, "source": source,
                       "tags": ["brocheck", f"tabell-{r.placed.table}" if r.placed.table else "sammanfattning"]},
    }


def result(a: Assessment, r: Result, rule_index: int, file_index: int) -> dict[str, Any]:
    line, col = position(a, r)
    out: dict[str, Any] = {
        "ruleId": r.id,
        "ruleIndex": rule_index,
        "level": level(a, r),
        "message": {"text": f"{r.placed.ref} {r.rating}: {r.comment}"},
        "locations": [location(a.loaded.file, file_index, line, col)],
        "properties": {"rating": r.rating, "ref": r.placed.ref, "criterion": r.criterion,
                       "municipality": a.municipality},
    }
    if r.missing:
        out["properties"]["missing"] = list(r.missing)
    return out


def stream(files: list[str]) -> Stream:
    return _Stream(files)


class _Stream(Stream):
    """The log's head (the rules, as the first case words them, and every file) comes with the first
    case; each case's results follow as they come, indented as in the whole document."""

    parallel = True
    _MARK = "@@results@@"

    def __init__(self, files: list[str]) -> None:
        super().__init__()
        self.files = {f: i for i, f in enumerate(dict.fromkeys(files))}
        self.tail = ""
        self.indent = ""
        self.count = 0

    def piece(self, a: Assessment, first: bool) -> tuple[list[dict[str, Any]] | None, list[str]]:
        rows = a.rows()
        index = {r.id: i for i, r in enumerate(rows)}  # as `render` numbers the rules: the first case's rows
        results = [json_value(result(a, r, index[r.id], self.files[a.loaded.file])) for r in rows if is_finding(a, r)]
        return ([rule(a, r) for r in rows] if first else None), results

    def add(self, piece: Any) -> str:
        rules, results = piece
        out = ""
        if rules is not None:
            head, _, self.tail = log(rules, self.files, self._MARK).partition(f'"{self._MARK}"')
            line_start = head.rsplit("\n", 1)[1]
            self.indent = line_start[:len(line_start) - len(line_start.lstrip(" "))] + "  "
            out = head
        for item in results:
            out += ("[\n" if self.count == 0 else ",\n") + self.indent + item.replace("\n", "\n" + self.indent)
            self.count += 1
        return out

    def end(self) -> Iterator[str]:
        yield ("\n" + self.indent[:-2] + "]" if self.count else "[]") + self.tail


def render(assessments: list[Assessment]) -> str:
    files = {f: i for i, f in enumerate(dict.fromkeys(a.loaded.file for a in assessments))}
    rules: dict[str, dict[str, Any]] = {}
    for a in assessments:
        for r in a.rows():
            rules.setdefault(r.id, rule(a, r))
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    results = [result(a, r, index[r.id], files[a.loaded.file])
               for a in assessments for r in a.rows() if is_finding(a, r)]
    return log(list(rules.values()), files, results)
