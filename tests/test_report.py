"""The report's structure (brocheck.render.report): an assessment text above each table generated from
the results, table 5 headed Revisionsfråga, and the recommendations the texts point to."""

from __future__ import annotations

import re
from typing import Any

from brocheck.casepatch import apply
from brocheck.render import renderer
from brocheck.render.report import build
from brocheck.ruleset import RuleSet
from tests.conftest import assess_data


def texts(ruleset: RuleSet, data: dict[str, Any], given: dict[str, str] | None = None) -> dict[int, str]:
    (report,) = build([assess_data(ruleset, data, given)])
    return {t.number: " ".join(t.assessment) for t in report.tables}


def test_boras_assessment_texts(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    got = texts(ruleset, boras_data)
    assert got[2].startswith("Av de tio revisionskriterierna i tabell 2 bedöms sex som uppfyllda, två som uppfyllda "
                             "med utvecklingsområden (T2.6 och T2.7) och två som inte helt uppfyllda (T2.1 och "
                             "T2.10). Se rekommendation ")
    assert got[3] == "Samtliga åtta revisionskriterier i tabell 3 bedöms som uppfyllda."
    assert got[5].startswith("I granskningen ställdes sammantaget sex revisionsfrågor. Svaren bygger på "
                             "bedömningarna i tabell 1–4. En fråga besvaras med tillräcklig (Q6), ")
    assert "tre med inte helt ändamålsenligt (Q1, Q2 och Q5)" in got[5]


def test_the_texts_name_what_could_not_be_assessed(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, [{"op": "remove", "path": "rapporter_till_kf"}])
    got = texts(ruleset, data)
    assert re.search(r"(Ett revisionskriterium|\w+ revisionskriterier) kan inte bedömas, eftersom uppgifter saknas "
                     r"i ärendefilen \(T4\.1", got[4]), got[4]


def test_the_texts_follow_the_ratings_given(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    got = texts(ruleset, boras_data, {"strategiskt-rad": "Nej"})
    assert got[3].startswith("Av de åtta revisionskriterierna i tabell 3 bedöms sju som uppfyllda och ett som inte "
                             "uppfyllt (T3.1).")


def test_every_recommendation_a_text_points_to_exists(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    (report,) = build([assess_data(ruleset, boras_data)])
    numbers = {item.number: item for g in report.recommendations for item in g.items}
    for t in report.tables:
        refs = {row.result.placed.ref for row in t.rows}
        for n in re.findall(r"\d+", " ".join(t.assessment).partition("Se rekommendation")[2]):
            assert set(numbers[int(n)].refs) & refs, (t.number, n)


def test_table_5_is_headed_revisionsfraga(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    out = renderer("markdown")([assess_data(ruleset, boras_data)])
    assert isinstance(out, str)
    headers = [line for line in out.splitlines() if line.startswith("| Revision")]
    criteria, questions = "| Revisionskriterie | Bedömning | Kommentar |", "| Revisionsfråga | Bedömning | Kommentar |"
    assert headers == [criteria] * 4 + [questions]
