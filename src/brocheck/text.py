"""Jinja environment shared by rule texts (criteria, comments, titles) and the report templates.

Filters speak Swedish: `genitiv`, `lista` ("A, B och C"), `datum` ("14 maj 2024"), `namn` (id -> name).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")


def genitiv(name: Any) -> str:
    """Swedish genitive: an explicit `genitiv` attribute wins, else -s (nothing after s, x, z)."""
    explicit = getattr(name, "genitiv", None)
    if explicit:
        return str(explicit)
    text = str(getattr(name, "namn", name))
    return text if text[-1:].lower() in ("s", "x", "z") else text + "s"


def lista(items: Iterable[Any]) -> str:
    parts = [str(getattr(i, "namn", i)) for i in items]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def datum(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return str(value)


NUMBERS = ("noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")
ORDINALS = ("", "", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde")


def tal(value: Any, genus: str = "n") -> str:
    """A count as audit prose writes it: words up to twelve ("fem"), digits above; `genus="n"` gives
    "en" for 1 (en åtgärd), "t" gives "ett" (ett år)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(NUMBERS):
        return str(value)
    if value == 1:
        return "en" if genus == "n" else "ett"
    return NUMBERS[value]


def intervall(years: Any) -> str:
    """How often, in years: "varje år", "vartannat år", "vart tredje år"."""
    if years == 1:
        return "varje år"
    if years == 2:
        return "vartannat år"
    if isinstance(years, int) and not isinstance(years, bool) and 2 < years < len(ORDINALS):
        return f"vart {ORDINALS[years]} år"
    return f"vart {years}:e år"


def paragrafer(numbers: Iterable[Any]) -> str:
    """Paragraph references as the report writes them: "13 §", "4, 6 och 7 §§", "11–12 §§"."""
    parts = [str(n) for n in numbers]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"{parts[0]} §" if "–" not in parts[0] else f"{parts[0]} §§"
    return f"{lista(parts)} §§"


def capfirst(value: Any) -> str:
    text = str(value)
    return text[:1].upper() + text[1:]


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2  # imported when a text is rendered or checked: `brocheck check` never needs it

    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(genitiv=genitiv, lista=lista, datum=datum, capfirst=capfirst, tal=tal,
                       intervall=intervall, paragrafer=paragrafer)
    env.filters["genitiv_lista"] = lambda items: lista(genitiv(i) for i in items)
    return env


def templates(**filters: Any) -> jinja2.Environment:
    """The templates of templates/ in the rule texts' environment, with `filters` added (in a dict of the
    overlay's own: an overlay shares its filters with the base environment)."""
    import jinja2

    from brocheck.resources import data_dir

    env = environment().overlay(loader=jinja2.FileSystemLoader(str(data_dir("templates"))))
    if filters:
        env.filters = {**env.filters, **filters}
    return env


def squash(text: str) -> str:
    """Collapse whitespace: rule texts are written over several YAML lines."""
    return " ".join(text.split())
