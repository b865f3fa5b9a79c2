"""`brocheck diff OLD NEW`: exactly the rows whose rating moved, the facts behind each, --fail-on-worse."""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

from brocheck.casepatch import apply
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, assess_data

Cli = typing.Callable[..., tuple[int, str, str]]


def _write(tmp_path: Path, data: dict[str, Any], name: str = "ny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _moved(ruleset: RuleSet, old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The rows whose rating differs, found by assessing both cases independently."""
    a, b = assess_data(ruleset, old), assess_data(ruleset, new)
    return {r.placed.ref: (a.results[r.id].rating, r.rating) for r in b.rows() if a.results[r.id].rating != r.rating}


EDITS = {
    "lagesbild-decided-by-kf": [{"op": "set", "path": "beslut[fon-2024-05-14-55-godkannande].organ", "value": "kf"}],
    "council-led-by-police": [{"op": "set", "path": "organ[bra].leds_av", "value": "lpo"}],
    "reports-unknown": [{"op": "remove", "path": "rapporter_till_kf"}],
    "several": [{"op": "set", "path": "organ[bra].leds_av", "value": "lpo"},
                {"op": "remove", "path": "rapporter_till_kf"},
                {"op": "append", "path": "beslut", "value": {"id": "kf-ny", "organ": "kf", "typ": "beslut",
                                                             "dokument": ["lagesbild-2023"]}}],
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_exactly_the_rows_that_moved(cli: Cli, tmp_path: Path, ruleset: RuleSet, boras_data: dict[str, Any],
                                     edit: str) -> None:
    new = apply(boras_data, EDITS[edit])
    expected = _moved(ruleset, boras_data, new)
    assert expected
    code, out, err = cli("diff", str(BORAS), str(_write(tmp_path, new)), "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)["rows"]
    assert {r["ref"]: (r["old"], r["new"]) for r in rows} == expected
    assert all(r["facts"] or r["reads"] for r in rows), rows


def test_the_facts_behind_a_row(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    new = _write(tmp_path, apply(boras_data, EDITS["several"]))
    out = cli("diff", str(BORAS), str(new))[1]
    assert "T3.2 radet-leds-av-kommunen: Ja → Nej (sämre)\n" in out
    assert re.search(r"^  – organ\[bra\]\.leds_av: \[?fof\]? → \[?lpo\]?$", out, re.M), out
    assert "  – rapporter_till_kf: [] → okänt\n" in out
    assert "  – beslut[kf-ny].organ: finns inte → kf\n" in out
    assert "  – T4.1 (ledning-och-rapportering): Nej → Kan ej bedömas\n" in out  # a roll-up's input
    assert "organ: [" not in out  # a list whose elements only changed inside is not a change of its own


def test_list_order_is_not_a_change(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, EDITS["council-led-by-police"])
    data["organ"] = list(reversed(data["organ"]))
    data["beslut"] = list(reversed(data["beslut"]))
    rows = json.loads(cli("diff", str(BORAS), str(_write(tmp_path, data)), "-f", "json")[1])["rows"]
    assert [(r["ref"], [f["fact"] for f in r["facts"]]) for r in rows] == [("T3.2", ["organ[bra].leds_av"])]


def test_fail_on_worse(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    better = _write(tmp_path, apply(boras_data, EDITS["lagesbild-decided-by-kf"]), "better.yaml")
    worse = _write(tmp_path, apply(boras_data, EDITS["council-led-by-police"]), "worse.yaml")
    assert cli("diff", str(BORAS), str(better), "--fail-on-worse")[0] == 0
    assert cli("diff", str(better), str(BORAS), "--fail-on-worse")[0] == 1
    assert cli("diff", str(BORAS), str(worse), "--fail-on-worse")[0] == 1
    assert cli("diff", str(BORAS), str(worse))[0] == 0


def test_no_change(cli: Cli) -> None:
    code, out, _ = cli("diff", str(BORAS), str(BORAS), "--fail-on-worse", "-f", "markdown")
    assert code == 0 and "Inga rader har ändrat bedömning." in out and "| Rad |" not in out


def test_a_row_that_can_no_longer_be_assessed_is_worse(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    new = _write(tmp_path, apply(boras_data, EDITS["reports-unknown"]))
    rows = json.loads(cli("diff", str(BORAS), str(new), "-f", "json")[1])["rows"]
    assert {r["ref"]: r["direction"] for r in rows}["T4.1"] == "worse"


def test_markdown(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    new = _write(tmp_path, apply(boras_data, EDITS["lagesbild-decided-by-kf"]))
    out = cli("diff", str(BORAS), str(new), "--format", "markdown")[1]
    assert "| T1.1 | Kommunen ska ta fram en lägesbild" in out
    # the fact's path is escaped like every value in a Markdown cell ("[" and "]" could make a link)
    assert ("| Ja, med utvecklingsområden | Ja | bättre | beslut\\[fon-2024-05-14-55-godkannande\\].organ: fon → kf |"
            in out)


def test_as_of_date_is_noted(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    later = [{"op": "set", "path": "granskning.datum", "value": dt.date(2027, 3, 20)}]
    new = _write(tmp_path, apply(boras_data, later))
    out = cli("diff", str(BORAS), str(new))[1]
    assert "Granskningsdatum: 2025-03-20 → 2027-03-20" in out


def test_directories_and_bad_files_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert cli("diff", str(tmp_path), str(BORAS))[0] == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("kommun: [\n", encoding="utf-8")
    code, out, err = cli("diff", str(BORAS), str(bad))
    assert code == 2 and out == "" and err.startswith(f"{bad}:")
