"""`brocheck check --completeness`: every row that cannot be assessed, with the facts it lacks at the
nearest existing key (file:line:col); plain `check` counts those rows."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import pytest

from brocheck import yamlsafe
from brocheck.completeness import completeness
from brocheck.engine import assess
from brocheck.loader import LoadedCase, load_case, validate
from brocheck.ruleset import RuleSet
from tests.conftest import ROOT
from tests.test_bad_input import at, edit

Cli = typing.Callable[..., tuple[int, str, str]]
MINIMAL = (ROOT / "tests" / "cases" / "minimal.yaml").read_text(encoding="utf-8")


def _case(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fall.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _unknown_rows(cli: Cli, path: Path) -> list[str]:
    data = json.loads(cli("assess", str(path), "--format", "json")[1])
    rows = [r for t in data["tables"] for r in t["rows"]] + [data["overall"]]
    return [r["ref"] for r in rows if r["rating"] == "Kan ej bedömas"]


def test_complete_case(cli: Cli, tmp_path: Path) -> None:
    path = _case(tmp_path, MINIMAL)
    assert cli("check", str(path)) == (0, f"{path}: OK\n", "")
    assert cli("check", "--completeness", str(path)) == (0, f"{path}: alla 41 rader kan bedömas\n", "")


def test_missing_facts_are_placed_at_the_nearest_key(cli: Cli, tmp_path: Path) -> None:
    text = edit("      orsaksanalys: true}\n", "      }\n", MINIMAL)  # leaves `innehall` without orsaksanalys
    text = edit("      metodstod: true\n", "      metodstod:\n", text)  # the key without a value
    text = edit("    styrs_av: [styrgrupp]\n", "", text)  # the council's steering left out
    path = _case(tmp_path, text)
    code, out, err = cli("check", "--completeness", str(path))
    assert (code, err) == (0, "")
    innehall = at(text, "      innehall:\n", "innehall")
    metodstod = at(text, "      metodstod:\n", "metodstod")
    assert f"    {path}:{innehall[0]}:{innehall[1]}: dokument.lagesbilder[lb].innehall.orsaksanalys saknas: lägg " \
           "till det under `dokument.lagesbilder[lb].innehall` (true eller false)\n" in out
    assert f"    {path}:{metodstod[0]}:{metodstod[1]}: dokument.atgardsplaner[ap].metodstod står utan värde: fyll " \
           "i det (true eller false)\n" in out
    rows = [line.split()[0] for line in out.split("\n\n")[0].splitlines()[1:] if not line.startswith("    ")]
    assert rows == _unknown_rows(cli, path)
    assert f"{path}: OK – {len(rows)} av 41 rader kan ej bedömas;" in cli("check", str(path))[1]


def test_a_missing_section_is_placed_at_the_top(cli: Cli, tmp_path: Path) -> None:
    start = MINIMAL.index("beslut:\n")
    text = MINIMAL[:start] + MINIMAL[MINIMAL.index("overenskommelser:\n"):]
    path = _case(tmp_path, text)
    out = cli("check", "--completeness", str(path))[1]
    top = at(text, "kommun: {", "kommun")
    assert f"{path}:{top[0]}:{top[1]}: beslut saknas: lägg till det på översta nivån ([] om det inte finns några)" \
        in out
    summary = out.split("\n\n")[1].splitlines()
    assert re.fullmatch(rf"{re.escape(str(path))}: \d+ uppgift(er)? att fylla i, i filordning:", summary[0])
    assert summary[1].startswith(f"  {path}:{top[0]}:{top[1]}: beslut (T1.1, ")  # file order: the top first


def test_a_roll_up_names_the_rows_it_reads(cli: Cli, tmp_path: Path) -> None:
    text = edit("      orsaksanalys: true}\n", "      }\n", MINIMAL)
    out = cli("check", "--completeness", str(_case(tmp_path, text)))[1]
    assert "  T1.5 kunskapsbaserat\n    läser T1.6 (kunskap-orsaker), som inte kan bedömas: fyll i uppgifterna där\n" \
        in out


def test_an_outcome_that_names_what_is_missing_is_placed_at_its_section(cli: Cli, tmp_path: Path) -> None:
    """Rules may rate "Kan ej bedömas" themselves and name the missing fact in words (`missing:`); the
    row lists it at the section it names."""
    text = MINIMAL[:MINIMAL.index("reglementen:\n")] + "reglementen: []\n" + MINIMAL[MINIMAL.index("dokument:\n"):]
    path = _case(tmp_path, text)
    out = cli("check", "--completeness", str(path))[1]
    line, col = at(text, "reglementen: []")
    assert f"    {path}:{line}:{col}: reglementen: kommunstyrelsens gällande reglemente" in out


CORPUS = sorted([*(ROOT / "cases").glob("*.yaml"), *(ROOT / "tests" / "cases").glob("*.yaml"),
                 *(ROOT / "tests" / "scenarios" / "cases").glob("*.yaml")])


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_row_that_cannot_be_assessed_says_why(ruleset: RuleSet, path: Path) -> None:
    """Whatever a case leaves out, each unassessable row names a fact, a row it reads, or what else is
    missing; and exactly the unassessable rows are listed."""
    loaded = load_case(path)
    assert isinstance(loaded, LoadedCase)
    data = loaded.doc.data
    checked = 0
    for section in (None, "beslut", "reglementen", "rapporter_till_kf", "overenskommelser", "dokument"):
        variant = validate(yamlsafe.Document(path.name, {k: v for k, v in data.items() if k != section}))
        if not isinstance(variant, LoadedCase):
            continue  # other sections refer to this one's ids
        checked += 1
        found = completeness(assess(ruleset, variant))
        assert [r.result.id for r in found.rows] == \
            [r.id for r in found.assessment.rows() if r.rating == ruleset.unknown_rating]
        for row in found.rows:
            assert row.gaps or row.depends or row.other, (path.name, section, row.result.id)
    assert checked >= 3
