"""`assess DIR --format overview`: one Markdown row per municipality, sorted by case file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.conftest import BORAS, ROOT

MINIMAL = ROOT / "tests" / "cases" / "minimal.yaml"


def _table(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and body rows of the first Markdown table in `text`."""
    lines = [ln for ln in text.splitlines() if ln.startswith("| ")]
    cells = [[c.strip() for c in ln.strip().strip("|").split(" | ")] for ln in lines]
    return cells[0], cells[2:]


def _batch(tmp_path: Path) -> Path:
    # Names chosen so that sorting by file path puts the minimal case first.
    shutil.copy(BORAS, tmp_path / "b-boras-2025.yaml")
    shutil.copy(MINIMAL, tmp_path / "a-minimal.yaml")
    return tmp_path


def test_overview_has_one_row_per_municipality(cli: Any, tmp_path: Path) -> None:
    directory = _batch(tmp_path)
    code, out, err = cli("assess", str(directory), "--format", "overview")
    assert code == 0 and err == ""
    header, rows = _table(out)
    assert header == ["Kommun", "Kod", "Per", "Fil", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6",
                      "Sammanfattande bedömning", "Nej", "Inte helt"]
    assert rows == [
        ["Exempelby kommun", "9999", "2025-06-30", f"`{directory / 'a-minimal.yaml'}`",
         "Ändamålsenligt", "Ändamålsenligt", "Ändamålsenligt", "Tillräcklig", "Ändamålsenligt", "Tillräcklig",
         "Ändamålsenligt", "0", "0"],
        # The Borås audit report's answers (table 5), overall assessment, and its criteria rows in tables
        # 1–4: 5 rated Nej and 4 Inte helt.
        ["Borås Stad", "1490", "2025-03-20", f"`{directory / 'b-boras-2025.yaml'}`",
         "Inte helt ändamålsenligt", "Inte helt ändamålsenligt", "Ändamålsenligt med utvecklingsområden",
         "Inte tillräcklig", "Inte helt ändamålsenligt", "Tillräcklig", "Inte helt ändamålsenligt", "5", "4"],
    ]


def test_overview_legend_gives_the_questions_in_full(cli: Any, tmp_path: Path) -> None:
    _, out, _ = cli("assess", str(_batch(tmp_path)), "--format", "overview")
    legend = [ln for ln in out.splitlines() if ln.startswith("- **Q")]
    assert [ln.split("**")[1] for ln in legend] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    # Names filled in per case read generically, for every municipality at once.
    assert legend[0] == ("- **Q1** Uppfyller kommunen kraven i lagstiftningen om kommuners ansvar för "
                         "brottsförebyggande arbete?")
    assert "{" not in out and "Borås Stads brottsförebyggande" not in "\n".join(legend)


def test_overview_is_deterministic_and_sorted_by_file(cli: Any, tmp_path: Path) -> None:
    directory = _batch(tmp_path)
    first = cli("assess", str(directory), "--format", "overview")[1]
    # The same files named in another order on the command line give the same table.
    again = cli("assess", str(directory / "b-boras-2025.yaml"), str(directory / "a-minimal.yaml"),
                "--format", "overview")[1]
    assert first == again
    assert [row[0] for row in _table(first)[1]] == ["Exempelby kommun", "Borås Stad"]


def test_overview_escapes_cells(ruleset: Any, boras_data: dict[str, Any]) -> None:
    from brocheck.casepatch import apply
    from brocheck.render.overview import render
    from tests.conftest import assess_data

    data = apply(boras_data, [{"op": "set", "path": "kommun.namn", "value": "Borås | Stad"}])
    text = render([assess_data(ruleset, data)])
    assert "| Borås \\| Stad | 1490 |" in text
