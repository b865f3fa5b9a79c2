"""Safe YAML reading that keeps every node's position.

The document is composed by libyaml (CSafeLoader when available) and turned into plain Python data
here, so that we can refuse duplicate keys, unsafe tags, recursive or exploding aliases and deep
nesting, and remember `path -> (line, column)` for every key and value. Error messages are Swedish,
like everything else the user reads, and always one line: `file:line:col: what is wrong: how to fix`.

Plain scalars are resolved as in YAML 1.1 (PyYAML's safe loader) with one exception: only
`true`/`false` are booleans, as in YAML 1.2 and the editors' YAML support. `yes`, `no`, `on`, `off`
stay text, so an abbreviation such as `ON` (omsorgsnämnden) is not silently read as a boolean.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import functools
import operator
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is missing only on exotic builds
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from brocheck.errors import Problem, os_problem

Key = str | int
DataPath = tuple[Key, ...]
Pos = tuple[int, int]

STDIN = "-"
"""The path that reads standard input instead of a file; its name in messages and outputs is `<stdin>`."""
STDIN_NAME = "<stdin>"
MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_DATE = _TAG + "timestamp"
_BOOL = _TAG + "bool"
_NULL = _TAG + "null"
_INT = _TAG + "int"
_COLLECTION_TAG: dict[type[Node], str] = {SequenceNode: _TAG + "seq", MappingNode: _TAG + "map"}
_COLLECTION_TAGS = set(_COLLECTION_TAG.values())
_KIND = {ScalarNode: "ett enkelt värde", SequenceNode: "en lista", MappingNode: "en mappning"}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


def _shown(tag: str) -> str:
    """A tag as a case file writes it: `!!str` for YAML's own."""
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else short(tag)


@functools.lru_cache(maxsize=4096)
def _resolved(kind: Any, value: Any, implicit: Any) -> Any:
    """PyYAML's resolution of a node's tag (by regular expressions for a plain scalar's first character)."""
    return _BaseLoader.resolve(_RESOLVER, kind, value, implicit)  # type: ignore[no-untyped-call]


class _Loader(_BaseLoader):
    """The safe loader with YAML 1.2 booleans and without the `=` / `!` `&` `*` plain-scalar tags.

    libyaml's composer asks three Python methods about every node. brocheck adds no path resolvers (its
    `yaml_path_resolvers` stay empty, as tests/test_bad_input.py checks), so two of them do nothing and are
    C no-ops here, and the third, a node's tag, is then a function of its kind, text and quoting alone,
    answered from a C-level cache (`_resolved`) for the texts that recur (keys, ids, enumeration values)."""

    descend_resolver = staticmethod(operator.is_)  # type: ignore[assignment]  # libyaml ignores the result
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]
    resolve = staticmethod(_resolved)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_TAG + "bool", _TAG + "value", _TAG + "yaml")]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_RESOLVER = _Loader("")
"""The loader whose tables `_resolved` consults."""


@dataclass
class Document:
    """Plain data of one YAML file plus where each value and key stands (1-based).

    The positions are read from the text when they are first asked for (an error, an explanation, a
    footnote): assessing a batch as JSON never asks, and recording them as the data is built cost as much
    as a tenth of a case's assessment."""

    file: str
    data: Any
    text: str | None = field(default=None, repr=False, compare=False)
    """The YAML text the data were read from (positions are read from it when asked for)."""
    _positions: tuple[dict[DataPath, Pos], dict[DataPath, Pos], dict[DataPath, str]] | None = \
        field(default=None, repr=False, compare=False)

    @property
    def values(self) -> dict[DataPath, Pos]:
        """Where each value stands, by its path."""
        return self._located()[0]

    @property
    def keys(self) -> dict[DataPath, Pos]:
        """Where each key of a mapping stands, by the path of its value."""
        return self._located()[1]

    @property
    def sources(self) -> dict[DataPath, str]:
        """The text as written, for scalars that YAML did not read as text (numbers, dates, booleans, null)."""
        return self._located()[2]

    def _located(self) -> tuple[dict[DataPath, Pos], dict[DataPath, Pos], dict[DataPath, str]]:
        if self._positions is None:
            self._positions = ({}, {}, {})
            root = yaml.compose(self.text, Loader=_Loader) if self.text is not None else None
            if root is not None:  # read once already without error: composed and built again
                _Builder(self, record=True).build(root, ())
        return self._positions

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
        return Problem(self.file, pos[0] if pos else None, pos[1] if pos else None, one_line(message))


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def one_line(message: str) -> str:
    """`message` with line breaks shown as `\\n`, so that every problem stays on one output line."""
    return _BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


