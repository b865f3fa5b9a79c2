"""Command-line entry: a thin Typer app; each command's work lives in its own module.

Exit codes (stable): 0 assessed / valid; 1 a rating at or below --fail-on; 2 invalid input, invalid
rules or usage error; 3 an internal error (a bug: please report it). Never a traceback for bad input.
Help and usage errors are Swedish plain text (brocheck.cli.help); settings come from the project's
settings file, overridden by flags (brocheck.cli.config).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from brocheck import __version__
from brocheck.cli.help import Command, Group

if TYPE_CHECKING:
    from brocheck.cli.config import Config

app = typer.Typer(
    name="brocheck",
    help="Granskar kommuners brottsförebyggande arbete enligt Lag (2023:196) utifrån fakta i ärendefiler "
         "(YAML).\n\n"
         "Inställningar läses från .brocheck.yaml eller [tool.brocheck] i pyproject.toml, närmast uppåt från "
         "arbetskatalogen till repositoryts rot; flaggor går före inställningarna.",
    epilog="""Exempel:
  brocheck check cases                                 # validera ärendefilerna under cases/
  brocheck assess cases/boras-2025.yaml                # bedöm ett ärende och visa tabellerna
  brocheck explain cases/boras-2025.yaml T4.1          # förklara en bedömning
  brocheck check -h                                    # ett kommandos flaggor och exempel

Avslutningskoder (exit codes): 0 giltigt eller bedömt, 1 en bedömning fäller --fail-on,
2 fel i indata, inställningar eller på kommandoraden, 3 internt fel (en bugg: rapportera den).""",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _formats(incomplete: str) -> list[str]:
    from brocheck.render import FORMATS

    return [name for name in FORMATS if name.startswith(incomplete)]


CasesArg = Annotated[list[Path], typer.Argument(
    metavar="FIL|KATALOG…", show_default=False,
    help="Ärendefiler, eller kataloger där alla *.yaml och *.yml läses (utom dolda kataloger, virtuella "
         "miljöer, node_modules och det som exclude anger).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Skriv bara fel (och det --format ger).")]
IncludeOpt = Annotated[list[str] | None, typer.Option(
    "--include", metavar="MÖNSTER", show_default=False,
    help="Läs bara filer i kataloger eller med namn som matchar MÖNSTER, som i .gitignore (t.ex. cases/ "
         "eller \"cases/**/*.yaml\"); ersätter include i inställningarna. Kan upprepas.")]
ExcludeOpt = Annotated[list[str] | None, typer.Option(
    "--exclude", metavar="MÖNSTER", show_default=False,
    help="Hoppa över kataloger och filer som matchar MÖNSTER (t.ex. tests/); ersätter exclude i "
         "inställningarna. Kan upprepas.")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", metavar="FIL", show_default=False,
    help="Läs inställningarna från FIL (.brocheck.yaml eller pyproject.toml) i stället för att söka dem.")]


def _version(value: bool) -> None:
    if value:
        print(f"brocheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Visa versionen och avsluta.")] = False,
) -> None:
    """brocheck – granskning av det brottsförebyggande arbetet."""


def _settings(config: Path | None, **flags: Any) -> Config:
    """The project's settings (or those of --config) with the given flags in their place."""
    from brocheck.cli.config import load

    return load(config).override(**flags)


@app.command(cls=Command, epilog="""Exempel:
  brocheck check cases                           # en rad per fil: OK eller fil:rad:kolumn: fel
  brocheck check . --exclude tests/              # hela repositoryt utom tests/
  brocheck check cases --format github           # felen som annoteringar i GitHub Actions
  brocheck check cases -f sarif > check.sarif    # SARIF för code scanning""")
def check(
    cases: CasesArg,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT", show_default=False, autocompletion=_formats,
        help="Vad som skrivs på standard ut: text (en OK-rad per giltig fil; standard), json, sarif, github "
             "(GitHub Actions workflow commands) eller junit. Felen skrivs alltid på standard fel.")] = None,
    quiet: QuietOpt = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Validera ärendefiler: varje fel som fil:rad:kolumn: vad som är fel och hur det rättas.

    Avslutar med kod 2 om någon fil är ogiltig, annars 0. Med --format skrivs felen också som
    annoteringar, SARIF, JSON eller JUnit, på samma rad i ärendefilen som en bedömnings fynd."""
    from brocheck.cli import check as command
    from brocheck.cli.config import choose

    settings = _settings(config, include=include, exclude=exclude)
    if fmt is not None:
        fmt = choose(fmt, command.FORMATS, "--format")
    elif settings.format in command.FORMATS:
        fmt = settings.format
    raise typer.Exit(command.run(cases, fmt or "text", quiet, settings))


@app.command(cls=Command, epilog="""Exempel:
  brocheck assess cases/boras-2025.yaml                       # tabellerna på terminalen
  brocheck assess cases/boras-2025.yaml -f markdown -o rapport.md
  brocheck assess cases --fail-on Nej                         # kod 1 om någon rad är Nej
  brocheck assess cases -f github -o sarif=brocheck.sarif     # annoteringar och SARIF
  brocheck assess cases -f overview                           # en rad per kommun
  brocheck assess cases/boras-2025.yaml -o docx=rapport.docx  # rapporten i Word""")
