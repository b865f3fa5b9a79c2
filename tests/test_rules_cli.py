"""Own rule sets: `--rules` / BROCHECK_RULES, `brocheck rules check|test|coverage`."""

from __future__ import annotations

import json
import re
import shutil
import typing
from pathlib import Path

import pytest
import yaml

from brocheck.resources import data_dir
from brocheck.ruleset import load_ruleset
from tests.conftest import BORAS, ROOT

Cli = typing.Callable[..., tuple[int, str, str]]
RULES = data_dir("rules")


OWN_RULE = """
  - id: egen-regel
    criterion: En egen regel.
    source: ["Revisionsbyråns kriterier"]
    outcomes:
      - id: finns
        when: {exists: $organ}
        rating: Ja
        comment: "{{ case.kommun.namn }} har organ."
      - id: saknas
        rating: Nej
        comment: Inga organ.
"""
"""A rule of an own rule set, appended to a copy of the shipped first table; tests edit it, so that they
do not depend on the wording of the shipped rules."""


def _copy(tmp_path: Path, rule: str = OWN_RULE) -> tuple[Path, str]:
    """A copy of the shipped rules with `rule` appended to the first table: (directory, that file's name)."""
    root = tmp_path / "mina-regler"
    shutil.copytree(RULES, root)
    first = yaml.safe_load((root / "ruleset.yaml").read_text(encoding="utf-8"))["tables"][0]["file"]
    path = root / first
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + rule, encoding="utf-8")
    return root, first


def _at(text: str, marker: str) -> tuple[int, int]:
    assert text.count(marker) == 1, marker
    i = text.index(marker)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


DEFECTS = {
    "unknown-filter": ('"{{ case.kommun.namn }} har organ."', '"{{ case.kommun.namn | siffror }} har organ."',
                       "siffror }}", "okänt filter 'siffror'"),
    "unknown-test": ('"{{ case.kommun.namn }} har organ."', '"{% if case.kommun.namn is falsk %}x{% endif %}"',
                     "falsk %}", "okänt test 'falsk'"),
    "unknown-attribute": ('"{{ case.kommun.namn }} har organ."', '"{{ case.kommun.namm }} har organ."',
                          "namm }}", "okänt fält 'namm' i 'case.kommun.namm'"),
    "date-with-number": ("when: {exists: $organ}", "when: {eq: [$granskning.datum, 3]}", "[$granskning.datum",
                         "eq jämför ett datum med ett tal"),
    "text-with-list": ("when: {exists: $organ}", "when: {eq: [$kommun.namn, [a, b]]}", "[$kommun.namn",
                       "eq jämför enkla värden"),
    "misspelt-enum-value": ("when: {exists: $organ}",
                            "when: {some: {in: $organ, where: {eq: [$item.typ, kommunfullmaktig]}}}",
                            "kommunfullmaktig]", "'kommunfullmaktig' är inget av de tillåtna värdena"),
    "no-catch-all": ("      - id: saknas\n        rating: Nej",
                     "      - id: saknas\n        when: {not: {exists: $organ}}\n        rating: Nej",
                     "when: {not: {exists: $organ}}", "det sista utfallet har ett villkor"),
    "condition-not-boolean": ("when: {exists: $organ}", "when: $kommun.namn", "$kommun.namn",
                              "villkoret ger ett värde av typen str"),
}


@pytest.mark.parametrize("defect", DEFECTS, ids=list(DEFECTS))
def test_rules_check_locates_each_defect(cli: Cli, tmp_path: Path, defect: str) -> None:
    old, new, marker, message = DEFECTS[defect]
    assert OWN_RULE.count(old) == 1
    root, file = _copy(tmp_path, OWN_RULE.replace(old, new))
    assert cli("rules", "check", str(_copy(tmp_path / "ok")[0]))[0] == 0  # the rule itself is fine
    line, col = _at((root / file).read_text(encoding="utf-8"), marker)
    code, out, err = cli("rules", "check", str(root))
    assert code == 2 and out == "", err
    assert f"{root / file}:{line}:{col}: {message}" in err, err
    assert "Traceback" not in err and "internt fel" not in err
    assert cli("assess", str(BORAS), "--rules", str(root), "-f", "json")[0] == 2  # never exit 3 or a silent row


def test_rules_check_passes_the_shipped_rules(cli: Cli) -> None:
    code, out, err = cli("rules", "check")
    assert (code, err) == (0, "") and out.startswith("rules: OK – 41 regler")


def test_rules_test_passes_the_shipped_fixtures_with_full_coverage(cli: Cli) -> None:
    code, out, err = cli("rules", "test", str(RULES), "--fixtures", str(ROOT / "tests" / "rules"), "--cases",
                         str(ROOT / "tests" / "cases"), "--base", str(BORAS), "--fail-under", "100")
    assert (code, err) == (0, ""), out
    assert "0 underkända, 0 kunde inte köras" in out and "(100 %)" in out


def _own_suite(tmp_path: Path, cases: str) -> Path:
    """An own rule set with its fixtures in DIR/tests and base cases in DIR/tests/cases (the default layout)."""
    root, _ = _copy(tmp_path)
    (root / "tests" / "cases").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "cases" / "minimal.yaml", root / "tests" / "cases" / "minimal.yaml")
    (root / "tests" / "egen-regel.yaml").write_text(f"rule: egen-regel\ncases:\n{cases}", encoding="utf-8")
    return root


