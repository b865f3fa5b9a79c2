"""The CLI behaves like the tools CI maintainers use (issue 11): check in the CI formats, -h/-V/-q,
colour only where it belongs, help and usage errors in Swedish, shell completion."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from brocheck import __version__
from tests.conftest import BORAS, ROOT
from tests.test_ci_gate import SARIF_SCHEMA, broken_case

Cli = Callable[..., tuple[int, str, str]]
COMMANDS = ("check", "assess", "explain", "schema", "completion")
ANSI = "\x1b["


def datumm_line(path: Path) -> int:
    """The line of the misspelt key in a broken case (computed, never hard-coded)."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "datumm" in line)


def brocheck(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, **kwargs: object) -> \
        subprocess.CompletedProcess[str]:
    """brocheck in its own process (as CI runs it), standard out a pipe unless given."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "BROCHECK_DEBUG")}
    return subprocess.run([sys.executable, "-m", "brocheck", *args], capture_output="stdout" not in kwargs,
                          text=True, env={**environ, **(env or {})}, cwd=cwd, timeout=120, check=False,
                          **kwargs)  # type: ignore[call-overload]


# --- check in the CI formats --------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A broken case next to a valid one, as relative paths from the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "a-giltig.yaml").write_bytes(BORAS.read_bytes())
    return broken_case(tmp_path / "cases" / "trasig.yaml").relative_to(tmp_path)


def test_check_github_annotates_the_line(cli: Cli, broken: Path) -> None:
    code, out, err = cli("check", "cases", "--format", "github")
    line = datumm_line(broken)
    assert code == 2
    assert out == (f"::error file=cases/trasig.yaml,line={line},col=3,title=brocheck check%3A ogiltig ärendefil"
                   "::okänd nyckel `datumm` i `granskning`: menade du `datum`? rätta stavningen eller ta bort den "
                   "(tillåtna: datum, granskade_organ, titel)\n")
    assert err.startswith(f"cases/trasig.yaml:{line}:3: okänd nyckel `datumm`")  # the log says why, too


def test_check_sarif_is_valid_and_at_the_line(cli: Cli, broken: Path) -> None:
    code, out, _ = cli("check", "cases", "-f", "sarif")
    assert code == 2
    sarif = json.loads(out)
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    (run,) = sarif["runs"]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["cases/a-giltig.yaml", "cases/trasig.yaml"]
    (result,) = run["results"]
    assert result["level"] == "error" and result["ruleId"] == run["tool"]["driver"]["rules"][0]["id"]
    where = result["locations"][0]["physicalLocation"]
    assert where["artifactLocation"] == {"uri": "cases/trasig.yaml", "index": 1}
    assert where["region"] == {"startLine": datumm_line(broken), "startColumn": 3}

    code, out, _ = cli("check", "saknas.yaml", "-f", "sarif")  # a problem without a line: no region
    assert code == 2
    jsonschema.validate(json.loads(out), json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert "region" not in json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]


def test_check_json_and_junit(cli: Cli, broken: Path) -> None:
    code, out, _ = cli("check", "cases", "-f", "json")
    assert code == 2
    report = json.loads(out)
    assert report["valid"] is False
    assert [(f["file"], f["valid"]) for f in report["files"]] == [("cases/a-giltig.yaml", True),
                                                                   ("cases/trasig.yaml", False)]
    (problem,) = report["files"][1]["problems"]
    assert (problem["line"], problem["column"]) == (datumm_line(broken), 3)

    code, out, _ = cli("check", "cases", "-f", "junit")
    assert code == 2
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("2", "1")
    ok, bad = suite.findall("testcase")
    assert ok.find("failure") is None
    failure = bad.find("failure")
    assert failure is not None and "okänd nyckel `datumm`" in (failure.get("message") or "")
    assert bad.get("line") == str(datumm_line(broken))


def test_check_valid_cases_in_ci_formats(cli: Cli) -> None:
    assert cli("check", str(BORAS), "-f", "github") == (0, "", "")
    assert json.loads(cli("check", str(BORAS), "-f", "json")[1])["valid"] is True
    code, out, err = cli("check", str(BORAS), "-f", "markdown")
    assert (code, out) == (2, "") and err.startswith("--format: okänt värde 'markdown': ange ett av text, json")


# --- -h, -V, -q ------------------------------------------------------------------------------------


def test_short_help_and_version(cli: Cli) -> None:
    code, out, err = cli("-h")
    assert (code, err) == (0, "")
    assert out.startswith("Användning: brocheck [FLAGGOR] KOMMANDO [ARGUMENT]…\n")
    assert all(f"\n  {name} " in out for name in COMMANDS)
    assert cli("--help")[1] == out
    assert cli("-V") == (0, f"brocheck {__version__}\n", "")
    assert cli("--version") == (0, f"brocheck {__version__}\n", "")


def test_quiet_prints_only_errors(cli: Cli, broken: Path) -> None:
    assert cli("check", "cases/a-giltig.yaml") == (0, "cases/a-giltig.yaml: OK\n", "")
    assert cli("check", "-q", "cases/a-giltig.yaml") == (0, "", "")
    code, out, err = cli("check", "cases", "--quiet")
    assert (code, out) == (2, "")
    assert err.startswith(f"{broken}:")


# --- colour ------------------------------------------------------------------------------------


def test_text_is_plain_in_a_pipe() -> None:
    piped = brocheck("assess", str(BORAS), "--format", "text")
    assert piped.returncode == 0 and "Borås Stad" in piped.stdout
    assert ANSI not in piped.stdout
    forced = brocheck("assess", str(BORAS), "--format", "text", "--color", "always")
    assert ANSI in forced.stdout  # so the check above can fail


def on_terminal(*args: str, env: dict[str, str]) -> str:
    """What brocheck writes to standard out when that is a terminal (a pseudo-terminal read as it writes)."""
    import select

    leader, follower = os.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    with subprocess.Popen([sys.executable, "-m", "brocheck", *args], stdout=follower, stderr=subprocess.DEVNULL,
                          env={**environ, "TERM": "xterm", **env}, cwd=ROOT) as proc:
        os.close(follower)
        chunks = []
        try:
            while select.select([leader], [], [], 60)[0]:
                chunk = os.read(leader, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:  # EIO: the child has closed the terminal
            pass
        finally:
            os.close(leader)
        assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("env", "args", "coloured"), [
    ({}, (), True),
    ({"NO_COLOR": "1"}, (), False),
    ({}, ("--no-color",), False),
    ({"NO_COLOR": "1"}, ("--color", "always"), True),
])  # the other combinations: tests/test_config.py::test_choose_and_colour
def test_colour_on_a_terminal(env: dict[str, str], args: tuple[str, ...], coloured: bool) -> None:
    text = on_terminal("assess", str(BORAS), *args, env=env)  # text is the default format on a terminal
    assert "Borås Stad" in text
    assert (ANSI in text) is coloured


def test_text_to_a_file_is_never_coloured(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "rapport.txt"
    assert cli("assess", str(BORAS), "--color", "always", "-o", f"text={target}")[0] == 0
    assert "Borås Stad" in target.read_text(encoding="utf-8") and ANSI not in target.read_text(encoding="utf-8")


# --- help and usage errors in Swedish -----------------------------------------------------------

ENGLISH = re.compile(r"Usage:|Options|Arguments|Commands|Show this message|\[required\]|\[default|<list|<bool>|"
                     r"<Path>|Error|Missing|No such|Try '|Invalid value|Got unexpected|is not one of|Did you mean")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_swedish_with_examples(cli: Cli, command: str) -> None:
    code, out, err = cli(*[c for c in (command,) if c], "-h")
    assert (code, err) == (0, "")
    assert not ENGLISH.search(out), ENGLISH.findall(out)
    assert out.startswith(f"Användning: brocheck {command}".replace("  ", " "))
    assert "\nFlaggor:\n" in out and "  -h, --help " in out
    examples = out.split("\nExempel:\n", 1)[1]
    assert examples.startswith(f"  brocheck {command}".rstrip())


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--formt", "json", str(BORAS)], "brocheck check: okänd flagga --formt (menade du --format?)"),
    (["check", "-x", str(BORAS)], "brocheck check: okänd flagga -x"),
    (["check"], "brocheck check: argumentet FIL|KATALOG… saknas"),
    (["explain", str(BORAS)], "brocheck explain: argumentet RAD saknas"),
    (["explain", str(BORAS), "T1.1", "extra"], "brocheck explain: för många argument: extra"),
    (["asess", str(BORAS)], "brocheck: okänt kommando 'asess' (menade du assess?)"),
    (["assess", str(BORAS), "--format"], "brocheck assess: flaggan --format behöver ett värde"),
    (["assess", str(BORAS), "--format", "pdf"], "--format: okänt värde 'pdf': ange ett av text, markdown"),
    (["assess", str(BORAS), "--format", ""], "--format: okänt värde '': ange ett av text, markdown"),
    (["assess", str(BORAS), "--color", "ja"], "--color: okänt värde 'ja': ange ett av auto, always, never"),
    (["completion", "tcsh"], "SKAL: okänt värde 'tcsh': ange ett av bash, zsh, fish, powershell"),
    (["--bogus"], "brocheck: okänd flagga --bogus"),
    (["-q", "check", str(BORAS)], "brocheck: okänd flagga -q: den hör till check och assess och skrivs efter "
                                  "kommandot, t.ex. brocheck check -q"),
])
def test_usage_errors_are_swedish(cli: Cli, args: list[str], message: str) -> None:
    code, out, err = cli(*args)
    assert (code, out) == (2, "")
    assert err.startswith(message), err
    assert not ENGLISH.search(err), err


def test_no_arguments_shows_the_help(cli: Cli) -> None:
    code, out, err = cli()
    assert (code, out) == (2, "")
    assert err.startswith("Användning: brocheck") and not ENGLISH.search(err)


# --- shell completion ---------------------------------------------------------------------------


def test_completion_scripts(cli: Cli) -> None:
    for shell in ("bash", "zsh", "fish", "powershell"):
        code, out, _ = cli("completion", shell)
        assert code == 0 and "_BROCHECK_COMPLETE" in out


@pytest.mark.parametrize(("words", "cword", "expected"), [
    ("brocheck as", "1", ["assess"]),
    ("brocheck assess --format s", "3", ["sarif"]),
    ("brocheck check --f", "2", ["--format"]),
])
def test_completions(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, words: str, cword: str,
                     expected: list[str]) -> None:
    """What the bash script asks for: brocheck answers (and exits) when _BROCHECK_COMPLETE is set."""
    from brocheck.cli.main import main

    for name, value in {"_BROCHECK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as done:
        main([])
    assert done.value.code == 0
    assert capsys.readouterr().out.split() == expected


def test_help_does_not_import_the_core() -> None:
    """(Typer itself imports Pydantic to read a command's flags.)"""
    code = ("import sys; from brocheck.cli.main import main; main(['check', '-h']); print(sorted(m for m in "
            "('brocheck.loader', 'brocheck.engine', 'jinja2', 'yaml', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]"), out
