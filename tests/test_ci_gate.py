"""The CI gate (issue 4): --fail-on, the SARIF / JUnit / GitHub formats, several outputs in one run,
batches of cases, and the pre-commit hook."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from brocheck.render import Gate
from brocheck.render.escape import workflow_data, workflow_property
from brocheck.render.sarif import artifact_uri
from brocheck.ruleset import RuleSet
from tests.conftest import BORAS, ROOT

SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
CASE = "cases/boras-2025.yaml"


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row of a JSON report: tables 1-5 and the overall assessment."""
    return [r for t in report["tables"] for r in t["rows"]] + [report["overall"]]


def broken_case(path: Path) -> Path:
    """Borås with a misspelt key: invalid, reported at a line."""
    text = BORAS.read_text(encoding="utf-8").replace("\ngranskning:\n", "\ngranskning:\n  datumm: 2025-01-01\n", 1)
    assert "datumm" in text
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the project root so the case is given as the relative path `cases/boras-2025.yaml`."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def boras_json() -> dict[str, Any]:
    from brocheck.cli.main import main

    out = io.StringIO()
    saved, sys.stdout = sys.stdout, out
    try:
        assert main(["assess", str(BORAS), "--format", "json"]) == 0
    finally:
        sys.stdout = saved
    report = json.loads(out.getvalue())
    assert isinstance(report, dict)
    return report


@pytest.mark.usefixtures("in_root")
def test_one_run_writes_every_format(cli: Any, tmp_path: Path, ruleset: RuleSet,
                                     boras_json: dict[str, Any]) -> None:
    out = {name: tmp_path / f"out.{name}" for name in ("sarif", "junit", "json", "markdown")}
    code, stdout, stderr = cli("assess", CASE, "--format", "github",
                               *[arg for name, path in out.items() for arg in ("--output", f"{name}={path}")])
    assert (code, stderr) == (0, "")
    all_rows = rows(boras_json)
    findings = [r for r in all_rows if ruleset.severity.get(r["rating"], -1) != 0]
    assert findings and any(ruleset.severity.get(r["rating"]) == 3 for r in findings)

    # SARIF: valid against the official schema, one result per finding, each at a line of the case.
    sarif = json.loads(out["sarif"].read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    (run,) = sarif["runs"]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert set(rule_ids) == {r["id"] for r in all_rows}
    assert [res["ruleId"] for res in run["results"]] == [r["id"] for r in findings]
    lines = len(BORAS.read_text(encoding="utf-8").splitlines())
    levels = {3: "error", 2: "warning", 1: "note"}
    for res, row in zip(run["results"], findings, strict=True):
        (loc,) = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == CASE
        assert 1 <= loc["physicalLocation"]["region"]["startLine"] <= lines
        assert res["level"] == levels.get(ruleset.severity.get(row["rating"], 1), "note")
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]

    # JUnit: parses; one testcase per row; no failures without --fail-on.
    suites = ET.parse(out["junit"]).getroot()
    (suite,) = suites.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(all_rows) == int(suite.get("tests", "0"))
    assert [c.get("name", "").split(" ")[0] for c in cases] == [r["ref"] for r in all_rows]
    assert cases[0].get("classname") == boras_json["tables"][0]["title"]
    assert cases[0].get("name") == f"{all_rows[0]['ref']} {all_rows[0]['criterion']}"
    assert suites.findall(".//failure") == []

    # GitHub: one workflow command per finding, each with file= and line=.
    commands = stdout.splitlines()
    assert len(commands) == len(findings)
    pattern = re.compile(rf"^::(error|warning|notice) file={re.escape(CASE)},line=(\d+),col=\d+,title=[^:]+::.+$")
    for command, row in zip(commands, findings, strict=True):
        found = pattern.match(command)
        assert found, command
        assert int(found[2]) >= 1
        assert found[1] == {3: "error", 2: "warning"}.get(ruleset.severity.get(row["rating"], 1), "notice")

    assert json.loads(out["json"].read_text(encoding="utf-8")) == {**boras_json, "file": CASE}
    assert out["markdown"].read_text(encoding="utf-8").startswith("# Borås Stad")


def test_fail_on_nej_fails_borås_and_still_writes(cli: Any, tmp_path: Path, ruleset: RuleSet,
                                                  boras_json: dict[str, Any]) -> None:
    target = tmp_path / "report.xml"
    code, _, stderr = cli("assess", str(BORAS), "--fail-on", "Nej", "--output", f"junit={target}")
    assert code == 1
    assert stderr == ""
    failures = ET.parse(target).getroot().findall(".//failure")
    worst = [r for r in rows(boras_json) if ruleset.severity.get(r["rating"]) == 3]
    assert worst and [f.get("message") for f in failures] == [r["rating"] for r in worst]
    assert failures[0].text == worst[0]["comment"]

    code, _, _ = cli("assess", str(BORAS), "--output", f"junit={target}")
    assert code == 0
    assert ET.parse(target).getroot().findall(".//failure") == []


