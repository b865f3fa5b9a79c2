"""Word output: a real .docx, read back with python-docx; the same bytes for the same input; a size
that stays within what the audit report itself takes (its tables fill about eight pages)."""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document

from brocheck.casepatch import apply
from brocheck.engine import Assessment
from brocheck.render import renderer
from brocheck.render.report import recommendations
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, assess_across_hash_seeds, assess_data


def build(assessments: list[Assessment]) -> bytes:
    data = renderer("docx")(assessments)
    assert isinstance(data, bytes)
    return data


def read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def boras_assessment(ruleset: RuleSet, boras_data: dict[str, Any]) -> Assessment:
    return assess_data(ruleset, boras_data)


@pytest.fixture(scope="module")
def boras_docx(boras_assessment: Assessment) -> bytes:
    return build([boras_assessment])


def test_the_tables_hold_every_row_with_its_rating_and_comment(boras_assessment: Assessment,
                                                                  boras_docx: bytes) -> None:
    document = read(boras_docx)
    assert len(document.tables) == len(boras_assessment.tables) == 5
    total = 0
    for table, expected in zip(document.tables, boras_assessment.tables, strict=True):
        header = [c.text for c in table.rows[0].cells]
        assert header == ["Revisionsfråga" if expected.number == 5 else "Revisionskriterie", "Bedömning", "Kommentar"]
        body = table.rows[1:]
        assert len(body) == len(expected.rows)
        for row, result in zip(body, expected.rows, strict=True):
            criterion, rating, comment = (c.text for c in row.cells)
            if result.placed.rule.level == 2:
                assert criterion == f"– {result.criterion}"
                assert row.cells[0].paragraphs[0].paragraph_format.left_indent is not None
            else:
                assert criterion == result.criterion
            assert rating == result.rating
            assert row.cells[1].paragraphs[0].runs[0].bold
            assert comment.startswith(result.comment)
        total += len(body)
    assert total + 1 == 41  # the 40 rows of tables 1–5 and the sammanfattande bedömning


def test_the_report_has_its_sections_in_order(boras_assessment: Assessment, boras_docx: bytes) -> None:
    document = read(boras_docx)
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading 1")]
    assert headings == [*(f"{t.title.rstrip('.')} (tabell {t.number})" for t in boras_assessment.tables),
                        "Sammanfattande bedömning", "Rekommendationer", "Källförteckning"]
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Borås Stad: granskning av det brottsförebyggande arbetet"
    summary = texts[texts.index("Sammanfattande bedömning") + 1]
    assert summary.startswith(f"{boras_assessment.overall.rating}. {boras_assessment.overall.comment}")
    captions = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert captions == [f"Tabell {t.number}. {t.title}" for t in boras_assessment.tables]


def test_recommendations_and_sources_are_in_the_document(boras_assessment: Assessment, boras_docx: bytes) -> None:
    texts = [p.text for p in read(boras_docx).paragraphs]
    items = [item for g in recommendations(boras_assessment) for item in g.items]
    for item in items:
        assert f"{item.number}.\t{item.text} ({', '.join(item.refs)})" in texts
    assert "Kommunstyrelsen och Fritids- och folkhälsonämnden" in texts
    assert "[19]\tKommunstyrelsens protokoll, 3 mars 2025" in texts
    notes = [t for t in texts if t[:1].isdigit() and "\tKäll" in t]
    assert len(notes) == 39 and notes[0].startswith("1\tKällor: [")


def test_building_twice_gives_the_same_bytes(boras_assessment: Assessment, boras_docx: bytes) -> None:
    assert build([boras_assessment]) == boras_docx
    with zipfile.ZipFile(io.BytesIO(boras_docx)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = read(boras_docx).core_properties
    assert props.created == props.modified and props.created is not None
    assert props.created.date() == boras_assessment.asof and props.author == "brocheck"


def test_the_document_stays_the_size_of_a_report(boras_docx: bytes) -> None:
    """LibreOffice renders the Borås document on 9 A4 pages (tables on the first 6); bound what drives the length."""
    document = read(boras_docx)
    characters = sum(len(p.text) for p in document.paragraphs) + \
        sum(len(c.text) for t in document.tables for r in t.rows for c in r.cells)
    assert len(document.paragraphs) <= 130 and characters <= 26_000, (len(document.paragraphs), characters)
    assert len(boras_docx) <= 60_000


def test_case_text_is_written_as_text(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    hostile = 'Fritids- & <w:t>folkhälso</w:t> "nämnden" [sic]\x01\x0b'
    data = apply(boras_data, [{"op": "set", "path": "organ[fon].namn", "value": hostile}])
    document = read(build([assess_data(ruleset, data)]))
    texts = "\n".join([p.text for p in document.paragraphs]
                      + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert 'Fritids- & <w:t>folkhälso</w:t> "nämnden" [sic]' in texts
    assert "\x01" not in texts and "\x0b" not in texts


def test_several_cases_make_one_document(boras_assessment: Assessment) -> None:
    document = read(build([boras_assessment, boras_assessment]))
    assert len(document.tables) == 10


def test_cli_writes_docx_and_markdown_in_one_run(cli: Any, tmp_path: Path) -> None:
    word, markdown = tmp_path / "r.docx", tmp_path / "r.md"
    code, out, err = cli("assess", str(BORAS), "--output", f"docx={word}", "--output", f"markdown={markdown}")
    assert code == 0 and out == "" and err == ""
    assert len(read(word.read_bytes()).tables) == 5
    text = markdown.read_text(encoding="utf-8")
    assert "## Rekommendationer" in text and "```mermaid" in text


def test_docx_is_refused_on_a_terminal(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = cli("assess", str(BORAS), "--format", "docx")
    assert code == 2 and out == ""
    assert "binär fil" in err and "--output" in err


def test_docx_goes_to_a_pipe_as_bytes_and_is_the_same_in_every_process() -> None:
    outputs = assess_across_hash_seeds("docx")
    assert outputs[0] == outputs[1] and outputs[0].startswith(b"PK")
    assert len(read(outputs[0]).tables) == 5


def test_manual_judgements_show_beside_the_rules_rating(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    from brocheck.engine import assess
    from brocheck.manual import judgements
    from tests.conftest import case_from

    judgement = {"regel": "T2.1", "bedomning": "Nej", "motivering": "Ingen nämnd har beslutat.", "av": "Revisor R",
                 "datum": dt.date(2025, 3, 1)}
    lapsed = {**judgement, "regel": "T4.1", "bedomning": "Inte helt", "upphor": dt.date(2025, 3, 10)}
    case = case_from(apply(boras_data, [{"op": "set", "path": "bedomningar", "value": [judgement, lapsed]}]))
    document = read(build([assess(ruleset, case, judgements(case, ruleset))]))
    row = document.tables[1].rows[1]
    assert row.cells[1].text == "Nej\n(regeln: Inte helt)"
    assert "Manuell bedömning (Revisor R, 1 mars 2025): Ingen nämnd har beslutat." in row.cells[2].text
    texts = [p.text for p in document.paragraphs]
    assert "Manuella bedömningar" in texts
    assert any(t.startswith("T4.1: Inte helt (Revisor R, 1 mars 2025; upphörde 10 mars 2025).") for t in texts)
