"""Escaping: one function per kind of output, and every value that comes from a case file (or a file name)
passes through the function of the output it is written to.

- `terminal`: standard error, `check`, `explain`, `--format text`: no escape sequence or other control
  character reaches the terminal.
- `markdown`, `cell`, `code`, `link`: Markdown (the report, `overview`, `diff`, rule coverage, SARIF
  `help.markdown`): a value makes no heading, list, link, HTML or extra table cell. (`own_cell` is for
  Markdown brocheck writes itself, the schema reference.)
- `xml`: JUnit XML and Word (docx): no character XML 1.0 cannot hold.
- `workflow_data`, `workflow_property`: GitHub workflow commands: a value neither ends its command nor
  starts another (`::add-mask::`).
- `json_text`: JSON and SARIF: no character a terminal or viewer could act on; the data parse back
  unchanged.

Everything unsafe is shown, never dropped: control characters as `\\x1b`, `\\n`; bidirectional overrides and
line separators as `\\u202e`; a byte of a file name that is not UTF-8 as `\\xff`.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

_BEYOND_ASCII = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_ASCII}]")
"""C0 and C1 control characters, bidirectional marks and overrides (which reorder what is shown), line and
paragraph separators, unpaired surrogates (from file names that are not UTF-8) and the two noncharacters
XML cannot hold."""
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _shown(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str, keep: str = "") -> str:
    """`text` with every unsafe character except those in `keep` shown as an escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _shown(m.group()), text)


def terminal(text: object, *, lines: bool = False) -> str:
    """A value for a terminal or a log: one line (line breaks shown as `\\n`) unless `lines`, and no control
    character but tab and, with `lines`, line feed."""
    return visible(str(text), "\t\n" if lines else "\t")


_MARKDOWN = re.compile(r"[\\`*\[\]|~#]|(?<![^\W_])_|_(?![^\W_])|[<>&]")
"""Markdown's special characters; `_` only where it could open or close emphasis (not inside a word, as in
`lagesbild_kf_beslut`)."""
_ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([+=-])")
_BREAK = re.compile(r"\r\n|[\r\n]")


def _markdown(text: str, keep: str) -> str:
    return visible(_MARKDOWN.sub(lambda m: _ENTITY.get(m.group(), "\\" + m.group()), text), keep)


def markdown(text: object) -> str:
    """A value in a Markdown paragraph, heading or list item that reads as written: one line (whitespace
    collapsed), the characters that make emphasis, links, code, headings or table cells backslash-escaped,
    HTML characters as entities, no list or heading marker at its start, and control characters shown.
    (A bare address may still be shown as a link by GitHub, with the address as its text.)"""
    out = _markdown(" ".join(str(text).split()), "")
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3), out)


def cell(text: object) -> str:
    """A value in a Markdown table cell: escaped as `markdown`, with its line breaks as `<br>`, so that it
    stays in its row and cell."""
    return _BREAK.sub("<br>", _markdown(str(text), "\t\r\n"))


def own_cell(text: object) -> str:
    """Markdown that brocheck writes itself (the schema reference's links and code spans) in a table cell:
    backslashes and pipes escaped and line breaks as `<br>`, so that it stays one cell, and its Markdown
    kept. Never for a value from a case file or a rule set: use `cell`."""
    return _BREAK.sub("<br>", visible(str(text).replace("\\", "\\\\").replace("|", "\\|"), "\t\r\n"))