def short(value: Any, limit: int = 60) -> str:
    """repr(value), cut to `limit` characters, for quoting the user's input in a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pos(mark: Mark) -> Pos:
    return mark.line + 1, mark.column + 1


def _problem(file: str, line: int | None, col: int | None, message: str) -> YamlProblem:
    return YamlProblem(Problem(file, line, col, one_line(message)))


_BOMS = [(codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")]


_FIRST = re.compile(r"\S")


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 text file, refusing what is not one with a message an auditor understands."""

    def fail(message: str, line: int | None = None, col: int | None = None) -> YamlProblem:
        return _problem(display, line, col, message)

    stdin = str(path) == STDIN
    if not stdin and path.is_dir():
        raise fail("är en katalog, inte en fil: ange en YAML-fil (eller använd en katalog där det stöds)")
    try:
        if stdin:
            if sys.stdin is None:  # started with the descriptor closed
                raise OSError(errno.EBADF, "closed")
            source = getattr(sys.stdin, "buffer", None)  # bytes, whatever the locale's encoding
            raw = source.read(MAX_BYTES + 1) if source else sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
        else:
            with path.open("rb") as handle:  # bounded: a device such as /dev/zero never ends
                raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise fail("filen finns inte: kontrollera sökvägen") from None
    except (OSError, ValueError) as err:  # ValueError: standard input closed in this process
        reason = err if isinstance(err, OSError) else OSError(errno.EBADF, str(err))
        raise fail(os_problem(display, "filen kan inte läsas", reason).message) from None
    if len(raw) > MAX_BYTES:
        raise fail(f"filen är för stor (över {MAX_BYTES} byte): dela upp den eller korta den")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raise fail(f"filen är kodad som {name}: spara den som UTF-8", 1, 1)
    if raw.startswith(codecs.BOM_UTF8):  # allowed, and not part of the text (nor of its positions)
        raw = raw[len(codecs.BOM_UTF8):]
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line, col = _line_col_bytes(raw, at)
        raise fail("filen innehåller NUL-byte och ser ut att vara binär: ange en YAML-textfil", line, col)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _line_col_bytes(raw, err.start)
        raise fail(f"filen är inte UTF-8 (ogiltig byte 0x{raw[err.start]:02x} här): spara den som UTF-8 "
                   "(i Windows ofta sparad som Latin-1/ANSI)", line, col) from None
    first = _FIRST.search(text)  # when not "#", its line holds more than a comment: no need to look further
    if (first is None or first.group() == "#") and all(not ln.strip() or ln.lstrip().startswith("#")
                                                       for ln in text.splitlines()):
        raise fail("filen är tom: den ska innehålla en YAML-mappning (nyckel: värde)", 1, 1)
    return text


def _line_col_bytes(raw: bytes, at: int) -> Pos:
    """1-based line and column of byte `at`; the column counts the characters before it on its line."""
    start = raw.rfind(b"\n", 0, at) + 1
    return raw.count(b"\n", 0, at) + 1, len(raw[start:at].decode("utf-8", "replace")) + 1


def _line_col_text(text: str, at: int) -> Pos:
    start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at - start + 1


