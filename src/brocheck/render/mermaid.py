"""`--format mermaid`: the organisation of the crime-prevention work as a Mermaid flowchart.

Drawn from the case's bodies (`organ`) as an audit report's organisation picture ("Bild 5"): one
subgraph per level (`niva`: Ledningsnivå, Strategisk nivå, Central nivå, Lokal nivå) with the bodies
placed there, the bodies and external actors they name outside the levels, and arrows for who leads
(`leds_av`), steers (`styrs_av`) and reports to whom (`rapporterar_till`). Bodies are coloured by
`inriktning`: blue for social, green for situational prevention, blue-green for both. The picture
shows the case as it stood on its as-of date, like the assessment (brocheck.timeline).

Everything from the case is made safe for Mermaid: node ids are generated (`o1`, `a1`, …) and labels
are quoted with `"`, `#`, `<`, `>`, `&` and backticks written as Mermaid entity codes, and control
characters shown (brocheck.render.escape.visible), so any name renders as written on GitHub and GitLab.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from brocheck import timeline
from brocheck.engine import Assessment
from brocheck.errors import usage
from brocheck.render import Stream
from brocheck.render.escape import visible
from brocheck.schema import Aktor, Case, Inriktning, Niva, Organ
from brocheck.text import genitiv, squash

LEVELS: tuple[tuple[Niva, str], ...] = (
    (Niva.ledning, "Ledningsnivå"),
    (Niva.strategisk, "Strategisk nivå"),
    (Niva.central, "Central nivå"),
    (Niva.lokal, "Lokal nivå"),
)
CLASSES = {
    "social": "fill:#dbeafe,stroke:#1d4ed8,color:#111827",
    "situationell": "fill:#dcfce7,stroke:#15803d,color:#111827",
    "bada": "fill:#ccfbf1,stroke:#0f766e,color:#111827",
    "extern": "fill:#f3f4f6,stroke:#6b7280,color:#111827,stroke-dasharray:4 3",
}
EDGES = {"leder": "-->", "styr": "==>", "rapporterar till": "-.->", "hör till": "---"}
LEGEND = ("Blå: social prevention; grön: situationell prevention; blågrön: båda; grå, streckad: extern aktör. "
          "Pilarna visar vem som leder, styr och rapporterar till vem; linjen \"hör till\" visar en "
          "förvaltning eller funktion under sitt organ.")
"""What the colours and arrows mean, for the caption under the picture."""

_ENTITIES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
_UNSAFE = re.compile("[\"#<>&`]")


def label(text: str) -> str:
    """A quoted Mermaid label that shows `text` as written (one line)."""
    return '"' + _UNSAFE.sub(lambda m: _ENTITIES[m.group()], visible(squash(text))) + '"'


def caption(case: Case) -> str:
    """The picture's caption: "Borås Stads organisation av det brottsförebyggande arbetet"."""
    return f"{genitiv(case.kommun)} organisation av det brottsförebyggande arbetet"


def _classes(o: Organ) -> str | None:
    kinds = set(o.inriktning or ())
    if kinds == {Inriktning.social, Inriktning.situationell}:
        return "bada"
    if kinds:
        return next(iter(kinds)).value
    return None


def _name(part: Organ | Aktor) -> str:
    short = getattr(part, "kortnamn", None)
    return f"{part.namn} ({short})" if short else part.namn


def flowchart(case: Case) -> str:
    """The organisation picture of one case as it stood on its as-of date (bodies founded later are left
    out, brocheck.timeline), as Mermaid flowchart source (no code fence)."""
    case = timeline.as_of(case)[0]
    organs = {o.id: o for o in case.organ}
    actors = {a.id: a for a in case.aktorer}
    placed = [o for o in case.organ if o.niva is not None]
    free = [o for o in case.organ if o.niva is None and o.brottsforebyggande]
    edges: list[tuple[str, str, str]] = []  # (from, kind, to) by case id
    for o in placed + free:
        edges += [(leader, "leder", o.id) for leader in o.leds_av or ()]
        edges += [(s, "styr", o.id) for s in o.styrs_av or ()]
        edges += [(o.id, "rapporterar till", r) for r in o.rapporterar_till or ()]
    edges = [e for e in edges if all(end in organs or end in actors for end in (e[0], e[2]))]
    shown = dict.fromkeys([o.id for o in placed + free] + [end for a, _, b in edges for end in (a, b)])
    for o in case.organ:
        if o.id in shown and o.tillhor in shown:
            edges.append((o.id, "hör till", o.tillhor))
    ids = {ident: f"{'a' if ident in actors and ident not in organs else 'o'}{n}" for n, ident in enumerate(shown, 1)}

    def node(ident: str) -> str:
        part: Organ | Aktor = organs[ident] if ident in organs else actors[ident]
        return f"{ids[ident]}[{label(_name(part))}]"

    lines = ["flowchart TB"]
    for niva, title in LEVELS:
        members = [o.id for o in placed if o.niva is niva]
        if members:
            lines.append(f"  subgraph {niva.value}[{label(title)}]")
            lines += [f"    {node(i)}" for i in members]
            lines.append("  end")
    lines += [f"  {node(i)}" for i in shown if i not in organs or organs[i].niva is None]
    lines += [f"  {ids[a]} {EDGES[kind]}|{kind}| {ids[b]}" for a, kind, b in dict.fromkeys(edges)]
    kinds: dict[str, list[str]] = {}
    for ident in shown:
        kind = _classes(organs[ident]) if ident in organs else "extern"
        if kind:
            kinds.setdefault(kind, []).append(ids[ident])
    for kind, style in CLASSES.items():
        if kind in kinds:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {','.join(kinds[kind])} {kind}")
    return "\n".join(lines) + "\n"


def render(assessments: list[Assessment]) -> str:
    if len(assessments) != 1:
        raise _one_case()
    return flowchart(assessments[0].loaded.case)


def _one_case() -> Exception:
    return usage("--format mermaid ritar en ärendefils organisation: ange en ärendefil")


def stream(files: list[str]) -> Stream:
    return _Stream()


class _Stream(Stream):
    parallel = True
    uses_facts = False

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[str] = []

    def piece(self, a: Assessment, first: bool) -> str:
        return flowchart(a.loaded.case) if first else ""

    def add(self, piece: Any) -> str:
        self.charts.append(str(piece))
        return ""

    def end(self) -> Iterator[str]:
        if len(self.charts) != 1:
            raise _one_case()
        yield self.charts[0]
