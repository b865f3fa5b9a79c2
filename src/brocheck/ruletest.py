"""Rule fixtures: small cases that state which outcome a rule must reach (`brocheck rules test`).

A fixture file is named after its rule (`<rule-id>.yaml`) and holds `rule:` and `cases:`. Each case
edits a base case (`patch:`, see `casepatch`), optionally pins the ratings of rules a roll-up reads
(`ratings:`), and states the expected outcome and rating (`expect:`), optionally text the comment
must contain and missing facts the "Kan ej bedömas" comment must name.

The base case is `base: NAME`, the file NAME.yaml in the base-case directory, or, when a case names
none, the default base case given to the run. One implementation serves the CLI and brocheck's own
test suite: `load` reads the fixture files, `problems` checks them against a rule set, `run_case`
runs one case, `run` runs them all and measures outcome coverage: the share of every rule's outcomes
(and its "Kan ej bedömas") that some passing fixture expects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from brocheck import casepatch, yamlsafe
from brocheck.engine import UNKNOWN_OUTCOME, Given, assess
from brocheck.errors import Problem
from brocheck.loader import LoadedCase, validate
from brocheck.ruleset import RuleSet


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Edit(_Strict):
    op: Literal["set", "remove", "append"]
    path: Annotated[str, Field(min_length=1)]
    value: Any = None

    @model_validator(mode="after")
    def _value_given(self) -> Edit:
        if self.op != "remove" and "value" not in self.model_fields_set:
            raise ValueError(f"{self.op} kräver value")
        return self


class Expect(_Strict):
    outcome: str
    rating: str
    comment_contains: list[str] = []
    comment_not_contains: list[str] = []
    missing_contains: list[str] = []


class CaseSpec(_Strict):
    name: Annotated[str, Field(min_length=1)]
    base: str | None = None
    patch: list[Edit] = []
    ratings: dict[str, str] = {}
    expect: Expect


class FixtureFile(_Strict):
    rule: str
    cases: Annotated[list[CaseSpec], Field(min_length=1)]


@dataclass(frozen=True)
class Fixture:
    """One case of a fixture file, with where it stands."""

    rule: str
    spec: CaseSpec
    doc: yamlsafe.Document
    index: int

    @property
    def id(self) -> str:
        return f"{Path(self.doc.file).stem}:{self.spec.name}"

    def problem(self, message: str, *path: str | int) -> Problem:
        return self.doc.problem(("cases", self.index, *path), message)


@dataclass
class Suite:
    fixtures: list[Fixture] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[tuple[str, yamlsafe.Document]] = field(default_factory=list)


def load(directory: Path) -> Suite:
    """Every `*.yaml` directly in `directory`, read and validated as fixture files."""
    suite = Suite()
    if not directory.is_dir():
        suite.problems.append(Problem(str(directory), None, None, "katalogen med regeltester finns inte: ange den "
                                                                  "med --fixtures"))
        return suite
    for path in sorted(directory.glob("*.yaml")):
        try:
            doc = yamlsafe.load(path)
        except yamlsafe.YamlProblem as err:
            suite.problems.append(err.problem)
            continue
        try:
            spec = FixtureFile.model_validate(doc.data)
        except ValidationError as err:
            suite.problems += [_problem(doc, e) for e in err.errors(include_url=False)]
            continue
        suite.files.append((spec.rule, doc))
        suite.fixtures += [Fixture(spec.rule, case, doc, i) for i, case in enumerate(spec.cases)]
    if not suite.files and not suite.problems:
        suite.problems.append(Problem(str(directory), None, None, "inga regeltester (*.yaml) i katalogen"))
    return suite


def _problem(doc: yamlsafe.Document, error: Any) -> Problem:
    from brocheck.loader import _message

    loc = tuple(error["loc"])
    where = ".".join(map(str, loc))
    if error["type"] == "missing":
        return doc.problem(loc[:-1], f"obligatoriskt fält `{where}` saknas: lägg till det")
    if error["type"] == "extra_forbidden":
        return doc.problem(loc, f"okänd nyckel `{loc[-1]}`: ett regeltest har rule och cases; ett fall name, base, "
                                "patch, ratings och expect (outcome, rating, comment_contains, comment_not_contains, "
                                "missing_contains)",
                           key=True)
    message = error["msg"].removeprefix("Value error, ") if error["type"] == "value_error" else \
        _message(error["type"], error, doc.sources.get(loc))
    return doc.problem(loc, f"`{where}`: {message}")


def problems(suite: Suite, ruleset: RuleSet, bases: Bases) -> list[Problem]:
    """What is wrong with the fixtures given the rule set: unknown rules, outcomes, ratings and bases."""
    out = list(suite.problems)
    ids = {p.rule.id: p for p in ruleset.placed}
    for rule, doc in suite.files:
        if rule not in ids:
            out.append(doc.problem(("rule",), f"okänd regel {rule!r}: ange id för en regel i regeluppsättningen"))
        elif Path(doc.file).stem != rule:
            out.append(doc.problem(("rule",), f"filen ska heta {rule}.yaml efter regeln den testar"))
    for f in suite.fixtures:
        placed = ids.get(f.rule)
        if placed is None:
            continue
        outcomes = [o.id for o in placed.rule.outcomes] + [UNKNOWN_OUTCOME]
        if f.spec.expect.outcome not in outcomes:
            out.append(f.problem(f"regeln {f.rule} har inget utfall {f.spec.expect.outcome!r} (finns: "
                                 f"{', '.join(outcomes)})", "expect", "outcome"))
        scale = [*ruleset.scales[placed.rule.scale], ruleset.not_applicable_rating, ruleset.unknown_rating]
        if f.spec.expect.rating not in scale:
            out.append(f.problem(f"bedömningen {f.spec.expect.rating!r} finns inte på skalan {placed.rule.scale}: "
                                 f"{', '.join(scale)}", "expect", "rating"))
        for pinned in f.spec.ratings:
            if pinned not in ids:
                out.append(f.problem(f"okänd regel {pinned!r} under ratings", "ratings", pinned))
        found = bases.find(f.spec.base)
        if isinstance(found, str):
            out.append(f.problem(found, "base") if f.spec.base is not None else f.problem(found))
    return sorted(set(out))


class Bases:
    """The base cases fixtures edit: `base: NAME` in `directory`, else the default; each read once."""

    def __init__(self, directory: Path | None, default: Path | None) -> None:
        self.directory = directory
        self.default = default
        self._data: dict[Path, dict[str, Any] | list[Problem]] = {}

    def find(self, name: str | None) -> Path | str:
        """The base case's file, or what is wrong."""
        if name is None:
            if self.default is None:
                return "fallet anger ingen base: ange base: NAMN eller ett standardärende med --base"
            return self.default
        if self.directory is None:
            return f"base: {name} kräver en katalog med basärenden (--cases)"
        path = self.directory / f"{name}.yaml"
        return path if path.is_file() else f"basärendet {name!r} finns inte: väntade filen {path}"

    def data(self, path: Path) -> dict[str, Any] | list[Problem]:
        if path not in self._data:
            try:
                doc = yamlsafe.load(path)
            except yamlsafe.YamlProblem as err:
                self._data[path] = [err.problem]
            else:
                loaded = validate(doc)
                self._data[path] = doc.data if isinstance(loaded, LoadedCase) else loaded
        return self._data[path]