def code(text: object, *, table: bool = False) -> str:
    """A value as a Markdown code span (file names): one line, fenced by more backticks than it holds;
    in a table cell (`table`) its pipes are escaped as GFM requires even inside code."""
    shown = visible(str(text))
    if table:
        shown = shown.replace("|", "\\|")
    fence = "`" * (max(map(len, re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.startswith(("`", " ")) or shown.endswith(("`", " ")) else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


_AUTOLINK = re.compile(r"https?://[^\s<>]+")


def link(url: str) -> str:
    """A URL in Markdown: an autolink `<https://…>` when it is an http(s) URL an autolink can hold (no
    space, `<`, `>` or unsafe character), else escaped text that links nowhere."""
    return f"<{url}>" if _AUTOLINK.fullmatch(url) and not _UNSAFE.search(url) else markdown(url)


def workflow_data(text: str) -> str:
    """A GitHub workflow command's message: `%`, CR and LF percent-encoded (GitHub's escaping), so the
    command stays one line; other control characters shown."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"), "\t")


def workflow_property(text: str) -> str:
    """A GitHub workflow command's property value: as a message, and also `:` and `,`."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def xml(text: object) -> str:
    """Text or an attribute value for XML 1.0: the characters it cannot hold (and C1 controls) shown."""
    return visible(str(text), "\t\n\r")


_JSON_UNSAFE = re.compile(f"[{_BEYOND_ASCII}]")


def json_text(data: Any) -> str:
    """`data` as indented JSON (UTF-8 text, keys in the given order) with the unsafe characters json.dumps
    leaves as they are written as `\\uXXXX` escapes: the data parse back unchanged (C0 controls are
    already escaped by json.dumps)."""
    return json_value(data) + "\n"


def json_value(data: Any, indent: str = "\n") -> str:
    """`json_text` without the final line break, for a value nested in a document that is written a part at
    a time: `indent` is the line break and indentation of the value's own line (its members are indented two
    more spaces, as in the whole document)."""
    out: list[str] = []
    _encode(data, indent, out)
    return "".join(out)


_ENCODE = json.encoder.encode_basestring
"""JSON's own (C) string encoder, as `json.dumps(..., ensure_ascii=False)` uses it."""
_ENCODED: dict[str, str] = {}
"""Strings encoded so far (criteria, sources, ratings and ids recur in every case), up to `_ENCODED_MAX`."""
_ENCODED_MAX = 4096


def _string(value: str) -> str:
    """`value` as a JSON string, with the characters `_JSON_UNSAFE` matches as `\\uXXXX` escapes."""
    known = _ENCODED.get(value)
    if known is None:
        known = _ENCODE(value)
        if _JSON_UNSAFE.search(known):
            known = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", known)
        if len(_ENCODED) < _ENCODED_MAX:
            _ENCODED[value] = known
    return known


_HEADS: dict[str, dict[str, str]] = {}
"""By indentation, by key: a member's start as encoded (`,` the line break and indentation, the key, `: `); the
keys of brocheck's documents are few and recur in every row (up to `_ENCODED_MAX` for each indentation)."""
_SCALARS = {None: "null", True: "true", False: "false"}
_TEXT = itertools.repeat(str)
"""`str` for every key of a dict, for `all(map(isinstance, keys, _TEXT))`: the check without a Python loop."""


def _encode(value: Any, indent: str, out: list[str]) -> None:
    """Append `json.dumps(value, ensure_ascii=False, indent=2)` with each line break followed by `indent`'s
    indentation, byte for byte, for plain data (dicts with text keys, lists, text, integers, booleans,
    None): once `indent` is set, the standard library encodes in Python, generator by generator, several
    times slower than this."""
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif kind is dict and all(map(isinstance, value, _TEXT)):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        heads = _HEADS.get(inner) or _HEADS.setdefault(inner, {})
        start = len(out)
        for k, v in value.items():
            head = heads.get(k)
            if head is None:
                head = f",{inner}{_string(k)}: "
                if len(heads) < _ENCODED_MAX:
                    heads[k] = head
            out.append(head)
            if type(v) is str:  # most members: encoded here, without a call
                out.append(_string(v))
            else:
                _encode(v, inner, out)
        out[start] = "{" + out[start][1:]  # the first member's line opens the object
        out.append(indent + "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        separator = "[" + inner
        for v in value:
            out.append(separator)
            if type(v) is str:
                out.append(_string(v))
            else:
                _encode(v, inner, out)
            separator = "," + inner
        out.append(indent + "]")
    elif value is None or kind is bool:
        out.append(_SCALARS[value])
    elif kind is int:
        out.append(int.__repr__(value))
    else:  # a string holds no line break
        out.append(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", indent))
