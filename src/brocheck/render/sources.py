"""Sources as an audit report gives them: one note per table row and a grouped Källförteckning.

A case's `kallor` are often finer than documents: one entry per page or paragraph of the same
document ("s. 3", "s. 4"). The Källförteckning lists every document of the case once (title, date,
address), numbered, in the groups audit reports use and in the order the case file first names them
within a group. A row's note cites each document the row's rule relied on once, by its number, with
the pages or paragraphs: "Källor: [9] s. 3, 4 och 5f; [21] § 71." A rule may rely on a dozen
documents, so the notes stay short and the titles stand once, in the Källförteckning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from brocheck.explain import cited
from brocheck.expr import FactUse
from brocheck.schema import Case, Kalla, KallTyp
from brocheck.text import datum, lista, squash

GROUPS: tuple[tuple[str, frozenset[KallTyp]], ...] = (
    ("Skriftliga källor", frozenset({KallTyp.lag, KallTyp.forarbete, KallTyp.vagledning, KallTyp.avtal})),
    ("Styrdokument och andra dokument", frozenset({KallTyp.styrdokument, KallTyp.dokument})),
    ("Protokoll", frozenset({KallTyp.protokoll})),
    ("Internet", frozenset({KallTyp.webbsida})),
    ("Intervjuer", frozenset({KallTyp.intervju})),
)
"""The Källförteckning's groups in the audit report's order, each with the source types it holds."""

_GROUP_OF = {t: i for i, (_, types) in enumerate(GROUPS) for t in types}


@dataclass(frozen=True, order=True)
class Entry:
    """One document of the Källförteckning: sources with the same type, title, date and address."""

    typ: KallTyp
    title: str
    date: dt.date | None
    url: str | None

    @classmethod
    def of(cls, kalla: Kalla) -> Entry:
        return cls(kalla.typ, squash(kalla.titel), kalla.datum, kalla.url)

    @property
    def when(self) -> str | None:
        """The date as text: for an internet source, when it was read ("hämtad 10 mars 2025")."""
        if self.date is None:
            return None
        return f"hämtad {datum(self.date)}" if self.typ is KallTyp.webbsida else datum(self.date)

    def text(self) -> str:
        """`Titel, 14 maj 2024`; an internet source `Titel, https://…, hämtad 10 mars 2025`."""
        return ", ".join(p for p in (self.title, self.url, self.when) if p)


@dataclass(frozen=True)
class Group:
    heading: str
    entries: tuple[tuple[int, Entry], ...]
    """The group's documents with their numbers."""


def locators(values: Sequence[str]) -> str:
    """Pages or paragraphs of one document: "s. 3, 4 och 5f" when all are pages, else "§ 1 och §§ 2–3"."""
    if len(values) > 1 and all(v.startswith("s. ") for v in values):
        return "s. " + lista(v[3:] for v in values)
    return lista(values)


class Sources:
    """One case's Källförteckning, and the notes that cite it."""

    def __init__(self, case: Case) -> None:
        self.case = case
        entries = list(dict.fromkeys(Entry.of(k) for k in case.kallor))
        entries.sort(key=lambda e: _GROUP_OF[e.typ])  # stable: case order within a group
        self.number = {e: i for i, e in enumerate(entries, 1)}
        self.groups = tuple(Group(heading, tuple((self.number[e], e) for e in entries if e.typ in types))
                            for heading, types in GROUPS if any(e.typ in types for e in entries))

    def note(self, used: Sequence[FactUse]) -> str | None:
        """The sources a row's rule relied on, as the text of its note; None when it relied on none."""
        pages: dict[Entry, list[str]] = {}
        for kalla in cited(self.case, used):
            at = pages.setdefault(Entry.of(kalla), [])
            if kalla.paragraf and squash(kalla.paragraf) not in at:
                at.append(squash(kalla.paragraf))
        if not pages:
            return None
        parts = [" ".join(p for p in (f"[{self.number[e]}]", locators(pages[e])) if p)
                 for e in sorted(pages, key=self.number.__getitem__)]
        return f"{'Källa' if len(parts) == 1 else 'Källor'}: {'; '.join(parts)}."
