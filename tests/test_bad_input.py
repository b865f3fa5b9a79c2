"""Bad input gets `file:line:col: what is wrong and how to fix it`, exit 2, no traceback, nothing written.

Most inputs are the Borås case with one small textual edit; the expected line and column are computed
from the edited text (`at`), never hard-coded, so the tests survive edits of the case file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from brocheck import yamlsafe
from brocheck.loader import load_case

from .conftest import BORAS, ROOT

TEXT = BORAS.read_text(encoding="utf-8")
Cli = Callable[..., tuple[int, str, str]]

def edit(old: str, new: str, text: str = TEXT) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the case text"
    return text.replace(old, new)


def at(text: str, needle: str, within: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of `within` (default: the start) inside the one occurrence of `needle`."""
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times in the edited text"
    i = text.index(needle) + (needle.index(within) if within else 0)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


@dataclass(frozen=True)
class Bad:
    text: str | bytes
    line: int | None  # None: a problem with the file as a whole (no position)
    col: int | None  # None: only the line is asserted (the column is not meaningful)
    message: str  # a key part of the message


def bad(text: str, needle: str, message: str, within: str | None = None, *, col: bool = True) -> Bad:
    line, column = at(text, needle, within)
    return Bad(text, line, column if col else None, message)


def _without_kommun() -> Bad:
    text = edit('kommun:\n  namn: Borås Stad\n  kod: "1490"\n  genitiv: Borås Stads\n', "")
    return bad(text, "granskning:\n", "obligatoriskt fält `kommun` saknas")


def _duplicate_kommun_key() -> Bad:
    text = edit("  genitiv: Borås Stads\n", "  genitiv: Borås Stads\n  namn: Borås\n")
    first, _ = at(text, "kommun:\n  namn: Borås Stad\n", "namn")
    return bad(text, "  namn: Borås\n", f"nyckeln 'namn' förekommer två gånger (första gången på rad {first})",
               "namn")


def _duplicate_section() -> Bad:
    text = TEXT + "kommun:\n  namn: Borås\n"
    first, _ = at(TEXT, "kommun:\n  namn")
    return bad(text, "kommun:\n  namn: Borås\n", f"nyckeln 'kommun' förekommer två gånger (första gången på rad "
                                                  f"{first})")


def _bomb() -> str:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    return "\n".join(rows) + "\n"


def _latin1() -> Bad:
    i = next(i for i, ch in enumerate(TEXT) if ord(ch) > 127)
    line = TEXT.count("\n", 0, i) + 1
    return Bad(TEXT.encode("latin-1", "replace"), line, i - TEXT.rfind("\n", 0, i), "inte UTF-8")


def _nul() -> Bad:
    text = edit('  kod: "1490"', '  kod: "14\x0090"')
    return Bad(text.encode(), *at(text, "\x00"), "NUL-byte")


