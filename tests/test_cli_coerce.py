"""Plain command-line values (brocheck.cli.coerce) convert exactly as Typer's own conversion would: the same
value, or the same error, for every parameter of every command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _click
from typer._coercion import build_runtime_param
from typer.core import TyperGroup as Group

from brocheck.cli.coerce import Plain, plain
from brocheck.cli.main import app

SAMPLES: list[Any] = ["x", "", "12", "0", "007", "-3", " 5", "+4", "1_0", "abc", "1e3", "99999999999999999999",
                      True, False, ("a", "b"), ["cases", "x.yaml"], (), "/finns/inte", "."]


def _params() -> Iterator[tuple[str, Any, Any]]:
    group = typer.main.get_command(app)
    assert isinstance(group, Group)
    for name, command in [("brocheck", group), *sorted(group.commands.items())]:
        sub = getattr(command, "commands", {})
        for inner, cmd in [(name, command), *((f"{name} {k}", v) for k, v in sorted(sub.items()))]:
            ctx = _click.Context(cmd, info_name=inner)
            for param in cmd.get_params(ctx):
                yield f"{inner} {param.name}", param, ctx


def _result(convert: Any, value: Any, param: Any, ctx: Any) -> Any:
    try:
        return ("ok", convert(value, param=param, ctx=ctx))
    except _click.exceptions.BadParameter as err:
        return ("error", err.format_message())


@pytest.mark.parametrize(("name", "param", "ctx"), list(_params()), ids=lambda v: v if isinstance(v, str) else "")
def test_plain_conversion_is_typers(name: str, param: Any, ctx: Any) -> None:
    param._runtime_param = None
    plain(param)
    mine = param._runtime_param
    if mine is None:
        return  # not plain: Typer converts it as always
    assert isinstance(mine, Plain)
    theirs = build_runtime_param(param.type_descriptor)
    for value in SAMPLES:
        assert _result(mine.coerce, value, param, ctx) == _result(theirs.coerce, value, param, ctx), (name, value)


def test_the_commands_parameters_are_converted_without_an_adapter() -> None:
    """What the shortcut is for: `brocheck assess` and `check` build no Pydantic TypeAdapter for their
    parameters (a dozen of them, tens of milliseconds at every start)."""
    converted = {name: isinstance(param._runtime_param, Plain) for name, param, _ in _params()
                 if (plain(param) or True)}
    for command in ("assess", "check"):
        mine = [name for name in converted if name.startswith(f"brocheck {command} ")]
        assert mine and all(converted[name] for name in mine if not name.endswith(" jobs")), mine


def test_a_value_typer_would_refuse_is_refused_alike(tmp_path: Path) -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, Group)
    command = group.commands["assess"]
    ctx = _click.Context(command, info_name="assess")
    jobs = next(p for p in command.get_params(ctx) if p.name == "jobs")
    jobs._runtime_param = None
    plain(jobs)
    with pytest.raises(_click.exceptions.BadParameter):
        jobs._runtime_param.coerce("0", param=jobs, ctx=ctx)  # below min=1: Typer's own message
    assert jobs._runtime_param.coerce("3", param=jobs, ctx=ctx) == 3
