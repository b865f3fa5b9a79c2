"""Output formats, registered here: each module has `render(assessments) -> str`.

Modules are imported only when their format is asked for, to keep start-up fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brocheck.engine import Assessment

FORMATS: dict[str, str] = {
    "text": "brocheck.render.text",
    "markdown": "brocheck.render.markdown",
    "json": "brocheck.render.json_format",
}


def renderer(name: str) -> Callable[[list[Assessment]], str]:
    module = importlib.import_module(FORMATS[name])
    return module.render  # type: ignore[no-any-return]