CASES: list[Any] = [
    # --- duplicate keys -----------------------------------------------------------------------
    pytest.param(_duplicate_kommun_key(), id="duplicate-key"),
    pytest.param(_duplicate_section(), id="duplicate-top-level-section"),
    pytest.param(bad(edit("    typ: kommunfullmaktige\n", "    typ: kommunfullmaktige\n    typ: namnd\n"),
                     "kommunfullmaktige\n    typ: namnd\n", "nyckeln 'typ' förekommer två gånger", "typ"),
                 id="duplicate-key-in-list-item"),
    pytest.param(bad(edit("  genitiv: Borås Stads\n", "  <<: {genitiv: Borås}\n  <<: {genitiv: Borås Stads}\n"),
                     "  <<: {genitiv: Borås Stads}", "nyckeln '<<' förekommer två gånger", "<<"),
                 id="duplicate-merge-key"),
    # --- wrong types --------------------------------------------------------------------------
    pytest.param(bad(edit("    tills_vidare: true", '    tills_vidare: "ja"'), '"ja"',
                     "`overenskommelser[0].tills_vidare`: ska vara true eller false, inte 'ja'"),
                 id="string-for-bool"),
    pytest.param(bad(edit("    tills_vidare: true", "    tills_vidare: yes"), "tills_vidare: yes",
                     "ska vara true eller false, inte 'yes'", "yes"),
                 id="yaml11-yes-is-not-a-bool"),
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 20250320"), "20250320",
                     "`granskning.datum`: ogiltigt datum 20250320: ange datum som ÅÅÅÅ-MM-DD"),
                 id="number-for-date"),
    pytest.param(bad(edit("motesfrekvens_per_ar: 4", "motesfrekvens_per_ar: fyra"), "_ar: fyra",
                     "motesfrekvens_per_ar`: ska vara ett heltal, inte 'fyra'", "fyra"),
                 id="text-for-int"),
    pytest.param(bad(edit("motesfrekvens_per_ar: 4", "motesfrekvens_per_ar: 4.5"), "_ar: 4.5",
                     "ska vara ett heltal, inte 4.5", "4.5"),
                 id="float-for-int"),
    pytest.param(bad(edit('kommun:\n  namn: Borås Stad\n  kod: "1490"\n  genitiv: Borås Stads\n',
                          "kommun:\n  - Borås Stad\n"),
                     "  - Borås Stad", "`kommun`: ska vara en mappning (nyckel: värde), inte en lista", "-"),
                 id="list-for-mapping"),
    pytest.param(bad(edit("granskade_organ: [ks, fon]", "granskade_organ: {ks: fon}"), "{ks: fon}",
                     "`granskning.granskade_organ`: ska vara en lista"),
                 id="mapping-for-list"),
    pytest.param(bad(edit('  kod: "1490"', "  kod: 1490"), "1490",
                     "`kommun.kod`: ska vara text, inte 1490: skriv värdet inom citattecken"),
                 id="number-for-text"),
    pytest.param(bad(edit('  kod: "1490"', "  kod: 0123"), "0123",
                     "ska vara text, inte 83 (skrivet '0123')"),
                 id="octal-number-shown-as-written"),
    pytest.param(bad(edit("kommun:\n  namn: Borås Stad\n", "kommun:\n  namn:\n"), "  namn:\n  kod",
                     "`kommun.namn`: värdet saknas (tomt)", "\n"),
                 id="empty-value-for-text"),
    # --- invalid dates ------------------------------------------------------------------------
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 2025-13-01"), "2025-13-01",
                     "ogiltigt datum '2025-13-01': datumet finns inte"),
                 id="date-month-13"),
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 2025-02-30"), "2025-02-30",
                     "ogiltigt datum '2025-02-30'"),
                 id="date-february-30"),
    pytest.param(bad(edit("  datum: 2025-03-20", '  datum: "2025-03-20"'), '"2025-03-20"',
                     "ogiltigt datum '2025-03-20': ange datum som ÅÅÅÅ-MM-DD utan citattecken"),
                 id="date-quoted"),
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 2025-03-20T10:15:00"), "2025-03-20T10:15:00",
                     "datum med klockslag '2025-03-20T10:15:00' tillåts inte"),
                 id="datetime-with-time"),
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 2025-03-20 10:15:00"), "2025-03-20 10:15:00",
                     "utan klockslag"),
                 id="datetime-with-space"),
    # an explicit tag on a text that is not of its kind (these ended as an internal error, exit 3)
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: !!timestamp 2025-W12-4"), "!!timestamp",
                     "ogiltigt datum '2025-W12-4': ange datum som ÅÅÅÅ-MM-DD, eller ta bort taggen !!timestamp"),
                 id="tagged-date-not-a-date"),
    pytest.param(bad(edit("    tills_vidare: true", "    tills_vidare: !!bool ja"), "!!bool",
                     "ogiltigt sanningsvärde 'ja': skriv true eller false, eller ta bort taggen !!bool"),
                 id="tagged-bool-not-a-bool"),
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 0001-01-01"), "0001-01-01",
                     "`granskning.datum`: datumet 0001-01-01 är för tidigt: granskningsdatum ska vara minst "
                     "2023-07-01, då lagen (2023:196) trädde i kraft; rätta datumet"),
                 id="as-of-date-year-1"),
    pytest.param(bad(edit("  datum: 2025-03-20", "  datum: 2023-06-30"), "2023-06-30",
                     "datumet 2023-06-30 är för tidigt"),
                 id="as-of-date-before-the-law"),
    pytest.param(bad(edit("  - id: ks-2020-11-09-425\n    organ: ks\n    datum: 2020-11-09",
                          "  - id: ks-2020-11-09-425\n    organ: ks\n    datum: 9999-11-09"), "9999-11-09",
                     "datumet 9999-11-09 är orimligt: ska vara högst 2099-12-31; rätta årtalet"),
                 id="decision-date-year-9999"),
    # --- unknown keys and enum typos ----------------------------------------------------------
    pytest.param(bad(edit("  - id: boras-stad\n    namn: Borås Stad", "  - id: boras-stad\n    namm: Borås Stad"),
                     "    namm: Borås Stad", "okänd nyckel `namm` i `organ[0]`: menade du `namn`?", "namm"),
                 id="unknown-key-typo"),
    pytest.param(bad(edit("\ngranskning:\n", "\ngranskningar:\n"), "granskningar:",
                     "okänd nyckel `granskningar` på översta nivån: menade du `granskning`?"),
                 id="unknown-top-level-key"),
    pytest.param(bad(edit("    typ: kommunfullmaktige\n", "    typ: kommunfullmäktige\n"), "typ: kommunfullmäktige",
                     "`organ[1].typ`: ogiltigt värde 'kommunfullmäktige' (menade du 'kommunfullmaktige'?)",
                     "kommunfullmäktige"),
                 id="enum-typo"),
    pytest.param(bad(edit("  - id: prot-ks-2017-01-30-33\n    typ: protokoll",
                          "  - id: prot-ks-2017-01-30-33\n    typ: protokol"), "protokol\n",
                     "ogiltigt värde 'protokol' (menade du 'protokoll'?): tillåtna värden är"),
                 id="enum-typo-source-type"),
    # --- references and ids -------------------------------------------------------------------
    pytest.param(bad(edit("  - id: fon-2023-11-21-p4\n    organ: fon", "  - id: fon-2023-11-21-p4\n    organ: fonn"),
                     "organ: fonn", "okänt organ 'fonn'", "fonn"),
                 id="dangling-decision-body"),
    pytest.param(bad(edit("      - organisation: miljof", "      - organisation: miljo"), "organisation: miljo ",
                     "okänt organ eller okänd aktör 'miljo'", "miljo"),
                 id="dangling-member-organisation"),
    pytest.param(bad(edit("granskade_organ: [ks, fon]", "granskade_organ: [ks, fom]"), "fom]",
                     "okänt organ 'fom': rätta id:t eller lägg till posten under `organ`"),
                 id="dangling-reviewed-body"),
    pytest.param(bad(edit("    kallor: [sd-reglemente-fon-1-2]\n  - id: ifo",
                          "    kallor: [sd-reglemente-fon-1-3]\n  - id: ifo"),
                     "sd-reglemente-fon-1-3",
                     "okänd källa 'sd-reglemente-fon-1-3': rätta id:t eller lägg till posten under `kallor`"),
                 id="dangling-source-in-kallor"),
    pytest.param(bad(edit("  - id: kf\n", "  - id: ks\n"), "  - id: ks\n    namn: Kommunstyrelsen",
                     "id 'ks' förekommer mer än en gång", "ks"),
                 id="duplicate-id"),
    # --- YAML syntax --------------------------------------------------------------------------
    pytest.param(bad(edit('  kod: "1490"', '    kod: "1490"'), '    kod: "1490"',
                     "raden är mer indragen än raden ovanför", "kod"),
                 id="indentation-too-deep"),
    pytest.param(bad(edit('  kod: "1490"', ' kod: "1490"'), ' kod: "1490"',
                     "YAML-syntaxfel: hittade inte en nyckel där en väntades", "kod"),
                 id="indentation-too-shallow"),
    pytest.param(bad(edit("  namn: Borås Stad\n  kod", "  namn Borås Stad\n  kod"), "  namn Borås Stad",
                     "kolon saknas efter nyckeln", "namn"),
                 id="missing-colon"),
    pytest.param(bad(edit('  kod: "1490"', '  kod: "1490'), '"1490',
                     "citattecknet (\") som börjar här avslutas inte på samma rad"),
                 id="unclosed-quote"),
    pytest.param(bad(TEXT + 'extra: "slut\n', '"slut', "texten inom citattecken avslutas aldrig"),
                 id="unclosed-quote-at-end-of-file"),
    pytest.param(bad(edit('  kod: "1490"', '\tkod: "1490"'), '\tkod: "1490"', "tabbtecken får inte användas"),
                 id="tab-indentation"),
    pytest.param(bad(edit("kommun:\n  namn", "kommun:\n\tnamn"), "\tnamn", "tabbtecken får inte användas"),
                 id="tab-starting-a-block"),
    pytest.param(bad(edit("granskade_organ: [ks, fon]", "granskade_organ: [ks, fon"), "[ks, fon\n",
                     "listan inom [ ] som börjar här avslutas inte"),
                 id="unclosed-flow-list"),
    pytest.param(bad(TEXT + "---\nkommun: {namn: X}\n", "---\nkommun: {", "flera YAML-dokument"),
                 id="multiple-documents"),
    pytest.param(bad(edit("kommun:\n  namn: Borås Stad\n", 'kommun:\n  namn: "Borås \x07Stad"\n'), "\x07",
                     "otillåtet tecken U+0007"),
                 id="control-character"),
    # --- unsafe tags --------------------------------------------------------------------------
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: !!python/name:os.system"), "!!python",
                     "otillåten YAML-tagg 'tag:yaml.org,2002:python/name:os.system'"),
                 id="python-name-tag"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: !foo Borås Stads"), "!foo",
                     "otillåten YAML-tagg '!foo'"),
                 id="custom-tag"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: !!binary Qm9yw6Vz"), "!!binary",
                     "otillåten YAML-tagg"),
                 id="binary-tag"),
    # --- aliases and nesting ------------------------------------------------------------------
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: &g [*g]"), "&g", "rekursivt alias"),
                 id="recursive-alias"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: &g\n    x:\n      <<: *g"), "<<: *g",
                     "rekursivt alias: en mappning får inte slå ihop sig själv"),
                 id="recursive-merge"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: " + "[" * 100 + "]" * 100), "genitiv: [[",
                     "för djup nästling (över 64 nivåer)", col=False),
                 id="deep-nesting"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: " + "[" * 5000 + "]" * 5000), "genitiv: [[",
                     "för djup nästling", col=False),
                 id="deep-nesting-beyond-libyaml"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  genitiv: &s Borås\n  <<: *s"), "<<: *s",
                     "ogiltig sammanslagning (<<)"),
                 id="merge-of-a-scalar"),
    # --- keys ---------------------------------------------------------------------------------
    pytest.param(bad(edit("  genitiv: Borås Stads", "  2025-01-01: Borås Stads"), "2025-01-01:",
                     "nyckeln '2025-01-01' ska vara text: skriv den inom citattecken"),
                 id="date-as-key"),
    pytest.param(bad(edit("  genitiv: Borås Stads", "  [a, b]: Borås Stads"), "[a, b]",
                     "nycklar måste vara enkla värden"),
                 id="list-as-key"),
    # --- required fields ----------------------------------------------------------------------
    pytest.param(_without_kommun(), id="missing-kommun"),
    pytest.param(bad(edit('  kod: "1490"\n', ""), "kommun:\n  namn: Borås Stad",
                     "obligatoriskt fält `kommun.kod` saknas", "namn"),
                 id="missing-nested-field"),
    # --- not a case file at all ---------------------------------------------------------------
    pytest.param(Bad("", 1, 1, "filen är tom"), id="empty-file"),
    pytest.param(Bad("  \n\n\t\n   \n", 1, 1, "filen är tom"), id="whitespace-only"),
    pytest.param(Bad("# bara kommentarer\n   # och en till\n\n", 1, 1, "filen är tom"), id="comments-only"),
    pytest.param(Bad("\ufeff# bara kommentarer\n", 1, 1, "filen är tom"), id="bom-and-comments-only"),
    pytest.param(Bad("# en kommentar\rkommun: x\n", 2, 1, "obligatoriskt fält `granskning` saknas"),
                 id="comment-then-mapping-after-a-lone-CR"),
    # a UTF-8 byte order mark is allowed and not part of the text: positions count from after it
    pytest.param(Bad(codecs.BOM_UTF8 + b"kommun: \xff\n", 1, 9, "filen är inte UTF-8 (ogiltig byte 0xff"),
                 id="bom-then-invalid-byte"),
    pytest.param(Bad(codecs.BOM_UTF8 + TEXT.replace("  datum: 2025-03-20", "  datum: 2025-13-01").encode(),
                     *at(TEXT.replace("  datum: 2025-03-20", "  datum: 2025-13-01"), "2025-13-01"),
                     "ogiltigt datum '2025-13-01'"),
                 id="bom-then-bad-date"),
    pytest.param(Bad("---\n", 2, 1, "filen innehåller inget värde"), id="document-marker-only"),
    pytest.param(Bad("- kommun\n- granskning\n", 1, 1, "filen innehåller en lista: en ärendefil ska vara en mappning"),
                 id="top-level-list"),
    pytest.param(Bad("Borås Stad\n", 1, 1, "filen innehåller ett enkelt värde ('Borås Stad')"), id="top-level-scalar"),
    pytest.param(_nul(), id="binary-nul-bytes"),
    pytest.param(Bad(bytes(range(256)) * 4, 1, 1, "NUL-byte"), id="binary-all-bytes"),
    pytest.param(_latin1(), id="latin-1"),
    pytest.param(Bad(TEXT.encode("utf-16"), 1, 1, "UTF-16: spara den som UTF-8"), id="utf-16"),
]


