"""Loading the declarative rule set: `rules/ruleset.yaml` and the files it names.

Everything is validated once per process: the YAML structure (Pydantic), every expression against
the case schema (`expr.Node.check`), every Jinja text (syntax and the names it uses), the rules each
roll-up reads (known ids, no cycles). Any defect is a `RuleSetError` listing `file:line:col` problems.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from brocheck import expr, yamlsafe
from brocheck.errors import Problem, RuleSetError
from brocheck.expr import codegen
from brocheck.resources import rules_dir, shipped_rules
from brocheck.schema import Case
from brocheck.text import environment, squash

if TYPE_CHECKING:
    import jinja2

    from brocheck.expr.language import Expr
    from brocheck.recommendations import RecommendationDef

RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
QUESTIONS_TABLE = 5
"""The table of revision questions, whose rows are referred to as Q1, Q2, …"""
TEMPLATE_GLOBALS = {"case", "asof", "missing", "rating", "namn", "organ", "kommentar", "results", "rules", "rule"}
GLOBAL_TYPES: dict[str, Any] = {"case": Case, "asof": dt.date, "missing": list[str]}
"""The static types of the template globals that have one (the others are functions: Any)."""


class Text:
    """A rule text: parsed and checked when the rules load, compiled to Python on its first use (a run
    renders only some of the texts), and kept as `text` after its first rendering when it reads no names
    at all, since it then says the same for every case. From brocheck's cache (brocheck.rulecache) it
    comes already compiled: `code` gives the code object Jinja compiled the text to."""

    def __init__(self, ast: jinja2.nodes.Template | None, reads: frozenset[str],
                 code: Callable[[], CodeType] | None = None) -> None:
        self.ast = ast
        self.reads = reads
        """Every name the text reads from its context (facts, template globals, Jinja's globals)."""
        self.text: str | None = None
        """The rendered text of a constant template, once rendered, its whitespace collapsed (`squash`)."""
        self._load = code
        self._code: CodeType | None = None
        self._template: jinja2.Template | None = None
        self.rendered: dict[tuple[Any, ...], str] = {}
        """Renderings by the values they were rendered for (`render`'s `same`)."""

    @property
    def code(self) -> CodeType:
        """The text compiled to Python by Jinja (once; read from the cache when it came from there)."""
        if self._code is None:
            if self._load is not None:
                self._code = self._load()
            else:
                assert self.ast is not None
                self._code = environment().compile(self.ast)
        return self._code

    def render(self, values: dict[str, Any], same: tuple[Any, ...] | None = None) -> str:
        """The text for `values`, its whitespace collapsed (`squash`: rule texts are written over several YAML
        lines). `values` hold every name the text reads, Jinja's globals (`environment().globals`) included:
        they become the text's context as they are, without the copy `Template.render` makes of them for each
        rendering (a case renders some sixty texts), and without the set of global names a context keeps for
        importing a template as a module (rule texts import nothing). `same`: a key that stands for the
        values the text reads (when they are plain: brocheck.engine); the text is rendered once per key, up
        to `RENDERED` keys."""
        if self.text is not None:
            return self.text
        if same is not None:
            known = self.rendered.get(same)
            if known is not None:
                return known
        if self._template is None:
            env = environment()
            self._template = env.template_class.from_code(env, self.code, env.make_globals(None), None)
        from jinja2.runtime import new_context

        template = self._template
        context = new_context(template.environment, template.name, template.blocks, values, shared=True)
        text = squash("".join(template.root_render_func(context)))
        if not self.reads:  # says the same for every case
            self.text = text
        elif same is not None and len(self.rendered) < RENDERED:
            self.rendered[same] = text
        return text


RENDERED = 64
"""How many renderings of one text are kept for reuse: a batch's municipalities share few sets of values
(the same addressee, the same counts), and the memory stays bounded however many cases a batch holds."""


class Strict(BaseModel):
    """A rule-file model, built on first validation (`defer_build`): never when the rule set comes from
    brocheck's cache (brocheck.rulecache). Its fields name the rule language's `Expr` only for type
    checkers: the language's models are imported when rule files are validated, and the loader completes
    the models then (`model_rebuild`), so that a rule set from the cache never imports them."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Outcome(Strict):
    id: RuleId
    when: Expr | None = None
    """The condition; left out, the outcome always applies (the last, catch-all outcome)."""
    rating: str
    comment: str
    missing: list[str] = []
    """With the unknown rating: the facts whose absence the outcome stands for (the engine names
    them like the facts missing from an undecidable condition)."""


class Rule(Strict):
    id: RuleId
    level: Annotated[int, Field(ge=1, le=2)] = 1
    criterion: str
    """The criterion text, a Jinja template where it names the case's bodies."""
    source: Annotated[list[str], Field(min_length=1)]
    law: list[int] = []
    """Sections of Lag (2023:196) the criterion concerns, for roll-ups."""
    scale: str = "kriterium"
    description: str | None = None
    facts: dict[str, Expr] = {}
    outcomes: Annotated[list[Outcome], Field(min_length=1)]
    unknown: str = "Kan ej bedömas: uppgift saknas om {{ missing | lista }}."

    def expressions(self) -> list[Expr]:
        """The rule's named facts and outcome conditions, in that order."""
        return [*self.facts.values(), *(o.when for o in self.outcomes if o.when is not None)]

    def reads(self) -> list[str]:
        """Ids of the rules whose ratings this rule reads, first use first."""
        return list(dict.fromkeys(n.rating for node in self.expressions() for n in node.walk()
                                  if isinstance(n, expr.Rating)))


class RuleFile(Strict):
    rules: Annotated[list[Rule], Field(min_length=1)]


class ScaleStep(Strict):
    rating: str
    severity: Annotated[int, Field(ge=0, le=3)]


class TableDef(Strict):
    number: int
    title: str
    file: str


ParamValue = bool | int | dt.date | str | list[str]


class Parameter(Strict):
    """A named limit: an audit parameter (the auditor's judgement, overridable per case in
    `parametrar`) or a constant of the law (`law: true`, not overridable)."""

    default: ParamValue
    rationale: Annotated[str, Field(min_length=1)]
    """One line: what the value means and why it is this."""
    source: Annotated[str, Field(min_length=1)]
    """Where it comes from: the law, the preparatory works, or "revisionens bedömning"."""
    law: bool = False
    allowed: list[str] | None = None
    """For text values and lists of text: the values a case may choose from."""


class RuleSetFile(Strict):
    unknown_rating: str
    not_applicable_rating: str
    """The rating of a criterion that does not apply to the case (a requirement not yet in force, or a
    local criterion the case's reglemente does not contain); never a finding, ignored by roll-ups."""
    parameters: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Parameter] = {}
    scales: dict[str, Annotated[list[ScaleStep], Field(min_length=2)]]
    derived: dict[str, Expr]
    tables: Annotated[list[TableDef], Field(min_length=1)]
    overall: str
    """The file holding the single overall-assessment rule."""
    recommendations: str | None = None
    """The file of recommendations by rule and outcome (brocheck.recommendations)."""