@dataclass(frozen=True)
class Outcome:
    """How one fixture case went: `ok`, `fail` (another outcome) or `error` (the case could not run)."""

    fixture: Fixture
    status: Literal["ok", "fail", "error"]
    message: str = ""
    outcome: str | None = None

    @property
    def where(self) -> Problem:
        return self.fixture.problem(f"{self.fixture.spec.name}: {self.message}")


def run_case(ruleset: RuleSet, fixture: Fixture, bases: Bases) -> Outcome:
    spec = fixture.spec
    base = bases.find(spec.base)
    if isinstance(base, str):
        return Outcome(fixture, "error", base)
    data = bases.data(base)
    if isinstance(data, list):
        return Outcome(fixture, "error", f"basärendet {base} är ogiltigt: {data[0]}")
    try:
        edited = casepatch.apply(data, [e.model_dump(exclude_unset=True) for e in spec.patch])
    except casepatch.PatchError as err:
        return Outcome(fixture, "error", err.message)
    loaded = validate(yamlsafe.Document(fixture.id, edited))
    if isinstance(loaded, list):
        first = loaded[0].message
        return Outcome(fixture, "error", f"ärendet är ogiltigt efter ändringarna: {first}")
    result = assess(ruleset, loaded, {k: Given(v) for k, v in spec.ratings.items()}).results[fixture.rule]
    want = spec.expect
    wrong = []
    if (result.outcome, result.rating) != (want.outcome, want.rating):
        wrong.append(f"väntade utfallet {want.outcome} ({want.rating}), fick {result.outcome} ({result.rating}): "
                     f"{result.comment}")
    wrong += [f"kommentaren innehåller inte {text!r}: {result.comment}" for text in want.comment_contains
              if text not in result.comment]
    wrong += [f"kommentaren innehåller {text!r}: {result.comment}" for text in want.comment_not_contains
              if text in result.comment]
    wrong += [f"inget saknat faktum innehåller {text!r} (saknas: {', '.join(result.missing) or 'inget'})"
              for text in want.missing_contains if not any(text in m for m in result.missing)]
    return Outcome(fixture, "fail" if wrong else "ok", "; ".join(wrong), result.outcome)


@dataclass(frozen=True)
class Coverage:
    wanted: list[tuple[str, str, str]]
    """(row reference, rule id, outcome id) of every outcome, in report order."""
    reached: set[tuple[str, str]]
    """(rule id, outcome id) expected by a passing fixture."""

    @property
    def missed(self) -> list[tuple[str, str, str]]:
        return [w for w in self.wanted if (w[1], w[2]) not in self.reached]

    @property
    def percent(self) -> float:
        return 100.0 * (len(self.wanted) - len(self.missed)) / len(self.wanted) if self.wanted else 100.0


def coverage(ruleset: RuleSet, outcomes: list[Outcome]) -> Coverage:
    wanted = [(p.ref, p.rule.id, o) for p in ruleset.placed
              for o in [*(x.id for x in p.rule.outcomes), UNKNOWN_OUTCOME]]
    reached = {(o.fixture.rule, o.fixture.spec.expect.outcome) for o in outcomes if o.status == "ok"}
    return Coverage(wanted, reached)


def run(ruleset: RuleSet, suite: Suite, bases: Bases) -> tuple[list[Outcome], Coverage]:
    outcomes = [run_case(ruleset, f, bases) for f in suite.fixtures]
    return outcomes, coverage(ruleset, outcomes)
