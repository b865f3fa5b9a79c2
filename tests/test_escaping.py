"""Escaping (issue 10): a case whose every free-text value, and whose file name, is hostile – rich markup,
terminal escape sequences, bidirectional overrides, Markdown and HTML, newlines that would start a heading
or a GitHub workflow command – is written by every format with each value shown as written and nothing
it could do done: no crash, no heading, no extra table cell, no extra workflow command, no control
character on a terminal, XML and JSON that parse (and JSON that gives the values back unchanged)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from brocheck.cli.main import main
from brocheck.render import escape
from tests.conftest import BORAS

HOSTILE = ("Ond [/] [bold]fet[/bold] :smile: \x1b[31mRÖD\x1b[0m \x9b2J \u202eTXET\u202c | rör *kursiv* _u_ `kod` "
           "<img src=x onerror=alert(1)> &amp; [länk](http://ond.example) 100% a:b,c\r\n# Rubrik\n"
           "::add-mask::hemligt\n::error file=x::falskt\n- listpost\n| x | y |")
FILE_NAME = "ond\x1b[2J|`x`\n.yaml"

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal or a log (tab and line feed are layout)."""
SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile_data(base: dict[str, Any], value: str = HOSTILE) -> dict[str, Any]:
    """Borås with the municipality, a reviewed body (named in titles and comments), every source's title
    and address, and an applied and a lapsed manual judgement all carrying `value`."""
    data = yaml.safe_load(yaml.safe_dump(base, allow_unicode=True))  # a deep copy with dates as dates
    data["kommun"]["namn"] = value
    data["kommun"]["genitiv"] = value
    next(o for o in data["organ"] if o["id"] == "fon")["namn"] = value
    for kalla in data["kallor"]:
        kalla["titel"] = value
        kalla["url"] = "https://ond.example/a b>" + value
    asof = data["granskning"]["datum"]
    judged = {"regel": "T1.1", "bedomning": "Nej", "motivering": value, "av": value, "datum": asof}
    lapsed = {**judged, "regel": "T1.2", "datum": asof.replace(year=asof.year - 2),
              "upphor": asof.replace(year=asof.year - 1)}
    data["bedomningar"] = [judged, lapsed]
    return data


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory, boras_data: dict[str, Any]) -> Path:
    path = tmp_path_factory.mktemp("ond") / FILE_NAME
    path.write_text(yaml.safe_dump(hostile_data(boras_data), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class Outputs(dict[str, str]):
    """Each format of the hostile case, rendered by its own run on first use (so that each test meets
    only its own format's defects)."""

    def __init__(self, case: Path) -> None:
        super().__init__()
        self.case = case

    def again(self, fmt: str) -> str:
        """The format rendered anew."""
        self.pop(fmt, None)
        return self[fmt]

    def __missing__(self, fmt: str) -> str:
        target = self.case.parent / f"ut.{fmt}"
        assert main(["assess", str(self.case), "--output", f"{fmt}={target}"]) == 0
        self[fmt] = target.read_text(encoding="utf-8")
        return self[fmt]


@pytest.fixture(scope="module")
def outputs(case: Path) -> Outputs:
    return Outputs(case)


def _cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def skeleton(markdown: str) -> list[str]:
    """The block structure of a Markdown text, line by line: headings by level, table rows by their number
    of cells, list items, notes, code fences, paragraphs and blank lines."""
    def kind(line: str) -> str:
        if not line:
            return "blank"
        if line.startswith("#"):
            return "h" + str(len(line) - len(line.lstrip("#")))
        if line.startswith("|"):
            return f"row{_cells(line)}"
        if line.startswith("```"):
            return "fence"
        if line.startswith("[^"):
            return "note"
        return "li" if re.match(r"(\d+[.)]|[-+*]) ", line) else "p"

    return [kind(line) for line in markdown.splitlines()]


@pytest.fixture(scope="module")
def plain_markdown(tmp_path_factory: pytest.TempPathFactory, boras_data: dict[str, Any]) -> str:
    """The Markdown report of the same case with "Ond" for every hostile value."""
    path = tmp_path_factory.mktemp("snäll") / "c.yaml"
    path.write_text(yaml.safe_dump(hostile_data(boras_data, "Ond"), allow_unicode=True), encoding="utf-8")
    assert main(["assess", str(path), "--output", f"markdown={path}.md"]) == 0
    return Path(f"{path}.md").read_text(encoding="utf-8")


def test_markdown_values_make_no_heading_row_link_or_html(outputs: Outputs, plain_markdown: str) -> None:
    text = outputs["markdown"]
    assert "Ond [" not in plain_markdown and "Ond" in plain_markdown  # the comparison is with plain values
    assert skeleton(text) == skeleton(plain_markdown)  # the same headings, rows, cells, items and notes
    assert text.startswith(f"# {escape.markdown(HOSTILE)}: granskning av det brottsförebyggande arbetet\n")
    assert not any(ln.startswith(("::", "- listpost", "| x |", "# Rubrik")) for ln in text.splitlines())
    outside_code = re.sub(r"```.*?```", "", text, flags=re.S)  # the Mermaid picture has its own escaping
    assert not re.search(r"(?<!\\)(<img|\[länk)", outside_code)  # no HTML or link
    assert "\\[länk\\](http://ond.example)" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&amp;amp;" in text  # the entity as written, not the character it names
    assert not UNSAFE.search(text)
    assert "\\x1b\\[31mRÖD\\x1b\\[0m" in text


def test_markdown_file_name_and_links(outputs: Outputs, case: Path) -> None:
    text = outputs["markdown"]
    assert f"ärendefilen {escape.markdown(case)}" in text and "ond\\x1b\\[2J\\|\\`x\\` .yaml" in text
    assert "<https://ond.example" not in text  # an address with a space or '>' is no link
    sources = [ln for ln in text.splitlines() if ln.startswith("- \\[")]
    assert sources and all(f"{escape.markdown(HOSTILE)}, https://ond.example/a b&gt;" in ln for ln in sources)


def test_text_format_prints_markup_and_no_control_characters(outputs: Outputs) -> None:
    plain = SGR.sub("", outputs["text"])  # rich's own colours are the only escape sequences
    assert not UNSAFE.search(plain)
    assert "[/] [bold]fet[/bold] :smile:" in plain
    assert "\\x1b[31mRÖD" in plain and "\\u202eTXET" in plain


def test_github_lines_are_single_workflow_commands(outputs: Outputs, case: Path) -> None:
    lines = outputs["github"].split("\n")
    assert lines.pop() == ""
    assert lines
    for line in lines:
        assert re.match(r"::(error|warning|notice) file=[^,:]*,line=\d+,col=\d+,title=[^,:]*::", line), line
        assert not UNSAFE.search(line) and "\r" not in line
    assert {ln.split(",")[0].split(" ", 1)[1] for ln in lines} == {f"file={escape.workflow_property(str(case))}"}


def test_junit_and_sarif_parse_with_every_value_shown(outputs: Outputs, case: Path) -> None:
    root = ET.fromstring(outputs["junit"])
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("file") == escape.visible(str(case), "\t\n\r")
    assert "\\x1b[31mRÖD" in (suite.get("name") or "") and "\x1b" not in outputs["junit"]
    sarif = json.loads(outputs["sarif"])
    assert not UNSAFE.search(outputs["sarif"].replace("\n", ""))
    run = sarif["runs"][0]
    assert all(r["properties"]["municipality"] == HOSTILE for r in run["results"])
    assert "\\[länk\\]" in run["tool"]["driver"]["rules"][0]["help"]["markdown"]


def test_word_shows_control_characters(case: Path) -> None:
    import docx

    target = case.parent / "ut.docx"
    assert main(["assess", str(case), "--output", f"docx={target}"]) == 0
    document = docx.Document(str(target))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "\\x1b[31mRÖD\\x1b[0m" in text and "[/] [bold]fet" in text and "\x1b" not in text


def test_mermaid_labels_show_any_name(outputs: Outputs) -> None:
    text = outputs["mermaid"]
    assert not UNSAFE.search(text) and "\\x1b[31mRÖD" in text
    labels = re.findall(r'\[("[^\]]*")\]', text)
    assert labels and all(label.count('"') == 2 for label in labels)  # every label one quoted string


def test_json_gives_the_values_back_unchanged(outputs: Outputs, case: Path) -> None:
    assert not re.search("[\x7f-\x9f\u202a-\u202e]", outputs["json"])
    report = json.loads(outputs["json"])
    assert report["municipality"] == HOSTILE and report["file"] == str(case)
    assert report["tables"][0]["rows"][0]["manual"]["motivering"] == HOSTILE


def test_overview_row_is_one_row(outputs: Outputs) -> None:
    rows = [ln for ln in outputs["overview"].splitlines() if ln.startswith("| ")]
    assert len(rows) == 3
    assert _cells(rows[2]) == _cells(rows[0]) == 13
    assert not UNSAFE.search(outputs["overview"])


def test_explain_and_check_show_control_characters(cli: Any, case: Path) -> None:
    code, out, err = cli("explain", str(case), "T1.1")
    assert (code, err) == (0, "")
    assert not UNSAFE.search(out)
    assert not any(ln.startswith(("::", "# Rubrik", "- listpost")) for ln in out.splitlines())
    assert f"Motivering: {escape.terminal(HOSTILE)}" in out
    code, out, err = cli("check", str(case))
    assert (code, out, err) == (0, f"{escape.terminal(case)}: OK\n", "")


def test_error_messages_show_control_characters(cli: Any, case: Path) -> None:
    broken = case.parent / "trasig\x1b[2J\n.yaml"
    broken.write_text(case.read_text(encoding="utf-8").replace("granskning:\n", "granskning:\n  x\x1b: 1\n", 1)
                      .replace("\x1b", "\\e"), encoding="utf-8")
    code, out, err = cli("check", str(broken))
    assert code == 2 and out == ""
    assert not UNSAFE.search(err) and err.count("\n") == 1
    assert err.startswith(f"{escape.terminal(broken)}:")


def test_template_syntax_in_a_value_is_printed_not_evaluated(boras_data: dict[str, Any], tmp_path: Path,
                                                             cli: Any) -> None:
    data = hostile_data(boras_data)
    data["kommun"]["namn"] = "{{ 1234*5 }} {% raw %}"
    path = tmp_path / "mall.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = cli("assess", str(path), "--format", "markdown")
    assert code == 0 and out.startswith("# {{ 1234\\*5 }} {% raw %}: granskning") and "6170" not in out


def test_diff_escapes_for_each_format(cli: Any, case: Path) -> None:
    for fmt in ("text", "markdown", "json"):
        code, out, err = cli("diff", str(BORAS), str(case), "--format", fmt)
        assert (code, err) == (0, ""), err
        assert not UNSAFE.search(out.replace("\n", "")), fmt
        assert not any(ln.startswith(("::", "# Rubrik", "- listpost")) for ln in out.splitlines()), fmt
    assert json.loads(out)["new"]["municipality"] == HOSTILE


def test_each_format_keeps_its_own_escaping(outputs: Outputs) -> None:
    """The schema reference escapes its own Markdown lightly (`own_cell`); rendering it must not change
    how the report escapes case values (Jinja overlays share their filters with the base environment)."""
    from brocheck.render import reference

    before = outputs.again("markdown")  # the report's template is made (and kept)
    reference.render()  # then the reference's
    assert outputs.again("markdown") == before


def test_escape_functions() -> None:
    assert escape.terminal("a\x1b[31mb\u202ec\r\nd\te") == "a\\x1b[31mb\\u202ec\\r\\nd\te"
    assert escape.terminal("a\nb", lines=True) == "a\nb"
    assert escape.visible("\udcff") == "\\xff"  # a byte of a file name that is not UTF-8
    assert escape.markdown("# a | *b* <i>\nc") == "\\# a \\| \\*b\\* &lt;i&gt; c"
    assert escape.markdown("1. a") == "1\\. a" and escape.markdown("- a") == "\\- a"  # no list at a line's start
    assert escape.cell("a | b\nc") == "a \\| b<br>c"
    assert escape.markdown("_u_ lagesbild_kf_beslut") == "\\_u\\_ lagesbild_kf_beslut"  # inside a word: inert
    assert escape.code("a`b") == "``a`b``" and escape.code("`a") == "`` `a ``"
    assert escape.code("a|b", table=True) == "`a\\|b`"
    assert escape.link("https://a.se/x") == "<https://a.se/x>"
    assert escape.link("javascript:alert(1)") == "javascript:alert(1)"
    assert escape.link("https://a.se/ x>") == "https://a.se/ x&gt;"
    assert escape.workflow_data("a%\r\n\x1b") == "a%25%0D%0A\\x1b"
    assert escape.xml("a\x00\x1bb\tc\ufffe") == "a\\x00\\x1bb\tc\\ufffe"
    assert escape.json_text({"a": "\x1b\x9b\u2028"}) == '{\n  "a": "\\u001b\\u009b\\u2028"\n}\n'
    assert json.loads(escape.json_text({"a": "\x9b\u202e"})) == {"a": "\x9b\u202e"}