@dataclass(frozen=True)
class Placed:
    """A rule with where it stands: table number (0 for the overall assessment) and row."""

    rule: Rule
    table: int
    row: int
    file: str

    @property
    def ref(self) -> str:
        if self.table == 0:
            return "S"
        return f"Q{self.row}" if self.table == QUESTIONS_TABLE else f"T{self.table}.{self.row}"


@dataclass(frozen=True)
class RuleSet:
    unknown_rating: str
    not_applicable_rating: str
    parameters: dict[str, Parameter]
    severity: dict[str, int]
    scales: dict[str, list[str]]
    derived: dict[str, Expr]
    tables: list[TableDef]
    placed: list[Placed]
    order: list[Placed]
    """Rules in evaluation order: every rule after the rules whose ratings it reads."""
    templates: dict[str, tuple[Text, frozenset[str]]]
    """Texts by key (`criterion:ID`, `comment:ID:OUTCOME`, `unknown:ID`, `title:N`,
    `recommendation:ID:N`), each with the names it reads."""
    recommendations: dict[str, list[RecommendationDef]] = field(default_factory=dict)
    """Recommendation templates by rule id (brocheck.recommendations)."""
    location: str = "rules"
    """The rule set's directory as messages name it: `rules` for the shipped one, else as given."""
    files: tuple[str, ...] = ()
    """The files the rule set was read from, relative to its directory (the cache checks them)."""

    program: CodeType | None = None
    """Every expression of the rule set compiled to Python (brocheck.expr.codegen), in `expressions()`'s
    order; generated here when not given (brocheck's cache gives it)."""

    def __post_init__(self) -> None:
        """Each expression gets its function from the program (`Node.compiled`)."""
        nodes = self.expressions()
        if self.program is None:
            object.__setattr__(self, "program", codegen.compile_module(nodes))
        assert self.program is not None
        for node, function in zip(nodes, codegen.load(self.program), strict=True):
            object.__setattr__(node, "compiled", function)  # Node's cached property, or codegen.Compiled's slot

    def expressions(self) -> list[Expr]:
        """Every expression evaluated on its own: derived facts, each rule's facts and conditions, and the
        recommendations' addressees."""
        return [*self.derived.values(), *(e for p in self.placed for e in p.rule.expressions()),
                *(d.to for defs in self.recommendations.values() for d in defs)]

    @property
    def overall(self) -> Placed:
        return next(p for p in self.placed if p.table == 0)

    def find(self, ref: str) -> Placed | None:
        """A rule by id, by table reference (`T2.1`), by revision question (`Q3`) or `S`."""
        wanted = ref.strip()
        return next((p for p in self.placed if wanted == p.rule.id or wanted.upper() == p.ref), None)


