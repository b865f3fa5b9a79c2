"""Law coverage of a rule set (`brocheck rules coverage`): which rules test each paragraph of
Lag (2023:196), and which provisions of kommunallagen (KL) the rules cite.

A rule *tests* a paragraph when its `law:` lists it; it *cites* one when a `source:` names it
("Lag (2023:196) 10–13 §§", "KL 6 kap. 8 §, 37–38 §§"). A paragraph no rule tests is uncovered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from brocheck.ruleset import Placed, RuleSet

LAW = "Lag (2023:196)"
PARAGRAPHS: dict[int, str] = {
    1: "inledande bestämmelser",
    2: "inledande bestämmelser",
    3: "inledande bestämmelser",
    4: "lägesbild: kartläggning, annan information, analys",
    5: "åtgärdsplan med lägesbilden som underlag",
    6: "uppdatera lägesbilden och följa upp åtgärdsplanen minst vartannat år",
    7: "samordna med analys och planering enligt andra författningar",
    8: "samordningsansvar enligt 9–10 §§",
    9: "skriftliga samverkansöverenskommelser",
    10: "strategiskt råd",
    11: "samordningsfunktion",
    12: "samordningsfunktionens uppgifter",
    13: "ledning och rapportering till kommunfullmäktige",
    14: "kommunal kamerabevakning",
}
"""The paragraphs of Lag (2023:196) with a short description of what each is about."""
IN_FORCE = {14: dt.date(2025, 4, 1)}
"""Paragraphs added after the law came into force (2023-07-01): the day they apply from."""

_LAW_CITE = re.compile(r"Lag \(2023:196\) (\d+)(?:–(\d+))? §")
_KL_CITE = re.compile(r"\bKL (\d+) kap\. ((?:\d+(?:–\d+)? §§?(?:, )?)+)")
_SPAN = re.compile(r"(\d+)(?:–(\d+))?")


def _numbers(first: str, last: str | None) -> list[int]:
    return list(range(int(first), int(last or first) + 1))


def law_cited(source: str) -> list[int]:
    """The paragraphs of Lag (2023:196) a source text names ("Lag (2023:196) 11–12 §§" -> [11, 12])."""
    return [n for m in _LAW_CITE.finditer(source) for n in _numbers(m.group(1), m.group(2))]


def kl_cited(source: str) -> list[tuple[int, int]]:
    """The provisions of KL a source text names, as (chapter, paragraph)."""
    return [(int(m.group(1)), n) for m in _KL_CITE.finditer(source)
            for span in _SPAN.finditer(m.group(2)) for n in _numbers(span.group(1), span.group(2))]


@dataclass(frozen=True)
class Paragraph:
    number: int
    about: str
    tested_by: list[Placed]
    cited_by: list[Placed]
    """Rules whose sources name the paragraph without listing it under `law:`."""
    from_date: dt.date | None

    @property
    def covered(self) -> bool:
        return bool(self.tested_by)


@dataclass(frozen=True)
class Provision:
    chapter: int
    paragraph: int
    cited_by: list[Placed]

    @property
    def label(self) -> str:
        return f"KL {self.chapter} kap. {self.paragraph} §"


@dataclass(frozen=True)
class LawCoverage:
    paragraphs: list[Paragraph]
    kl: list[Provision]
    unknown: list[tuple[Placed, int]]
    """`law:` entries naming a paragraph the law does not have."""

    @property
    def uncovered(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if not p.covered]


def law_coverage(ruleset: RuleSet) -> LawCoverage:
    paragraphs = []
    for number, about in PARAGRAPHS.items():
        tested = [p for p in ruleset.placed if number in p.rule.law]
        cited = [p for p in ruleset.placed if p not in tested
                 and any(number in law_cited(s) for s in p.rule.source)]
        paragraphs.append(Paragraph(number, about, tested, cited, IN_FORCE.get(number)))
    kl: dict[tuple[int, int], list[Placed]] = {}
    for p in ruleset.placed:
        for provision in dict.fromkeys(c for s in p.rule.source for c in kl_cited(s)):
            kl.setdefault(provision, []).append(p)
    unknown = [(p, n) for p in ruleset.placed for n in p.rule.law if n not in PARAGRAPHS]
    return LawCoverage(paragraphs, [Provision(c, n, rules) for (c, n), rules in sorted(kl.items())], unknown)
