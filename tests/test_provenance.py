"""Provenance in the Markdown report: each table row carries at most one footnote mark, whose note
(right below its table) cites every document the row's rule relied on, each once with its pages; the
report ends with a Källförteckning that lists every source of the case once, grouped as audit reports
group it."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from brocheck.engine import Assessment, assess
from brocheck.explain import cited, relied, sources
from brocheck.loader import LoadedCase
from brocheck.render import renderer
from brocheck.render.sources import GROUPS, Entry, Sources, locators
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


def table_lines(body: str) -> list[str]:
    return [ln for ln in body.splitlines() if ln.startswith("| ") and not ln.startswith(("| ---", "| Revisions"))]


def test_every_row_has_at_most_one_mark_and_every_note_is_defined_once(markdown: str) -> None:
    body, tail = split(markdown)
    for line in table_lines(body):
        assert len(REF.findall(line)) <= 1, line
    used = [int(n) for n in REF.findall(body)]
    defined = [int(n) for n, _ in DEF.findall(body)]
    assert used == list(range(1, len(used) + 1))  # numbered in order of use, each used once
    assert defined == used
    assert not DEF.search(tail) and not REF.findall(tail)


def test_notes_stand_below_their_table(markdown: str) -> None:
    body, _ = split(markdown)
    for section in body.split("\n## ")[1:]:
        assert set(REF.findall(section)) == {n for n, _ in DEF.findall(section)}, section[:80]


def kallforteckning(tail: str) -> dict[int, str]:
    """Källförteckning number -> the entry's text."""
    return {int(n): text for n, text in re.findall(r"^- \\\[(\d+)\\\] (.+)$", tail, re.M)}


def shown(d: Entry) -> str:
    """How the Markdown Källförteckning shows a document (Borås' titles need no escaping)."""
    return ", ".join(p for p in (d.title, f"<{d.url}>" if d.url else None, d.when) if p)


def test_each_note_cites_the_documents_its_row_relied_on(assessment: Assessment, markdown: str) -> None:
    body, tail = split(markdown)
    notes = dict(DEF.findall(body))
    entries = kallforteckning(tail)
    rows = [r for t in assessment.tables for r in t.rows]
    lines = table_lines(body)
    assert len(lines) == len(rows) == 40
    checked = 0
    for r, line in zip(rows, lines, strict=True):
        assert r.criterion in line
        documents = list(dict.fromkeys(Entry.of(k) for k in cited(assessment.loaded.case, r.used)))
        marks = REF.findall(line)
        assert bool(marks) == bool(documents), r.placed.ref
        if documents:
            note = notes[marks[0]]
            assert note.startswith("Källa: " if len(documents) == 1 else "Källor: ")
            numbers = [int(n) for n in re.findall(r"\\\[(\d+)\\\]", note)]
            assert numbers == sorted(set(numbers)), note  # each document once, in Källförteckning order
            assert sorted(entries[n] for n in numbers) == sorted(shown(d) for d in documents), r.placed.ref
            checked += 1
    assert checked > 30


def test_a_note_gives_each_document_once_with_its_pages(assessment: Assessment) -> None:
    sources = Sources(assessment.loaded.case)
    note = sources.note(assessment.results["atgard-problem"].used)
    plan = next(n for g in sources.groups for n, e in g.entries if e.title.startswith("Brottsförebyggande rådet (Brå)"))
    assert note is not None and note.count(f"[{plan}]") == 1
    assert f"[{plan}] s. 3, 4, 5f, 7f, 9ff och 15ff;" in note
    assert locators(["§ 1", "§§ 2–3"]) == "§ 1 och §§ 2–3" and locators(["s. 4"]) == "s. 4"


def test_the_kallforteckning_lists_every_document_once_in_its_group(assessment: Assessment,
                                                                    markdown: str) -> None:
    _, tail = split(markdown)
    assert "\n## " not in tail, "Källförteckning is not the last section"
    headings = re.findall(r"^### (.+)$", tail, re.M)
    assert headings == ["Skriftliga källor", "Styrdokument och andra dokument", "Protokoll", "Internet", "Intervjuer"]
    assert headings == [g for g, _ in GROUPS if g in headings]
    entries = kallforteckning(tail)
    assert list(entries) == list(range(1, len(entries) + 1))
    case = assessment.loaded.case
    documents = list(dict.fromkeys(Entry.of(k) for k in case.kallor))
    assert len(entries) == len(documents) < len(case.kallor)  # page-level sources merged into documents
    assert len(set(entries.values())) == len(entries)
    for d in documents:
        assert sum(text.startswith(d.title) for text in entries.values()) >= 1
    protocols = tail.split("### Protokoll\n", 1)[1].split("###", 1)[0]
    assert "Kommunstyrelsens protokoll, 3 mars 2025\n" in protocols
    internet = tail.split("### Internet\n", 1)[1]
    assert "<https://www.boras.se/" in internet and "hämtad 10 mars 2025" in internet


def test_overall_cites_its_sources_too(markdown: str) -> None:
    body, _ = split(markdown)
    overall = body.split("## Sammanfattande bedömning", 1)[1].split("\n## ", 1)[0]
    assert len(REF.findall(overall)) == 1 and len(DEF.findall(overall)) == 1


def test_footnotes_render_cleanly_in_table_cells(markdown: str) -> None:
    body, _ = split(markdown)
    for line in body.splitlines():
        if line.startswith("| ") and "[^" in line:
            assert line.endswith("] |") and line.count(" | ") == 2  # the mark ends the comment cell


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


def _without_citations(data: dict[str, Any]) -> dict[str, Any]:
    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "kallor"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(copy.deepcopy(data))  # type: ignore[no-any-return]


def test_without_cited_sources_there_are_no_marks(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    data = _without_citations(boras_data)
    data["kallor"] = boras_data["kallor"]
    markdown = renderer("markdown")([assess(ruleset, case_from(data))])
    _, tail = split(markdown)
    assert "[^" not in markdown
    assert "### Protokoll" in tail  # the case's sources are still listed


def test_without_sources_the_kallforteckning_says_so(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    markdown = renderer("markdown")([assess(ruleset, case_from(_without_citations(boras_data)))])
    _, tail = split(markdown)
    assert "Ärendefilen anger inga källor." in tail and "###" not in tail


def test_several_reports_in_one_output_never_share_a_footnote_label(assessment: Assessment) -> None:
    markdown = renderer("markdown")([assessment, assessment])
    labels = [int(n) for n, _ in DEF.findall(markdown)]
    assert len(labels) == len(set(labels)) and markdown.count("## Källförteckning") == 2
    assert set(int(n) for n in REF.findall(markdown)) == set(labels)
