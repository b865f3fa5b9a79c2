#!/usr/bin/env python3
"""Regenerate the golden outputs in tests/golden/ from cases/boras-2025.yaml.

Run after an intended change in rules, templates or renderers, then review `git diff tests/golden`.
The expected report rows (tests/golden/boras-2025.expected.yaml) are the audit report's, never
regenerated.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
FORMATS = {"json": "boras-2025.json", "markdown": "boras-2025.md"}


def render(fmt: str) -> str:
    from brocheck.engine import assess
    from brocheck.loader import LoadedCase, load_case
    from brocheck.manual import judgements
    from brocheck.render import renderer
    from brocheck.ruleset import load_ruleset

    loaded = load_case(ROOT / "cases" / "boras-2025.yaml", "cases/boras-2025.yaml")
    assert isinstance(loaded, LoadedCase), loaded
    return renderer(fmt)([assess(load_ruleset(), loaded, judgements(loaded))])


def main() -> int:
    for fmt, name in FORMATS.items():
        (GOLDEN / name).write_text(render(fmt), encoding="utf-8", newline="\n")
        print(f"wrote tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
