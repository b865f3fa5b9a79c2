"""Recommendations are rule data (rules/rekommendationer.yaml), checked when the rule set loads and
rendered with the rule's outcome: addressed by role, never by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from brocheck.casepatch import apply
from brocheck.errors import RuleSetError
from brocheck.render.report import recommendations
from brocheck.ruleset import RuleSet, load_ruleset
from tests.conftest import assess_data
from tests.test_rules_static import _broken

FILE = "rekommendationer.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  atgardsplan-beslut:\n", "  atgardsplan-beslutt:\n", "okänd regel 'atgardsplan-beslutt'"),
        ("[beslutad-av-annan, ej-beslutad]", "[beslutad-av-annan, ej-beslutat]", "inget utfall 'ej-beslutat'"),
        ("[beslutad-av-annan, ej-beslutad]", "[beslutad-av-kf]",
         "bedömningen 'Ja': rekommendationer hör till utfall under skalans bästa"),
        ("[beslutad-av-annan, ej-beslutad]", "[ej-kravt-an]", "bedömningen 'Ej tillämpligt'"),
        ("    - outcomes: [tidigare, inga]\n      to: $ledande", "    - outcomes: [tidigare, inga]\n      to: $plan",
         "mottagaren ska vara ett organ"),
        ("    - outcomes: [tidigare, inga]\n      to: $ledande", "    - outcomes: [tidigare, inga]\n      to: $ledare",
         "okänt faktum '$ledare'"),
        ("tillsammans med polisen ta fram medborgarlöften", "tillsammans med {{ polisen }} ta fram medborgarlöften",
         "okänt namn 'polisen'"),
        ("tillsammans med polisen ta fram medborgarlöften", "tillsammans med {{ polisen ta fram medborgarlöften",
         "mallfel"),
    ],
    ids=["rule", "outcome", "best-outcome", "not-applicable-outcome", "addressee-type", "addressee-fact",
         "template-name", "template-syntax"],
)
def test_recommendation_defects_are_located(tmp_path: Path, old: str, new: str, message: str) -> None:
    root, line = _broken(tmp_path, FILE, old, new)
    with pytest.raises(RuleSetError) as err:
        load_ruleset(root)
    problems = [p for p in err.value.problems if Path(p.file) == root / FILE]
    assert any(message in p.message for p in problems), err.value.problems
    assert any(p.line is not None and abs(p.line - line) <= 3 and p.col for p in problems), (line, problems)


def test_the_rule_set_loads_without_recommendations(tmp_path: Path) -> None:
    root, _ = _broken(tmp_path, "ruleset.yaml", "recommendations: rekommendationer.yaml\n", "")
    assert load_ruleset(root).recommendations == {}


def test_every_recommendation_speaks_to_its_addressee(ruleset: RuleSet) -> None:
    """The addressee is a role (`to`), and the text names it through `till`, never by a name of its own."""
    assert ruleset.recommendations
    for defs in ruleset.recommendations.values():
        for d in defs:
            assert "{{ till }} bör" in d.text, d.text


def test_boras_recommendations_are_grouped_by_addressee_and_merged(ruleset: RuleSet,
                                                                  boras_data: dict[str, Any]) -> None:
    groups = recommendations(assess_data(ruleset, boras_data))
    assert [g.to for g in groups] == ["Kommunstyrelsen", "Kommunstyrelsen och Fritids- och folkhälsonämnden",
                                      "Fritids- och folkhälsonämnden"]
    items = [item for g in groups for item in g.items]
    assert [item.number for item in items] == list(range(1, len(items) + 1))
    by_refs = {item.refs: item.text for item in items}
    assert by_refs[("T2.1",)].startswith("Kommunstyrelsen bör föreslå Kommunfullmäktige att besluta om åtgärdsplanen "
                                         "eller att bemyndiga styrelsen att besluta om den enligt 6 kap. 8 § KL.")
    assert ("T4.3", "T4.4") in by_refs  # one recommendation answering two rows stands once
    assert ("T1.6", "T1.7", "T1.8") in by_refs
    for g in groups:
        for item in g.items:
            assert item.text.startswith(g.to + " bör "), item


def test_a_recommendation_follows_the_role_not_the_name(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, [{"op": "set", "path": "organ[ks].namn", "value": "Stadsstyrelsen"}])
    groups = recommendations(assess_data(ruleset, data))
    assert groups[0].to == "Stadsstyrelsen" and groups[0].items[0].text.startswith("Stadsstyrelsen bör")


def test_no_recommendation_for_a_row_the_auditor_rates_best(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    before = [item.refs for g in recommendations(assess_data(ruleset, boras_data)) for item in g.items]
    assert ("T2.1",) in before
    after = [item.refs for g in recommendations(assess_data(ruleset, boras_data, {"atgardsplan-beslut": "Ja"}))
             for item in g.items]
    assert ("T2.1",) not in after and len(after) == len(before) - 1


def test_a_text_that_renders_empty_gives_no_recommendation(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    # T4.1 recommends reporting to kommunfullmäktige only while no report has been made in the last year
    report = {"datum": dt.date(2025, 1, 15), "fran": "fon", "amne": "Brottsförebyggande arbete"}
    data = apply(boras_data, [{"op": "append", "path": "rapporter_till_kf", "value": report}])
    result = assess_data(ruleset, data).results["ledning-och-rapportering"]
    assert result.rating != "Ja"
    assert [r.to for r in result.recommendations] == [("ks",)]


ANSWERED_BY_A_SUB_ROW = {("samordningsfunktion", "utvecklingsomraden")}
"""Outcomes below the best without a recommendation of their own: the sub-row that makes the roll-up
fall short carries it (T3.8 for T3.5's development area)."""


def test_every_finding_of_tables_1_to_4_has_a_recommendation(ruleset: RuleSet) -> None:
    missing = set()
    for p in ruleset.placed:
        if p.table in (0, 5):
            continue  # the revision questions and the summary roll up the rows that carry recommendations
        below = ruleset.scales[p.rule.scale][1:]
        answered = {o for d in ruleset.recommendations.get(p.rule.id, []) for o in d.outcomes}
        missing |= {(p.rule.id, o.id) for o in p.rule.outcomes if o.rating in below and o.id not in answered}
    assert missing == ANSWERED_BY_A_SUB_ROW
