"""Layering and determinism: the core never imports the CLI; same input gives byte-identical output."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import brocheck
from tests.conftest import BORAS, assess_across_hash_seeds

PACKAGE = Path(brocheck.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_core_never_imports_cli_or_render() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "__main__.py":
            continue
        imports = _imports(path)
        assert not any(m.startswith(("brocheck.cli", "brocheck.render")) for m in imports), path


def test_render_never_imports_cli() -> None:
    for path in sorted((PACKAGE / "render").glob("*.py")):
        assert not any(m.startswith("brocheck.cli") for m in _imports(path)), path


def test_version_does_not_import_heavy_modules() -> None:
    code = ("import sys; from brocheck.cli.main import main; main(['--version']); "
            "print(sorted(m for m in ('pydantic', 'jinja2', 'yaml', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]"), out


def test_start_up_imports_only_what_the_command_needs(tmp_path: Path) -> None:
    """What keeps a cold run short (README, "Snabbhet"): `check` never imports Jinja (it renders no text),
    and neither command builds a Pydantic TypeAdapter for its parameters (which imports Pydantic's plugin
    loader and importlib.metadata), imports the rule language's models (the rules' generated code runs
    without them) or generates the case schema's validator when the cache holds it."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = ("import sys, io; from brocheck.cli.main import main; sys.stdout = io.StringIO(); code = main({argv}); "
            "sys.stdout = sys.__stdout__; print(code, sorted(m for m in ('jinja2', 'importlib.metadata', "
            "'pydantic.plugin._loader', 'brocheck.expr.language') if m in sys.modules), "
            "'Case' if __import__('brocheck.schema').schema.Case.__pydantic_complete__ else '')")
    for _ in range(2):  # the first run fills the cache
        found = {command: subprocess.run([sys.executable, "-c", code.format(argv=[command, str(BORAS)])],
                                         capture_output=True, text=True, check=True, env=env).stdout.split(maxsplit=1)
                 for command in ("check", "assess")}
    assert found["check"] == ["0", "[] \n"], found
    assert found["assess"] == ["0", "['jinja2'] \n"], found


def test_output_is_byte_identical_across_processes() -> None:
    outputs = assess_across_hash_seeds("markdown")
    assert outputs[0] == outputs[1] and outputs[0]
