"""`--format docx`: the audit report as a Word document, built with python-docx.

The same report as the Markdown output (brocheck.render.report): for each table its heading, the
assessment text, the table (header row repeated on every page, fixed column widths on A4, level-2 rows
indented, ratings in bold, a superscript note number after the comment), the caption and the notes
with the row's sources; then the summary, the recommendations by addressee, the auditor's manual
judgements and the Källförteckning. Several cases give one document, a report per case, each starting
on a new page. The organisation picture is Mermaid and stays in the Markdown report.

python-docx rather than docxtpl: the report's structure (five tables of varying length, notes,
recommendation groups) comes from the rules, so it is built in code, and no auditor has to keep Jinja
tags inside a Word template. Text from the case is written as plain runs, which python-docx escapes;
characters XML cannot hold are shown as escapes (`\\x1b`, brocheck.render.escape.xml). The bytes are
deterministic: the core properties carry the case's as-of date, and the zip entries a fixed time, in a
fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from brocheck.engine import Assessment
from brocheck.render.escape import xml
from brocheck.render.report import Note, Report, Row, Table, build, say

WIDTHS = (Cm(5.6), Cm(3.8), Cm(6.6))
"""The tables' columns on A4 with 2.5 cm margins: criterion, rating, comment (16 cm)."""
LEVEL_2_INDENT = Cm(0.5)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_FILL = "D9E2F3"


def render(assessments: list[Assessment]) -> bytes:
    document = Document()
    _setup(document, assessments)
    for i, report in enumerate(build(assessments)):
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _report(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue())


def _setup(document: DocumentObject, assessments: list[Assessment]) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    _language(document, "sv-SE")
    footer = section.footer.paragraphs[0]
    footer.text = ""
    _run(footer, "Sida ")
    _field(footer, "PAGE")
    first = assessments[0] if assessments else None
    props = document.core_properties
    when = dt.datetime.combine(first.asof if first else dt.date(2000, 1, 1), dt.time(), dt.UTC)
    props.created = props.modified = props.last_printed = when
    props.author = props.last_modified_by = "brocheck"
    props.revision = 1
    # a core property holds at most 255 characters (python-docx refuses more); a case's name may be longer
    props.title = _title(first)[:255] if first else "Granskning av det brottsförebyggande arbetet"
    props.subject = "Granskning enligt Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete"
    props.keywords = props.comments = props.category = ""


def _heading(document: DocumentObject, text: str, level: int) -> None:
    document.add_heading(xml(text), level=level)


def _title(a: Assessment) -> str:
    return xml(f"{a.municipality}: granskning av det brottsförebyggande arbetet")


def _language(document: DocumentObject, tag: str) -> None:
    """Swedish as the document's language (spelling, hyphenation)."""
    node = document.styles.element
    for name in ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang"):
        child = node.find(qn(name))
        if child is None:
            child = OxmlElement(name)
            if name == "w:docDefaults":
                node.insert(0, child)
            else:
                node.append(child)
        node = child
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        node.set(qn(attr), tag)


def _field(paragraph: Paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
         superscript: bool = False, size: float | None = None) -> None:
    run = paragraph.add_run(xml(text))
    run.bold = bold or None
    run.italic = italic or None
    if superscript:
        run.font.superscript = True
    if size:
        run.font.size = Pt(size)


def _paragraph(container: DocumentObject | _Cell, text: str = "", style: str | None = None, *,
               size: float | None = None, space_after: float | None = None) -> Paragraph:
    paragraph = container.add_paragraph(style=style)
    if text:
        _run(paragraph, text, size=size)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _report(document: DocumentObject, report: Report) -> None:
    a = report.assessment
    _heading(document, _title(a), level=0)
    _paragraph(document, say("intro", a, report.manual))
    for table in report.tables:
        _table(document, table)
    _heading(document, "Sammanfattande bedömning", level=1)
    overall = _paragraph(document)
    _run(overall, f"{a.overall.rating}.", bold=True)
    if a.overall.rule_rating is not None:
        _run(overall, f" (Regeln: {a.overall.rule_rating}.)")
    _run(overall, f" {a.overall.comment}")
    _mark(overall, report.overall)
    if report.overall.judgement:
        _judgement(_paragraph(document), report.overall)
    _notes(document, report.overall_notes)
    _recommendations(document, report)
    _manual(document, report)
    _sources(document, report)


def _table(document: DocumentObject, t: Table) -> None:
    _heading(document, t.heading, level=1)
    for text in t.assessment:
        _paragraph(document, text)
    grid = document.add_table(rows=1, cols=3)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _header(grid, (t.first_column, "Bedömning", "Kommentar"))
    for row in t.rows:
        _row(grid, row)
    _widths(grid)
    caption = _paragraph(document, style="Caption", space_after=4)
    _run(caption, f"Tabell {t.number}. {t.title}")
    _notes(document, t.notes)


