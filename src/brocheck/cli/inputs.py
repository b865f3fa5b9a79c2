"""Expanding command-line paths into case files, shared by the commands that take cases."""

from __future__ import annotations

from pathlib import Path


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; directories replaced by every *.yaml / *.yml below them, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out
