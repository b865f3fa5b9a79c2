"""Command-line entry: a thin Typer app; each command's work lives in its own module.

Exit codes (stable): 0 assessed / valid; 1 a rating at or below --fail-on; 2 invalid input, invalid
rules, a usage error or an environment error (a file that cannot be read or written, a full disk, a
closed standard out); 3 an internal error (a bug: please report it). Never a traceback for bad input.
Every command runs with standard out guarded (brocheck.cli.streams) and SIGINT, SIGTERM and SIGHUP
raising Interrupted, so that temporary files are removed (brocheck.cli.output). Help and usage errors
are Swedish plain text (brocheck.cli.help); settings come from the project's settings file, overridden
by flags (brocheck.cli.config).
"""

# No `from __future__ import annotations`: Typer reads every command's annotations at each start, and
# evaluating them from strings costs a cold run about 10 ms.
import contextlib
import gc
import os
import signal
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

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
RulesOpt = Annotated[Path | None, typer.Option(
    "--rules", metavar="KATALOG", show_default=False,
    help="Bedöm med regeluppsättningen i KATALOG (med ruleset.yaml) i stället för den inbyggda. Standard: "
         "katalogen i miljövariabeln BROCHECK_RULES, annars rules i inställningarna.")]
NoManualOpt = Annotated[bool, typer.Option("--no-manual", help="Visa reglernas bedömningar utan revisorns "
                                           "manuella bedömningar.")]


def _use_rules(rules: Path | None) -> None:
    """The rule set for this command (the environment's or the shipped one when None)."""
    from brocheck.resources import select_rules

    select_rules(rules)


def _version(value: bool) -> None:
    if value:
        from brocheck.cli.streams import emit

        emit(f"brocheck {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Visa versionen och avsluta.")] = False,
) -> None:
    """brocheck – granskning av det brottsförebyggande arbetet."""


def _settings(config: Path | None, rules: Path | None = None, **flags: Any) -> "Config":
    """The project's settings (or those of --config) with the given flags in their place. The rule set:
    --rules, else $BROCHECK_RULES, else `rules` in the settings, else the shipped one; it is selected
    for the command (brocheck.resources)."""
    from brocheck.cli.config import load
    from brocheck.resources import RULES_ENV

    env = os.environ.get(RULES_ENV)
    settings = load(config).override(rules=rules or (Path(env) if env else None), **flags)
    _use_rules(settings.rules)
    return settings


@app.command(cls=Command, epilog="""Exempel:
  brocheck check cases                           # en rad per fil: OK eller fil:rad:kolumn: fel
  brocheck check . --exclude tests/              # hela repositoryt utom tests/
  brocheck check cases --format github           # felen som annoteringar i GitHub Actions
  brocheck check cases -f sarif > check.sarif    # SARIF för code scanning
  brocheck check ny.yaml --completeness          # vilka uppgifter som saknas, rad för rad""")
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
    completeness: Annotated[bool, typer.Option(
        "--completeness", help="Visa för varje rad som inte kan bedömas vilka uppgifter som saknas och var i "
                               "filen de hör hemma (fil:rad:kolumn).")] = False,
    rules: RulesOpt = None,
) -> None:
    """Validera ärendefiler: varje fel som fil:rad:kolumn: vad som är fel och hur det rättas.

    En giltig fil får en OK-rad med antalet rader som inte kan bedömas; --completeness visar vilka
    uppgifter som saknas. Avslutar med kod 2 om någon fil är ogiltig, annars 0. Med --format skrivs felen
    också som annoteringar, SARIF, JSON eller JUnit, på samma rad i ärendefilen som en bedömnings fynd."""
    from brocheck.cli import check as command
    from brocheck.cli.config import choose

    settings = _settings(config, rules, include=include, exclude=exclude)
    if fmt is not None:
        fmt = choose(fmt, command.FORMATS, "--format")
    elif settings.format in command.FORMATS:
        fmt = settings.format
    raise typer.Exit(command.run(cases, fmt or "text", quiet, settings, completeness))


@app.command(cls=Command, epilog="""Exempel:
  brocheck init cases/exempelby-2026.yaml --kommun "Exempelby kommun" --kod 9999 --datum 2026-05-01""")
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
    rules: RulesOpt = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", metavar="N", min=1, show_default=False,
        help="Bedöm med upp till N processer samtidigt (standard: antalet kärnor, högst 8; små satser bedöms i "
             "en process). Utdata blir desamma byte för byte.")] = None,
) -> None:
    """Bedöm ärendefiler mot regeluppsättningen och skriv tabellerna 1–5 och den sammanfattande bedömningen."""
    from brocheck.cli import assess as command
    from brocheck.cli.config import choose, colour
    from brocheck.render import FORMATS

    settings = _settings(config, rules, format=None if fmt is None else choose(fmt, FORMATS, "--format"),
                         fail_on=fail_on, include=include, exclude=exclude)
    raise typer.Exit(command.run(cases, settings.format, output or [], manual=not no_manual,
                                 fail_on=settings.fail_on, quiet=quiet, colour=colour(color, no_color),
                                 config=settings, jobs=jobs or command.default_jobs()))


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
    rules: RulesOpt = None,
) -> None:
    """Förklara en bedömning: villkoren prövade nod för nod, utfallet, fakta med rad och källor."""
    from brocheck.cli import explain as command

    raise typer.Exit(command.run(case, row, manual=not no_manual, config=_settings(config, rules)))


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command(cls=Command, epilog="""Exempel:
  brocheck diff cases/boras-2025.yaml cases/boras-2026.yaml            # raderna som ändrats
  brocheck diff gammal.yaml ny.yaml --fail-on-worse                    # kod 1 om någon rad blivit sämre""")
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

    _settings(None, rules)
    raise typer.Exit(command.run(old, new, fmt.value, fail_on_worse, manual=not no_manual))