def test_fail_on_is_case_insensitive_and_not_failed_by_a_good_case(cli: Any) -> None:
    assert cli("assess", str(BORAS), "-f", "json", "--fail-on", "inte  helt")[0] == 1
    # Borås has no row that could not be assessed, and "Kan ej bedömas" only fails when asked for.
    assert cli("assess", str(BORAS), "-f", "json", "--fail-on", "Kan ej bedömas")[0] == 0


def test_invalid_fail_on_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "out.sarif"
    code, stdout, stderr = cli("assess", str(BORAS), "--fail-on", "Nja", "--output", f"sarif={target}")
    assert code == 2
    assert stdout == ""
    assert "Nja" in stderr and '"Nej"' in stderr and '"Inte ändamålsenligt"' in stderr and "Kan ej bedömas" in stderr
    assert not target.exists()


def test_gate(ruleset: RuleSet) -> None:
    unknown = ruleset.unknown_rating
    nej = Gate.parse(["Nej"], ruleset)
    assert nej.fails("Nej") and nej.fails("Inte ändamålsenligt") and nej.fails("Inte tillräcklig")
    assert not nej.fails("Inte helt") and not nej.fails(unknown)
    both = Gate.parse(["Inte helt", unknown], ruleset)
    assert both.fails("Nej") and both.fails("Inte helt ändamålsenligt") and both.fails(unknown)
    assert not both.fails("Ja, med utvecklingsområden")
    only_unknown = Gate.parse([unknown], ruleset)
    assert only_unknown.fails(unknown) and not only_unknown.fails("Nej")


def test_not_assessable_rows_are_notes_and_fail_only_when_asked(cli: Any, tmp_path: Path) -> None:
    data = yaml.safe_load(BORAS.read_text(encoding="utf-8"))
    del data["rapporter_till_kf"]  # unknown: the rules that need it cannot assess
    case = tmp_path / "okant.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, stdout, _ = cli("assess", str(case), "-f", "github", "--fail-on", "Nej")
    notes = [line for line in stdout.splitlines() if "Kan ej bedömas" in line.split("::")[1]]
    assert notes and all(line.startswith("::notice ") for line in notes)
    assert code == 1  # Borås still has rows rated Nej
    assert cli("assess", str(case), "-f", "junit", "--fail-on", "Ja")[0] == 1
    code, junit, _ = cli("assess", str(case), "-f", "junit")
    assert code == 0
    assert len(ET.fromstring(junit).findall(".//skipped")) == len(notes)
    code, junit, _ = cli("assess", str(case), "-f", "junit", "--fail-on", "Kan ej bedömas")
    assert code == 1
    assert [f.get("message") for f in ET.fromstring(junit).findall(".//failure")] == ["Kan ej bedömas"] * len(notes)


def test_several_outputs_are_all_written(cli: Any, tmp_path: Path) -> None:
    sarif, markdown = tmp_path / "out.sarif", tmp_path / "report.md"
    code, stdout, stderr = cli("assess", str(BORAS), "--output", f"sarif={sarif}", "--output", f"markdown={markdown}")
    assert (code, stdout, stderr) == (0, "", "")
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "| Revisionskriterie | Bedömning | Kommentar |" in markdown.read_text(encoding="utf-8")


