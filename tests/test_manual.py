"""Manual judgements (`bedomningar`): the auditor's rating replaces the rule's, visibly, with the
rule's own rating and the motivation beside it; a judgement lapses after `upphor`; `--no-manual`
shows the rules' ratings only; invalid judgements are input errors located in the case file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brocheck import expr
from brocheck.engine import Assessment, assess
from brocheck.explain import explain
from brocheck.loader import LoadedCase, load_case
from brocheck.manual import judgements, lapsed, problems
from brocheck.render import renderer
from brocheck.render.text import render as render_text
from brocheck.ruleset import Placed, RuleSet
from tests.conftest import BORAS

ROW = "T4.1"
MOTIVERING = "Fullmäktige har fått muntliga lägesrapporter vid två sammanträden."


@pytest.fixture(scope="module")
def target(ruleset: RuleSet, boras: LoadedCase) -> tuple[Placed, str, str]:
    """The row judged, the rule's own rating and a different rating on the same scale."""
    placed = ruleset.find(ROW)
    assert placed is not None
    own = assess(ruleset, boras).results[placed.rule.id].rating
    other = next(r for r in ruleset.scales[placed.rule.scale] if r != own)
    return placed, own, other


def entry(regel: str, bedomning: str, upphor: str | None = None, datum: str = "2025-03-01") -> str:
    text = (f"  - regel: {regel}\n    bedomning: {json.dumps(bedomning, ensure_ascii=False)}\n"
            f"    motivering: {MOTIVERING}\n    av: Revisor R\n    datum: {datum}\n")
    return text + (f"    upphor: {upphor}\n" if upphor else "")


def write_case(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(BORAS.read_text(encoding="utf-8") + "\nbedomningar:\n" + "".join(entries), encoding="utf-8")
    return path


def loaded(path: Path) -> LoadedCase:
    result = load_case(path, str(path))
    assert isinstance(result, LoadedCase), result
    return result


def assessed(ruleset: RuleSet, case: LoadedCase, manual: bool = True) -> Assessment:
    return assess(ruleset, case, judgements(case, ruleset) if manual else None)


def test_boras_has_no_manual_judgement(boras_data: dict[str, Any], boras: LoadedCase) -> None:
    assert "bedomningar" not in boras_data
    assert judgements(boras) == {}


def test_judgement_changes_the_rating_and_keeps_the_rules(tmp_path: Path, ruleset: RuleSet,
                                                          target: tuple[Placed, str, str]) -> None:
    placed, own, other = target
    case = loaded(write_case(tmp_path, entry(ROW, other)))
    result = assessed(ruleset, case).results[placed.rule.id]
    assert (result.rating, result.rule_rating) == (other, own)
    assert result.note.motivering == MOTIVERING

    markdown = renderer("markdown")([assessed(ruleset, case)])
    row = next(ln for ln in markdown.splitlines() if ln.startswith(f"| {result.criterion}"))
    assert f"| {other}<br>(regeln: {own}) |" in row
    assert f"*Manuell bedömning* (Revisor R, 1 mars 2025): {MOTIVERING}" in row
    assert "## Manuella bedömningar" in markdown
    assert f"| {ROW} | {other} | {own} | {MOTIVERING} | Revisor R | 1 mars 2025 | – |" in markdown.splitlines()

    data = json.loads(renderer("json")([assessed(ruleset, case)]))
    row_json = next(r for t in data["tables"] for r in t["rows"] if r["ref"] == ROW)
    assert (row_json["rating"], row_json["rule_rating"]) == (other, own)
    assert row_json["manual"] == {"motivering": MOTIVERING, "av": "Revisor R", "datum": "2025-03-01",
                                  "upphor": None}
    assert data["manual_judgements"] == {"count": 1, "rows": [ROW], "lapsed": [], "not_applied": 0}

    text = render_text([assessed(ruleset, case)], width=1000, colour=False)
    assert f"Manuell bedömning (Revisor R, 2025-03-01): {MOTIVERING}" in text
    assert f"Manuella bedömningar: 1 ({ROW})" in text


def test_roll_ups_read_the_auditors_rating(tmp_path: Path, ruleset: RuleSet,
                                           target: tuple[Placed, str, str]) -> None:
    placed, _, other = target
    case = loaded(write_case(tmp_path, entry(ROW, other)))
    reader = next(p for p in ruleset.placed if placed.rule.id in reads(p))
    e = explain(ruleset, case, reader.rule.id)
    assert e is not None
    read = next(r for r in e.reads if r.id == placed.rule.id)
    assert (read.rating, read.manual) == (other, True)


def reads(placed: Placed) -> set[str]:
    nodes = [*placed.rule.facts.values(), *(o.when for o in placed.rule.outcomes if o.when is not None)]
    return {n.rating for node in nodes for n in node.walk() if isinstance(n, expr.Rating)}


def test_explain_shows_the_judgement_and_the_rules_rating(tmp_path: Path, cli: Any,
                                                          target: tuple[Placed, str, str]) -> None:
    _, own, other = target
    path = write_case(tmp_path, entry(ROW, other))
    code, out, err = cli("explain", str(path), ROW)
    assert code == 0, err
    assert f"Bedömning: {other} (revisorns manuella bedömning; regelns bedömning: {own})" in out
    assert f"Motivering: {MOTIVERING} (Revisor R, 2025-03-01)" in out
    code, out, _ = cli("explain", str(path), ROW, "--no-manual")
    assert f"Bedömning: {own}\n" in out and MOTIVERING not in out


@pytest.mark.parametrize(("upphor", "in_force"), [("2025-03-19", False), ("2025-03-20", True), ("2026-01-01", True)])
def test_judgement_lapses_after_its_expiry_date(tmp_path: Path, ruleset: RuleSet, target: tuple[Placed, str, str],
                                                upphor: str, in_force: bool) -> None:
    placed, own, other = target
    case = loaded(write_case(tmp_path, entry(ROW, other, upphor=upphor)))
    assert case.case.granskning.datum.isoformat() == "2025-03-20"
    result = assessed(ruleset, case).results[placed.rule.id]
    assert result.rating == (other if in_force else own)
    assert (result.rule_rating is None) == (not in_force)
    assert bool(lapsed(case)) == (not in_force)
    markdown = renderer("markdown")([assessed(ruleset, case)])
    data = json.loads(renderer("json")([assessed(ruleset, case)]))
    if in_force:
        assert data["manual_judgements"]["count"] == 1 and not data["manual_judgements"]["lapsed"]
    else:
        assert data["manual_judgements"]["count"] == 0
        assert [b["regel"] for b in data["manual_judgements"]["lapsed"]] == [ROW]
        assert f"- {ROW}: {other} (Revisor R, 1 mars 2025; upphörde 19 mars 2025). {MOTIVERING}" in markdown
        assert "(regeln:" not in markdown


def test_no_manual_shows_the_rules_ratings_only(tmp_path: Path, cli: Any, target: tuple[Placed, str, str]) -> None:
    _, own, _other = target
    path = write_case(tmp_path, entry(ROW, _other))
    code, out, err = cli("assess", str(path), "--format", "json", "--no-manual")
    assert code == 0, err
    data = json.loads(out)
    row = next(r for t in data["tables"] for r in t["rows"] if r["ref"] == ROW)
    assert row["rating"] == own and "rule_rating" not in row and "manual" not in row
    assert data["manual_judgements"] == {"count": 0, "rows": [], "lapsed": [], "not_applied": 1}
    code, out, _ = cli("assess", str(path), "--format", "markdown", "--no-manual")
    assert "(regeln:" not in out and MOTIVERING not in out
    assert "en manuell bedömning som inte har tillämpats (--no-manual)" in out


def _line(path: Path, needle: str) -> int:
    return next(i + 1 for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines()) if needle in ln)


