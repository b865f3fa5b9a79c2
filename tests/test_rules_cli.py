"""Own rule sets: `--rules` / BROCHECK_RULES, `brocheck rules check|test|coverage`."""

from __future__ import annotations

import json
import shutil
import typing
from pathlib import Path

import pytest

from brocheck.resources import data_dir
from brocheck.ruleset import load_ruleset
from tests.conftest import BORAS, ROOT

Cli = typing.Callable[..., tuple[int, str, str]]
RULES = data_dir("rules")


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "mina-regler"
    shutil.copytree(RULES, root)
    return root


def _edit(root: Path, file: str, old: str, new: str) -> str:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def _at(text: str, marker: str) -> tuple[int, int]:
    assert text.count(marker) == 1, marker
    i = text.index(marker)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


DEFECTS = {
    "unknown-filter": ("tabell-1-lagesbild.yaml", "{{ lagesbild.innehall.antal_slutsatser }} slutsatser",
                       "{{ lagesbild.innehall.antal_slutsatser | siffror }} slutsatser", "siffror }}",
                       "okänt filter 'siffror'"),
    "unknown-test": ("tabell-1-lagesbild.yaml", "innehall.omfattning is false", "innehall.omfattning is falsk",
                     "falsk", "okänt test 'falsk'"),
    "unknown-attribute": ("tabell-1-lagesbild.yaml", 'Lägesbilden "{{ lagesbild.titel }}"',
                          'Lägesbilden "{{ lagesbild.titl }}"', "titl }}", "okänt fält 'titl' i 'lagesbild.titl'"),
    "date-with-number": ("tabell-3-samordning.yaml", "when: {exists: $rad_externa}",
                         "when: {eq: [$rad.inrattad_datum, 3]}", "[$rad.inrattad_datum",
                         "eq jämför ett datum med ett tal"),
    "text-with-list": ("tabell-3-samordning.yaml", "when: {exists: $rad_externa}", "when: {eq: [$rad.namn, [a, b]]}",
                       "[$rad.namn", "eq jämför enkla värden"),
    "misspelt-enum-value": ("ruleset.yaml", "where: {eq: [$item.typ, kommunfullmaktige]}",
                            "where: {eq: [$item.typ, kommunfullmaktig]}", "kommunfullmaktig]",
                            "'kommunfullmaktig' är inget av de tillåtna värdena"),
    "no-catch-all": ("tabell-1-lagesbild.yaml",
                     "      - id: finns-inte\n        rating: Nej\n        comment: Lägesbilden innehåller ingen annan",
                     "      - id: finns-inte\n        when: {not: $lagesbild.innehall.annan_information}\n"
                     "        rating: Nej\n        comment: Lägesbilden innehåller ingen annan",
                     "when: {not: $lagesbild.innehall.annan", "det sista utfallet har ett villkor"),
    "condition-not-boolean": ("tabell-1-lagesbild.yaml", "when: $lagesbild.innehall.analys",
                              "when: $lagesbild.titel", "$lagesbild.titel", "villkoret ger ett värde av typen str"),
}


@pytest.mark.parametrize("defect", DEFECTS, ids=list(DEFECTS))
def test_rules_check_locates_each_defect(cli: Cli, tmp_path: Path, defect: str) -> None:
    file, old, new, marker, message = DEFECTS[defect]
    root = _copy(tmp_path)
    line, col = _at(_edit(root, file, old, new), marker)
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
    """A rule set with its fixtures in DIR/tests and base cases in DIR/tests/cases (the default layout)."""
    root = _copy(tmp_path)
    (root / "tests" / "cases").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "cases" / "minimal.yaml", root / "tests" / "cases" / "minimal.yaml")
    (root / "tests" / "lagesbild.yaml").write_text(f"rule: lagesbild\ncases:\n{cases}", encoding="utf-8")
    return root


PASSING = """\
  - name: complete lägesbild decided by kommunfullmäktige
    base: minimal
    expect: {outcome: komplett-beslutad-av-kf, rating: Ja}
"""


def test_rules_test_on_an_own_rule_set_reports_coverage(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING)
    code, out, _ = cli("rules", "test", str(root))
    assert code == 0
    assert "1 fall: 1 godkända" in out
    assert "Utfall som inget godkänt fall når:" in out and "  T1.1 lagesbild: saknas, komplett-beslutad-av-namnd" in out
    assert cli("rules", "test", str(root), "--fail-under", "100")[0] == 1


