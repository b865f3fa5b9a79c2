"""The rule set as data: no names of Borås in it, and defects are load-time errors with file:line."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from enum import StrEnum
from pathlib import Path

import pytest
import yaml

from brocheck import schema
from brocheck.errors import RuleSetError
from brocheck.resources import data_dir
from brocheck.ruleset import RuleSet, load_ruleset
from tests.conftest import BORAS

RULES = data_dir("rules")


def _names_in_boras() -> set[str]:
    data = yaml.safe_load(BORAS.read_text(encoding="utf-8"))
    names = {data["kommun"]["namn"], "Borås", "Sjöbo", "Hässleholmen", "Hulta", "Norrby"}
    for section in ("organ", "aktorer"):
        for item in data[section]:
            if item.get("typ") in ("kommunfullmaktige", "kommunstyrelse"):
                continue  # role names every municipality shares, used in the criteria themselves
            names.add(item["namn"])  # not `kortnamn`: "Brå" is the generic term for a local council
    return names


def test_no_rule_names_a_municipality_place_or_body() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(RULES.glob("*.yaml")))
    for name in sorted(_names_in_boras()):
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), f"rules name {name!r}"
    vocabulary = {m.value for e in vars(schema).values() if isinstance(e, type) and issubclass(e, StrEnum)
                  for m in e}
    for id_ in set(re.findall(r"^\s*- id: ([a-z0-9-]+)", BORAS.read_text(encoding="utf-8"), flags=re.M)) - vocabulary:
        assert f"'{id_}'" not in text and f'"{id_}"' not in text


def test_rule_set_shape(ruleset: RuleSet) -> None:
    counts = {t.number: sum(1 for p in ruleset.placed if p.table == t.number) for t in ruleset.tables}
    assert counts == {1: 9, 2: 10, 3: 8, 4: 7, 5: 6}
    assert ruleset.overall.rule.id == "sammanfattande-bedomning"
    order = [p.rule.id for p in ruleset.order]
    assert order.index("lagesbild-kartlaggning") < order.index("lagesbild")
    assert order.index("lagkrav") < order.index("sammanfattande-bedomning")


def _broken(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, int]:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    text = (root / file).read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return root, line


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("tabell-3-samordning.yaml", "when: {not: {exists: $rad}}", "when: {nott: {exists: $rad}}",
         "okänd operator"),
        ("tabell-3-samordning.yaml", "when: {exists: $rad_externa}", "when: {exists: $rad_extrna}",
         "okänt faktum"),
        ("tabell-1-lagesbild.yaml", "when: $lagesbild.innehall.analys", "when: $lagesbild.innehall.analyz",
         "okänt fält 'analyz'"),
        ("tabell-2-atgardsplan.yaml", "rating: Inte helt\n", "rating: Delvis\n", "finns inte på skalan"),
        ("tabell-5-revisionsfragor.yaml", "{rating: ks-styrning}", "{rating: ks-styrnig}", "okänd regel"),
        ("tabell-3-samordning.yaml", "Leds av {{ namn(ledare) }}.", "Leds av {{ namn(ledare) }.",
         "mallfel"),
        ("tabell-3-samordning.yaml", "Leds av {{ namn(ledare) }}.", "Leds av {{ ledarna }}.",
         "okänt namn 'ledarna'"),
    ],
    ids=["operator", "fact", "field", "rating", "rule-ref", "template-syntax", "template-name"],
)
def test_rule_defects_are_located(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    root, line = _broken(tmp_path, file, old, new)
    with pytest.raises(RuleSetError) as err:
        load_ruleset(root)
    problems = [p for p in err.value.problems if p.file == str(root / file)]
    assert problems and any(message in p.message for p in problems), err.value.problems
    assert any(p.line is not None and abs(p.line - line) <= 2 for p in problems), (line, problems)


def test_broken_rules_exit_2_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = _broken(tmp_path, "tabell-3-samordning.yaml", "when: {exists: $rad_externa}",
                      "when: {exists: $nope}")
    monkeypatch.setenv("BROCHECK_RULES", str(root))
    from brocheck.cli.main import main

    code = main(["assess", str(BORAS), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert f"{root / 'tabell-3-samordning.yaml'}:" in err and "Traceback" not in err


def test_no_rule_contains_an_unnamed_threshold(ruleset: RuleSet) -> None:
    """Every limit is a named parameter (rules/ruleset.yaml `parameters`) with a rationale and a source;
    conditions may only use 0 and 1 (none / one) and no date literals."""
    from brocheck import expr

    nodes = [n for node in ruleset.derived.values() for n in node.walk()]
    nodes += [n for p in ruleset.placed for node in p.rule.expressions() for n in node.walk()]
    nodes += [n for defs in ruleset.recommendations.values() for d in defs for n in d.to.walk()]
    literals = [n.value for n in nodes if isinstance(n, expr.Lit)]
    assert [v for v in literals if isinstance(v, int | float) and not isinstance(v, bool) and v not in (0, 1)] == []
    assert [v for v in literals if isinstance(v, dt.date)] == []
    for name, param in ruleset.parameters.items():
        assert param.rationale.strip() and param.source.strip(), name


def test_member_and_overlaps_are_three_valued_over_unknown_elements() -> None:
    """`{member: [x, [$a, $b]]}` with `$b` unknown is unknown unless a known element matches."""
    from brocheck.expr import UNKNOWN
    from brocheck.expr.runtime import member, overlaps

    assert member("inga", [UNKNOWN, "alla"]) is UNKNOWN
    assert member("alla", [UNKNOWN, "alla"]) is True
    assert member("inga", ["vissa", "alla"]) is False
    assert overlaps(["a", UNKNOWN], ["b"]) is UNKNOWN
    assert overlaps(["a", UNKNOWN], ["a"]) is True
    assert overlaps(["a"], ["b"]) is False