def test_plain_output_takes_the_format(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert cli("assess", str(BORAS), "--format", "json", "--output", str(target))[:2] == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["municipality"] == "Borås Stad"


@pytest.mark.parametrize("outputs", [["{d}/a.md", "{d}/b.md"], ["sarf={d}/x.sarif"],
                                     ["sarif={d}/x", "json={d}/x"], ["sarif="], ["sarif={d}"]])
def test_bad_outputs_are_usage_errors(cli: Any, tmp_path: Path, outputs: list[str]) -> None:
    args = [arg for value in outputs for arg in ("--output", value.format(d=tmp_path))]
    code, stdout, stderr = cli("assess", str(BORAS), *args)
    assert code == 2 and stdout == "" and stderr
    assert list(tmp_path.iterdir()) == []


def test_invalid_case_writes_nothing(cli: Any, tmp_path: Path) -> None:
    broken = broken_case(tmp_path / "trasig.yaml")
    sarif, markdown = tmp_path / "out.sarif", tmp_path / "report.md"
    code, stdout, stderr = cli("assess", str(BORAS), str(broken), "--output", f"sarif={sarif}",
                               "--output", f"markdown={markdown}", "--fail-on", "Nej")
    assert code == 2 and stdout == ""
    assert re.search(rf"{re.escape(str(broken))}:\d+:\d+: okänd nyckel `datumm`", stderr)
    assert not sarif.exists() and not markdown.exists()


def test_missing_output_directory_writes_nothing(cli: Any, tmp_path: Path) -> None:
    first = tmp_path / "out.sarif"
    code, _, stderr = cli("assess", str(BORAS), "--output", f"sarif={first}",
                          "--output", f"markdown={tmp_path / 'saknas' / 'r.md'}")
    assert code == 2 and "katalogen finns inte" in stderr
    assert not first.exists()


def test_a_directory_is_assessed_in_sorted_order(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ärenden"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.yaml", "a.yml", "sub/c.yaml"):
        shutil.copy(BORAS, folder / name)
    (folder / "notes.txt").write_text("inte ett ärende", encoding="utf-8")
    expected = [str(folder / name) for name in ("a.yml", "b.yaml", "sub/c.yaml")]

    code, stdout, _ = cli("assess", str(folder), "-f", "json")
    assert code == 0
    assert [doc["file"] for doc in json.loads(stdout)] == expected

    code, stdout, _ = cli("assess", str(folder), "-f", "sarif")
    (run,) = json.loads(stdout)["runs"]
    assert [a["location"]["uri"] for a in run["artifacts"]] == [Path(f).as_uri() for f in expected]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert sorted(set(uris), key=uris.index) == [Path(f).as_uri() for f in expected]

    code, stdout, _ = cli("assess", str(folder), "-f", "junit")
    assert [s.get("file") for s in ET.fromstring(stdout).findall("testsuite")] == expected

    code, stdout, _ = cli("check", str(folder))
    assert code == 0 and stdout.splitlines() == [f"{f}: OK" for f in expected]
    broken_case(folder / "sub" / "d.yaml")
    assert cli("check", str(folder))[0] == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(21):
        shutil.copy(BORAS, tmp_path / f"kommun-{i:02}.yaml")
    code, stdout, stderr = cli("assess", str(tmp_path), "-f", "json")
    assert code == 0 and len(json.loads(stdout)) == 21
    assert stderr == ""

    from brocheck.cli.main import main

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    for name in ("TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    assert main(["assess", str(tmp_path), "-f", "json", "-o", str(tmp_path / "out.json")]) == 0
    assert "Bedömer ärenden" in terminal.getvalue()
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))) == 21


def test_escaping_and_uris() -> None:
    assert workflow_data("100%\r\nklart: a,b") == "100%25%0D%0Aklart: a,b"
    assert workflow_property("T1.1 Ja, med: 5%\n") == "T1.1 Ja%2C med%3A 5%25%0A"
    assert artifact_uri("cases/borås 2025.yaml") == "cases/bor%C3%A5s%202025.yaml"
    assert artifact_uri("/tmp/a b.yaml") == "file:///tmp/a%20b.yaml"


def test_pre_commit_hook_rejects_a_broken_case(tmp_path: Path) -> None:
    """The hook of .pre-commit-hooks.yaml, run by pre-commit in a scratch repository. Offline: the hook is
    declared `repo: local` with `language: system` and the manifest's entry, files and types, and runs the
    brocheck installed with this Python (its scripts directory first on PATH) instead of building an env."""
    (hook,) = [h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
               if h["id"] == "brocheck"]
    assert hook["entry"].split()[:2] == ["brocheck", "check"]
    repo = tmp_path / "repo"
    (repo / "cases").mkdir(parents=True)
    (repo / "other").mkdir()
    shutil.copy(BORAS, repo / "cases" / "boras-2025.yaml")
    broken_case(repo / "cases" / "trasig.yaml")
    broken_case(repo / "other" / "inte-ett-arende.yaml")
    local = {**{k: v for k, v in hook.items() if k in ("id", "name", "entry", "files", "types")},
             "language": "system"}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never",
           "PATH": os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]),
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", ".").returncode == 0

    def pre_commit(*files: str) -> subprocess.CompletedProcess[str]:
        return run(sys.executable, "-m", "pre_commit", "run", "brocheck", "--files", *files)

    good = pre_commit("cases/boras-2025.yaml", "other/inte-ett-arende.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = pre_commit("cases/boras-2025.yaml", "cases/trasig.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert re.search(r"cases/trasig\.yaml:\d+:\d+: okänd nyckel `datumm`", bad.stdout)