@pytest.mark.parametrize(("bad", "needle", "message"), [
    (entry("T9.9", "Ja"), "regel: T9.9", "okänd regel 'T9.9'"),
    (entry("no-such-rule", "Ja"), "regel: no-such-rule", "okänd regel 'no-such-rule'"),
    (entry(ROW, "Ändamålsenligt"), 'bedomning: "Ändamålsenligt"', "finns inte på skalan"),
    (entry(ROW, "Ja", upphor="2025-01-01"), "upphor: 2025-01-01", "upphör (2025-01-01) före"),
])
@pytest.mark.parametrize("command", ["check", "assess", "explain"])
def test_invalid_judgements_exit_2_with_file_line(tmp_path: Path, cli: Any, bad: str, needle: str, message: str,
                                                  command: str) -> None:
    path = write_case(tmp_path, bad)
    args = [command, str(path)] + (["S"] if command == "explain" else []) + (["-f", "json"] if command == "assess"
                                                                                else [])
    code, out, err = cli(*args)
    assert code == 2, err
    assert out == ""
    assert f"{path}:{_line(path, needle)}:" in err and message in err, err


def test_two_judgements_of_one_rule_in_force_are_an_error(tmp_path: Path, ruleset: RuleSet,
                                                          target: tuple[Placed, str, str]) -> None:
    placed, own, other = target
    path = write_case(tmp_path, entry(ROW, other), entry(placed.rule.id, own, datum="2025-03-02"))
    found = problems(loaded(path), ruleset)
    assert len(found) == 1 and "har redan en gällande bedömning" in found[0].message
    assert found[0].line == _line(path, f"regel: {placed.rule.id}")
    # a lapsed one does not collide with the one in force
    path = write_case(tmp_path, entry(ROW, other, upphor="2025-03-01"), entry(placed.rule.id, own))
    assert problems(loaded(path), ruleset) == []


def test_judgement_fields_are_required(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(BORAS.read_text(encoding="utf-8") + "\nbedomningar:\n  - regel: T4.1\n    bedomning: Ja\n",
                    encoding="utf-8")
    code, _, err = cli("check", str(path))
    assert code == 2
    for name in ("motivering", "av", "datum"):
        assert name in err


def test_bad_judgements_in_every_file_of_a_batch_are_reported(tmp_path: Path, cli: Any) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    paths = [write_case(first, entry("T9.9", "Ja")), write_case(second, entry("T9.8", "Ja"))]
    code, out, err = cli("assess", str(tmp_path), "--format", "json")
    assert (code, out) == (2, "")
    assert [ln.split(":")[0] for ln in err.splitlines()] == [str(p) for p in paths]
    assert "'T9.9'" in err and "'T9.8'" in err
