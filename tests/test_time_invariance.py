"""Property tests of the rules v2 principles (design brief P1, P5): ratings depend on facts, roles and
dates, never on list order, names or ids, and facts dated after the as-of date do not count.

1. Order never matters: every list at every depth of a case, shuffled → identical ratings.
2. Names never matter: every id (all namespaces, reglementen included) and every name/title renamed
   consistently → identical ratings (extends tests/test_invariance.py, reusing its `_rename`).
3. The future does not count: facts dated after `granskning.datum` added to the Borås case →
   identical ratings.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brocheck import yamlsafe
from brocheck.ruleset import RuleSet, load_ruleset
from brocheck.schema import namespaces
from tests.conftest import BORAS, assess_data, case_from
from tests.test_invariance import _rename
from tests.test_scenarios import scenario_data

HERE = Path(__file__).parent
BASES = {"boras": BORAS, "minimal": HERE / "cases" / "minimal.yaml"}
BASES |= {p.stem: p for p in sorted((HERE / "scenarios" / "cases").glob("*.yaml"))}
# Scenarios whose lists hold several dated candidates (lägesbilder, reglementen of one body, groups):
# where "latest" or "the one" must be chosen by date or role, never by position.
VARIANTS = ["minimal-lagesbilder-nyast-forst", "norrvik-reglemente-reviderat-utan-ledning",
            "norrvik-ks-parallell-styrgrupp", "boras-2027-06-01"]


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@cache
def _data(name: str) -> dict[str, Any]:
    if name not in BASES:
        return scenario_data(name)
    data = yamlsafe.load(BASES[name]).data
    assert isinstance(data, dict)
    return data


@cache
def _rules() -> RuleSet:
    """Loaded here rather than taken from the session fixture: Hypothesis prints a failing example's
    arguments, and the rule set's repr is hundreds of kilobytes."""
    return load_ruleset()


def _ratings(data: dict[str, Any]) -> dict[str, str]:
    return {rid: r.rating for rid, r in assess_data(_rules(), data).results.items()}


@cache
def _baseline(name: str) -> dict[str, str]:
    return _ratings(_data(name))


def _diff(got: dict[str, str], want: dict[str, str]) -> str:
    return "; ".join(f"{k}: {want.get(k)!r} -> {got.get(k)!r}" for k in sorted(want.keys() | got.keys())
                     if got.get(k) != want.get(k))


# --- 1. order ------------------------------------------------------------------------------------


def _shuffled(node: Any, rnd: random.Random) -> Any:
    if isinstance(node, dict):
        return {k: _shuffled(v, rnd) for k, v in node.items()}
    if isinstance(node, list):
        items = [_shuffled(v, rnd) for v in node]
        rnd.shuffle(items)
        return items
    return node


@pytest.mark.parametrize("name", sorted(BASES) + VARIANTS)
@_settings(20)
@given(rnd=st.randoms(use_true_random=False))
def test_order_never_matters(name: str, rnd: random.Random) -> None:
    data = _shuffled(_data(name), rnd)
    got, want = _ratings(data), _baseline(name)
    assert got == want, f"{name} shuffled: {_diff(got, want)}"


# --- 2. names ------------------------------------------------------------------------------------

NAME_KEYS = {"namn", "titel", "rubrik", "kortnamn", "genitiv", "amne", "befattning"}


def _names(node: Any, key: str = "") -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_names(v, k) for k, v in node.items())) if node else set()
    if isinstance(node, list):
        return set().union(*(_names(v, key) for v in node)) if node else set()
    return {node} if isinstance(node, str) and key in NAME_KEYS else set()


def _ids(name: str) -> list[str]:
    data = _data(name)
    loaded = case_from(copy.deepcopy(data), f"{name}.yaml")
    ids = {i for ns in namespaces(loaded.case).values() for i in ns}
    ids |= {r["id"] for r in data.get("reglementen") or []}
    return sorted(ids)


