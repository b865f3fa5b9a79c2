"""The rule-set cache (brocheck.rulecache): a hit gives the same rule set, and anything doubtful is rebuilt
or ignored, never read: a corrupt or stale file, one another user owns, one others may write."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from brocheck import rulecache
from brocheck.engine import assess
from brocheck.loader import LoadedCase
from brocheck.render import renderer
from brocheck.resources import data_dir
from brocheck.ruleset import RuleSet, _Loader


def _build(root: Path) -> RuleSet:
    return _Loader(root, str(root)).load()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache home for one test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "brocheck"


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the shipped rule set, free to edit."""
    return Path(shutil.copytree(data_dir("rules"), tmp_path / "rules"))


def _entry(rules: Path) -> Path:
    path = rulecache.entry(rules, str(rules))
    assert path is not None
    return path


def _calls(rules: Path) -> tuple[RuleSet, int]:
    """The rule set through the cache, and whether it had to be built (1) or came from the cache (0)."""
    built = []

    def build() -> RuleSet:
        built.append(1)
        return _build(rules)

    return rulecache.load(rules, str(rules), build), len(built)


def test_a_hit_renders_every_format_byte_identically(home: Path, rules: Path, boras: LoadedCase) -> None:
    fresh, built = _calls(rules)
    cached, again = _calls(rules)
    assert (built, again) == (1, 0)
    assert oct(home.stat().st_mode & 0o777) == oct(0o700)
    assert oct(_entry(rules).stat().st_mode & 0o777) == oct(0o600)
    for name in ("json", "markdown", "text", "sarif", "junit", "github", "overview"):
        assert renderer(name)([assess(cached, boras)]) == renderer(name)([assess(fresh, boras)]), name
    assert [p.rule for p in cached.order] == [p.rule for p in fresh.order]
    assert cached.derived == fresh.derived and cached.parameters == fresh.parameters


def test_a_corrupt_cache_file_is_rebuilt(home: Path, rules: Path) -> None:
    _calls(rules)
    path = _entry(rules)
    for damage in (path.read_bytes()[:1000], path.read_bytes()[:-1] + b"x", b""):
        path.write_bytes(damage)
        assert _calls(rules)[1] == 1
        assert _calls(rules)[1] == 0


def test_a_changed_rule_file_invalidates_the_cache(home: Path, rules: Path) -> None:
    _calls(rules)
    table = rules / "tabell-1-lagesbild.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("criterion:", "criterion:  ", 1), encoding="utf-8")
    assert _calls(rules)[1] == 1
    assert _calls(rules)[1] == 0


@pytest.mark.parametrize("mode", [0o620, 0o602])
def test_a_file_others_may_write_is_ignored(home: Path, rules: Path, mode: int) -> None:
    _calls(rules)
    os.chmod(_entry(rules), mode)
    assert rulecache.read(_entry(rules), rules) is None
    assert _calls(rules)[1] == 1  # rebuilt and written anew, privately
    assert _calls(rules)[1] == 0


def test_a_directory_others_may_write_is_neither_read_nor_written(home: Path, rules: Path) -> None:
    _calls(rules)
    os.chmod(home, 0o777)
    assert _calls(rules)[1] == 1
    assert _calls(rules)[1] == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_cache_owned_by_another_user_is_ignored(home: Path, rules: Path) -> None:
    _calls(rules)
    os.chown(_entry(rules), 4242, -1)
    assert _calls(rules)[1] == 1
    os.chown(home, 4242, -1)
    assert rulecache.read(_entry(rules), rules) is None
    assert _calls(rules)[1] == 1


def test_no_usable_cache_directory_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  rules: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _calls(rules)[1] == 1
    assert _calls(rules)[1] == 1


def test_an_invalid_rule_set_is_not_cached(home: Path, rules: Path) -> None:
    from brocheck.errors import RuleSetError

    (rules / "ruleset.yaml").write_text("unknown_rating: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleSetError):
            _calls(rules)
    assert not home.exists() or not list(home.iterdir())


def test_an_entry_replaces_the_earlier_ones_of_its_rule_set(home: Path, rules: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(rules, tmp_path / "other"))
    _calls(rules)
    _calls(other)
    stale = _entry(rules).with_name(_entry(rules).name.rsplit("-", 1)[0] + "-0123456789abcdef0123.bin")
    os.replace(_entry(rules), stale)  # as if written by an earlier brocheck
    assert _calls(rules)[1] == 1
    assert sorted(p.name for p in home.iterdir()) == sorted([_entry(rules).name, _entry(other).name])
