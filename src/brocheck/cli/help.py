"""Help and usage errors in Swedish, as plain text (no colour, no boxes) in the layout of git and ruff.

Typer's commands are Click commands; `Command` and `Group` replace the parts of them that users read:
the usage line, the help page (Användning, Argument, Flaggor, Kommandon, Exempel) and the help flag's
text. `describe` turns Click's English usage errors into Swedish lines.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from typer import _click
from typer._click import exceptions as errors
from typer.core import TyperCommand, TyperGroup

USAGE = "Användning: "
HELP = "Visa den här hjälpen och avsluta."


def _first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


def _usage_pieces(command: _click.Command, ctx: _click.Context) -> list[str]:
    pieces = ["[FLAGGOR]"]
    for param in command.params:
        if param.param_type_name == "argument":
            name = param.metavar or (param.name or "").upper()
            pieces.append(name if param.required else f"[{name}]")
    if isinstance(command, TyperGroup):
        pieces.append("KOMMANDO [ARGUMENT]…")
    return pieces


def _option_name(param: Any) -> str:
    names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    return names if param.is_flag else f"{names} {param.metavar or 'VÄRDE'}"


def _format_help(command: _click.Command, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
    command.format_usage(ctx, formatter)
    for paragraph in (command.help or "").strip().split("\n\n"):
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(" ".join(paragraph.split()))
    params: list[Any] = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(p.metavar or p.name or "", p.help or "") for p in params if p.param_type_name == "argument"]
    options = [(_option_name(p), p.help or "") for p in params if p.param_type_name == "option"]
    for title, rows in (("Argument", arguments), ("Flaggor", options)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)
    if isinstance(command, TyperGroup):
        commands = [(name, _first_paragraph(sub.help)) for name, sub in command.commands.items() if not sub.hidden]
        with formatter.section("Kommandon"):
            formatter.write_dl(commands)
    if command.epilog:
        formatter.write_paragraph()
        formatter.write(command.epilog.strip("\n") + "\n")


def _parse_args(parse: Any, ctx: _click.Context, args: list[str]) -> list[str]:
    """Parse, and give the parser's usage errors (an option without its value) the command they concern."""
    try:
        return parse(ctx, args)  # type: ignore[no-any-return]
    except errors.UsageError as err:
        if err.ctx is None:
            err.ctx = ctx
        raise


def _help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP
    return option


class _Swedish:
    """Swedish help and usage for a click command or group (mixed in before Typer's class)."""

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        _format_help(typing.cast(_click.Command, self), ctx, formatter)

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(typing.cast(_click.Command, self), ctx)),
                              prefix=USAGE)

    def get_help_option(self, ctx: _click.Context) -> Any:
        return _help_option(super().get_help_option(ctx))  # type: ignore[misc]

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        from brocheck.cli.coerce import plain

        for param in typing.cast(_click.Command, self).get_params(ctx):
            plain(param)
        return _parse_args(super().parse_args, ctx, args)  # type: ignore[misc]


class Command(_Swedish, TyperCommand):
    """A command whose help and usage are Swedish."""


class Group(_Swedish, TyperGroup):
    """The top command (`brocheck`): Swedish help, and a Swedish error for an unknown command."""

    def resolve_command(self, ctx: _click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            import difflib

            near = difflib.get_close_matches(name, list(self.commands), n=1)
            hint = f" (menade du {near[0]}?)" if near else ""
            raise errors.UsageError(f"okänt kommando {name!r}{hint}: ange ett av {', '.join(self.commands)}", ctx)
        return super().resolve_command(ctx, args)


_EXTRA = re.compile(r"^Got unexpected extra argument\(s\) \((.*)\)$", re.S)


def message(err: Any) -> str:
    """A Click usage error in Swedish (the English text only for errors brocheck never provokes)."""
    param = getattr(err, "param", None)
    hint = (param.metavar or "/".join(param.opts)) if param is not None else ""
    if isinstance(err, errors.NoSuchOption):
        near = f" (menade du {' eller '.join(sorted(err.possibilities))}?)" if err.possibilities else ""
        command = err.ctx.command if err.ctx else None
        owners = [name for name, sub in getattr(command, "commands", {}).items()
                  if any(err.option_name in p.opts for p in sub.params)]
        if owners:  # `brocheck --no-color assess`: the flag belongs after the command
            near = f": den hör till {' och '.join(owners)} och skrivs efter kommandot, t.ex. brocheck {owners[0]} " \
                   f"{err.option_name}"
        return f"okänd flagga {err.option_name}{near}"
    if isinstance(err, errors.BadOptionUsage):
        if "does not take a value" in err.message:
            return f"flaggan {err.option_name} tar inget värde"
        return f"flaggan {err.option_name} behöver ett värde"
    if isinstance(err, errors.MissingParameter) and param is not None:
        return f"{'argumentet' if param.param_type_name == 'argument' else 'flaggan'} {hint} saknas"
    if isinstance(err, errors.BadParameter):
        return f"ogiltigt värde för {hint}: {err.message}"
    extra = _EXTRA.match(str(err.message))
    if extra:
        return f"för många argument: {extra[1]}"
    if err.message == "Missing command.":
        return "ange ett kommando"
    return str(err.message)


def describe(err: Any) -> str:
    """What to print for a usage error from Click: where, what, the usage line and where to find help."""
    ctx = getattr(err, "ctx", None)
    if isinstance(err, errors.NoArgsIsHelpError):
        return str(err.message)
    if ctx is None:
        return f"brocheck: {message(err)}"
    return f"{ctx.command_path}: {message(err)}\n{ctx.get_usage()}\nSe '{ctx.command_path} -h' för hjälp."
