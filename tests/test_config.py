"""Settings (issue 11): found by walking up to the repository root, validated at file:line:col, overridden
by flags; and which files a directory holds (built-in exclusions, include/exclude patterns)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from brocheck.cli import config
from brocheck.cli.inputs import Glob, Selection
from brocheck.errors import InputError, UsageError
from tests.conftest import BORAS, ROOT

Cli = Callable[..., tuple[int, str, str]]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def scratch(tmp_path: Path) -> Path:
    """A repository with two case files and everything a walk must not read as one."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "cases" / "sub").mkdir(parents=True)
    shutil.copy(BORAS, repo / "cases" / "a.yaml")
    shutil.copy(BORAS, repo / "cases" / "sub" / "b.yml")
    write(repo / ".venv" / "pyvenv.cfg", "home = /usr/bin\n")
    write(repo / ".venv" / "lib" / "site-packages" / "pkg" / "data.yaml", "x: 1\n")
    write(repo / "env" / "pyvenv.cfg", "home = /usr/bin\n")  # a virtual environment under any name
    write(repo / "env" / "conf.yml", "x: 1\n")
    write(repo / "venv" / "a.yaml", "x: 1\n")
    write(repo / "node_modules" / "pkg" / "a.yaml", "x: 1\n")
    write(repo / ".github" / "workflows" / "ci.yml", "on: push\n")
    write(repo / ".pre-commit-config.yaml", "repos: []\n")
    write(repo / "tests" / "fixtures" / "trasig.yaml", "kommun: {}\n")
    write(repo / "cases" / "README.md", "inte ett ärende\n")
    return repo