@pytest.mark.parametrize("name", sorted(BASES))
@_settings(12)
@given(seed=st.integers(0, 2**32 - 1), prefix=st.sampled_from(["x", "q", "id-", "z9."]))
def test_names_never_matter(name: str, seed: int, prefix: str) -> None:
    data = _data(name)
    ids, names = _ids(name), sorted(_names(data) - set(_ids(name)))
    numbers = list(range(len(ids) + len(names)))
    random.Random(seed).shuffle(numbers)  # new ids sort in a different order than the old ones
    mapping = {old: f"{prefix}{numbers[i]:04d}" for i, old in enumerate(ids)}
    mapping |= {old: f"Namn {numbers[len(ids) + i]}" for i, old in enumerate(names)}
    renamed = _rename(data, mapping)
    renamed["kommun"]["kod"] = "0000"
    assert set(_ids_in(renamed)).isdisjoint(ids), "an id was not renamed"
    got, want = _ratings(renamed), _baseline(name)
    assert got == want, f"{name} renamed: {_diff(got, want)}"


def _ids_in(data: dict[str, Any]) -> set[str]:
    loaded = case_from(copy.deepcopy(data), "renamed.yaml")
    return {i for ns in namespaces(loaded.case).values() for i in ns} | {
        r["id"] for r in data.get("reglementen") or []}


# --- 3. the future -------------------------------------------------------------------------------

ASOF = dt.date(2025, 3, 20)
PLAN, LAGESBILD = "atgardsplan-2024-2026", "lagesbild-2023"
FULL = {"kartlaggning": True, "omfattning": True, "konsekvenser": True, "annan_information": True,
        "analys": True, "orsaksanalys": True, "befintliga_insatser": True}


