"""Manual judgements recorded by the auditor in the case file (`bedomningar`).

A judgement replaces a rule's rating with the auditor's own, visibly: outputs show it beside the
rule's rating with its motivation. A judgement whose `upphor` is before the case's as-of date has
lapsed and is ignored (and reported as lapsed). Problems (unknown rule, a rating not on the rule's
scale, two judgements of one rule in force) are located in the case file and make the input invalid.
"""

from __future__ import annotations

from dataclasses import dataclass

from brocheck.engine import Assessment, Given, Result
from brocheck.errors import InputError, Problem, by_position
from brocheck.loader import LoadedCase
from brocheck.ruleset import QUESTIONS_TABLE, RuleSet, load_ruleset
from brocheck.schema import Bedomning


def _lapsed(b: Bedomning, loaded: LoadedCase) -> bool:
    return b.upphor is not None and b.upphor < loaded.case.granskning.datum


def lapsed(loaded: LoadedCase) -> list[Bedomning]:
    """Judgements whose expiry date is before the case's as-of date, in file order."""
    return [b for b in loaded.case.bedomningar if _lapsed(b, loaded)]


def active(loaded: LoadedCase) -> list[Bedomning]:
    """Judgements in force on the as-of date, in file order."""
    return [b for b in loaded.case.bedomningar if not _lapsed(b, loaded)]


def forms(ruleset: RuleSet) -> str:
    """The valid ways to name a row, with the ranges this rule set has (for error messages)."""
    tables = sorted({p.table for p in ruleset.placed if 1 <= p.table <= 4})
    last = {t: max(p.row for p in ruleset.placed if p.table == t) for t in tables}
    questions = max((p.row for p in ruleset.placed if p.table == QUESTIONS_TABLE), default=0)
    rows = ", ".join(f"T{t}.1–T{t}.{last[t]}" for t in tables)
    return (f"ett regel-id (t.ex. {ruleset.placed[0].rule.id}), en tabellrad ({rows}), en revisionsfråga "
            f"(Q1–Q{questions}) eller S (den sammanfattande bedömningen)")


def problems(loaded: LoadedCase, ruleset: RuleSet) -> list[Problem]:
    """Every defect of the case's manual judgements, located in the case file."""
    doc, out = loaded.doc, []
    seen: dict[str, int] = {}
    for i, b in enumerate(loaded.case.bedomningar):
        base = ("bedomningar", i)
        placed = ruleset.find(b.regel)
        if placed is None:
            out.append(doc.problem((*base, "regel"), f"okänd regel {b.regel!r}: ange {forms(ruleset)}"))
            continue
        scale = ruleset.scales[placed.rule.scale]
        if b.bedomning not in scale:
            out.append(doc.problem((*base, "bedomning"), f"bedömningen {b.bedomning!r} finns inte på skalan för "
                                                         f"{placed.ref} ({placed.rule.id}): "
                                                         + ", ".join(f'"{r}"' for r in scale)))
        if b.upphor is not None and b.upphor < b.datum:
            out.append(doc.problem((*base, "upphor"), f"upphör ({b.upphor.isoformat()}) före bedömningens "
                                                      f"datum ({b.datum.isoformat()}): rätta datumen"))
        if _lapsed(b, loaded):
            continue
        first = seen.setdefault(placed.rule.id, i)
        if first != i:
            out.append(doc.problem((*base, "regel"), f"{placed.ref} ({placed.rule.id}) har redan en gällande "
                                                     f"bedömning (bedomningar[{first}]): ta bort den ena eller "
                                                     "låt den äldre upphöra"))
    return by_position(out)


def judgements(loaded: LoadedCase, ruleset: RuleSet | None = None) -> dict[str, Given]:
    """Rule id -> the auditor's rating, for every judgement in force on the case's as-of date.

    The judgement itself is the `note`. Raises InputError (exit 2) when any judgement is invalid."""
    ruleset = ruleset or load_ruleset()
    found = problems(loaded, ruleset)
    if found:
        raise InputError(found)
    out: dict[str, Given] = {}
    for b in active(loaded):
        placed = ruleset.find(b.regel)
        assert placed is not None  # problems() reported every unknown rule
        out[placed.rule.id] = Given(b.bedomning, b)
    return out


@dataclass(frozen=True)
class Summary:
    """What an output says about manual judgements."""

    applied: list[Result]
    """Rows whose rating is the auditor's, in report order."""
    lapsed: list[Bedomning]
    not_applied: int
    """Judgements in force that were not applied (the assessment was made with --no-manual)."""


def judgement(result: Result) -> Bedomning | None:
    """The manual judgement behind a row's rating, if any."""
    return result.note if isinstance(result.note, Bedomning) else None


def summary(a: Assessment) -> Summary:
    applied = [r for r in a.rows() if judgement(r) is not None]
    return Summary(applied, lapsed(a.loaded), 0 if applied else len(active(a.loaded)))
