"""`brocheck rules check|test|coverage [KATALOG]`: work on a rule set (by default the one in use)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from brocheck.errors import InputError
from brocheck.resources import rules_dir

if TYPE_CHECKING:
    from brocheck.ruleset import Placed


def check(directory: Path | None) -> int:
    """Load and validate the rule set; every defect is reported as file:line:col (exit 2)."""
    from brocheck.ruleset import load_ruleset

    ruleset = load_ruleset(directory or rules_dir())
    outcomes = sum(len(p.rule.outcomes) for p in ruleset.placed)
    print(f"{ruleset.location}: OK – {len(ruleset.placed)} regler i {len(ruleset.tables)} tabeller och den "
          f"sammanfattande bedömningen, {outcomes} utfall")
    return 0


def test(directory: Path | None, fixtures: Path | None, cases: Path | None, base: Path | None,
         fail_under: float | None) -> int:
    """Run the rule fixtures and report outcome coverage. Exit 1 when a fixture fails or coverage is
    below `fail_under`, 2 when a fixture cannot run (a defect in the fixture or its base case)."""
    from brocheck import ruletest
    from brocheck.ruleset import load_ruleset

    root = directory or rules_dir()
    ruleset = load_ruleset(root)
    fixtures = fixtures or root / "tests"
    bases = ruletest.Bases(cases or fixtures / "cases", base)
    suite = ruletest.load(fixtures)
    problems = ruletest.problems(suite, ruleset, bases)
    if problems:
        raise InputError(problems)
    outcomes, cover = ruletest.run(ruleset, suite, bases)
    for o in outcomes:
        if o.status != "ok":
            print(f"{'FEL' if o.status == 'error' else 'UNDERKÄNT'} {o.where}")
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in ("ok", "fail", "error")}
    print(f"{len(outcomes)} fall: {counts['ok']} godkända, {counts['fail']} underkända, {counts['error']} "
          "kunde inte köras")
    reached = len(cover.wanted) - len(cover.missed)
    # rounded down: 100 % only when every outcome is reached
    print(f"Utfallstäckning: {reached} av {len(cover.wanted)} utfall ({int(cover.percent)} %)")
    if cover.missed:
        print("Utfall som inget godkänt fall når:")
        by_rule: dict[tuple[str, str], list[str]] = {}
        for ref, rule_id, outcome in cover.missed:
            by_rule.setdefault((ref, rule_id), []).append(outcome)
        for (ref, rule_id), missed in by_rule.items():
            print(f"  {ref} {rule_id}: {', '.join(missed)}")
    if counts["error"]:
        return 2
    return 1 if counts["fail"] or (fail_under is not None and cover.percent < fail_under) else 0


def coverage(directory: Path | None, fmt: str) -> int:
    """The law coverage matrix: each paragraph of Lag (2023:196) and the KL provisions cited, against
    the rules that test them."""
    from brocheck.lawmap import LAW, law_coverage
    from brocheck.render.escape import cell
    from brocheck.ruleset import load_ruleset

    c = law_coverage(load_ruleset(directory or rules_dir()))

    def refs(placed: list[Placed]) -> str:
        return ", ".join(f"{p.ref} {p.rule.id}" for p in placed) or "–"

    rows = [(f"{p.number} §", p.about + (f" (från {p.from_date.isoformat()})" if p.from_date else ""),
             refs(p.tested_by), refs(p.cited_by)) for p in c.paragraphs]
    kl = [(k.label, refs(k.cited_by)) for k in c.kl]
    uncovered = ", ".join(f"{p.number} §" for p in c.uncovered) or "inga"
    out: list[str] = []
    if fmt == "markdown":
        out += [f"## {LAW}", "", "| Paragraf | Innehåll | Prövas av | Nämns i källor till |",
                "| --- | --- | --- | --- |"]
        out += [f"| {a} | {cell(b)} | {cell(t)} | {cell(s)} |" for a, b, t, s in rows]
        out += ["", f"Paragrafer som ingen regel prövar: {uncovered}.", "", "## Kommunallagen (KL)", "",
                "| Bestämmelse | Nämns i källor till |", "| --- | --- |"]
        out += [f"| {a} | {cell(b)} |" for a, b in kl]
    else:
        out.append(f"{LAW}: paragraf, innehåll, regler som prövar den (law:) [och som nämner den i source:]")
        for number, about, tested, cited in rows:
            out.append(f"  {number:>5}  {about}")
            out.append(f"         prövas av: {tested}" + (f" [nämns i: {cited}]" if cited != "–" else ""))
        out += [f"Paragrafer som ingen regel prövar: {uncovered}", "", "Kommunallagen (KL): bestämmelser som "
                "reglernas källor nämner"]
        out += [f"  {a}: {b}" for a, b in kl]
    out += [f"Okänd paragraf i law: {p.ref} {p.rule.id} anger {n} §" for p, n in c.unknown]
    sys.stdout.write("\n".join(out) + "\n")
    return 0