def _param_type(value: ParamValue) -> Any:
    """The static type a parameter has in rule expressions."""
    if isinstance(value, list):
        return list[str]
    return type(value)


def load_ruleset(root: Path | None = None) -> RuleSet:
    """The rule set in `root`, by default the one in use (`resources.rules_dir`), loaded and validated
    once per process."""
    return _load(root or rules_dir())


@functools.cache
def _load(root: Path) -> RuleSet:
    from brocheck import rulecache

    location = "rules" if shipped_rules(root) else str(root)
    return rulecache.load(root, location, lambda: _Loader(root, location).load())


class _Loader:
    def __init__(self, root: Path, location: str) -> None:
        self.root = root
        self.location = location
        self.problems: list[Problem] = []
        self.templates: dict[str, tuple[Text, frozenset[str]]] = {}
        self.texts: dict[str, str] = {}
        """The text of each file read, by its name in messages, to place a problem inside a scalar."""
        self.files: list[str] = []
        """The files read, relative to the rule set's directory."""

    def read(self, name: str, model: type[Strict]) -> tuple[Any, yamlsafe.Document] | None:
        model.model_rebuild(_types_namespace={"Expr": expr.Expr})  # see `Strict`
        path = self.root / name
        self.files.append(name)
        try:
            display = f"{self.location}/{name}"
            text = yamlsafe.read_text(path, display)
            doc = yamlsafe.parse(text, display)
        except yamlsafe.YamlProblem as err:
            self.problems.append(err.problem)
            return None
        self.texts[display] = text
        try:
            return model.model_validate(doc.data), doc
        except ValidationError as err:
            for e in err.errors(include_url=False):
                loc = tuple(x for x in e["loc"] if not (isinstance(x, str) and x.startswith("tagged-union")))
                self.problems.append(doc.problem(loc, f"`{'.'.join(map(str, loc))}`: {e['msg']}"))
            return None

    def fail(self) -> RuleSetError:
        return RuleSetError(sorted(set(self.problems), key=lambda p: (p.file, p.line or 0, p.col or 0, p.message)))

    def load(self) -> RuleSet:
        expr.build_models()
        if not self.root.is_dir():
            raise RuleSetError([Problem(self.location, None, None, "regelkatalogen finns inte: ange en katalog "
                                                                   "med ruleset.yaml (--rules eller BROCHECK_RULES)")])
        top = self.read("ruleset.yaml", RuleSetFile)
        if top is None:
            raise self.fail()
        spec, top_doc = top
        placed: list[Placed] = []
        docs: dict[str, yamlsafe.Document] = {"ruleset.yaml": top_doc}
        files = [(t.number, t.file) for t in spec.tables] + [(0, spec.overall)]
        for number, name in files:
            got = self.read(name, RuleFile)
            if got is None:
                continue
            rule_file, docs[name] = got
            placed += [Placed(r, number, i + 1, name) for i, r in enumerate(rule_file.rules)]
        if self.problems:
            raise self.fail()

        severity = {step.rating: step.severity for steps in spec.scales.values() for step in steps}
        scales = {name: [s.rating for s in steps] for name, steps in spec.scales.items()}
        scope = self.check_derived(spec, top_doc)
        scope = expr.Scope(scope.names, frozenset(p.rule.id for p in placed))
        ids: dict[str, Placed] = {}
        for p in placed:
            doc = docs[p.file]
            base: tuple[str | int, ...] = ("rules", p.row - 1)
            if p.rule.id in ids:
                self.problems.append(doc.problem((*base, "id"), f"regel-id {p.rule.id!r} finns redan"))
            ids[p.rule.id] = p
            self.check_rule(p, doc, base, scope, scales, spec)
        for i, t in enumerate(spec.tables):
            self.compile(f"title:{t.number}", t.title, top_doc, ("tables", i, "title"), scope.names)
        order = self.order(placed, ids, docs)
        advice = {}
        if spec.recommendations:
            from brocheck import recommendations

            advice = recommendations.load(self, spec.recommendations, placed, scope, scales)
        if self.problems:
            raise self.fail()
        return RuleSet(spec.unknown_rating, spec.not_applicable_rating, dict(spec.parameters), severity, scales,
                       dict(spec.derived), spec.tables, placed, order, self.templates, advice,
                       location=self.location, files=tuple(dict.fromkeys(self.files)))

    def check_derived(self, spec: RuleSetFile, doc: yamlsafe.Document) -> expr.Scope:
        names: dict[str, Any] = {name: expr._unwrap(info.annotation) for name, info in Case.model_fields.items()}
        names["asof"] = dt.date
        for name, param in spec.parameters.items():
            where = ("parameters", name)
            if name in names:
                self.problems.append(doc.problem(where, f"parametern {name!r} krockar med ett befintligt namn",
                                                 key=True))
            names[name] = _param_type(param.default)
            if param.allowed is not None and not isinstance(param.default, str | list):
                self.problems.append(doc.problem((*where, "allowed"), "allowed gäller bara text och listor av text"))
            elif param.allowed is not None:
                chosen = param.default if isinstance(param.default, list) else [param.default]
                wrong = [v for v in chosen if v not in param.allowed]
                if wrong:
                    self.problems.append(doc.problem((*where, "default"), f"standardvärdet {wrong[0]!r} finns inte "
                                                                          f"bland {param.allowed}"))
        scope = expr.Scope(names)
        for name, node in spec.derived.items():
            if name in names:
                self.problems.append(doc.problem(("derived", name), f"härlett faktum {name!r} krockar med ett "
                                                                    "befintligt namn", key=True))
                continue
            scope = scope.bind(name, self.check(node, scope, ("derived", name), doc))
        return scope

    def check_rule(self, p: Placed, doc: yamlsafe.Document, base: tuple[str | int, ...], scope: expr.Scope,
                   scales: dict[str, list[str]], spec: RuleSetFile) -> None:
        unknown = spec.unknown_rating
        rule = p.rule
        if rule.scale not in scales:
            self.problems.append(doc.problem((*base, "scale"), f"okänd skala {rule.scale!r} "
                                                               f"(finns: {', '.join(scales)})"))
            return
        for name, node in rule.facts.items():
            if name in scope.names:
                self.problems.append(doc.problem((*base, "facts", name), f"faktum {name!r} skuggar ett "
                                                 "befintligt namn: välj ett annat namn", key=True))
            scope = scope.bind(name, self.check(node, scope, (*base, "facts", name), doc))
        names = scope.names
        self.compile(f"criterion:{rule.id}", rule.criterion, doc, (*base, "criterion"), names)
        self.compile(f"unknown:{rule.id}", rule.unknown, doc, (*base, "unknown"), names)
        seen: set[str] = set()
        for i, outcome in enumerate(rule.outcomes):
            loc = (*base, "outcomes", i)
            if outcome.id in seen:
                self.problems.append(doc.problem((*loc, "id"), f"utfall-id {outcome.id!r} finns redan i regeln"))
            seen.add(outcome.id)
            if outcome.rating not in (*scales[rule.scale], spec.not_applicable_rating, unknown):
                self.problems.append(doc.problem((*loc, "rating"), f"bedömningen {outcome.rating!r} finns inte "
                                                                   f"på skalan {rule.scale}: "
                                                                   f"{', '.join(scales[rule.scale])}"))
            last = i == len(rule.outcomes) - 1
            if outcome.when is None and not last:
                self.problems.append(doc.problem(loc, "ett utfall utan 'when' måste stå sist"))
            if outcome.when is not None and last:
                self.problems.append(doc.problem((*loc, "when"), "det sista utfallet har ett villkor: regeln saknar "
                                                 "ett utfall för när inget villkor håller, och skulle då tyst ge "
                                                 f"{unknown!r}; lägg till ett sista utfall utan 'when'", key=True))
            if outcome.when is not None:
                type_ = self.check(outcome.when, scope, (*loc, "when"), doc)
                try:
                    expr.condition(type_, (*loc, "when"))
                except expr.CheckError as err:
                    self.problems.append(doc.problem(err.loc, err.message))
            self.compile(f"comment:{rule.id}:{outcome.id}", outcome.comment, doc, (*loc, "comment"), names)
        if unknown in scales[rule.scale] or spec.not_applicable_rating in scales[rule.scale]:
            self.problems.append(doc.problem(base, f"{unknown!r} och {spec.not_applicable_rating!r} hör inte till "
                                                   "någon skala"))

    def check(self, node: Expr, scope: expr.Scope, loc: tuple[str | int, ...], doc: yamlsafe.Document) -> Any:
        """The type of `node`'s value; Any, with the problem recorded, when the expression is invalid."""
        try:
            return node.check(scope, loc)
        except expr.CheckError as err:
            self.problems.append(doc.problem(err.loc, err.message))
            return Any

    def compile(self, key: str, source: str, doc: yamlsafe.Document, loc: tuple[str | int, ...],
                names: dict[str, Any]) -> None:
        """Parse a rule text and check it: syntax, the names it reads, its filters and tests, and the
        attributes it reads of values whose type is known (`textcheck`)."""
        import jinja2
        import jinja2.meta

        from brocheck import textcheck

        env = environment()
        try:
            ast = env.parse(source)
        except jinja2.TemplateSyntaxError as err:
            self.problems.append(doc.problem(loc, f"mallfel: {err.message} (rad {err.lineno} i texten)"))
            return
        try:
            used = jinja2.meta.find_undeclared_variables(ast)
        except jinja2.TemplateAssertionError:  # an unknown filter or test: `textcheck` reports it below
            used = set()
        unknown = used - set(names) - TEMPLATE_GLOBALS - set(env.globals)
        defects = [(name, f"texten använder okänt namn {name!r}: det är varken ett faktum i regeln, ett härlett "
                          "faktum eller en nyckel i ärendefilen") for name in sorted(unknown)]
        defects += textcheck.defects(ast, env, {**names, **GLOBAL_TYPES})
        for needle, message in defects:
            pos = textcheck.place(self.texts.get(doc.file, ""), doc, loc, needle)
            self.problems.append(Problem(doc.file, pos[0] if pos else None, pos[1] if pos else None, message))
        if not defects:
            self.templates[key] = (Text(ast, frozenset(used)), frozenset(used - TEMPLATE_GLOBALS))

    def order(self, placed: list[Placed], ids: dict[str, Placed],
              docs: dict[str, yamlsafe.Document]) -> list[Placed]:
        """Rules ordered so that each comes after the rules it reads; cycles are errors."""
        reads = {p.rule.id: [r for r in p.rule.reads() if r in ids] for p in placed}
        done: list[Placed] = []
        state: dict[str, int] = {}

        def visit(rule_id: str, chain: list[str]) -> None:
            if state.get(rule_id) == 2:
                return
            if state.get(rule_id) == 1:
                p = ids[rule_id]
                self.problems.append(docs[p.file].problem(("rules", p.row - 1, "id"),
                                                          "cirkulärt beroende: " + " -> ".join([*chain, rule_id])))
                return
            state[rule_id] = 1
            for dep in reads[rule_id]:
                visit(dep, [*chain, rule_id])
            state[rule_id] = 2
            done.append(ids[rule_id])

        for p in placed:
            visit(p.rule.id, [])
        return done