def _header(grid: DocxTable, titles: Iterable[str]) -> None:
    row = grid.rows[0]
    trpr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, title in zip(row.cells, titles, strict=True):
        paragraph = cell.paragraphs[0]
        _run(paragraph, title, bold=True, size=9.5)
        paragraph.paragraph_format.space_after = Pt(0)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shading)


def _row(grid: DocxTable, row: Row) -> None:
    r = row.result
    cells = grid.add_row().cells  # type: ignore[no-untyped-call]
    trpr = grid.rows[-1]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))  # a row is never split between pages
    criterion = cells[0].paragraphs[0]
    if r.placed.rule.level == 2:
        criterion.paragraph_format.left_indent = LEVEL_2_INDENT
        criterion.paragraph_format.first_line_indent = -Cm(0.3)
        _run(criterion, "– " + r.criterion, size=9.5)
    else:
        _run(criterion, r.criterion, size=9.5)
    rating = cells[1].paragraphs[0]
    _run(rating, r.rating, bold=True, size=9.5)
    if r.rule_rating is not None:
        _run(rating, f"\n(regeln: {r.rule_rating})", italic=True, size=8.5)
    comment = cells[2].paragraphs[0]
    _run(comment, r.comment, size=9.5)
    _mark(comment, row, size=9.5)
    if row.judgement:
        _judgement(cells[2].add_paragraph(), row, size=9.5)
    for cell in cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.space_after = Pt(2)


def _mark(paragraph: Paragraph, row: Row, size: float | None = None) -> None:
    if row.note:
        _run(paragraph, str(row.note), superscript=True, size=size)


def _judgement(paragraph: Paragraph, row: Row, size: float | None = None) -> None:
    _run(paragraph, "Manuell bedömning ", italic=True, size=size)
    _run(paragraph, say("judgement", row.judgement), size=size)


def _widths(grid: DocxTable) -> None:
    """Fixed column widths, in the table grid (LibreOffice) and in every cell (Word)."""
    tblpr = grid._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for column, width in zip(grid.columns, WIDTHS, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _notes(document: DocumentObject, notes: tuple[Note, ...]) -> None:
    for note in notes:
        paragraph = _hanging(_paragraph(document, space_after=2), Cm(0.5))
        _run(paragraph, str(note.number), superscript=True, size=8)
        _run(paragraph, f"\t{note.text}", size=8)


def _recommendations(document: DocumentObject, report: Report) -> None:
    _heading(document, "Rekommendationer", level=1)
    _paragraph(document, say("recommendations", report.recommendations))
    for group in report.recommendations:
        _heading(document, group.to, level=2)
        for item in group.items:
            paragraph = _hanging(_paragraph(document), Cm(0.8))
            _run(paragraph, f"{item.number}.\t{item.text} ({', '.join(item.refs)})")


def _hanging(paragraph: Paragraph, indent: Length) -> Paragraph:
    """A paragraph whose first line starts `indent` to the left (a number or mark, then a tab)."""
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.first_line_indent = -indent
    paragraph.paragraph_format.tab_stops.add_tab_stop(indent)
    return paragraph


def _manual(document: DocumentObject, report: Report) -> None:
    m = report.manual
    if not (m.applied or m.lapsed or m.not_applied):
        return
    _heading(document, "Manuella bedömningar", level=1)
    if m.applied:
        _paragraph(document, say("manual_applied", m))
        for r in m.applied:
            paragraph = _paragraph(document)
            _run(paragraph, f"{r.placed.ref} {r.rating}", bold=True)
            _run(paragraph, f" (regeln: {r.rule_rating}). ")
            _judgement(paragraph, Row(r, None))
    elif m.not_applied:
        _paragraph(document, say("manual_not_applied", m))
    if m.lapsed:
        _paragraph(document, say("manual_lapsed", m))
        for b in m.lapsed:
            found = report.assessment.ruleset.find(b.regel)
            _paragraph(document, say("lapsed", b, found.ref if found else b.regel))


def _sources(document: DocumentObject, report: Report) -> None:
    _heading(document, "Källförteckning", level=1)
    if not report.sources:
        _paragraph(document, say("no_sources"))
    for group in report.sources:
        _heading(document, group.heading, level=2)
        for number, entry in group.entries:
            _hanging(_paragraph(document, f"[{number}]\t{entry.text()}", space_after=3), Cm(0.8))


def _deterministic(data: bytes) -> bytes:
    """The package with every zip entry at a fixed time and with fixed attributes, in the order written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()