def assess(
    cases: CasesArg,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT", show_default=False, autocompletion=_formats,
        help="Utdataformat: text (färgad tabell; standard på en terminal), markdown (standard annars), "
             "json, sarif, junit, github (GitHub Actions workflow commands), overview (en rad per "
             "kommun), mermaid (organisationsbilden) eller docx (Word; kräver --output).")] = None,
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Skriv bara fel och utdata: ingen "
                                        "förloppsindikator.")] = False,
    color: Annotated[str | None, typer.Option(
        "--color", metavar="NÄR", show_default=False, autocompletion=lambda: ["auto", "always", "never"],
        help="Färg i text-formatet på standard ut: auto (standard: bara på en terminal och utan "
             "miljövariabeln NO_COLOR), always (även i CI-loggar som visar färg) eller never.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Ingen färg (som --color never).")] = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Bedöm ärendefiler mot regeluppsättningen och skriv tabellerna 1–5 och den sammanfattande bedömningen."""
    from brocheck.cli import assess as command
    from brocheck.cli.config import choose, colour
    from brocheck.render import FORMATS

    settings = _settings(config, format=None if fmt is None else choose(fmt, FORMATS, "--format"),
                         fail_on=fail_on, include=include, exclude=exclude)
    raise typer.Exit(command.run(cases, settings.format, output or [], manual=not no_manual,
                                 fail_on=settings.fail_on, quiet=quiet, colour=colour(color, no_color),
                                 config=settings))


@app.command(cls=Command, epilog="""Exempel:
  brocheck explain cases/boras-2025.yaml T4.1       # tabell 4, rad 1
  brocheck explain cases/boras-2025.yaml Q3         # revisionsfråga 3
  brocheck explain cases/boras-2025.yaml S          # den sammanfattande bedömningen""")
def explain(
    case: Annotated[Path, typer.Argument(metavar="FIL", help="Ärendefilen.", show_default=False)],
    row: Annotated[str, typer.Argument(metavar="RAD", help="Raden: ett regel-id, T<tabell>.<rad> (t.ex. T4.1), "
                                       "Q<fråga> (t.ex. Q3) eller S (den sammanfattande bedömningen).",
                                       show_default=False)],
    no_manual: Annotated[bool, typer.Option("--no-manual", help="Förklara regelns bedömning utan "
                                            "revisorns manuella bedömningar.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Förklara en bedömning: villkoren prövade nod för nod, utfallet, fakta med rad och källor."""
    from brocheck.cli import explain as command

    raise typer.Exit(command.run(case, row, manual=not no_manual, config=_settings(config)))


@app.command(cls=Command, epilog="""Exempel:
  brocheck schema > case.schema.json""")
def schema() -> None:
    """Skriv ärendefilens JSON Schema (draft-07) till standard ut, för redigerare."""
    from brocheck.schema import json_schema

    sys.stdout.write(json_schema())


SHELLS = ("bash", "zsh", "fish", "powershell")
COMPLETE_VAR = "_BROCHECK_COMPLETE"
"""Set by the completion script when the shell asks brocheck for completions."""


@app.command(cls=Command, epilog="""Exempel:
  brocheck completion bash > ~/.local/share/bash-completion/completions/brocheck
  brocheck completion zsh > ~/.zfunc/_brocheck           # med fpath+=(~/.zfunc) i ~/.zshrc
  brocheck completion fish > ~/.config/fish/completions/brocheck.fish""")
def completion(
    shell: Annotated[str, typer.Argument(metavar="SKAL", help=f"Skalet: {', '.join(SHELLS)}.",
                                         autocompletion=lambda: list(SHELLS), show_default=False)],
) -> None:
    """Skriv skriptet som ger kompletteringar med Tab (shell completion) för brocheck i skalet SKAL."""
    from typer._completion_shared import get_completion_script

    from brocheck.cli.config import choose

    script = get_completion_script(prog_name="brocheck", complete_var=COMPLETE_VAR,
                                   shell=choose(shell, SHELLS, "SKAL"))
    sys.stdout.write(script.strip("\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error kind maps to one code here."""
    from brocheck.errors import BrocheckError

    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init

        completion_init()
    try:
        code = app(args=argv, prog_name="brocheck", standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.Abort:
        print("avbrutet", file=sys.stderr)
        return 130
    except typer.TyperException as err:  # usage errors from the vendored click
        from brocheck.cli.help import describe

        print(describe(err), file=sys.stderr)
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
