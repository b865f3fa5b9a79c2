"""`brocheck explain CASE ROW`: why one row got its rating, as plain text."""

from __future__ import annotations

from pathlib import Path

from brocheck.cli.config import Config
from brocheck.cli.inputs import load_all
from brocheck.cli.streams import emit
from brocheck.errors import usage
from brocheck.explain import Explanation, FactLine, Line, explain, source_text
from brocheck.manual import forms
from brocheck.render.escape import terminal
from brocheck.ruleset import load_ruleset
from brocheck.schema import Bedomning

STATES = {
    "fired": "GÄLLDE",
    "stopped": "okänt: bedömningen stannade här (Kan ej bedömas)",
    "failed": "höll inte",
    "after": "prövades inte: ett tidigare utfall avgjorde",
}


def run(case: Path, row: str, manual: bool = True, config: Config | None = None) -> int:
    cases = load_all([case], config)
    if len(cases) != 1:
        raise usage("explain tar en ärendefil, inte flera")
    ruleset = load_ruleset(config.rules if config else None)
    found = explain(ruleset, cases[0], row, manual=manual)
    if found is None:
        raise usage(f"okänd rad {row!r}: ange {forms(ruleset)}")
    emit("".join(terminal(line) + "\n" for line in render(found)))
    return 0


def _tree(lines: tuple[Line, ...], indent: int) -> list[str]:
    pad = " " * indent
    return [pad + "  " * ln.depth + ln.text + ("" if ln.value is None else f" = {ln.value}") for ln in lines]


def _judgement(b: Bedomning, until: str = "upphör") -> str:
    end = f", {until} {b.upphor.isoformat()}" if b.upphor else ""
    return f"{b.motivering} ({b.av}, {b.datum.isoformat()}{end})"


def _facts(facts: list[FactLine], file: str) -> list[str]:
    out: list[str] = []
    for i, f in enumerate(facts):
        where = f"{file}:{f.line}" if f.line else file
        out.append(f"  {where}  {f.display} = {f.value}")
        if f.relied and f.sources and (i + 1 == len(facts) or facts[i + 1].sources != f.sources):
            out += [f"      källa: {source_text(k)}" for k in f.sources]
    return out


def render(e: Explanation) -> list[str]:
    out = [f"{e.ref} {e.rule_id} ({e.rule_file})",
           f"Ärende: {e.file} – {e.municipality}, granskningsdatum {e.asof.isoformat()}",
           "",
           f"Kriterium: {e.criterion}",
           f"Rättskälla: {'; '.join(e.legal_sources)}"]
    if e.description:
        out.append(f"Regelns resonemang: {e.description}")
    if e.parameters:
        out += ["", "Revisionsparametrar som regeln läser:"]
        out += [f"  {line}" for line in e.parameters]
    if e.reads:
        out += ["", "Läser bedömningarna av:"]
        out += [f"  {r.ref:<6} {r.rating}{' (manuell)' if r.manual else ''} – {r.criterion}" for r in e.reads]
    out += ["", "Utfall i ordning (det första vars villkor håller avgör):"]
    for n, o in enumerate(e.outcomes, 1):
        mark = "»" if o.state in ("fired", "stopped") else " "
        condition = "utan villkor" if o.verdict is None else f"villkoret är {o.verdict}"
        out.append(f"{mark} {n}. {o.id} → {o.rating}: {condition} – {STATES[o.state]}")
        out += _tree(o.lines, 6)
    if e.named:
        out += ["", "Namngivna fakta som villkoren läser:"]
        for f in e.named:
            out.append(f"  {f.name} ({'regelns' if f.local else 'härlett'}) = {f.value}")
            out += _tree(f.lines, 6)
    if e.manual is None:
        out += ["", f"Bedömning: {e.rating}", f"Kommentar: {e.comment}"]
    else:
        out += ["", f"Bedömning: {e.rating} (revisorns manuella bedömning; regelns bedömning: {e.rule_rating})",
                f"Motivering: {_judgement(e.manual)}", f"Regelns kommentar: {e.comment}"]
    if e.missing:
        out.append(f"Uppgifter som saknas: {', '.join(e.missing)}")
    for b in e.lapsed:
        out.append(f"Upphörd manuell bedömning (gäller inte): {b.bedomning}. {_judgement(b, 'upphörde')}")
    relied = [f for f in e.facts if f.relied]
    scanned = [f for f in e.facts if not f.relied]
    out += ["", "Uppgifter som bedömningen vilar på (fil:rad) och deras källor:"]
    out += _facts(relied, e.file) if relied else ["  inga"]
    if scanned:
        out += ["", "Genomsökta uppgifter (lästa vid ett urval som inte valde dem):"]
        out += _facts(scanned, e.file)
    return out