PASSING = """\
  - name: a municipality with bodies
    base: minimal
    expect: {outcome: finns, rating: Ja, comment_contains: [Exempelby kommun har organ]}
"""


def test_rules_test_on_an_own_rule_set_reports_coverage(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING)
    code, out, _ = cli("rules", "test", str(root))
    assert code == 0
    assert "1 fall: 1 godkända" in out
    assert "Utfall som inget godkänt fall når:" in out
    assert re.search(r"^  T1\.\d+ egen-regel: saknas, kan-ej-bedomas$", out, re.M), out
    assert cli("rules", "test", str(root), "--fail-under", "100")[0] == 1


def test_a_failing_fixture_exits_1_located(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING.replace("outcome: finns, rating: Ja", "outcome: saknas, rating: Nej"))
    code, out, _ = cli("rules", "test", str(root))
    assert code == 1
    assert f"UNDERKÄNT {root / 'tests' / 'egen-regel.yaml'}:3:5: a municipality with bodies: " \
           "väntade utfallet saknas (Nej), fick finns (Ja)" in out


def test_a_fixture_naming_an_unknown_outcome_exits_2_located(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING.replace("outcome: finns", "outcome: finnes"))
    code, out, err = cli("rules", "test", str(root))
    fixture = root / "tests" / "egen-regel.yaml"
    line, col = _at(fixture.read_text(encoding="utf-8"), "finnes,")
    assert code == 2 and out == ""
    assert f"{fixture}:{line}:{col}: regeln egen-regel har inget utfall 'finnes'" in err


def test_a_patch_that_cannot_be_applied_is_an_error(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING.replace("base: minimal\n", "base: minimal\n    patch:\n"
                                                "      - {op: remove, path: 'beslut[nope]'}\n"))
    code, out, _ = cli("rules", "test", str(root))
    assert code == 2
    assert "FEL" in out and "remove beslut[nope]: inget element med id 'nope'" in out


def test_a_case_without_base_needs_a_default(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING.replace("    base: minimal\n", ""))
    code, _, err = cli("rules", "test", str(root))
    assert code == 2 and "ange base: NAMN eller ett standardärende med --base" in err
    assert cli("rules", "test", str(root), "--base", str(ROOT / "tests" / "cases" / "minimal.yaml"))[0] == 0


def test_rules_coverage(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("rules", "coverage")
    assert code == 0
    assert "   14 §  kommunal kamerabevakning (från 2025-04-01)\n         prövas av: –\n" in out
    assert "KL 6 kap. 1 §: T4.5 ks-styrning" in out
    uncovered = next(line for line in out.splitlines() if line.startswith("Paragrafer som ingen regel prövar"))
    assert "9 §" not in uncovered.split(":")[1].split(", ")
    root, _ = _copy(tmp_path)
    for path in root.glob("*.yaml"):  # no rule tests 9 § any more
        path.write_text(re.sub(r"law: \[9\]", "law: []", path.read_text(encoding="utf-8")), encoding="utf-8")
    out = cli("rules", "coverage", str(root))[1]
    uncovered = next(line for line in out.splitlines() if line.startswith("Paragrafer som ingen regel prövar"))
    assert "9 §" in uncovered.split(": ")[1].split(", ")
    md = cli("rules", "coverage", "--format", "markdown")[1]
    assert "| 4 § | lägesbild: kartläggning, annan information, analys | T1.1 lagesbild" in md


def test_assess_with_own_rules(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = _copy(tmp_path)

    def rows(*args: str) -> dict[str, str]:
        data = json.loads(cli("assess", str(BORAS), "-f", "json", *args)[1])
        return {r["id"]: r["comment"] for t in data["tables"] for r in t["rows"]}

    assert "egen-regel" not in rows()
    assert rows("--rules", str(root))["egen-regel"] == "Borås Stad har organ."
    assert load_ruleset().location == "rules"  # the selection ends with the command
    monkeypatch.setenv("BROCHECK_RULES", str(root))
    assert "egen-regel" in rows()
    assert "egen-regel" not in rows("--rules", str(RULES))


def test_every_assessing_command_takes_rules(cli: Cli, tmp_path: Path) -> None:
    root, file = _copy(tmp_path)
    out = cli("explain", str(BORAS), "egen-regel", "--rules", str(root))[1]
    assert out.startswith("T1.") and f"egen-regel ({root / file})" in out.splitlines()[0]
    broken, file = _copy(tmp_path / "trasig", OWN_RULE.replace("when: {exists: $organ}", "when: {exists: $nope}"))
    for args in (["check", str(BORAS)], ["check", "--completeness", str(BORAS)], ["diff", str(BORAS), str(BORAS)],
                 ["explain", str(BORAS), "T3.2"], ["assess", str(BORAS)]):
        code, _, err = cli(*args, "--rules", str(broken))
        assert code == 2 and f"{broken / file}:" in err, args


def test_a_missing_rules_directory_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("assess", str(BORAS), "--rules", str(tmp_path / "finns-inte"))
    assert code == 2 and out == "" and "regelkatalogen finns inte" in err
