"""Renderers: the JSON contract, Markdown escaping, the terminal table, and the CLI's choice of format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from brocheck.casepatch import apply
from brocheck.render.markdown import cell
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, assess_data


def test_json_follows_the_contract(cli: Any) -> None:
    code, out, err = cli("assess", str(BORAS), "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["municipality"] == "Borås Stad" and data["as_of"] == "2025-03-20"
    assert [t["number"] for t in data["tables"]] == [1, 2, 3, 4, 5]
    for table in data["tables"]:
        for row in table["rows"]:
            assert {"id", "level", "criterion", "rating", "comment"} <= row.keys()
            assert row["level"] in (1, 2)
    assert {"rating", "comment"} <= data["overall"].keys()


def test_markdown_cells_are_escaped() -> None:
    assert cell("a | b") == "a \\| b"
    assert cell("rad ett\nrad två") == "rad ett<br>rad två"
    assert cell("C:\\x") == "C:\\\\x"


def test_markdown_escapes_names_from_the_case(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    from brocheck.render.markdown import render

    data = apply(boras_data, [{"op": "set", "path": "organ[fof].namn", "value": "Fritid | Folkhälsa\nförvaltning"}])
    text = render([assess_data(ruleset, data)])
    assert "Fritid \\| Folkhälsa förvaltning" in text  # comments collapse whitespace
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 4, line  # exactly three cells


def test_markdown_has_five_tables_and_the_overall(cli: Any) -> None:
    code, out, _ = cli("assess", str(BORAS), "--format", "markdown")
    assert code == 0
    assert [ln for ln in out.splitlines() if ln.startswith("**Tabell")] == [
        f"**Tabell {n}. {t}**" for n, t in [
            (1, "Kommunstyrelsens och Fritids- och folkhälsonämndens arbete med lägesbild."),
            (2, "Kommunstyrelsens och Fritids- och folkhälsonämndens arbete med åtgärdsplan och skriftliga "
                "samverkansöverenskommelser."),
            (3, "Fritids- och folkhälsonämndens arbete med strategiskt råd och samordningsfunktion."),
            (4, "Kommunstyrelsens och Fritids- och folkhälsonämndens ledning, styrning och organisation av det "
                "brottsförebyggande arbetet."),
            (5, "Svar på revisionsfrågor."),
        ]]
    assert "**Inte helt ändamålsenligt.**" in out


def test_text_format_colours_ratings(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    from brocheck.render.text import render

    coloured = render([assess_data(ruleset, boras_data)], colour=True)
    plain = render([assess_data(ruleset, boras_data)], colour=False)
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert "Inte tillräcklig" in plain and "Tabell 4." in plain


def test_default_format_off_a_terminal_is_markdown(cli: Any) -> None:
    code, out, _ = cli("assess", str(BORAS))
    assert code == 0 and out.startswith("# Borås Stad")


def test_output_file_is_written_whole(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "rapport.md"
    code, out, _ = cli("assess", str(BORAS), "--format", "markdown", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("# Borås Stad")
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.md"]  # no temp file left behind