def parse(text: str, display: str) -> Document:
    """Compose `text` and build plain data with positions; raise YamlProblem on any defect."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        raise _syntax_problem(err, text, display) from None
    except yaml.reader.ReaderError as err:
        at = err.position
        if _BaseLoader.__name__ == "CSafeLoader":  # libyaml reports a byte offset into the UTF-8 text
            at = len(text.encode("utf-8")[:at].decode("utf-8", "ignore"))
        line, col = _line_col_text(text, at) if 0 <= at <= len(text) else (None, None)
        char = err.character if isinstance(err.character, str) else chr(err.character)
        raise _problem(display, line, col, f"otillåtet tecken U+{ord(char):04X} (styrtecken): ta bort det "
                                           "eller skriv det som escape-sekvens inom dubbla citattecken") from None
    except yaml.YAMLError as err:
        raise _problem(display, None, None, f"YAML kan inte läsas: {err}") from None
    if node is None:
        raise _problem(display, 1, 1, "filen är tom: den ska innehålla en YAML-mappning")
    doc = Document(display, None, text)
    doc.data = _Builder(doc).build(node, ())
    return doc


def display(path: Path, name: str | None = None) -> str:
    """The name of a case file in messages and outputs: `name` (default: the path as given), `<stdin>` for
    standard input, and any byte of it that is not UTF-8 shown as `\\xff`."""
    shown = STDIN_NAME if str(path) == STDIN else name or str(path)
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def load(path: Path, name: str | None = None) -> Document:
    """Read and parse the file at `path` (standard input for `-`), named as `display` says."""
    shown = display(path, name)
    return parse(read_text(path, shown), shown)


# --- syntax errors ------------------------------------------------------------------------------

_INDENT = "kontrollera indraget (blanksteg, lika många som raderna bredvid)"
# (substring of libyaml's context + problem, Swedish explanation and fix), most specific first
_SYNTAX: list[tuple[str, str]] = [
    ("tab", "tabbtecken får inte användas för indrag: ersätt tabben med blanksteg"),
    ("single document", "filen innehåller flera YAML-dokument (skilda av '---'): en ärendefil ska vara ett "
                        "enda dokument; ta bort '---' och det som inte hör till ärendet"),
    ("undefined alias", "aliaset (*namn) hänvisar till ett ankare (&namn) som inte finns före det: "
                        "rätta namnet eller definiera ankaret först"),
    ("duplicate anchor", "ankarnamnet (&namn) används två gånger: ge ankarna olika namn"),
    ("maximum nesting depth", f"för djup nästling (högst {MAX_DEPTH} nivåer tillåts): förenkla strukturen"),
    ("escape", "ogiltig escape-sekvens (\\…) inom dubbla citattecken: skriv \\\\ för ett bakstreck "
               "eller använd enkla citattecken"),
    ("quoted scalar", "texten inom citattecken avslutas aldrig: lägg till det avslutande citattecknet"),
    ("mapping values are not allowed", "oväntat kolon: " + _INDENT + ", eller skriv värdet inom "
                                       "citattecken om texten innehåller ': '"),
    ("could not find expected ':'", "kolon saknas efter nyckeln, eller texten fortsätter på en ny rad utan "
                                    "indrag: skriv `nyckel: värde` eller " + _INDENT),
    ("expected key", "hittade inte en nyckel där en väntades: " + _INDENT),
    ("expected '-'", "hittade inte nästa listpost ('- ') där en väntades: " + _INDENT),
    ("block sequence entries are not allowed", "listpost ('- ') på fel plats: " + _INDENT),
    ("expected ',' or ']'", "listan inom [ ] som börjar här avslutas inte: lägg till ']' och kontrollera "
                            "kommatecknen, eller skriv texten inom citattecken om den innehåller [ eller ,"),
    ("expected ',' or '}'", "mappningen inom { } som börjar här avslutas inte: lägg till '}' och kontrollera "
                            "kommatecknen, eller skriv texten inom citattecken om den innehåller { eller ,"),
    ("expected node content", "ett värde saknas eller börjar med ett tecken som inte får inleda ett värde: "
                              "skriv värdet inom citattecken"),
    ("cannot start any token", "tecknet får inte inleda ett värde (t.ex. @ eller `): skriv värdet inom "
                               "citattecken"),
    ("alphabetic or numeric character", "ogiltigt ankar- eller aliasnamn efter & eller *: skriv texten "
                                        "inom citattecken om & eller * hör till texten"),
    ("tag", "ogiltig YAML-tagg (!…): ta bort taggen eller skriv värdet inom citattecken"),
]


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, display: str) -> YamlProblem:
    original = " ".join(str(x) for x in (err.context, err.problem) if x)
    mark = err.problem_mark or err.context_mark
    detected = ""
    if "quoted scalar" in str(err.context) and "end of stream" in str(err.problem) and err.context_mark:
        mark = err.context_mark  # where the unterminated quote begins, not the end of the file
    in_flow = "flow sequence" in str(err.context) or "flow mapping" in str(err.context)
    if in_flow and err.context_mark is not None and err.problem_mark is not None:
        # report the unclosed [ or { where it opens; the parser notices only where something else begins
        mark = err.context_mark
        detected = f"; felet upptäcks på rad {err.problem_mark.line + 1}"
    found_tab = mark is not None and text[mark.index:mark.index + 1] == "\t"
    what = next((sv for needle, sv in _SYNTAX if needle in original.lower() + (" tab" if found_tab else "")),
                "rätta syntaxen (indrag, kolon, citattecken)")
    line, col = _pos(mark) if mark else (None, None)
    before = _token_before(text, mark.index) if mark is not None and mark is err.problem_mark else None
    if isinstance(before, yaml.ScalarToken) and before.end_mark.line > before.start_mark.line:
        first = before.start_mark.line + 1
        if before.style in ('"', "'"):
            what = (f"citattecknet ({before.style}) som börjar här avslutas inte på samma rad, och texten "
                    f"fortsätter till rad {line}, där YAML-felet upptäcks: lägg till det avslutande "
                    f"{before.style}")
            line, col = first, before.start_mark.column + 1
        elif before.plain and "mapping values are not allowed" in original and mark is not None:
            indent = [_indent(text, at) for at in (before.start_mark.index, mark.index)]
            if indent[1] > indent[0]:
                what = (f"raden är mer indragen än raden ovanför och läses därför som en fortsättning på "
                        f"värdet på rad {first}: ta bort de extra blanktecknen så att nycklarna står i "
                        "samma kolumn")
                col = indent[1] + 1
            else:
                what = (f"kolon saknas efter nyckeln, så raderna {first}–{line} läses som en enda text: "
                        "skriv `nyckel: värde`")
                line, col = first, before.start_mark.column + 1
    return _problem(display, line, col, f"YAML-syntaxfel: {what}{detected} ({original})")


def _indent(text: str, index: int) -> int:
    """Leading spaces of the line that holds position `index`."""
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    return len(text[start:index]) - len(text[start:index].lstrip(" "))


def _token_before(text: str, index: int) -> Any:
    """The last token that starts before position `index`, or None."""
    last: Any = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= index:
                break
            last = token
    except yaml.YAMLError:
        pass
    return last


# --- nodes to data ------------------------------------------------------------------------------


class _Builder:
    """Plain data from composed YAML, refusing what a case file may not hold; with `record`, also where
    each value and key stands (`Document.values`, `keys`, `sources`)."""

    def __init__(self, doc: Document, record: bool = False) -> None:
        self.doc = doc
        self.positions = doc._located() if record else None
        self.count = 0
        self.active: set[Node] = set()  # nodes hash by identity (PyYAML defines no equality for them)
        self.merged: dict[Node, dict[Any, tuple[Node, Node]]] = {}
        self.scalars = SafeConstructor()

    def fail(self, node: Node, message: str) -> YamlProblem:
        return _problem(self.doc.file, *_pos(node.start_mark), message)

    def tick(self, node: Node) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.too_many(node)

    def too_many(self, node: Node) -> YamlProblem:
        return self.fail(node, f"för många värden (över {MAX_NODES}): alias som expanderar exponentiellt "
                               "tillåts inte; skriv ut värdena i stället")

    def text(self, node: Node, depth: int) -> str | None:
        """A plain text scalar's value, counted, as `build` gives it but without its checks (most values of a
        case file, when no positions are recorded); None for any other node, which `build` must take."""
        if (self.positions is None and node.__class__ is ScalarNode and node.tag == _STR and depth <= MAX_DEPTH
                and self.count < MAX_NODES):
            self.count += 1
            value: str = node.value
            return value
        return None

    def build(self, node: Node, path: DataPath, depth: int = 0) -> Any:
        """The data of `node`; `path` is only kept (and built) when positions are recorded."""
        self.count += 1  # `tick`, without the call
        if self.count > MAX_NODES:
            raise self.too_many(node)
        if depth > MAX_DEPTH:
            raise self.fail(node, f"för djup nästling (över {MAX_DEPTH} nivåer): förenkla strukturen")
        scalar = isinstance(node, ScalarNode)  # a scalar is never an alias being built (`active`)
        if not scalar and node in self.active:
            raise self.fail(node, "rekursivt alias: ett ankare får inte referera till sig självt")
        tag = node.tag
        if tag not in _ALLOWED_TAGS:
            raise self.fail(node, f"otillåten YAML-tagg {short(node.tag)}: bara vanliga värden "
                                  "(text, tal, datum, listor, mappningar) tillåts; ta bort taggen")
        if tag in _COLLECTION_TAGS if scalar else tag != _COLLECTION_TAG[type(node)]:  # e.g. `!!seq text`
            raise self.fail(node, f"taggen {_shown(tag)} passar inte värdet ({_KIND[type(node)]}): ta bort taggen")
        positions = self.positions
        if positions is not None:
            positions[0][path] = _pos(node.start_mark)
        if isinstance(node, ScalarNode):
            if tag == _STR:  # most values, as `scalar` returns them, without the calls
                return node.value
            value = self.scalar(node)
            if positions is not None and not isinstance(value, str):
                positions[2][path] = node.value
            return value
        self.active.add(node)
        deeper = depth + 1
        try:
            if isinstance(node, SequenceNode):
                items = []
                for i, child in enumerate(node.value):
                    text = self.text(child, deeper)
                    items.append(text if text is not None else
                                 self.build(child, path if positions is None else (*path, i), deeper))
                return items
            if not isinstance(node, MappingNode):  # pragma: no cover - composer yields only these three
                raise self.fail(node, "okänd YAML-nod")
            out: dict[Any, Any] = {}
            for key, (key_node, value_node) in self.pairs(node).items():
                text = self.text(value_node, deeper)
                if text is not None:
                    out[key] = text
                    continue
                child = path if positions is None else (*path, key)
                if positions is not None:
                    positions[1][child] = _pos(key_node.start_mark)
                out[key] = self.build(value_node, child, deeper)
            return out
        finally:
            self.active.discard(node)

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:  # most values: what SafeConstructor.construct_yaml_str returns, without its calls
            return text
        if tag == _DATE:
            if _ISO_DATE.fullmatch(text):  # most dates: what SafeConstructor makes of them, without its calls
                try:
                    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
                except ValueError:
                    raise self.fail(node, f"ogiltigt datum {short(text)}: datumet finns inte; ange ett "
                                          "verkligt datum som ÅÅÅÅ-MM-DD") from None
            if not SafeConstructor.timestamp_regexp.match(text):  # possible only with an explicit tag
                raise self.fail(node, f"ogiltigt datum {short(text)}: ange datum som ÅÅÅÅ-MM-DD, eller ta bort "
                                      "taggen !!timestamp")
        if tag == _BOOL:  # what SafeConstructor gives, without its calls; a text it has no value for refused
            if text.lower() not in SafeConstructor.bool_values:
                raise self.fail(node, f"ogiltigt sanningsvärde {short(text)}: skriv true eller false, eller ta "
                                      "bort taggen !!bool")
            return SafeConstructor.bool_values[text.lower()]
        if tag == _NULL:  # likewise (PyYAML reads any text so tagged as null)
            if text not in ("", "~", "null", "Null", "NULL"):
                raise self.fail(node, f"taggen !!null passar inte värdet {short(text)}: ta bort taggen")
            return None
        if tag == _INT and text.isascii() and text.isdigit() and (text[0] != "0" or text == "0") and len(text) < 19:
            return int(text)  # a plain decimal: what SafeConstructor gives, without its calls
        try:
            value = self.scalars.construct_object(node)
        except Exception as err:  # PyYAML's conversion of a value its explicit tag does not fit raises
            # whatever the conversion happens to (ValueError; IndexError for an empty !!int or !!float)
            if node.tag == _DATE:
                raise self.fail(node, f"ogiltigt datum {short(node.value)}: datumet finns inte; ange ett "
                                      "verkligt datum som ÅÅÅÅ-MM-DD") from None
            if node.tag == _INT:
                raise self.fail(node, f"talet {short(node.value)} kan inte läsas (för långt eller felskrivet): "
                                      "skriv det inom citattecken om det är text") from None
            detail = err.problem if isinstance(err, ConstructorError) else err if isinstance(err, ValueError) else None
            raise self.fail(node, f"ogiltigt värde {short(node.value)}{f' ({detail})' if detail else ''}: skriv "
                                  "det inom citattecken om det är text") from None
        if isinstance(value, dt.datetime):
            raise self.fail(node, f"datum med klockslag {short(node.value)} tillåts inte: ange datum som "
                                  "ÅÅÅÅ-MM-DD utan klockslag")
        return value

    def pairs(self, node: MappingNode) -> dict[Any, tuple[Node, Node]]:
        """key -> (key node, value node) with merge keys (`<<: *anchor`) resolved.

        Keys written in the mapping win over merged ones; among merged mappings the first listed wins
        (YAML merge-key semantics, as PyYAML). Results are cached per node, so merged anchors cost
        their size once, and every merged key counts towards MAX_NODES.
        """
        if node in self.merged:
            return self.merged[node]
        own: dict[Any, tuple[Node, Node]] = {}
        merges: list[Node] = []
        merge_key: Node = node
        for key_node, value_node in node.value:
            if type(key_node) is ScalarNode and key_node.tag == _STR and key_node.value not in own:
                own[key_node.value] = (key_node, value_node)  # most keys, as `key` reads them, without the calls
                continue
            if key_node.tag == _TAG + "merge":
                if merge_key is not node:
                    raise self.fail(key_node, "nyckeln '<<' förekommer två gånger: slå ihop dem som "
                                              "`<<: [*a, *b]`")
                merge_key = key_node
                merges = list(value_node.value) if isinstance(value_node, SequenceNode) else [value_node]
                continue
            key = self.key(key_node)
            if key in own:
                first = own[key][0].start_mark.line + 1
                raise self.fail(key_node, f"nyckeln {short(key)} förekommer två gånger (första gången på rad "
                                          f"{first}): ta bort eller slå ihop den ena")
            own[key] = (key_node, value_node)
        if not merges:
            self.merged[node] = own
            return own
        out: dict[Any, tuple[Node, Node]] = {}
        added = node not in self.active
        self.active.add(node)
        try:
            for source in merges:
                if not isinstance(source, MappingNode):
                    raise self.fail(merge_key, "ogiltig sammanslagning (<<): värdet ska vara ett alias till en "
                                            "mappning (`<<: *namn`) eller en lista av sådana")
                if source in self.active:
                    raise self.fail(merge_key, "rekursivt alias: en mappning får inte slå ihop sig själv (<<)")
                for key, pair in self.pairs(source).items():
                    self.tick(source)
                    out.setdefault(key, pair)
        finally:
            if added:
                self.active.discard(node)
        out.update(own)
        self.merged[node] = out
        return out

    def key(self, node: Node) -> Key:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, "nycklar måste vara enkla värden, inte listor eller mappningar")
        if node.tag not in _ALLOWED_TAGS:
            raise self.fail(node, f"otillåten YAML-tagg {short(node.tag)} på en nyckel: ta bort taggen")
        key = self.scalar(node)
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise self.fail(node, f"nyckeln {short(node.value)} ska vara text: skriv den inom citattecken "
                                  "eller byt namn")
        return key