def test_check_dot_reads_exactly_the_case_files(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = scratch(tmp_path)
    monkeypatch.chdir(repo)
    # Without settings, tests/ is read (and fails): it is excluded only when configured.
    code, out, err = cli("check", ".")
    assert code == 2 and err.startswith("tests/fixtures/trasig.yaml:")
    assert out.splitlines() == ["cases/a.yaml: OK", "cases/sub/b.yml: OK"]

    write(repo / "pyproject.toml", '[project]\nname = "arenden"\n\n[tool.brocheck]\nexclude = ["tests/"]\n')
    assert cli("check", ".") == (0, "cases/a.yaml: OK\ncases/sub/b.yml: OK\n", "")
    # The same from a subdirectory: the settings are found above it, patterns stay relative to the root.
    monkeypatch.chdir(repo / "cases")
    assert cli("check", "..") == (0, "../cases/a.yaml: OK\n../cases/sub/b.yml: OK\n", "")
    # A file named on the command line is always read.
    assert cli("check", "../tests/fixtures/trasig.yaml")[0] == 2


def test_include_and_flags_replace_the_settings(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = scratch(tmp_path)
    monkeypatch.chdir(repo)
    write(repo / ".brocheck.yaml", "include: [cases/sub/]\n")
    assert cli("check", ".") == (0, "cases/sub/b.yml: OK\n", "")
    assert cli("check", ".", "--include", "*.yaml", "--exclude", "tests/")[1] == "cases/a.yaml: OK\n"
    code, _, err = cli("check", ".", "--exclude", "../x")
    assert code == 2 and err.startswith("--exclude: '../x': mönstret går utanför projektet")


def test_nothing_left_after_exclusion_is_an_error(cli: Cli, tmp_path: Path) -> None:
    folder = write(tmp_path / "d" / ".venv" / "a.yaml", "x: 1\n").parent.parent
    code, out, err = cli("check", str(folder))
    assert (code, out) == (2, "")
    assert err.startswith(f"{folder}: inga ärendefiler i katalogen: dess *.yaml- och *.yml-filer är dolda")


@pytest.mark.parametrize(("pattern", "path", "is_dir", "expected"), [
    ("tests/", "tests", True, True),
    ("tests/", "a/tests", True, True),
    ("tests/", "tests", False, False),
    ("tests", "a/b/tests", False, True),
    ("*.yml", "a/b.yml", False, True),
    ("*.yml", "a/b.yaml", False, False),
    ("cases/**/*.yaml", "cases/a.yaml", False, True),
    ("cases/**/*.yaml", "cases/x/y/a.yaml", False, True),
    ("cases/**/*.yaml", "other/cases/a.yaml", False, False),
    ("/cases", "cases", True, True),
    ("cases/*", "cases/x/a.yaml", False, False),
    ("kommun-[0-9].yaml", "x/kommun-7.yaml", False, True),
    ("kommun-[!0-9].yaml", "x/kommun-7.yaml", False, False),
    ("a?c.yaml", "abc.yaml", False, True),
    ("arkiv/**", "arkiv/2019/a.yaml", False, True),
])
def test_glob(pattern: str, path: str, is_dir: bool, expected: bool) -> None:
    assert Glob.parse(pattern).match(path, is_dir) is expected


def test_patterns_do_not_apply_outside_the_project(tmp_path: Path) -> None:
    select = Selection(config.Config(root=tmp_path / "repo", exclude=("*.yaml",)))
    assert select.excluded(str(tmp_path / "repo" / "a.yaml"), False)
    assert not select.excluded(str(tmp_path / "other" / "a.yaml"), False)


# --- finding the settings file ------------------------------------------------------------------


def test_found_walking_up_and_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / ".brocheck.yaml", "format: json\n")  # above the repository: not used
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    assert config.load(start=deep).file is None
    assert config.load(start=deep).root == deep

    write(repo / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.brocheck]: passed by
    assert config.load(start=deep).file is None
    write(repo / "a" / "pyproject.toml", '[tool.brocheck]\nformat = "sarif"\n')
    found = config.load(start=deep)
    assert (found.format, found.root) == ("sarif", repo / "a")
    write(repo / "a" / ".brocheck.yaml", "format: junit\n")  # wins over pyproject.toml in the same folder
    assert config.load(start=deep).format == "junit"


def test_settings_are_read_and_relative_to_their_file(tmp_path: Path) -> None:
    (tmp_path / "regler").mkdir()
    shutil.copy(ROOT / "rules" / "ruleset.yaml", tmp_path / "regler" / "ruleset.yaml")
    path = write(tmp_path / "pyproject.toml", """\
[project]
name = "arenden"  # [tool.brocheck] is not this

[tool.brocheck]
rules = "regler"
format = "github"
"fail-on" = "Nej"
include = ["cases/"]
exclude = [
  "tests/",
  "arkiv/**",
]

[tool.other]
format = "x"
""")
    found = config.load(path)
    assert found.rules == tmp_path / "regler"
    assert (found.format, found.fail_on, found.include, found.exclude) == (
        "github", ("Nej",), ("cases/",), ("tests/", "arkiv/**"))
    assert found.positions == {"rules": (5, 9), "format": (6, 10), "fail-on": (7, 13), "include": (8, 11),
                               "exclude": (9, 11)}
    # Flags win and take the blame with them.
    flagged = found.override(format="json", fail_on=["Inte helt"], include=None, exclude=[])
    assert (flagged.format, flagged.fail_on, flagged.include) == ("json", ("Inte helt",), ("cases/",))
    assert "format" not in flagged.positions and "fail-on" not in flagged.positions


TOML_ERRORS = [
    pytest.param('[tool.brocheck]\nformatt = "json"\n', "pyproject.toml:2:1: okänd inställning `formatt`: "
                 "menade du `format`?", id="unknown-key"),
    pytest.param('[tool.brocheck]\nformat = "sarff"\n', "pyproject.toml:2:10: `format`: okänt värde 'sarff' "
                 "(menade du sarif?): ange ett av text, markdown", id="unknown-format"),
    pytest.param('[tool.brocheck]\nexclude = "tests/"\ninclude = [1]\n', "pyproject.toml:3:11: `include`: ska vara "
                 "text, inte 1: skriv värdet inom citattecken", id="not-text"),
    pytest.param('[tool.brocheck]\nexclude = {a = 1}\n', "pyproject.toml:2:11: `exclude`: ska vara en lista med "
                 "text", id="table-for-list"),
    pytest.param('[tool.brocheck]\nrules = "saknas"\n', "pyproject.toml:2:9: `rules`: ingen regeluppsättning i",
                 id="missing-rules"),
    pytest.param('[tool.brocheck]\nexclude = [""]\n', "pyproject.toml:2:11: `exclude`: tomt mönster", id="empty"),
    pytest.param('tool.brocheck.format = 3\n', "pyproject.toml:1:24: `format`: ska vara text, inte 3",
                 id="dotted-key"),
    pytest.param('[tool]\nbrocheck = "json"\n', "pyproject.toml:2:1: inställningarna ska vara en mappning",
                 id="not-a-table"),
    pytest.param('[tool.brocheck\n', "pyproject.toml:1:15: TOML-syntaxfel (", id="syntax"),
]


@pytest.mark.parametrize(("text", "expected"), TOML_ERRORS)
def test_toml_errors_have_a_position(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                     expected: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("check", str(BORAS))
    assert (code, out) == (2, "")
    assert err.startswith(expected), err


YAML_ERRORS = [
    pytest.param("fail_on: Nej\n", ".brocheck.yaml:1:1: okänd inställning `fail_on`: menade du `fail-on`?",
                 id="unknown-key"),
    pytest.param("exclude:\n  - tests/\n  - 5\n", ".brocheck.yaml:3:5: `exclude`: ska vara text, inte 5",
                 id="item-not-text"),
    pytest.param("exclude:\n  - ../andra\n", ".brocheck.yaml:2:5: `exclude`: mönstret går utanför projektet",
                 id="outside"),
    pytest.param("format: json\nformat: sarif\n", ".brocheck.yaml:2:1: nyckeln 'format' förekommer två gånger",
                 id="duplicate-key"),
    pytest.param("- format\n", ".brocheck.yaml:1:1: inställningarna ska vara en mappning", id="a-list"),
    pytest.param("format: [json\n", ".brocheck.yaml:1:9: YAML-syntaxfel: listan inom [ ] som börjar här avslutas inte",
                 id="syntax"),
]


@pytest.mark.parametrize(("text", "expected"), YAML_ERRORS)
def test_yaml_errors_have_a_position(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                     expected: str) -> None:
    write(tmp_path / ".brocheck.yaml", text)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("assess", str(BORAS))
    assert (code, out) == (2, "")
    assert err.startswith(expected), err


def test_fail_on_from_the_settings(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".brocheck.yaml", "# gräns för CI\nfail-on: [Nja]\n")
    code, out, err = cli("assess", str(BORAS), "-f", "json")
    assert (code, out) == (2, "")
    assert err.startswith(".brocheck.yaml:2:10: `fail-on`: okänd bedömning 'Nja': ange en av")
    assert cli("assess", str(BORAS), "-f", "json", "--fail-on", "Kan ej bedömas")[0] == 0  # the flag wins
    write(tmp_path / ".brocheck.yaml", "fail-on: Nej\nformat: json\n")
    code, out, _ = cli("assess", str(BORAS))
    assert code == 1 and out.startswith("{")


def test_format_from_the_settings(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".brocheck.yaml", "format: github\n")
    assert cli("check", str(BORAS)) == (0, "", "")  # github: only problems, and there are none
    assert cli("check", str(BORAS), "-f", "text")[1] == f"{BORAS}: OK\n"
    write(tmp_path / ".brocheck.yaml", "format: markdown\n")  # not a check format: check writes text
    assert cli("check", str(BORAS))[1] == f"{BORAS}: OK\n"
    assert cli("assess", str(BORAS))[1].startswith("# Borås Stad")


def test_explicit_config_file(cli: Cli, tmp_path: Path) -> None:
    settings = write(tmp_path / "brocheck.toml", "[tool.other]\n")
    code, _, err = cli("check", str(BORAS), "--config", str(settings))
    assert code == 2 and "ingen tabell [tool.brocheck]" in err
    missing = tmp_path / "saknas.yaml"
    code, _, err = cli("check", str(BORAS), "--config", str(missing))
    assert code == 2 and err == f"{config._display(missing)}: filen finns inte: kontrollera sökvägen\n"


def test_choose_and_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.choose("json", ["json", "sarif"], "--format") == "json"
    with pytest.raises(UsageError, match="menade du sarif"):
        config.choose("sarf", ["json", "sarif"], "--format")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    assert config.colour(None, False, tty) is True
    assert config.colour(None, True, tty) is False
    assert config.colour("never", False, tty) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert config.colour(None, False, tty) is False
    assert config.colour("always", False, None) is True  # an explicit flag beats NO_COLOR
    monkeypatch.setenv("NO_COLOR", "")  # empty: as if unset
    assert config.colour("auto", False, tty) is True
    with pytest.raises(UsageError, match="--color"):
        config.colour("ja", False)


def test_bad_config_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        config.load(write(tmp_path / ".brocheck.yaml", "format: 1\n"))


def test_this_repository_checks_only_its_cases() -> None:
    """`brocheck check .` at the root of brocheck itself (issue 11 found 301 errors in .venv and tests/)."""
    from brocheck.cli.inputs import expand

    settings = config.load(start=ROOT)
    assert settings.file == config._display(ROOT / "pyproject.toml")
    found = [p.relative_to(ROOT).as_posix() for p in expand([ROOT], settings)]
    assert "cases/boras-2025.yaml" in found
    assert all(f.startswith(("cases/", "benchmarks/out/")) for f in found), found  # out/: generated cases