def _write(tmp_path: Path, content: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def _assert_reported(err: str, path: Path, case: Bad) -> None:
    assert "Traceback" not in err and "internt fel" not in err, err
    lines = err.splitlines()
    assert lines, "no message on stderr"
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}(:\d+:\d+)?: \S", line), f"not `file:line:col: ...`: {line!r}"
    if case.line is None:
        prefix = f"{path}: "
    else:
        prefix = f"{path}:{case.line}:{case.col}: " if case.col else f"{path}:{case.line}:"
    hits = [line for line in lines if line.startswith(prefix) and case.message in line]
    assert hits, f"expected a line starting {prefix!r} containing {case.message!r}; got:\n{err}"


@pytest.mark.parametrize("case", CASES)
def test_check_reports_position_and_fix(cli: Cli, tmp_path: Path, case: Bad) -> None:
    path = _write(tmp_path, case.text)
    code, out, err = cli("check", str(path))
    assert code == 2, (out, err)
    assert out == ""
    _assert_reported(err, path, case)


@pytest.mark.parametrize("case", CASES)
def test_assess_writes_nothing(cli: Cli, tmp_path: Path, case: Bad) -> None:
    path = _write(tmp_path, case.text)
    target = tmp_path / "rapport.md"
    code, out, err = cli("assess", str(path), "--output", str(target))
    assert code == 2, (out, err)
    assert out == ""
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["case.yaml"], "a temporary file was left behind"
    _assert_reported(err, path, case)


