"""Command-line entry: a thin Typer app; each command's work lives in its own module.

Exit codes (stable): 0 assessed / valid; 1 a rating at or below --fail-on; 2 invalid input, invalid
rules or usage error; 3 an internal error (a bug: please report it). Never a traceback for bad input.
"""

from __future__ import annotations

import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from brocheck import __version__

app = typer.Typer(
    name="brocheck",
    help="Granskar kommuners brottsförebyggande arbete enligt Lag (2023:196) utifrån fakta i ärendefiler.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

CasesArg = Annotated[list[Path], typer.Argument(help="Ärendefiler eller kataloger (alla *.yaml under dem).",
                                                show_default=False)]


def _version(value: bool) -> None:
    if value:
        print(f"brocheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Visa version och avsluta.")] = False,
) -> None:
    """brocheck – granskning av det brottsförebyggande arbetet."""


@app.command()
def check(cases: CasesArg) -> None:
    """Validera ärendefiler: en OK-rad per giltig fil, annars varje fel som fil:rad:kolumn."""
    from brocheck.cli import check as command

    raise typer.Exit(command.run(cases))


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    overview = "overview"
    mermaid = "mermaid"
    docx = "docx"


@app.command()
def assess(
    cases: CasesArg,
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="Utdataformat. Standard: text på en "
                                               "terminal, annars markdown.", show_default=False)] = None,
    output: Annotated[list[str] | None, typer.Option(
        "--output", "-o", metavar="[FORMAT=]FIL", show_default=False,
        help="Skriv till FIL i stället för standard ut. FORMAT=FIL (t.ex. sarif=ut.sarif) skriver det "
             "formatet till FIL; kan anges flera gånger.")] = None,
    fail_on: Annotated[list[str] | None, typer.Option(
        "--fail-on", metavar="BEDÖMNING", show_default=False,
        help="Avsluta med kod 1 om någon rad har denna bedömning eller en sämre (på vilken skala som "
             "helst, t.ex. Nej eller \"Inte helt\"). \"Kan ej bedömas\" fäller bara om den anges; "
             "kan anges flera gånger. Standard: bedömningar fäller aldrig körningen.")] = None,
    no_manual: Annotated[bool, typer.Option("--no-manual", help="Visa reglernas bedömningar utan "
                                            "revisorns manuella bedömningar.")] = False,
) -> None:
    """Bedöm ärendefiler mot regeluppsättningen och skriv tabellerna 1–5."""
    from brocheck.cli import assess as command

    raise typer.Exit(command.run(cases, fmt.value if fmt else None, output or [], manual=not no_manual,
                                 fail_on=fail_on or []))


@app.command()
def explain(
    case: Annotated[Path, typer.Argument(help="Ärendefilen.", show_default=False)],
    row: Annotated[str, typer.Argument(help="Raden: ett regel-id, T<tabell>.<rad> (t.ex. T4.1), Q<fråga> "
                                       "(t.ex. Q3) eller S (den sammanfattande bedömningen).",
                                       show_default=False)],
    no_manual: Annotated[bool, typer.Option("--no-manual", help="Förklara regelns bedömning utan "
                                            "revisorns manuella bedömningar.")] = False,
) -> None:
    """Förklara en bedömning: villkoren prövade nod för nod, utfallet, fakta med rad och källor."""
    from brocheck.cli import explain as command

    raise typer.Exit(command.run(case, row, manual=not no_manual))


@app.command()
def schema() -> None:
    """Skriv ärendefilens JSON Schema (draft-07) till standard ut, för redigerare."""
    from brocheck.schema import json_schema

    sys.stdout.write(json_schema())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error kind maps to one code here."""
    from brocheck.errors import BrocheckError

    try:
        code = app(args=argv, prog_name="brocheck", standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.Abort:
        print("avbrutet", file=sys.stderr)
        return 130
    except typer.TyperException as err:  # usage errors from the vendored click
        show = getattr(err, "show", None)
        if show:
            show(file=sys.stderr)
        else:
            print(f"brocheck: {err.format_message()}", file=sys.stderr)
        return 2
    except BrocheckError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug: say so briefly, keep the traceback for developers
        if os.environ.get("BROCHECK_DEBUG"):
            raise
        print(f"brocheck: internt fel ({type(err).__name__}: {err}); kör med BROCHECK_DEBUG=1 "
              "för detaljer och rapportera felet", file=sys.stderr)
        return 3
    return code if isinstance(code, int) else 0


def run() -> None:
    # The `brocheck` command is a short-lived process that keeps every case it reads until it writes its
    # output, and makes no reference cycles worth collecting. The cyclic garbage collector would only walk
    # all the kept cases again and again, so a batch would slow down as it grows (2,900 cases: 2.2x).
    # Reference counting still frees everything that is not kept.
    gc.disable()
    sys.exit(main(sys.argv[1:]))
