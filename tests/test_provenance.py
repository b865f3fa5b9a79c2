"""Provenance in the Markdown report: comments cite the sources behind the facts their rules relied
on as footnotes, numbered in order of first use; the report ends with a Källförteckning that defines
exactly the cited sources."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from brocheck.engine import Assessment, assess
from brocheck.explain import cited, relied, source_text, sources
from brocheck.loader import LoadedCase
from brocheck.render import renderer
from brocheck.ruleset import RuleSet
from tests.conftest import case_from

REF = re.compile(r"\[\^(\d+)\](?!:)")
DEF = re.compile(r"^\[\^(\d+)\]: (.+)$", re.M)


@pytest.fixture(scope="module")
def assessment(ruleset: RuleSet, boras: LoadedCase) -> Assessment:
    return assess(ruleset, boras)


@pytest.fixture(scope="module")
def markdown(assessment: Assessment) -> str:
    return renderer("markdown")([assessment])


def split(markdown: str) -> tuple[str, str]:
    body, sep, tail = markdown.partition("\n## Källförteckning\n")
    assert sep, "no Källförteckning"
    return body, tail


def test_report_ends_with_kallforteckning_of_exactly_the_cited_sources(markdown: str) -> None:
    body, tail = split(markdown)
    assert "\n## " not in tail, "Källförteckning is not the last section"
    used = [int(n) for n in REF.findall(body)]
    defined = [int(n) for n, _ in DEF.findall(tail)]
    assert used and defined == sorted(set(used))
    assert not DEF.search(body) and not REF.findall(tail)


def test_footnotes_are_numbered_in_order_of_first_use(markdown: str) -> None:
    body, _ = split(markdown)
    first = list(dict.fromkeys(int(n) for n in REF.findall(body)))
    assert first == list(range(1, len(first) + 1))


def test_each_row_cites_the_sources_its_rule_relied_on(assessment: Assessment, markdown: str) -> None:
    body, tail = split(markdown)
    texts = {int(n): text for n, text in DEF.findall(tail)}
    lines = [ln for ln in body.splitlines() if ln.startswith("| ") and not ln.startswith(("| ---", "| Revisions"))]
    rows = [r for t in assessment.tables for r in t.rows]
    assert len(lines) == len(rows)
    cells = {r.id: line for r, line in zip(rows, lines, strict=True)}
    checked = 0
    for r in rows:
        assert r.criterion in cells[r.id]
        want = [source_text(k) for k in cited(assessment.loaded.case, r.used)]
        got = [texts[int(n)] for n in REF.findall(cells[r.id])]
        assert sorted(got) == sorted(want), r.placed.ref
        checked += bool(want)
    assert checked > 20


def test_overall_cites_its_sources_too(assessment: Assessment, markdown: str) -> None:
    body, _ = split(markdown)
    overall = body.split("## Sammanfattande bedömning", 1)[1]
    assert len(REF.findall(overall)) == len(cited(assessment.loaded.case, assessment.overall.used))


def test_footnotes_render_cleanly_in_table_cells(markdown: str) -> None:
    body, _ = split(markdown)
    for line in body.splitlines():
        if line.startswith("| ") and "[^" in line:
            assert line.endswith(" |") and line.count(" | ") == 2  # refs stay inside the comment cell


def test_only_the_elements_a_filter_kept_are_relied_on() -> None:
    paths: list[tuple[str | int, ...]] = [("beslut",), ("beslut", 0, "typ"), ("beslut", 1, "typ"),
                                          ("beslut", 1, "till"), ("organ", 2), ("organ", 3, "id")]
    assert relied(paths) == {("beslut",), ("beslut", 1, "typ"), ("beslut", 1, "till"), ("organ", 2),
                             ("organ", 3, "id")}
    # elements read alike are all relied on: nothing tells them apart
    same: list[tuple[str | int, ...]] = [("organ", 0, "typ"), ("organ", 1, "typ")]
    assert relied(same) == set(same)


def test_a_fact_cites_its_nearest_enclosing_object_with_sources(boras: LoadedCase) -> None:
    case = boras.case
    by_id = {k.id: k for k in case.kallor}
    i, beslut = next((i, b) for i, b in enumerate(case.beslut or []) if b.kallor)
    assert sources(case, ("beslut", i, "typ")) == tuple(by_id[k] for k in beslut.kallor)
    lagesbild = (case.dokument.lagesbilder or [])[0]
    assert lagesbild.kallor
    # innehall is no case object of its own: its facts stand on the lägesbild's sources
    assert sources(case, ("dokument", "lagesbilder", 0, "innehall", "kartlaggning")) == \
        tuple(by_id[k] for k in dict.fromkeys(lagesbild.kallor))
    # a whole list whose elements were not read stands on all its elements' sources
    whole = sources(case, ("beslut",))
    assert set(whole) == {by_id[k] for b in case.beslut or [] for k in b.kallor}
    assert sources(case, ("beslut",), [("beslut", i, "typ")]) == ()


def test_without_cited_sources_the_kallforteckning_says_so(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "kallor"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    data = strip(copy.deepcopy(boras_data))
    data["kallor"] = boras_data["kallor"]
    markdown = renderer("markdown")([assess(ruleset, case_from(data))])
    _, tail = split(markdown)
    assert "[^" not in markdown
    assert "Inga kommentarer hänvisar till källor" in tail


def test_several_reports_in_one_output_never_share_a_footnote_label(assessment: Assessment) -> None:
    markdown = renderer("markdown")([assessment, assessment])
    labels = [int(n) for n, _ in DEF.findall(markdown)]
    assert len(labels) == len(set(labels)) and markdown.count("## Källförteckning") == 2
    assert set(int(n) for n in REF.findall(markdown)) == set(labels)