def test_valid_case_passes(cli: Cli) -> None:
    """The base of every edit above is itself valid, so each test sees exactly its own defect."""
    code, out, err = cli("check", str(BORAS))
    assert (code, out, err) == (0, f"{BORAS}: OK\n", "")


# --- merge keys still work ----------------------------------------------------------------------


def test_merge_keys_work_and_explicit_keys_win(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    # the first mapping of a merge list wins over later ones; keys written in the mapping win over all
    text = edit('kommun:\n  namn: Borås Stad\n  kod: "1490"\n',
                'kommun:\n  <<: [{kod: "1490"}, {kod: "9999", namn: Fel namn}]\n  namn: Borås Stad\n')
    assert yamlsafe.parse(text, "merged.yaml").data == boras_data
    path = _write(tmp_path, text)
    assert cli("check", str(path)) == (0, f"{path}: OK\n", "")


def test_merge_key_from_anchor_in_same_file(cli: Cli, tmp_path: Path, boras_data: dict[str, Any]) -> None:
    # typ and titel come from the anchored source; id, datum and paragraf are the entry's own
    text = edit("  - id: prot-ks-2020-11-09-425\n", "  - &ks-prot\n    id: prot-ks-2020-11-09-425\n")
    text = edit("  - id: prot-ks-2024-12-09-378\n    typ: protokoll\n    titel: Kommunstyrelsens protokoll\n",
                "  - <<: *ks-prot\n    id: prot-ks-2024-12-09-378\n", text)
    assert yamlsafe.parse(text, "merged.yaml").data == boras_data
    path = _write(tmp_path, text)
    assert cli("check", str(path))[0] == 0


def test_error_in_overriding_key_points_at_the_override(cli: Cli, tmp_path: Path) -> None:
    text = edit('kommun:\n  namn: Borås Stad\n  kod: "1490"\n',
                'kommun:\n  <<: {namn: Borås Stad, kod: "1490"}\n  kod: 1490\n')
    path = _write(tmp_path, text)
    code, _, err = cli("check", str(path))
    assert code == 2
    _assert_reported(err, path, bad(text, "  kod: 1490", "`kommun.kod`: ska vara text, inte 1490", "1490"))


def test_error_in_merged_value_points_where_it_is_written(cli: Cli, tmp_path: Path) -> None:
    text = edit('kommun:\n  namn: Borås Stad\n  kod: "1490"\n',
                'kommun:\n  <<: &k {namn: Borås Stad, kod: 1490}\n')
    path = _write(tmp_path, text)
    code, _, err = cli("check", str(path))
    assert code == 2
    _assert_reported(err, path, bad(text, "kod: 1490}", "ska vara text, inte 1490", "1490"))


# --- alias bombs fail fast ----------------------------------------------------------------------


def test_billion_laughs_fails_fast(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, _bomb())
    code, out, err = cli("check", str(path))
    assert code == 2 and out == ""  # bounded work: the node budget stops expansion (timed in benchmarks/)
    _assert_reported(err, path, Bad("", 1, None, "för många värden (över 100000): alias som expanderar"))


def test_merge_key_bomb_fails_fast(cli: Cli, tmp_path: Path) -> None:
    """Merges of merges stay linear: each level merges nine aliases of the level below."""
    inner = "{x: 1, y: 2}"
    for level in range(12):
        inner = f"{{<<: [&m{level} {inner}{f', *m{level}' * 8}]}}"
    path = _write(tmp_path, f"kommun: {inner}\n")
    code, out, err = cli("check", str(path))
    assert (code, out) == (2, "")
    _assert_reported(err, path, Bad("", 1, 1, "obligatoriskt fält `granskning` saknas"))


# --- files that are not files -------------------------------------------------------------------


def test_missing_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "finns-inte.yaml"
    code, out, err = cli("check", str(path))
    assert (code, out) == (2, "")
    assert err == f"{path}: filen finns inte: kontrollera sökvägen\n"


def test_missing_file_assess_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "ut.md"
    code, out, err = cli("assess", str(tmp_path / "finns-inte.yaml"), "--output", str(target))
    assert (code, out) == (2, "")
    assert "filen finns inte" in err
    assert not target.exists()


def test_too_large_file(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, TEXT + "#" * (yamlsafe.MAX_BYTES - len(TEXT.encode()) + 1) + "\n")
    code, out, err = cli("check", str(path))
    assert (code, out) == (2, "")
    assert err == f"{path}: filen är för stor (över {yamlsafe.MAX_BYTES} byte): dela upp den eller korta den\n"


def test_endless_device_is_not_read_to_the_end(cli: Cli) -> None:
    code, out, err = cli("check", "/dev/zero")
    assert (code, out) == (2, "")
    assert err.startswith("/dev/zero: filen är för stor")


def test_empty_directory_as_case(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("check", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path}: inga *.yaml- eller *.yml-filer i katalogen: ange en katalog med ärendefiler\n"


def test_directory_given_to_the_loader(tmp_path: Path) -> None:
    result = load_case(tmp_path, "katalog")
    assert isinstance(result, list)
    assert [str(p) for p in result] == ["katalog: är en katalog, inte en fil: ange en YAML-fil (eller använd "
                                        "en katalog där det stöds)"]


def test_directory_with_a_bad_case_names_the_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(TEXT, encoding="utf-8")
    broken = _write(tmp_path, edit("  datum: 2025-03-20", "  datum: 2025-13-01"), "trasig.yaml")
    target = tmp_path / "ut" / "rapport.md"
    target.parent.mkdir()
    code, out, err = cli("check", str(tmp_path))
    assert code == 2
    assert out == f"{tmp_path / 'ok.yaml'}: OK\n"
    line, col = at(broken.read_text(encoding="utf-8"), "2025-13-01")
    assert err.startswith(f"{broken}:{line}:{col}: ogiltigt datum '2025-13-01'")
    code, out, err = cli("assess", str(tmp_path), "--output", str(target))
    assert (code, out) == (2, "")
    assert not target.exists()
    assert f"{broken}:{line}:{col}:" in err


# --- several files ------------------------------------------------------------------------------


def test_check_several_files(cli: Cli, tmp_path: Path) -> None:
    minimal = ROOT / "tests" / "cases" / "minimal.yaml"
    text = edit("    typ: kommunfullmaktige\n", "    typ: fullmaktige\n")
    broken = _write(tmp_path, text, "trasig.yaml")
    empty = _write(tmp_path, "", "tom.yaml")
    code, out, err = cli("check", str(BORAS), str(broken), str(minimal), str(empty))
    assert code == 2
    assert out.splitlines() == [f"{BORAS}: OK", f"{minimal}: OK"]
    line, col = at(text, "fullmaktige\n")
    first, second = err.splitlines()
    assert first.startswith(f"{broken}:{line}:{col}: `organ[1].typ`: ogiltigt värde 'fullmaktige' "
                            "(menade du 'kommunfullmaktige'?): tillåtna värden är 'kommun', ")
    assert second == f"{empty}:1:1: filen är tom: den ska innehålla en YAML-mappning (nyckel: värde)"
    assert cli("check", str(BORAS), str(minimal)) == (0, f"{BORAS}: OK\n{minimal}: OK\n", "")


def test_every_problem_in_a_file_is_reported_in_order(cli: Cli, tmp_path: Path) -> None:
    text = edit("  datum: 2025-03-20", '  datum: "2025-03-20"')
    text = edit("motesfrekvens_per_ar: 4", "motesfrekvens_per_ar: fyra", text)
    path = _write(tmp_path, text)
    code, _, err = cli("check", str(path))
    assert code == 2
    expected = [at(text, '"2025-03-20"'), at(text, "_ar: fyra", "fyra")]
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == [f"{path}:{ln}:{col}" for ln, col in expected]


def test_unsafe_tag_is_never_executed(cli: Cli, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = edit("  genitiv: Borås Stads", f'  genitiv: !!python/object/apply:os.system ["touch {marker}"]')
    path = _write(tmp_path, text)
    code, _, err = cli("check", str(path))
    assert code == 2
    assert not marker.exists()
    _assert_reported(err, path, bad(text, "!!python", "otillåten YAML-tagg "
                                                      "'tag:yaml.org,2002:python/object/apply:os.system'"))


def test_tags_resolve_as_pyyaml_resolves_them() -> None:
    """yamlsafe's loader answers libyaml's per-node questions from C (no path resolvers, a cache of tags):
    every node of every shipped and test case, and of tricky plain scalars, gets the tag PyYAML's own
    resolution gives with brocheck's tables."""
    import yaml

    from brocheck import yamlsafe

    class Reference(yamlsafe._BaseLoader):
        yaml_implicit_resolvers = yamlsafe._Loader.yaml_implicit_resolvers

    assert yamlsafe._Loader.yaml_path_resolvers == {}  # what makes descend/ascend no-ops and tags a function
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "cases").glob("*.yaml"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "cases").glob("*.yaml"))]
    texts.append("a: [yes, no, on, 'true', true, False, 0x1f, 1_000, 1e3, .inf, ~, null, '', 2024-02-29, =, 12:30]")

    def tags(node: Any) -> list[tuple[Any, ...]]:
        if isinstance(node, yaml.ScalarNode):
            return [(node.value, node.style, node.tag)]
        items = node.value if isinstance(node, yaml.SequenceNode) else [x for kv in node.value for x in kv]
        return [(type(node).__name__, node.tag), *(t for item in items for t in tags(item))]

    for text in texts:
        assert tags(yaml.compose(text, Loader=yamlsafe._Loader)) == tags(yaml.compose(text, Loader=Reference))