def _future_facts(kind: str, d: dt.date) -> list[tuple[str, Any]]:
    """(section path, item) pairs: one kind of fact dated `d` (after the as-of date)."""
    later = d.replace(year=d.year + 3)
    kf = {"organ": "kf", "datum": d, "paragraf": "§ 1"}
    return {
        "kf-beslut-plan": [("beslut", {"id": "fut-kf-plan", **kf, "typ": "beslut", "dokument": [PLAN]})],
        "kf-beslut-lagesbild": [("beslut", {"id": "fut-kf-lb", **kf, "typ": "beslut", "dokument": [LAGESBILD]})],
        "kf-bemyndigande": [
            ("beslut", {"id": "fut-kf-bem", **kf, "typ": "bemyndigande", "till": ["ks"], "avser": ["atgardsplan"]}),
            ("beslut", {"id": "fut-ks-plan", "organ": "ks", "datum": d, "paragraf": "§ 2", "typ": "beslut",
                        "dokument": [PLAN], "med_stod_av": ["fut-kf-bem"]})],
        "kf-ledningsansvar": [("beslut", {"id": "fut-kf-led", **kf, "typ": "ledningsansvar", "till": ["ks"]})],
        "rapport": [("rapporter_till_kf", {"datum": d, "fran": "fon",
                                           "amne": "Rapport om det brottsförebyggande arbetet"})],
        "uppfoljning": [("dokument.uppfoljningar", {"id": "fut-upp", "titel": "Uppföljning", "datum": d,
                                                    "avser": [PLAN], "omfattar_alla_atgarder": True})],
        "lagesbild": [
            ("dokument.lagesbilder", {"id": "fut-lb", "titel": "Ny lägesbild", "datum": d, "uppdragsgivare": "ks",
                                      "framtagen_av": "slk", "innehall": FULL, "uppdateringsintervall_ar": 1,
                                      "integrerad_med": ["Välfärdsbokslut"]}),
            ("beslut", {"id": "fut-kf-lb2", **kf, "typ": "beslut", "dokument": ["fut-lb"]})],
        "atgardsplan": [
            ("dokument.atgardsplaner", {
                "id": "fut-ap", "titel": "Ny åtgärdsplan", "datum": d, "uppdragsgivare": "ks", "framtagen_av": "slk",
                "period": {"fran": d, "till": later}, "underlag": [LAGESBILD], "uppfoljningsintervall_ar": 1,
                "riktad_mot_orsaker": True, "metodstod": True, "preventionsnivaer": ["bred", "riskgrupper", "aktiva"],
                "preventionstyper": ["social", "situationell"],
                "sammanstallning": {"antal": 5, "andel_befintliga": "inga",
                                    "alla_anger": ["problem", "period", "ansvar_genomforande", "ansvar_uppfoljning",
                                                   "preventionsniva", "preventionstyp"]}}),
            ("beslut", {"id": "fut-kf-ap", **kf, "typ": "beslut", "dokument": ["fut-ap"]})],
        "overenskommelser": [
            ("overenskommelser", {"id": f"fut-ok-{p}", "titel": f"Ny överenskommelse med {p}",
                                  "parter": ["boras-stad", p], "datum": d, "giltig_fran": d, "tills_vidare": True,
                                  "brottsforebyggande": True,
                                  "syften": ["Minskad brottslighet"], "omraden": ["Unga"]})
            for p in ("lpo", "vgr")],
        "rad": [("organ", {"id": "fut-rad", "namn": "Nytt trygghetsråd", "typ": "rad", "niva": "strategisk",
                           "brottsforebyggande": True, "aktiv": True, "inrattad_av": "ks", "inrattad_datum": d,
                           "leds_av": "slk", "styrs_av": ["ks"],
                           "medlemmar": [{"organisation": "lpo", "ledande_befattning": True,
                                          "kanal_till_organisation": True}]})],
        "styrgrupp": [("organ", {"id": "fut-sg", "namn": "Ny styrgrupp", "typ": "styrgrupp", "niva": "ledning",
                                 "brottsforebyggande": True, "aktiv": True, "inrattad_av": "ks",
                                 "inrattad_datum": d, "styrs_av": ["ks"],
                                 "medlemmar": [{"organisation": "lpo", "roll": "lokalpolisomradeschef"},
                                               {"organisation": "ks", "roll": "kommunstyrelsens_ordforande"}]})],
        "reglemente-ks": [("reglementen", {"id": "fut-reg-ks", "organ": "ks", "titel": "Reglemente för KS, reviderat",
                                           "datum": d, "uppgifter": [
                                               {"typ": "ledning_brottsforebyggande", "paragraf": "§ 9"}]})],
        "reglemente-fon": [("reglementen", {"id": "fut-reg-fon", "organ": "fon", "datum": d,
                                            "titel": "Reglemente för FON, reviderat", "uppgifter": []})],
    }[kind]


KINDS = ["kf-beslut-plan", "kf-beslut-lagesbild", "kf-bemyndigande", "kf-ledningsansvar", "rapport", "uppfoljning",
         "lagesbild", "atgardsplan", "overenskommelser", "rad", "styrgrupp", "reglemente-ks", "reglemente-fon"]


def _append(data: dict[str, Any], section: str, item: Any) -> None:
    node: Any = data
    *parents, last = section.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node.setdefault(last, [])
    if node[last] is None:
        node[last] = []
    node[last].append(item)


@_settings(50)
@given(st.data())
def test_the_future_does_not_count(data: st.DataObject) -> None:
    base = _data("boras")
    assert base["granskning"]["datum"] == ASOF
    kinds = data.draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=len(KINDS), unique=True), label="kinds")
    case = copy.deepcopy(base)
    for kind in kinds:
        days = data.draw(st.integers(1, 3650), label=f"{kind}: days after as-of")
        for section, item in _future_facts(kind, ASOF + dt.timedelta(days=days)):
            _append(case, section, copy.deepcopy(item))
    got, want = _ratings(case), _baseline("boras")
    assert got == want, f"future facts {kinds}: {_diff(got, want)}"
