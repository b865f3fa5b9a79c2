"""Renderers: the JSON contract, Markdown escaping, the terminal table, and the CLI's choice of format."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from brocheck.casepatch import apply
from brocheck.render.escape import cell
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


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_format_colours_ratings_only_when_asked(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    from brocheck.render.text import render

    coloured = render([assess_data(ruleset, boras_data)], colour=True)
    plain = render([assess_data(ruleset, boras_data)])
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert "Inte tillräcklig" in plain and "Tabell 4." in plain and "Rekommendationer" in plain
    assert "┃ Revisionsfråga" in plain


def test_text_prints_bracketed_text_as_written(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    from brocheck.render.text import render

    name = "Fritids- och folkhälsonämnden [sic] [bilaga 1] [bold]x[/bold] :smile:"
    data = apply(boras_data, [{"op": "set", "path": "organ[fon].namn", "value": name}])
    for colour in (False, True):
        text = ANSI.sub("", render([assess_data(ruleset, data)], width=400, colour=colour))
        assert f"{name} har tagit fram" in text


def test_text_fits_80_columns_and_has_no_colour_off_a_terminal(cli: Any) -> None:
    code, out, _ = cli("assess", str(BORAS), "--format", "text")
    assert code == 0 and "\x1b" not in out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80 and "…" not in out  # no rating or word cut off
    assert "utvecklingsområden" in out


@pytest.mark.parametrize("no_color", [None, "", "1"])
def test_text_on_a_terminal_uses_its_width_and_colour(cli: Any, monkeypatch: pytest.MonkeyPatch,
                                                      no_color: str | None) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    code, out, _ = cli("assess", str(BORAS))
    assert code == 0
    assert ("\x1b[" in out) == (not no_color)  # NO_COLOR set to anything turns colour off
    widths = [len(ANSI.sub("", line)) for line in out.splitlines()]
    assert max(widths) == 100


def test_a_text_file_never_gets_colour(cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    target = tmp_path / "rapport.txt"
    code, out, _ = cli("assess", str(BORAS), "--format", "text", "--output", str(target))
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text and "Tabell 5." in text


def test_default_format_off_a_terminal_is_markdown(cli: Any) -> None:
    code, out, _ = cli("assess", str(BORAS))
    assert code == 0 and out.startswith("# Borås Stad")


def test_output_file_is_written_whole(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "rapport.md"
    code, out, _ = cli("assess", str(BORAS), "--format", "markdown", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("# Borås Stad")
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.md"]  # no temp file left behind
