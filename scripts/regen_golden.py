#!/usr/bin/env python3
"""Regenerate the golden outputs in tests/golden/ from cases/boras-2025.yaml.

Run after an intended change in rules, templates or renderers, then review `git diff tests/golden`.
It also writes the rendered organisation picture of the Borås case to docs/organisation-boras.md.
The expected report rows (tests/golden/boras-2025.expected.yaml) are the audit report's, never
regenerated.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brocheck.loader import LoadedCase

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
FORMATS = {"json": "boras-2025.json", "markdown": "boras-2025.md"}


def render(fmt: str) -> str:
    from brocheck.engine import assess
    from brocheck.manual import judgements
    from brocheck.render import renderer
    from brocheck.ruleset import load_ruleset

    loaded = _loaded()
    out = renderer(fmt)([assess(load_ruleset(), loaded, judgements(loaded))])
    assert isinstance(out, str)
    return out


ORGANISATION = ROOT / "docs" / "organisation-boras.md"
"""The rendered example of the organisation picture, kept in sync by tests/test_mermaid.py."""


def organisation_doc() -> str:
    from brocheck.render.mermaid import LEGEND, caption

    diagram = render("mermaid")
    return (
        "# Organisationsbilden: exemplet Borås Stad\n\n"
        "Så ritar brocheck organisationen av det brottsförebyggande arbetet ur ärendefilen "
        "`cases/boras-2025.yaml`, motsvarigheten till granskningsrapportens Bild 5. Samma bild står i "
        "Markdown-rapporten (`--format markdown`); ensam skrivs den med `brocheck assess "
        "cases/boras-2025.yaml --format mermaid`. GitHub och GitLab ritar blocket nedan.\n\n"
        "Organen placeras på sin nivå (`niva`); organ utan nivå som leder, styr eller tar emot rapporter "
        "står utanför nivåerna. Filen skrivs av `scripts/regen_golden.py`, och ett test ser till att den "
        "stämmer med koden.\n\n"
        f"```mermaid\n{diagram}```\n\n"
        f"*{caption(_loaded().case)} enligt ärendefilen.* {LEGEND}\n"
    )


def _loaded() -> LoadedCase:
    from brocheck.loader import LoadedCase, load_case

    loaded = load_case(ROOT / "cases" / "boras-2025.yaml", "cases/boras-2025.yaml")
    assert isinstance(loaded, LoadedCase), loaded
    return loaded


def main() -> int:
    for fmt, name in FORMATS.items():
        (GOLDEN / name).write_text(render(fmt), encoding="utf-8", newline="\n")
        print(f"wrote tests/golden/{name}")
    ORGANISATION.write_text(organisation_doc(), encoding="utf-8", newline="\n")
    print(f"wrote {ORGANISATION.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
