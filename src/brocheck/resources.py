"""Where the data shipped with brocheck (rules/, templates/) lives, and which rule set is in use."""

from __future__ import annotations

import functools
import os
from pathlib import Path

RULES_ENV = "BROCHECK_RULES"
"""The environment variable naming a rule-set directory to use instead of the shipped one."""

_selected: Path | None = None


@functools.cache
def data_dir(name: str) -> Path:
    """`name` inside the installed package, or at the top of the source tree when run from it (looked up
    once per process). The package is a directory on disk (brocheck reads its data as files), so its
    location is its own; importlib.resources would import its zip support at every start."""
    here = Path(__file__).resolve().parent
    packaged = here / name
    return packaged if packaged.is_dir() else here.parents[1] / name


def select_rules(path: Path | None) -> None:
    """Use the rule set in `path` for this command (`--rules`); None: back to the environment's choice."""
    global _selected
    _selected = path


def rules_dir() -> Path:
    """The rule set in use: the one selected with `--rules`, else $BROCHECK_RULES, else the shipped one."""
    if _selected is not None:
        return _selected
    env = os.environ.get(RULES_ENV)
    return Path(env) if env else data_dir("rules")


def shipped_rules(root: Path) -> bool:
    """Whether `root` is the rule set shipped with brocheck."""
    return root.resolve() == data_dir("rules").resolve()