_TAGS = ["!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!timestamp"]
_VALUES = ["foo", "1", "1.5", "0", "0123", "1_000", "+7", "9" * 5000, "true", "TRUE", "off", "~", "null", "2024-01-01",
           "2024-02-30", "2024-W01-1", "''", "[]", "{}", "[a]", "{a: 1}"]


@pytest.mark.parametrize("tag", _TAGS)
def test_an_explicit_tag_reads_as_pyyaml_reads_it_or_is_refused(tag: str) -> None:
    """A standard tag before any kind of value: the value PyYAML's safe loader makes of it, or a problem at
    the value (never an internal error: `!!int ''`, `!!bool ja` and `!!timestamp 2024-W01-1` raised
    IndexError, KeyError and AttributeError), and never a value PyYAML refuses or reads otherwise
    (`!!seq foo` was an empty list: a recorded none where the file says something else)."""
    import yaml

    for value in _VALUES:
        text = f"a: {tag} {value}\n"
        try:
            got = yamlsafe.parse(text, "x.yaml").data
        except yamlsafe.YamlProblem as err:
            assert (err.problem.line, err.problem.col) == (1, 4), text
            continue
        assert got == yaml.safe_load(text), text
        if tag == "!!null":
            assert value in ("~", "null", "''"), f"{text!r}: !!null on a value that is not null"
