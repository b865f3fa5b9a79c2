"""The case schema's validator from the cache (brocheck.schemacache) checks exactly what Pydantic's own does:
the same instances for valid cases, the same errors for invalid ones; anything doubtful is rebuilt."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from brocheck import cache, schemacache
from brocheck.schema import Case

from .conftest import BORAS, ROOT, load_generate


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], Any]]:
    """A function giving the validator as a later run gets it: read from a cache written by a first run."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    schemacache.case_validator.cache_clear()
    schemacache.case_validator()  # the first run: built by Pydantic and stored

    def later_run() -> Any:
        schemacache.case_validator.cache_clear()
        return schemacache.case_validator()

    yield later_run
    schemacache.case_validator.cache_clear()


def _entry() -> Path:
    path = cache.entry("schema", "Case", schemacache.FORMAT)
    assert path is not None
    return path


def _outcome(validate: Callable[[Any], Any], data: Any) -> Any:
    try:
        return ("ok", validate(data))
    except ValidationError as err:
        return ("error", err.errors(include_url=False))


def _variants() -> Iterator[tuple[str, Any]]:
    boras = yaml.safe_load(BORAS.read_text(encoding="utf-8"))
    yield "boras", boras
    yield "minimal", yaml.safe_load((ROOT / "tests" / "cases" / "minimal.yaml").read_text(encoding="utf-8"))
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))[:20]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "kommun" in data:
            yield path.stem, data
    generate = load_generate()
    for i, name in enumerate(generate.municipality_names(7, 6)):
        yield f"generated-{i}", generate.generate_case(7, i, name)
    broken: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("no kommun", lambda d: d.pop("kommun")),
        ("extra key", lambda d: d.__setitem__("okand", 1)),
        ("bad enum", lambda d: d["organ"][0].__setitem__("typ", "okand-typ")),
        ("date as text", lambda d: d["granskning"].__setitem__("datum", "2025-03-01")),
        ("date out of range", lambda d: d["granskning"].__setitem__("datum", dt.date(2200, 1, 1))),
        ("decision date out of range", lambda d: d["beslut"][0].__setitem__("datum", dt.date(1899, 12, 31))),
        ("wrong type", lambda d: d.__setitem__("organ", "inte en lista")),
        ("bool as text", lambda d: d["organ"][0].__setitem__("brottsforebyggande", "ja")),
        ("leds_av list", lambda d: d["organ"][1].__setitem__("leds_av", [d["organ"][0]["id"]])),
    ]
    for name, damage in broken:
        data = copy.deepcopy(boras)
        damage(data)
        yield name, data


@pytest.mark.parametrize(("name", "data"), list(_variants()), ids=lambda v: v if isinstance(v, str) else "")
def test_the_cached_validator_checks_what_pydantic_checks(cached: Callable[[], Any], name: str, data: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Case, "model_rebuild", _fail)  # a hit builds nothing
    validator = cached()
    mine, theirs = _outcome(validator.validate_python, data), _outcome(Case.model_validate, data)
    assert mine == theirs
    if mine[0] == "ok":
        assert mine[1].model_dump() == theirs[1].model_dump()
        assert mine[1].model_fields_set == theirs[1].model_fields_set


def _fail(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the validator was built, not read from the cache")


def test_a_corrupt_or_foreign_entry_is_rebuilt(cached: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    path = _entry()
    original = Case.model_rebuild
    rebuilt: list[int] = []
    for damage in (path.read_bytes()[:500], path.read_bytes()[:-1] + b"x", b""):
        path.write_bytes(damage)
        rebuilt.clear()
        monkeypatch.setattr(Case, "model_rebuild", lambda **kw: rebuilt.append(1) or original(**kw))
        cached()
        assert rebuilt == [1]
        monkeypatch.setattr(Case, "model_rebuild", _fail)
        cached()  # stored anew: the next run reads it
    path.chmod(0o646)
    monkeypatch.setattr(Case, "model_rebuild", lambda **kw: None)
    assert cache.read(path, schemacache.FORMAT) is None


def test_an_entry_pydantic_core_refuses_is_rebuilt(cached: Callable[[], Any]) -> None:
    """An intact file (its digest matches) whose schema pydantic-core cannot compile, as from a brocheck
    whose layout differed under the same key: rebuilt, never an internal error."""
    import marshal

    cache.write(_entry(), schemacache.FORMAT, marshal.dumps(schemacache.encode(({"type": "no-such-type"}, {}))))
    assert cached().validate_python(yaml.safe_load(BORAS.read_text(encoding="utf-8"))).kommun.kod == "1490"


def test_the_case_schema_is_stored(cached: Callable[[], Any]) -> None:
    """The first run stores the core schema: every object in it can be named (a default factory the cache
    could not name left the schema uncached, and every run built it anew, unnoticed by the tests above)."""
    assert cache.read(_entry(), schemacache.FORMAT) is not None
    assert schemacache.decode(schemacache.encode([list, dict])) == [list, dict]


def test_what_the_cache_cannot_name_is_refused() -> None:
    for value in (lambda: None, object(), Path("x"), {"a": {1, 2}}):
        with pytest.raises(ValueError):
            schemacache.encode(value)
    assert schemacache.decode(schemacache.encode({"t": (1, "a"), "l": [None, True]})) == {"t": (1, "a"),
                                                                                        "l": [None, True]}
