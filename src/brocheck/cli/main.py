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
RulesOpt = Annotated[Path | None, typer.Option(
    "--rules", metavar="KATALOG", show_default=False,
    help="Bedöm med regeluppsättningen i KATALOG (med ruleset.yaml) i stället för den inbyggda. "
         "Standard: katalogen i miljövariabeln BROCHECK_RULES, om den är satt.")]
NoManualOpt = Annotated[bool, typer.Option("--no-manual", help="Visa reglernas bedömningar utan revisorns "
                                           "manuella bedömningar.")]


def _use_rules(rules: Path | None) -> None:
    """`--rules`: the rule set for this command (the environment's or the shipped one when None)."""
    from brocheck.resources import select_rules

    select_rules(rules)


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
def check(
    cases: CasesArg,
    completeness: Annotated[bool, typer.Option(
        "--completeness", help="Visa för varje rad som inte kan bedömas vilka uppgifter som saknas och var i "
                               "filen de hör hemma (fil:rad:kolumn).")] = False,
    rules: RulesOpt = None,
) -> None:
    """Validera ärendefiler: OK och antalet rader som inte kan bedömas, annars fel som fil:rad:kolumn."""
    from brocheck.cli import check as command

    _use_rules(rules)
    raise typer.Exit(command.run(cases, completeness))


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="Den nya ärendefilen (skrivs aldrig över).", show_default=False)],
    kommun: Annotated[str | None, typer.Option("--kommun", help="Kommunens namn, t.ex. \"Exempelby kommun\".",
                                               show_default=False)] = None,
    kod: Annotated[str | None, typer.Option("--kod", help="Kommunkoden (fyra siffror).", show_default=False)] = None,
    datum: Annotated[str | None, typer.Option("--datum", metavar="ÅÅÅÅ-MM-DD", show_default=False,
                                              help="Granskningens avstämningsdag. Standard: i dag.")] = None,
) -> None:
    """Skapa en ny ärendefil med alla avsnitt och förklaringar, utan påhittade uppgifter."""
    from brocheck.cli import init as command

    raise typer.Exit(command.run(file, kommun, kod, datum))


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    overview = "overview"


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
    no_manual: NoManualOpt = False,
    rules: RulesOpt = None,
) -> None:
    """Bedöm ärendefiler mot regeluppsättningen och skriv tabellerna 1–5."""
    from brocheck.cli import assess as command

    _use_rules(rules)
    raise typer.Exit(command.run(cases, fmt.value if fmt else None, output or [], manual=not no_manual,
                                 fail_on=fail_on or []))


@app.command()
def explain(
    case: Annotated[Path, typer.Argument(help="Ärendefilen.", show_default=False)],
    row: Annotated[str, typer.Argument(help="Raden: ett regel-id, T<tabell>.<rad> (t.ex. T4.1), Q<fråga> "
                                       "(t.ex. Q3) eller S (den sammanfattande bedömningen).",
                                       show_default=False)],
    no_manual: NoManualOpt = False,
    rules: RulesOpt = None,
) -> None:
    """Förklara en bedömning: villkoren prövade nod för nod, utfallet, fakta med rad och källor."""
    from brocheck.cli import explain as command

    _use_rules(rules)
    raise typer.Exit(command.run(case, row, manual=not no_manual))


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Den tidigare ärendefilen.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="Den nya ärendefilen.", show_default=False)],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Utdataformat.")] = DiffFormat.text,
    fail_on_worse: Annotated[bool, typer.Option(
        "--fail-on-worse", help="Avsluta med kod 1 om någon rad fått en sämre bedömning (enligt skalorna; en "
                                "rad som inte längre kan bedömas räknas som sämre).")] = False,
    no_manual: NoManualOpt = False,
    rules: RulesOpt = None,
) -> None:
    """Jämför två bedömningar (uppföljande granskning): raderna som ändrats och uppgifterna bakom."""
    from brocheck.cli import diff as command

    _use_rules(rules)
    raise typer.Exit(command.run(old, new, fmt.value, fail_on_worse, manual=not no_manual))


rules_app = typer.Typer(help="Egna regeluppsättningar: granska, testa och visa lagtäckning.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
RulesDirArg = Annotated[Path | None, typer.Argument(
    metavar="KATALOG", show_default=False,
    help="Regelkatalogen (med ruleset.yaml). Standard: BROCHECK_RULES eller den inbyggda.")]


@rules_app.command("check")
def rules_check(directory: RulesDirArg = None) -> None:
    """Granska en regeluppsättning: varje fel som fil:rad:kolumn (kod 2), annars OK."""
    from brocheck.cli import rules as command

    raise typer.Exit(command.check(directory))


@rules_app.command("test")
def rules_test(
    directory: RulesDirArg = None,
    fixtures: Annotated[Path | None, typer.Option(
        "--fixtures", metavar="KATALOG", show_default=False,
        help="Regeltesterna (<regel-id>.yaml). Standard: KATALOG/tests.")] = None,
    cases: Annotated[Path | None, typer.Option(
        "--cases", metavar="KATALOG", show_default=False,
        help="Basärendena som `base: NAMN` pekar på (NAMN.yaml). Standard: katalogen cases bland "
             "regeltesterna.")] = None,
    base: Annotated[Path | None, typer.Option(
        "--base", metavar="FIL", show_default=False,
        help="Basärendet för fall som inte anger base:.")] = None,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", metavar="PROCENT", show_default=False,
        help="Avsluta med kod 1 om utfallstäckningen är lägre (t.ex. 100).")] = None,
) -> None:
    """Kör regeltester och visa utfallstäckningen: andelen utfall som något godkänt fall når."""
    from brocheck.cli import rules as command

    raise typer.Exit(command.test(directory, fixtures, cases, base, fail_under))


class CoverageFormat(StrEnum):
    text = "text"
    markdown = "markdown"


@rules_app.command("coverage")
def rules_coverage(
    directory: RulesDirArg = None,
    fmt: Annotated[CoverageFormat, typer.Option("--format", "-f", help="Utdataformat.")] = CoverageFormat.text,
) -> None:
    """Lagtäckning: varje paragraf i Lag (2023:196) och de KL-bestämmelser reglerna nämner, mot reglerna."""
    from brocheck.cli import rules as command

    raise typer.Exit(command.coverage(directory, fmt.value))


class SchemaFormat(StrEnum):
    json = "json"
    markdown = "markdown"


@app.command()
def schema(
    fmt: Annotated[SchemaFormat, typer.Option("--format", "-f", help="json: JSON Schema (draft-07) för "
                                              "redigerare; markdown: referenssidan docs/arendefil.md.")]
    = SchemaFormat.json,
) -> None:
    """Skriv ärendefilens schema, med varje fält och värde förklarat: JSON Schema eller Markdown."""
    if fmt is SchemaFormat.markdown:
        from brocheck.render.reference import render

        sys.stdout.write(render())
    else:
        from brocheck.schemadoc import json_schema

        sys.stdout.write(json_schema())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error kind maps to one code here."""
    try:
        return _main(argv)
    finally:
        if "brocheck.resources" in sys.modules:  # a command may have selected a rule set (--rules)
            _use_rules(None)


def _main(argv: list[str] | None) -> int:
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