def test_a_failing_fixture_exits_1_located(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING.replace("expect: {outcome: komplett-beslutad-av-kf, rating: Ja}",
                                                "expect: {outcome: saknas, rating: Nej}"))
    code, out, _ = cli("rules", "test", str(root))
    assert code == 1
    assert f"UNDERKÄNT {root / 'tests' / 'lagesbild.yaml'}:3:5: complete lägesbild decided by kommunfullmäktige: " \
           "väntade utfallet saknas (Nej), fick komplett-beslutad-av-kf (Ja)" in out


def test_a_fixture_naming_an_unknown_outcome_exits_2_located(cli: Cli, tmp_path: Path) -> None:
    root = _own_suite(tmp_path, PASSING.replace("outcome: komplett-beslutad-av-kf", "outcome: komplett"))
    code, out, err = cli("rules", "test", str(root))
    fixture = root / "tests" / "lagesbild.yaml"
    line, col = _at(fixture.read_text(encoding="utf-8"), "komplett,")
    assert code == 2 and out == ""
    assert f"{fixture}:{line}:{col}: regeln lagesbild har inget utfall 'komplett'" in err


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
    root = _copy(tmp_path)
    _edit(root, "tabell-2-atgardsplan.yaml", "law: [9]", "law: []")
    out = cli("rules", "coverage", str(root))[1]
    uncovered = next(line for line in out.splitlines() if line.startswith("Paragrafer som ingen regel prövar"))
    assert "9 §" in uncovered.split(": ")[1].split(", ")
    md = cli("rules", "coverage", "--format", "markdown")[1]
    assert "| 4 § | lägesbild: kartläggning, annan information, analys | T1.1 lagesbild" in md


def _modified(tmp_path: Path) -> Path:
    root = _copy(tmp_path)
    _edit(root, "tabell-3-samordning.yaml", "comment: Leds av {{ namn(rad.leds_av) }}.",
          'comment: "EGEN REGEL: leds av {{ namn(rad.leds_av) }}."')
    return root


def test_assess_with_own_rules(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _modified(tmp_path)
    shipped = cli("assess", str(BORAS), "-f", "json")[1]
    own = cli("assess", str(BORAS), "--rules", str(root), "-f", "json")[1]
    assert "EGEN REGEL" not in shipped
    comments = {r["ref"]: r["comment"] for t in json.loads(own)["tables"] for r in t["rows"]}
    assert comments["T3.2"] == "EGEN REGEL: leds av Fritids- och folkhälsoförvaltningen."
    assert load_ruleset().location == "rules"  # the selection ends with the command
    monkeypatch.setenv("BROCHECK_RULES", str(root))
    assert "EGEN REGEL" in cli("assess", str(BORAS), "-f", "json")[1]
    assert "EGEN REGEL" not in cli("assess", str(BORAS), "-f", "json", "--rules", str(RULES))[1]


def test_every_assessing_command_takes_rules(cli: Cli, tmp_path: Path) -> None:
    root = _modified(tmp_path)
    out = cli("explain", str(BORAS), "T3.2", "--rules", str(root))[1]
    assert out.startswith(f"T3.2 radet-leds-av-kommunen ({root / 'tabell-3-samordning.yaml'})")
    assert "EGEN REGEL" in out
    broken = tmp_path / "trasig"
    shutil.copytree(root, broken)
    _edit(broken, "tabell-3-samordning.yaml", "when: {exists: $rad_externa}", "when: {exists: $nope}")
    for args in (["check", str(BORAS)], ["check", "--completeness", str(BORAS)], ["diff", str(BORAS), str(BORAS)],
                 ["explain", str(BORAS), "T3.2"], ["assess", str(BORAS)]):
        code, _, err = cli(*args, "--rules", str(broken))
        assert code == 2 and f"{broken / 'tabell-3-samordning.yaml'}:" in err, args


def test_a_missing_rules_directory_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("assess", str(BORAS), "--rules", str(tmp_path / "finns-inte"))
    assert code == 2 and out == "" and "regelkatalogen finns inte" in err
