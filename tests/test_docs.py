"""Every brocheck command in the README, docs/ and the commands' help runs (issue 11).

Commands are taken from fenced `sh` blocks (lines starting with `brocheck`, with `\\` continuations), from
the `run:` and `script:` steps of the CI configurations in `yaml` blocks, and from each command's
`Exempel:`. Each runs in a fresh directory holding the Borås case as `cases/boras-2025.yaml`, in this
process as a shell would run it (words as shlex splits them, `# comments`, `> file` and `~`), which is
much faster than a process per command. A command may fail the gate (exit 1) but never with bad input or
usage (2) or a bug (3). The settings examples are used as settings, and every Markdown file the docs name
exists.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import BORAS, ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
COMMANDS = ("check", "assess", "explain", "schema", "completion")


def blocks(doc: Path) -> list[tuple[str, str]]:
    return FENCE.findall(doc.read_text(encoding="utf-8"))


def shell_commands(body: str) -> list[str]:
    """Each `brocheck …` of a shell block, also after `&&` and as `.venv/bin/brocheck …`."""
    lines = re.sub(r"\\\n\s*", "", body).splitlines()
    parts = [part.strip() for line in lines for part in line.split("&&")]
    return [re.sub(r"^\S*/(?=brocheck )", "", part) for part in parts if re.match(r"^(\S*/)?brocheck ", part)]


def ci_commands(data: Any) -> list[str]:
    """`run:` strings and `script:` lines of a CI configuration that call brocheck."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "run" and isinstance(value, str):
                found += [" ".join(line.split()) for line in value.splitlines()]
            elif key == "script" and isinstance(value, list):
                found += [" ".join(str(line).split()) for line in value]
            else:
                found += ci_commands(value)
    elif isinstance(data, list):
        for item in data:
            found += ci_commands(item)
    return [c for c in found if c.startswith("brocheck ")]


def doc_commands() -> list[Any]:
    out = []
    seen: set[str] = set()
    for doc in DOCS:
        for lang, body in blocks(doc):
            if lang in ("sh", "bash", "shell"):
                found = shell_commands(body)
            elif lang == "yaml" and re.search(r"^\s*(run|script):", body, re.M):
                found = ci_commands(yaml.safe_load(body))
            else:
                continue
            out += [pytest.param(c, id=f"{doc.name}: {c[:70]}") for c in found if c not in seen]
            seen.update(found)
    return out


def help_examples() -> list[Any]:
    from typer.main import get_command

    from brocheck.cli.main import app

    group: Any = get_command(app)
    out = []
    for name in ("", *COMMANDS):
        command = group.commands[name] if name else group
        for line in (command.epilog or "").splitlines():
            if line.startswith("  brocheck "):
                label = " ".join(["brocheck", *[name] * bool(name), "-h"])
                out.append(pytest.param(line.strip(), id=f"{label}: {line.strip()[:60]}"))
    return out


def run(command: str, cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> \
        tuple[int, str, str]:
    """`command` as bash would run it (the subset the docs use: words, comments, `> file`, `~`)."""
    from brocheck.cli.main import main

    words = shlex.split(command, comments=True)
    target = None
    if ">" in words:
        words, target = words[:words.index(">")], words[words.index(">") + 1]
    assert words[0] == "brocheck" and ">" not in words and "|" not in words, command
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(cwd / "home"))
    for name in ("NO_COLOR", "FORCE_COLOR", "BROCHECK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    capsys.readouterr()
    code = main([os.path.expanduser(w) for w in words[1:]])
    out, err = capsys.readouterr()
    if target is not None:
        Path(os.path.expanduser(target)).write_text(out, encoding="utf-8")
    return code, out, err


def workspace(tmp_path: Path, command: str = "") -> Path:
    """A scratch project with the Borås case, and whatever else `command` names: a second case for a
    follow-up, a second municipality, the rule set and its fixtures (or a copy as an own rule set)."""
    (tmp_path / "cases").mkdir()
    shutil.copy(BORAS, tmp_path / "cases" / "boras-2025.yaml")
    for name in ("cases/boras-2026.yaml", "ny.yaml", "gammal.yaml"):
        if name in command:
            shutil.copy(BORAS, tmp_path / name)
    if "cases/exempelby-2025.yaml" in command:
        shutil.copy(ROOT / "tests" / "cases" / "minimal.yaml", tmp_path / "cases" / "exempelby-2025.yaml")
    for name, source in (("mina-regler", ROOT / "rules"), ("rules", ROOT / "rules"),
                         ("tests/rules", ROOT / "tests" / "rules"), ("tests/cases", ROOT / "tests" / "cases")):
        if re.search(rf"(?<![\w/-]){re.escape(name)}(?![\w-])", command):
            shutil.copytree(source, tmp_path / name)
    if "docs/" in command:
        (tmp_path / "docs").mkdir()
    (tmp_path / ".git").mkdir()  # the repository root: settings above it are not read
    for folder in ("home/.local/share/bash-completion/completions", "home/.zfunc", "home/.config/fish/completions"):
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


@pytest.mark.parametrize("command", doc_commands() + help_examples())
def test_command_runs(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(command, workspace(tmp_path, command), capsys, monkeypatch)
    assert code in (0, 1), f"{command}\nexit {code}\n{err}"


def test_every_documented_place_has_commands() -> None:
    """The extraction finds the commands it is meant to (so an empty list cannot pass for 'all ran')."""
    commands = [p.values[0] for p in doc_commands()]
    assert any(c.startswith("brocheck check cases --format github") for c in commands)
    assert any(c.startswith("brocheck assess cases --format github --output sarif=") for c in commands)
    assert any("--color always" in c for c in commands)  # the GitLab script
    assert {p.values[0].split()[1] for p in help_examples()} == set(COMMANDS)


def settings_examples() -> list[Any]:
    out = []
    for doc in DOCS:
        for lang, body in blocks(doc):
            if lang == "toml" and "[tool.brocheck]" in body:
                out.append(pytest.param("pyproject.toml", body, id=f"{doc.name}: pyproject.toml"))
            elif lang == "yaml" and body.startswith("# .brocheck.yaml"):
                out.append(pytest.param(".brocheck.yaml", body, id=f"{doc.name}: .brocheck.yaml"))
    return out


@pytest.mark.parametrize(("name", "text"), settings_examples())
def test_settings_examples_are_valid(name: str, text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = workspace(tmp_path)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "tests").mkdir()
    (folder / "tests" / "inte-ett-arende.yaml").write_text("x: 1\n", encoding="utf-8")
    assert run("brocheck check .", folder, capsys, monkeypatch) == (0, "cases/boras-2025.yaml: OK\n", "")


def test_settings_examples_exist() -> None:
    assert {p.values[0] for p in settings_examples()} == {"pyproject.toml", ".brocheck.yaml"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_named_markdown_files_exist(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    named = re.findall(r"`([\w./-]+\.md)`", text) + re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", text)
    missing = [n for n in named if not (ROOT / n).exists() and not (doc.parent / n).exists()]
    assert not missing, f"{doc.name} names files that do not exist: {missing}"
