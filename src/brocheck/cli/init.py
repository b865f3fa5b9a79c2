"""`brocheck init FILE`: write a case-file skeleton from templates/case.yaml.j2.

The skeleton has every section, the required keys filled in from the options (or visible placeholders),
and every other key as a commented-out example: it records no facts, since a key left out is "unknown"
and `[]`/`false` would assert "none". It never overwrites a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from enum import StrEnum
from pathlib import Path

from brocheck.errors import usage

PLACEHOLDER_NAME = "ANGE KOMMUNENS NAMN"
PLACEHOLDER_CODE = "0000"


def run(file: Path, kommun: str | None, kod: str | None, datum: str | None) -> int:
    if file.exists():
        raise usage("filen finns redan: brocheck init skriver aldrig över en fil; välj ett annat namn eller "
                    "ta bort filen först", str(file))
    if not file.parent.is_dir():
        raise usage("katalogen finns inte: skapa den först eller ange en annan sökväg", str(file))
    if kod is not None and not re.fullmatch(r"\d{4}", kod):
        raise usage(f"ogiltig kommunkod {kod!r}: ange fyra siffror, t.ex. 0180", "--kod")
    if kommun is not None and not kommun.strip():
        raise usage("kommunens namn får inte vara tomt", "--kommun")
    try:
        day = dt.date.fromisoformat(datum) if datum is not None else dt.date.today()
    except ValueError:
        raise usage(f"ogiltigt datum {datum!r}: ange ÅÅÅÅ-MM-DD, t.ex. 2025-06-30", "--datum") from None
    from brocheck.cli.output import Outputs

    with Outputs([file], []) as out:  # the mode the umask gives; never over a rule or template file
        out.commit([(file, skeleton(file, kommun or PLACEHOLDER_NAME, kod or PLACEHOLDER_CODE, day))])
    print(f"Skapade {file}: {kommun or 'kommunen'}, granskningsdatum {day.isoformat()}.")
    if kommun is None or kod is None:
        print("Ange kommunens namn och kod i filen: de står där som platshållare (eller använd --kommun och "
              "--kod).")
    print("Obs: organlistan räknas som fullständig. Lägg till strategiskt råd, samordningsfunktion och "
          "styrgrupper som finns innan du bedömer; annars bedöms de som saknade.")
    print(f"Fyll i iakttagelserna och kör sedan: brocheck check --completeness {file}")
    return 0


def skeleton(file: Path, kommun: str, kod: str, datum: dt.date) -> str:
    from brocheck import schema
    from brocheck.render.escape import visible
    from brocheck.resources import data_dir
    from brocheck.ruleset import load_ruleset
    from brocheck.text import squash, templates

    # `comment` keeps a value on its comment line (a line break in --kommun or the file name would otherwise
    # start a key of its own)
    env = templates(yaml=_yaml, squash=squash, comment=visible)
    parameters = {name: p for name, p in load_ruleset().parameters.items() if not p.law}
    values = {name: ", ".join(e) for name, e in vars(schema).items()
              if isinstance(e, type) and issubclass(e, StrEnum) and e is not StrEnum}
    schema_file = data_dir("schema") / "case.schema.json"
    where = Path(os.path.relpath(schema_file.resolve(), file.parent.resolve())).as_posix()
    return env.get_template("case.yaml.j2").render(file=str(file), kommun=kommun, kod=kod,
                                                   datum=datum.isoformat(), schema=where, values=values,
                                                   parameters=parameters)


def _yaml(value: object) -> str:
    """A value as a YAML flow scalar or list: dates bare, lists of ids as `[a, b]`, text quoted."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str) and re.fullmatch(r"[a-z0-9_]+", v) for v in value):
        return "[" + ", ".join(value) + "]"
    return json.dumps(value, ensure_ascii=False).translate(_YAML_BREAKS)


_YAML_BREAKS = {0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}
"""Line breaks to YAML (not to JSON): written as escapes, or a quoted value would be folded at them."""