rules_app = typer.Typer(help="Egna regeluppsättningar: granska, testa och visa lagtäckning.", no_args_is_help=True,
                        cls=Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog="""Exempel:
  brocheck rules check mina-regler                # varje fel som fil:rad:kolumn
  brocheck rules test mina-regler --fail-under 100
  brocheck rules coverage                         # lagtäckningen för de inbyggda reglerna""")
app.add_typer(rules_app, name="rules")
RulesDirArg = Annotated[Path | None, typer.Argument(
    metavar="KATALOG", show_default=False,
    help="Regelkatalogen (med ruleset.yaml). Standard: BROCHECK_RULES eller den inbyggda.")]


@rules_app.command("check", cls=Command)
def rules_check(directory: RulesDirArg = None) -> None:
    """Granska en regeluppsättning: varje fel som fil:rad:kolumn (kod 2), annars OK."""
    from brocheck.cli import rules as command

    raise typer.Exit(command.check(directory))


@rules_app.command("test", cls=Command)
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


@rules_app.command("coverage", cls=Command)
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


@app.command(cls=Command, epilog="""Exempel:
  brocheck schema > case.schema.json
  brocheck schema --format markdown > docs/arendefil.md""")
def schema(
    fmt: Annotated[SchemaFormat, typer.Option("--format", "-f", help="json: JSON Schema (draft-07) för "
                                              "redigerare; markdown: referenssidan docs/arendefil.md.")]
    = SchemaFormat.json,
) -> None:
    """Skriv ärendefilens schema, med varje fält och värde förklarat: JSON Schema eller Markdown."""
    from brocheck.cli.streams import emit

    if fmt is SchemaFormat.markdown:
        from brocheck.render.reference import render

        emit(render())
    else:
        from brocheck.schemadoc import json_schema

        emit(json_schema())


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
    from brocheck.cli.streams import emit

    script = get_completion_script(prog_name="brocheck", complete_var=COMPLETE_VAR,
                                   shell=choose(shell, SHELLS, "SKAL"))
    emit(script.strip("\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error kind maps to one code here."""
    try:
        return _main(argv)
    finally:
        if "brocheck.resources" in sys.modules:  # a command may have selected a rule set (--rules)
            _use_rules(None)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    from brocheck.errors import Interrupted

    raise Interrupted(signum)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """While a command runs, SIGINT, SIGTERM and SIGHUP raise Interrupted: `finally` blocks run (temporary
    files are removed) and the exit code is 128 + the signal. A signal the caller ignores stays ignored;
    outside the main thread (tests) signals are left alone."""
    saved = {}
    for name, default in (("SIGINT", signal.default_int_handler), ("SIGTERM", signal.SIG_DFL),
                          ("SIGHUP", signal.SIG_DFL)):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) == default:
            with contextlib.suppress(ValueError):
                saved[signum] = signal.signal(signum, _interrupt)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _only_invoked(argv: list[str] | None) -> Iterator[None]:
    """While the command runs, only the command or group the first argument names is registered: Typer
    builds the Click command of everything registered (signatures, parameters) at every start, a few
    milliseconds that a one-case run notices. Any other first argument (a flag, a misspelt command, none)
    and shell completion see every command."""
    name = argv[0] if argv else ""
    commands = [c for c in app.registered_commands if c.callback is not None
                and (c.name or c.callback.__name__.replace("_", "-")) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not (commands or groups) or os.environ.get(COMPLETE_VAR):
        yield
        return
    saved = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = commands, groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = saved


def _main(argv: list[str] | None) -> int:
    from brocheck.cli.streams import guarded, warn
    from brocheck.errors import BrocheckError, Interrupted, bounded, os_problem

    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init

        completion_init()
    try:
        with _interruptible(), guarded(), _only_invoked(argv):
            code = app(args=argv, prog_name="brocheck", standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except (typer.Abort, Interrupted) as stop:  # Abort: end of input at a prompt
        warn(["avbrutet"])
        return 128 + (stop.signum if isinstance(stop, Interrupted) else signal.SIGINT)
    except typer.TyperException as err:  # usage errors from the vendored click
        from brocheck.cli.help import describe

        warn(describe(err).splitlines())
        return 2
    except BrocheckError as err:
        warn(bounded(err.problems))
        return err.exit_code
    except OSError as err:  # the environment, not a bug: a file or stream failed outside the known places
        warn([os_problem(str(err.filename or "brocheck"), "fel vid läsning eller skrivning", err)])
        return 2
    except Exception as err:  # a bug: say so briefly, keep the traceback for developers
        if os.environ.get("BROCHECK_DEBUG"):
            raise
        warn([f"brocheck: internt fel ({type(err).__name__}: {err}); kör med BROCHECK_DEBUG=1 "
              "för detaljer och rapportera felet"])
        return 3
    return code if isinstance(code, int) else 0


def run() -> None:
    """The `brocheck` command: `main`, then a fast exit (as mypy does) once every output is written."""
    # The `brocheck` command is a short-lived process that makes no reference cycles worth collecting: the
    # cyclic garbage collector would only walk the rule set and the cases again and again. Reference
    # counting still frees everything that is not kept.
    gc.disable()
    exit_now(main(sys.argv[1:]))


def exit_now(code: int) -> NoReturn:
    """End the process with `code` once standard out and error are flushed. Every output file is closed by
    then (brocheck.cli.output); skipping the interpreter's teardown (freeing every object one by one)
    saves a cold run as much time as reading the rule set."""
    try:
        sys.stdout.flush()  # already flushed by `guarded` (cli/streams.py), which reports a failed write
    except (OSError, ValueError):
        code = code or 2
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
