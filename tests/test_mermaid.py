"""The organisation picture: Mermaid flowchart syntax that GitHub renders, whatever the case's names say.

Mermaid's own parser is not available offline, so `parse` below checks the subset of the flowchart
grammar brocheck emits, strictly: every line is one known statement, ids are plain and not keywords,
labels are quoted and hold no character Mermaid would read (only entity codes), subgraphs close, and
every id an edge or class names is a declared node.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from brocheck import yamlsafe
from brocheck.casepatch import apply
from brocheck.render.mermaid import LEVELS, flowchart, label
from brocheck.ruleset import RuleSet
from brocheck.text import squash
from scripts.regen_golden import ORGANISATION, organisation_doc
from tests.conftest import BORAS, ROOT, assess_data, case_from

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"(?:[^"#<>&`]|#(?:[a-z]+|\d+);)*"'
KEYWORDS = {"end", "subgraph", "graph", "flowchart", "class", "classdef", "click", "style", "linkstyle",
            "direction", "default", "call", "href"}
ARROWS = {"-->": "leder", "==>": "styr", "-.->": "rapporterar till", "---": "hör till"}
STATEMENTS = [
    ("subgraph", re.compile(rf"^subgraph ({ID})\[({LABEL})\]$")),
    ("end", re.compile(r"^end$")),
    ("node", re.compile(rf"^({ID})\[({LABEL})\]$")),
    ("edge", re.compile(rf"^({ID}) (-->|==>|-\.->|---)\|([^|\"]+)\| ({ID})$")),
    ("classDef", re.compile(r"^classDef ([a-z]+) ([a-z-]+:[#\w ]+(?:,[a-z-]+:[#\w ]+)*)$")),
    ("class", re.compile(rf"^class ({ID}(?:,{ID})*) ([a-z]+)$")),
]


@dataclass
class Chart:
    nodes: dict[str, str] = field(default_factory=dict)
    """Node id -> its label as shown (entities decoded)."""
    levels: dict[str, list[str]] = field(default_factory=dict)
    """Subgraph label -> the node ids in it."""
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)


def shown(quoted: str) -> str:
    """What Mermaid shows for a quoted label: the entity codes decoded."""
    return html.unescape(re.sub(r"#(\d+);", r"&#\1;", re.sub(r"#([a-z]+);", r"&\1;", quoted[1:-1])))


def parse(source: str) -> Chart:
    lines = source.splitlines()
    assert lines[0] == "flowchart TB" and source.endswith("\n")
    chart, stack, defined = Chart(), [], set()
    for number, raw in enumerate(lines[1:], 2):
        line = raw.strip()
        kind, match = next(((k, m) for k, rx in STATEMENTS if (m := rx.match(line))), (None, None))
        assert match is not None, f"line {number} is no statement brocheck emits: {raw!r}"
        ids = [g for g in match.groups() if g and re.fullmatch(ID, g)]
        assert not any(i.lower() in KEYWORDS for i in ids), f"line {number}: a Mermaid keyword as id: {raw!r}"
        if kind == "subgraph":
            assert not stack, f"line {number}: nested subgraph"
            stack.append(shown(match.group(2)))
            chart.levels[stack[-1]] = []
            defined.add(match.group(1))
        elif kind == "end":
            assert stack, f"line {number}: end without subgraph"
            stack.pop()
        elif kind == "node":
            node = match.group(1)
            assert node not in chart.nodes and node not in defined, f"line {number}: {node} declared twice"
            chart.nodes[node] = shown(match.group(2))
            if stack:
                chart.levels[stack[-1]].append(node)
        elif kind == "edge":
            a, arrow, text, b = match.groups()
            assert a in chart.nodes and b in chart.nodes, f"line {number}: edge to an undeclared node"
            assert ARROWS[arrow] == text, f"line {number}: {arrow} is drawn for {ARROWS[arrow]!r}"
            chart.edges.append((chart.nodes[a], text, chart.nodes[b]))
        elif kind == "class":
            members, name = match.groups()
            assert all(m in chart.nodes for m in members.split(",")), f"line {number}: class of an undeclared node"
            chart.classes[name] = [chart.nodes[m] for m in members.split(",")]
    assert not stack, "a subgraph is not closed"
    return chart


@pytest.fixture(scope="module")
def boras_chart(ruleset: RuleSet, boras_data: dict[str, Any]) -> Chart:
    return parse(flowchart(assess_data(ruleset, boras_data).loaded.case))


def test_boras_picture_has_the_levels_and_who_leads_steers_and_reports(boras_chart: Chart) -> None:
    assert list(boras_chart.levels) == [title for _, title in LEVELS]
    assert boras_chart.levels["Strategisk nivå"] == ["o3"]
    assert boras_chart.nodes["o3"] == "Brottsförebyggande rådet i Borås (Brå)"
    edges = set(boras_chart.edges)
    bra = "Brottsförebyggande rådet i Borås (Brå)"
    assert ("Fritids- och folkhälsoförvaltningen", "leder", bra) in edges
    assert ("Fritids- och folkhälsonämnden", "styr", bra) in edges
    assert ("Effektiv samordning för trygghet (EST)", "rapporterar till", bra) in edges
    assert ("Samordningsfunktion för brottsförebyggande frågor", "hör till", "Fritids- och folkhälsoförvaltningen") \
        in edges
    assert boras_chart.classes["bada"] == [bra]
    assert "Effektiv samordning för trygghet (EST)" in boras_chart.classes["situationell"]
    assert "ANDTS styrgrupp" in boras_chart.classes["social"]
    assert len(boras_chart.levels["Lokal nivå"]) == 3


HOSTILE = '"Kommun" <b>styrelsen</b> & #1; end `kod` [sic] | x\ny %% inte en kommentar'


def test_any_name_renders_as_written(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, [
        {"op": "set", "path": "organ[bra].namn", "value": HOSTILE},
        {"op": "set", "path": "organ[bra].kortnamn", "value": "end"},
        {"op": "set", "path": "organ[fof].namn", "value": "subgraph x[\"y\"] --> z"},
    ])
    chart = parse(flowchart(case_from(data).case))
    assert f"{squash(HOSTILE)} (end)" in chart.nodes.values()
    assert 'subgraph x["y"] --> z' in chart.nodes.values()


def test_ids_are_generated_whatever_the_case_ids(boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, [{"op": "set", "path": "organ[andts-styrgrupp].id", "value": "end"},
                              {"op": "set", "path": "organ[beredningsgrupp-god-start].id", "value": "a.b-c"}])
    chart = parse(flowchart(case_from(data).case))
    central = {chart.nodes[n] for n in chart.levels["Central nivå"]}
    assert {"ANDTS styrgrupp", "Beredningsgruppen för en god start i livet (Socialt hållbart Borås)"} <= central


def test_a_case_without_levels_draws_what_it_has() -> None:
    data = yamlsafe.load(ROOT / "tests" / "cases" / "minimal.yaml").data
    chart = parse(flowchart(case_from(data).case))
    assert chart.nodes


def test_label_escapes_every_character_mermaid_reads() -> None:
    assert label('a "b" <c> & #d `e`') == '"a #quot;b#quot; #lt;c#gt; #amp; #35;d #96;e#96;"'
    assert shown(label("Fritids- och folkhälsonämnden [sic]")) == "Fritids- och folkhälsonämnden [sic]"


def test_format_mermaid_writes_the_picture(cli: Any) -> None:
    code, out, err = cli("assess", str(BORAS), "--format", "mermaid")
    assert code == 0 and err == ""
    parse(out)
    code, out, err = cli("assess", str(BORAS), str(BORAS), "--format", "mermaid")
    assert code == 2 and out == "" and "en ärendefil" in err


def test_the_markdown_report_holds_the_picture(cli: Any) -> None:
    code, out, _ = cli("assess", str(BORAS), "--format", "markdown")
    assert code == 0
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    parse(block)
    assert out.count("```mermaid") == 1


def test_the_documented_example_is_current() -> None:
    assert ORGANISATION.read_text(encoding="utf-8") == organisation_doc(), \
        "docs/organisation-boras.md is stale: run scripts/regen_golden.py"
