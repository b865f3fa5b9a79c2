"""Manual judgements recorded by the auditor in the case file (issue: explain every rating).

Stub: returns no judgements until the case schema records them.
"""

from __future__ import annotations

from brocheck.engine import Given
from brocheck.loader import LoadedCase


def judgements(loaded: LoadedCase) -> dict[str, Given]:
    """Rule id -> the auditor's rating, for every judgement in force on the case's as-of date."""
    return {}
