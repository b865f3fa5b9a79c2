"""Fairness: the rules look at roles and facts, never at names. Renaming the municipality, every
body, actor and id must change no rating; removing facts must give "Kan ej bedömas" naming them."""

from __future__ import annotations

from typing import Any

import yaml

from brocheck.casepatch import apply
from brocheck.engine import UNKNOWN_OUTCOME
from brocheck.loader import LoadedCase
from brocheck.ruleset import RuleSet
from brocheck.schema import namespaces
from tests.conftest import assess_data


def _ratings(ruleset: RuleSet, data: dict[str, Any]) -> dict[str, str]:
    return {rid: r.rating for rid, r in assess_data(ruleset, data).results.items()}


ENUM_KEYS = {"typ", "niva", "inriktning", "roll", "uppgifter", "preventionsnivaer", "preventionstyper",
             "alla_anger", "ingen_anger", "andel_befintliga"}


def _rename(node: Any, ids: dict[str, str], key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _rename(v, ids, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_rename(v, ids, key) for v in node]
    if isinstance(node, str) and key not in ENUM_KEYS:
        node = ids.get(node, node)
        for old, new in NAMES:
            node = node.replace(old, new)
    return node


NAMES = [("Borås", "Norrköping"), ("Fritids- och folkhälso", "Kultur- och trygghets"), ("Sjöbo", "Navestad"),
         ("Brå", "LBR"), ("Västtrafik", "Östgötatrafiken"), ("Västra Götaland", "Östergötland")]


def test_renaming_everything_changes_no_rating(ruleset: RuleSet, boras: LoadedCase,
                                               boras_data: dict[str, Any]) -> None:
    defined = sorted({i for ns in namespaces(boras.case).values() for i in ns})
    ids = {ident: f"x{n:03d}" for n, ident in enumerate(defined)}
    data = _rename(boras_data, ids)
    data["kommun"]["kod"] = "0581"
    dumped = yaml.safe_dump(data, allow_unicode=True)
    assert "Borås" not in dumped and "lagesbild-2023" not in dumped
    assert _ratings(ruleset, data) == _ratings(ruleset, boras_data)


def test_reordering_bodies_changes_no_rating(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    data = dict(boras_data)
    data["organ"] = list(reversed(boras_data["organ"]))
    data["aktorer"] = list(reversed(boras_data["aktorer"]))
    assert _ratings(ruleset, data) == _ratings(ruleset, boras_data)


def test_unknown_reglementen_gives_kan_ej_bedomas_naming_them(ruleset: RuleSet,
                                                              boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, [{"op": "remove", "path": "reglementen"}])
    result = assess_data(ruleset, data).results["ledning-och-rapportering"]
    assert (result.outcome, result.rating) == (UNKNOWN_OUTCOME, "Kan ej bedömas")
    assert "reglementen" in result.missing
    assert "reglementen" in result.comment


def test_recorded_none_is_not_unknown(ruleset: RuleSet, boras_data: dict[str, Any]) -> None:
    """`rapporter_till_kf: []` is a recorded none (Borås: Nej); left out it is unknown."""
    known = assess_data(ruleset, boras_data).results["ledning-och-rapportering"]
    assert known.rating == "Nej"
    data = apply(boras_data, [{"op": "remove", "path": "rapporter_till_kf"}])
    results = assess_data(ruleset, data).results
    unknown = results["ledning-och-rapportering"]
    assert unknown.rating == "Kan ej bedömas" and "rapporter_till_kf" in unknown.missing
    # Three-valued: a matter prepared too slowly decides "Inte helt" whatever the reporting was.
    assert results["ks-organisation-beredning"].rating == "Inte helt"


def test_unknown_propagates_to_roll_ups_but_known_facts_still_decide(ruleset: RuleSet,
                                                                      boras_data: dict[str, Any]) -> None:
    data = apply(boras_data, [{"op": "remove", "path": "reglementen"}])
    results = assess_data(ruleset, data).results
    assert results["styrning"].rating == "Kan ej bedömas"
    # Table 3 does not depend on reglementen: its ratings stand.
    assert results["strategiskt-rad"].rating == "Ja"
