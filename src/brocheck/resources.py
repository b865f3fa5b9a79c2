"""Where the data shipped with brocheck (rules/, templates/) lives."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir(name: str) -> Path:
    """`name` inside the installed package, or at the top of the source tree when run from it."""
    packaged = Path(str(resources.files("brocheck") / name))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / name
