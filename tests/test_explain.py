"""`brocheck explain`: every outcome's condition evaluated node by node, the outcome that fired, the
rating, and the facts used with their line in the case file and their sources."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from brocheck import expr
from brocheck.engine import UNKNOWN_OUTCOME, assess
from brocheck.explain import explain, source_text
from brocheck.loader import LoadedCase
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, case_from

CASE = "cases/boras-2025.yaml"
TEXT = BORAS.read_text(encoding="utf-8").splitlines()


def line_of(pattern: str, after: int = 0) -> int:
    """1-based number of the first line at or after `after` matching `pattern`."""
    return next(i + 1 for i, text in enumerate(TEXT) if i + 1 >= after and re.search(pattern, text))


def test_t4_1_shows_criterion_source_outcomes_and_facts_with_lines(cli: Any, ruleset: RuleSet,
                                                                   boras: LoadedCase) -> None:
    code, out, err = cli("explain", CASE, "T4.1")
    assert code == 0, err
    placed = ruleset.find("T4.1")
    assert placed is not None
    result = assess(ruleset, boras).results[placed.rule.id]
    lines = out.splitlines()
    assert lines[0].startswith(f"T4.1 {placed.rule.id} ")
    assert f"Rättskälla: {'; '.join(placed.rule.source)}" in lines
    assert f"Bedömning: {result.rating}" in lines
    assert f"Kommentar: {result.comment}" in lines
    # every outcome is listed in order, the one that fired marked
    listed = [ln for ln in lines if re.match(r"^[» ] \d+\. ", ln)]
    assert [ln[2:].split()[1] for ln in listed] == [o.id for o in placed.rule.outcomes]
    fired = [ln for ln in listed if ln.startswith("»")]
    assert len(fired) == 1 and f" {result.outcome} → {result.rating}: " in fired[0] and "GÄLLDE" in fired[0]
    # conditions: one node per line, indented by depth, with its value
    first = lines.index(listed[0])
    assert re.match(r"^ {6}all \(2 villkor\) = (sant|falskt|okänt)$", lines[first + 1])
    assert re.match(r"^ {8}\S", lines[first + 2])
    # facts with their real line in the case file
    assert f"  {CASE}:{line_of(r'^rapporter_till_kf:')}  rapporter_till_kf = []" in lines


def test_fact_lines_and_sources_point_into_the_case(ruleset: RuleSet, boras: LoadedCase) -> None:
    e = explain(ruleset, boras, "T4.1")
    assert e is not None
    kallor = {k.id: k for k in boras.case.kallor}
    checked = 0
    for beslut in boras.case.beslut or []:
        fact = next((f for f in e.facts if f.display == f"beslut[{beslut.id}].typ"), None)
        if fact is None:
            continue
        assert fact.line == line_of(r"^\s+typ:", after=line_of(rf"- id: {re.escape(beslut.id)}$"))
        assert fact.sources == tuple(kallor[k] for k in beslut.kallor)
        checked += 1
    assert checked >= 2
    assert any(f.relied for f in e.facts) and any(not f.relied for f in e.facts)


def test_sources_are_printed_under_the_facts_they_stand_behind(cli: Any, ruleset: RuleSet,
                                                               boras: LoadedCase) -> None:
    e = explain(ruleset, boras, "T4.1")
    assert e is not None
    _, out, _ = cli("explain", CASE, "T4.1")
    fact = next(f for f in e.facts if f.relied and f.sources)
    lines = out.splitlines()
    at = lines.index(f"  {CASE}:{fact.line}  {fact.display} = {fact.value}")
    below = lines[at + 1:]
    block = below[: next(i for i, ln in enumerate(below) if not ln.startswith("  "))]
    for kalla in fact.sources:
        assert f"      källa: {source_text(kalla)}" in block


def test_every_outcome_is_evaluated_and_agrees_with_the_engine(ruleset: RuleSet, boras: LoadedCase) -> None:
    results = assess(ruleset, boras).results
    for placed in ruleset.placed:
        e = explain(ruleset, boras, placed.rule.id)
        assert e is not None and e.ref == placed.ref
        assert [o.id for o in e.outcomes] == [o.id for o in placed.rule.outcomes]
        decided = [o for o in e.outcomes if o.state in ("fired", "stopped")]
        assert len(decided) == 1, placed.ref
        result = results[placed.rule.id]
        if decided[0].state == "fired":
            assert decided[0].id == result.outcome, placed.ref
        else:
            assert result.outcome == UNKNOWN_OUTCOME, placed.ref
        for o, rule_outcome in zip(e.outcomes, placed.rule.outcomes, strict=True):
            assert bool(o.lines) == (rule_outcome.when is not None)
            assert all(ln.value != "ej prövat" for ln in o.lines[:1])  # every condition's root is evaluated


def test_unknown_stops_the_search_and_names_what_is_missing(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    data = copy.deepcopy(boras_data)
    del data["rapporter_till_kf"]
    e = explain(ruleset, case_from(data), "T4.1")
    assert e is not None
    assert e.rating == ruleset.unknown_rating
    assert [o.state for o in e.outcomes].count("stopped") == 1
    stopped = next(o for o in e.outcomes if o.state == "stopped")
    assert stopped.verdict == "okänt"
    assert all(o.state == "after" for o in e.outcomes[e.outcomes.index(stopped) + 1:])
    assert "rapporter_till_kf" in e.missing


def _reads(ruleset: RuleSet, ref: str) -> list[str]:
    placed = ruleset.find(ref)
    assert placed is not None
    nodes = [*placed.rule.facts.values(), *(o.when for o in placed.rule.outcomes if o.when is not None)]
    return list(dict.fromkeys(n.rating for node in nodes for n in node.walk() if isinstance(n, expr.Rating)))


@pytest.mark.parametrize("ref", ["Q3", "S"])
def test_roll_ups_list_the_rules_they_read_with_ratings(cli: Any, ruleset: RuleSet, boras: LoadedCase,
                                                       ref: str) -> None:
    code, out, err = cli("explain", CASE, ref)
    assert code == 0, err
    results = assess(ruleset, boras).results
    lines = out.splitlines()
    start = lines.index("Läser bedömningarna av:")
    listed = lines[start + 1: lines.index("", start)]
    wanted = _reads(ruleset, ref)
    assert wanted
    assert listed == [f"  {results[i].placed.ref:<6} {results[i].rating} – {results[i].criterion}" for i in wanted]


def test_overall_reads_every_revision_question(ruleset: RuleSet, boras: LoadedCase) -> None:
    e = explain(ruleset, boras, "s")
    assert e is not None and e.ref == "S"
    assert {r.ref for r in e.reads} == {p.ref for p in ruleset.placed if p.table == 5}


@pytest.mark.parametrize("row", ["T9.1", "Q99", "nope", "T4"])
def test_unknown_row_is_a_usage_error_listing_the_forms(cli: Any, row: str) -> None:
    code, out, err = cli("explain", CASE, row)
    assert code == 2 and out == ""
    assert f"okänd rad {row!r}" in err
    for form in ("regel-id", "T1.1", "Q1", "S "):
        assert form in err


def test_invalid_case_is_an_input_error(cli: Any, tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kommun: [\n", encoding="utf-8")
    code, out, err = cli("explain", str(bad), "T4.1")
    assert code == 2 and out == "" and f"{bad}:" in err
