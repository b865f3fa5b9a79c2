"""Safe YAML reading that keeps every node's position.

The document is composed by libyaml (CSafeLoader when available) and turned into plain Python data
here, so that we can refuse duplicate keys, unsafe tags, recursive or exploding aliases and deep
nesting, and remember `path -> (line, column)` for every key and value. Error messages are Swedish,
like everything else the user reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is missing only on exotic builds
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from brocheck.errors import Problem

Key = str | int
DataPath = tuple[Key, ...]
Pos = tuple[int, int]

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


@dataclass
class Document:
    """Plain data of one YAML file plus where each value and key stands (1-based)."""

    file: str
    data: Any
    values: dict[DataPath, Pos] = field(default_factory=dict)
    keys: dict[DataPath, Pos] = field(default_factory=dict)

    def locate(self, path: DataPath, *, key: bool = False) -> Pos | None:
        """Position of `path`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        for cut in range(len(path) - 1, -1, -1):
            if path[:cut] in self.values:
                return self.values[path[:cut]]
        return None

    def problem(self, path: DataPath, message: str, *, key: bool = False) -> Problem:
        pos = self.locate(path, key=key)
        return Problem(self.file, pos[0] if pos else None, pos[1] if pos else None, message)


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 text file, refusing what is not one with a message an auditor understands."""

    def fail(message: str, line: int | None = None, col: int | None = None) -> YamlProblem:
        return YamlProblem(Problem(display, line, col, message))

    if path.is_dir():
        raise fail("är en katalog, inte en fil: ange en YAML-fil (eller använd en katalog där det stöds)")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("filen finns inte: kontrollera sökvägen") from None
    except OSError as err:
        raise fail(f"filen kan inte läsas ({err.strerror}): kontrollera rättigheter och sökväg") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"filen är för stor ({len(raw)} byte; högst {MAX_BYTES}): dela upp den eller korta den")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise fail("filen innehåller NUL-byte och ser ut att vara binär: ange en YAML-textfil", line, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise fail("filen är inte UTF-8 (ogiltig byte här): spara den som UTF-8", line, col) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail("filen är tom: den ska innehålla en YAML-mappning (nyckel: värde)", 1, 1)
    return text


def parse(text: str, display: str) -> Document:
    """Compose `text` and build plain data with positions; raise YamlProblem on any defect."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(str(x) for x in (err.context, err.problem) if x)
        raise YamlProblem(
            Problem(
                display,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                f"YAML-syntaxfel: {what}: rätta syntaxen (indrag, kolon, citattecken)",
            )
        ) from None
    except yaml.YAMLError as err:
        raise YamlProblem(Problem(display, None, None, f"YAML kan inte läsas: {err}")) from None
    if node is None:
        raise YamlProblem(Problem(display, 1, 1, "filen är tom: den ska innehålla en YAML-mappning"))
    doc = Document(display, None)
    doc.data = _Builder(doc).build(node, ())
    return doc


def load(path: Path, display: str | None = None) -> Document:
    name = display or str(path)
    return parse(read_text(path, name), name)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.active: set[int] = set()
        self.scalars = SafeConstructor()

    def fail(self, node: Node, message: str) -> YamlProblem:
        mark = node.start_mark
        return YamlProblem(Problem(self.doc.file, mark.line + 1, mark.column + 1, message))

    def build(self, node: Node, path: DataPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"för många värden (över {MAX_NODES}): alias som expanderar "
                                  "exponentiellt tillåts inte; skriv ut värdena i stället")
        if len(path) > MAX_DEPTH:
            raise self.fail(node, f"för djup nästling (över {MAX_DEPTH} nivåer): förenkla strukturen")
        if id(node) in self.active:
            raise self.fail(node, "rekursivt alias: ett ankare får inte referera till sig självt")
        if node.tag not in _ALLOWED_TAGS:
            raise self.fail(node, f"otillåten YAML-tagg {node.tag!r}: bara vanliga värden "
                                  "(text, tal, datum, listor, mappningar) tillåts")
        self.doc.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, ScalarNode):
            try:
                value = self.scalars.construct_object(node)
            except (ConstructorError, ValueError) as err:
                if node.tag == _TAG + "timestamp":
                    raise self.fail(node, f"ogiltigt datum {node.value!r} ({err}): ange ett verkligt "
                                          "datum som ÅÅÅÅ-MM-DD") from None
                raise self.fail(node, f"ogiltigt värde {node.value!r}: {err}") from None
            if isinstance(value, dt.datetime):
                raise self.fail(node, f"{node.value!r}: ange datum som ÅÅÅÅ-MM-DD utan klockslag")
            return value
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: MappingNode, path: DataPath) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _TAG + "merge":
                continue
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "nycklar måste vara enkla värden, inte listor eller mappningar")
            key = self.scalars.construct_object(key_node)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise self.fail(key_node, f"nyckeln {key!r} förekommer två gånger (första gången på rad "
                                          f"{first}): ta bort eller slå ihop den ena")
            seen[key] = key_node
        try:
            self.scalars.flatten_mapping(node)
        except ConstructorError as err:
            raise self.fail(node, f"ogiltig sammanslagning (<<): {err.problem}") from None
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalars.construct_object(key_node)
            if not isinstance(key, str | int):
                raise self.fail(key_node, f"nyckeln {key!r} ska vara text")
            child = (*path, key)
            self.doc.keys.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            out[key] = self.build(value_node, child)
        return out
